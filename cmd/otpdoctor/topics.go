package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/checks/backup"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/layout"
)

// An entry is a name with what it means: an exit status, a variable, a file. The help
// topics and the man pages' EXIT STATUS, ENVIRONMENT and FILES sections list the same
// terms.
type entry struct{ name, meaning string }

// exitStatuses, environment and files are functions, not variables: nothing is built
// before a command runs.
func exitStatuses() []entry {
	return []entry{
		{"0", "No check failed (warnings allowed)."},
		{"1", "A check failed; with --strict, also a warning or a check that could not measure. A malformed key or code is such a finding, not a usage error."},
		{"2", "Usage error or unreadable input: a bad flag or value, a missing or unreadable file, a report written by a newer otpdoctor."},
		{"130", "Interrupted (Ctrl-C): the report printed so far is marked interrupted."},
	}
}

func environment() []entry {
	return []entry{
		{secretEnv, "The 2FA key, in any form --secret-file takes, when no other key source is given. Safer than --secret, which other users of this computer can see."},
		{"NO_COLOR", "Set to anything: never colour the output (as --no-color)."},
		{"CLICOLOR_FORCE", "Set and not 0: colour the output even when it is not a terminal. CLICOLOR=0 turns colour off."},
		{"HTTPS_PROXY", "The proxy for HTTPS requests (the status check, the time from HTTPS sites); HTTP_PROXY for http:// addresses, NO_PROXY for hosts reached directly."},
		{"TERM", "dumb: no colour and no live progress lines."},
		{"COLORFGBG", "The terminal's colours, read to draw QR codes dark on light when the terminal cannot be asked."},
		{"XDG_CONFIG_HOME", "Where the config directory is (on Linux; ~/.config when unset)."},
	}
}

func files() []entry {
	return []entry{
		{"$XDG_CONFIG_HOME/otpdoctor/" + backup.LedgerFile, "The used-codes ledger that 'otpdoctor backup mark-used' writes and 'otpdoctor backup' reads: salted hashes of spent backup codes, never the codes. In ~/.config/otpdoctor on Linux when XDG_CONFIG_HOME is unset, ~/Library/Application Support/otpdoctor on macOS, %AppData%\\otpdoctor on Windows."},
	}
}

// manSections are the man pages' EXIT STATUS, ENVIRONMENT and FILES, from the lists
// the help topics print (in docgen.Section's shape, without linking the generator).
func manSections() []struct {
	Title string
	Terms [][2]string
} {
	section := func(title string, entries []entry) struct {
		Title string
		Terms [][2]string
	} {
		terms := make([][2]string, len(entries))
		for i, e := range entries {
			terms[i] = [2]string{e.name, e.meaning}
		}
		return struct {
			Title string
			Terms [][2]string
		}{title, terms}
	}
	return []struct {
		Title string
		Terms [][2]string
	}{section("EXIT STATUS", exitStatuses()), section("ENVIRONMENT", environment()), section("FILES", files())}
}

// writeTopic writes the help topic named, one that is not a command; ok is false for
// a name that is no topic.
func writeTopic(w io.Writer, name string, width int) (ok bool, err error) {
	switch name {
	case "exit-codes":
		return true, writeTerms(w, width, "Exit status", exitStatuses(), "Scripts and CI can rely on these; they do not change within report schema v1.")
	case "environment":
		if err := writeTerms(w, width, "Environment", environment(), ""); err != nil {
			return true, err
		}
		return true, writeTerms(w, width, "\nFiles", files(), "")
	case "causes":
		return true, writeCauses(w, width)
	}
	return false, nil
}

func newHelpCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND | TOPIC]",
		Short: "Help about a command, or a topic: exit-codes, environment, causes, or one cause",
		Long: `Help about any command, or about a topic: exit-codes (what each exit status
means), environment (the variables and files otpdoctor reads), causes (every cause
a report can name), or a cause's name (what it means, how otpdoctor tells, and how
to fix it), all offline.`,
		Example: `  otpdoctor help check
  otpdoctor help exit-codes
  otpdoctor help causes
  otpdoctor help device-clock`,
		RunE: func(c *cobra.Command, args []string) error {
			out, width := c.OutOrStdout(), width(a.io.OutSize)
			target, rest, err := c.Root().Find(args)
			switch {
			case len(args) == 0:
				return writeHelp(out, c.Root(), width)
			case err == nil && len(rest) == 0:
				return writeHelp(out, target, width)
			case len(args) > 1:
				return usagef("run 'otpdoctor help' to see the commands and topics", "no help for %q", strings.Join(args, " "))
			}
			if ok, err := writeTopic(out, args[0], width); ok {
				return err
			}
			if info, ok := diag.LookupCause(diag.Cause(args[0])); ok {
				return writeCause(out, info, width)
			}
			return usagef("run 'otpdoctor help' for the commands and topics, 'otpdoctor help causes' for the causes",
				"no help topic %q", args[0])
		},
	}
}

// writeTerms writes a titled list of terms, each meaning wrapped under its name.
func writeTerms(w io.Writer, width int, title string, terms []entry, note string) error {
	lines := []string{title + ":"}
	pad := 0
	for _, t := range terms {
		pad = max(pad, layout.Width(t.name)+4)
	}
	for _, t := range terms {
		lines = append(lines, nameAndText("  "+t.name, t.meaning, pad, width)...)
	}
	if note != "" {
		lines = append(lines, "")
		lines = append(lines, layout.Wrap(note, width)...)
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// writeCauses lists every cause with its headline.
func writeCauses(w io.Writer, width int) error {
	var terms []entry
	for _, c := range diag.Causes() {
		terms = append(terms, entry{string(c.ID), c.Headline + "."})
	}
	return writeTerms(w, width, "Causes a report can name", terms, "Run 'otpdoctor help CAUSE' for what one means and how to fix it.")
}

// writeCause is a cause's page for the terminal: what it means, how otpdoctor tells,
// and the steps that fix it on each platform and app.
func writeCause(w io.Writer, c diag.CauseInfo, width int) error {
	lines := layout.Wrap(string(c.ID)+": "+c.Headline, width)
	lines = append(lines, "")
	lines = append(lines, layout.Wrap(c.Meaning, width)...)
	lines = append(lines, "", "How otpdoctor tells:")
	lines = append(lines, layout.Hanging("  ", c.Detect, width)...)
	lines = append(lines, "", "How to fix it:")
	for _, g := range stepGroups(c) {
		lines = append(lines, "  "+g.title+":")
		for i, s := range g.steps {
			lines = append(lines, layout.Hanging(fmt.Sprintf("  %2d. ", i+1), s, width)...)
		}
	}
	lines = append(lines, "")
	lines = append(lines, layout.Wrap("'otpdoctor check --platform P --app A' shows only the steps for your device and app.", width)...)
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// A stepGroup is a cause's fix steps for one platform and app ("On Android").
type stepGroup struct {
	title string
	steps []string
}

// stepGroups are c's fix steps grouped by where they apply, in catalog order.
func stepGroups(c diag.CauseInfo) []stepGroup {
	var groups []stepGroup
	index := map[string]int{}
	for _, s := range c.Steps {
		title := "Everywhere"
		switch {
		case s.Platform != "" && s.App != "":
			title = diag.AppName(s.App) + " on " + diag.PlatformName(s.Platform)
		case s.Platform != "":
			title = "On " + diag.PlatformName(s.Platform)
		case s.App != "":
			title = diag.AppName(s.App)
		}
		i, seen := index[title]
		if !seen {
			i = len(groups)
			index[title] = i
			groups = append(groups, stepGroup{title: title})
		}
		groups[i].steps = append(groups[i].steps, s.Text)
	}
	return groups
}
