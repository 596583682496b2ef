package diag

import (
	"cmp"
	"slices"
)

// Confidence levels of a diagnosis.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// Diagnosis is one ranked cause with what supports it and what fixes it.
type Diagnosis struct {
	Cause      Cause    `json:"cause"`
	Confidence string   `json:"confidence"`
	Summary    string   `json:"summary"`
	Evidence   []string `json:"evidence"`
	// Against is the evidence that speaks against this cause.
	Against []string `json:"evidence_against,omitempty"`
	Fix     []string `json:"fix"`
	// Checks are the ids of the checks whose findings support this cause.
	Checks []string `json:"checks"`
}

// Diagnose ranks the causes the checks' findings point to, most likely first.
func Diagnose(results []Result, env *Env) []Diagnosis {
	type candidate struct {
		d     Diagnosis
		worst Severity
		order int // first check that found it, for a stable ranking
	}
	byCause := map[Cause]*candidate{}
	var list []*candidate
	for i, r := range results {
		for _, f := range r.Findings {
			c, ok := byCause[f.Cause]
			if !ok {
				c = &candidate{d: Diagnosis{Cause: f.Cause, Summary: f.Message}, worst: f.Severity, order: i}
				byCause[f.Cause] = c
				list = append(list, c)
			}
			if severityRank(f.Severity) > severityRank(c.worst) {
				c.worst, c.d.Summary = f.Severity, f.Message
			}
			c.d.Evidence = appendNew(c.d.Evidence, f.Message)
			c.d.Fix = appendNew(c.d.Fix, f.Fix...)
			c.d.Checks = appendNew(c.d.Checks, r.ID)
		}
	}

	out := make([]Diagnosis, 0, len(list))
	slices.SortStableFunc(list, func(a, b *candidate) int {
		if n := cmp.Compare(severityRank(b.worst), severityRank(a.worst)); n != 0 {
			return n
		}
		return cmp.Compare(a.order, b.order)
	})
	for _, c := range list {
		c.d.Confidence = confidenceOf(c.worst)
		if len(c.d.Fix) == 0 {
			if info, ok := LookupCause(c.d.Cause); ok {
				c.d.Fix = info.Fix(env.Platform, env.App)
			}
		}
		out = append(out, c.d)
	}
	return out
}

// Advice is "avoid it next time", general and then the service's own.
func Advice(env *Env) []string {
	advice := []string{
		"Keep automatic date, time and time zone on, on your computer and on your phone.",
		"Keep your backup codes or backup key offline (printed, or in a password manager), not only on the phone that holds your authenticator.",
		"Set up a second way to sign in (a second authenticator, a security key or backup codes) before you need it.",
	}
	if env.Service != nil {
		advice = append(advice, env.Service.Advice...)
	}
	return advice
}

func severityRank(s Severity) int {
	switch s {
	case SeverityFail:
		return 3
	case SeverityWarn:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

func confidenceOf(s Severity) string {
	switch s {
	case SeverityFail:
		return ConfidenceHigh
	case SeverityWarn:
		return ConfidenceMedium
	}
	return ConfidenceLow
}

// appendNew appends the items of add that list does not hold yet.
func appendNew(list []string, add ...string) []string {
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
