package diag

// NewFinding is a finding for cause whose steps are FixSteps(cause, measured...).
func NewFinding(cause Cause, severity Severity, message string, measured ...string) Finding {
	return Finding{Cause: cause, Severity: severity, Message: message, Steps: FixSteps(cause, Steps(measured...)...)}
}

// FixSteps is a finding's steps: first those specific to what was measured, then the
// catalog's steps for cause, for every platform and app (Tailor picks); each step once.
func FixSteps(cause Cause, measured ...Step) []Step {
	steps := AppendSteps(nil, measured...)
	if info, ok := LookupCause(cause); ok {
		steps = AppendSteps(steps, info.Steps...)
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
