package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/layout"
)

// globalsOf are the global flags the help of the command at path lists: only those
// that change what it does. all: a command not listed (check, ticket) lists them all.
// (A switch, not a map: nothing is built before a command runs.)
func globalsOf(path string) (names []string, all bool) {
	report := []string{"format", "verbose", "no-color", "now", "timeout", "offline", "strict", "output"}
	key := []string{"secret-file", "secret", "qr", "account", "ask-secret"}
	tailor := []string{"platform", "app", "service", "profiles"}
	switch path {
	case "otpdoctor clock":
		return append(report, "platform", "app"), false
	case "otpdoctor secret", "otpdoctor secret list", "otpdoctor match", "otpdoctor backup":
		return slices.Concat(report, key, tailor), false
	case "otpdoctor secret show":
		return append(key, "format"), false
	case "otpdoctor code":
		return append(key, "format", "now"), false
	case "otpdoctor backup mark-used":
		return []string{"service", "profiles", "now"}, false
	case "otpdoctor status":
		return slices.Concat(report, tailor), false
	case "otpdoctor services":
		return []string{"format", "verbose", "profiles"}, false
	case "otpdoctor explain":
		return append(tailor, "format", "verbose", "no-color", "strict", "output"), false
	case "otpdoctor version":
		return []string{"format"}, false
	case "otpdoctor help":
		return nil, false
	}
	return nil, true
}

// formatsOf are the --format values the command at path takes (and the commands
// under it); listed false: a command that prints a report, in any of diag.Formats.
func formatsOf(path string) (formats []string, listed bool) {
	switch path {
	case "otpdoctor secret show", "otpdoctor code", "otpdoctor services", "otpdoctor version":
		return []string{diag.FormatText, diag.FormatJSON}, true
	case "otpdoctor backup mark-used", "otpdoctor completion":
		return []string{diag.FormatText}, true
	case "otpdoctor help":
		return diag.Formats, true // help is text; --format is not its business
	}
	return nil, false
}

// formatsFor are the --format values c takes.
func formatsFor(c *cobra.Command) []string {
	for ; c != nil; c = c.Parent() {
		if formats, ok := formatsOf(c.CommandPath()); ok {
			return formats
		}
	}
	return diag.Formats
}

// checkFormat refuses a --format that c cannot write, naming those it can.
func checkFormat(c *cobra.Command, format string) error {
	formats := formatsFor(c)
	if slices.Contains(diag.Formats, format) && !slices.Contains(formats, format) {
		return usagef("use --format "+strings.Join(formats, " or --format "), "%s writes %s, not %s", c.CommandPath(), listing(formats, "or"), format)
	}
	return checkOneOf("--format", format, formats)
}

// listing joins items as people list them: "a", "a or b", "a, b or c".
func listing(items []string, conjunction string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conjunction + " " + items[len(items)-1]
}

// globalsFor is the set of inherited flags c's help shows; --format says the formats
// c takes.
func globalsFor(c *cobra.Command) *pflag.FlagSet {
	names, all := globalsOf(c.CommandPath())
	shown := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	c.InheritedFlags().VisitAll(func(f *pflag.Flag) {
		if !all && !slices.Contains(names, f.Name) {
			return
		}
		if f.Name == "format" {
			own := *f
			own.Usage = "output `FORMAT`: " + listing(formatsFor(c), "or")
			f = &own
		}
		shown.AddFlag(f)
	})
	return shown
}

// writeHelp writes c's help laid out for width cells: its description reflowed,
// examples kept as commands (a long one continued with \ on the next line), and only
// the global flags that matter to c.
func writeHelp(w io.Writer, c *cobra.Command, width int) error {
	var lines []string
	add := func(more ...string) { lines = append(lines, more...) }
	section := func(title string) { add("", title+":") }

	text := c.Long
	if text == "" {
		text = c.Short
	}
	add(reflow(text, width)...)

	section("Usage")
	if c.Runnable() {
		add(layout.Hanging("  ", c.UseLine(), width)...)
	}
	if c.HasAvailableSubCommands() {
		add(layout.Hanging("  ", c.CommandPath()+" [command]", width)...)
	}
	if c.Example != "" {
		section("Examples")
		for _, ex := range strings.Split(c.Example, "\n") {
			add(shellWrap(ex, width)...)
		}
	}
	if c.HasAvailableSubCommands() {
		section("Commands")
		var names []string
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				names = append(names, sub.Name())
			}
		}
		pad := min(maxWidth(names)+2, width/3)
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				add(nameAndText("  "+sub.Name(), sub.Short, pad+2, width)...)
			}
		}
	}
	if flags := c.LocalFlags(); flags.HasAvailableFlags() {
		section("Flags")
		add(flagLines(flags, width)...)
	}
	if globals := globalsFor(c); globals.HasAvailableFlags() {
		section("Global flags")
		add(flagLines(globals, width)...)
	}
	if !c.HasParent() {
		section("Help topics")
		add(nameAndText("  otpdoctor help exit-codes", "what each exit status means", 30, width)...)
		add(nameAndText("  otpdoctor help environment", "the environment variables and files otpdoctor reads", 30, width)...)
		add(nameAndText("  otpdoctor help causes", "every cause otpdoctor names; 'otpdoctor help CAUSE' for one", 30, width)...)
	}
	if c.HasAvailableSubCommands() {
		add("")
		add(layout.Wrap(fmt.Sprintf("Run '%s COMMAND --help' for more about a command.", c.CommandPath()), width)...)
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// listItem splits an indented line of a description that is a list item ("  secret
// a 2FA key ...": indent, a word, two spaces or more) into its label and its text.
func listItem(line string) (label, text string, ok bool) {
	word := len(line) - len(strings.TrimLeft(line, " \t"))
	gap := strings.Index(line[word:], "  ")
	if word == 0 || gap <= 0 || strings.ContainsAny(line[word:word+gap], " \t") {
		return "", "", false
	}
	end := word + gap
	for end < len(line) && line[end] == ' ' {
		end++
	}
	return line[:end], line[end:], end < len(line)
}

// reflow lays a command's description out for width: lines of a paragraph join and
// wrap; indented lines (list items, commands) keep their own line, wrapping under
// their text.
func reflow(text string, width int) []string {
	var lines []string
	var para []string
	flush := func() {
		if len(para) > 0 {
			lines = append(lines, layout.Wrap(strings.Join(para, " "), width)...)
			para = nil
		}
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch trimmed := strings.TrimSpace(line); {
		case trimmed == "":
			flush()
			lines = append(lines, "")
		case line[0] == ' ' || line[0] == '\t':
			flush()
			if label, text, ok := listItem(line); ok {
				lines = append(lines, layout.Hanging(label, text, width)...)
			} else {
				lead := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
				lines = append(lines, layout.Hanging(lead, trimmed, width)...)
			}
		default:
			para = append(para, trimmed)
		}
	}
	flush()
	return lines
}

// shellWrap lays out one example command line for width: as it is when it fits;
// otherwise its comment on a line of its own above it, and the command continued
// with " \" at spaces outside quotes, so that it still pastes into a shell.
func shellWrap(line string, width int) []string {
	if layout.Width(line) <= width {
		return []string{line}
	}
	lead := line[:len(line)-len(strings.TrimLeft(line, " "))]
	words, comment := shellWords(strings.TrimSpace(line))
	var out []string
	if comment != "" {
		out = append(out, lead+comment)
		if command := lead + strings.Join(words, " "); layout.Width(command) <= width {
			return append(out, command)
		}
	}
	// Continuation lines are indented 4 more, or less where a word needs the room.
	room := width - layout.Width(lead) - len(" \\")
	current := ""
	for _, word := range flagsWithValues(words, room-4) {
		switch {
		case current == "":
			current = lead + word
		case layout.Width(current)+1+layout.Width(word) <= width-len(" \\"):
			current += " " + word
		default:
			out = append(out, current+" \\")
			current = lead + strings.Repeat(" ", max(0, min(4, room-layout.Width(word)))) + word
		}
	}
	return append(out, current)
}

// flagsWithValues joins each flag to the value after it ("--secret-file key.txt")
// where the two fit in room cells, so that a continued command breaks between flags.
func flagsWithValues(words []string, room int) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		if strings.HasPrefix(words[i], "-") && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") &&
			layout.Width(words[i])+1+layout.Width(words[i+1]) <= room {
			out = append(out, words[i]+" "+words[i+1])
			i++
			continue
		}
		out = append(out, words[i])
	}
	return out
}

// shellWords splits a shell line into its words, at the spaces outside quotes, and
// its comment ("# ..." after a space, outside quotes).
func shellWords(line string) (words []string, comment string) {
	quote, start := rune(0), 0
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && i > 0 && line[i-1] == ' ':
			return words, line[i:]
		case r == ' ':
			if i > start {
				words = append(words, line[start:i])
			}
			start = i + 1
		}
	}
	if start < len(line) {
		words = append(words, line[start:])
	}
	return words, ""
}

// nameAndText is a name with its description beside it from column pad, wrapped
// under itself; when the name is wider than pad, or the width leaves too little room
// beside it, the description goes under the name.
func nameAndText(name, text string, pad, width int) []string {
	const least = 24 // the narrowest a description column is worth
	if layout.Width(name) < pad && width-pad >= least {
		return layout.Hanging(layout.Pad(name, pad), text, width)
	}
	return append([]string{name}, layout.Hanging(strings.Repeat(" ", 8), text, width)...)
}

// flagLines lists flags for width: each flag's names, and its description beside them
// or, on narrow terminals and for long names, under them.
func flagLines(fs *pflag.FlagSet, width int) []string {
	type entry struct{ name, text string }
	var entries []entry
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "      --" + f.Name
		if f.Shorthand != "" {
			name = "  -" + f.Shorthand + ", --" + f.Name
		}
		value, usage := pflag.UnquoteUsage(f)
		if value != "" && f.Value.Type() != "count" {
			name += " " + value
		}
		if shownDefault(f) {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		entries = append(entries, entry{name, usage})
	})
	widest := 0
	for _, e := range entries {
		widest = max(widest, layout.Width(e.name))
	}
	pad := min(widest+3, 32)
	var lines []string
	for _, e := range entries {
		lines = append(lines, nameAndText(e.name, e.text, pad, width)...)
	}
	return lines
}

// shownDefault: a flag's default is worth saying (not an empty or zero value).
func shownDefault(f *pflag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "[]", "0s":
		return false
	}
	return f.Value.Type() != "count"
}

func maxWidth(items []string) int {
	widest := 0
	for _, s := range items {
		widest = max(widest, layout.Width(s))
	}
	return widest
}
