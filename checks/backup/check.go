package backup

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/otpdoctor/otpdoctor/checks/codes"
	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// Check is the backup check.
type Check struct {
	// Codes are the codes given on their own, in order: --backup-code 1, 2, ...
	Codes []string
	// Files are the files of codes, in the order given; the newest is the current set.
	Files []*File
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

// judged is one code being judged: its verdict, its text and where it stands. One is
// alive at a time: a pasted list of 100,000 codes is judged as it is read, and only
// what the findings need is kept (see set).
type judged struct {
	Verdict
	Text string
	file *File // nil for a code given on its own
	at   int   // its line in file, or its place among the codes given on their own
}

// Where names the code in findings: "--backup-code 2", "github-recovery-codes.txt line 4".
func (j *judged) Where() string { return where(j.file, j.at) }

func where(f *File, at int) string {
	if f == nil {
		return "--backup-code " + strconv.Itoa(at)
	}
	return f.Name + " line " + strconv.Itoa(at)
}

// run is the state of one run of the check.
type run struct {
	c      *Check
	env    *diag.Env
	p      *profile.Profile
	ledger *Entries
	spent  *Spent
	// ledgerTrouble is why the ledger could not be read, so which codes were used is
	// not known. That is a warning about the check, not a finding about the code: it
	// must never head the report as "already used".
	ledgerTrouble string
	facts         diag.BackupFacts
	findings      []diag.Finding
	details       []string
	// codeFindings counts the findings about single codes, shown up to maxCodeFindings.
	codeFindings int
	formats      map[string]int // how many valid codes fit each format
	// moreDetails is the index in details of the line that sums up the codes past
	// maxCodeDetails, written when their number is known; -1 while there is none.
	moreDetails int
	sets        []*set
	repeats     []repeat       // the first duplicates, for their findings
	interned    map[string]int // the keys of codes that do not pack (see keyOf)
}

// set is the codes of one source (a file, by name, or the codes given on their own),
// summed up as the findings about sets and duplicates need: each distinct code once,
// by a compact key, never as text.
type set struct {
	name    string
	file    *File // the first file of this name; nil for the codes given on their own
	time    time.Time
	seen    map[uint64]seen
	formats []formatCount // by index into the profile's BackupFormats
}

// seen is a distinct valid or mistyped code of a set.
type seen struct {
	at     int32 // where it was first seen: its line, or its place among the codes given alone
	count  int32 // how many times the set holds it
	format int16 // its format's index when valid, -1 when mistyped
	used   bool  // marked used in the ledger
}

// formatCount is how many valid codes of one format a set holds.
type formatCount struct {
	codes    int // with repeats
	distinct int
	first    int // the position (among all codes) of the first, which orders sets
}

// repeat is a code given again in its set: where, and where it was first.
type repeat struct{ again, first string }

// maxCodeFindings keeps a report on a pasted list readable: further codes with problems
// are summed up in one finding.
const maxCodeFindings = 12

// maxCodeDetails bounds the per-code lines under -v: a pasted file of thousands of
// "codes" is summed up, not listed.
const maxCodeDetails = 100

func (c *Check) Run(ctx context.Context, env *diag.Env) diag.Result {
	r := &run{c: c, env: env, p: env.Service, formats: map[string]int{}, moreDetails: -1}
	if r.p == nil {
		r.p = profile.Generic()
	}
	r.facts.Service = r.p.ID
	r.readLedger()
	j := &judged{}
	for i, text := range c.Codes {
		*j = judged{Verdict: Judge(r.p, text), Text: text, at: i + 1}
		r.judge(ctx, j)
	}
	for _, f := range c.Files {
		x := extractor{p: r.p, yield: func(line int, text string, c found) bool {
			*j = judged{Verdict: judgeNormal(r.p, c.code, c.fits), Text: text, file: f, at: line}
			r.judge(ctx, j)
			return true
		}}
		x.extract(f.text)
	}
	if r.moreDetails >= 0 {
		r.details[r.moreDetails] = fmt.Sprintf("… and %d more codes", r.facts.Total-maxCodeDetails)
	}
	r.facts.Format = mostCommon(r.formats)
	r.repeatFindings()
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
		r.ledgerTrouble = reason
		r.details = append(r.details,
			"To start a new ledger, move "+LedgerFile+" (in the otpdoctor folder of your config directory) aside, then mark your spent codes again with otpdoctor backup mark-used --service ID CODE.")
		return
	}
	r.ledger, r.spent = entries, entries.Spent(r.p.ID)
	n := entries.Count(r.p.ID)
	r.facts.LedgerUsed = &n
	r.details = append(r.details, fmt.Sprintf("used-codes ledger: %d of %s codes marked used", n, possessive(r.p.Name)))
}

// judge turns a code's verdict into facts, details and findings, and remembers it in
// its set. A pasted list of thousands of codes costs little per code: past the first
// maxCodeDetails details and maxCodeFindings findings, codes are only counted, their
// messages never built.
func (r *run) judge(ctx context.Context, j *judged) {
	if j.Kind == Empty {
		return
	}
	i := r.facts.Total
	r.facts.Total++
	used := false
	switch j.Kind {
	case Valid:
		r.facts.Valid++
		r.formats[j.Format.Name]++
		if _, used = r.spent.Lookup(j.Norm); used {
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
		if len(r.facts.Mistyped) < maxCodeDetails {
			r.facts.Mistyped = append(r.facts.Mistyped, typo(j))
		}
	}
	switch {
	case i < maxCodeDetails:
		r.details = append(r.details, r.detail(j))
	case i == maxCodeDetails:
		r.moreDetails = len(r.details)
		r.details = append(r.details, "") // written when the number is known
	}
	if j.Kind == Valid || j.Kind == Malformed {
		r.remember(j, i, used)
	}
}

// typo is a mistyped code as the facts describe it: by position, never the code.
func typo(j *judged) diag.BackupTypo {
	t := diag.BackupTypo{
		Where: j.Where(), Length: utf8.RuneCountInString(j.Norm), FormatLength: j.Format.Length,
		Characters: []diag.BackupCharacter{}, Doubled: slices.Clip(j.Doubled), Corrections: slices.Clip(j.Corrections),
	}
	for _, w := range j.Wrong {
		c := diag.BackupCharacter{Position: w.Position, Found: string(w.Found)}
		if w.Meant != 0 {
			c.Probably = string(w.Meant)
		}
		t.Characters = append(t.Characters, c)
	}
	if t.Doubled == nil {
		t.Doubled = []int{}
	}
	if t.Corrections == nil {
		t.Corrections = []string{}
	}
	return t
}

// remember adds a valid or mistyped code to its set; a code the set holds already is
// a duplicate.
func (r *run) remember(j *judged, i int, used bool) {
	s := r.setOf(j)
	k := r.keyOf(j.Norm)
	e, again := s.seen[k]
	if again {
		e.count++
		s.seen[k] = e
		r.facts.Duplicates++
		if len(r.repeats) < maxCodeFindings {
			r.repeats = append(r.repeats, repeat{again: j.Where(), first: where(s.file, int(e.at))})
		}
	} else {
		s.seen[k] = seen{at: int32(j.at), count: 1, format: int16(formatIndex(r.p, j)), used: used}
	}
	if j.Kind != Valid {
		return
	}
	fc := &s.formats[formatIndex(r.p, j)]
	if fc.codes == 0 {
		fc.first = i
	}
	fc.codes++
	if !again {
		fc.distinct++
	}
}

// formatIndex is the index of a valid code's format in p.BackupFormats; -1 otherwise.
func formatIndex(p *profile.Profile, j *judged) int {
	for i := range p.BackupFormats {
		if j.Kind == Valid && j.Format == &p.BackupFormats[i] {
			return i
		}
	}
	return -1
}

// setOf is the set j belongs to: its file's (by name), or the codes given on their own.
func (r *run) setOf(j *judged) *set {
	name := ""
	if j.file != nil {
		name = j.file.Name
	}
	for _, s := range r.sets {
		if s.name == name {
			return s
		}
	}
	s := &set{name: name, file: j.file, seen: map[uint64]seen{}, formats: make([]formatCount, len(r.p.BackupFormats))}
	if j.file != nil {
		s.time = j.file.Saved
		s.seen = make(map[uint64]seen, strings.Count(j.file.text, "\n")+1) // about a code a line
	}
	r.sets = append(r.sets, s)
	return s
}

// keyOf is a compact key for a normalised code, the same for the same code: a code
// that packs (see packed) is its own key; any other is numbered as it is first seen,
// with the top bit set. Sets keep keys, not strings: 8 bytes a code.
func (r *run) keyOf(code string) uint64 {
	if k, ok := packed(code); ok {
		return k
	}
	if r.interned == nil {
		r.interned = map[string]int{}
	}
	n, ok := r.interned[code]
	if !ok {
		n = len(r.interned)
		r.interned[code] = n
	}
	return 1<<63 | uint64(n)
}

// packed is code as a number when it is up to 12 digits and lower-case letters: each
// a base-37 digit from 1 (0 marks no character), so 37^12 < 2^63 leaves the top bit free.
func packed(code string) (uint64, bool) {
	if len(code) > 12 {
		return 0, false
	}
	k := uint64(0)
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case '0' <= c && c <= '9':
			k = k*37 + uint64(c-'0') + 1
		case 'a' <= c && c <= 'z':
			k = k*37 + uint64(c-'a') + 11
		default:
			return 0, false
		}
	}
	return k, true
}

// detail is the line -v shows for one code.
func (r *run) detail(j *judged) string {
	switch j.Kind {
	case Valid:
		return fmt.Sprintf("%s (%s): fits %s", j.Where(), Mask(j.Format, j.Norm), j.Format.Name)
	case KeyLike:
		return fmt.Sprintf("%s: a base32 key (%d bits, fingerprint %s)", j.Where(), len(j.Key)*8, secret.Fingerprint(j.Key))
	case TOTPLike:
		return fmt.Sprintf("%s: %d digits, an authenticator code", j.Where(), len(j.Norm))
	case NoBackupCodes:
		return fmt.Sprintf("%s: %s issues no backup codes", j.Where(), r.p.Name)
	}
	return j.Where() + " " + r.describe(j)
}

// describe is j's verdict in words, with the codes probably meant when the user asked.
func (r *run) describe(j *judged) string {
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
func (r *run) codeFindingOf(j *judged, build func(*run, *judged) *diag.Finding) {
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

// usedFinding is the finding about a code the ledger has marked used.
func (r *run) usedFinding(j *judged) *diag.Finding {
	u, _ := r.spent.Lookup(j.Norm)
	msg := fmt.Sprintf("%s (%s) was marked used on %s: a backup code works only once.", j.Where(), Mask(j.Format, j.Norm), u.Marked.Format(MarkedLayout))
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
func (r *run) keyFinding(ctx context.Context, j *judged) *diag.Finding {
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
		j.Where(), what, len(j.Key)*8, clock, code, left)
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
func (r *run) inspectKey(j *judged) secret.Key {
	key := secret.Key{Type: secret.TOTP, Secret: j.Key}
	if src, err := secret.Parse([]byte(j.Text)); err == nil && len(src.Entries) == 1 && src.Entries[0].Err == nil {
		key = src.Entries[0].Key // keeps what the text showed: padding, stray bits
	}
	key.Algorithm = secret.Algorithm(r.p.TOTP.Algorithm)
	key.Digits, key.Period = r.p.TOTP.Digits, r.p.TOTP.Period
	findings, details := secret.Inspect(key, r.env)
	for _, d := range details {
		r.details = append(r.details, j.Where()+" as an authenticator key: "+d)
	}
	for _, f := range findings {
		f.Message = j.Where() + " as an authenticator key: " + f.Message
		r.codeFinding(f)
	}
	return key.WithDefaults()
}

func (r *run) totpFinding(j *judged) *diag.Finding {
	msg := j.Where() + " " + j.Describe(r.p)
	if len(r.p.BackupFormats) > 0 {
		msg += " " + describeFormats(r.p)
	}
	f := diag.NewFinding(diag.CauseBackupCodeInvalid, diag.SeverityFail, msg,
		"Type the authenticator app's code where the service asks for the code from your app, not where it asks for a backup or recovery code.",
		"Where it asks for a backup code, use one from the list you saved when you turned on two-factor sign-in.")
	return &f
}

func (r *run) noCodesFinding(j *judged) *diag.Finding {
	msg := j.Where() + " " + j.Describe(r.p)
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

func (r *run) malformedFinding(j *judged) *diag.Finding {
	msg := j.Where() + " " + r.describe(j) + r.otherServices(j.Norm)
	var fix []string
	switch {
	case len(j.Candidates) > 0 && r.c.Reveal:
		fix = append(fix, "Try "+strings.Join(j.shownCandidates(), ", or ")+", checked against the printed code.")
	case len(j.Candidates) > 0:
		fix = append(fix, "Type the code from "+j.Where()+" again with "+strings.Join(j.Corrections, ", or with ")+", checked against the printed code (backup --reveal shows the code meant).")
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

// repeatFindings reports the codes given twice within one set (or twice on their own),
// after the findings about single codes, within the same limit.
func (r *run) repeatFindings() {
	for i := range r.facts.Duplicates {
		if !r.roomForCodeFinding() || i >= len(r.repeats) {
			continue
		}
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeUsed, Severity: diag.SeverityWarn,
			Message: fmt.Sprintf("%s is the same code as %s. A code works once: the second copy will be refused, and one of your codes may be missing from the list.", r.repeats[i].again, r.repeats[i].first),
			Steps:   diag.Steps("Compare the list with the codes the service showed or let you download, and replace the repeated one with the missing one."),
		})
	}
}

// mixedSets finds codes from two sets: more codes of a format than the service issues
// in one set, or codes in an older file that a newer file's set voided.
func (r *run) mixedSets() {
	for fi := range r.p.BackupFormats {
		f := &r.p.BackupFormats[fi]
		sets := r.setsOf(fi)
		r.oversizedSets(f, fi, sets)
		r.olderSets(f, fi, sets)
	}
}

// oversizedSets finds a source holding more codes of f than one set has.
func (r *run) oversizedSets(f *profile.CodeFormat, fi int, sets []*set) {
	for _, s := range sets {
		n := s.formats[fi].distinct
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
func (r *run) olderSets(f *profile.CodeFormat, fi int, sets []*set) {
	newest := newestFileSet(sets)
	if newest == nil || !f.NewSetVoidsOld {
		return
	}
	r.details = append(r.details, fmt.Sprintf("newest set of %s: %s (saved %s)", f.Name, newest.name, newest.time.UTC().Format(savedLayout)))
	for _, s := range sets {
		if s.name == newest.name {
			continue
		}
		var msg string
		severity := diag.SeverityFail
		if s.name == "" {
			stale := r.staleGivenAlone(fi, newest)
			if len(stale) == 0 {
				continue
			}
			severity = diag.SeverityWarn // a loose code might be from a set not given
			msg = fmt.Sprintf("%s %s not in the set in %s: if that is your newest set, %s from an older set, which no longer works.",
				strings.Join(stale, ", "), diag.Plural(len(stale), "is", "are"), newest.name, diag.Plural(len(stale), "it is", "they are"))
		} else {
			stale := 0
			for k, e := range s.seen {
				if _, current := newest.seen[k]; int(e.format) == fi && !current {
					stale += int(e.count)
				}
			}
			if stale == 0 {
				continue
			}
			msg = fmt.Sprintf("%s is an older set (saved %s) than %s (saved %s): its %d %s no longer work, because %s.",
				s.name, s.time.UTC().Format(savedLayout), newest.name, newest.time.UTC().Format(savedLayout),
				stale, diag.Plural(stale, "code", "codes"), voidsOld(r.p, f))
		}
		r.findings = append(r.findings, diag.Finding{
			Cause: diag.CauseBackupCodeUsed, Severity: severity, Message: msg,
			Steps: diag.Steps(fmt.Sprintf("Use only codes from %s, the newest set.", newest.name)),
		})
	}
}

// staleGivenAlone names the valid codes of format fi given on their own that newest
// does not hold, in order. They come from the command line: few, judged again here.
func (r *run) staleGivenAlone(fi int, newest *set) []string {
	var stale []string
	for i, text := range r.c.Codes {
		j := &judged{Verdict: Judge(r.p, text), at: i + 1}
		if _, current := newest.seen[r.keyOf(j.Norm)]; formatIndex(r.p, j) == fi && !current {
			stale = append(stale, j.Where())
		}
	}
	return stale
}

// savedLayout and MarkedLayout are how findings write when a set was saved and when a
// code was marked used.
const (
	savedLayout  = "2 Jan 2006 15:04"
	MarkedLayout = "2 Jan 2006"
)

// setsOf is the sets holding valid codes of format fi, in order of their first one.
func (r *run) setsOf(fi int) []*set {
	var sets []*set
	for _, s := range r.sets {
		if s.formats[fi].codes > 0 {
			sets = append(sets, s)
		}
	}
	slices.SortFunc(sets, func(a, b *set) int { return a.formats[fi].first - b.formats[fi].first })
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
	newestFormat := -1
	for fi := range r.p.BackupFormats {
		if s := newestFileSet(r.setsOf(fi)); s != nil && (newest == nil || s.formats[fi].codes > newest.formats[newestFormat].codes) {
			newest, newestFormat = s, fi
		}
	}
	if newest == nil {
		return
	}
	n := 0
	for _, e := range newest.seen {
		if int(e.format) == newestFormat && !e.used {
			n++
		}
	}
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
	status := diag.StatusOf(r.findings...)
	if r.ledgerTrouble != "" && status == diag.StatusOK {
		status = diag.StatusWarn
	}
	return diag.Result{
		Status: status, Summary: r.summary(), Facts: &r.facts,
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
	if r.ledgerTrouble != "" {
		s += "; which were used is not known: " + r.ledgerTrouble
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

func mostCommon(counts map[string]int) string {
	best := ""
	for name, n := range counts {
		if n > counts[best] || n == counts[best] && name < best {
			best = name
		}
	}
	return best
}
