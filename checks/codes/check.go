package codes

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// Search widths the command line starts from.
const (
	NarrowWindow  = 10 * time.Minute // the first search, either side of the reference
	DefaultWindow = 24 * time.Hour   // the widest search of one code without --window or --deep
	// WideWindow is the widest search of two codes or more without --window: a year
	// costs about 2 M steps, and two 6-digit codes match there by accident about twice
	// in a million runs.
	WideWindow       = 366 * 24 * time.Hour
	DefaultLookAhead = 100 // HOTP counters past the stored one
	// MaxLookAhead is the most --look-ahead searches: about a second on a busy
	// machine; ten times more is a search of minutes for a token nobody pressed that often.
	MaxLookAhead = 1_000_000
	// serviceLookAhead is about how many codes ahead services accept an HOTP code (RFC
	// 4226 leaves it to them; a few to ten): a token further ahead is refused.
	serviceLookAhead = 10
	deepYearsAhead   = 30   // --deep searches from 1970 to this far ahead
	possibleChance   = 0.01 // a single-code match likelier than this by chance is only possible
)

// Check is the codes check: when, and under which settings, the codes the user's app
// showed were valid.
type Check struct {
	Key   secret.Key
	Codes []string // as the app showed them, oldest first: consecutive steps
	// CodeTime is when the first code was read (true time); zero means the last code is
	// the one the app shows now.
	CodeTime time.Time
	// ShownAt is this machine's clock (Env.Now) when the last code was read off the app,
	// converted to true time by the run's reference; zero means when the check runs. A
	// command that prompts for more input after taking the codes sets it, so that the
	// seconds spent typing do not age them.
	ShownAt time.Time
	// FirstShownAt is this machine's clock when the first code was read, when that was
	// timed too (the guide times each code as it is typed); converted like ShownAt.
	// With ShownAt it pins the app's clock between both readings. CodeTime overrides it.
	FirstShownAt time.Time
	// Window is the widest half-width searched around the reference; zero means
	// DefaultWindow for one code and WideWindow for more (the first search is the
	// narrower of it and NarrowWindow). Deep searches from 1970 to 30 years ahead as well.
	Window    time.Duration
	Deep      bool
	LookAhead uint64 // HOTP: counters searched past the key's
	// Stale are the keys of other entries for the same account (an export holding the
	// account twice): tried near true time when the codes match nowhere under Key.
	Stale []secret.Key
	// Progress, when set, is told how a search stage advances (from several goroutines).
	Progress func(stage string, done, total uint64)
}

// The check's report id and title.
const (
	CheckID    = "codes"
	CheckTitle = "Codes"
)

func (c *Check) ID() string    { return CheckID }
func (c *Check) Title() string { return CheckTitle }

// window is the widest half-width searched: Window when given, else as wide as the
// codes allow without matching by chance: a day for one code, a year for more.
func (c *Check) window() time.Duration {
	switch {
	case c.Window > 0:
		return c.Window
	case len(c.Codes) >= 2:
		return WideWindow
	}
	return DefaultWindow
}

// Params is a setting codes are made with.
type Params struct {
	Algorithm secret.Algorithm
	Digits    int
	Period    int             // seconds; 0 for HOTP
	Encoding  secret.Encoding // secret.Steam: Steam Guard's letters
}

func (p Params) String() string {
	if p.Encoding == secret.Steam {
		return fmt.Sprintf("Steam Guard (%s, %d characters, %d s)", p.Algorithm, p.Digits, p.Period)
	}
	if p.Period == 0 {
		return fmt.Sprintf("%s, %d digits", p.Algorithm, p.Digits)
	}
	return fmt.Sprintf("%s, %d digits, %d s", p.Algorithm, p.Digits, p.Period)
}

// periodFact is the period as the facts carry it: null for HOTP, which has none.
func (p Params) periodFact() *int {
	if p.Period == 0 {
		return nil
	}
	return &p.Period
}

func paramsOf(k secret.Key) Params {
	p := Params{Algorithm: k.Algorithm, Digits: k.Digits, Period: k.Period, Encoding: k.Encoding}
	if k.Type == secret.HOTP {
		p.Period = 0
	}
	return p
}

// localClock is the reference fact when no time source answered.
const localClock = "local-clock"

// Run searches for the codes and says what the match, or its absence, means.
func (c *Check) Run(ctx context.Context, env *diag.Env) diag.Result {
	k := c.Key.WithDefaults()
	if err := Supported(k.Algorithm); err != nil {
		return diag.Result{Status: diag.StatusError, Unfinished: true, Summary: sentence(err.Error() + ": no code was searched")}
	}
	var codes, details []string
	if n := KeyGivenAsCode(c.Codes); n > 0 {
		return keyAsCode(n)
	}
	for i, s := range c.Codes {
		if f, ok := backupCodeIn(env.Service, k, s); ok {
			return backupCodeTyped(i+1, env.Service, f)
		}
		code, err := parseCodeFor(k, s)
		if err != nil {
			return malformed(k, fmt.Sprintf("code %d cannot be read: %v", i+1, err))
		}
		if i > 0 && len(code) != len(codes[0]) {
			return malformed(k, fmt.Sprintf("code %d has %d digits but code 1 has %d: give codes from one entry", i+1, len(code), len(codes[0])))
		}
		if n := len(codes); n > 0 && codes[n-1] == code {
			// A code lasts a whole step: the same code twice was read twice in one step.
			details = append(details, fmt.Sprintf("Code %d repeats the code before it: taken once.", i+1))
			continue
		}
		codes = append(codes, code)
	}
	if len(codes) == 0 {
		return diag.Result{Status: diag.StatusSkip, Summary: "no code given"}
	}

	s := &search{check: c, key: k, codes: codes, env: env, details: details}
	s.facts = diag.CodesFacts{
		Algorithm: string(k.Algorithm), Digits: k.Digits, Period: paramsOf(k).periodFact(),
		Codes: len(codes), Fingerprint: k.Fingerprint(),
	}
	if k.Type == secret.TOTP {
		s.referTo(ctx)
	}
	return s.run(ctx)
}

// referTo sets the instant searched around: true time from the clock check, or this
// machine's clock when no reference answered (the result says which).
func (s *search) referTo(ctx context.Context) {
	ref := diag.Reference{Source: diag.ReferenceNone}
	if s.env.TrueTime != nil {
		ref = s.env.TrueTime.Wait(ctx)
	}
	shown := s.check.ShownAt
	if shown.IsZero() {
		shown = s.env.Now()
	}
	s.now = ref.True(shown)
	if ref.Known() {
		s.hostOffset = ref.Offset
	}
	at := s.now.UTC()
	s.facts.Reference, s.facts.ReferenceTime = ref.Source, &at
	if !ref.Known() {
		s.facts.Reference = localClock
		s.details = append(s.details, "Searched around this machine's clock, which may itself be off: "+ref.Missing()+".")
	} else {
		s.details = append(s.details, fmt.Sprintf("True time %s (from %s).", at.Format(time.RFC3339), ref.Source))
	}
	switch {
	case !s.check.CodeTime.IsZero():
		s.firstAt = s.check.CodeTime
		s.details = append(s.details, fmt.Sprintf("Searched around %s, when the first code was read (--code-time).", s.firstAt.UTC().Format(time.RFC3339)))
	case !s.check.FirstShownAt.IsZero():
		s.firstAt = ref.True(s.check.FirstShownAt)
		s.details = append(s.details, fmt.Sprintf("Searched around %s, when the first code was typed.", s.firstAt.UTC().Format(time.RFC3339)))
	}
}

// backupCodeIn reports whether s, given as the authenticator's code, is one of the
// named service's backup codes instead: it fits a backup format and is not a code of the
// key's own length. The generic profile's loose format would take an 8-digit app code
// (a parameter mismatch) for a backup code, so only a named service is asked.
func backupCodeIn(p *profile.Profile, k secret.Key, s string) (*profile.CodeFormat, bool) {
	if p == nil || p.ID == profile.GenericID {
		return nil, false
	}
	f, ok := p.LooksLikeBackupCode(s)
	if !ok {
		return nil, false
	}
	code, err := ParseCode(s)
	return f, err != nil || len(code) != k.Digits
}

// backupCodeTyped is the result for a backup code typed where the authenticator's code belongs.
func backupCodeTyped(n int, p *profile.Profile, f *profile.CodeFormat) diag.Result {
	message := fmt.Sprintf("Code %d is not an authenticator code: it has the shape of a %s backup code (%s). Backup codes go where the service asks for a backup or recovery code, not in the authenticator code field.", n, p.Name, f.Name)
	return diag.Result{
		Status:  diag.StatusFail,
		Summary: message,
		Facts:   unsearched(),
		Findings: []diag.Finding{{
			Cause: diag.CauseCodeTypo, Severity: diag.SeverityFail, Message: message,
			Steps: diag.Steps(
				"On the sign-in page, choose the option to use a backup or recovery code, and type it there.",
				fmt.Sprintf("Or give otpdoctor the %d-digit code your authenticator app shows now, with --code.", p.TOTP.Digits),
				"otpdoctor backup --backup-code CODE checks a backup code itself.",
			),
		}},
	}
}

// KeyGivenAsCode is the number (1-based) of the first code that is an authenticator key
// instead, such as Binance's 16-character Backup Key typed into the code field; 0 when
// none is. A key is 16 or more base32 characters (spaces and dashes between groups).
func KeyGivenAsCode(codes []string) int {
	for i, s := range codes {
		text := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
		if len(text) < 16 || strings.Trim(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=") != "" {
			continue
		}
		if _, err := secret.DecodeBase32(text); err == nil {
			return i + 1
		}
	}
	return 0
}

// KeyAsCode is the codes check when code N is a key and no key was given: the key in
// the code field is the finding, and needs no key to be told.
type KeyAsCode struct{ N int }

func (KeyAsCode) ID() string    { return CheckID }
func (KeyAsCode) Title() string { return CheckTitle }

func (k KeyAsCode) Run(context.Context, *diag.Env) diag.Result { return keyAsCode(k.N) }

// keyAsCode is the result for code n that is an authenticator key.
func keyAsCode(n int) diag.Result {
	message := fmt.Sprintf("Code %d is not a code: it is an authenticator key (like Binance's 16-character Backup Key). A key re-creates your authenticator; it is never typed where the code goes.", n)
	return diag.Result{
		Status:  diag.StatusFail,
		Summary: message,
		Facts:   unsearched(),
		Findings: []diag.Finding{diag.NewFinding(diag.CauseBackupKeyConfusion, diag.SeverityFail, message,
			"Give otpdoctor the 6-digit code your authenticator shows, with --code; to check the key itself, give it with --secret-file (or OTPDOCTOR_SECRET), not --code.")},
	}
}

// unsearched are the facts of a result that searched nothing: the code was not one.
func unsearched() *diag.CodesFacts { return &diag.CodesFacts{Searched: []string{}} }

// malformed is the result for a code that cannot be read: a finding, not a usage error.
func malformed(k secret.Key, message string) diag.Result {
	message = sentence(message)
	step := "Type the code exactly as the app shows it: digits only (spaces between groups are fine)."
	if k.Encoding == secret.Steam {
		step = "Type the code exactly as the Steam app shows it: 5 characters, the digits 2 to 9 and consonants."
	}
	return diag.Result{
		Status:  diag.StatusFail,
		Summary: message,
		Facts:   unsearched(),
		Findings: []diag.Finding{{
			Cause: diag.CauseCodeTypo, Severity: diag.SeverityFail, Message: message,
			Steps: diag.Steps(step),
		}},
	}
}
