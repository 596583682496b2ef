package diag

import (
	"context"
	"sync"
	"time"
)

// Reference sources, as the clock fact "reference" names them.
const (
	ReferenceNTP       = "ntp"
	ReferenceHTTPSDate = "https-date"
	ReferenceService   = "service"
	ReferenceNone      = "none"
)

// Reference is the run's best estimate of true time, relative to this machine's clock.
type Reference struct {
	Source string // ReferenceNTP, ReferenceHTTPSDate, ReferenceService or ReferenceNone
	// Offset is this machine's clock minus true time: positive = this machine is ahead.
	Offset      time.Duration
	Uncertainty time.Duration
	// Disputed says that time servers answered but disagreed with no majority: there is
	// no reference (Source is ReferenceNone), and not for want of answers.
	Disputed bool
}

// Known reports whether a reference answered.
func (r Reference) Known() bool { return r.Source != "" && r.Source != ReferenceNone }

// Missing says why there is no reference, for the checks that measure against this
// computer's clock instead: none answered, or they disagreed.
func (r Reference) Missing() string {
	if r.Disputed {
		return "the time servers disagreed with no majority"
	}
	return "no time reference answered"
}

// True converts a reading of this machine's clock to true time. With no reference the
// local clock is the best there is.
func (r Reference) True(local time.Time) time.Time {
	if !r.Known() {
		return local
	}
	return local.Add(-r.Offset)
}

// TrueTime is where the clock check publishes its Reference for the checks that need
// true time (codes, status). It is published once; later publications are ignored.
type TrueTime struct {
	once  sync.Once
	ready chan struct{}
	ref   Reference
}

// NewTrueTime returns an unpublished TrueTime.
func NewTrueTime() *TrueTime { return &TrueTime{ready: make(chan struct{})} }

// Publish makes r the run's reference, unless one was published already.
func (t *TrueTime) Publish(r Reference) {
	t.once.Do(func() {
		t.ref = r
		close(t.ready)
	})
}

// Wait returns the published reference, or ReferenceNone when ctx ends first.
func (t *TrueTime) Wait(ctx context.Context) Reference {
	select {
	case <-t.ready:
		return t.ref
	case <-ctx.Done():
		return Reference{Source: ReferenceNone}
	}
}
