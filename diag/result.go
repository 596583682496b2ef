// Package diag is otpdoctor's engine: the Check contract, a runner that runs checks
// concurrently and safely, the Report they produce (schema otpdoctor.report/v1), the
// diagnosis that ranks causes across checks, and the renderers.
//
// Nothing in a check prints. A check measures, and returns a Result: a status, one
// plain summary line, facts (the measured values, machine-readable), findings (each
// naming a cause and the steps that fix it) and details (readable lines for -v).
package diag

import "encoding/json"

// Status is the outcome of one check, or of the whole report.
type Status string

const (
	StatusOK    Status = "ok"
	StatusWarn  Status = "warn"
	StatusFail  Status = "fail"
	StatusSkip  Status = "skip"
	StatusError Status = "error" // the check could not measure (network down, bad input it cannot judge)
)

// rank orders statuses for the report's overall status: skip is ignored, then
// ok < warn < error < fail as the report contract says.
func (s Status) rank() int {
	switch s {
	case StatusOK:
		return 1
	case StatusWarn:
		return 2
	case StatusError:
		return 3
	case StatusFail:
		return 4
	}
	return 0
}

// Worse reports whether s is worse than t.
func (s Status) Worse(t Status) bool { return s.rank() > t.rank() }

// Severity says how much a finding weighs.
type Severity string

const (
	SeverityInfo Severity = "info" // worth knowing; not why codes fail
	SeverityWarn Severity = "warn" // may make codes fail
	SeverityFail Severity = "fail" // makes codes fail
)

// Finding is one thing a check found, tied to a cause with the steps that fix it.
//
// Steps are every step that may apply, each saying where (device, platform, app); the
// report tailors them to its platform and app (Tailor) into Fix, the plain text a v1
// reader knows. A report read back keeps Steps, so explain can tailor them again.
type Finding struct {
	Cause    Cause    `json:"cause"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      []string `json:"fix"`
	Steps    []Step   `json:"steps"`
}

// UnmarshalJSON reads a finding; one from a report without structured steps (an older
// otpdoctor's) keeps its fix texts as steps that apply anywhere.
func (f *Finding) UnmarshalJSON(data []byte) error {
	type plain Finding
	if err := json.Unmarshal(data, (*plain)(f)); err != nil {
		return err
	}
	if f.Steps == nil {
		for _, text := range f.Fix {
			f.Steps = append(f.Steps, Step{Text: text})
		}
	}
	return nil
}

// Result is what one check returns. The runner fills ID, Title and DurationMS.
type Result struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Status     Status    `json:"status"`
	Summary    string    `json:"summary"`
	DurationMS int64     `json:"duration_ms"`
	Facts      Facts     `json:"facts"`
	Findings   []Finding `json:"findings"`
	// Details are readable lines shown under -v and kept in the report so that a
	// saved report re-renders the same.
	Details []string `json:"details,omitempty"`
	// Unfinished marks an error result that leaves the question the user asked
	// unanswered (a search cut short by its deadline): the summary says what was not
	// done, and the exit status counts it as a failure, --strict or not.
	Unfinished bool `json:"unfinished,omitempty"`
}

// UnmarshalJSON reads a result, its facts into the type its check id publishes.
func (r *Result) UnmarshalJSON(data []byte) error {
	type plain Result
	var raw struct {
		plain
		Facts json.RawMessage `json:"facts"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	facts, err := decodeFacts(raw.ID, raw.Facts)
	if err != nil {
		return err
	}
	*r = Result(raw.plain)
	r.Facts = facts
	return nil
}
