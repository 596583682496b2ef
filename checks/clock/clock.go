// Package clock is otpdoctor's clock check: how far this machine's clock is from true
// time, measured against several NTP servers combined the way chrony selects sources,
// with the Date header of HTTPS sites as a fallback when NTP is blocked; what the OS
// itself says of its clock; and whether the error looks like a time zone set wrong.
//
// It publishes its estimate of true time (diag.TrueTime) as soon as it has one, for
// the checks that compare codes with true time.
package clock

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/beevik/ntp"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// step is the TOTP time step nearly every service uses.
const step = 30 * time.Second

// Config is where the check reaches out to; every field has a real default.
type Config struct {
	// NTPServers are HOST:PORT addresses (see ParseServer); nil means DefaultNTPServers.
	NTPServers []string
	// TimeURLs are the HTTPS fallback's sites; nil means DefaultTimeURLs.
	TimeURLs []string
	// Query asks an NTP server; nil means ntp.QueryWithOptions.
	Query QueryFunc
	// HTTPClient fetches Date headers; nil means a web.New client with a 5 s timeout.
	HTTPClient *http.Client
	// OSClock reads the OS's view of its clock; nil means ReadOSClock.
	OSClock OSClockFunc
	// Resolver looks up the NTP servers' names; nil means net.DefaultResolver.
	Resolver *net.Resolver
}

// Check is the clock check.
type Check struct{ cfg Config }

// New returns the clock check with cfg's defaults filled in.
func New(cfg Config) *Check {
	if cfg.NTPServers == nil {
		cfg.NTPServers = DefaultNTPServers
	}
	if cfg.TimeURLs == nil {
		cfg.TimeURLs = DefaultTimeURLs
	}
	if cfg.Query == nil {
		cfg.Query = ntp.QueryWithOptions
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = web.New(web.Options{Timeout: 5 * time.Second})
	}
	if cfg.OSClock == nil {
		cfg.OSClock = ReadOSClock
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	return &Check{cfg: cfg}
}

func (*Check) ID() string    { return diag.CheckClock }
func (*Check) Title() string { return "Clock" }

// Budget: the measurement takes at most one timeout, whatever fails; the rest is slack.
func (*Check) Budget(timeout time.Duration) time.Duration {
	return diag.AddDurations(timeout, time.Second)
}

// Run measures and judges the clock.
func (c *Check) Run(ctx context.Context, env *diag.Env) diag.Result {
	osView := make(chan OSClock, 1)
	go func() { osView <- c.cfg.OSClock(ctx) }()
	m := measurement{reference: diag.ReferenceNone}
	if env.Offline {
		env.TrueTime.Publish(diag.Reference{Source: diag.ReferenceNone})
	} else {
		m = c.measure(ctx, env)
	}
	var osc OSClock
	select {
	case osc = <-osView:
	case <-ctx.Done():
		osc.Notes = append(osc.Notes, "the OS's view of its clock was not read in time")
	}
	return judge(env, m, osc)
}
