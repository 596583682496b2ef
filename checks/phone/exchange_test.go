package phone

import (
	"testing"
	"time"
)

func TestEstimatedKeepsTheQuickestRounds(t *testing.T) {
	base := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	const phoneAhead = 2 * time.Second
	// round makes a round whose way there takes up and way back takes down.
	round := func(start time.Duration, up, down time.Duration) Round {
		t0 := base.Add(start)
		t1 := t0.Add(up)
		t2 := t1.Add(time.Millisecond)
		t3 := t2.Add(down)
		return Round{T0: t0.Add(phoneAhead), T1: t1, T2: t2, T3: t3.Add(phoneAhead)}
	}
	rounds := []Round{
		round(0, 200*time.Millisecond, 2*time.Millisecond), // delayed on the way: offset off by ~99 ms
		round(time.Second, 2*time.Millisecond, 2*time.Millisecond),
		round(2*time.Second, 3*time.Millisecond, 3*time.Millisecond),
		round(3*time.Second, 2*time.Millisecond, 4*time.Millisecond),
		round(4*time.Second, 5*time.Millisecond, 300*time.Millisecond),
	}
	e, ok := Estimated(rounds)
	if !ok {
		t.Fatal("no estimate")
	}
	if d := (e.Offset - phoneAhead).Abs(); d > e.Uncertainty {
		t.Errorf("offset %v, want %v within %v", e.Offset, phoneAhead, e.Uncertainty)
	}
	if e.RTT != 4*time.Millisecond || e.Rounds != 5 || e.Kept != keptRounds {
		t.Errorf("estimate %+v", e)
	}
	if e.Uncertainty != 3*time.Millisecond+stampResolution {
		t.Errorf("uncertainty %v, want half the slowest kept round trip plus a millisecond", e.Uncertainty)
	}
}

func TestEstimatedRefusesImpossibleRounds(t *testing.T) {
	base := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	// The phone's clock stepped back mid-round: T3 before T0.
	if _, ok := Estimated([]Round{{T0: base, T1: base, T2: base, T3: base.Add(-time.Second)}}); ok {
		t.Error("a negative round trip gave an estimate")
	}
	if _, ok := Estimated(nil); ok {
		t.Error("no rounds gave an estimate")
	}
}
