package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/phone"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/qrterm"
)

func init() { registerCommand("phone", newPhoneCmd) }

// phonePart is the phone check as `check --phone` and `phone` see it.
type phonePart struct {
	always  bool // the phone command: no --phone needed
	enabled bool // --phone
	listen  string
	wait    time.Duration
	invert  bool
}

func (p *phonePart) addFlags(fs *pflag.FlagSet) {
	if !p.always {
		fs.BoolVar(&p.enabled, "phone", false, "measure your phone's clock: open a one-time page on it from a QR code (same Wi-Fi, no key needed)")
	}
	fs.StringVar(&p.listen, "listen", "", "serve the phone's page on `IP:PORT` (default: this computer's Wi-Fi or LAN address, a free port)")
	durationFlag(fs, &p.wait, "wait", phone.DefaultWait, "how long to wait for the phone, as a `DURATION` such as 3m")
	fs.BoolVar(&p.invert, "invert", false, "draw the QR code for a terminal with a light background")
}

func (p *phonePart) build(a *app) (diag.Check, error) {
	if !p.always && !p.enabled {
		return diag.Skipped{CheckID: diag.CheckPhone, CheckTitle: phone.Title,
			Reason: "give --phone to measure your phone's clock with its browser (no key needed)"}, nil
	}
	return a.startPhone(p.listen, p.wait, p.invert)
}

// startPhone starts the phone's one-time page on listen ("" = this computer's LAN
// address) and prints how to open it (a line, the QR code, the address) on stderr. The
// check it returns waits up to wait for the phone, judges its clock against the run's
// true time and sends the phone its verdict: run it with the clock check (diag.Run),
// which gives true time. `check --phone` and `phone` start it here, as can any command
// that wants the phone measured (the guided mode).
func (a *app) startPhone(listen string, wait time.Duration, invert bool) (diag.Check, error) {
	if a.opts.offline {
		return nil, usagef("drop --offline: the phone reaches this computer over Wi-Fi, and its clock is measured against time servers",
			"--offline cannot measure the phone")
	}
	srv, err := phone.Start(phone.Options{Listen: listen, Wait: wait, Now: a.now})
	if err != nil {
		return nil, usagef("give --listen an address of this computer that the phone can reach, such as 192.168.1.20:8123", "%v", err)
	}
	window, _ := a.qrWindow(invert)
	if a.io.ErrTTY && a.io.ErrSize != nil {
		if cols, rows, ok := a.io.ErrSize(); ok {
			// The invitation's three lines of text stay on screen with the code.
			window.Cols, window.Rows = cols, rows-invitationLines
		}
	}
	if err := writePhoneInvite(a.io.Err, srv, wait, window); err != nil {
		srv.Close()
		return nil, err
	}
	return &announcedPhone{Check: phone.NewCheck(srv), srv: srv, w: a.io.Err}, nil
}

// invitationLines are the lines of text writePhoneInvite prints around the QR code.
const invitationLines = 3

// writePhoneInvite tells the user how to open the page: a line, the QR code drawn for
// window, the address to type. When the window is too small for the code, it says how
// big it must be and leaves the address to type.
func writePhoneInvite(w io.Writer, srv *phone.Server, wait time.Duration, window qrterm.Window) error {
	intro, qr := "Scan this with your phone's camera (same Wi-Fi), or type the address:", ""
	lines, err := qrterm.Draw(srv.QRText(), window)
	var small *qrterm.TooSmallError
	switch {
	case errors.As(err, &small):
		intro = fmt.Sprintf("Type this address in your phone's browser (same Wi-Fi); for a QR code to scan instead, make the window at least %d columns and %d rows:",
			small.NeedCols, small.NeedRows+invitationLines)
	case err != nil:
		return err
	default:
		qr = strings.Join(lines, "\n") + "\n"
	}
	_, err = fmt.Fprintf(w, "%s\n%s  %s\nWaiting up to %s for your phone (Ctrl-C to stop)…\n",
		intro, qr, srv.URL(), diag.HumanDuration(wait))
	return err
}

// announcedPhone is the phone check, saying on the terminal when the phone opens the
// page (the measuring itself takes a moment).
type announcedPhone struct {
	*phone.Check
	srv *phone.Server
	w   io.Writer
}

func (c *announcedPhone) Run(ctx context.Context, env *diag.Env) diag.Result {
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-c.srv.Opened():
			fmt.Fprintln(c.w, "Your phone opened the page: measuring its clock…")
		case <-stop:
		}
	}()
	r := c.Check.Run(ctx, env)
	close(stop)
	<-stopped
	return r
}

func newPhoneCmd(a *app) *cobra.Command {
	parts := []part{&clockPart{}, &phonePart{always: true}}
	cmd := &cobra.Command{
		Use:   "phone",
		Short: "Measure your phone's clock, time zone and system from its browser (no key needed)",
		Long: `Measure the clock of the phone that holds your authenticator, with no key needed.

otpdoctor serves a one-time page on this computer's Wi-Fi address and prints its
address and a QR code. Scan it with the phone's camera (the phone on the same
Wi-Fi) or type the address in its browser. The page exchanges a few timed messages
with otpdoctor, the way NTP does, to measure the phone's clock against true time
(from time servers, as otpdoctor clock measures it). It also reads the phone's time
zone, system and browser. The phone's screen shows the verdict and the steps for
that phone; this terminal shows the same as the phone check.

The page answers only at its random address, only to one phone, and closes after
it (or after --wait, or Ctrl-C). It stores nothing and never sees your keys.

When the phone cannot open the page: it may be on mobile data or a guest Wi-Fi
that keeps devices apart, or this computer's firewall blocks it; the report says
what to try, and how to compare the clocks by hand instead.

How it measures, what it can and cannot tell, and its protections: docs/phone.md.`,
		Example: `  otpdoctor phone
  otpdoctor phone --listen 192.168.1.20:8123 --wait 5m
  otpdoctor check --phone --service binance      # with every other check`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			a.opts.verbose = max(a.opts.verbose, 1) // the phone command is the detailed view
			return a.runParts(c.Context(), "phone", parts)
		},
	}
	for _, p := range parts {
		p.addFlags(cmd.Flags())
	}
	return cmd
}
