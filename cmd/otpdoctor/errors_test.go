package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A key typed where an argument or a flag's value goes is not echoed by the error that
// refuses it; plain words and paths are.
func TestErrorsHideKeys(t *testing.T) {
	const key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
	for _, args := range [][]string{
		{key},
		{strings.ToLower(key)},
		{"check", "--timeout", key},
		{"check", "--ntp-server", "otpauth://totp/GitHub:alice?secret=" + key},
	} {
		r := execCLI(t, nil, "", args...)
		if r.code != exitUsage || strings.Contains(strings.ToUpper(r.stdout+r.stderr), key) || !strings.Contains(r.stderr, "that looks like a 2FA key") {
			t.Errorf("%q: exit %d\n%s%s", args[len(args)-1], r.code, r.stdout, r.stderr)
		}
	}
	var out bytes.Buffer
	reportError(&out, errors.New(`unknown command "misconfiguration" in /tmp/TestQRImageWithoutCode14583552/001/SetupInstructionsForAlice.png`))
	if !strings.Contains(out.String(), "misconfiguration") || !strings.Contains(out.String(), "/tmp/TestQRImageWithoutCode14583552/001/SetupInstructionsForAlice.png") {
		t.Errorf("words and paths are hidden too:\n%s", out.String())
	}
}
