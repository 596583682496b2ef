package main

import (
	"io"
	"strings"
	"testing"
)

func TestProfilesFromTerminalRefused(t *testing.T) {
	a := &app{ctx: t.Context(), opts: globalOptions{profiles: "-"}, io: &streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, InTTY: true,
		Getenv: func(string) string { return "" }}}
	if err := a.resolveService(); err == nil || !strings.Contains(err.Error(), "--profiles - reads standard input, which is this terminal") {
		t.Errorf("err = %v", err)
	}
}
