package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/clock"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

func init() { registerCommand("clock", newClockCmd) }

// clockPart is the clock check as `check` and `clock` see it.
type clockPart struct {
	ntpServers []string
	timeURLs   []string
}

func (p *clockPart) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&p.ntpServers, "ntp-server", nil, "ask the NTP server at `HOST[:PORT]` (repeatable; replaces the defaults)")
	fs.StringArrayVar(&p.timeURLs, "time-url", nil, "when NTP is blocked, read the time from the Date header of the site at `URL` (repeatable; replaces the defaults)")
}

func (p *clockPart) build(a *app) (diag.Check, error) {
	// Not `return p.check(a)`: a nil *clock.Check would make a non-nil diag.Check.
	c, err := p.check(a)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// check is build with the concrete type, for the clock command's --watch.
func (p *clockPart) check(a *app) (*clock.Check, error) {
	cfg := clock.Config{HTTPClient: web.NewClient(a.opts.timeout, web.UserAgent(toolVersion()))}
	for _, s := range p.ntpServers {
		addr, err := clock.ParseServer(s)
		if err != nil {
			return nil, usagef("give a host name or IP address, with :PORT if not 123, such as time.cloudflare.com or [2606:4700:f1::1]:123",
				"--ntp-server %q: %v", s, err)
		}
		cfg.NTPServers = append(cfg.NTPServers, addr)
	}
	for _, raw := range p.timeURLs {
		if err := checkURLFlag("--time-url", raw, "https://www.example.com/"); err != nil {
			return nil, err
		}
		cfg.TimeURLs = append(cfg.TimeURLs, raw)
	}
	return clock.New(cfg), nil
}

func newClockCmd(a *app) *cobra.Command {
	p := &clockPart{}
	var watch bool
	cmd := &cobra.Command{
		Use:   "clock",
		Short: "Check this computer's clock against true time",
		Long: `Check this computer's clock against true time, in detail.

Two-factor codes are made from the current time: a clock a few seconds off makes
some codes fail, one a minute or more off makes them all fail. otpdoctor asks
several independent time servers (NTP) at once, sets aside any that disagree with
the rest, and compares this computer's clock with what they agree on. When no
majority agrees, it names each server and what it says, and leaves the clock
unjudged rather than trust one of them or their average. When NTP
(UDP port 123) is blocked it reads the time from the Date header of well-known
HTTPS sites instead, timing its requests to see below the header's whole seconds.
It also reports what the operating system says of its own clock, and the time zone:
an error of a whole number of hours (or half or quarter hours) means the zone is set
wrong and the clock was moved by hand to look right.

Under 3 s is fine; up to 15 s, services that accept only the current code refuse
some; more fails, unless the uncertainty leaves it in doubt.

The report ends with the true time and the seconds left in the current 30-second
step: hold your authenticator next to it and compare the countdowns. --watch keeps
that line running until Ctrl-C.`,
		Example: `  otpdoctor clock
  otpdoctor clock --watch
  otpdoctor clock --ntp-server ntp.example.org --ntp-server 192.0.2.10:123
  otpdoctor clock --time-url https://www.example.com/    # NTP blocked here
  otpdoctor clock --format json --timeout 2s`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if watch && !a.io.OutTTY {
				return usagef("run it in a terminal, or drop --watch to print the report once", "--watch needs a terminal: it redraws a line until Ctrl-C")
			}
			if watch && a.opts.format != diag.FormatText {
				return usagef("drop --format, or drop --watch", "--watch draws a live line, which --format %s cannot hold", a.opts.format)
			}
			check, err := p.check(a)
			if err != nil {
				return err
			}
			a.opts.verbose = max(a.opts.verbose, 1) // the clock command is the detailed view
			watched := &watchedClock{Check: check}
			err = a.runChecks(c.Context(), "clock", []diag.Check{watched})
			var exit exitStatus
			reported := err == nil || (errors.As(err, &exit) && exit != exitInterrupted)
			if watch && reported {
				watchTrueTime(c.Context(), &liveLine{w: a.io.Out, size: a.io.OutSize}, a.now, watched.reference())
			}
			return err
		},
	}
	p.addFlags(cmd.Flags())
	cmd.Flags().BoolVar(&watch, "watch", false, "after the report, keep a live line with the true time and the seconds left in the 30-second step, until Ctrl-C (needs a terminal)")
	return cmd
}

// watchedClock is the clock check, keeping the reference it published for --watch.
type watchedClock struct {
	*clock.Check
	mu  sync.Mutex
	ref diag.Reference
}

func (w *watchedClock) Run(ctx context.Context, env *diag.Env) diag.Result {
	r := w.Check.Run(ctx, env)
	ref := env.TrueTime.Wait(ctx)
	w.mu.Lock()
	w.ref = ref
	w.mu.Unlock()
	return r
}

func (w *watchedClock) reference() diag.Reference {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ref
}

// watchTrueTime redraws one line each second of true time until ctx ends: the seconds
// left in the current 30-second step, counted down the way authenticators do, first
// (a narrow window cuts the line's end), then the true time in UTC and local time.
func watchTrueTime(ctx context.Context, line *liveLine, now func() time.Time, ref diag.Reference) {
	note := ""
	if !ref.Known() {
		note = " (this computer's clock: no reference answered)"
	}
	fmt.Fprintln(line.w)
	for {
		t := ref.True(now())
		left := int(math.Ceil(clock.StepLeft(t).Seconds()))
		line.draw(fmt.Sprintf("%2d s left · true time %s%s", left, diag.ClockTimes(t, time.Local), note))
		select {
		case <-ctx.Done():
			fmt.Fprintln(line.w)
			return
		case <-time.After(time.Second - time.Duration(t.Nanosecond())):
		}
	}
}
