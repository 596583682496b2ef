package phone

import (
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// A clock read by hand (the guide's presses at the phone's minute changes) is judged
// like the page's, and says how it was read: no round trip, no time zone.
func TestJudgeReadByHand(t *testing.T) {
	ref := diag.Reference{Source: diag.ReferenceNTP, Offset: 2 * time.Second, Uncertainty: 10 * time.Millisecond}
	for _, tc := range []struct {
		against time.Duration // the phone's clock minus this computer's
		cause   diag.Cause
	}{
		{-82 * time.Second, diag.CauseAuthenticatorClock},
		{-time.Hour - 2*time.Second, diag.CauseTimezone},
	} {
		m := Measurement{
			Estimate: Estimate{Offset: tc.against, Uncertainty: time.Second, Rounds: 2},
			Device:   Device{Platform: diag.PlatformAndroid}, Method: diag.PhoneMethodManual,
		}
		r, _ := Judge(&diag.Env{}, m, ref)
		f := r.Facts.(*diag.PhoneFacts)
		if f.Method != diag.PhoneMethodManual || f.RTTMS != nil || f.UTCOffsetSeconds != nil || f.Rounds != 2 {
			t.Errorf("facts %+v: want method manual, no round trip, no zone offset, 2 presses", f)
		}
		if want := (tc.against + ref.Offset).Seconds(); f.OffsetSeconds == nil || *f.OffsetSeconds != want {
			t.Errorf("offset %v, want %v s against true time", f.OffsetSeconds, want)
		}
		if r.Status != diag.StatusFail || len(r.Findings) != 1 || r.Findings[0].Cause != tc.cause {
			t.Errorf("%s %v, want a %s failure", r.Status, r.Findings, tc.cause)
		}
		if !strings.Contains(r.Summary, "by hand") || !strings.HasPrefix(r.Details[0], "Read by hand") || strings.Contains(strings.Join(r.Details, " "), "Time zone") {
			t.Errorf("summary %q, details %q: want them to say it was read by hand, with no zone", r.Summary, r.Details)
		}
		if strings.Contains(r.Findings[0].Message, "UTC+00:00") {
			t.Errorf("the finding claims a zone offset it cannot know: %s", r.Findings[0].Message)
		}
	}
}
