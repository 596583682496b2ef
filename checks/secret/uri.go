package secret

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ParseURI reads an otpauth://totp/... or otpauth://hotp/... Key URI, and the Steam
// Guard forms otpauth://steam/... (Aegis), otpauth://totp/...&encoder=steam (KeePassXC)
// and steam://KEY (Bitwarden). Unlike pquerna/otp's NewKeyFromURL it validates every
// part, and its errors are *ParseError values that never quote the key. An unknown
// algorithm or a digit count codes cannot have is refused here; parameters that are
// valid but unwise (9 digits, a label issuer that differs from the issuer parameter) are
// kept in the Key for the secret check to judge.
func ParseURI(s string) (Key, error) {
	fail := func(format string, args ...any) (Key, error) {
		return Key{}, &ParseError{Where: "otpauth URI", Reason: fmt.Sprintf(format, args...)}
	}
	s = strings.TrimSpace(s)
	if hasSchemePrefix(s, "steam:") {
		return parseSteamURI(s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fail("not a valid URI (%s)", urlErrorReason(err))
	}
	if !strings.EqualFold(u.Scheme, "otpauth") {
		return fail("the scheme is not otpauth://")
	}
	var k Key
	switch strings.ToLower(u.Host) {
	case "totp":
		k.Type = TOTP
	case "hotp":
		k.Type = HOTP
	case "steam":
		k.Type, k.Encoding = TOTP, Steam
	case "":
		return fail("no type: it must start otpauth://totp/ or otpauth://hotp/")
	default:
		return fail("type %s is neither totp nor hotp", shown(u.Host))
	}
	label := strings.TrimPrefix(u.Path, "/")
	if issuer, account, ok := strings.Cut(label, ":"); ok {
		k.LabelIssuer, k.Account = strings.TrimSpace(issuer), strings.TrimSpace(account)
	} else {
		k.Account = strings.TrimSpace(label)
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fail("the parameters are not valid URL encoding (%s)", urlErrorReason(err))
	}
	k.Issuer = q.Get("issuer")
	if k.Issuer == "" {
		k.Issuer = k.LabelIssuer
	}
	if strings.EqualFold(q.Get("encoder"), "steam") && k.Type == TOTP {
		k.Encoding = Steam
	}
	if !q.Has("secret") {
		return fail("no secret parameter")
	}
	key, notes, err := decodeBase32(q.Get("secret"))
	if err != nil {
		return k, err.(*ParseError).at("otpauth URI, secret parameter")
	}
	k.Secret, k.text = key, notes

	var pe *ParseError
	if k.Algorithm, pe = parseAlgorithm(q.Get("algorithm")); pe != nil {
		return keyless(k, pe.at("otpauth URI"))
	}
	if k.Digits, err = positiveParam(q, "digits"); err != nil {
		return keyless(k, err)
	}
	if pe := checkDigits(k.Digits, k.Encoding); pe != nil {
		return keyless(k, pe.at("otpauth URI"))
	}
	if k.Period, err = positiveParam(q, "period"); err != nil {
		return keyless(k, err)
	}
	if q.Has("counter") {
		if k.Counter, err = strconv.ParseUint(q.Get("counter"), 10, 64); err != nil {
			return keyless(k, &ParseError{Where: "otpauth URI", Reason: "the counter parameter is not a whole number"})
		}
		k.HasCounter = true
	}
	return k, nil
}

// keyless is k without its key bytes, with err: an entry is a key or an error, and
// what could be read (issuer, account) still names it.
func keyless(k Key, err error) (Key, error) {
	k.Secret = nil
	return k, err
}

// parseSteamURI reads steam://KEY, Bitwarden's form of a Steam Guard key (base32).
func parseSteamURI(s string) (Key, error) {
	k := Key{Type: TOTP, Encoding: Steam, Issuer: "Steam"}
	secret := strings.TrimPrefix(s[len("steam:"):], "//")
	key, notes, err := decodeBase32(secret)
	if err != nil {
		return k, err.(*ParseError).at("steam:// URI")
	}
	k.Secret, k.text = key, notes
	return k, nil
}

// positiveParam reads an optional positive integer parameter; 0 when absent.
func positiveParam(q url.Values, name string) (int, error) {
	if !q.Has(name) {
		return 0, nil
	}
	n, err := strconv.Atoi(q.Get(name))
	if err != nil || n <= 0 || n > 1<<20 {
		return 0, &ParseError{Where: "otpauth URI", Reason: fmt.Sprintf("the %s parameter is not a positive whole number", name)}
	}
	return n, nil
}

// urlErrorReason is what net/url found wrong, without the URL it quotes.
func urlErrorReason(err error) string {
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err
	}
	msg := err.Error()
	// url.EscapeError and InvalidHostError quote the offending text; name the kind only.
	if i := strings.IndexByte(msg, '"'); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	return strings.TrimSuffix(msg, ":")
}

// URI is k as a clean otpauth:// Key URI: canonical base32 without padding, the issuer
// both in the label and as a parameter, and only the parameters that differ from the
// defaults (fewer parameters, fewer apps that mishandle them). It holds the key: only
// `secret show --reveal` prints it.
func (k Key) URI() string {
	d := k.WithDefaults()
	label := url.PathEscape(d.Account)
	if d.Issuer != "" {
		label = url.PathEscape(d.Issuer) + ":" + label
	}
	q := url.Values{}
	q.Set("secret", EncodeBase32(d.Secret))
	if d.Issuer != "" {
		q.Set("issuer", d.Issuer)
	}
	if d.Algorithm != SHA1 {
		q.Set("algorithm", string(d.Algorithm))
	}
	if d.Digits != 6 && d.Encoding != Steam {
		q.Set("digits", strconv.Itoa(d.Digits))
	}
	if d.Type == TOTP && d.Period != 30 {
		q.Set("period", strconv.Itoa(d.Period))
	}
	if d.Type == HOTP {
		q.Set("counter", strconv.FormatUint(d.Counter, 10))
	}
	// url.Values encodes spaces as '+', which some apps keep literally; use %20.
	kind := string(d.Type)
	if d.Encoding == Steam {
		kind = "steam" // as Aegis writes it: an app that cannot make Steam codes refuses it, rather than show wrong ones
	}
	return "otpauth://" + kind + "/" + label + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}
