package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/internal/ntptest"
	"github.com/otpdoctor/otpdoctor/internal/qrterm/qrtermtest"
)

// A tmuxTerminal is a real terminal of a fixed size (a tmux pane) running one
// otpdoctor command, for what only a terminal shows: what stays on the screen after
// lines are redrawn in place, what fits in the window.
type tmuxTerminal struct{ *tmuxServer }

// tmuxServer is a tmux server of the test's own (its socket in a temporary
// directory), killed when the test ends. The terminal tests and the guide's share it.
type tmuxServer struct {
	t       *testing.T
	socket  string
	changed <-chan struct{} // a screen change (or the pane's end) may have come; see poll
}

// newTmuxServer starts nothing yet: the first tmux command starts the server. Without
// tmux the test is skipped, except under CI (.ci/run installs it).
func newTmuxServer(t *testing.T, dir string) *tmuxServer {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the terminal tests need tmux (Debian package tmux; .ci/run installs it)")
		}
		t.Skip("tmux is not installed (apt-get install tmux): the terminal tests need it")
	}
	s := &tmuxServer{t: t, socket: filepath.Join(dir, "tmux.sock")}
	t.Cleanup(func() { exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxServer) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// poll looks at the screen until shows says it holds what is waited for, and returns
// that screen. It looks again on each change tmux reports to a control-mode client (the
// pane's output, and whether it has ended), and at least every lookAgain for a change
// tmux may not report (a CI run once missed the end of a command); screenWait only
// bounds a hang.
func (s *tmuxServer) poll(what string, shows func() (screen string, ok bool)) string {
	s.t.Helper()
	changed := s.watch()
	hang := time.NewTimer(screenWait)
	defer hang.Stop()
	lookAgain := time.NewTicker(100 * time.Millisecond)
	defer lookAgain.Stop()
	for {
		screen, ok := shows()
		if ok {
			return screen
		}
		select {
		case <-changed:
		case <-lookAgain.C:
		case <-hang.C:
			s.t.Fatalf("waited %s for %s; the screen:\n%s", screenWait, what, screen)
		}
	}
}

// watch attaches a control-mode client to the server's one session, once, and returns
// a channel that receives after each notification it gets: %output when the pane
// writes, and %subscription-changed when the pane's pane_dead changes. A change that
// comes between two looks is kept (the channel holds one), so none is missed.
func (s *tmuxServer) watch() <-chan struct{} {
	if s.changed != nil {
		return s.changed
	}
	s.t.Helper()
	client := exec.Command("tmux", "-S", s.socket, "-C", "attach-session")
	commands, err := client.StdinPipe() // control mode reads commands; EOF would detach it
	if err != nil {
		s.t.Fatal(err)
	}
	notifications, err := client.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := client.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		commands.Close()
		client.Process.Kill()
		client.Wait()
	})
	if _, err := fmt.Fprintln(commands, "refresh-client -B 'dead:%*:#{pane_dead}'"); err != nil {
		s.t.Fatal(err)
	}
	changed := make(chan struct{}, 1)
	go func() {
		lines := bufio.NewScanner(notifications)
		lines.Buffer(nil, 1<<20)
		for lines.Scan() {
			select {
			case changed <- struct{}{}:
			default: // one pending change is as good as many
			}
		}
	}()
	s.changed = changed
	return changed
}

// startTerminal runs otpdoctor args in a cols × rows terminal with env added to the
// test's environment. The pane stays after the command ends, for its screen to be read.
func startTerminal(t *testing.T, cols, rows int, env map[string]string, args ...string) *tmuxTerminal {
	t.Helper()
	dir := t.TempDir()
	term := &tmuxTerminal{newTmuxServer(t, dir)}
	bin, err := exec.LookPath("otpdoctor") // this test binary, as testscript put it on PATH
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g status off\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	command := []string{"-f", conf, "new-session", "-d", "-s", "otpdoctor", "-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows)}
	for k, v := range env {
		command = append(command, "-e", k+"="+v)
	}
	term.tmux(append(append(command, "--", bin), args...)...)
	return term
}

// screen is what the terminal shows now, a string per row.
func (term *tmuxTerminal) screen() []string {
	term.t.Helper()
	return strings.Split(strings.TrimSuffix(term.tmux("capture-pane", "-p", "-t", "otpdoctor"), "\n"), "\n")
}

// waitFor waits until the screen satisfies ready, and returns that screen. The timeout
// only bounds a hang.
func (term *tmuxTerminal) waitFor(what string, ready func(screen []string) bool) []string {
	term.t.Helper()
	var screen []string
	term.poll(what, func() (string, bool) {
		screen = term.screen()
		return strings.Join(screen, "\n"), ready(screen)
	})
	return screen
}

// waitExit waits for the command to end and returns its final screen.
func (term *tmuxTerminal) waitExit() []string {
	term.t.Helper()
	term.waitFor("the command to end", func([]string) bool {
		return strings.TrimSpace(term.tmux("display-message", "-p", "-t", "otpdoctor", "#{pane_dead}")) == "1"
	})
	return term.screen()
}

// interrupt presses Ctrl-C.
func (term *tmuxTerminal) interrupt() { term.tmux("send-keys", "-t", "otpdoctor", "C-c") }

func containing(screen []string, pattern string) []string {
	re := regexp.MustCompile(pattern)
	var found []string
	for _, row := range screen {
		if re.MatchString(row) {
			found = append(found, row)
		}
	}
	return found
}

// The QR code on an 80 × 24 terminal scans from what is on screen once the command
// has ended, on a dark background and, told by COLORFGBG, on a light one; or, for a
// long label that makes it too big, the command says how big the window must be.
func TestQRCodeFitsTheWindowOrSaysSo(t *testing.T) {
	key := secret.EncodeBase32([]byte("12345678901234567890"))
	long := "Example Industries International:alice.wonderland@example.com"[:60]
	cases := []struct {
		name, label, colorfgbg string
		light, mustFit         bool
	}{
		{"short label, dark background", "GitHub:alice", "", false, true},
		{"short label, light background", "GitHub:alice", "0;15", true, true},
		{"60-character label", long, "", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			uri := "otpauth://totp/" + c.label + "?secret=" + key
			term := startTerminal(t, 80, 24, map[string]string{secretEnv: uri, "COLORFGBG": c.colorfgbg}, "secret", "show", "--reveal")
			screen := term.waitExit()
			text := strings.Join(screen, "\n")
			if !strings.Contains(text, "Setup key, to type by hand: "+inFours(key)[:24]) {
				t.Errorf("no setup key in fours:\n%s", text)
			}
			if small := containing(screen, `^No QR code: it needs a window of at least \d+ columns and \d+ rows`); len(small) > 0 {
				if c.mustFit {
					t.Fatalf("too small:\n%s", text)
				}
				return
			}
			decoded, err := qrtermtest.Decode(screen, c.light)
			if err != nil {
				t.Fatalf("the QR code does not scan from the screen (%v):\n%s", err, text)
			}
			want := secret.Key{Secret: []byte("12345678901234567890")}
			if got, err := secret.ParseURI(decoded); err != nil || string(got.Secret) != string(want.Secret) {
				t.Errorf("the QR code holds %q", decoded)
			}
		})
	}
}

// Live lines at 40 columns (a phone's terminal) are cut to the width and redrawn in
// place: when the command ends, none of them is left on the screen.
func TestLiveLinesLeaveNothingBehind(t *testing.T) {
	t.Run("match --deep progress, interrupted", func(t *testing.T) {
		env := map[string]string{secretEnv: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}
		// Two codes of another key: the search (ten years either side, then from 1970
		// on) runs for many seconds, to the end unless stopped.
		term := startTerminal(t, 40, 20, env, "match", "671519", "922427", "--window", "87600h", "--deep", "--offline")
		progress := term.waitFor("the progress line", func(s []string) bool { return len(containing(s, `^searching `)) > 0 })
		if line := containing(progress, `^searching `)[0]; len([]rune(line)) > 37 {
			t.Errorf("the progress line fills the row: %q", line)
		}
		term.interrupt()
		screen := term.waitExit()
		if stale := containing(screen, `searching|% *$|left$`); len(stale) > 0 {
			t.Errorf("progress left on the screen: %q\n%s", stale, strings.Join(screen, "\n"))
		}
		if len(containing(screen, `Interrupted`)) == 0 {
			t.Errorf("no interrupted report:\n%s", strings.Join(screen, "\n"))
		}
	})
	t.Run("clock --watch", func(t *testing.T) {
		ntp := ntptest.NewServer(t, ntptest.Behavior{})
		// A zone away from UTC makes the line long enough to wrap, were it not cut.
		env := map[string]string{"TZ": "Asia/Kolkata"}
		term := startTerminal(t, 40, 20, env, "clock", "--watch", "--ntp-server", ntp.Addr, "--time-url", refusedURL)
		live := `^\s?\d+ s left · true time`
		first := term.waitFor("the live line", func(s []string) bool { return len(containing(s, live)) > 0 })
		term.waitFor("the live line to be redrawn", func(s []string) bool {
			return len(containing(s, live)) > 0 && containing(s, live)[0] != containing(first, live)[0]
		})
		term.interrupt()
		screen := term.waitExit()
		if lines := containing(screen, `s left · |true time \d|IST\)`); len(lines) != 1 {
			t.Errorf("%d live lines on the screen, want 1: %q\n%s", len(lines), lines, strings.Join(screen, "\n"))
		}
	})
}
