package diag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/otpdoctor/otpdoctor/internal/layout"
)

// marks are the one-character verdicts of the text report, after flutter's doctor.
var marks = map[Status]string{
	StatusOK:    "✓",
	StatusWarn:  "!",
	StatusFail:  "✗",
	StatusSkip:  "-",
	StatusError: "?",
}

type textPrinter struct {
	w       io.Writer
	err     error
	width   int // cells a line may take
	zone    *time.Location
	verbose bool
	facts   bool
	palette map[Status]*color.Color
	plain   *color.Color // never coloured: a status palette does not know
	bold    *color.Color
	dim     *color.Color
}

func newTextPrinter(w io.Writer, o RenderOptions) *textPrinter {
	p := &textPrinter{
		w: w, width: cmp.Or(max(o.Width, 0), layout.DefaultWidth), verbose: o.Verbose || o.Facts, facts: o.Facts,
		palette: map[Status]*color.Color{
			StatusOK:    color.New(color.FgGreen),
			StatusWarn:  color.New(color.FgYellow),
			StatusFail:  color.New(color.FgRed, color.Bold),
			StatusSkip:  color.New(color.Faint),
			StatusError: color.New(color.FgMagenta),
		},
		plain: color.New(),
		bold:  color.New(color.Bold),
		dim:   color.New(color.Faint),
	}
	p.plain.DisableColor()
	for _, c := range append(slices.Collect(maps.Values(p.palette)), p.bold, p.dim) {
		if o.Color {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

// style is status s's colour; plain for a status this otpdoctor does not know (a
// program's own, through the Go API).
func (p *textPrinter) style(s Status) *color.Color {
	if c, ok := p.palette[s]; ok {
		return c
	}
	return p.plain
}

// mark is status s's mark in its colour.
func (p *textPrinter) mark(s Status) string { return p.style(s).Sprint(markOf(s)) }

// markOf is status s's one-character mark, or for a status this otpdoctor does not
// know its name, cut short.
func markOf(s Status) string {
	if m, ok := marks[s]; ok {
		return m
	}
	const most = 12
	if name := []rune(string(s)); len(name) > most {
		return string(name[:most-1]) + "…"
	}
	return string(s)
}

func (p *textPrinter) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// headline prints a report's headline after its mark, wrapped to the width, each
// line in style.
func (p *textPrinter) headline(style *color.Color, mark, text string) {
	for i, line := range layout.Wrap(text, p.width-2) {
		lead := "  "
		if i == 0 {
			lead = mark + " "
		}
		p.printf("%s%s\n", lead, style.Sprint(line))
	}
}

// leastText is the narrowest a column of text beside a label is worth: on a window
// too narrow for it, the text goes under the label.
const leastText = 24

// para prints text wrapped to the width: the first line after prefix, the rest
// indented to line up under the text, or, where that leaves too little room, all of
// it under the prefix, indented a little more than it. Commands, codes and URLs are
// never broken (layout.Wrap).
func (p *textPrinter) para(prefix, text string) {
	room := p.width - layout.Width(prefix)
	if label := strings.TrimRight(prefix, " "); room < leastText && layout.Width(text) > room && layout.Width(label) > 4 {
		p.printf("%s\n", label)
		lead := layout.Width(label) - layout.Width(strings.TrimLeft(label, " "))
		prefix = strings.Repeat(" ", max(0, min(lead+4, p.width-leastText)))
	}
	for _, line := range layout.Hanging(prefix, text, p.width) {
		p.printf("%s\n", line)
	}
}

func renderText(w io.Writer, r Report, o RenderOptions) error {
	p := newTextPrinter(w, o)
	p.zone = r.zone()
	header := fmt.Sprintf("otpdoctor %s · %s · this computer's clock read %s", r.ToolVersion, r.Command, p.dateTime(r.GeneratedAt))
	for _, line := range layout.Wrap(header, p.width) {
		p.printf("%s\n", p.dim.Sprint(line))
	}
	p.printf("\n")
	if r.Interrupted {
		p.headline(p.style(StatusWarn), p.mark(StatusWarn), "Interrupted: this report is partial.")
		p.printf("\n")
	}
	p.diagnosis(r)
	p.checks(r)
	p.trueTime(r)
	if len(r.Diagnosis) > 0 || p.verbose {
		p.printf("\n%s\n", p.bold.Sprint("Avoid it next time:"))
		for _, a := range r.Advice {
			p.para("  • ", a)
		}
	}
	return p.err
}

// diagnosis prints why the code was refused, the most likely cause first with the
// steps that fix it and the other possible causes below it, then the other things
// found, which are worth fixing but are not why.
func (p *textPrinter) diagnosis(r Report) {
	causes, others := SplitDiagnosis(r.Diagnosis)
	if len(causes) == 0 {
		p.undiagnosed(r)
	} else {
		p.topCause(causes[0])
		p.briefly("Also possible:", causes[1:])
	}
	p.briefly("Other things found (not why the code was refused):", others)
	if len(r.Diagnosis) > 0 {
		p.printf("\n")
	}
}

// topCause prints the most likely cause, its evidence under -v, and its steps.
func (p *textPrinter) topCause(top Diagnosis) {
	status := confidenceStatus(top.Confidence)
	p.headline(p.bold, p.mark(status), possibly(headline(top.Cause), top.Confidence))
	p.para("  ", top.Summary)
	p.evidence(top)
	if len(top.Fix) > 0 {
		p.printf("\n  %s\n", p.bold.Sprint("What to do:"))
		for i, step := range top.Fix {
			p.para(fmt.Sprintf("  %2d. ", i+1), step)
		}
	}
	if top.Docs != "" {
		p.printf("\n")
		p.para("  ", "More about this: 'otpdoctor help "+string(top.Cause)+"'")
	}
}

// possibly is a cause's headline as the top of a report states it: a cause the
// evidence hardly supports (low confidence) is not stated as a fact.
func possibly(title, confidence string) string {
	if confidence != ConfidenceLow || title == "" {
		return title
	}
	first, size := utf8.DecodeRuneInString(title)
	return "Possibly: " + string(unicode.ToLower(first)) + title[size:]
}

// briefly lists diagnoses under a title, one line each; -v adds evidence and steps.
func (p *textPrinter) briefly(title string, list []Diagnosis) {
	if len(list) == 0 {
		return
	}
	p.printf("\n")
	p.headline(p.bold, " ", title)
	for _, d := range list {
		st := confidenceStatus(d.Confidence)
		p.para("  "+p.mark(st)+" ", fmt.Sprintf("%s (%s confidence): %s", headline(d.Cause), d.Confidence, d.Summary))
		if p.verbose {
			p.evidence(d)
			for i, step := range d.Fix {
				p.para(fmt.Sprintf("      %d. ", i+1), step)
			}
		}
	}
}

// undiagnosed prints the headline of a report whose checks named no cause: nothing
// checked, nothing wrong (and what was not checked), or why no cause can be named.
func (p *textPrinter) undiagnosed(r Report) {
	skipped := skippedTitles(r)
	switch {
	case len(skipped) == len(r.Checks):
		p.headline(p.style(StatusSkip), p.mark(StatusSkip), "Nothing was checked yet: give what the lines below ask for.")
	case r.Status == StatusOK:
		p.headline(p.style(StatusOK), p.mark(StatusOK), "Nothing wrong found in what was checked.")
		if len(skipped) > 0 {
			p.para("  ", "Not checked yet: "+listing(skipped)+". Give what their lines below ask for to check them too.")
		}
		p.nothingWrong(r)
	case len(r.Diagnosis) > 0:
		p.headline(p.style(StatusOK), p.mark(StatusOK), "Nothing found that explains a refused code.")
		p.nothingWrong(r)
	default:
		p.headline(p.style(r.Status), p.mark(r.Status), cmp.Or(noCauseHeadline[r.Status], "No cause was named: read the checks below."))
	}
	if len(r.Diagnosis) == 0 {
		p.printf("\n")
	}
}

// nothingWrong says what a report with nothing wrong means, and what to do next: a
// code that is still refused is refused for a reason on the service's side.
func (p *textPrinter) nothingWrong(r Report) {
	p.printf("\n")
	p.para("  ", NothingWrongMeaning(r))
	p.printf("\n  %s\n", p.bold.Sprint("What to do next:"))
	for i, step := range NothingWrongSteps {
		p.para(fmt.Sprintf("  %2d. ", i+1), step)
	}
}

// NothingWrongMeaning says what nothing wrong found means: the codes are right when
// the codes check passed, and what the service may do that no check sees.
func NothingWrongMeaning(r Report) string {
	checked := "What was checked is not why your code is refused."
	if slices.ContainsFunc(r.Checks, func(c Result) bool { return c.ID == CheckCodes && c.Status == StatusOK }) {
		checked = "Your app's codes are right: made from this key, at the right time."
	}
	return checked + " If the service still refuses them, the reason is on its side: it may hold another key than your app (if two-factor was set up again, on another phone or after a reinstall), or it has locked the account for a while after several refused tries."
}

// NothingWrongSteps are what to do when nothing wrong was found and the code is still refused.
var NothingWrongSteps = []string{
	"Stop trying for a while: after several refused codes, services lock the account for some time (often 15 minutes to a few hours), and each new try can start it again.",
	"Then sign in with a backup code if you have one (otpdoctor backup --backup-code CODE checks it first).",
	"Still refused: write to the service's support with a ticket that says what was checked: otpdoctor ticket --output ticket.md.",
}

// noCauseHeadline is the headline of a report whose checks did not all pass yet named
// no cause.
var noCauseHeadline = map[Status]string{
	StatusWarn:  "Nothing certain yet: read the notes under the checks below.",
	StatusError: "Some checks could not measure (below), so no cause can be named yet.",
	StatusFail:  "A check failed (below), without naming a cause.",
}

// skippedTitles are the titles of the checks that did not run.
func skippedTitles(r Report) []string {
	var titles []string
	for _, c := range r.Checks {
		if c.Status == StatusSkip {
			titles = append(titles, c.Title)
		}
	}
	return titles
}

// listing joins items as people list them: "a", "a and b", "a, b and c".
func listing(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func (p *textPrinter) evidence(d Diagnosis) {
	if !p.verbose {
		return
	}
	for _, e := range d.Evidence {
		if e != d.Summary {
			p.para("    + ", e)
		}
	}
	for _, e := range d.Against {
		p.para("    - ", e)
	}
}

func (p *textPrinter) checks(r Report) {
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Title))
	}
	p.printf("%s\n", p.bold.Sprint("Checks:"))
	for _, c := range r.Checks {
		mark := p.style(c.Status).Sprintf("[%s]", markOf(c.Status))
		p.para(fmt.Sprintf("  %s %-*s  ", mark, width, c.Title), c.Summary)
		if !p.verbose {
			continue
		}
		for _, f := range c.Findings {
			p.para("        "+p.mark(StatusOf(f))+" ", fmt.Sprintf("%s: %s", f.Cause, f.Message))
		}
		for _, d := range c.Details {
			p.para("        ", d)
		}
		if !p.facts {
			continue
		}
		facts := FactValues(c.Facts)
		for _, k := range slices.Sorted(maps.Keys(facts)) {
			for _, line := range factLines(k, facts[k]) {
				p.para("        "+p.dim.Sprint(Visible(line[0])+": "), line[1])
			}
		}
	}
}

// factLines shows one fact as (label, value) lines: a list of objects (such as the
// clock's sources) gets a line per object, as key=value pairs that wrap at spaces.
func factLines(key string, v any) [][2]string {
	list, isList := v.([]any)
	if !isList || len(list) == 0 {
		return [][2]string{{key, compactJSON(v)}}
	}
	if _, objects := list[0].(map[string]any); !objects {
		return [][2]string{{key, compactJSON(v)}}
	}
	var lines [][2]string
	for i, item := range list {
		obj, _ := item.(map[string]any)
		var pairs []string
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			pairs = append(pairs, Visible(k)+"="+compactJSON(obj[k]))
		}
		lines = append(lines, [2]string{fmt.Sprintf("%s[%d]", key, i), strings.Join(pairs, " ")})
	}
	return lines
}

// compactJSON is v as one line of JSON, Visible: JSON escapes control characters but
// not bidi overrides, and a saved report's facts are input.
func compactJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return Visible(fmt.Sprint(v))
	}
	return Visible(string(data))
}

// trueTime prints the true time and the seconds left in the current 30 s step, from the
// clock check's facts, so the user can hold the authenticator's countdown next to it.
func (p *textPrinter) trueTime(r Report) {
	for _, c := range r.Checks {
		clock, ok := c.Facts.(*ClockFacts)
		if !ok || clock.TrueTime == nil || clock.StepSecondsLeft == nil {
			continue
		}
		trueTime, err := time.Parse(time.RFC3339Nano, *clock.TrueTime)
		if err != nil {
			return
		}
		p.printf("\n")
		p.para("", fmt.Sprintf("True time when this report was made: %s, %.0f s left in the current 30-second step (compare your authenticator's countdown).",
			ClockTimes(trueTime, p.zone), math.Ceil(*clock.StepSecondsLeft)))
		return
	}
}

// dateTime is an instant as the report's header shows it: the date and time in UTC,
// and the local time of the computer the report was made on beside it.
func (p *textPrinter) dateTime(t time.Time) string {
	return t.UTC().Format(time.DateOnly) + " " + ClockTimes(t, p.zone)
}

// zone is the time zone of the computer the report was made on, from its clock check
// (so that explain shows the user's local time, not the reader's); nil when unknown.
func (r Report) zone() *time.Location {
	for _, c := range r.Checks {
		if clock, ok := c.Facts.(*ClockFacts); ok && clock.Timezone != "" {
			return time.FixedZone(clock.Timezone, clock.UTCOffsetSeconds)
		}
	}
	return nil
}

func confidenceStatus(confidence string) Status {
	switch confidence {
	case ConfidenceHigh:
		return StatusFail
	case ConfidenceMedium:
		return StatusWarn
	}
	return StatusError
}
