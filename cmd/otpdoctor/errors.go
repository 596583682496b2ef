package main

import (
	"errors"
	"fmt"
	"io"

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
func reportError(w io.Writer, err error) int {
	var status exitStatus
	if errors.As(err, &status) {
		return int(status)
	}
	fmt.Fprintf(w, "otpdoctor: %v\n", err)
	var usage *usageError
	if errors.As(err, &usage) && usage.hint != "" {
		fmt.Fprintf(w, "hint: %s\n", usage.hint)
	} else if !errors.As(err, &usage) {
		fmt.Fprintln(w, "hint: run 'otpdoctor --help' to see the commands and flags")
	}
	return exitUsage
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
