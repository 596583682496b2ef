// Package diag is otpdoctor's engine: the Check contract, a runner that runs checks
// concurrently and safely, the Report they produce (schema otpdoctor.report/v1), the
// diagnosis that ranks causes across checks, and the renderers.
//
// Nothing in a check prints. A check measures, and returns a Result: a status, one
// plain summary line, facts (the measured values, machine-readable), findings (each
// naming a cause and the steps that fix it) and details (readable lines for -v).
package diag

import (
	"encoding/json"
	"fmt"
)

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
type Finding struct {
	Cause    Cause    `json:"cause"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      []string `json:"fix"`
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
}

// Facts are a check's measured values, keyed as the report contract names them.
// They are always held in their JSON shape (numbers as float64, lists as []any) so
// that a live run and a report read back from a file look the same to the diagnosis.
type Facts map[string]any

// FactsOf turns a check's typed facts (a struct with json tags, or a map) into Facts.
// It panics on a value that cannot be encoded as JSON: that is a programming error in
// a check, and the runner turns it into an error result.
func FactsOf(v any) Facts {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("diag: facts are not JSON: %v", err))
	}
	var f Facts
	if err := json.Unmarshal(data, &f); err != nil {
		panic(fmt.Sprintf("diag: facts are not a JSON object: %v", err))
	}
	return f
}

// Number returns the fact key as a number; ok is false when absent or null.
func (f Facts) Number(key string) (v float64, ok bool) {
	v, ok = f[key].(float64)
	return v, ok
}

// Bool returns the fact key as a bool; ok is false when absent or null.
func (f Facts) Bool(key string) (v bool, ok bool) {
	v, ok = f[key].(bool)
	return v, ok
}

// String returns the fact key as a string, or "".
func (f Facts) String(key string) string {
	s, _ := f[key].(string)
	return s
}

// Range returns a [min, max] fact such as authenticator_offset_seconds.
func (f Facts) Range(key string) (lo, hi float64, ok bool) {
	pair, _ := f[key].([]any)
	if len(pair) != 2 {
		return 0, 0, false
	}
	lo, ok1 := pair[0].(float64)
	hi, ok2 := pair[1].(float64)
	return lo, hi, ok1 && ok2
}
