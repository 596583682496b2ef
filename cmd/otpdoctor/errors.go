package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// Exit codes (DESIGN.md): scripts and CI rely on them.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError is a mistake in how otpdoctor was called, or input it cannot read: exit 2,
// one line saying what is wrong and a hint line saying what to do (after age).
type usageError struct {
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }

func usagef(hint, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// exitStatus ends a run that already reported what it had to say, with a status.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// reportError prints err the way otpdoctor prints errors and returns the exit code.
// An error may quote input (a path, a value, an account's name): each line is shown
// Visible and cut at maxErrorLine characters.
func reportError(w io.Writer, err error) int {
	var status exitStatus
	if errors.As(err, &status) {
		return int(status)
	}
	message, hidden := secret.HideKeys("otpdoctor: " + err.Error())
	for line := range strings.Lines(message) {
		fmt.Fprintln(w, shortLine(diag.Visible(strings.TrimSuffix(line, "\n"))))
	}
	var usage *usageError
	if hidden {
		fmt.Fprintln(w, "hint: "+keyNotUsed+"; "+keyHint)
	} else if errors.As(err, &usage) && usage.hint != "" {
		fmt.Fprintf(w, "hint: %s\n", shortLine(diag.Visible(usage.hint)))
	} else if !errors.As(err, &usage) {
		fmt.Fprintln(w, "hint: run 'otpdoctor --help' to see the commands and flags")
	}
	return exitUsage
}

// keyNotUsed and keyHint say what happened to a key typed in the wrong place, and
// how to give it instead.
const (
	keyNotUsed = "that looks like a 2FA key: it was not used or shown"
	keyHint    = "give it with --secret-file FILE or --ask-secret"
)

// takesSecret annotates a flag or a command whose values are secrets themselves (the
// key, codes, backup codes): they are read as such and never shown, and a key among
// codes is a finding of its own (backup-key-confusion), so refuseKeys lets them through.
const takesSecret = "otpdoctor-takes-secret"

// refuseKeys refuses a key typed where something else belongs, before anything uses
// it: a flag's value may go to DNS or a server (--ntp-server, --status-url), into a
// report (--tried) or a file name (--output), and an argument into an error.
func refuseKeys(c *cobra.Command, args []string) error {
	var refused error
	c.Flags().Visit(func(f *pflag.Flag) {
		if refused == nil && f.Annotations[takesSecret] == nil && slices.ContainsFunc(flagValues(f), secret.LooksLikeKey) {
			refused = usagef(keyHint, "--%s: %s", f.Name, keyNotUsed)
		}
	})
	if refused != nil || c.Annotations[takesSecret] != "" {
		return refused
	}
	for i, arg := range args {
		if secret.LooksLikeKey(arg) {
			return usagef(keyHint, "argument %d of '%s': %s", i+1, c.CommandPath(), keyNotUsed)
		}
	}
	return nil
}

// flagValues are the values f was given: each of a repeatable flag's.
func flagValues(f *pflag.Flag) []string {
	if list, ok := f.Value.(pflag.SliceValue); ok {
		return list.GetSlice()
	}
	return []string{f.Value.String()}
}

// markSecret annotates the flags names of fs as takesSecret.
func markSecret(fs *pflag.FlagSet, names ...string) {
	for _, name := range names {
		fs.SetAnnotation(name, takesSecret, []string{"true"})
	}
}

// maxErrorLine is the most characters an error line shows: enough for any message
// otpdoctor writes, and it keeps a huge quoted input from flooding the terminal.
const maxErrorLine = 400

// shortLine is line cut at maxErrorLine characters, saying how much was left out.
func shortLine(line string) string {
	runes := []rune(line)
	if len(runes) <= maxErrorLine {
		return line
	}
	return fmt.Sprintf("%s… (%d more characters)", string(runes[:maxErrorLine]), len(runes)-maxErrorLine)
}

// flagError is a flag the command line could not parse, as a usage error: what the
// flag takes, from its own help line, instead of pflag's `invalid argument "abc" for
// "--timeout" flag: time: invalid duration "abc"`.
func flagError(c *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	var outside *rangeError
	switch {
	case errors.As(err, &outside) && errors.As(err, &invalid):
		f := invalid.GetFlag()
		return usagef(flagHint(f), "%s", outside.message(f))
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return usagef(flagHint(f), "--%s %q is not %s", f.Name, invalid.GetValue(), valueKind(f))
	case errors.As(err, &missing):
		f := missing.GetFlag()
		return usagef(flagHint(f), "--%s needs a value", f.Name)
	}
	return usagef("run '"+c.CommandPath()+" --help' to see the flags", "%v", err)
}

// flagHint is f's help line as a hint: "give --timeout DURATION: time limit for ...".
func flagHint(f *pflag.Flag) string {
	name, usage := pflag.UnquoteUsage(f)
	if f.Value.Type() == "count" { // -v, -vv
		return fmt.Sprintf("give -%s up to %d times: %s", f.Shorthand, countRanges[f.Name].max, usage)
	}
	if name == "" { // a switch
		return fmt.Sprintf("give --%s alone: %s", f.Name, usage)
	}
	return fmt.Sprintf("give --%s %s: %s", f.Name, name, usage)
}

// valueKind says what a flag's value must be, in words.
func valueKind(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "duration":
		return "a duration"
	case "int", "int64", "uint", "uint64":
		return "a whole number"
	case "bool":
		return "true or false"
	}
	return "a value it takes"
}

// checkURLFlag is web.ParseURL's judgement of a URL flag, as a usage error.
func checkURLFlag(flag, raw, example string) error {
	if _, err := web.ParseURL(raw); err != nil {
		hint := "give a full address such as " + example
		if errors.Is(err, web.ErrInsecureURL) {
			hint = "use https://, or run your test server on 127.0.0.1"
		}
		return usagef(hint, "%s: %v", flag, err)
	}
	return nil
}

// checkOneOf refuses a flag value outside allowed, listing what it takes.
func checkOneOf(flag, value string, allowed []string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	return usagef("use one of: "+strings.Join(allowed, ", "), "unknown %s %q", flag, value)
}
