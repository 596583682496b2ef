package main

import (
	"fmt"

	"github.com/skip2/go-qrcode"
)

// terminalQR draws text as a QR code in the terminal, two modules a character cell
// (half blocks), with its quiet zone. invert draws it for a light background. It is
// the one QR renderer: secret show and the phone page both draw with it.
func terminalQR(text string, invert bool) (string, error) {
	qr, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("drawing the QR code: %w", err)
	}
	return qr.ToSmallString(invert), nil
}
