package phone

import (
	"cmp"
	"slices"
	"time"
)

// Round is one NTP-style exchange between the phone and this computer: the phone
// stamps T0 when it sends and T3 when the answer arrives (its own clock, Date.now()),
// this computer stamps T1 when the request arrives and T2 when it answers.
type Round struct {
	T0, T1, T2, T3 time.Time
}

// RTT is the time the round spent on the network: the whole round as the phone saw
// it, less the time this computer held it.
func (r Round) RTT() time.Duration { return r.T3.Sub(r.T0) - r.T2.Sub(r.T1) }

// Offset is the phone's clock minus this computer's, as NTP computes it: exact when
// the way there and the way back take equally long, off by at most RTT/2 otherwise.
func (r Round) Offset() time.Duration { return (r.T0.Sub(r.T1) + r.T3.Sub(r.T2)) / 2 }

// keptRounds is how many of the quickest rounds the estimate rests on: a round
// delayed on its way (Wi-Fi retries, a busy phone) says less than a quick one.
const keptRounds = 3

// stampResolution is the grain of the phone's stamps: Date.now() counts whole
// milliseconds, so each of T0 and T3 may be up to 1 ms early.
const stampResolution = time.Millisecond

// Estimate is what the rounds say of the phone's clock against this computer's.
type Estimate struct {
	// Offset is the phone's clock minus this computer's (positive = the phone ahead).
	Offset time.Duration
	// Uncertainty bounds the error of Offset: half the round trip of the slowest kept
	// round, plus the phone's stamp resolution.
	Uncertainty time.Duration
	// RTT is the quickest round trip.
	RTT time.Duration
	// Rounds is how many rounds completed; Kept how many the estimate rests on.
	Rounds, Kept int
}

// Estimated combines rounds the way NTP's clock filter does: it keeps the quickest
// ones (the least delayed, so the most exact) and takes the offset of the median of
// those. ok is false when no round is usable (a round trip below zero means a stamp
// is wrong, not a fast network).
func Estimated(rounds []Round) (e Estimate, ok bool) {
	usable := slices.DeleteFunc(slices.Clone(rounds), func(r Round) bool { return r.RTT() < 0 })
	if len(usable) == 0 {
		return Estimate{Rounds: len(rounds)}, false
	}
	slices.SortStableFunc(usable, func(a, b Round) int { return cmp.Compare(a.RTT(), b.RTT()) })
	kept := usable[:min(keptRounds, len(usable))]
	offsets := make([]time.Duration, len(kept))
	for i, r := range kept {
		offsets[i] = r.Offset()
	}
	slices.Sort(offsets)
	slowest := kept[len(kept)-1].RTT()
	return Estimate{
		Offset:      offsets[len(offsets)/2],
		Uncertainty: slowest/2 + stampResolution,
		RTT:         kept[0].RTT(),
		Rounds:      len(rounds),
		Kept:        len(kept),
	}, true
}
