package diag

import (
	"runtime"
	"slices"
	"time"
)

// Schema is the report contract's version. Add fields freely; renaming or removing one
// means a new schema.
const Schema = "otpdoctor.report/v1"

// Report is what a run produces and every renderer draws: the contract of --format json.
type Report struct {
	Schema      string      `json:"schema"`
	ToolVersion string      `json:"tool_version"`
	GeneratedAt time.Time   `json:"generated_at"`
	Status      Status      `json:"status"`
	Interrupted bool        `json:"interrupted"`
	Command     string      `json:"command"`
	Service     string      `json:"service,omitempty"`
	Platform    string      `json:"platform,omitempty"`
	App         string      `json:"app,omitempty"`
	Environment Environment `json:"environment"`
	// Tried is what the user says they already tried (--tried), for support.
	Tried     []string    `json:"tried,omitempty"`
	Checks    []Result    `json:"checks"`
	Diagnosis []Diagnosis `json:"diagnosis"`
	// Advice is "avoid it next time": what keeps this from happening again.
	Advice []string `json:"advice"`
}

// Environment describes the machine the report was made on, for support tickets.
type Environment struct {
	OS               string `json:"os"`
	Arch             string `json:"arch"`
	Timezone         string `json:"timezone"`
	UTCOffsetSeconds int    `json:"utc_offset_seconds"`
}

// Meta is what a report says about its run besides the checks' results.
type Meta struct {
	ToolVersion string
	Command     string
	Now         time.Time // the run's instant (the --now instant when given)
	Interrupted bool
	Tried       []string
	Env         *Env
}

// NewReport assembles a report from the checks' results and diagnoses it.
func NewReport(results []Result, m Meta) Report {
	zone, offset := m.Now.Zone()
	r := Report{
		Schema:      Schema,
		ToolVersion: m.ToolVersion,
		GeneratedAt: m.Now.UTC().Truncate(time.Millisecond),
		Interrupted: m.Interrupted,
		Command:     m.Command,
		Platform:    m.Env.Platform,
		App:         m.Env.App,
		Environment: Environment{OS: runtime.GOOS, Arch: runtime.GOARCH, Timezone: zone, UTCOffsetSeconds: offset},
		Tried:       m.Tried,
		Checks:      results,
	}
	if m.Env.Service != nil {
		r.Service = m.Env.Service.ID
	}
	r.Rediagnose(m.Env)
	return r
}

// Rediagnose recomputes the overall status, the diagnosis and the advice from the
// checks' results: what `otpdoctor explain` does to a saved report.
func (r *Report) Rediagnose(env *Env) {
	r.Status = StatusOK
	for _, c := range r.Checks {
		if c.Status.Worse(r.Status) {
			r.Status = c.Status
		}
	}
	for i := range r.Checks {
		for j := range r.Checks[i].Findings {
			f := &r.Checks[i].Findings[j]
			f.Fix = FixTexts(f.Steps, env)
		}
	}
	r.Diagnosis = Diagnose(r.Checks, env)
	r.Advice = Advice(env)
}

// Unknown lists the check ids and causes the report names that this version does not
// know, as "check smartcard", "cause gremlins": a newer otpdoctor's.
func (r Report) Unknown() []string {
	var out []string
	for _, c := range r.Checks {
		if !slices.Contains(CheckIDs, c.ID) {
			out = AppendNew(out, "check "+c.ID)
		}
		for _, f := range c.Findings {
			if _, ok := LookupCause(f.Cause); !ok {
				out = AppendNew(out, "cause "+string(f.Cause))
			}
		}
	}
	return out
}

// ExitCode is the process exit status the report calls for (DESIGN.md): 0 when no
// check failed, 1 when one did or left the user's question unfinished (with strict,
// also on warn or error), 130 when the run was interrupted.
func (r Report) ExitCode(strict bool) int {
	switch {
	case r.Interrupted:
		return 130
	case r.Status == StatusFail || r.unfinished():
		return 1
	case strict && (r.Status == StatusWarn || r.Status == StatusError):
		return 1
	}
	return 0
}

// unfinished reports whether a check left the question asked of it unanswered.
func (r Report) unfinished() bool {
	for _, c := range r.Checks {
		if c.Unfinished && c.Status == StatusError {
			return true
		}
	}
	return false
}
