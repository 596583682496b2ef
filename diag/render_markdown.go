package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// renderMarkdown writes a support ticket: the problem, what was checked and found,
// the steps, and the environment. Facts carry fingerprints only, never a key.
func renderMarkdown(w io.Writer, r Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Two-factor code problem: otpdoctor report\n\n")
	fmt.Fprintf(&b, "- **Overall status:** %s\n", r.Status)
	if r.Service != "" {
		fmt.Fprintf(&b, "- **Service:** %s\n", r.Service)
	}
	fmt.Fprintf(&b, "- **Made:** %s by otpdoctor %s (`otpdoctor %s`)\n", r.GeneratedAt.UTC().Format("2006-01-02 15:04:05 UTC"), r.ToolVersion, r.Command)
	if r.Interrupted {
		fmt.Fprintf(&b, "- **Interrupted:** this report is partial\n")
	}

	fmt.Fprintf(&b, "\n## Diagnosis\n\n")
	if len(r.Diagnosis) == 0 {
		if len(skippedTitles(r)) == len(r.Checks) {
			fmt.Fprintf(&b, "Nothing was checked: every check lacked its input (below).\n")
		} else {
			fmt.Fprintf(&b, "No cause found in what was checked.\n")
			if r.Status == StatusOK {
				fmt.Fprintf(&b, "\n%s\n", mdEscape(NothingWrongMeaning(r)))
			}
		}
	}
	causes, others := SplitDiagnosis(r.Diagnosis)
	if len(causes) == 0 && len(others) > 0 {
		fmt.Fprintf(&b, "Nothing found that explains a refused code.\n")
	}
	mdDiagnoses(&b, causes)
	if len(others) > 0 {
		fmt.Fprintf(&b, "\n### Other things found (not why the code was refused)\n\n")
		mdDiagnoses(&b, others)
	}

	if len(r.Tried) > 0 {
		fmt.Fprintf(&b, "\n## Already tried\n\n")
		for _, t := range r.Tried {
			fmt.Fprintf(&b, "- %s\n", mdEscape(t))
		}
	}

	fmt.Fprintf(&b, "\n## What was checked\n\n| Check | Status | Result |\n|---|---|---|\n")
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(c.Title), mdCell(string(c.Status)), mdCell(c.Summary))
	}
	for _, c := range r.Checks {
		if c.Status == StatusSkip {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n", c.Title)
		for _, f := range c.Findings {
			fmt.Fprintf(&b, "- %s `%s`: %s\n", f.Severity, f.Cause, mdEscape(f.Message))
		}
		for _, d := range c.Details {
			fmt.Fprintf(&b, "- %s\n", mdEscape(d))
		}
		facts, err := json.MarshalIndent(c.Facts, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "\n```json\n%s\n```\n", visibleLines(string(facts)))
	}

	fmt.Fprintf(&b, "\n## Environment\n\n")
	fmt.Fprintf(&b, "- OS: %s/%s\n- Time zone: %s (UTC%s)\n- otpdoctor: %s\n", r.Environment.OS, r.Environment.Arch, r.Environment.Timezone, FormatUTCOffset(r.Environment.UTCOffsetSeconds), r.ToolVersion)
	if r.Platform != "" || r.App != "" {
		fmt.Fprintf(&b, "- Authenticator: %s on %s\n", orUnknown(AppName(r.App)), orUnknown(PlatformName(r.Platform)))
	}
	fmt.Fprintf(&b, "\nKeys appear only as fingerprints (first 8 hex digits of SHA-256) and backup codes only by their first characters or by position; this report holds no secret.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// FormatUTCOffset writes a zone offset in seconds as +hh:mm.
func FormatUTCOffset(seconds int) string {
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	return fmt.Sprintf("%c%02d:%02d", sign, seconds/3600, seconds%3600/60)
}

func orUnknown(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}

// mdEscape keeps text from turning into Markdown markup it did not mean: emphasis,
// HTML (a </details> that closes a ticket's section), code, and links and images
// ([text](url), ![alt](url)): no link starts without its opening bracket.
var mdEscaper = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;", "`", "\\`", "[", "\\[")

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdCell is mdEscape for a table cell: no pipes, no line breaks.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(mdEscape(s), "|", "\\|"), "\n", " ")
}

// mdDiagnoses writes diagnoses as a numbered list with their evidence and steps.
func mdDiagnoses(b *strings.Builder, list []Diagnosis) {
	for i, d := range list {
		fmt.Fprintf(b, "%d. **%s** (`%s`, %s confidence): %s\n", i+1, headline(d.Cause), d.Cause, d.Confidence, mdEscape(d.Summary))
		for _, e := range d.Evidence {
			if e == d.Summary {
				continue
			}
			fmt.Fprintf(b, "   - evidence: %s\n", mdEscape(e))
		}
		for _, e := range d.Against {
			fmt.Fprintf(b, "   - against: %s\n", mdEscape(e))
		}
		if len(d.Fix) > 0 {
			fmt.Fprintf(b, "   - steps:\n")
			for j, s := range d.Fix {
				fmt.Fprintf(b, "     %d. %s\n", j+1, s)
			}
		}
	}
}
