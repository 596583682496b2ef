package diag

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Budgeted is implemented by checks that need a deadline other than the default, such
// as a deep code search. The runner asks it with the run's per-operation timeout.
type Budgeted interface {
	Budget(timeout time.Duration) time.Duration
}

// DefaultBudget is a check's deadline when it does not say: time for its network
// operations to run (concurrently) and for the clock reference it may wait for.
func DefaultBudget(timeout time.Duration) time.Duration {
	return AddDurations(timeout, timeout, time.Second)
}

// AddDurations is the sum of ds, saturating at the longest (or shortest) duration
// instead of wrapping around: a budget made from a huge timeout is "as long as can
// be", never "already over".
func AddDurations(ds ...time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		switch {
		case d > 0 && sum > math.MaxInt64-d:
			sum = math.MaxInt64
		case d < 0 && sum < math.MinInt64-d:
			sum = math.MinInt64
		default:
			sum += d
		}
	}
	return sum
}

// budgetOf is c's deadline under timeout.
func budgetOf(c Check, timeout time.Duration) time.Duration {
	if b, ok := c.(Budgeted); ok {
		return b.Budget(timeout)
	}
	return DefaultBudget(timeout)
}

// graceAfterDeadline is how long the runner waits for a check past its deadline (or
// past an interrupt) for it to return what it has, before giving up on it.
const graceAfterDeadline = 250 * time.Millisecond

// Run runs every check concurrently, each under its own deadline, and returns their
// results in the order given. A check that panics becomes an error result; one that
// overruns its deadline is abandoned with an error result; the others carry on. When
// ctx is cancelled (Ctrl-C) Run returns at once with what has finished, and interrupted
// is true.
func Run(ctx context.Context, env *Env, checks []Check) (results []Result, interrupted bool) {
	if env.TrueTime == nil {
		env.TrueTime = NewTrueTime()
	}
	if !hasCheck(checks, CheckClock) {
		env.TrueTime.Publish(Reference{Source: ReferenceNone})
	}

	type finished struct {
		index  int
		result Result
	}
	done := make(chan finished, len(checks))
	var longest time.Duration
	for i, c := range checks {
		budget := budgetOf(c, env.Timeout)
		longest = max(longest, budget)
		go func() {
			cctx, cancel := context.WithTimeout(ctx, budget)
			defer cancel()
			r := runOne(cctx, env, c)
			if c.ID() == CheckClock {
				// Whatever happened to the clock check, nobody waits for it any longer.
				env.TrueTime.Publish(Reference{Source: ReferenceNone})
			}
			done <- finished{i, r}
		}()
	}

	results = make([]Result, len(checks))
	have := make([]bool, len(checks))
	overrun := time.NewTimer(AddDurations(longest, graceAfterDeadline))
	defer overrun.Stop()
	var giveUp <-chan time.Time = overrun.C
	cancelled := ctx.Done()
	reason := "did not finish within its deadline"
collect:
	for pending := len(checks); pending > 0; {
		select {
		case f := <-done:
			results[f.index], have[f.index] = f.result, true
			pending--
		case <-cancelled:
			// Give the checks a moment to return their partial results.
			interrupted, reason = true, "was interrupted before it finished"
			cancelled, giveUp = nil, time.After(graceAfterDeadline)
		case <-giveUp:
			break collect
		}
	}
	// The last check can return, cut short by the interrupt, in the same instant the
	// interrupt arrives: select may then take its result first and never see the cancel.
	if ctx.Err() != nil {
		interrupted, reason = true, "was interrupted before it finished"
	}
	for i, c := range checks {
		if !have[i] {
			results[i] = Result{
				ID: c.ID(), Title: c.Title(), Status: StatusError,
				Summary: fmt.Sprintf("The %s check %s.", c.ID(), reason),
				Facts:   noFacts(c.ID()), Findings: []Finding{},
			}
		}
	}
	return results, interrupted
}

func hasCheck(checks []Check, id string) bool {
	for _, c := range checks {
		if c.ID() == id {
			return true
		}
	}
	return false
}
