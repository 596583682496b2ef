package diag

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/profile"
)

// Check is one measurement. Run must return soon after ctx ends; it must not print.
type Check interface {
	ID() string    // the report's check id: one of CheckIDs
	Title() string // a short name shown to people
	Run(ctx context.Context, env *Env) Result
}

// Env is what every check shares in one run. Anything a check reaches out to (servers,
// files, the network) comes in through the check's own configuration instead, so that
// tests hand it loopback fakes.
type Env struct {
	// Now reads this machine's clock. --now replaces it with a clock that starts at the
	// given instant and runs on from there, so a case reproduces exactly.
	Now func() time.Time
	// Timeout bounds each network operation.
	Timeout time.Duration
	// Offline: use no network at all.
	Offline bool
	// TrueTime carries the clock check's reference to the checks that need true time.
	TrueTime *TrueTime
	// Service is the profile of the service the user is locked out of (generic when
	// none was named).
	Service *profile.Profile
	// Platform and App describe the device that holds the authenticator, when known
	// (--platform, --app); "" when not.
	Platform string
	App      string
	// Host is this computer's platform (PlatformOfOS), which its own fix steps are for;
	// "" when not known.
	Host string
}

// Skipped is a check that did not run because an input is missing. Reason says which
// flag would run it, e.g. "give --code CODE with the code your app shows".
type Skipped struct {
	CheckID, CheckTitle, Reason string
}

func (s Skipped) ID() string    { return s.CheckID }
func (s Skipped) Title() string { return s.CheckTitle }
func (s Skipped) Run(context.Context, *Env) Result {
	return Result{Status: StatusSkip, Summary: s.Reason}
}

// runOne runs c with a deadline, turning a panic into an error result.
func runOne(ctx context.Context, env *Env, c Check) (res Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			res = Result{
				Status:  StatusError,
				Summary: fmt.Sprintf("The %s check crashed: %v (please report this bug).", c.ID(), p),
				Details: []string{stackWithoutArguments(debug.Stack())},
			}
		}
		res.ID, res.Title = c.ID(), c.Title()
		res.DurationMS = time.Since(start).Milliseconds()
		if res.Facts == nil {
			res.Facts = noFacts(c.ID())
		}
		if res.Findings == nil {
			res.Findings = []Finding{}
		}
	}()
	return c.Run(ctx, env)
}

// stackWithoutArguments is a stack as debug.Stack writes it, each call without its
// arguments: they are raw machine words, which may hold a piece of the key a check was
// working on, and a report is made to be sent to support.
func stackWithoutArguments(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, line := range lines {
		if open := strings.LastIndex(line, "("); open > 0 && !strings.HasPrefix(line, "\t") && strings.HasSuffix(line, ")") {
			lines[i] = line[:open] + "(…)"
		}
	}
	return strings.Join(lines, "\n")
}
