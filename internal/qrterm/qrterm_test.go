package qrterm_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/internal/layout"
	"github.com/otpdoctor/otpdoctor/internal/qrterm"
	"github.com/otpdoctor/otpdoctor/internal/qrterm/qrtermtest"
)

const uri = "otpauth://totp/GitHub:alice?issuer=GitHub&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func TestDrawScansOnLightAndDarkBackgrounds(t *testing.T) {
	for _, light := range []bool{true, false} {
		lines, err := qrterm.Draw(uri, qrterm.Window{Cols: 80, Rows: 22, Light: light})
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) > 22 || layout.Width(lines[0]) > 80 {
			t.Errorf("light %v: %d rows of %d cells, beyond 80 × 22", light, len(lines), layout.Width(lines[0]))
		}
		got, err := qrtermtest.Decode(lines, light)
		if err != nil || got != uri {
			t.Errorf("light %v: decoded %q, %v", light, got, err)
		}
		// Read with the wrong background, it is a negative, which must not decode as
		// anything else.
		if got, err := qrtermtest.Decode(lines, !light); err == nil && got != uri {
			t.Errorf("light %v, read inverted: %q", light, got)
		}
	}
}

func TestDrawSaysHowBigTheWindowMustBe(t *testing.T) {
	_, err := qrterm.Draw(uri, qrterm.Window{Cols: 80, Rows: 10})
	var small *qrterm.TooSmallError
	if !errors.As(err, &small) {
		t.Fatalf("got %v, want a TooSmallError", err)
	}
	if small.NeedRows <= 10 || small.NeedCols > 80 || !strings.Contains(err.Error(), "this one has 80 × 10") {
		t.Errorf("%+v: %v", small, err)
	}
	// The size it names is enough.
	if _, err := qrterm.Draw(uri, qrterm.Window{Cols: small.NeedCols, Rows: small.NeedRows}); err != nil {
		t.Errorf("at the size it asked for: %v", err)
	}
	// Unknown size (not a terminal): drawn whatever its size.
	if _, err := qrterm.Draw(strings.Repeat("x", 300), qrterm.Window{}); err != nil {
		t.Error(err)
	}
}
