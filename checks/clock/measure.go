package clock

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// measurement is what the references said.
type measurement struct {
	// ntp and dates are every source asked, in the order configured; dates is empty
	// when the HTTPS fallback was not needed.
	ntp, dates []source
	// reference is the protocol the estimate comes from, diag.ReferenceNone without one.
	reference string
	selection Selection
}

func (m measurement) sources() []source { return append(append([]source(nil), m.ntp...), m.dates...) }

// fallbackDelay is how long NTP has alone before the HTTPS fallback starts beside it:
// long enough for NTP's usual answer, short enough to leave the fallback most of the
// timeout to refine in.
func fallbackDelay(timeout time.Duration) time.Duration { return min(timeout/4, 500*time.Millisecond) }

// graceAfterMajority is how long to wait for the last NTP servers once most have
// answered: a slow server is worth a couple of round trips, not the whole timeout.
func graceAfterMajority(slowestRTT time.Duration) time.Duration {
	return 2*slowestRTT + 100*time.Millisecond
}

// measure asks the NTP servers concurrently and, when none of them has answered after
// fallbackDelay (or all have failed), the HTTPS sites too; it all ends within one
// env.Timeout. It publishes the estimate as soon as it has one.
func (c *Check) measure(ctx context.Context, env *diag.Env) measurement {
	ctx, cancel := context.WithTimeout(ctx, env.Timeout)
	defer cancel()
	m := measurement{reference: diag.ReferenceNone, ntp: make([]source, len(c.cfg.NTPServers))}

	type answer struct {
		index int
		src   source
	}
	answers := make(chan answer, len(c.cfg.NTPServers))
	lookingUp := make([]atomic.Bool, len(c.cfg.NTPServers))
	for i, server := range c.cfg.NTPServers {
		m.ntp[i] = source{Server: server, Protocol: diag.ReferenceNTP, Err: "timeout"}
		go func() {
			answers <- answer{i, queryNTP(ctx, c.cfg.Query, c.cfg.Resolver, server, env.Now, &lookingUp[i])}
		}()
	}
	var dates chan []source // nil until the fallback starts
	startFallback := func() {
		if dates == nil {
			dates = make(chan []source, 1)
			go func() { dates <- c.queryDates(ctx, env.Now) }()
		}
	}
	fallback := time.NewTimer(fallbackDelay(env.Timeout))
	defer fallback.Stop()
	var grace <-chan time.Time
	var slowest, graceTime time.Duration
collect:
	for pending := len(m.ntp); pending > 0; {
		select {
		case a := <-answers:
			m.ntp[a.index] = a.src
			pending--
			slowest = max(slowest, a.src.RTT)
			if grace == nil && 2*countUsable(m.ntp) > len(m.ntp) {
				graceTime = graceAfterMajority(slowest)
				grace = time.After(graceTime)
			}
		case <-fallback.C:
			if countUsable(m.ntp) == 0 {
				startFallback()
			}
		case <-grace:
			break collect
		case <-ctx.Done():
			break collect
		}
	}
	silence := silenceDetail(env.Timeout, graceTime, slices.ContainsFunc(m.ntp, func(s source) bool { return s.answered }))
	for i, s := range m.ntp {
		switch {
		case s.answered || s.Err != "timeout" || s.Detail != "":
		case lookingUp[i].Load(): // the DNS server was silent, not the time server
			m.ntp[i].Err, m.ntp[i].Detail = unansweredLookup(s.Server, env.Timeout)
		default:
			m.ntp[i].Detail = silence
		}
	}
	if sel, ok := selectSources(m.ntp); ok {
		m.reference, m.selection = diag.ReferenceNTP, sel
		env.TrueTime.Publish(m.published())
		return m
	}
	startFallback()
	m.dates = <-dates // queryDates returns soon after ctx ends
	if sel, ok := selectSources(m.dates); ok {
		m.reference, m.selection = diag.ReferenceHTTPSDate, sel
	}
	env.TrueTime.Publish(m.published())
	return m
}

// published is the reference the other checks measure against: none when no source
// answered, or when the sources are in dispute, so that no check takes a time that may
// be a liar's (or the median of two) for true time.
func (m measurement) published() diag.Reference {
	if m.reference == diag.ReferenceNone || m.selection.Disputed() {
		return diag.Reference{Source: diag.ReferenceNone, Disputed: m.selection.Disputed()}
	}
	return diag.Reference{Source: m.reference, Offset: m.selection.Offset, Uncertainty: m.selection.Uncertainty}
}

// silenceDetail says why an NTP server did not answer in time: when most servers had
// answered, it was cut short after grace; when others answered, the fault is its own;
// when none did, the network likely blocks NTP.
func silenceDetail(timeout, grace time.Duration, othersAnswered bool) string {
	switch {
	case grace > 0:
		return fmt.Sprintf("no answer within %s after most servers had answered: slow or overloaded", diag.HumanDuration(grace))
	case othersAnswered:
		return fmt.Sprintf("no answer within %s, though other time servers answered: this one is down, overloaded or unreachable", diag.HumanDuration(timeout))
	}
	return fmt.Sprintf("no answer within %s: UDP port 123 may be blocked", diag.HumanDuration(timeout))
}

// queryDates asks every time URL concurrently.
func (c *Check) queryDates(ctx context.Context, now func() time.Time) []source {
	out := make([]source, len(c.cfg.TimeURLs))
	done := make(chan struct{})
	for i, target := range c.cfg.TimeURLs {
		go func() {
			out[i] = queryDate(ctx, c.cfg.HTTPClient, target, now)
			done <- struct{}{}
		}()
	}
	for range c.cfg.TimeURLs {
		<-done
	}
	return out
}

func countUsable(sources []source) int {
	n := 0
	for _, s := range sources {
		if s.usable() {
			n++
		}
	}
	return n
}

// selectSources combines the usable sources and marks the falsetickers among them;
// ok is false when none is usable.
func selectSources(sources []source) (Selection, bool) {
	var intervals []Interval
	var indexes []int
	for i, s := range sources {
		if s.usable() {
			intervals = append(intervals, s.Interval)
			indexes = append(indexes, i)
		}
	}
	if len(intervals) == 0 {
		return Selection{}, false
	}
	sel := Select(intervals)
	for j, i := range indexes {
		if !sel.Truechimers[j] {
			sources[i].Err = "falseticker"
			sources[i].Detail = fmt.Sprintf("it disagrees with the %d sources that agree: it says %s, they say %s %s",
				sel.Agree, signedSeconds(sources[i].Offset), signedSeconds(sel.Offset), plusMinus(sel.Uncertainty))
		}
	}
	return sel, true
}

// signedSeconds writes an offset as +1.234 s.
func signedSeconds(d time.Duration) string { return fmt.Sprintf("%+.3f s", d.Seconds()) }
