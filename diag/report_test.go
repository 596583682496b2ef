package diag

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReportStatusIsTheWorstCheck(t *testing.T) {
	cases := []struct {
		statuses []Status
		want     Status
	}{
		{nil, StatusOK},
		{[]Status{StatusSkip, StatusSkip}, StatusOK},
		{[]Status{StatusOK, StatusSkip}, StatusOK},
		{[]Status{StatusOK, StatusWarn}, StatusWarn},
		{[]Status{StatusError, StatusWarn}, StatusError},
		{[]Status{StatusError, StatusFail, StatusWarn}, StatusFail},
	}
	for _, c := range cases {
		var results []Result
		for _, s := range c.statuses {
			results = append(results, Result{Status: s})
		}
		r := NewReport(results, Meta{Now: time.Now(), Env: &Env{}})
		if r.Status != c.want {
			t.Errorf("statuses %v: report status %q, want %q", c.statuses, r.Status, c.want)
		}
	}
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		status      Status
		interrupted bool
		strict      bool
		want        int
	}{
		{StatusOK, false, false, 0},
		{StatusOK, false, true, 0},
		{StatusWarn, false, false, 0},
		{StatusWarn, false, true, 1},
		{StatusError, false, false, 0},
		{StatusError, false, true, 1},
		{StatusFail, false, false, 1},
		{StatusFail, true, false, 130},
		{StatusOK, true, true, 130},
	}
	for _, c := range cases {
		r := Report{Status: c.status, Interrupted: c.interrupted}
		if got := r.ExitCode(c.strict); got != c.want {
			t.Errorf("%s interrupted=%v strict=%v: exit %d, want %d", c.status, c.interrupted, c.strict, got, c.want)
		}
	}
	// An unfinished error fails without --strict; interrupted still wins.
	unfinished := Report{Status: StatusError, Checks: []Result{{Status: StatusError, Unfinished: true}}}
	if got := unfinished.ExitCode(false); got != 1 {
		t.Errorf("an unfinished check: exit %d, want 1", got)
	}
	unfinished.Interrupted = true
	if got := unfinished.ExitCode(false); got != 130 {
		t.Errorf("an unfinished check, interrupted: exit %d, want 130", got)
	}
}

func TestDiagnoseRanksBySeverityThenCheckOrder(t *testing.T) {
	results := []Result{
		{ID: "clock", Findings: []Finding{{Cause: CauseDeviceClock, Severity: SeverityWarn, Message: "clock 5 s ahead"}}},
		{ID: "codes", Findings: []Finding{
			{Cause: CauseCodeExpired, Severity: SeverityFail, Message: "code from the previous step"},
			{Cause: CauseDeviceClock, Severity: SeverityInfo, Message: "codes agree with the clock"},
		}},
		{ID: "backup", Findings: []Finding{{Cause: CauseBackupCodeInvalid, Severity: SeverityWarn, Message: "O for 0"}}},
	}
	d := Diagnose(results, &Env{})
	order := []Cause{CauseCodeExpired, CauseDeviceClock, CauseBackupCodeInvalid}
	if len(d) != len(order) {
		t.Fatalf("got %d causes, want %d: %+v", len(d), len(order), d)
	}
	for i, c := range order {
		if d[i].Cause != c {
			t.Errorf("rank %d: %s, want %s", i, d[i].Cause, c)
		}
	}
	if d[0].Confidence != ConfidenceHigh || d[1].Confidence != ConfidenceMedium {
		t.Errorf("confidences: %s, %s", d[0].Confidence, d[1].Confidence)
	}
	if len(d[1].Evidence) != 2 || len(d[1].Checks) != 2 {
		t.Errorf("device-clock should gather evidence from both checks: %+v", d[1])
	}
	if len(d[0].Fix) == 0 {
		t.Error("a cause without check-specific steps gets the catalog's")
	}
}

func TestCatalogCoversTheVocabulary(t *testing.T) {
	vocabulary := []Cause{
		CauseDeviceClock, CauseTimezone, CauseAuthenticatorClock, CauseCodeExpired, CauseCodeTypo,
		CauseCounterDrift, CauseParameterMismatch, CauseSecretMismatch, CauseSecretInvalid, CauseDuplicateEntry,
		CauseBackupCodeInvalid, CauseBackupCodeUsed, CauseBackupKeyConfusion, CauseServiceOutage,
		CauseNetworkBlocked, CauseTLSClock, CauseTLSUntrusted,
	}
	if len(Causes()) != len(vocabulary) {
		t.Errorf("catalog has %d causes, vocabulary %d", len(Causes()), len(vocabulary))
	}
	for _, c := range vocabulary {
		info, ok := LookupCause(c)
		if !ok || info.Headline == "" || info.Meaning == "" || info.Detect == "" || len(info.Steps) == 0 {
			t.Errorf("cause %s is not fully described: %+v", c, info)
		}
	}
}

func TestFixStepsTailoredByPlatformAndApp(t *testing.T) {
	info, _ := LookupCause(CauseAuthenticatorClock)
	android := FixTexts(info.Steps, &Env{Platform: PlatformAndroid, App: "google-authenticator"})
	all := FixTexts(info.Steps, &Env{})
	ios := FixTexts(info.Steps, &Env{Platform: PlatformIOS, App: "aegis"})
	if len(android) >= len(all) || len(ios) >= len(android) {
		t.Errorf("steps not narrowed: all %d, android+GA %d, ios+aegis %d", len(all), len(android), len(ios))
	}
	for _, s := range ios {
		if strings.Contains(s, "Time correction") {
			t.Errorf("an iOS/Aegis user got Google Authenticator Android's menu: %q", s)
		}
	}
	found := false
	for _, s := range all {
		found = found || strings.HasPrefix(s, "On Android, in Google Authenticator: ")
	}
	if !found {
		t.Errorf("untailored steps must say where each applies: %q", all)
	}
}

// A zone set wrong moves a clock by a real zone difference, and nothing else does.
func TestZoneShaped(t *testing.T) {
	for d, want := range map[time.Duration]bool{
		time.Hour:                       true,
		-19800 * time.Second:            true, // 5 h 30 min behind
		5*time.Hour + 45*time.Minute:    true,
		time.Hour + 119*time.Second:     true,
		time.Hour + 121*time.Second:     false,
		14 * time.Hour:                  true,
		-14 * time.Hour:                 true,
		15 * time.Hour:                  false, // past the 14 h a zone can be set wrong by
		48 * time.Hour:                  false, // two days
		365 * 24 * time.Hour:            false, // a year
		16 * time.Minute:                false,
		14 * time.Minute:                false,
		90 * time.Second:                false, // near zero is not a zone
		time.Hour + 15*time.Minute:      false, // no zone is a quarter past
		30 * time.Minute:                true,
		-(9*time.Hour + 30*time.Minute): true,
	} {
		if _, got := ZoneShaped(d); got != want {
			t.Errorf("ZoneShaped(%s) = %v, want %v", d, got, want)
		}
	}
}

// The schema, the catalog, the constants and the docs name the same causes and checks:
// a cause or check added in one place and not the others fails here.
func TestSchemaCatalogAndConstantsInStep(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			AnyOf []struct {
				Enum []string `json:"enum"`
			} `json:"anyOf"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	known := func(def string) []string {
		for _, alt := range schema.Defs[def].AnyOf {
			if alt.Enum != nil {
				return alt.Enum
			}
		}
		t.Fatalf("the schema's %s lists no known ids", def)
		return nil
	}
	var catalog []string
	for _, c := range Causes() {
		catalog = append(catalog, string(c.ID))
	}
	if got := known("cause"); !slices.Equal(got, catalog) {
		t.Errorf("schema causes %q\ncatalog causes %q", got, catalog)
	}
	if got := known("check_id"); !slices.Equal(got, CheckIDs) {
		t.Errorf("schema check ids %q, constants %q", got, CheckIDs)
	}
	table, err := os.ReadFile(filepath.Join("..", "docs", "report-schema.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Causes() {
		if _, err := os.Stat(filepath.Join("..", c.Docs())); err != nil {
			t.Errorf("cause %s has no page: %v", c.ID, err)
		}
		if !strings.Contains(string(table), "| `"+string(c.ID)+"` |") {
			t.Errorf("docs/report-schema.md does not list cause %s", c.ID)
		}
	}
}
