package diag

// NewFinding is a finding for cause whose fix steps are FixSteps(env, cause, measured...).
func NewFinding(env *Env, cause Cause, severity Severity, message string, measured ...string) Finding {
	return Finding{Cause: cause, Severity: severity, Message: message, Fix: FixSteps(env, cause, measured...)}
}

// FixSteps is a finding's fix: first the steps specific to what was measured (empty ones
// left out), then the catalog's steps for cause on env's platform and app; each step once.
func FixSteps(env *Env, cause Cause, measured ...string) []string {
	var steps []string
	for _, s := range measured {
		if s != "" {
			steps = AppendNew(steps, s)
		}
	}
	if info, ok := LookupCause(cause); ok {
		steps = AppendNew(steps, info.Fix(env.Platform, env.App)...)
	}
	return steps
}

// StatusOf is the status findings call for: that of the worst of them, ok when there
// are none or they are only worth knowing (info). Of one finding, it is its mark.
func StatusOf(findings ...Finding) Status {
	status := StatusOK
	for _, f := range findings {
		switch {
		case f.Severity == SeverityFail:
			return StatusFail
		case f.Severity == SeverityWarn:
			status = StatusWarn
		}
	}
	return status
}
