package secret

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// CheckID and CheckTitle name the secret check in reports.
const (
	CheckID    = "secret"
	CheckTitle = "Secret"
)

// Key lengths (RFC 4226 §4): at least 128 bits, 160 recommended; below 80 bits a key
// is too short to trust at all.
const (
	minKeyBits         = 80
	recommendedMinBits = 128
)

// Check judges one key: that it reads, is long enough, and has parameters the user's
// authenticator handles. With Source it also reports what concerns the key's account
// in the whole source (another entry for it with a different key).
type Check struct {
	Entry  Entry   // the key judged; Entry.Err says why it could not be read
	Source *Source // where it came from; nil for a key given alone
	// TitleOverride names the check in `secret list`, one check per account.
	TitleOverride string
}

func (c *Check) ID() string { return CheckID }

func (c *Check) Title() string {
	if c.TitleOverride != "" {
		return c.TitleOverride
	}
	return CheckTitle
}

func (c *Check) Run(_ context.Context, env *diag.Env) diag.Result {
	k := c.Entry.Key.WithDefaults()
	facts := &diag.SecretFacts{Type: string(k.Type), Algorithm: string(k.Algorithm), Digits: k.Digits, Encoding: string(k.Encoding), Issuer: k.Issuer, Account: k.Account, Readable: c.Entry.Err == nil}
	if k.Type == TOTP {
		facts.Period = &k.Period
	}
	if k.HasCounter {
		facts.Counter = &k.Counter
	}
	if c.Source != nil {
		facts.Source, facts.Accounts = string(c.Source.Form), len(c.Source.Entries)
	}
	var findings []diag.Finding
	var details []string
	if pe, ok := errors.AsType[*ParseError](c.Entry.Err); ok && pe.Unsupported {
		return diag.Result{Status: diag.StatusSkip, Summary: "Not checked: " + pe.Error() + ".", Facts: facts}
	}
	if c.Entry.Err != nil {
		findings = append(findings, unreadableFinding(c.Entry.Err))
	} else {
		bits, fp, canonical := k.Bits(), k.Fingerprint(), !k.text.nonCanonical
		facts.KeyBits, facts.Fingerprint, facts.Canonical = &bits, &fp, &canonical
		findings, details = Inspect(c.Entry.Key, env)
	}
	if c.Source != nil {
		findings = append(findings, duplicateFindings(c.Source, &c.Entry)...)
		details = append(details, sourceDetails(c.Source)...)
	}
	return diag.Result{
		Status:   diag.StatusOf(findings...),
		Summary:  summarize(c.Entry, findings),
		Facts:    facts,
		Findings: findings,
		Details:  details,
	}
}

// sameIssuer reports whether a label's issuer and the issuer parameter name the same
// issuer, a '+' standing for a space as form encoding writes it ("Example+Corp").
func sameIssuer(label, param string) bool {
	plain := func(s string) string { return strings.ReplaceAll(s, "+", " ") }
	return strings.EqualFold(plain(label), plain(param))
}

// unreadableFinding reports a key that cannot be read.
func unreadableFinding(err error) diag.Finding {
	msg := "The key cannot be read: " + unreadableReason(err) + "."
	first := "Check that the key is complete and was copied from the right place."
	pe, ok := errors.AsType[*ParseError](err)
	switch {
	case !ok:
	case pe.LooksHex:
		first = "The key looks like hex: authenticator apps expect base32. If the service gave it in hex, convert the bytes to base32 (otpdoctor does not guess)."
	case len(pe.BadChars) > 0:
		first = "Retype the characters at the columns named: base32 keys use only the letters A–Z and the digits 2–7."
	}
	return diag.NewFinding(diag.CauseSecretInvalid, diag.SeverityFail, msg, first)
}

// unreadableReason is why a key cannot be read, without the "key: " that locates a
// problem in a lone key (the message already says it is about the key).
func unreadableReason(err error) string { return strings.TrimPrefix(err.Error(), "key: ") }

// Inspect judges a readable key on its own: length, encoding, parameters, and whether
// the user's authenticator (env.App, or the common ones) handles its parameters.
func Inspect(k Key, env *diag.Env) (findings []diag.Finding, details []string) {
	d := k.WithDefaults()
	add := func(cause diag.Cause, sev diag.Severity, msg string, first ...string) {
		findings = append(findings, diag.NewFinding(cause, sev, msg, first...))
	}
	details = append(details, describe(d))
	switch bits := k.Bits(); {
	case bits < minKeyBits:
		add(diag.CauseSecretInvalid, diag.SeverityFail,
			fmt.Sprintf("The key is only %d bits long; keys shorter than %d bits are not accepted by careful services, and RFC 4226 asks for at least 128: part of it is probably missing.", bits, minKeyBits),
			"Check that you copied the whole key: it is usually 16 or 32 characters long.")
	case bits < recommendedMinBits:
		// 80-bit keys (16 base32 characters) are what Binance, Kraken and many services
		// issue: information under -v, not a fault. A character lost shows as stray bits
		// at the end (below), not as a length.
		details = append(details, fmt.Sprintf("The key is %d bits long, shorter than the 128 bits RFC 4226 asks for, as many services issue them; codes work all the same.", bits))
	}
	if k.text.nonCanonical {
		add(diag.CauseSecretInvalid, diag.SeverityWarn,
			"The last character of the key carries bits that should be zero: some apps reject the key, others read it differently from the service. It was probably mistyped at the end.",
			"Check the last character of the key against what the service showed.")
	}
	if k.text.looksHex {
		add(diag.CauseSecretInvalid, diag.SeverityWarn,
			"The key is made only of hex digits: it may be a hex key read as base32, which gives different codes.",
			"If the service gave the key in hex, convert the bytes to base32 before adding it to an app.")
	}
	if len(k.text.removed) > 0 {
		add(diag.CauseSecretInvalid, diag.SeverityInfo,
			fmt.Sprintf("Invisible characters were removed from the key: %s. They come along when a key is copied from a web page, a PDF or a chat, and some apps refuse the key with them.", k.text.removed),
			"When you type or paste the key into an app, leave out everything but its letters and digits.")
	}
	if k.text.padded {
		add(diag.CauseSecretInvalid, diag.SeverityInfo,
			"The key carries '=' padding, which some apps refuse when importing.",
			"Leave out the trailing '=' characters when you type the key into an app.")
	}
	if d.Encoding != Steam && d.Digits > 8 {
		add(diag.CauseSecretInvalid, diag.SeverityFail,
			fmt.Sprintf("The key asks for %d-digit codes; TOTP and HOTP codes have 6 to 8 digits, and apps will not show these.", d.Digits),
			"Set up two-factor again at the service to get a standard key.")
	}
	if k.LabelIssuer != "" && k.Issuer != "" && !sameIssuer(k.LabelIssuer, k.Issuer) {
		add(diag.CauseSecretInvalid, diag.SeverityWarn,
			fmt.Sprintf("The label names the issuer %q but the issuer parameter says %q: apps file the entry under one or the other, so you may be reading the codes of the wrong entry.", k.LabelIssuer, k.Issuer),
			"Look for this account under both names in your authenticator.")
	}
	if d.Type == HOTP && !k.HasCounter {
		add(diag.CauseSecretInvalid, diag.SeverityWarn,
			"The key is counter-based (HOTP) but gives no counter: apps start at 0, and the service may expect another value.",
			"Use several consecutive codes so the service can resynchronise, or set up two-factor again.")
	}
	if msg := serviceMismatch(d, env.Service); msg != "" {
		add(diag.CauseParameterMismatch, diag.SeverityWarn, msg,
			"Check that this is the key for "+env.Service.Name+"; if it is, set up two-factor again and scan the service's QR code.")
	}
	appF, appD := appFindings(d, env)
	return append(findings, appF...), append(details, appD...)
}

// serviceMismatch says how a TOTP key's parameters differ from what the service's
// profile says it uses, or "" when they agree or nothing is known.
func serviceMismatch(k Key, svc *profile.Profile) string {
	if svc == nil || svc.ID == profile.GenericID || k.Type != TOTP {
		return "" // the generic profile is no service's word on its parameters
	}
	var have, want []string
	if alg := Algorithm(strings.ToUpper(svc.TOTP.Algorithm)); alg != "" && alg != k.Algorithm {
		have, want = append(have, string(k.Algorithm)), append(want, string(alg))
	}
	if digits := svc.TOTP.Digits; digits != 0 && digits != k.Digits {
		have, want = append(have, fmt.Sprintf("%d digits", k.Digits)), append(want, fmt.Sprintf("%d digits", digits))
	}
	if period := svc.TOTP.Period; period != 0 && period != k.Period {
		have, want = append(have, fmt.Sprintf("a %d-second period", k.Period)), append(want, fmt.Sprintf("a %d-second period", period))
	}
	if len(have) == 0 {
		return ""
	}
	return fmt.Sprintf("The key asks for %s, but %s uses %s: it may be another service's key, or its parameters were changed on the way.",
		joinAnd(have), svc.Name, joinAnd(want))
}

// describe is a key's parameters in one line, without the key.
func describe(k Key) string {
	s := fmt.Sprintf("%s key, %d bits, %s, %s", kindOf(k), k.Bits(), k.Algorithm, codeLength(k))
	if k.Type == TOTP {
		s += fmt.Sprintf(", %d-second period", k.Period)
	} else if k.HasCounter {
		s += fmt.Sprintf(", counter %d", k.Counter)
	}
	return s + ", fingerprint " + k.Fingerprint()
}

// kindOf names a key's kind: TOTP, HOTP or Steam Guard.
func kindOf(k Key) string {
	if k.Encoding == Steam {
		return "Steam Guard"
	}
	return strings.ToUpper(string(k.Type))
}

// codeLength is how long a key's codes are: "6 digits", or "5 letters" for Steam Guard.
func codeLength(k Key) string {
	if k.Encoding == Steam {
		return fmt.Sprintf("%d characters", k.Digits)
	}
	return fmt.Sprintf("%d digits", k.Digits)
}

// accountKey groups entries that are the same account: issuer and name, ignoring case.
// OtherKeys are the keys of the source's other entries for k's account that differ
// from k: a stale entry's, which the app may be showing.
func (src *Source) OtherKeys(k Key) []Key {
	var out []Key
	for _, e := range src.Entries {
		if e.Err == nil && accountKey(e.Key) == accountKey(k) && e.Key.Fingerprint() != k.Fingerprint() {
			out = append(out, e.Key)
		}
	}
	return out
}

func accountKey(k Key) string {
	return strings.ToLower(strings.TrimSpace(k.Issuer)) + "\x00" + strings.ToLower(strings.TrimSpace(k.Account))
}

// duplicateFindings reports accounts with several entries holding different keys. With
// only set, it reports only that entry's account.
func duplicateFindings(src *Source, only *Entry) []diag.Finding {
	groups := map[string][]int{} // indexes into src.Entries: an Entry is too big to copy around
	var order []string
	for i, e := range src.Entries {
		if e.Err != nil {
			continue
		}
		id := accountKey(e.Key)
		if only != nil && id != accountKey(only.Key) {
			continue
		}
		if groups[id] == nil {
			order = append(order, id)
		}
		groups[id] = append(groups[id], i)
	}
	var findings []diag.Finding
	for _, id := range order {
		indexes := groups[id]
		if len(indexes) < 2 {
			continue
		}
		fingerprints := map[string]bool{}
		where := make([]string, len(indexes))
		for j, i := range indexes {
			e := &src.Entries[i]
			fp := e.Key.Fingerprint()
			fingerprints[fp] = true
			where[j] = fmt.Sprintf("%s at %s", fp, cmp.Or(e.Where, "the key given"))
		}
		if len(fingerprints) < 2 {
			continue
		}
		findings = append(findings, diag.NewFinding(diag.CauseDuplicateEntry, diag.SeverityWarn,
			fmt.Sprintf("%d entries for %s hold %d different keys (fingerprints %s): the stale one keeps giving refused codes.",
				len(indexes), src.Entries[indexes[0]].Name(), len(fingerprints), strings.Join(where, ", ")),
			"Find the entries by these fingerprints with otpdoctor secret list, and keep only the one whose codes the service accepts."))
	}
	return findings
}

// sourceDetails says what the source was and which export QR codes are missing.
func sourceDetails(src *Source) []string {
	from := ""
	if src.Files > 1 {
		from = fmt.Sprintf(", read from %d files", src.Files)
	}
	out := []string{fmt.Sprintf("Source: %s with %d %s%s.", src.Form.Words(), len(src.Entries), diag.Plural(len(src.Entries), "account", "accounts"), from)}
	for _, note := range append(missingBatches(src), src.Notes...) {
		out = append(out, note+".")
	}
	return out
}

// MissingBatches names the QR codes of a Google Authenticator export that were not
// given: their accounts are not in the source.
func (s *Source) MissingBatches() []string { return missingBatches(s) }

// missingBatches names the QR codes of a Google Authenticator export that were not given.
func missingBatches(src *Source) []string {
	ids := slices.Sorted(maps.Keys(src.Batches))
	var out []string
	for _, id := range ids {
		b := src.Batches[id]
		missing := b.Missing()
		if len(missing) == 0 {
			continue
		}
		numbers := make([]string, len(missing))
		for i, n := range missing {
			numbers[i] = strconv.Itoa(n)
		}
		out = append(out, fmt.Sprintf("QR %s %s of the %d in the export %s not given: the accounts in %s are not checked",
			diag.Plural(len(missing), "code", "codes"), joinAnd(numbers), b.Size, diag.Plural(len(missing), "was", "were"), diag.Plural(len(missing), "it", "them")))
	}
	return out
}

// severityRank orders severities: info, warn, fail.
var severityRank = map[diag.Severity]int{diag.SeverityInfo: 0, diag.SeverityWarn: 1, diag.SeverityFail: 2}

// worstFinding is the first of the most severe findings, or nil when there are none.
func worstFinding(findings []diag.Finding) *diag.Finding {
	var worst *diag.Finding
	for i := range findings {
		if worst == nil || severityRank[findings[i].Severity] > severityRank[worst.Severity] {
			worst = &findings[i]
		}
	}
	return worst
}

// summarize is the check's one line: what the key is, then the worst thing about it.
func summarize(e Entry, findings []diag.Finding) string {
	if e.Err != nil {
		return "The key cannot be read: " + unreadableReason(e.Err) + "."
	}
	k := e.Key.WithDefaults()
	s := fmt.Sprintf("%d-bit %s key", k.Bits(), kindOf(k))
	if name := e.Name(); e.Key.Issuer != "" || e.Key.Account != "" {
		s += " for " + name
	}
	s += fmt.Sprintf(" (%s, %s", k.Algorithm, codeLength(k))
	if k.Type == TOTP {
		s += fmt.Sprintf(", %d s", k.Period)
	}
	s += ", fingerprint " + k.Fingerprint() + ")"
	if worst := worstFinding(findings); worst != nil && worst.Severity != diag.SeverityInfo {
		return s + ". " + worst.Message // a sentence of its own: it starts with a capital
	}
	return s + ": sound."
}

// ListChecks are the checks of `secret list`: one per account (named by issuer and
// account, with that key's findings), then one for the source as a whole (its form,
// duplicates, missing export QR codes).
func ListChecks(src *Source) []diag.Check {
	out := make([]diag.Check, 0, len(src.Entries)+1)
	for _, e := range src.Entries {
		out = append(out, &Check{Entry: e, TitleOverride: e.Name()})
	}
	return append(out, &sourceCheck{src: src})
}

// sourceCheck is `secret list`'s line for the whole source.
type sourceCheck struct{ src *Source }

func (c *sourceCheck) ID() string    { return CheckID }
func (c *sourceCheck) Title() string { return "All accounts" }

func (c *sourceCheck) Run(_ context.Context, env *diag.Env) diag.Result {
	findings := duplicateFindings(c.src, nil)
	unreadable := 0
	for _, e := range c.src.Entries {
		if e.Err != nil {
			unreadable++
		}
	}
	details := sourceDetails(c.src)
	summary := fmt.Sprintf("%d %s in %s", len(c.src.Entries), diag.Plural(len(c.src.Entries), "account", "accounts"), c.src.Form.Words())
	if unreadable > 0 {
		summary += fmt.Sprintf("; %d cannot be checked", unreadable)
	}
	if len(findings) > 0 {
		summary += fmt.Sprintf("; %d %s several entries with different keys", len(findings), diag.Plural(len(findings), "account has", "accounts have"))
	}
	for _, note := range missingBatches(c.src) {
		summary += "; " + note
	}
	return diag.Result{
		Status:   diag.StatusOf(findings...),
		Summary:  summary + ".",
		Facts:    &diag.SecretSourceFacts{Source: string(c.src.Form), Accounts: len(c.src.Entries), Unreadable: unreadable, Duplicates: len(findings)},
		Findings: findings,
		Details:  details,
	}
}
