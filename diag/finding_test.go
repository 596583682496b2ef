package diag

import (
	"slices"
	"strings"
	"testing"
)

func TestFixStepsPutsMeasuredStepsFirstThenTheCatalogsEachOnce(t *testing.T) {
	info, _ := LookupCause(CauseTimezone)
	measured := Step{Text: "Your clock is 3 h ahead: check the time zone."}
	got := FixSteps(CauseTimezone, measured, measured, info.Steps[1])
	want := append([]Step{measured, info.Steps[1]}, slices.Delete(slices.Clone(info.Steps), 1, 2)...)
	if !slices.Equal(got, want) {
		t.Errorf("FixSteps = %q\nwant %q", got, want)
	}
}

func TestFixStepsOfACauseFromANewerVersionAreTheMeasuredOnes(t *testing.T) {
	if got := FixSteps(Cause("from-the-future"), Steps("Do this.", "")...); !slices.Equal(got, Steps("Do this.")) {
		t.Errorf("FixSteps = %q, want the measured step only", got)
	}
}

func TestNewFindingCarriesFixSteps(t *testing.T) {
	f := NewFinding(CauseTimezone, SeverityWarn, "The zone is off.", "Check the zone.")
	want := Finding{Cause: CauseTimezone, Severity: SeverityWarn, Message: "The zone is off.", Steps: FixSteps(CauseTimezone, Step{Text: "Check the zone."})}
	if f.Cause != want.Cause || f.Severity != want.Severity || f.Message != want.Message || !slices.Equal(f.Steps, want.Steps) || len(f.Steps) < 2 {
		t.Errorf("NewFinding = %+v, want %+v", f, want)
	}
}

func TestStatusOfIsTheWorstFindings(t *testing.T) {
	info := Finding{Severity: SeverityInfo}
	warn := Finding{Severity: SeverityWarn}
	fail := Finding{Severity: SeverityFail}
	cases := []struct {
		findings []Finding
		want     Status
	}{
		{nil, StatusOK},
		{[]Finding{info}, StatusOK},
		{[]Finding{info, warn}, StatusWarn},
		{[]Finding{fail, warn, info}, StatusFail},
		{[]Finding{warn, fail}, StatusFail},
	}
	for _, c := range cases {
		if got := StatusOf(c.findings...); got != c.want {
			t.Errorf("StatusOf(%v) = %s, want %s", c.findings, got, c.want)
		}
	}
}

// An info finding is worth knowing, not why codes fail: under -v it has its check's
// mark, a tick, as a check whose only finding it is has.
func TestVerboseTextMarksAFindingAsItsCheckWouldBe(t *testing.T) {
	var buf strings.Builder
	r := Report{Status: StatusOK, Checks: []Result{{ID: "secret", Title: "Secret", Status: StatusOK, Summary: "Sound.", Findings: []Finding{
		{Cause: CauseParameterMismatch, Severity: SeverityInfo, Message: "Worth knowing."},
		{Cause: CauseParameterMismatch, Severity: SeverityWarn, Message: "May fail."},
	}}}}
	if err := Render(&buf, r, FormatText, RenderOptions{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{marks[StatusOK] + " parameter-mismatch: Worth knowing.", marks[StatusWarn] + " parameter-mismatch: May fail."} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the report has no line %q:\n%s", want, buf.String())
		}
	}
}

// Steps that say the same thing are given once, whatever the case, spacing or
// punctuation of each; the checks that share a step share its text.
func TestAppendStepsKeepsOneOfEachMeaning(t *testing.T) {
	list := AppendSteps(nil, Step{Text: StepCheckOnline}, Step{Text: "Run otpdoctor check again."})
	list = AppendSteps(list, Step{Text: StepCheckOnline}, Step{Text: "run  otpdoctor check again"}, Step{Text: "Sync the phone."})
	if len(list) != 3 {
		t.Errorf("%d steps, want 3: %+v", len(list), list)
	}
}
