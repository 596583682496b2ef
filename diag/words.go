package diag

import (
	"fmt"
	"strings"
	"time"
)

// HumanDuration says a duration as people say it, to the precision that matters at its
// size: "0.004 s", "2.5 s", "45 s", "2 min 5 s", "5 h 30 min", "3.5 days", "4.1 years".
// The sign is dropped: callers say "ahead" or "behind".
func HumanDuration(d time.Duration) string {
	const day = 24 * time.Hour
	d = d.Abs()
	// Each unit is chosen after rounding to its precision, so 59.7 s reads "1 min",
	// not "60 s", and 3599.9996 s reads "1 h".
	seconds, minutes := d.Round(time.Second), d.Round(time.Minute)
	switch {
	case d < time.Second:
		return TrimmedDecimals(d.Seconds(), 3) + " s"
	case d < 10*time.Second:
		return TrimmedDecimals(d.Seconds(), 1) + " s"
	case seconds < time.Minute:
		return fmt.Sprintf("%d s", seconds/time.Second)
	case seconds < time.Hour:
		s := seconds / time.Second
		return withPart(int64(s/60), "min", int64(s%60), "s")
	case minutes < 2*day:
		m := minutes / time.Minute
		return withPart(int64(m/60), "h", int64(m%60), "min")
	case d < 2*365*day:
		return TrimmedDecimals(d.Hours()/24, 1) + " days"
	}
	return TrimmedDecimals(d.Hours()/24/365.25, 1) + " years"
}

// withPart is "2 min 5 s", or "2 min" when the second part is zero.
func withPart(a int64, aUnit string, b int64, bUnit string) string {
	if b == 0 {
		return fmt.Sprintf("%d %s", a, aUnit)
	}
	return fmt.Sprintf("%d %s %d %s", a, aUnit, b, bUnit)
}

// TrimmedDecimals formats v with at most digits decimals, without trailing zeros.
func TrimmedDecimals(v float64, digits int) string {
	text := fmt.Sprintf("%.*f", digits, v)
	if strings.Contains(text, ".") {
		text = strings.TrimRight(strings.TrimRight(text, "0"), ".")
	}
	return text
}

// Plural is one when n is 1, else many: "code" or "codes", "account has" or "accounts
// have". The caller writes the count, so irregular plurals ("it", "them") fit too.
func Plural[N ~int | ~int64](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ClockTimes is an instant as clocks show it, to the second: in UTC, and in zone
// beside it when that differs, as a phone shows local time: "09:30:12 UTC (10:30:12
// CET)".
func ClockTimes(t time.Time, zone *time.Location) string {
	utc := t.UTC().Format("15:04:05 MST")
	if zone == nil {
		return utc
	}
	local := t.In(zone)
	if _, offset := local.Zone(); offset == 0 {
		return utc
	}
	return utc + " (" + local.Format("15:04:05 MST") + ")"
}

// ApproxOffset says a clock offset known only to lie between lo and hi seconds
// (positive: ahead) with the precision that has, not to the second: "about 2 minutes
// ahead (between 1 min 57 s and 2 min 27 s)". A range under a second wide is said as
// its middle: "2 min 5 s ahead"; one that holds zero, as "within N of true time".
func ApproxOffset(lo, hi float64) string {
	lo, hi = min(lo, hi), max(lo, hi)
	if lo <= 0 && hi >= 0 {
		return "within " + HumanDuration(secondsOf(max(-lo, hi))) + " of true time"
	}
	dir := "ahead"
	if hi < 0 {
		dir, lo, hi = "behind", -hi, -lo
	}
	mid, spread := secondsOf((lo+hi)/2), secondsOf(hi-lo)
	if spread < time.Second {
		return HumanDuration(mid) + " " + dir
	}
	about := fmt.Sprintf("about %s %s", roughly(mid, secondsOf(lo), secondsOf(hi)), dir)
	if from, to := HumanDuration(secondsOf(lo)), HumanDuration(secondsOf(hi)); from != to {
		about += " (between " + from + " and " + to + ")"
	}
	return about
}

func secondsOf(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// roughSteps are the steps a rough duration is rounded to, coarsest first.
var roughSteps = []time.Duration{time.Hour, 30 * time.Minute, 15 * time.Minute, 10 * time.Minute, 5 * time.Minute,
	time.Minute, 30 * time.Second, 10 * time.Second, 5 * time.Second, time.Second}

// roughly is d rounded to the coarsest step that keeps it between lo and hi, in
// words: "30 seconds", "2 minutes", and from an hour as HumanDuration says it: "3 h",
// "2 h 30 min", "19.6 years".
func roughly(d, lo, hi time.Duration) string {
	for _, step := range roughSteps {
		if r := d.Round(step); r >= lo && r <= hi && r > 0 {
			d = r
			break
		}
	}
	switch {
	case d%time.Minute == 0 && d < time.Hour:
		return fmt.Sprintf("%d %s", d/time.Minute, Plural(d/time.Minute, "minute", "minutes"))
	case d < time.Minute:
		return fmt.Sprintf("%d %s", d/time.Second, Plural(d/time.Second, "second", "seconds"))
	}
	return HumanDuration(d)
}
