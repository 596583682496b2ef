package status

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/lazyre"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// judge reads a status answer by its kind; auto recognises the kind from its shape.
func (r *run) judge(ctx context.Context, kind string, client *http.Client, ex exchange) {
	host := ex.url.Host
	if kind == KindAuto {
		kind = Recognise(ex.body)
		if kind == "" && looksLikeJSON(ex.body) && !json.Valid(ex.body) {
			r.find(malformed(host, decodeJSON(ex.body, new(any))))
			return
		}
		if kind == "" && isHomePage(ex) {
			// A status page's home page: Statuspage serves its summary next to it.
			if summary := fetch(ctx, client, r.env.Now, endpointURL(ex.url, KindStatuspage)); summary.err == nil && summary.status == http.StatusOK && Recognise(summary.body) == KindStatuspage {
				r.record(summary)
				r.facts.URL = web.RedactURL(summary.url)
				kind, ex = KindStatuspage, summary
			}
		}
		if kind == "" {
			kind = KindHTTP
		}
	}
	r.facts.Kind = kind
	switch kind {
	case KindStatuspage:
		judgeWith(r, ex, ParseStatuspage, r.judgeStatuspage)
	case KindBinance:
		if judgeWith(r, ex, ParseBinanceStatus, r.judgeBinance) {
			r.ping(ctx, client, ex)
		}
	case KindKraken:
		judgeWith(r, ex, ParseKrakenStatus, r.judgeKraken)
	default:
		r.facts.Indicator = IndicatorNone
		r.ok("%s answers (HTTP %d in %.0f ms); it publishes no status otpdoctor reads, so only reachability was checked.", host, ex.status, ex.timings.Total)
	}
}

// judgeWith parses the answer and judges it, or finds it malformed; false when it was.
func judgeWith[T any](r *run, ex exchange, parse func([]byte) (T, error), judge func(T)) bool {
	v, err := parse(ex.body)
	if err != nil {
		r.find(malformed(ex.url.Host, err))
		return false
	}
	judge(v)
	return true
}

func looksLikeJSON(body []byte) bool {
	trimmed := bytes.TrimSpace(body)
	return len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
}

func isHomePage(ex exchange) bool {
	return (ex.url.Path == "" || ex.url.Path == "/") && ex.status == http.StatusOK
}

// relevantName matches the status page components and incidents that can stop a
// person signing in with a code: login, 2FA, authentication, accounts, the API.
var relevantName = lazyre.New(`(?i)\b(log ?-?in|sign ?-?(in|on)|sso|auth\w*|2fa|two[- ]factor|mfa|multi[- ]factor|otp|one[- ]time|api|accounts?|identity|verification|security)\b`)

// Statuspage component statuses and incident states.
const (
	componentOperational = "operational"
	componentMajorOutage = "major_outage"
)

// affected sorts what a status page says is wrong by how much it matters here.
type affected struct {
	fail, warn, notable []string
}

// add files line: under fail when it concerns signing in and is severe, under warn
// when it only concerns signing in, else under notable.
func (a *affected) add(line string, relevant, severe bool) {
	switch {
	case relevant && severe:
		a.fail = append(a.fail, line)
	case relevant:
		a.warn = append(a.warn, line)
	default:
		a.notable = append(a.notable, line)
	}
}

// judgeStatuspage judges a Statuspage summary. Every word of it is the page's, not
// ours: names and descriptions are quoted (pageSays), and its links (incidents'
// notices) stay in the facts, never in a fix step: a page could put any link there,
// and the steps' links come only from the service's profile (statusLinks).
func (r *run) judgeStatuspage(s Summary) {
	var a affected
	for _, comp := range s.Components {
		relevant := relevantName.Get().MatchString(comp.Name)
		if !relevant && comp.Status == componentOperational {
			continue
		}
		r.facts.Components = append(r.facts.Components, diag.ComponentFact{Name: web.Clip(comp.Name), Status: web.Clip(comp.Status), Relevant: relevant})
		if comp.Status != componentOperational {
			a.add(fmt.Sprintf("component %s (%s)", pageSays(comp.Name), state(comp.Status)), relevant, comp.Status == componentMajorOutage)
		}
	}
	for _, inc := range s.Incidents {
		if inc.Status == "resolved" || inc.Status == "postmortem" {
			continue
		}
		relevant := mentionsRelevant(inc)
		r.facts.Incidents = append(r.facts.Incidents, incidentFact(inc, relevant, true))
		a.add(fmt.Sprintf("incident %s (%s, %s impact)", pageSays(inc.Name), state(inc.Status), state(inc.Impact)), relevant,
			inc.Impact == IndicatorMajor || inc.Impact == IndicatorCritical)
	}
	maintenance := false
	for _, m := range s.ScheduledMaintenances {
		if m.Status == "completed" {
			continue
		}
		active := m.Status == "in_progress" || m.Status == "verifying"
		relevant := mentionsRelevant(m)
		r.facts.Maintenances = append(r.facts.Maintenances, incidentFact(m, relevant, active))
		if !active {
			r.detail("scheduled maintenance %s (%s)", pageSays(m.Name), state(m.Status))
			continue
		}
		maintenance = true
		a.add(fmt.Sprintf("maintenance %s (%s)", pageSays(m.Name), state(m.Status)), relevant, false)
	}

	indicator := s.Status.Indicator
	if indicator == IndicatorNone && maintenance {
		indicator = IndicatorMaintenance
	}
	r.facts.Indicator, r.facts.Description = indicator, web.Clip(s.Status.Description)
	headline := fmt.Sprintf("%s's status page says: %s", r.name, pageSays(s.Status.Description))
	if s.Status.Description == "" {
		headline = fmt.Sprintf("%s's status page reports %s", r.name, indicator)
	}
	// A critical or major outage of the whole service counts even when no component
	// says it concerns signing in.
	switch {
	case len(a.fail) > 0 || indicator == IndicatorCritical:
		r.outage(diag.SeverityFail, headline, slices.Concat(a.fail, a.warn, a.notable))
	case len(a.warn) > 0 || indicator == IndicatorMajor:
		r.outage(diag.SeverityWarn, headline, slices.Concat(a.warn, a.notable))
	case indicator != IndicatorNone || len(a.notable) > 0:
		r.outage(diag.SeverityInfo, headline+", but nothing to do with signing in is affected", a.notable)
	default:
		r.ok("%s.", headline)
	}
}

func mentionsRelevant(inc Incident) bool {
	if relevantName.Get().MatchString(inc.Name) {
		return true
	}
	for _, comp := range inc.Components {
		if relevantName.Get().MatchString(comp.Name) {
			return true
		}
	}
	return false
}

// outage finds service-outage: headline, then what is affected. Its steps are the
// catalog's and the profile's links (find adds them), never the status page's.
func (r *run) outage(severity diag.Severity, headline string, affected []string) {
	msg := headline + "."
	if len(affected) > 0 {
		msg = headline + ": " + strings.Join(affected, "; ") + "."
	}
	r.find(failure{cause: diag.CauseServiceOutage, severity: severity, message: msg})
}

// incidentFact is an incident or maintenance as the facts keep it: its words clipped,
// its notice's link only when it is a plain web address.
func incidentFact(inc Incident, relevant, active bool) diag.IncidentFact {
	f := diag.IncidentFact{Name: web.Clip(inc.Name), Status: web.Clip(inc.Status), Impact: web.Clip(inc.Impact), Relevant: relevant, Active: active}
	if u, err := url.Parse(inc.Shortlink); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(inc.Shortlink) <= maxLink {
		f.URL = u.String()
	}
	return f
}

// maxLink is the longest notice link the facts keep; a status page's shortlinks are
// a few dozen characters.
const maxLink = 300

// pageSays is text from a status page as a report shows it: in quotes and escaped
// (control, bidi and zero-width characters written out, as %q does), and clipped, so
// that it reads as the page's words, never as otpdoctor's.
func pageSays(s string) string { return fmt.Sprintf("%q", web.Clip(s)) }

// plainState matches the snake_case states status APIs use.
var plainState = lazyre.New(`^[a-z][a-z_]{0,40}$`)

// state is a status page's state in words ("major_outage" → "major outage"); a state
// that is not a plain word is quoted as the page's own.
func state(s string) string {
	if plainState.Get().MatchString(s) {
		return words(s)
	}
	return pageSays(s)
}

func (r *run) judgeBinance(st BinanceStatus) {
	r.facts.Description = web.Clip(st.Msg)
	if st.Status == 1 {
		r.facts.Indicator = IndicatorMaintenance
		r.outage(diag.SeverityFail, fmt.Sprintf("%s is in system maintenance (it says %s): signing in and trading may not work until it ends", r.name, pageSays(st.Msg)), nil)
		return
	}
	r.facts.Indicator = IndicatorNone
	r.ok("%s reports normal operation.", r.name)
}

// ping asks Binance's /api/v3/ping on the status API's host: the API people's apps use.
func (r *run) ping(ctx context.Context, client *http.Client, status exchange) {
	ex := fetch(ctx, client, r.env.Now, binancePingURL(status.url))
	r.detail("%s", describeExchange(ex))
	if ex.status == 0 {
		r.find(classifyError(ex.err, ex.url.Host))
	} else if f := classifyHTTP(ex, KindBinance, r.env.Now()); f != nil {
		r.find(*f)
	} else {
		total := ex.timings.Total
		r.facts.PingMS = &total
	}
}

func (r *run) judgeKraken(st KrakenStatus) {
	r.facts.Description = st.Status
	switch st.Status {
	case KrakenOnline:
		r.facts.Indicator = IndicatorNone
		r.ok("%s reports it is online.", r.name)
	case KrakenMaintenance:
		r.facts.Indicator = IndicatorMaintenance
		r.outage(diag.SeverityFail, fmt.Sprintf("%s is in maintenance: signing in and trading may not work until it ends", r.name), nil)
	default:
		r.facts.Indicator = IndicatorMinor
		r.outage(diag.SeverityInfo, fmt.Sprintf("%s restricts trading (%s), but signing in is not affected", r.name, state(st.Status)), nil)
	}
}

// words turns an API's snake_case state into words: "major_outage" → "major outage".
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// readClock reads the service's clock, from its time API or else the status answer's
// Date header, and judges this machine's clock against it.
func (r *run) readClock(ctx context.Context, status exchange, timeEx *exchange) {
	if timeEx != nil {
		st, err := r.timeAPIReading(*timeEx)
		if err == nil {
			r.clock(ctx, offsetOf(timeEx.wrote, timeEx.answered, st))
			return
		}
		r.detail("the time API %s gave no time: %s", web.RedactURL(timeEx.url), web.RedactError(err))
	}
	if status.status == 0 {
		return
	}
	st, err := dateHeader(status.header)
	if err != nil {
		r.detail("%s gave no usable time: %v", status.url.Host, err)
		return
	}
	r.clock(ctx, offsetOf(status.wrote, status.answered, st))
}

func (r *run) timeAPIReading(ex exchange) (ServerTime, error) {
	switch {
	case ex.status == 0:
		return ServerTime{}, ex.err
	case ex.status != http.StatusOK:
		return ServerTime{}, fmt.Errorf("HTTP %d %s", ex.status, http.StatusText(ex.status))
	case ex.err != nil:
		return ServerTime{}, ex.err
	}
	return ParseServerTime(r.c.TimeAPI.Kind, ex.body)
}

// How far this machine's clock may be from the service's before it is a finding: codes
// are 30-second steps, and most services accept one step either side.
const (
	clockWarn = 10 * time.Second
	clockFail = 30 * time.Second
)

func (r *run) setOffset(off Offset) {
	r.offset = &off
	est := seconds(off.Estimate)
	r.facts.ServerOffsetSeconds = &est
	r.facts.ServerOffsetBoundsSeconds = &[2]float64{seconds(off.Min), seconds(off.Max)}
	r.facts.ServerTimeSource = off.Source
}

// clock records off and judges it: a large offset is evidence that this machine's clock
// is wrong, unless the run's reference time shows the service's clock is the wrong one.
func (r *run) clock(ctx context.Context, off Offset) {
	r.setOffset(off)
	r.detail("%s's clock (%s) says this computer is %s it (between %+.3f s and %+.3f s).", r.name, off.Source, describeOffset(off.Estimate), off.Min.Seconds(), off.Max.Seconds())
	least := leastMagnitude(off)
	if least < clockWarn {
		return
	}
	ref := r.env.TrueTime.Wait(ctx)
	if ref.Known() {
		serviceError := ref.Offset - off.Estimate // the service's clock minus true time
		tolerance := clockWarn + ref.Uncertainty + (off.Max-off.Min)/2
		if serviceError.Abs() > tolerance {
			e := seconds(serviceError)
			r.facts.ServiceClockErrorSeconds = &e
			r.find(failure{cause: diag.CauseServiceOutage, severity: diag.SeverityWarn,
				message: fmt.Sprintf("%s's own clock is %s true time (by %s): it may refuse correct codes until it is fixed. This computer's clock is not the problem.", r.name, describeOffset(serviceError), referenceName(ref.Source)),
				steps:   []string{fmt.Sprintf("Tell %s's support that their clock is %s true time, and try again later.", r.name, describeOffset(serviceError))}})
			return
		}
	}
	severity := diag.SeverityWarn
	message := fmt.Sprintf("%s's clock says this computer's clock is %s it: codes made or checked on this computer are off by that much.", r.name, describeOffset(off.Estimate))
	steps := []string{fmt.Sprintf("Set this computer's clock right (it is %s %s's clock), then run otpdoctor again.", describeOffset(off.Estimate), r.name)}
	switch {
	case off.Source == SourceDateHeader && !ref.Known():
		// One unauthenticated header is one server's word, which a proxy or a server
		// with a wrong clock also gives: unconfirmed by a time reference, it is a
		// warning to confirm, never a failure.
		message = fmt.Sprintf("%s's Date header says this computer's clock is %s it. That is one web server's word, which nothing checks: confirm it with time servers before changing the clock.", r.name, describeOffset(off.Estimate))
		steps = []string{"Check this computer's clock against several time servers first: otpdoctor clock. If they agree it is off, set it right with the steps below."}
	case least >= clockFail:
		severity = diag.SeverityFail
	}
	r.find(failure{cause: diag.CauseDeviceClock, severity: severity, message: message, steps: steps})
}

// leastMagnitude is the smallest the offset can be, given its bounds.
func leastMagnitude(off Offset) time.Duration {
	if off.Min <= 0 && off.Max >= 0 {
		return 0
	}
	return min(off.Min.Abs(), off.Max.Abs())
}
