// Package phone is otpdoctor's phone check: a one-time web page, served from this
// computer over the LAN, that the phone opens to have its own clock measured against
// true time, with no key needed. A browser's Date.now() is the phone's system clock,
// the one its authenticator uses; an NTP-style exchange over fetch() measures it,
// and the page also reports the phone's time zone, system and browser.
package phone

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// Check is the phone check over a started Server.
type Check struct{ srv *Server }

// NewCheck returns the check that waits for srv's phone and judges it.
func NewCheck(srv *Server) *Check { return &Check{srv: srv} }

func (*Check) ID() string    { return diag.CheckPhone }
func (*Check) Title() string { return Title }

// Title is the phone check's title in reports.
const Title = "Phone"

// Budget: the wait for the phone, then time to judge it against the clock check's
// reference.
func (c *Check) Budget(timeout time.Duration) time.Duration {
	return diag.AddDurations(c.srv.wait, diag.DefaultBudget(timeout))
}

// Run waits for the phone, judges its clock and sends the phone its verdict.
func (c *Check) Run(ctx context.Context, env *diag.Env) diag.Result {
	ex, err := c.srv.Wait(ctx)
	if err != nil {
		c.srv.Close()
		return notMeasured(err, c.srv.host)
	}
	ref := env.TrueTime.Wait(ctx)
	r, v := Judge(env, ex.Measurement, ref)
	ex.Reply(v)
	return r
}

// notMeasured explains a wait that ended without a measurement, and what to try.
func notMeasured(err error, host string) diag.Result {
	var none *NoPhoneError
	if !errors.As(err, &none) {
		return diag.Result{Status: diag.StatusError, Summary: "Not measured: stopped before the phone finished."}
	}
	r := diag.Result{Status: diag.StatusError}
	if none.Opened {
		r.Summary = fmt.Sprintf("Not measured: the page opened on a phone but did not finish within %s.", diag.HumanDuration(none.Wait))
		r.Details = []string{"Keep the page open and the screen on until it shows the result; run otpdoctor phone again to retry."}
		return r
	}
	r.Summary = fmt.Sprintf("Not measured: no phone opened the page within %s. Is the phone on the same Wi-Fi as this computer?", diag.HumanDuration(none.Wait))
	_, port, _ := net.SplitHostPort(host)
	r.Details = []string{
		"The phone may be on mobile data: turn Wi-Fi on and join the network this computer is on.",
		"A guest Wi-Fi, or one with \"client isolation\" or \"AP isolation\", keeps devices from reaching each other: use the main network, or a hotspot from the phone with this computer joined to it.",
		firewallHint(runtime.GOOS, port),
		"Or compare by hand: run otpdoctor clock --watch and hold the phone next to the screen, or run otpdoctor and answer its questions: it asks you to press Enter when your phone's minute changes.",
	}
	return r
}

// firewallHint says how to let the phone through this computer's firewall.
func firewallHint(goos, port string) string {
	switch goos {
	case "windows":
		return "Windows Defender Firewall may block the page: when Windows asks, allow otpdoctor on private networks, or allow it under Windows Security → Firewall & network protection → Allow an app through firewall."
	case "darwin":
		return "The macOS firewall may block the page: in System Settings → Network → Firewall → Options, allow incoming connections for otpdoctor."
	}
	return fmt.Sprintf("A firewall may block the page (port %s here, a new one each run): run otpdoctor phone --listen ADDRESS:8123 for a fixed port and allow it, with ufw: sudo ufw allow 8123/tcp; with firewalld: sudo firewall-cmd --add-port=8123/tcp. Remove the rule afterwards.", port)
}
