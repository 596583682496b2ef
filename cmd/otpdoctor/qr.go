package main

import (
	"strings"

	"github.com/otpdoctor/otpdoctor/internal/qrterm"
)

// terminalQR draws text as a QR code for a terminal whose size is not checked,
// with qrterm, the one QR renderer; invert draws it for a light background.
func terminalQR(text string, invert bool) (string, error) {
	lines, err := qrterm.Draw(text, qrterm.Window{Light: invert})
	if err != nil {
		return "", err
	}
	return strings.Join(lines, "\n") + "\n", nil
}
