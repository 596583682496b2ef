package clock

import (
	"cmp"
	"slices"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// Interval is one source's answer: this machine's clock offset is within Radius of Offset.
type Interval struct {
	Offset, Radius time.Duration
}

func (i Interval) lo() time.Duration { return i.Offset - i.Radius }
func (i Interval) hi() time.Duration { return i.Offset + i.Radius }

// Selection is what the sources, taken together, say of the offset.
type Selection struct {
	// Offset is the estimate and Uncertainty its half-width: the true offset lies within
	// Offset ± Uncertainty if the sources that agree are right.
	Offset, Uncertainty time.Duration
	// Truechimers marks, for each interval given, whether it agrees with the majority.
	// With no majority every source counts as one.
	Truechimers []bool
	// Agree is how many intervals share the region the estimate comes from.
	Agree int
	// Majority is whether more than half the intervals agree.
	Majority bool
	// Spread is how far apart the offsets of the truechimers are.
	Spread time.Duration
	// Disagreement is, with no majority, how far apart the furthest two offsets are
	// (0 when a majority agrees).
	Disagreement time.Duration
}

// Disputed reports whether the sources disagree with no majority by as much as codes
// tolerate (diag.ClockOK): then which of them is right decides the verdict, and nothing
// here can tell. A smaller disagreement is covered by the estimate's uncertainty.
func (s Selection) Disputed() bool { return !s.Majority && s.Disagreement >= diag.ClockOK }

// Select combines intervals the way chrony selects sources (Marzullo's algorithm): it
// finds the region most intervals overlap; when more than half of them do, those are
// truechimers, the rest falsetickers, and the estimate is the region's middle. Two
// sources agree when their intervals (offset ± root distance, at least minRadius)
// overlap. With no majority nobody can tell who lies: the estimate is the median
// offset, with an uncertainty wide enough to cover every interval, and Disagreement
// says how far apart they are (see Disputed). Select needs at least one interval.
func Select(intervals []Interval) Selection {
	lo, hi, agree := densestRegion(intervals)
	sel := Selection{Agree: agree, Majority: 2*agree > len(intervals), Truechimers: make([]bool, len(intervals))}
	if sel.Majority {
		sel.Offset = lo + (hi-lo)/2
		sel.Uncertainty = (hi - lo) / 2
		for i, iv := range intervals {
			sel.Truechimers[i] = iv.lo() <= lo && iv.hi() >= hi
		}
	} else {
		offsets := make([]time.Duration, len(intervals))
		for i, iv := range intervals {
			offsets[i] = iv.Offset
			sel.Truechimers[i] = true
		}
		sel.Offset = median(offsets)
		for _, iv := range intervals {
			sel.Uncertainty = max(sel.Uncertainty, sel.Offset-iv.lo(), iv.hi()-sel.Offset)
		}
	}
	var chosen []time.Duration
	for i, iv := range intervals {
		if sel.Truechimers[i] {
			chosen = append(chosen, iv.Offset)
		}
	}
	sel.Spread = slices.Max(chosen) - slices.Min(chosen)
	if !sel.Majority {
		sel.Disagreement = sel.Spread
	}
	return sel
}

// densestRegion returns the leftmost region [lo, hi] covered by the most intervals,
// and how many cover it. Intervals that only touch count as overlapping.
func densestRegion(intervals []Interval) (lo, hi time.Duration, count int) {
	type edge struct {
		at    time.Duration
		start bool
	}
	edges := make([]edge, 0, 2*len(intervals))
	for _, iv := range intervals {
		edges = append(edges, edge{iv.lo(), true}, edge{iv.hi(), false})
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		if a.start == b.start {
			return 0
		}
		if a.start {
			return -1 // at equal points, open before closing: touching intervals overlap
		}
		return 1
	})
	depth := 0
	for i, e := range edges {
		if !e.start {
			depth--
			continue
		}
		depth++
		if depth > count {
			// Every start has its end later in the list, so edges[i+1] exists; with
			// starts sorted first, it is where this region ends unless another begins.
			count, lo, hi = depth, e.at, edges[i+1].at
		}
	}
	return lo, hi, count
}

func median(values []time.Duration) time.Duration {
	sorted := slices.Sorted(slices.Values(values))
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return sorted[n/2-1] + (sorted[n/2]-sorted[n/2-1])/2
}
