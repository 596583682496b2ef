package backup

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// Code is one code given as a backup code, and where it came from.
type Code struct {
	Text  string
	Where string // "--backup-code 2", "github-recovery-codes.txt line 4"
	// Set is the file the code came from, "" for a code given on its own; SetTime is
	// that file's modification time, which tells an older set from a newer one.
	Set     string
	SetTime time.Time
}

// Check is the backup check.
type Check struct {
	Codes []Code
	// Ledger is the used-codes ledger; nil when there is none to consult.
	Ledger *Ledger
	// Catalog holds the other services, to recognise their codes; nil = the embedded one.
	Catalog *profile.Catalog
	// Key is the authenticator key the user gave, if any: a backup key is compared with it.
	Key *secret.Key
	// Reveal lets findings name the whole codes a mistyped code was probably meant to
	// be. Without it they name positions and characters only: reports end up in tickets.
	Reveal bool
}

const (
	ID    = "backup"
	Title = "Backup codes"
)

func (c *Check) ID() string    { return ID }
func (c *Check) Title() string { return Title }

// judged is one code (in Check.Codes) with the part of its verdict every code needs;
// the full verdict (problems, candidates, key) is kept only for the codes that are not
// Valid. A pasted list of 87,000 valid codes then costs 48 bytes a code here, not 112.
type judged struct {
	*Code
	Kind   Kind
	Norm   string
	Format *profile.CodeFormat
	*Verdict
}

// judgedOf keeps what the run needs of v.
func judgedOf(c *Code, v Verdict) judged {
	j := judged{Code: c, Kind: v.Kind, Norm: v.Norm, Format: v.Format}
	if v.Kind != Valid {
		kept := v
		j.Verdict = &kept
	}
	return j
}

// run is the state of one run of the check.
type run struct {
	c        *Check
	env      *diag.Env
	p        *profile.Profile
	codes    []judged
	ledger   *Entries
	facts    diag.BackupFacts
	findings []diag.Finding
	details  []string
	// codeFindings counts the findings about single codes, shown up to maxCodeFindings.
	codeFindings int
}

// maxCodeFindings keeps a report on a pasted list readable: further codes with problems
// are summed up in one finding.
const maxCodeFindings = 12

// maxCodeDetails bounds the per-code lines under -v: a pasted file of thousands of
// "codes" is summed up, not listed.
const maxCodeDetails = 100

func (c *Check) Run(ctx context.Context, env *diag.Env) diag.Result {
	r := &run{c: c, env: env, p: env.Service}
	if r.p == nil {
		r.p = profile.Generic()
	}
	r.facts.Service = r.p.ID
	r.readLedger()
	r.codes = make([]judged, 0, len(c.Codes))
	for i := range c.Codes {
		v := Judge(r.p, c.Codes[i].Text)
		if v.Kind != Empty {
			r.codes = append(r.codes, judgedOf(&c.Codes[i], v))
		}
	}
	r.facts.Total = len(r.codes)
	r.judgeEach(ctx)
	r.duplicates()
	r.moreCodeFindings()
	r.mixedSets()
	r.remaining()
	return r.result()
}

func (r *run) readLedger() {
	if r.c.Ledger == nil {
		return
	}
	// Reports name the ledger by its file name, never its path: the path names the
	// user's home, and reports end up in tickets.
	entries, err := r.c.Ledger.Read()
	if err != nil {
		reason := strings.ReplaceAll(err.Error(), r.c.Ledger.Path, LedgerFile)
		r.details = append(r.details, "used-codes ledger: "+reason)
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeUsed, Severity: diag.SeverityWarn,
			Message: "Could not tell which codes were already used: " + reason + ".",
			Steps:   diag.Steps("Move " + LedgerFile + " (in the otpdoctor folder of your config directory) aside: otpdoctor starts a new ledger. Then mark your spent codes again with otpdoctor backup mark-used --service ID CODE."),
		})
		return
	}
	r.ledger = entries
	n := entries.Count(r.p.ID)
	r.facts.LedgerUsed = &n
	r.details = append(r.details, fmt.Sprintf("used-codes ledger: %d of %s codes marked used", n, possessive(r.p.Name)))
}

// judgeEach turns each code's verdict into facts, details and findings. A pasted list
// of thousands of codes costs little per code: past the first maxCodeDetails details
// and maxCodeFindings findings, codes are only counted, their messages never built.
func (r *run) judgeEach(ctx context.Context) {
	formats := map[string]int{}
	for i := range r.codes {
		j := r.codes[i]
		switch j.Kind {
		case Valid:
			r.facts.Valid++
			formats[j.Format.Name]++
			if r.markedUsed(j) {
				r.facts.Used++
				r.codeFindingOf(j, (*run).usedFinding)
			}
		case KeyLike:
			r.facts.KeyLike++
			r.codeFinding(*r.keyFinding(ctx, j))
		case TOTPLike:
			r.facts.Invalid++
			r.facts.TOTPLike++
			r.codeFindingOf(j, (*run).totpFinding)
		case NoBackupCodes:
			r.facts.Invalid++
			r.codeFindingOf(j, (*run).noCodesFinding)
		case Malformed:
			r.facts.Invalid++
			r.codeFindingOf(j, (*run).malformedFinding)
		}
		switch {
		case i < maxCodeDetails:
			r.details = append(r.details, r.detail(j))
		case i == maxCodeDetails:
			r.details = append(r.details, fmt.Sprintf("… and %d more codes", len(r.codes)-i))
		}
	}
	r.facts.Format = mostCommon(formats)
}

// detail is the line -v shows for one code.
func (r *run) detail(j judged) string {
	switch j.Kind {
	case Valid:
		return fmt.Sprintf("%s (%s): fits %s", j.Where, Mask(j.Format, j.Norm), j.Format.Name)
	case KeyLike:
		return fmt.Sprintf("%s: a base32 key (%d bits, fingerprint %s)", j.Where, len(j.Key)*8, secret.Fingerprint(j.Key))
	case TOTPLike:
		return fmt.Sprintf("%s: %d digits, an authenticator code", j.Where, len(j.Norm))
	case NoBackupCodes:
		return fmt.Sprintf("%s: %s issues no backup codes", j.Where, r.p.Name)
	}
	return j.Where + " " + r.describe(j)
}

// describe is j's verdict in words, with the codes probably meant when the user asked.
func (r *run) describe(j judged) string {
	msg := j.Describe(r.p)
	if meant := j.Meant(); r.c.Reveal && meant != "" {
		msg += " " + meant
	}
	return msg
}

// codeFinding adds a finding about one code, up to maxCodeFindings of them.
func (r *run) codeFinding(f diag.Finding) {
	if r.roomForCodeFinding() {
		r.findings = append(r.findings, f)
	}
}

// codeFindingOf adds the finding build makes about j; past maxCodeFindings it only
// counts it, without building its message.
func (r *run) codeFindingOf(j judged, build func(*run, judged) *diag.Finding) {
	if r.roomForCodeFinding() {
		r.findings = append(r.findings, *build(r, j))
	}
}

// roomForCodeFinding counts one more finding about a single code and reports whether
// it is still shown.
func (r *run) roomForCodeFinding() bool {
	r.codeFindings++
	return r.codeFindings <= maxCodeFindings
}

// moreCodeFindings sums up the code findings beyond maxCodeFindings.
func (r *run) moreCodeFindings() {
	if more := r.codeFindings - maxCodeFindings; more > 0 {
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeInvalid, Severity: diag.SeverityWarn,
			Message: fmt.Sprintf("%d more %s (run with -v to see the first %d codes).", more, diag.Plural(more, "code has a problem", "codes have problems"), maxCodeDetails),
			Steps:   diag.FixSteps(diag.CauseBackupCodeInvalid),
		})
	}
}

// markedUsed reports whether the ledger has j marked used.
func (r *run) markedUsed(j judged) bool {
	if r.ledger == nil {
		return false
	}
	_, ok := r.ledger.Lookup(r.p.ID, j.Norm)
	return ok
}

// usedFinding is the finding about a code the ledger has marked used.
func (r *run) usedFinding(j judged) *diag.Finding {
	u, _ := r.ledger.Lookup(r.p.ID, j.Norm)
	msg := fmt.Sprintf("%s (%s) was marked used on %s: a backup code works only once.", j.Where, Mask(j.Format, j.Norm), u.Marked.Format(MarkedLayout))
	if n := r.ledger.Count(r.p.ID); j.Format.Issued > 1 {
		msg += fmt.Sprintf(" The ledger has %d of %s codes marked used; of a set of %d, about %d remain.",
			n, possessive(r.p.Name), j.Format.Issued, max(j.Format.Issued-n, 0))
	}
	f := diag.NewFinding(diag.CauseBackupCodeUsed, diag.SeverityFail, msg,
		"Take a code you have not used yet; otpdoctor backup --backup-file FILE shows which codes of your set are still unused.")
	return &f
}

// keyFinding: the "backup code" is an authenticator key. Show the code it makes now
// (never the key) so the user can compare it with their app.
func (r *run) keyFinding(ctx context.Context, j judged) *diag.Finding {
	key := r.inspectKey(j)
	ref := r.env.TrueTime.Wait(ctx)
	now := ref.True(r.env.Now())
	code := codes.TOTPAt(key, now)
	left := key.Period - int(now.Unix()%int64(key.Period))
	clock := "by the true time"
	if !ref.Known() {
		clock = "by this computer's clock, which was not checked"
	}
	what := fmt.Sprintf("a %d-character base32 key, most likely an authenticator key", len(strings.TrimRight(j.Norm, "=")))
	if r.p.BackupKeyIsTOTPKey {
		what = fmt.Sprintf("%s backup key, which is the authenticator key itself", possessive(r.p.Name))
	}
	msg := fmt.Sprintf("%s is not a backup code to type in: it is %s (%d bits). Right now (%s) it makes the code %s, valid for %d more seconds.",
		j.Where, what, len(j.Key)*8, clock, code, left)
	if r.c.Key != nil && len(r.c.Key.Secret) > 0 {
		if secret.Fingerprint(j.Key) == r.c.Key.Fingerprint() {
			msg += " It is the same key as the one you gave otpdoctor."
		} else {
			msg += " It is a different key from the one you gave otpdoctor: your app may hold an old key."
		}
	}
	severity := diag.SeverityFail
	if j.Format != nil { // it also fits a loose format: maybe a long backup code after all
		severity = diag.SeverityWarn
		msg += fmt.Sprintf(" (It could also be a backup code: %s does not say what its codes look like.)", r.p.Name)
	}
	f := diag.NewFinding(diag.CauseBackupKeyConfusion, severity, msg,
		fmt.Sprintf("Compare %s with the code your authenticator app shows for %s right now. If they match, your app already holds this key: type the app's code where the service asks for the authenticator code. If they differ, or the entry is gone:", code, r.p.Name))
	return &f
}

// inspectKey reads a backup key as the secret check reads a key, with the service's
// parameters, and adds what the secret check finds about it (length, encoding, whether
// the user's app handles it).
func (r *run) inspectKey(j judged) secret.Key {
	key := secret.Key{Type: secret.TOTP, Secret: j.Key}
	if src, err := secret.Parse([]byte(j.Text)); err == nil && len(src.Entries) == 1 && src.Entries[0].Err == nil {
		key = src.Entries[0].Key // keeps what the text showed: padding, stray bits
	}
	key.Algorithm = secret.Algorithm(r.p.TOTP.Algorithm)
	key.Digits, key.Period = r.p.TOTP.Digits, r.p.TOTP.Period
	findings, details := secret.Inspect(key, r.env)
	for _, d := range details {
		r.details = append(r.details, j.Where+" as an authenticator key: "+d)
	}
	for _, f := range findings {
		f.Message = j.Where + " as an authenticator key: " + f.Message
		r.codeFinding(f)
	}
	return key.WithDefaults()
}

func (r *run) totpFinding(j judged) *diag.Finding {
	msg := j.Where + " " + j.Describe(r.p)
	if len(r.p.BackupFormats) > 0 {
		msg += " " + describeFormats(r.p)
	}
	f := diag.NewFinding(diag.CauseBackupCodeInvalid, diag.SeverityFail, msg,
		"Type the authenticator app's code where the service asks for the code from your app, not where it asks for a backup or recovery code.",
		"Where it asks for a backup code, use one from the list you saved when you turned on two-factor sign-in.")
	return &f
}

func (r *run) noCodesFinding(j judged) *diag.Finding {
	msg := j.Where + " " + j.Describe(r.p)
	if r.p.BackupKeyIsTOTPKey {
		msg += fmt.Sprintf(" What %s gives instead is a backup key, which is the authenticator key itself.", r.p.Name)
	}
	msg += r.otherServices(j.Norm)
	fix := []string{}
	if r.p.BackupKeyIsTOTPKey {
		fix = append(fix, "If you saved the backup key shown at setup, give it with --backup-code: otpdoctor shows the code it makes now.")
	}
	if r.p.Links.Support != "" {
		fix = append(fix, fmt.Sprintf("Without the key or a working authenticator, recover the account through %s: %s", r.p.Name, r.p.Links.Support))
	}
	return &diag.Finding{Cause: diag.CauseBackupCodeInvalid, Severity: diag.SeverityFail, Message: msg, Steps: diag.Steps(fix...)}
}

func (r *run) malformedFinding(j judged) *diag.Finding {
	msg := j.Where + " " + r.describe(j) + r.otherServices(j.Norm)
	var fix []string
	switch {
	case len(j.Candidates) > 0 && r.c.Reveal:
		fix = append(fix, "Try "+strings.Join(j.shownCandidates(), ", or ")+", checked against the printed code.")
	case len(j.Candidates) > 0:
		fix = append(fix, "Type the code from "+j.Where+" again with "+strings.Join(j.Corrections, ", or with ")+", checked against the printed code (backup --reveal shows the code meant).")
	}
	f := diag.NewFinding(diag.CauseBackupCodeInvalid, diag.SeverityFail, msg, fix...)
	return &f
}

// otherServices names the services whose codes code fits, when it fits none of this one's.
func (r *run) otherServices(code string) string {
	catalog := r.c.Catalog
	if catalog == nil {
		catalog = profile.Builtin()
	}
	var names []string
	for _, q := range catalog.All() {
		if q.ID == r.p.ID {
			continue
		}
		if f := q.BackupFormatFor(code); f != nil && f.Length > 0 {
			names = append(names, fmt.Sprintf("%s (--service %s)", q.Name, q.ID))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " It fits the codes of " + strings.Join(names, " or ") + ": is it for another service?"
}

// duplicates finds codes given twice within one set (or twice on their own).
func (r *run) duplicates() {
	type key struct{ set, code string }
	first := map[key]int{} // the index in r.codes where each code was first seen
	for i, j := range r.codes {
		if j.Kind != Valid && j.Kind != Malformed {
			continue
		}
		k := key{j.Set, j.Norm}
		prev, seen := first[k]
		if !seen {
			first[k] = i
			continue
		}
		r.facts.Duplicates++
		if !r.roomForCodeFinding() {
			continue
		}
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeUsed, Severity: diag.SeverityWarn,
			Message: fmt.Sprintf("%s is the same code as %s. A code works once: the second copy will be refused, and one of your codes may be missing from the list.", j.Where, r.codes[prev].Where),
			Steps:   diag.Steps("Compare the list with the codes the service showed or let you download, and replace the repeated one with the missing one."),
		})
	}
}

// set is the valid codes of one format from one source.
type set struct {
	name  string
	time  time.Time
	codes []*judged // into run.codes
}

// mixedSets finds codes from two sets: more codes of a format than the service issues
// in one set, or codes in an older file that a newer file's set voided.
func (r *run) mixedSets() {
	for fi := range r.p.BackupFormats {
		f := &r.p.BackupFormats[fi]
		sets := r.setsOf(f)
		r.oversizedSets(f, sets)
		r.olderSets(f, sets)
	}
}

// oversizedSets finds a source holding more codes of f than one set has.
func (r *run) oversizedSets(f *profile.CodeFormat, sets []*set) {
	for _, s := range sets {
		n := distinct(s.codes)
		if f.Issued == 0 || n <= f.Issued {
			continue
		}
		holder := s.name + " holds"
		if s.name == "" {
			holder = "The codes given hold"
		}
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeUsed, Severity: diag.SeverityWarn,
			Message: fmt.Sprintf("%s %d %s, but %s issues %d per set: two sets are mixed, and %s.",
				holder, n, shortName(f), r.p.Name, f.Issued, voidsOld(r.p, f)),
			Steps: diag.Steps("Keep only the newest set (the one shown or downloaded last) and throw the older codes away."),
		})
	}
}

// olderSets finds the codes of f, in older files or given alone, that are not in the
// newest file's set, when a new set voids the old.
func (r *run) olderSets(f *profile.CodeFormat, sets []*set) {
	newest := newestFileSet(sets)
	if newest == nil || !f.NewSetVoidsOld {
		return
	}
	r.details = append(r.details, fmt.Sprintf("newest set of %s: %s (saved %s)", f.Name, newest.name, newest.time.UTC().Format(savedLayout)))
	current := map[string]bool{}
	for _, j := range newest.codes {
		current[j.Norm] = true
	}
	for _, s := range sets {
		if s.name == newest.name {
			continue
		}
		var stale []string
		for _, j := range s.codes {
			if !current[j.Norm] {
				stale = append(stale, j.Where)
			}
		}
		if len(stale) == 0 {
			continue
		}
		var msg string
		severity := diag.SeverityFail
		if s.name == "" {
			severity = diag.SeverityWarn // a loose code might be from a set not given
			msg = fmt.Sprintf("%s %s not in the set in %s: if that is your newest set, %s from an older set, which no longer works.",
				strings.Join(stale, ", "), diag.Plural(len(stale), "is", "are"), newest.name, diag.Plural(len(stale), "it is", "they are"))
		} else {
			msg = fmt.Sprintf("%s is an older set (saved %s) than %s (saved %s): its %d %s no longer work, because %s.",
				s.name, s.time.UTC().Format(savedLayout), newest.name, newest.time.UTC().Format(savedLayout),
				len(stale), diag.Plural(len(stale), "code", "codes"), voidsOld(r.p, f))
		}
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeUsed, Severity: severity, Message: msg,
			Steps: diag.Steps(fmt.Sprintf("Use only codes from %s, the newest set.", newest.name)),
		})
	}
}

// savedLayout and MarkedLayout are how findings write when a set was saved and when a
// code was marked used.
const (
	savedLayout  = "2 Jan 2006 15:04"
	MarkedLayout = "2 Jan 2006"
)

// setsOf groups the valid codes of f by where they came from, in order of appearance.
func (r *run) setsOf(f *profile.CodeFormat) []*set {
	var sets []*set
	for i := range r.codes {
		j := &r.codes[i]
		if j.Kind != Valid || j.Format != f {
			continue
		}
		at := slices.IndexFunc(sets, func(s *set) bool { return s.name == j.Set })
		if at < 0 {
			sets = append(sets, &set{name: j.Set, time: j.SetTime})
			at = len(sets) - 1
		}
		sets[at].codes = append(sets[at].codes, j)
	}
	return sets
}

// newestFileSet is the file set saved last; nil when no file was given.
func newestFileSet(sets []*set) *set {
	var newest *set
	for _, s := range sets {
		if s.name != "" && (newest == nil || s.time.After(newest.time)) {
			newest = s
		}
	}
	return newest
}

// remaining counts the unused codes of the newest set given.
func (r *run) remaining() {
	if r.ledger == nil {
		return
	}
	var newest *set
	for fi := range r.p.BackupFormats {
		if s := newestFileSet(r.setsOf(&r.p.BackupFormats[fi])); s != nil && (newest == nil || len(s.codes) > len(newest.codes)) {
			newest = s
		}
	}
	if newest == nil {
		return
	}
	unused := map[string]bool{}
	for _, j := range newest.codes {
		if _, used := r.ledger.Lookup(r.p.ID, j.Norm); !used {
			unused[j.Norm] = true
		}
	}
	n := len(unused)
	r.facts.Unused = &n
	if n == 0 {
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeUsed, Severity: diag.SeverityFail,
			Message: fmt.Sprintf("Every code in %s is marked used.", newest.name),
			Steps:   diag.Steps(fmt.Sprintf("Sign in another way and make a new set of backup codes at %s, or recover the account with the service's support.", r.p.Name)),
		})
	}
}

func (r *run) result() diag.Result {
	return diag.Result{
		Status: diag.StatusOf(r.findings...), Summary: r.summary(), Facts: &r.facts,
		Findings: r.findings, Details: r.details,
	}
}

// summary is the check's line: a sentence, as the other checks' summaries are.
func (r *run) summary() string {
	f := r.facts
	var s string
	switch {
	case f.Total == 0:
		return "No backup codes were given."
	case f.KeyLike == f.Total:
		return fmt.Sprintf("What you hold is an authenticator key, not a backup code for %s.", r.p.Name)
	case f.Total == 1 && f.Valid == 1:
		s = "The code fits " + formatOf(r.p, f.Format)
	case f.Valid == f.Total:
		s = fmt.Sprintf("All %d codes fit %s", f.Total, formatOf(r.p, f.Format))
	default:
		s = fmt.Sprintf("%d of %d %s %s a problem", f.Total-f.Valid, f.Total, diag.Plural(f.Total, "code", "codes"), diag.Plural(f.Total-f.Valid, "has", "have"))
	}
	if f.Used > 0 {
		s += fmt.Sprintf("; %d marked used", f.Used)
	}
	if f.Unused != nil {
		s += fmt.Sprintf("; %d unused", *f.Unused)
	}
	return s + "."
}

func formatOf(p *profile.Profile, name string) string {
	for i := range p.BackupFormats {
		if f := &p.BackupFormats[i]; f.Name == name {
			return formatNoun(p, f)
		}
	}
	return p.Name + "'s formats"
}

// describeFormats says what the service's backup codes look like.
func describeFormats(p *profile.Profile) string {
	var parts []string
	for _, f := range p.BackupFormats {
		parts = append(parts, f.Name)
	}
	return fmt.Sprintf("%s backup codes look like this: %s.", possessive(p.Name), strings.Join(parts, "; "))
}

func voidsOld(p *profile.Profile, f *profile.CodeFormat) string {
	if f.NewSetVoidsOld {
		return "only the newest set works (each new set voids the one before)"
	}
	return "codes of an older set may have been replaced"
}

// Mask shows a valid code's first characters only: enough to tell codes apart in a
// report that may end up in a support ticket, not enough to use.
func Mask(f *profile.CodeFormat, code string) string {
	const shown = 3
	if len(code) <= shown {
		return strings.Repeat("*", len(code))
	}
	return f.Display(code[:shown] + strings.Repeat("*", len(code)-shown))
}

func distinct(js []*judged) int {
	seen := map[string]bool{}
	for _, j := range js {
		seen[j.Norm] = true
	}
	return len(seen)
}

func mostCommon(counts map[string]int) string {
	best := ""
	for name, n := range counts {
		if n > counts[best] || n == counts[best] && name < best {
			best = name
		}
	}
	return best
}
