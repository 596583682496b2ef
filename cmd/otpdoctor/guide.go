package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/charmbracelet/huh"
	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/layout"
	"github.com/otpdoctor/otpdoctor/profile"
)

func init() { registerCommand("guide", newGuideCmd) }

// guideArgs are the arguments `otpdoctor` runs with: the guide when it is started
// with none from a terminal (stdin and stdout both), else args as they are, so that
// pipes, scripts and CI see exactly what they always saw.
func guideArgs(args []string, s *streams) []string {
	if len(args) == 0 && s.InTTY && s.OutTTY {
		return []string{"guide"}
	}
	return args
}

func newGuideCmd(a *app) *cobra.Command {
	var accessible bool
	clock, status, page := &clockPart{}, &statusPart{}, &phonePart{always: true}
	cmd := &cobra.Command{
		Use:   "guide",
		Short: "Answer a few plain questions and get the diagnosis: what otpdoctor does on a terminal with no arguments",
		Long: `Walk through plain questions to the diagnosis, with no flags to learn: what
'otpdoctor' does when started with no arguments from a terminal.

It asks which service and what fails (the code your app shows, a backup code, a lost
phone), what holds your authenticator, and compares your phone's clock with true
time: the phone scans a QR code and opens the one-time page of 'otpdoctor phone'
(--listen, --wait), or, by hand or when the phone cannot reach the page, you press
Enter the moment the phone's minute changes, twice. It asks for the code
your app shows now and the next one (each is timed when you press Enter), and only if
you have them, the 2FA key and your backup codes (typed hidden, never printed). This
computer's clock is measured in the background from the start, and the service's
status at the end. Then it prints the diagnosis and the steps, exactly as
'otpdoctor check' does, and offers to save a support ticket (Markdown, created 0600)
with what you tried filled in.

Every question can be answered "I don't know" (or left empty). Esc goes back to the
previous question; Ctrl-C leaves at once (exit 130) with the terminal as it was.

--accessible asks one plain line at a time (numbered choices, Enter to answer), for
screen readers; it is also what TERM=dumb gets, and it works with standard input that
is not a terminal. It reads the phone's clock by hand (a QR code cannot be read out). Flags already given (--service, --platform, --app, a key with
--secret-file or --qr) skip their questions.`,
		Example: `  # on a terminal, otpdoctor alone is
  # the same as otpdoctor guide
  otpdoctor
  otpdoctor guide --service binance
  otpdoctor guide --accessible
  TERM=dumb otpdoctor`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			accessible = accessible || a.io.Getenv("TERM") == "dumb"
			if !accessible && !(a.io.InTTY && a.io.OutTTY) {
				return usagef("run it in a terminal, answer line by line with --accessible, or use 'otpdoctor check' with flags",
					"the guide needs a terminal for its questions")
			}
			return a.guide(c.Context(), accessible, clock, status, page)
		},
	}
	cmd.Flags().BoolVar(&accessible, "accessible", false, "ask one plain line at a time (screen readers, TERM=dumb; standard input may be a pipe)")
	clock.addFlags(cmd.Flags())
	status.addFlags(cmd.Flags())
	page.addFlags(cmd.Flags())
	return cmd
}

// What fails, the first thing the guide asks.
const (
	troubleAppCode    = "app-code"
	troubleBackupCode = "backup-code"
	troubleLostPhone  = "lost-phone"
)

// Where the authenticator is, besides a platform id: this computer.
const onComputer = "computer"

// How the user can give the key.
const (
	keyPaste  = "paste"
	keyQR     = "qr"
	keyExport = "export"
	keyNone   = "none"
)

// answers are what the user told the guide; "" (or nil) is "I don't know".
type answers struct {
	service string // a profile id
	trouble string
	device  string // a platform id, or onComputer
	app     string // an app id

	phoneWay    string        // phonePage or phoneByHand
	phoneResult *diag.Result  // the phone check's result, when the page measured the phone
	phone       *phoneReading // the phone's clock, from the presses at its minute changes
	phoneSame   string        // the phone shows the same hour and minute as true time: sameYes, sameNo
	phoneTime   string        // the time the phone shows, typed when not the same

	code, nextCode string
	// codeAt and nextCodeAt are this machine's clock when each code was typed (Enter).
	codeAt, nextCodeAt time.Time

	keyHow     string // keyPaste, keyQR, keyExport or keyNone
	keyText    string // pasted
	keyPath    string // a QR screenshot or an app export
	keyAccount string // the fingerprint of the account picked, when the source holds several

	backupCode string
}

// guideRun is one run of the guide.
type guideRun struct {
	a   *app
	q   *asker
	ans answers
	// env is the background clock's: its TrueTime is known once clockDone is closed.
	env       *diag.Env
	clockDone <-chan struct{}
	// keyEntries are the accounts in the key source given, to pick one from.
	keyEntries []secret.Entry
	// answered are the choices made so far (an answer "" is "I don't know" once made).
	answered map[*string]bool
	// page is where and how long the phone's page waits (--listen, --wait, --invert).
	page *phonePart
}

// guide asks the questions, runs the checks on the answers, prints the diagnosis as
// `check` does, and offers to save a support ticket.
func (a *app) guide(ctx context.Context, accessible bool, clockFlags *clockPart, statusFlags *statusPart, page *phonePart) error {
	clockCheck, err := clockFlags.build(a)
	if err != nil {
		return err
	}
	env := a.env()
	g := &guideRun{
		a: a, env: env,
		q:         newAsker(a.io, accessible, a.io.colorFor(a.io.OutTTY, a.opts.noColor)),
		clockDone: measureInBackground(ctx, env, clockCheck),
		ans:       answers{service: a.namedServiceID(), device: a.opts.platform, app: a.opts.app},
		page:      page,
		answered:  map[*string]bool{},
	}
	fmt.Fprintln(a.io.Out, "otpdoctor finds out why your two-factor code is refused. A few questions; answer \"I don't know\" (or leave it empty) whenever you are not sure.")
	if !accessible {
		fmt.Fprintln(a.io.Out, "Esc goes back to the previous question; Ctrl-C leaves.")
	}
	fmt.Fprintln(a.io.Out)
	if err := g.askAll(ctx); err != nil {
		return err
	}
	report, err := g.diagnose(ctx, clockFlags, statusFlags)
	if err != nil {
		return err
	}
	// The screen shows the text report whatever --format says: --format is --output's.
	if err := diag.Render(a.io.Out, report, diag.FormatText, a.renderOptions(a.io.OutTTY, width(a.io.OutSize))); err != nil {
		return err
	}
	if err := a.writeOutput(report); err != nil {
		return err
	}
	if report.Interrupted {
		return exitStatus(exitInterrupted)
	}
	if err := g.offerTicket(ctx, report); err != nil {
		return err
	}
	if code := report.ExitCode(a.opts.strict); code != exitOK {
		return exitStatus(code)
	}
	return nil
}

// namedServiceID is --service's id, or "" when none (or the generic one) was named.
func (a *app) namedServiceID() string {
	if s := a.namedService(); s != nil {
		return s.ID
	}
	return ""
}

// measureInBackground runs the clock check at once, so that true time is known by the
// time the phone's clock is compared with it; done is closed when it is.
func measureInBackground(ctx context.Context, env *diag.Env, c diag.Check) (done <-chan struct{}) {
	finished := make(chan struct{})
	go func() {
		diag.Run(ctx, env, []diag.Check{c})
		close(finished)
	}()
	return finished
}

// A guideStep is one question, put when it applies to the answers so far.
type guideStep struct {
	applies func() bool
	ask     func(ctx context.Context) error
}

// askAll puts every question that applies, in order; Esc goes back to the last one
// answered.
func (g *guideRun) askAll(ctx context.Context) error {
	steps := g.steps()
	var answered []int
	for i := 0; i < len(steps); {
		if !steps[i].applies() {
			i++
			continue
		}
		err := steps[i].ask(ctx)
		switch {
		case err == errBack:
			if n := len(answered); n > 0 {
				i, answered = answered[n-1], answered[:n-1]
			}
		case err != nil:
			return err
		default:
			answered = append(answered, i)
			i++
		}
	}
	return nil
}

func (g *guideRun) steps() []guideStep {
	serviceGiven, platformGiven, appGiven := g.ans.service != "", g.ans.device != "", g.ans.app != ""
	keyGiven := len(g.a.keyInputFlags()) > 0 || g.a.io.Getenv(secretEnv) != ""
	ans := &g.ans
	return []guideStep{
		{func() bool { return !serviceGiven }, g.askService},
		{always, g.askTrouble},
		{func() bool { return g.hasAuthenticator() && !platformGiven }, g.askDevice},
		{func() bool { return g.hasAuthenticator() && !appGiven }, g.askApp},
		{func() bool { return g.onPhone() && g.pageOffered() }, g.askPhoneWay},
		{func() bool { return g.onPhone() && ans.phoneWay == phonePage }, g.askPhonePage},
		{func() bool { return g.onPhone() && g.byHand() }, g.askPhoneClock},
		{func() bool { return g.onPhone() && ans.phone != nil }, g.askPhoneSame},
		{func() bool { return g.onPhone() && ans.phone != nil && ans.phoneSame == sameNo }, g.askPhoneTime},
		{g.hasAuthenticator, g.askCode},
		{func() bool { return g.hasAuthenticator() && ans.code != "" }, g.askNextCode},
		{func() bool { return !keyGiven }, g.askKeyHow},
		{func() bool { return !keyGiven && ans.hasKey() }, g.askKey},
		{func() bool { return !keyGiven && ans.hasKey() && len(g.keyEntries) > 1 }, g.askAccount},
		{func() bool { return ans.trouble != troubleAppCode }, g.askBackupCode},
	}
}

func always() bool { return true }

// hasAuthenticator: the user still has the app whose codes are refused (or is not sure).
func (g *guideRun) hasAuthenticator() bool {
	return g.ans.trouble != troubleLostPhone && g.ans.trouble != troubleBackupCode
}

// onPhone: the authenticator is on a phone (or the user does not know where), whose
// clock is not this computer's.
func (g *guideRun) onPhone() bool { return g.hasAuthenticator() && g.ans.device != onComputer }

// The choice every question offers, and its value in the list: "" is its answer, but
// a list whose cursor starts on "" would be scrolled past its top.
const (
	dontKnow      = "I don't know"
	dontKnowValue = "?"
)

// choose asks a question with a list of answers (and "I don't know" last, answered
// as "") and puts the answer in value. The cursor starts on the answer given before,
// when the user came back to the question, else on the first choice.
func (g *guideRun) choose(ctx context.Context, title, description string, value *string, options ...huh.Option[string]) error {
	options = append(options, huh.NewOption(dontKnow, dontKnowValue))
	chosen := *value
	if chosen == "" && (g.answered[value] || g.q.accessible) { // an empty line answers the default
		chosen = dontKnowValue
	}
	// Options before Value: the list scrolls to the value only if it knows it then.
	field := huh.NewSelect[string]().Title(title).Options(options...).Value(&chosen)
	if err := g.q.ask(ctx, field, description); err != nil {
		return err
	}
	g.echo(title, optionKey(options, chosen))
	if chosen == dontKnowValue {
		chosen = ""
	}
	*value, g.answered[value] = chosen, true
	return nil
}

// optionKey is the label of the option whose value is v.
func optionKey(options []huh.Option[string], v string) string {
	for _, o := range options {
		if o.Value == v {
			return o.Key
		}
	}
	return v
}

// echo leaves the question and its answer on the screen once the form is gone, so
// that the screen keeps the whole conversation.
func (g *guideRun) echo(question, answer string) {
	if g.q.accessible {
		return // the accessible prompts stay on screen as typed
	}
	fmt.Fprintf(g.a.io.Out, "%s %s\n", question, answer)
}

func (g *guideRun) askService(ctx context.Context) error {
	var options []huh.Option[string]
	for _, p := range g.a.profiles.All() {
		if p.ID != profile.GenericID {
			options = append(options, huh.NewOption(p.Name, p.ID))
		}
	}
	options = append(options, huh.NewOption("Another one", profile.GenericID))
	return g.choose(ctx, "Which service are you locked out of?", "Type / to search the list.", &g.ans.service, options...)
}

func (g *guideRun) askTrouble(ctx context.Context) error {
	return g.choose(ctx, "What is refused?", "", &g.ans.trouble,
		huh.NewOption("The code my authenticator app shows", troubleAppCode),
		huh.NewOption("A backup code", troubleBackupCode),
		huh.NewOption("I lost the phone (or the app)", troubleLostPhone),
	)
}

func (g *guideRun) askDevice(ctx context.Context) error {
	return g.choose(ctx, "What holds your authenticator app?", "", &g.ans.device,
		huh.NewOption("An Android phone", diag.PlatformAndroid),
		huh.NewOption("An iPhone", diag.PlatformIOS),
		huh.NewOption("This computer", onComputer),
	)
}

func (g *guideRun) askApp(ctx context.Context) error {
	var options []huh.Option[string]
	for _, id := range diag.Apps() {
		options = append(options, huh.NewOption(diag.AppName(id), id))
	}
	return g.choose(ctx, "Which authenticator app?", "", &g.ans.app, options...)
}

// askCode takes the code the app shows now; askNextCode the one after it: two
// consecutive codes pin the phone's clock where one could match by chance.
func (g *guideRun) askCode(ctx context.Context) error {
	return g.askTimedCode(ctx, "Type the code your app shows now, then press Enter",
		"Leave it empty if you cannot see one. Type it as it is, even if you think it is wrong.",
		"Code shown now:", &g.ans.code, &g.ans.codeAt)
}

func (g *guideRun) askNextCode(ctx context.Context) error {
	return g.askTimedCode(ctx, "Now wait until the app shows a new code, and type that one",
		"Two codes in a row tell otpdoctor your phone's clock without doubt. Leave it empty to skip.",
		"Next code:", &g.ans.nextCode, &g.ans.nextCodeAt)
}

// askTimedCode takes a code into code, and in at this machine's clock when Enter was
// pressed: the moment the app showed it.
func (g *guideRun) askTimedCode(ctx context.Context, title, description, label string, code *string, at *time.Time) error {
	if err := g.q.ask(ctx, huh.NewInput().Title(title).Value(code), description); err != nil {
		return err
	}
	*code, *at = strings.TrimSpace(*code), g.a.now()
	g.echo(label, orSkipped(*code))
	return nil
}

func orSkipped(s string) string {
	if s == "" {
		return "(skipped)"
	}
	return s
}

func (g *guideRun) askKeyHow(ctx context.Context) error {
	return g.choose(ctx, "Do you have the 2FA key itself? (only if you do)", keyWhere(g.ans.app), &g.ans.keyHow,
		huh.NewOption("I can paste the key, or its otpauth:// link", keyPaste),
		huh.NewOption("I have a screenshot of its QR code", keyQR),
		huh.NewOption("I have an export file from the app", keyExport),
		huh.NewOption("No", keyNone),
	)
}

// hasKey: the user said how they can give the key.
func (ans *answers) hasKey() bool { return ans.keyHow != "" && ans.keyHow != keyNone }

// keyWhere says where the key can be found, for the app when it is known.
func keyWhere(app string) string {
	where := map[string]string{
		"google-authenticator":    "Google Authenticator: menu ⋮ › Transfer accounts › Export accounts shows a QR code: take a screenshot of it.",
		"aegis":                   "Aegis: Settings › Import & Export › Export, without encryption (delete the file afterwards).",
		"2fas":                    "2FAS: Settings › 2FAS Backup › Export to file, without a password (delete the file afterwards).",
		"bitwarden":               "Bitwarden: open the login; its authenticator key (TOTP) field holds the key.",
		"1password":               "1Password: edit the item; its one-time password field holds the otpauth:// link.",
		"authy":                   "Authy cannot export keys: answer No.",
		"microsoft-authenticator": "Microsoft Authenticator cannot export keys: answer No.",
		"duo":                     "Duo Mobile cannot export keys: answer No.",
	}
	if w, ok := where[app]; ok {
		return w + " otpdoctor never prints or stores the key."
	}
	return "It is in the QR code or text the service showed when you set up 2FA, or in an export of Aegis or 2FAS, or Google Authenticator's \"Transfer accounts\". otpdoctor never prints or stores the key."
}

// askKey takes the key as chosen: pasted hidden, or a file's path. What is given must
// read as a key source before the guide goes on.
func (g *guideRun) askKey(ctx context.Context) error {
	var field *huh.Input
	description := "Leave it empty if you do not have it after all."
	switch g.ans.keyHow {
	case keyPaste:
		field = hiddenInput().Title("Paste the key or the otpauth:// link (hidden), then press Enter").Value(&g.ans.keyText)
		field.Validate(func(s string) error { return g.readKeySource([]byte(s)) })
	default:
		what := "the QR code screenshot (PNG, JPEG or GIF)"
		if g.ans.keyHow == keyExport {
			what = "the app's export file"
		}
		description = "You can drag the file onto this window. " + description
		field = huh.NewInput().Title("The path of " + what).Value(&g.ans.keyPath)
		field.Validate(func(s string) error {
			if cleanPath(s) == "" {
				return nil
			}
			if err := keyTyped(s, "go back (Esc) and choose to paste the key, where it stays hidden"); err != nil {
				return err
			}
			data, err := fileio.ReadFile(ctx, cleanPath(s), nil, secret.MaxImageBytes)
			if err != nil {
				return err
			}
			defer clear(data)
			if g.ans.keyHow == keyQR && !secret.IsImage(data) {
				return fmt.Errorf("this is not a PNG, JPEG or GIF image: go back (Esc) and choose the export file if it is one")
			}
			return g.readKeySource(data)
		})
	}
	if err := g.q.ask(ctx, field, description); err != nil {
		return err
	}
	g.ans.keyPath, g.ans.keyText = cleanPath(g.ans.keyPath), strings.TrimSpace(g.ans.keyText)
	if g.ans.keyPath == "" && g.ans.keyText == "" {
		g.keyEntries = nil
		g.echo("Key:", "(skipped)")
		return nil
	}
	g.echo("Key:", "given (never shown)")
	return nil
}

// keyTyped refuses a key typed at a question that asks for something else (a path),
// as refuseKeys does on the command line: the question's error must not repeat it.
func keyTyped(answer, hint string) error {
	if secret.LooksLikeKey(answer) {
		return errors.New(keyNotUsed + "; " + hint)
	}
	return nil
}

// cleanPath undoes what dropping a file on a terminal adds: quotes and spaces.
func cleanPath(s string) string {
	return strings.Trim(strings.TrimSpace(s), `'"`)
}

// readKeySource checks that data is a key source and keeps its accounts, to pick one
// when there are several. The error never repeats the input.
func (g *guideRun) readKeySource(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // no key after all
	}
	src, err := secret.Parse(data)
	if err == nil && len(src.Entries) == 1 && src.Entries[0].Err != nil {
		err = src.Entries[0].Err
	}
	if err != nil {
		return fmt.Errorf("this is not a key otpdoctor can read: %v", err)
	}
	g.keyEntries = src.Entries
	return nil
}

func (g *guideRun) askAccount(ctx context.Context) error {
	var options []huh.Option[string]
	for _, e := range g.keyEntries {
		options = append(options, huh.NewOption(fmt.Sprintf("%s %s (fingerprint %s)", orDash(e.Key.Issuer), orDash(e.Key.Account), e.Fingerprint()), e.Fingerprint()))
	}
	return g.choose(ctx, "Which account is the one refused?", "", &g.ans.keyAccount, options...)
}

func (g *guideRun) askBackupCode(ctx context.Context) error {
	field := hiddenInput().Title("Type the backup code you tried (hidden), then press Enter").Value(&g.ans.backupCode)
	if err := g.q.ask(ctx, field, "Leave it empty if you have none. otpdoctor never prints it; the report shows it masked."); err != nil {
		return err
	}
	g.ans.backupCode = strings.TrimSpace(g.ans.backupCode)
	g.echo("Backup code:", map[bool]string{true: "given (never shown)", false: "(skipped)"}[g.ans.backupCode != ""])
	return nil
}

// diagnose applies the answers to the command line's inputs and runs every check, as
// `check` would with the same flags.
func (g *guideRun) diagnose(ctx context.Context, clockFlags *clockPart, statusFlags *statusPart) (diag.Report, error) {
	a, ans := g.a, g.ans
	if ans.service != "" {
		a.service, _ = a.profiles.Lookup(ans.service)
	}
	if ans.device != onComputer {
		a.opts.platform = ans.device
	} else {
		a.opts.platform = thisPlatform()
	}
	a.opts.app = ans.app
	switch {
	case ans.keyText != "":
		a.typedKey = []byte(ans.keyText)
	case ans.keyHow == keyQR && ans.keyPath != "":
		a.opts.qrs = []string{ans.keyPath}
	case ans.keyHow == keyExport && ans.keyPath != "":
		a.opts.secretFiles = []string{ans.keyPath}
	}
	a.opts.account = ans.keyAccount
	a.opts.tried = ans.tried(a)

	fmt.Fprintf(a.io.Out, "\nChecking…\n\n")
	var backupCodes []string
	if ans.backupCode != "" {
		backupCodes = []string{ans.backupCode}
	}
	var checks []diag.Check
	for _, p := range []part{
		clockFlags,
		&secretPart{},
		ans.codesPart(),
		&backupPart{codes: backupCodes},
		statusFlags,
	} {
		check, err := p.build(a)
		if err != nil {
			return diag.Report{}, err
		}
		checks = append(checks, check)
	}
	checks = append(checks, g.phoneCheck())
	// The clock is measured again: the report says how it is now, as check's would.
	return a.diagnose(ctx, a.env(), "guide", checks), nil
}

// codesPart is the codes check on the codes typed, each timed when Enter was pressed.
func (ans answers) codesPart() *codesPart {
	p := &codesPart{window: codes.DefaultWindow, lookAhead: codes.DefaultLookAhead}
	switch {
	case ans.code != "" && ans.nextCode != "":
		p.codes, p.firstShownAt, p.shownAt = []string{ans.code, ans.nextCode}, ans.codeAt, ans.nextCodeAt
	case ans.code != "":
		p.codes, p.shownAt = []string{ans.code}, ans.codeAt
	}
	return p
}

// thisPlatform is this computer's platform id.
func thisPlatform() string {
	switch runtime.GOOS {
	case "darwin":
		return diag.PlatformMacOS
	case "windows":
		return diag.PlatformWindows
	}
	return diag.PlatformLinux
}

// tried says, for the support ticket, what the user told the guide and did in it.
func (ans answers) tried(a *app) []string {
	var lines []string
	what := map[string]string{
		troubleAppCode:    "The code my authenticator app shows is refused",
		troubleBackupCode: "A backup code is refused",
		troubleLostPhone:  "I lost the phone (or the app) that holds my authenticator",
	}[ans.trouble]
	if what != "" {
		if ans.app != "" {
			what += " (" + diag.AppName(ans.app) + ")"
		}
		lines = append(lines, what+".")
	}
	if ans.phone != nil {
		lines = append(lines, "Compared the phone's clock with true time by hand, pressing a key when its minute changed.")
	}
	if n := len(ans.codesPart().codes); n > 0 {
		lines = append(lines, fmt.Sprintf("Typed %d %s from the app into otpdoctor, each timed when it was entered.", n, diag.Plural(n, "code", "consecutive codes")))
	}
	if ans.backupCode != "" {
		lines = append(lines, "Checked the backup code that was refused.")
	}
	return lines
}

// offerTicket offers to save the report as a Markdown support ticket, created 0600.
func (g *guideRun) offerTicket(ctx context.Context, report diag.Report) error {
	save := true
	confirm := huh.NewConfirm().Title("Save a support ticket with all this, to send to the service?").
		Affirmative("Save it").Negative("No").Value(&save)
	if err := g.q.ask(ctx, confirm, "It holds what was checked and found, never your key or backup codes."); err != nil && err != errBack {
		return err
	}
	if !save {
		return nil
	}
	path := ticketName(report)
	field := huh.NewInput().Title("Save it as").Value(&path).Validate(func(s string) error {
		if cleanPath(s) == "" {
			return fmt.Errorf("give a file name")
		}
		return keyTyped(s, "give a file name")
	})
	if err := g.q.ask(ctx, field, ""); err != nil && err != errBack {
		return err
	}
	var buf bytes.Buffer
	if err := diag.Render(&buf, report, diag.FormatMarkdown, g.a.renderOptions(false, layout.DefaultWidth)); err != nil {
		return err
	}
	path = cleanPath(path)
	if err := fileio.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return usagef("save it in a folder that exists and that you can write to", "cannot save the ticket: %v", err)
	}
	abs, _ := filepath.Abs(path)
	fmt.Fprintf(g.a.io.Out, "Ticket saved to %s (only you can read it). Paste it into the service's support form.\n", abs)
	return nil
}

// ticketName is a file name for the report's ticket that is not taken yet.
func ticketName(report diag.Report) string {
	base := "otpdoctor-ticket-" + report.GeneratedAt.UTC().Format("20060102-150405")
	if report.Service != "" && report.Service != profile.GenericID {
		base = "otpdoctor-ticket-" + report.Service + "-" + report.GeneratedAt.UTC().Format("20060102-150405")
	}
	name := base + ".md"
	for i := 2; fileExists(name); i++ {
		name = fmt.Sprintf("%s-%d.md", base, i)
	}
	return name
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
