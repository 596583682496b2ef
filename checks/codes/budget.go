package codes

import (
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
)

// The search's time: what each step costs under each algorithm, times a margin for a
// slow or busy machine, capped so that no request, however large, runs for minutes.
const (
	budgetMargin = 8           // a machine this many times slower or busier than the measurement
	maxSearch    = time.Minute // the most a search may take beyond the network budget
)

// stepCost is the CPU time of one search step (one code) under alg on one core,
// measured with BenchmarkValues2 on an AMD EPYC (2 cores, SHA-NI) and rounded up; the
// standard path stands for CPUs without SHA-NI.
func stepCost(alg secret.Algorithm) time.Duration {
	switch {
	case alg == secret.SHA512:
		return 400 * time.Nanosecond
	case alg == secret.SHA256 && haveSHANI:
		return 60 * time.Nanosecond
	case alg == secret.SHA256:
		return 150 * time.Nanosecond
	case haveSHANI:
		return 40 * time.Nanosecond
	}
	return 150 * time.Nanosecond
}

// Budget gives a wide or deep search the time its steps need under their algorithms on
// a slow, busy machine, up to maxSearch. A search that does not fit is cut short and
// its result says so (Unfinished).
func (c *Check) Budget(timeout time.Duration) time.Duration {
	return diag.AddDurations(diag.DefaultBudget(timeout), searchTime(c.searchWork()))
}

// work is how many steps a search takes under each algorithm.
type work map[secret.Algorithm]uint64

// searchTime is the time work takes with the margin, saturating at maxSearch: a step
// count near 2^64 neither overflows nor asks for centuries.
func searchTime(w work) time.Duration {
	var total float64 // nanoseconds; a float cannot overflow here
	for alg, steps := range w {
		total += float64(steps) * float64(stepCost(alg)) * budgetMargin
	}
	return time.Duration(min(total, float64(maxSearch)))
}

// searchWork is about how many steps the widest searches take: the key's own setting
// over the window (and --deep), or for HOTP every algorithm over the look-ahead.
func (c *Check) searchWork() work {
	k := c.Key.WithDefaults()
	if k.Type == secret.HOTP {
		return work{secret.SHA1: c.LookAhead, secret.SHA256: c.LookAhead, secret.SHA512: c.LookAhead}
	}
	steps := 2 * uint64(c.window()/time.Second) / uint64(k.Period)
	if c.Deep {
		steps += uint64(time.Now().AddDate(deepYearsAhead, 0, 0).Unix()) / uint64(k.Period)
	}
	return work{k.Algorithm: steps}
}
