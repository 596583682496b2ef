package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/otpdoctor/otpdoctor/checks/phone"
	"github.com/otpdoctor/otpdoctor/diag"
)

// Reading the phone's clock by hand: the user presses Enter the moment the phone's
// minute changes, twice, while otpdoctor knows true time.
const (
	// reactionTime is how long a person typically takes from seeing the minute change
	// to pressing Enter; the flip was that long before the press.
	reactionTime = 300 * time.Millisecond
	// manualUncertainty bounds what presses by hand can tell: reaction times vary.
	manualUncertainty = time.Second
	// pressesAgree: two presses whose offsets differ by more were not both at the
	// minute's change (a press too early, or a glance away).
	pressesAgree = 3 * time.Second
	// pressesWanted is how many presses the measurement takes.
	pressesWanted = 2
	// pressesApart: a press sooner than this after the one before cannot be at the
	// next change of the minute; it is taken for a slip and ignored.
	pressesApart = 45 * time.Second
)

// Answers to "did your phone show this time just after your last press?".
const (
	sameYes = "yes"
	sameNo  = "no"
)

// phoneReading is the phone's clock as the presses measured it.
type phoneReading struct {
	// offset is the phone's clock minus true time (positive: ahead). Presses alone
	// know it within a minute; the time the phone showed adds the whole minutes.
	offset time.Duration
	// flip is the true instant the phone's minute changed, at the last press.
	flip time.Time
	ref  diag.Reference
}

// flipOffset is the phone's clock minus true time, within ±30 s, from a press at
// true instant pressed that came reactionTime after the phone's minute changed: at
// the change the phone read a whole minute.
func flipOffset(pressed time.Time) time.Duration {
	flip := pressed.Add(-reactionTime)
	return wrapMinute(-time.Duration(flip.UnixNano() % int64(time.Minute)))
}

// wrapMinute brings d into (-30 s, 30 s], modulo a minute.
func wrapMinute(d time.Duration) time.Duration {
	d %= time.Minute
	switch {
	case d <= -30*time.Second:
		d += time.Minute
	case d > 30*time.Second:
		d -= time.Minute
	}
	return d
}

// pressedOffset is the phone's offset, within ±30 s, that presses at true instants
// show; ok is false when the presses do not agree on one.
func pressedOffset(presses []time.Time) (offset time.Duration, ok bool) {
	first := flipOffset(presses[0])
	var sum time.Duration
	for _, p := range presses {
		d := wrapMinute(flipOffset(p) - first)
		if d.Abs() > pressesAgree {
			return 0, false
		}
		sum += d
	}
	return wrapMinute(first + sum/time.Duration(len(presses))), true
}

// shownClock is an hour and minute as a phone shows it: 14:07, or 2:07 with pm or not.
type shownClock struct {
	hour, minute int
	// ampm: the hour is on a 12-hour clock without am or pm, so it may be either.
	ampm bool
}

// parseShownClock reads a time as people type what their phone shows: "14:07", "9.05",
// "2:07 pm", "2:07PM". Errors never repeat the input.
func parseShownClock(s string) (shownClock, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	hint := errors.New("type the hour and minute as the phone shows them, like 14:07 or 2:07 pm")
	suffix := ""
	for _, m := range []string{"am", "pm", "a.m.", "p.m."} {
		if rest, ok := strings.CutSuffix(s, m); ok {
			s, suffix = strings.TrimSpace(rest), m[:1]
			break
		}
	}
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		h, m, ok = strings.Cut(s, ".")
	}
	hour, errH := strconv.Atoi(h)
	minute, errM := strconv.Atoi(m)
	if !ok || errH != nil || errM != nil || len(m) != 2 || minute < 0 || minute > 59 || hour < 0 || hour > 23 {
		return shownClock{}, hint
	}
	switch {
	case suffix != "" && (hour < 1 || hour > 12):
		return shownClock{}, hint
	case suffix == "a":
		hour %= 12
	case suffix == "p":
		hour = hour%12 + 12
	}
	return shownClock{hour: hour, minute: minute, ampm: suffix == "" && hour >= 1 && hour <= 12}, nil
}

// withShownClock adds to a within-a-minute offset the whole minutes that the phone
// showing shown (in this computer's time zone) at the true instant flip says: of the
// offsets that fit, the smallest.
func withShownClock(offset time.Duration, flip time.Time, shown shownClock) time.Duration {
	hours := []int{shown.hour}
	if shown.ampm {
		hours = append(hours, (shown.hour+12)%24)
	}
	best := time.Duration(0)
	for i, h := range hours {
		at := time.Date(flip.Year(), flip.Month(), flip.Day(), h, shown.minute, 0, 0, flip.Location())
		d := wrapDay(at.Sub(flip))
		whole := (d - offset).Round(time.Minute)
		if candidate := offset + whole; i == 0 || candidate.Abs() < best.Abs() {
			best = candidate
		}
	}
	return best
}

// wrapDay brings d into (-12 h, 12 h], modulo a day.
func wrapDay(d time.Duration) time.Duration {
	const day = 24 * time.Hour
	d %= day
	switch {
	case d <= -day/2:
		d += day
	case d > day/2:
		d -= day
	}
	return d
}

// Ways to compare the phone's clock with true time.
const (
	phonePage   = "page"    // the phone's one-time page, from a QR code
	phoneByHand = "by-hand" // Enter at the phone's minute changes
)

// pageOffered: the phone's page can be offered. It needs the network, and a QR code
// on the screen, which a screen reader cannot show.
func (g *guideRun) pageOffered() bool { return !g.q.accessible && !g.a.opts.offline }

// byHand: the phone's clock is to be read by hand: the page not offered, not chosen,
// or not reached.
func (g *guideRun) byHand() bool {
	return g.ans.phoneResult == nil && (!g.pageOffered() || g.ans.phoneWay == phoneByHand)
}

func (g *guideRun) askPhoneWay(ctx context.Context) error {
	return g.choose(ctx, "How should otpdoctor compare your phone's clock with true time?",
		"Your phone's clock makes its codes: a few seconds off can make them fail.", &g.ans.phoneWay,
		huh.NewOption("Scan a QR code with the phone (on the same Wi-Fi as this computer)", phonePage),
		huh.NewOption("By hand: press Enter when the phone's minute changes", phoneByHand),
	)
}

// askPhonePage opens the phone's one-time page and waits for the phone to measure
// itself; when it cannot (no phone came, the page cannot start), the clock is read by
// hand instead.
func (g *guideRun) askPhonePage(ctx context.Context) error {
	g.ans.phoneResult = nil
	started, err := g.a.startPhone(g.page.listen, g.page.wait, g.page.invert)
	if err != nil {
		return g.pageFailed(err.Error())
	}
	page := started.(*announcedPhone)
	defer page.srv.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	measured := make(chan diag.Result, 1)
	go func() {
		<-g.clockDone // true time first: a run without the clock check would publish none
		results, _ := diag.Run(ctx, g.env, []diag.Check{page.Check})
		measured <- results[0]
	}()
	m := &pageWait{opened: page.srv.Opened(), measured: measured}
	_, err = tea.NewProgram(m, tea.WithInput(g.q.in), tea.WithOutput(g.q.out), tea.WithContext(ctx)).Run()
	switch {
	case errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled):
		return exitStatus(exitInterrupted)
	case err != nil:
		return err
	case m.back:
		return errBack
	case m.byHand:
		g.ans.phoneWay = phoneByHand
		return nil
	case m.result.Status == diag.StatusError:
		return g.pageFailed(m.result.Summary)
	}
	g.ans.phoneResult = m.result
	g.echo("Phone's clock:", m.result.Summary)
	return nil
}

// pageFailed says why the page did not measure the phone and turns to reading it by hand.
func (g *guideRun) pageFailed(why string) error {
	fmt.Fprintf(g.a.io.Out, "%s\nLet's compare by hand instead.\n", why)
	g.ans.phoneWay = phoneByHand
	return nil
}

// pageWait is the screen while the phone's page waits: what the phone does, and the
// way out to reading the clock by hand.
type pageWait struct {
	opened   <-chan struct{}
	measured <-chan diag.Result
	isOpen   bool
	result   *diag.Result
	byHand   bool
	back     bool
	done     bool
}

type (
	pageOpenedMsg    struct{}
	phoneMeasuredMsg diag.Result
)

func (m *pageWait) Init() tea.Cmd {
	return tea.Batch(
		func() tea.Msg { <-m.opened; return pageOpenedMsg{} },
		func() tea.Msg { return phoneMeasuredMsg(<-m.measured) },
	)
}

func (m *pageWait) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case pageOpenedMsg:
		m.isOpen = true
	case phoneMeasuredMsg:
		r := diag.Result(msg)
		m.result, m.done = &r, true
		return m, tea.Quit
	case tea.KeyMsg:
		switch {
		case msg.Type == tea.KeyCtrlC:
			m.done = true
			return m, tea.Interrupt
		case msg.Type == tea.KeyEsc:
			m.back, m.done = true, true
			return m, tea.Quit
		case msg.Type == tea.KeyRunes && string(msg.Runes) == "h":
			m.byHand, m.done = true, true
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *pageWait) View() string {
	if m.done {
		return ""
	}
	status := "Waiting for your phone to open the page…"
	if m.isOpen {
		status = "Your phone opened the page: measuring its clock…"
	}
	return "   " + status + "\n\n   h compare by hand instead · esc back · ctrl+c leave\n"
}

// phoneCheck is the phone check on what the guide measured of the phone's clock.
func (g *guideRun) phoneCheck() diag.Check {
	if r := g.ans.phoneResult; r != nil {
		return pageMeasured{*r}
	}
	p := g.ans.phone
	if p == nil {
		reason := "not compared: the question was skipped"
		if !g.onPhone() {
			reason = "not asked: the authenticator is not on a phone"
		}
		return diag.Skipped{CheckID: diag.CheckPhone, CheckTitle: phone.Title, Reason: reason}
	}
	m := phone.Measurement{
		// Against this computer's clock, as the phone check takes it: Judge adds the
		// reference's offset back.
		Estimate: phone.Estimate{Offset: p.offset - p.ref.Offset, Uncertainty: manualUncertainty, Rounds: pressesWanted},
		Method:   diag.PhoneMethodManual,
	}
	if g.ans.device == diag.PlatformAndroid || g.ans.device == diag.PlatformIOS {
		m.Device.Platform = g.ans.device
	}
	return readByHand{m: m, ref: p.ref}
}

// pageMeasured is the phone check, run already while the guide asked.
type pageMeasured struct{ result diag.Result }

func (pageMeasured) ID() string    { return diag.CheckPhone }
func (pageMeasured) Title() string { return phone.Title }

func (p pageMeasured) Run(context.Context, *diag.Env) diag.Result { return p.result }

// readByHand is the phone check on a clock read by hand, against the reference the
// presses were converted with.
type readByHand struct {
	m   phone.Measurement
	ref diag.Reference
}

func (readByHand) ID() string    { return diag.CheckPhone }
func (readByHand) Title() string { return phone.Title }

func (c readByHand) Run(_ context.Context, env *diag.Env) diag.Result {
	r, _ := phone.Judge(env, c.m, c.ref)
	return r
}

// askPhoneClock measures the phone's clock from presses at its minute changes.
func (g *guideRun) askPhoneClock(ctx context.Context) error {
	for {
		presses, err := g.pressMinuteChanges(ctx)
		if err != nil || presses == nil {
			g.ans.phone = nil
			return err
		}
		ref := g.env.TrueTime.Wait(ctx)
		trueAt := make([]time.Time, len(presses))
		for i, p := range presses {
			trueAt[i] = ref.True(p)
		}
		offset, ok := pressedOffset(trueAt)
		if ok {
			g.ans.phone = &phoneReading{offset: offset, flip: trueAt[len(trueAt)-1].Add(-reactionTime), ref: ref}
			g.echo("Phone's clock:", describeOffset(offset, ref)+" (by your presses, ±1 s)")
			return nil
		}
		fmt.Fprintln(g.a.io.Out, "Your presses were not both at a change of the minute (they disagree by more than 3 s). Once more, please:")
	}
}

// describeOffset says a phone's offset in words.
func describeOffset(offset time.Duration, ref diag.Reference) string {
	against := "true time"
	if !ref.Known() {
		against = "this computer's clock"
	}
	secs := fmt.Sprintf("%.1f s", offset.Abs().Seconds())
	switch {
	case offset > 0:
		return secs + " ahead of " + against
	case offset < 0:
		return secs + " behind " + against
	}
	return "right on " + against
}

// askPhoneSame asks whether the phone showed the minute the presses imply: presses
// know the offset within a minute only.
func (g *guideRun) askPhoneSame(ctx context.Context) error {
	p := g.ans.phone
	expected := p.flip.Add(p.offset).Round(time.Minute).In(g.zone()).Format("15:04")
	return g.choose(ctx, fmt.Sprintf("Just after your last press, did your phone show %s?", expected),
		"The same hour and minute, in your time zone.", &g.ans.phoneSame,
		huh.NewOption("Yes, "+expected, sameYes),
		huh.NewOption("No, another time", sameNo),
	)
}

// askPhoneTime takes the time the phone showed, for the whole minutes or hours it is off.
func (g *guideRun) askPhoneTime(ctx context.Context) error {
	field := huh.NewInput().Title("What time did your phone show just after your last press?").
		Value(&g.ans.phoneTime).Validate(func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := parseShownClock(s)
		return err
	})
	if err := g.q.ask(ctx, field, "Like 14:07 or 2:07 pm. Leave it empty if you do not know."); err != nil {
		return err
	}
	if shown, err := parseShownClock(g.ans.phoneTime); err == nil {
		p := g.ans.phone
		p.offset = withShownClock(p.offset, p.flip.In(g.zone()), shown)
		g.echo("Phone's clock:", describeOffset(p.offset, p.ref))
	}
	return nil
}

// zone is this computer's time zone, which the phone is taken to show its time in.
func (g *guideRun) zone() *time.Location { return g.a.now().Location() }

// pressMinuteChanges shows true time live and records this machine's clock at each
// Enter. nil presses (and no error) means the user skipped the measurement.
func (g *guideRun) pressMinuteChanges(ctx context.Context) ([]time.Time, error) {
	intro := "Your phone's clock. Watch the clock on your phone (its lock screen will do).\nPress Enter the moment its minute changes, then again at the next change, a minute later."
	if g.q.accessible {
		fmt.Fprintln(g.a.io.Out, intro)
		var presses []time.Time
		for len(presses) < pressesWanted {
			now := g.trueNowText()
			line, err := g.q.line(ctx, fmt.Sprintf("True time now: %s. Press Enter when your phone's minute changes (s and Enter to skip): ", now))
			if err != nil {
				return nil, err
			}
			at := g.a.now()
			if n := len(presses); n > 0 && at.Sub(presses[n-1]) < pressesApart {
				fmt.Fprintln(g.a.io.Out, "That was less than a minute after your last press: wait for the next change.")
				continue
			}
			if strings.EqualFold(strings.TrimSpace(line), "s") {
				return nil, nil
			}
			presses = append(presses, at)
		}
		return presses, nil
	}
	m := &pressModel{intro: intro, g: g}
	_, err := tea.NewProgram(m, tea.WithInput(g.q.in), tea.WithOutput(g.q.out), tea.WithContext(ctx)).Run()
	switch {
	case errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled):
		return nil, exitStatus(exitInterrupted)
	case err != nil:
		return nil, err
	case m.back:
		return nil, errBack
	case m.skip:
		g.echo("Phone's clock:", "(skipped)")
		return nil, nil
	}
	return m.presses, nil
}

// trueNowText is true time now in this computer's zone, once the clock check has
// measured it; this machine's clock until then.
func (g *guideRun) trueNowText() string {
	now := g.a.now()
	select {
	case <-g.clockDone:
		ref := g.env.TrueTime.Wait(context.Background())
		if !ref.Known() {
			return now.Format("15:04:05") + " (this computer's clock: no time server answered)"
		}
		return ref.True(now).Format("15:04:05")
	default:
		return now.Format("15:04:05") + " (this computer's clock: true time is still being measured)"
	}
}

// pressModel is the live screen of the presses: true time ticking, Enter recorded.
type pressModel struct {
	intro   string
	g       *guideRun
	presses []time.Time
	back    bool
	skip    bool
	done    bool // the screen is left: View draws nothing more
	early   bool // the last Enter came too soon after the press before
}

type tickMsg struct{}

func tick() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m *pressModel) Init() tea.Cmd { return tick() }

func (m *pressModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		return m, tick()
	case tea.KeyMsg:
		switch msg.Type {
		case tea.KeyEnter:
			now := m.g.a.now()
			if n := len(m.presses); n > 0 && now.Sub(m.presses[n-1]) < pressesApart {
				m.early = true
				return m, nil
			}
			m.presses, m.early = append(m.presses, now), false
			if len(m.presses) == pressesWanted {
				return m.leave()
			}
		case tea.KeyEsc:
			m.back = true
			return m.leave()
		case tea.KeyCtrlC:
			m.done = true
			return m, tea.Interrupt
		case tea.KeyRunes:
			if string(msg.Runes) == "s" {
				m.skip = true
				return m.leave()
			}
		}
	}
	return m, nil
}

func (m *pressModel) leave() (tea.Model, tea.Cmd) {
	m.done = true
	return m, tea.Quit
}

func (m *pressModel) View() string {
	if m.done {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.intro + "\n")
	fmt.Fprintf(&b, "\n   True time  %s\n\n", m.g.trueNowText())
	fmt.Fprintf(&b, "   Presses: %d of %d\n", len(m.presses), pressesWanted)
	if m.early {
		b.WriteString("   That was less than a minute after your last press: wait for the next change.\n")
	}
	b.WriteString("\n")
	b.WriteString("   enter the minute changed now · s skip · esc back · ctrl+c leave\n")
	return b.String()
}
