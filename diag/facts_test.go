package diag

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// A report read back from JSON holds the same typed facts its checks published, each
// under its check's id; facts of a check this version does not know are kept as read.
func TestFactsRoundTripTyped(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	facts := []Facts{
		&ClockFacts{OffsetSeconds: new(125.5), Reference: ReferenceNTP, Timezone: "CET", UTCOffsetSeconds: 3600,
			Sources: []ClockSourceFacts{{Server: "127.0.0.1:123", Protocol: "ntp", OffsetSeconds: new(125.4), Stratum: new(2)}}},
		&SecretFacts{Type: "totp", Algorithm: "SHA1", Digits: 6, Period: new(30), KeyBits: new(80), Fingerprint: new("0123abcd"), Readable: true},
		&SecretSourceFacts{Source: "google-export", Accounts: 3, Duplicates: 1},
		&CodesFacts{Matched: true, Algorithm: "SHA1", Digits: 6, OffsetSteps: new(int64(-3)), Counter: new(uint64(47)),
			CounterAhead: new(uint64(30)), AuthenticatorOffsetSeconds: []float64{-100, -70}, ReferenceTime: &at, Searched: []string{"own settings"}},
		&BackupFacts{Total: 10, Valid: 9, Invalid: 1, Format: "recovery code", Unused: new(7)},
		&StatusFacts{Indicator: "major", HTTPStatus: new(200), ServerOffsetSeconds: new(-2.5),
			Components: []ComponentFact{{Name: "Login", Status: "major_outage", Relevant: true}},
			TLS:        &TLSFacts{Subject: `"x"`, Verified: true, ValidAtServerDate: new(true)}},
		&PhoneFacts{OffsetSeconds: new(3600.2), UTCOffsetSeconds: new(19800), Platform: PlatformAndroid, Method: PhoneMethodBrowser, Rounds: 8},
		&OtherFacts{ID: "smartcard", Values: map[string]any{"slots": 2.0, "model": "x"}},
		noFacts(CheckBackup),
	}
	var results []Result
	for _, f := range facts {
		results = append(results, Result{ID: f.CheckID(), Status: StatusOK, Facts: f, Findings: []Finding{}})
	}
	data, err := json.Marshal(Report{Schema: Schema, Checks: results, Diagnosis: []Diagnosis{}})
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	for i, want := range facts {
		if got := back.Checks[i].Facts; !reflect.DeepEqual(got, want) {
			t.Errorf("%s facts read back as %#v, want %#v", want.CheckID(), got, want)
		}
	}
}

// A finding from a report without structured steps (an older otpdoctor's) keeps its
// fix as steps that apply anywhere, so explain still shows them.
func TestFindingWithoutStepsKeepsItsFix(t *testing.T) {
	var f Finding
	if err := json.Unmarshal([]byte(`{"cause":"device-clock","severity":"fail","message":"m","fix":["Set the clock."]}`), &f); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f.Steps, Steps("Set the clock.")) {
		t.Errorf("steps %+v", f.Steps)
	}
}
