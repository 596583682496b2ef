package secret

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Android keeps an app's settings as "shared preferences": <map> of <string name="…">
// values. Three apps keep their keys there, read from a rooted phone: FreeOTP (and
// FreeOTP+) in tokens.xml, Authy, and the Battle.net authenticator.

// Preference names.
const (
	freeOTPOrder       = "tokenOrder"
	authyTokens        = "com.authy.storage.tokens.authenticator.key"
	authyOwnTokens     = "com.authy.storage.tokens.authy.key"
	battleNetSecret    = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET"
	battleNetSerial    = "com.blizzard.messenger.AUTHENTICATOR_SERIAL"
	battleNetDigits    = 8
	battleNetSecretLen = 20
)

// battleNetMask is the fixed XOR mask the Battle.net app stores its device secret and
// serial under (a published constant of the app, as importers read it).
var battleNetMask, _ = hex.DecodeString("398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a")

// pref is one <string> preference, in file order.
type pref struct{ name, value string }

// readPrefs reads the <string> values of a shared-preferences file.
func readPrefs(data []byte) ([]pref, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var out []pref
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("XML: line %d: not well-formed", line)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = start.Name.Local
			if root != "map" {
				return nil, errors.New("XML that is no Android app settings file (its root is not <map>)")
			}
			continue
		}
		if start.Name.Local != "string" {
			continue
		}
		var value string
		if err := d.DecodeElement(&value, &start); err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("XML: line %d: not well-formed", line)
		}
		name := ""
		for _, a := range start.Attr {
			if a.Name.Local == "name" {
				name = a.Value
			}
		}
		out = append(out, pref{name, value})
	}
	return out, nil
}

// parsePrefs reads FreeOTP's tokens.xml, Authy's token storage or the Battle.net
// authenticator's settings.
func parsePrefs(data []byte) (*Source, error) {
	prefs, err := readPrefs(data)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	for _, p := range prefs {
		values[p.name] = p.value
	}
	switch {
	case values[authyTokens] != "" || values[authyOwnTokens] != "":
		return parseAuthyPrefs(values)
	case values[battleNetSecret] != "":
		return parseBattleNet(values[battleNetSecret], values[battleNetSerial])
	case hasFreeOTPToken(prefs):
		return parseFreeOTPPrefs(prefs)
	}
	return nil, fmt.Errorf("an Android app settings file with no key of FreeOTP, Authy or the Battle.net authenticator: %w", ErrNoKey)
}

// hasFreeOTPToken reports whether a preference holds a FreeOTP token's JSON.
func hasFreeOTPToken(prefs []pref) bool {
	for _, p := range prefs {
		if p.name != freeOTPOrder && strings.HasPrefix(strings.TrimSpace(p.value), "{") && strings.Contains(p.value, `"secret"`) {
			return true
		}
	}
	return false
}

func parseFreeOTPPrefs(prefs []pref) (*Source, error) {
	src := &Source{Form: FormFreeOTPXML}
	for i, p := range prefs {
		if p.name == freeOTPOrder {
			continue
		}
		var t freeOTPToken
		if err := decodeJSON([]byte(p.value), &t, fmt.Sprintf("FreeOTP tokens.xml, token %d", i+1)); err != nil {
			return nil, err
		}
		src.add(t.entry(entryAt(len(src.Entries))))
	}
	return src, nil
}

// parseAuthyPrefs reads both of Authy's token lists (third-party accounts, Authy's own)
// as one.
func parseAuthyPrefs(values map[string]string) (*Source, error) {
	var all []json.RawMessage
	for _, name := range []string{authyTokens, authyOwnTokens} {
		if strings.TrimSpace(values[name]) == "" {
			continue
		}
		var tokens []json.RawMessage
		if err := decodeJSON([]byte(values[name]), &tokens, "Authy tokens"); err != nil {
			return nil, err
		}
		all = append(all, tokens...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("Authy's token storage holds no token: %w", ErrNoKey)
	}
	joined, err := json.Marshal(all)
	if err != nil {
		return nil, err
	}
	return parseAuthyTokens(joined)
}

// parseBattleNet reads the Battle.net authenticator's device secret: 20 bytes in hex,
// stored masked (or, copied by hand, plain), with 8-digit codes every 30 s.
func parseBattleNet(secret, serial string) (*Source, error) {
	e := Entry{Key: Key{Type: TOTP, Issuer: "Battle.net", Account: unmaskBattleNet(serial), Digits: battleNetDigits}}
	plain := unmaskBattleNet(secret)
	if len(strings.TrimSpace(secret)) == 2*battleNetSecretLen {
		plain = strings.TrimSpace(secret)
	}
	key, err := hex.DecodeString(plain)
	switch {
	case err != nil || len(key) != battleNetSecretLen:
		e.Err = &ParseError{Where: "Battle.net device secret", Reason: fmt.Sprintf("not %d bytes of hex, masked or plain", battleNetSecretLen)}
	case plausible(key) != nil:
		e.Err = plausible(key).at("Battle.net device secret")
	default:
		e.Key.Secret = key
	}
	return &Source{Form: FormBattleNet, Entries: []Entry{e}}, nil
}

// unmaskBattleNet undoes the app's mask: hex bytes XOR the mask give the text stored.
// Text that is not masked hex gives "".
func unmaskBattleNet(s string) string {
	masked, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(masked) > len(battleNetMask) {
		return ""
	}
	out := make([]byte, len(masked))
	for i, b := range masked {
		out[i] = b ^ battleNetMask[i]
	}
	for _, b := range out {
		if b < 0x20 || b > 0x7e {
			return ""
		}
	}
	return string(out)
}
