package diag

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// fakeCheck is a check whose behaviour a test chooses.
type fakeCheck struct {
	id     string
	run    func(ctx context.Context, env *Env) Result
	budget time.Duration
}

func (f fakeCheck) ID() string                               { return f.id }
func (f fakeCheck) Title() string                            { return strings.ToUpper(f.id[:1]) + f.id[1:] }
func (f fakeCheck) Run(ctx context.Context, env *Env) Result { return f.run(ctx, env) }
func (f fakeCheck) Budget(time.Duration) time.Duration {
	if f.budget == 0 {
		return time.Minute // only bounds a hang
	}
	return f.budget
}

func testEnv() *Env {
	return &Env{Now: time.Now, Timeout: 100 * time.Millisecond, TrueTime: NewTrueTime()}
}

// runBounded runs checks, failing the test if Run has not returned after a time that
// only a hang could take.
func runBounded(t *testing.T, ctx context.Context, checks []Check) ([]Result, bool) {
	t.Helper()
	type ran struct {
		results     []Result
		interrupted bool
	}
	out := make(chan ran, 1)
	go func() {
		results, interrupted := Run(ctx, testEnv(), checks)
		out <- ran{results, interrupted}
	}()
	select {
	case r := <-out:
		return r.results, r.interrupted
	case <-time.After(time.Minute):
		t.Fatal("Run did not return: it waits for a check it should have given up on")
		return nil, false
	}
}

func returns(s Status, summary string) func(context.Context, *Env) Result {
	return func(context.Context, *Env) Result { return Result{Status: s, Summary: summary} }
}

func TestRunKeepsRegistrationOrder(t *testing.T) {
	// The checks finish in the order third, second, first.
	thirdDone, secondDone := make(chan struct{}), make(chan struct{})
	after := func(c chan struct{}, s Status, done chan struct{}) func(context.Context, *Env) Result {
		return func(context.Context, *Env) Result {
			if c != nil {
				<-c
			}
			close(done)
			return Result{Status: s}
		}
	}
	checks := []Check{
		fakeCheck{id: "first", run: after(secondDone, StatusOK, make(chan struct{}))},
		fakeCheck{id: "second", run: after(thirdDone, StatusWarn, secondDone)},
		fakeCheck{id: "third", run: after(nil, StatusFail, thirdDone)},
	}
	results, interrupted := Run(context.Background(), testEnv(), checks)
	if interrupted {
		t.Fatal("interrupted without a cancel")
	}
	for i, want := range []string{"first", "second", "third"} {
		if results[i].ID != want {
			t.Errorf("results[%d].ID = %q, want %q", i, results[i].ID, want)
		}
	}
	if results[2].Status != StatusFail || results[0].Title != "First" {
		t.Errorf("results not carried through: %+v", results)
	}
}

// holdsKey panics with key, passed by value, on the stack.
//
//go:noinline
func holdsKey(key [2]uint64) uint64 {
	if key[0] != 0 {
		panic("boom")
	}
	return key[1]
}

// The stack of a crashed check names the calls, never their arguments: words of a key.
func TestCrashStackHoldsNoArguments(t *testing.T) {
	key := [2]uint64{0x6f7470646f63746f, 0x722d6c65616b2d74}
	results, _ := Run(context.Background(), testEnv(), []Check{fakeCheck{id: "boom", run: func(context.Context, *Env) Result {
		holdsKey(key)
		return Result{}
	}}})
	stack := strings.Join(results[0].Details, "\n")
	if !strings.Contains(stack, "holdsKey(…)") || strings.Contains(stack, "6f7470646f63746f") || strings.Contains(stack, "722d6c65616b2d74") {
		t.Errorf("the stack:\n%s", stack)
	}
}

func TestRunTurnsPanicIntoError(t *testing.T) {
	checks := []Check{
		fakeCheck{id: "boom", run: func(context.Context, *Env) Result { panic("kaboom") }},
		fakeCheck{id: "fine", run: returns(StatusOK, "fine")},
	}
	results, _ := Run(context.Background(), testEnv(), checks)
	if results[0].Status != StatusError || !strings.Contains(results[0].Summary, "kaboom") {
		t.Errorf("panicking check: %+v", results[0])
	}
	if results[1].Status != StatusOK {
		t.Errorf("a panic stopped another check: %+v", results[1])
	}
	if results[0].Facts == nil || results[0].Findings == nil {
		t.Error("an error result must still carry empty facts and findings for the JSON contract")
	}
}

func TestRunAbandonsACheckThatIgnoresItsDeadline(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	checks := []Check{
		fakeCheck{id: "hangs", budget: 50 * time.Millisecond, run: func(context.Context, *Env) Result { <-hang; return Result{} }},
		fakeCheck{id: "fine", budget: 5 * time.Second, run: returns(StatusOK, "")},
	}
	results, _ := runBounded(t, context.Background(), checks)
	if results[0].Status != StatusError || !strings.Contains(results[0].Summary, "deadline") {
		t.Errorf("hung check: %+v", results[0])
	}
	if results[1].Status != StatusOK {
		t.Errorf("other check: %+v", results[1])
	}
}

func TestRunGivesEachCheckItsOwnDeadline(t *testing.T) {
	const budget = time.Hour
	var deadline time.Time
	checks := []Check{fakeCheck{id: "x", budget: budget, run: func(ctx context.Context, _ *Env) Result {
		deadline, _ = ctx.Deadline()
		return Result{Status: StatusOK}
	}}}
	start := time.Now()
	Run(context.Background(), testEnv(), checks)
	end := time.Now()
	if deadline.Before(start.Add(budget)) || deadline.After(end.Add(budget)) {
		t.Errorf("deadline %v after start, want the budget of %v from when the check started", deadline.Sub(start), budget)
	}
}

func TestRunInterruptedReturnsPartialReport(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	// The interrupt comes once "done" has returned and "partial" is under way.
	done, started := make(chan struct{}), make(chan struct{})
	checks := []Check{
		fakeCheck{id: "done", run: func(context.Context, *Env) Result {
			defer close(done)
			return Result{Status: StatusOK, Summary: "finished"}
		}},
		fakeCheck{id: "partial", budget: time.Hour, run: func(ctx context.Context, _ *Env) Result {
			close(started)
			<-ctx.Done()
			return Result{Status: StatusError, Summary: "stopped early with what it had"}
		}},
		fakeCheck{id: "stuck", budget: time.Hour, run: func(context.Context, *Env) Result { select {} }},
	}
	go func() {
		<-done
		<-started
		cancel()
	}()
	results, interrupted := Run(ctx, testEnv(), checks)
	if !interrupted {
		t.Fatal("not marked interrupted")
	}
	if results[0].Summary != "finished" || results[1].Summary != "stopped early with what it had" {
		t.Errorf("finished and partial results lost: %+v", results[:2])
	}
	if results[2].Status != StatusError || !strings.Contains(results[2].Summary, "interrupted") {
		t.Errorf("stuck check: %+v", results[2])
	}
}

// TestRunInterruptedWhenTheLastCheckEndsWithIt covers an interrupt that comes as the
// last check returns: its result and the cancel are ready together, and whichever the
// runner takes first, the run is interrupted (Ctrl-C exits 130, not 0).
func TestRunInterruptedWhenTheLastCheckEndsWithIt(t *testing.T) {
	quick := fakeCheck{id: "quick", run: func(context.Context, *Env) Result {
		return Result{Status: StatusError, Summary: "stopped"}
	}}
	for i := range 500 {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, interrupted := runBounded(t, ctx, []Check{quick, quick}); !interrupted {
			t.Fatalf("run %d: not marked interrupted", i)
		}
	}
}

func TestTrueTimeReachesOtherChecksAndNeverBlocksThem(t *testing.T) {
	published := Reference{Source: ReferenceNTP, Offset: 2 * time.Second}
	cases := map[string]func(context.Context, *Env) Result{
		"publishes": func(_ context.Context, env *Env) Result {
			env.TrueTime.Publish(published)
			return Result{Status: StatusOK}
		},
		"panics":  func(context.Context, *Env) Result { panic("clock broke") },
		"forgets": returns(StatusOK, ""),
	}
	for name, clockRun := range cases {
		t.Run(name, func(t *testing.T) {
			var seen Reference
			checks := []Check{
				fakeCheck{id: CheckClock, run: clockRun},
				fakeCheck{id: "codes", budget: time.Hour, run: func(ctx context.Context, env *Env) Result {
					seen = env.TrueTime.Wait(ctx)
					return Result{Status: StatusOK}
				}},
			}
			runBounded(t, context.Background(), checks) // fails if codes waits for a reference that never comes
			want := Reference{Source: ReferenceNone}
			if name == "publishes" {
				want = published
			}
			if seen != want {
				t.Errorf("codes saw %+v, want %+v", seen, want)
			}
		})
	}
}

func TestTrueTimeWithoutClockCheck(t *testing.T) {
	var seen Reference
	Run(context.Background(), testEnv(), []Check{fakeCheck{id: "codes", run: func(ctx context.Context, env *Env) Result {
		seen = env.TrueTime.Wait(ctx)
		return Result{Status: StatusOK}
	}}})
	if seen.Known() {
		t.Errorf("reference %+v without a clock check", seen)
	}
}

func TestReferenceTrue(t *testing.T) {
	local := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ahead := Reference{Source: ReferenceNTP, Offset: 90 * time.Second}
	if got := ahead.True(local); !got.Equal(local.Add(-90 * time.Second)) {
		t.Errorf("True = %v", got)
	}
	if got := (Reference{Source: ReferenceNone, Offset: time.Hour}).True(local); !got.Equal(local) {
		t.Errorf("an unknown reference moved the time: %v", got)
	}
}

// Budgets saturate: a huge timeout (the Go API takes any) makes the longest budget,
// never one that wrapped around to negative and so is already over.
func TestBudgetsSaturate(t *testing.T) {
	const longest, shortest = time.Duration(math.MaxInt64), time.Duration(math.MinInt64)
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{[]time.Duration{time.Second, 2 * time.Second}, 3 * time.Second},
		{[]time.Duration{longest, time.Nanosecond}, longest},
		{[]time.Duration{longest / 2, longest / 2, longest / 2}, longest},
		{[]time.Duration{shortest, -time.Nanosecond}, shortest},
		{[]time.Duration{longest, -time.Second}, longest - time.Second},
		{nil, 0},
	} {
		if got := AddDurations(c.in...); got != c.want {
			t.Errorf("AddDurations(%v) = %s, want %s", c.in, got, c.want)
		}
	}
	for _, timeout := range []time.Duration{longest, 2562047 * time.Hour, longest / 2} {
		if got := DefaultBudget(timeout); got != longest {
			t.Errorf("DefaultBudget(%s) = %s, want the longest duration", timeout, got)
		}
	}
}
