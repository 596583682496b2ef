package diag

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/docs"
	"github.com/otpdoctor/otpdoctor/internal/layout"
	"github.com/otpdoctor/otpdoctor/profile"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sampleReport is a run where the clock is 2 minutes ahead and a code expired: every
// renderer's golden file is drawn from it.
func sampleReport() Report {
	env := &Env{Service: &profile.Profile{ID: "binance", Advice: []string{"Write the 16-character Backup Key on paper when you set up 2FA."}}}
	results := []Result{
		{
			ID: "clock", Title: "Clock", Status: StatusFail, DurationMS: 41,
			Summary: "2 min 5 s ahead of true time (±0.03 s; 4 of 5 time servers agree)",
			Facts: &ClockFacts{
				OffsetSeconds: new(125.012), Reference: ReferenceNTP, OSSynchronized: new(false),
				Timezone: "CET", UTCOffsetSeconds: 3600,
				TrueTime: new("2026-11-26T09:30:12.500Z"), StepSecondsLeft: new(17.5),
				Sources: []ClockSourceFacts{
					{Server: "time.cloudflare.com", OffsetSeconds: new(125.01), RTTMS: new(12.5), Stratum: new(3)},
					{Server: "time.nist.gov", Error: new("kiss-of-death RATE")},
				},
			},
			Findings: []Finding{{
				Cause: CauseDeviceClock, Severity: SeverityFail,
				Message: "This computer's clock is 2 min 5 s ahead of true time: a service that accepts one step either side refuses every code made here.",
				Steps:   Steps("Set the clock back by 2 min 5 s: turn on automatic time.", "Run otpdoctor check again."),
			}},
			Details: []string{"time.cloudflare.com: +125.010 s (rtt 12.5 ms, stratum 3)", "time.nist.gov: kiss-of-death RATE"},
		},
		{ID: "secret", Title: "Secret", Status: StatusSkip, Summary: "give --secret-file FILE to check your key", Facts: noFacts(CheckSecret), Findings: []Finding{}},
		{
			ID: "codes", Title: "Codes", Status: StatusWarn, DurationMS: 3,
			Summary: "123456 was valid one step (30 s) ago",
			Facts: &CodesFacts{
				Matched: true, Algorithm: "SHA1", Digits: 6, Period: new(30), OffsetSteps: new(int64(-1)),
				AuthenticatorOffsetSeconds: []float64{-59, -1}, WindowSteps: 20, ChanceMatches: 0.00002,
			},
			Findings: []Finding{{Cause: CauseCodeExpired, Severity: SeverityWarn, Message: "The code was valid 30 s ago: it expired while being typed <probably>."}},
		},
		{ID: "status", Title: "Service status", Status: StatusError, DurationMS: 3000, Summary: "api.binance.com did not answer within 3s | timeout", Facts: &StatusFacts{Indicator: "unknown"}, Findings: []Finding{}},
	}
	return NewReport(results, Meta{
		ToolVersion: "v0.1.0", Command: "check",
		Now: time.Date(2026, 11, 26, 9, 32, 17, 512_000_000, time.UTC), Env: env,
	})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./diag -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./diag -update rewrites it); got:\n%s", name, got)
	}
}

func TestRenderGolden(t *testing.T) {
	cases := []struct {
		file, format string
		opts         RenderOptions
	}{
		{"report.txt", FormatText, RenderOptions{}},
		{"report-verbose.txt", FormatText, RenderOptions{Verbose: true}},
		{"report-facts.txt", FormatText, RenderOptions{Verbose: true, Facts: true}},
		{"report-color.txt", FormatText, RenderOptions{Color: true}},
		{"report.json", FormatJSON, RenderOptions{}},
		{"report.md", FormatMarkdown, RenderOptions{}},
		{"report.xml", FormatJUnit, RenderOptions{}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, sampleReport(), c.format, c.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, buf.Bytes())
		})
	}
}

// unbreakable are what the wide report's steps hold that a user copies or reads as
// one: no width may break them across lines.
var unbreakable = []string{
	"`sudo timedatectl set-local-rtc 0`",
	"1234 5670",
	"https://www.binance.com/en/support/faq/how-to-reset-google-authentication-360044237352",
	"~/.config/otpdoctor/used-backup-codes.json",
	"'otpdoctor check --platform android'",
	"2 min 5 s",
}

// wideReport is the sample report, interrupted, with steps that hold a command, a
// code, a URL, a path and a quoted command.
func wideReport() Report {
	r := sampleReport()
	r.Interrupted = true
	r.Diagnosis[0].Fix = append(r.Diagnosis[0].Fix,
		"On a dual-boot PC whose clock jumps by hours after Windows, run "+unbreakable[0]+" and restart.",
		"Sign in with the backup code "+unbreakable[1]+" if the codes still fail, then read "+unbreakable[2]+" for how to reset.",
		"The ledger of used codes is "+unbreakable[3]+"; run "+unbreakable[4]+" to see only your phone's steps.")
	return r
}

// The text report at 40 (a phone's terminal), 80 and 200 columns: no line is wider,
// except one that holds a single unbreakable piece alone, and nothing a user copies is
// broken across lines.
func TestTextFitsEveryWidth(t *testing.T) {
	for _, width := range []int{40, 80, 200} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, wideReport(), FormatText, RenderOptions{Verbose: true, Facts: true, Width: width}); err != nil {
				t.Fatal(err)
			}
			golden(t, fmt.Sprintf("report-width%d.txt", width), buf.Bytes())
			for i, line := range strings.Split(buf.String(), "\n") {
				if w := layout.Width(line); w > width && len(layout.Wrap(strings.TrimSpace(line), 1)) > 1 {
					t.Errorf("line %d is %d columns: %q", i+1, w, line)
				}
			}
			for _, whole := range unbreakable {
				if !strings.Contains(buf.String(), whole) {
					t.Errorf("%q is broken across lines", whole)
				}
			}
			if strings.Contains(buf.String(), "\x1b[") {
				t.Error("colour escape without Color")
			}
		})
	}
}

func TestJSONRoundTripsAndRediagnosesTheSame(t *testing.T) {
	original := sampleReport()
	var buf bytes.Buffer
	if err := RenderJSON(&buf, original); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	back.Rediagnose(&Env{Service: &profile.Profile{ID: "binance", Advice: original.Advice[3:]}})
	var again bytes.Buffer
	if err := RenderJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("re-diagnosing a saved report changed it:\n%s", again.String())
	}
}

func TestJUnitParsesBack(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, sampleReport(), FormatJUnit, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	var suites junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &suites); err != nil {
		t.Fatal(err)
	}
	s := suites.Suites[0]
	if s.Tests != 4 || s.Failures != 1 || s.Errors != 1 || s.Skipped != 1 || len(s.Cases) != 4 {
		t.Errorf("suite counts: %+v", s)
	}
	if s.Cases[0].Failure == nil || s.Cases[0].Failure.Type != string(CauseDeviceClock) {
		t.Errorf("clock case: %+v", s.Cases[0])
	}
}

func TestGoldenJSONMatchesTheSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := docs.ValidateReport(data); err != nil {
		t.Errorf("golden report does not match docs/report.schema.json: %v", err)
	}
	// A newer otpdoctor's cause or check id is a report still: the lists are open.
	newer := bytes.Replace(data, []byte(`"cause": "device-clock"`), []byte(`"cause": "gremlins-in-the-clock"`), 1)
	newer = bytes.Replace(newer, []byte(`"id": "secret"`), []byte(`"id": "smartcard"`), 1)
	if err := docs.ValidateReport(newer); err != nil {
		t.Errorf("the schema refused a newer otpdoctor's cause and check: %v", err)
	}
	// The schema must still be able to fail: an id no otpdoctor writes is refused.
	bad := bytes.Replace(data, []byte(`"cause": "device-clock"`), []byte(`"cause": "Gremlins!"`), 1)
	if err := docs.ValidateReport(bad); err == nil {
		t.Error("the schema accepted a cause that is not an id")
	}
}

// With no cause to name, the headline says what was and was not checked, and each
// skipped check's reason appears once, on its own line; the ticket says the same.
func TestTextHeadlineWithoutDiagnosis(t *testing.T) {
	skipped := func(id, title string) Result {
		return Result{ID: id, Title: title, Status: StatusSkip, Summary: "give --" + id + " to check it"}
	}
	clockOK := Result{ID: CheckClock, Title: "Clock", Status: StatusOK, Summary: "Within a millisecond of true time."}
	cases := []struct {
		name     string
		results  []Result
		headline string
		ticket   string // the Markdown ticket's diagnosis
	}{
		{"every check skipped", []Result{skipped("clock", "Clock"), skipped("secret", "Secret")},
			"- Nothing was checked yet: give what the lines below ask for.",
			"Nothing was checked: every check lacked its input (below)."},
		{"the clock right, the others skipped", []Result{clockOK, skipped("secret", "Secret"), skipped("codes", "Codes"), skipped("status", "Service status")},
			"✓ Nothing wrong found in what was checked.\n  Not checked yet: Secret, Codes and Service status. Give what their lines below\n  ask for to check them too.",
			"No cause found in what was checked."},
		{"every check right", []Result{clockOK},
			"✓ Nothing wrong found in what was checked.\n\n  What was checked is not why your code is refused. If the service still refuses\n  them, the reason is on its side: it may hold another key than your app",
			"No cause found in what was checked."},
		{"the codes right", []Result{clockOK, {ID: CheckCodes, Title: "Codes", Status: StatusOK, Summary: "The codes are on time."}},
			"✓ Nothing wrong found in what was checked.\n\n  Your app's codes are right: made from this key, at the right time.",
			"No cause found in what was checked.\n\nYour app's codes are right: made from this key, at the right time. If the service still refuses them, the reason is on its side: it may hold another key than your app (if two-factor was set up again, on another phone or after a reinstall), or it has locked the account for a while after several refused tries."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			report := NewReport(c.results, Meta{ToolVersion: "v0.1.0", Command: "check", Now: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC), Env: &Env{}})
			if err := Render(&buf, report, FormatText, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			text := buf.String()
			if !strings.Contains(text, "\n\n"+c.headline) {
				t.Errorf("headline is not %q:\n%s", c.headline, text)
			}
			// Nothing wrong: say what that means and what to do next.
			if nothingWrong := report.Status == StatusOK && len(skippedTitles(report)) < len(report.Checks); nothingWrong != strings.Contains(text, "What to do next:\n   1. Stop trying for a while") {
				t.Errorf("nothing wrong %v, but the next steps are shown %v:\n%s", nothingWrong, !nothingWrong, text)
			}
			for _, r := range c.results {
				if r.Status == StatusSkip && strings.Count(text, r.Summary) != 1 {
					t.Errorf("%q appears %d times:\n%s", r.Summary, strings.Count(text, r.Summary), text)
				}
			}
			var ticket bytes.Buffer
			if err := Render(&ticket, report, FormatMarkdown, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(ticket.String(), "## Diagnosis\n\n"+c.ticket+"\n") {
				t.Errorf("the ticket's diagnosis is not %q:\n%s", c.ticket, ticket.String())
			}
		})
	}
}

// A status this otpdoctor does not know (a program's own, through the Go API) is
// rendered plainly by every format, never a crash: its name for a mark, no colour, and
// in JUnit an error, since it is not a pass.
func TestUnknownStatusRendersPlainly(t *testing.T) {
	r := sampleReport()
	r.Status = "degraded"
	r.Checks[0].Status = "degraded"
	r.Checks[1].Status = Status(strings.Repeat("unheard-of", 100))
	r.Checks[2].Findings[0].Severity = "dire"
	r.Diagnosis = append(r.Diagnosis, Diagnosis{Cause: "gremlins", Confidence: "certain", Summary: "a cause and a confidence from a newer otpdoctor"})
	noCause := r
	noCause.Diagnosis = nil
	for _, report := range []Report{r, noCause} {
		for _, format := range Formats {
			var buf bytes.Buffer
			if err := Render(&buf, report, format, RenderOptions{Verbose: true, Facts: true, Color: true}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out := buf.String()
			switch format {
			case FormatText:
				if !strings.Contains(out, "\n  [degraded] Clock ") || !strings.Contains(out, "[unheard-ofu…]") {
					t.Errorf("text: unknown statuses not shown by name, plainly:\n%s", out)
				}
			case FormatMarkdown:
				if !strings.Contains(out, "| Clock | degraded |") {
					t.Errorf("markdown: the unknown status is not in the table:\n%s", out)
				}
			case FormatJUnit:
				var suites junitSuites
				if err := xml.Unmarshal(buf.Bytes(), &suites); err != nil {
					t.Fatal(err)
				}
				if s := suites.Suites[0]; s.Errors != 3 || s.Cases[0].Error == nil || !strings.Contains(s.Cases[0].Error.Message, `status "degraded"`) {
					t.Errorf("junit: unknown statuses are not errors: %+v", s)
				}
			}
		}
	}
	var text bytes.Buffer
	if err := Render(&text, noCause, FormatText, RenderOptions{}); err != nil || !strings.Contains(text.String(), "degraded No cause was named") {
		t.Errorf("a report whose own status is unknown: %v\n%s", err, text.String())
	}
}
