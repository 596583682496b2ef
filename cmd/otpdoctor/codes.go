package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
)

func init() {
	registerCommand("code", newCodeCmd)
	registerCommand("match", newMatchCmd)
}

// codesPart is the codes check as `check` and `match` see it.
type codesPart struct {
	codes    []string
	codeTime time.Time // zero when not given
	// shownAt and firstShownAt are this machine's clock when the last and the first
	// code were read, when timed (the guide); zero: the codes were read as the command started.
	shownAt, firstShownAt time.Time
	window                time.Duration
	deep                  bool
	lookAhead             uint64
}

func (p *codesPart) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&p.codes, "code", nil, "a `CODE` your app shows (repeat for consecutive codes, oldest first)")
	instantFlag(fs, &p.codeTime, "code-time", "when the first code was read: `TIME` as RFC 3339 or unix seconds"+instantHelp()+"; by default the last code is the one shown as the command starts")
	durationFlag(fs, &p.window, "window", 0, "search up to this `DURATION` either side of the true time; 0, the default: 24h for one code, a year for two or more")
	fs.BoolVar(&p.deep, "deep", false, "also search from 1970 to 30 years ahead (a phone whose clock reset)")
	numberFlag(fs, &p.lookAhead, "look-ahead", codes.DefaultLookAhead, "HOTP: search `N` counters past the key's")
	markSecret(fs, "code") // a backup key typed as a code is a finding (backup-key-confusion)
}

// build makes the codes check, or a skip naming what is missing.
func (p *codesPart) build(a *app) (diag.Check, error) {
	skip := func(reason string) (diag.Check, error) {
		return diag.Skipped{CheckID: codes.CheckID, CheckTitle: codes.CheckTitle, Reason: reason}, nil
	}
	if len(p.codes) == 0 {
		return skip("give --code CODE with the code your app shows now to test your phone's clock and key")
	}
	k, err := a.key()
	switch {
	case errors.As(err, new(*secret.ParseError)):
		return skip("the key could not be read (see the secret check)")
	case err != nil:
		return nil, err
	case k == nil && codes.KeyGivenAsCode(p.codes) > 0:
		return codes.KeyAsCode{N: codes.KeyGivenAsCode(p.codes)}, nil
	case k == nil:
		return skip("give your key too (the Secret line says how): the codes are tested against it")
	}
	var stale []secret.Key
	if src, _ := a.keySource(); src != nil {
		stale = src.OtherKeys(*k)
	}
	// Codes given on the command line were read off the app before the command started,
	// not after the key prompt that a.key may just have held it at.
	shownAt := a.started
	if !p.shownAt.IsZero() {
		shownAt = p.shownAt
	}
	check := &codes.Check{
		Key: *k, Codes: p.codes, CodeTime: p.codeTime, ShownAt: shownAt, FirstShownAt: p.firstShownAt, Stale: stale,
		Window: p.window, Deep: p.deep, LookAhead: p.lookAhead,
	}
	if !a.io.ErrTTY || a.io.Getenv("TERM") == "dumb" { // a dumb terminal cannot erase a line
		return check, nil
	}
	line := newProgressLine(a)
	check.Progress = line.update
	return progressCheck{check, line}, nil
}

// progressCheck clears the codes check's progress line when it returns, before the
// report is printed.
type progressCheck struct {
	*codes.Check
	line *progressLine
}

func (c progressCheck) Run(ctx context.Context, env *diag.Env) diag.Result {
	defer c.line.clear()
	return c.Check.Run(ctx, env)
}

// progressDelay is how long a search runs before it shows progress (tests shorten it).
var progressDelay = time.Second

// progressLine shows a search's progress on a terminal: only once it has run for
// progressDelay, at most ten times a second, with the time left once a stage has run
// for a second.
type progressLine struct {
	line  *liveLine
	start time.Time

	mu         sync.Mutex
	last       time.Time
	stage      string
	stageStart time.Time
}

func newProgressLine(a *app) *progressLine {
	return &progressLine{line: &liveLine{w: a.io.Err, size: a.io.ErrSize}, start: time.Now()}
}

func (p *progressLine) update(stage string, done, total uint64) {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if stage != p.stage {
		p.stage, p.stageStart = stage, now
	}
	if now.Sub(p.start) < progressDelay || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	text := fmt.Sprintf("searching %s: %d%%", stage, done*100/max(total, 1))
	if left, ok := timeLeft(now.Sub(p.stageStart), done, total); ok {
		text += ", about " + diag.HumanDuration(left) + " left"
	}
	p.line.draw(text)
}

func (p *progressLine) clear() { p.line.clear() }

// timeLeft estimates the rest of a stage from its pace so far, once it has run a
// second (sooner, the pace says little).
func timeLeft(elapsed time.Duration, done, total uint64) (time.Duration, bool) {
	if elapsed < time.Second || done == 0 || done >= total {
		return 0, false
	}
	left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
	return left.Round(time.Second), true
}

func newMatchCmd(a *app) *cobra.Command {
	codesFlags, clock := &codesPart{}, &clockPart{}
	cmd := &cobra.Command{
		Use:         "match CODE [CODE...]",
		Annotations: map[string]string{takesSecret: "codes, as --code"},
		Short:       "Find when, and under which settings, the codes your app shows are valid",
		Long: `Find the time step and the settings the codes your authenticator app shows belong to,
and from that what is wrong: the phone's clock (and by how much), a code that expired
while typed, a typo, settings the app ignores, or a different key.

Give the codes oldest first, as the app showed them: consecutive codes pin the phone's
clock without doubt, where one code far away could be chance. The last code is taken as
the one shown now; with --code-time, the first is the one read at that time.

The search runs around true time (from the clock check; this machine's clock when no
time server answers, and the report says so): ±10 minutes under the key's settings;
then the other common settings (SHA1/SHA256/SHA512, 6 to 8 digits, 30/60 s) and one-slip
typos; then the wrong clocks phones are known to have (a time zone off, a reset to
1970 or 2000, a GPS week rollover); then ±24 hours (--window), and with --deep from
1970 to 30 years ahead. HOTP keys are searched --look-ahead counters past their own.`,
		Example: `  otpdoctor match 123456 --secret-file key.txt
  otpdoctor match 123456 654321 --secret-file key.txt      # two consecutive codes
  otpdoctor match 123456 --code-time 2026-11-26T09:30:00Z --secret-file key.txt
  OTPDOCTOR_SECRET=JBSWY3DPEHPK3PXP otpdoctor match 123456 789012 --deep
  otpdoctor match 123456 --secret-file hotp-key.txt --look-ahead 1000`,
		RunE: func(c *cobra.Command, args []string) error {
			codesFlags.codes = append(codesFlags.codes, args...)
			if len(codesFlags.codes) == 0 {
				return usagef("give the code your app shows, e.g. otpdoctor match 123456 --secret-file key.txt", "no code given")
			}
			k, err := a.key()
			if k == nil && err == nil {
				return usagef(noKeyHint, "no 2FA key given: the codes are checked against it")
			}
			parts := []part{clock, codesFlags}
			if errors.As(err, new(*secret.ParseError)) {
				parts = []part{clock, &secretPart{}, codesFlags} // the secret check says what is wrong with it
			}
			return a.runParts(c.Context(), "match", parts)
		},
	}
	codesFlags.addFlags(cmd.Flags())
	clock.addFlags(cmd.Flags())
	return cmd
}

func newCodeCmd(a *app) *cobra.Command {
	var at time.Time
	var counter uint64
	cmd := &cobra.Command{
		Use:   "code",
		Short: "Print the code your key makes now (or at --at, or for --counter)",
		Long: `Print the code the key makes now, as the authenticator app should show it. On a
terminal it shows the previous and next codes and the seconds left too; piped, it
prints the code alone on one line (like oathtool), for scripts; --format json prints
the code, the codes either side and, for a time-based key, when it expires.

The time is this machine's clock (--now fixes it); compare with 'otpdoctor check' to
know that clock is right.`,
		Example: `  otpdoctor code --secret-file key.txt
  otpdoctor code --secret-file key.txt --at 2026-11-26T09:30:00Z
  otpdoctor code --secret-file key.txt --at 1795685400
  otpdoctor code --secret-file hotp-key.txt --counter 42
  OTPDOCTOR_SECRET=JBSWY3DPEHPK3PXP otpdoctor code | xclip`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			k, err := a.key()
			switch {
			case errors.As(err, new(*secret.ParseError)):
				return usagef("run 'otpdoctor secret' with the same key to see what is wrong", "%v", err)
			case err != nil:
				return err
			case k == nil:
				return usagef(noKeyHint, "no 2FA key given")
			}
			key := k.WithDefaults()
			if key.Type == secret.HOTP {
				if !at.IsZero() {
					return usagef("give --counter N for a counter-based (HOTP) key", "--at is for time-based keys")
				}
				if !c.Flags().Changed("counter") {
					counter = key.Counter
				}
				return a.printHOTP(key, counter)
			}
			if c.Flags().Changed("counter") {
				return usagef("give --at TIME for a time-based (TOTP) key", "--counter is for counter-based (HOTP) keys")
			}
			when := a.now()
			if !at.IsZero() {
				when = at
			}
			return a.printTOTP(key, when)
		},
	}
	instantFlag(cmd.Flags(), &at, "at", "the code at this `TIME` instead of now: RFC 3339 or unix seconds"+instantHelp())
	numberFlag(cmd.Flags(), &counter, "counter", 0, "HOTP: the code for counter `N`; by default the key's counter")
	return cmd
}

// codeOutput is what `code --format json` prints: the code and its neighbours, and
// for a time-based key when it stops being valid.
type codeOutput struct {
	Code         string     `json:"code"`
	Previous     string     `json:"previous,omitempty"`
	Next         string     `json:"next,omitempty"`          // none after the last counter
	Counter      *uint64    `json:"counter,omitempty"`       // HOTP
	ValidUntil   *time.Time `json:"valid_until,omitempty"`   // TOTP
	ValidSeconds *int       `json:"valid_seconds,omitempty"` // TOTP: seconds left, rounded up as apps count
}

// printTOTP prints the code at when; on a terminal (or as JSON) with the codes either
// side and the time left.
func (a *app) printTOTP(k secret.Key, when time.Time) error {
	period := time.Duration(k.Period) * time.Second
	start := time.Unix(int64(codes.Counter(k, when))*int64(k.Period), 0)
	end := start.Add(period).UTC()
	left := int(math.Ceil(end.Sub(when).Seconds()))
	out := codeOutput{
		Code: codes.TOTPAt(k, when), Previous: codes.TOTPAt(k, start.Add(-period)), Next: codes.TOTPAt(k, end),
		ValidUntil: &end, ValidSeconds: &left,
	}
	return a.printCode(out, fmt.Sprintf("%s  valid %d s more (until %s)\nprevious %s · next %s\n",
		out.Code, left, diag.ClockTimes(end, time.Local), out.Previous, out.Next))
}

// printHOTP prints the code for counter; on a terminal (or as JSON) with the counters
// either side.
func (a *app) printHOTP(k secret.Key, counter uint64) error {
	out := codeOutput{Code: codes.HOTP(k, counter), Counter: &counter}
	previous, next := "none", "none" // before the first counter, after the last (2^64-1)
	if counter > 0 {
		out.Previous = codes.HOTP(k, counter-1)
		previous = out.Previous
	}
	if counter < math.MaxUint64 {
		out.Next = codes.HOTP(k, counter+1)
		next = out.Next
	}
	return a.printCode(out, fmt.Sprintf("%s  counter %d\nprevious %s · next %s\n", out.Code, counter, previous, next))
}

// printCode prints a code as JSON, as the terminal text, or alone on a line for a
// pipe (like oathtool).
func (a *app) printCode(out codeOutput, terminal string) error {
	var err error
	switch {
	case a.opts.format == diag.FormatJSON:
		err = writeJSON(a.io.Out, out)
	case a.io.OutTTY:
		_, err = io.WriteString(a.io.Out, terminal)
	default:
		_, err = fmt.Fprintln(a.io.Out, out.Code)
	}
	return err
}
