package clock

import (
	"slices"
	"testing"
	"time"
)

const ms = time.Millisecond

func TestSelect(t *testing.T) {
	iv := func(offset, radius time.Duration) Interval { return Interval{offset, radius} }
	cases := []struct {
		name           string
		in             []Interval
		offset, within time.Duration // the estimate, and how close it must be
		maxUncertainty time.Duration
		minUncertainty time.Duration
		truechimers    []bool
		agree          int
		majority       bool
	}{
		{"one source", []Interval{iv(125*time.Second, 20*ms)}, 125 * time.Second, 0, 20 * ms, 20 * ms, []bool{true}, 1, true},
		{"three agree: the common region's middle", []Interval{iv(0, 30*ms), iv(10*ms, 30*ms), iv(20*ms, 30*ms)},
			10 * ms, 0, 20 * ms, 20 * ms, []bool{true, true, true}, 3, true},
		{"one liar of three does not move the estimate", []Interval{iv(0, 20*ms), iv(time.Hour, 20*ms), iv(2*ms, 20*ms)},
			1 * ms, 0, 20 * ms, 0, []bool{true, false, true}, 2, true},
		{"two liars that disagree with each other too", []Interval{iv(5*ms, 10*ms), iv(-time.Minute, 10*ms), iv(0, 10*ms), iv(time.Minute, 10*ms), iv(2*ms, 10*ms)},
			2500 * time.Microsecond, 3 * ms, 10 * ms, 0, []bool{true, false, true, false, true}, 3, true},
		{"touching intervals overlap", []Interval{iv(0, 10*ms), iv(20*ms, 10*ms)}, 10 * ms, 0, 0, 0, []bool{true, true}, 2, true},
		{"two that disagree: no majority, the median, covering both", []Interval{iv(0, 10*ms), iv(time.Hour, 10*ms)},
			30 * time.Minute, 0, 30*time.Minute + 10*ms, 30*time.Minute + 10*ms, []bool{true, true}, 1, false},
		{"two against two: no majority", []Interval{iv(0, 10*ms), iv(time.Second, 10*ms), iv(1*ms, 10*ms), iv(time.Second+1*ms, 10*ms)},
			500*ms + 500*time.Microsecond, 0, time.Second, 500 * ms, []bool{true, true, true, true}, 2, false},
		{"a wide honest interval joins the majority", []Interval{iv(0, 2*time.Second), iv(100*ms, 10*ms), iv(95*ms, 10*ms)},
			100 * ms, 10 * ms, 10 * ms, 0, []bool{true, true, true}, 3, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sel := Select(tc.in)
			if (sel.Offset - tc.offset).Abs() > tc.within {
				t.Errorf("offset %s, want %s ± %s", sel.Offset, tc.offset, tc.within)
			}
			if sel.Uncertainty > tc.maxUncertainty || sel.Uncertainty < tc.minUncertainty {
				t.Errorf("uncertainty %s, want between %s and %s", sel.Uncertainty, tc.minUncertainty, tc.maxUncertainty)
			}
			if !slices.Equal(sel.Truechimers, tc.truechimers) {
				t.Errorf("truechimers %v, want %v", sel.Truechimers, tc.truechimers)
			}
			if sel.Agree != tc.agree || sel.Majority != tc.majority {
				t.Errorf("agree %d majority %v, want %d %v", sel.Agree, sel.Majority, tc.agree, tc.majority)
			}
			// Whatever the case, the true offset of every truechimer is covered.
			for i, in := range tc.in {
				if sel.Truechimers[i] && !tc.majority && (in.lo() < sel.Offset-sel.Uncertainty || in.hi() > sel.Offset+sel.Uncertainty) {
					t.Errorf("interval %v is not covered by %s ± %s", in, sel.Offset, sel.Uncertainty)
				}
			}
		})
	}
}

func TestSelectSpread(t *testing.T) {
	sel := Select([]Interval{{0, 50 * ms}, {30 * ms, 50 * ms}, {10 * ms, 50 * ms}, {time.Hour, ms}})
	if sel.Spread != 30*ms {
		t.Errorf("spread %s, want 30ms (the liar is not counted)", sel.Spread)
	}
}

func TestDisputed(t *testing.T) {
	cases := []struct {
		name         string
		in           []Interval
		disagreement time.Duration
		disputed     bool
	}{
		{"a majority: no dispute, whatever the liar says", []Interval{{0, 10 * ms}, {time.Hour, 10 * ms}, {0, 10 * ms}}, 0, false},
		{"two an hour apart", []Interval{{0, 10 * ms}, {time.Hour, 10 * ms}}, time.Hour, true},
		{"two a second apart: covered by the uncertainty", []Interval{{0, 10 * ms}, {time.Second, 10 * ms}}, time.Second, false},
		{"two 3 s apart: as much as codes tolerate", []Interval{{0, 10 * ms}, {3 * time.Second, 10 * ms}}, 3 * time.Second, true},
	}
	for _, tc := range cases {
		if sel := Select(tc.in); sel.Disagreement != tc.disagreement || sel.Disputed() != tc.disputed {
			t.Errorf("%s: disagreement %s disputed %v, want %s %v", tc.name, sel.Disagreement, sel.Disputed(), tc.disagreement, tc.disputed)
		}
	}
}
