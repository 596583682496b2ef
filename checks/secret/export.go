package secret

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/otpdoctor/otpdoctor/internal/jsonloc"
)

// The app exports, backups and files read as JSON, recognised by their shape (facts from
// the apps' own exporters and importers; docs/key-sources.md lists them).

// decodeJSON decodes data into v, locating a syntax or type error by line and column.
func decodeJSON(data []byte, v any, what string) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", what, jsonloc.Locate(data, 0, err))
	}
	return nil
}

// parseJSONExport reads a JSON export, told apart by its top-level keys (an object) or
// by the keys of its first element (an array).
func parseJSONExport(data []byte) (*Source, error) {
	if bytes.HasPrefix(data, []byte("[")) {
		return parseJSONArray(data)
	}
	var top map[string]json.RawMessage
	if err := decodeJSON(data, &top, "JSON"); err != nil {
		return nil, err
	}
	switch {
	case top["db"] != nil:
		return parseAegis(data)
	case top["services"] != nil || top["servicesEncrypted"] != nil:
		return parse2FAS(data)
	case top["items"] != nil || top["encKeyValidation_DO_NOT_EDIT"] != nil:
		return parseBitwardenJSON(data)
	case top["tokens"] != nil:
		return parseFreeOTPPlus(data)
	case top["Authenticators"] != nil:
		return parseStratum(data)
	case top["entries"] != nil || (top["salt"] != nil && top["content"] != nil):
		return parseProton(data)
	case top["shared_secret"] != nil:
		return parseMaFiles(FormSteamMaFile, []json.RawMessage{data})
	case top["accounts"] != nil:
		return parseSteamAccounts(top["accounts"])
	}
	return nil, fmt.Errorf("JSON that is no export otpdoctor knows (%s)", knownJSONWords)
}

// knownJSONWords lists the JSON exports read, for the error about an unknown one.
const knownJSONWords = "it reads Aegis, 2FAS, andOTP, FreeOTP+, Bitwarden, Proton Authenticator, Stratum, Duo, Authy, Steam Desktop Authenticator and extract_otp_secrets JSON"

// parseJSONArray reads the exports that are a JSON array, told apart by their first
// element's keys: andOTP, Duo, Authy, extract_otp_secrets.
func parseJSONArray(data []byte) (*Source, error) {
	var items []map[string]json.RawMessage
	if err := decodeJSON(data, &items, "JSON"); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("an empty JSON list: %w", ErrNoKey)
	}
	first := items[0]
	switch {
	case first["otpGenerator"] != nil:
		return parseDuo(data)
	case first["decryptedSecret"] != nil || first["encryptedSecret"] != nil || first["secretSeed"] != nil:
		return parseAuthyTokens(data)
	case first["secret"] != nil && (first["label"] != nil || first["thumbnail"] != nil || first["tags"] != nil):
		return parseAndOTP(data)
	case first["secret"] != nil && (first["name"] != nil || first["url"] != nil):
		return parseExtractedJSON(data)
	}
	return nil, fmt.Errorf("a JSON list that is no export otpdoctor knows (%s)", knownJSONWords)
}

// aegisExport is the part of an Aegis vault export otpdoctor reads. In a plain export
// db is an object; in an encrypted one it is a base64 string and header.slots is set.
type aegisExport struct {
	Header struct {
		Slots json.RawMessage `json:"slots"`
	} `json:"header"`
	DB json.RawMessage `json:"db"`
}

type aegisDB struct {
	Entries []struct {
		Type   string `json:"type"`
		Name   string `json:"name"`
		Issuer string `json:"issuer"`
		Info   struct {
			Secret  string `json:"secret"`
			Algo    string `json:"algo"`
			Digits  int    `json:"digits"`
			Period  int    `json:"period"`
			Counter uint64 `json:"counter"`
		} `json:"info"`
	} `json:"entries"`
}

func parseAegis(data []byte) (*Source, error) {
	var x aegisExport
	if err := decodeJSON(data, &x, "Aegis export"); err != nil {
		return nil, err
	}
	slots := strings.TrimSpace(string(x.Header.Slots))
	if strings.HasPrefix(strings.TrimSpace(string(x.DB)), `"`) || (slots != "" && slots != "null") {
		return nil, encrypted("an Aegis vault", "export it from Aegis → Settings → Import & Export → Export, with encryption turned off")
	}
	var db aegisDB
	if err := decodeJSON(x.DB, &db, "Aegis export, in its db part"); err != nil {
		return nil, err
	}
	src := &Source{Form: FormAegis}
	for i, a := range db.Entries {
		src.add(exportEntry(entryAt(i), exportFields{
			typ: a.Type, issuer: a.Issuer, account: a.Name, secret: a.Info.Secret,
			algorithm: a.Info.Algo, digits: a.Info.Digits, period: a.Info.Period, counter: a.Info.Counter,
		}))
	}
	return src, nil
}

// twoFASExport is a 2FAS backup. An encrypted one has servicesEncrypted and no services.
type twoFASExport struct {
	ServicesEncrypted string `json:"servicesEncrypted"`
	Services          []struct {
		Name   string `json:"name"`
		Secret string `json:"secret"`
		OTP    struct {
			Account   string `json:"account"`
			Issuer    string `json:"issuer"`
			Digits    int    `json:"digits"`
			Period    int    `json:"period"`
			Algorithm string `json:"algorithm"`
			TokenType string `json:"tokenType"`
			Counter   uint64 `json:"counter"`
		} `json:"otp"`
	} `json:"services"`
}

func parse2FAS(data []byte) (*Source, error) {
	var x twoFASExport
	if err := decodeJSON(data, &x, "2FAS backup"); err != nil {
		return nil, err
	}
	if x.ServicesEncrypted != "" && len(x.Services) == 0 {
		return nil, encrypted("a 2FAS backup", "export it again from 2FAS → Settings → 2FAS Backup → Export, without a password")
	}
	src := &Source{Form: Form2FAS}
	for i, s := range x.Services {
		src.add(exportEntry(entryAt(i), exportFields{
			typ: s.OTP.TokenType, issuer: firstOf(s.OTP.Issuer, s.Name), account: s.OTP.Account, secret: s.Secret,
			algorithm: s.OTP.Algorithm, digits: s.OTP.Digits, period: s.OTP.Period, counter: s.OTP.Counter,
		}))
	}
	return src, nil
}

// andOTPEntry is one entry of an andOTP plain backup. Old backups have no issuer and
// write the label as "Issuer - account".
type andOTPEntry struct {
	Secret    string  `json:"secret"`
	Issuer    *string `json:"issuer"`
	Label     string  `json:"label"`
	Digits    int     `json:"digits"`
	Type      string  `json:"type"`
	Algorithm string  `json:"algorithm"`
	Period    int     `json:"period"`
	Counter   uint64  `json:"counter"`
}

func parseAndOTP(data []byte) (*Source, error) {
	var entries []andOTPEntry
	if err := decodeJSON(data, &entries, "andOTP backup"); err != nil {
		return nil, err
	}
	src := &Source{Form: FormAndOTP}
	for i, a := range entries {
		issuer, account := "", a.Label
		if a.Issuer != nil {
			issuer = *a.Issuer
		} else if before, after, ok := strings.Cut(a.Label, " - "); ok {
			issuer, account = before, after
		}
		src.add(exportEntry(entryAt(i), exportFields{
			typ: a.Type, issuer: issuer, account: account, secret: a.Secret,
			algorithm: a.Algorithm, digits: a.Digits, period: a.Period, counter: a.Counter,
		}))
	}
	return src, nil
}

// freeOTPToken is one token of FreeOTP+'s JSON export and of FreeOTP's tokens.xml: the
// key as signed bytes (Java's byte type).
type freeOTPToken struct {
	Secret    []int8 `json:"secret"`
	IssuerExt string `json:"issuerExt"`
	IssuerInt string `json:"issuerInt"`
	Label     string `json:"label"`
	Algo      string `json:"algo"`
	Digits    int    `json:"digits"`
	Period    int    `json:"period"`
	Type      string `json:"type"`
	Counter   uint64 `json:"counter"`
}

// entry turns the token into an Entry. FreeOTP marks no Steam type: a TOTP token
// issued by Steam is one (as Aegis reads it).
func (t freeOTPToken) entry(where string) Entry {
	key := make([]byte, len(t.Secret))
	for i, b := range t.Secret {
		key[i] = byte(b)
	}
	typ := t.Type
	if strings.EqualFold(typ, "totp") && t.IssuerExt == "Steam" && (t.Digits == 0 || t.Digits == SteamDigits) {
		typ = "steam"
	}
	return exportEntry(where, exportFields{
		typ: typ, issuer: firstOf(t.IssuerExt, t.IssuerInt), account: t.Label, key: key, keyGiven: true,
		algorithm: t.Algo, digits: t.Digits, period: t.Period, counter: t.Counter,
	})
}

func parseFreeOTPPlus(data []byte) (*Source, error) {
	var x struct {
		Tokens []freeOTPToken `json:"tokens"`
	}
	if err := decodeJSON(data, &x, "FreeOTP+ export"); err != nil {
		return nil, err
	}
	src := &Source{Form: FormFreeOTPPlus}
	for i, t := range x.Tokens {
		src.add(t.entry(entryAt(i)))
	}
	return src, nil
}

// bitwardenExport is a Bitwarden JSON export: each login's totp is an otpauth URI, a
// bare base32 key or steam://KEY. An encrypted export carries encKeyValidation and
// encrypted strings.
type bitwardenExport struct {
	Encrypted bool `json:"encrypted"`
	Items     []struct {
		Name  string `json:"name"`
		Login *struct {
			Username string `json:"username"`
			TOTP     string `json:"totp"`
		} `json:"login"`
	} `json:"items"`
}

func parseBitwardenJSON(data []byte) (*Source, error) {
	var x bitwardenExport
	if err := decodeJSON(data, &x, "Bitwarden export"); err != nil {
		return nil, err
	}
	if x.Encrypted {
		return nil, encrypted("a Bitwarden export", "export it again from Bitwarden → Tools → Export vault with the file format .json (not .json (Encrypted))")
	}
	src := &Source{Form: FormBitwardenJSON}
	for i, item := range x.Items {
		if item.Login == nil || strings.TrimSpace(item.Login.TOTP) == "" {
			continue // a login without two-factor, a card, a note
		}
		src.add(totpFieldEntry(entryAt(i), item.Login.TOTP, item.Name, item.Login.Username))
	}
	return src.orNoKey("no login in the Bitwarden export has a TOTP key")
}

// totpFieldEntry reads a password manager's TOTP field: an otpauth:// URI, steam://KEY,
// or a bare base32 key, named by the login it belongs to when the field does not say.
func totpFieldEntry(where, field, name, user string) Entry {
	field = trimInvisible(field)
	if hasSchemePrefix(field, "otpauth:") || hasSchemePrefix(field, "steam:") {
		k, err := ParseURI(field)
		if err != nil {
			return Entry{Key: k, Err: err.(*ParseError).at(where), Where: where}
		}
		if k.Issuer == "" || k.Encoding == Steam {
			k.Issuer = firstOf(name, k.Issuer)
		}
		k.Account = firstOf(k.Account, user)
		return Entry{Key: k, Where: where}
	}
	return exportEntry(where, exportFields{issuer: name, account: user, secret: field})
}

// protonExport is a Proton Authenticator export: entries carrying otpauth URIs. An
// encrypted one holds salt and content instead.
type protonExport struct {
	Salt    string `json:"salt"`
	Entries []struct {
		Content struct {
			Name string `json:"name"`
			URI  string `json:"uri"`
		} `json:"content"`
	} `json:"entries"`
}

func parseProton(data []byte) (*Source, error) {
	var x protonExport
	if err := decodeJSON(data, &x, "Proton Authenticator export"); err != nil {
		return nil, err
	}
	if x.Salt != "" && len(x.Entries) == 0 {
		return nil, encrypted("a Proton Authenticator export", "export it again from Proton Authenticator → Settings → Export, without a password")
	}
	src := &Source{Form: FormProton}
	for i, e := range x.Entries {
		src.add(totpFieldEntry(entryAt(i), e.Content.URI, e.Content.Name, ""))
	}
	return src, nil
}

// stratumTypes and stratumAlgorithms are Stratum's (Authenticator Pro's) numeric enums.
var (
	stratumTypes      = map[int]string{1: "hotp", 2: "totp", 3: "motp", 4: "steam", 5: "yandex"}
	stratumAlgorithms = map[int]string{0: "SHA1", 1: "SHA256", 2: "SHA512"}
)

// stratumExport is a Stratum / Authenticator Pro plain backup.
type stratumExport struct {
	Authenticators []struct {
		Type      int     `json:"Type"`
		Issuer    string  `json:"Issuer"`
		Username  *string `json:"Username"`
		Secret    string  `json:"Secret"`
		Algorithm int     `json:"Algorithm"`
		Digits    int     `json:"Digits"`
		Period    int     `json:"Period"`
		Counter   uint64  `json:"Counter"`
	} `json:"Authenticators"`
}

func parseStratum(data []byte) (*Source, error) {
	var x stratumExport
	if err := decodeJSON(data, &x, "Stratum backup"); err != nil {
		return nil, err
	}
	src := &Source{Form: FormStratum}
	for i, a := range x.Authenticators {
		typ, ok := stratumTypes[a.Type]
		if !ok {
			typ = fmt.Sprintf("number %d", a.Type)
		}
		alg, ok := stratumAlgorithms[a.Algorithm]
		if !ok {
			alg = fmt.Sprintf("number %d", a.Algorithm)
		}
		account := ""
		if a.Username != nil {
			account = *a.Username
		}
		src.add(exportEntry(entryAt(i), exportFields{
			typ: typ, issuer: a.Issuer, account: account, secret: a.Secret,
			algorithm: alg, digits: a.Digits, period: a.Period, counter: a.Counter,
		}))
	}
	return src, nil
}

// duoAccount is one account of Duo Mobile's accounts.json: third-party accounts carry
// an otpGenerator; HOTP ones a counter.
type duoAccount struct {
	Name         string `json:"name"`
	OTPGenerator struct {
		OTPSecret string  `json:"otpSecret"`
		Counter   *uint64 `json:"counter"`
	} `json:"otpGenerator"`
}

func parseDuo(data []byte) (*Source, error) {
	var accounts []duoAccount
	if err := decodeJSON(data, &accounts, "Duo Mobile accounts"); err != nil {
		return nil, err
	}
	src := &Source{Form: FormDuo}
	for i, a := range accounts {
		f := exportFields{typ: "totp", account: a.Name, secret: a.OTPGenerator.OTPSecret}
		if a.OTPGenerator.Counter != nil {
			f.typ, f.counter = "hotp", *a.OTPGenerator.Counter
		}
		src.add(exportEntry(entryAt(i), f))
	}
	return src, nil
}

// authyToken is one token of Authy's internal storage: decryptedSecret (base32) for
// third-party accounts, secretSeed (hex, 7 digits, 10 s) for Authy's own, or only
// encryptedSecret when the backup password protects them.
type authyToken struct {
	Name            string `json:"name"`
	OriginalName    string `json:"originalName"`
	OriginalIssuer  string `json:"originalIssuer"`
	AccountType     string `json:"accountType"`
	DecryptedSecret string `json:"decryptedSecret"`
	EncryptedSecret string `json:"encryptedSecret"`
	SecretSeed      string `json:"secretSeed"`
	Digits          int    `json:"digits"`
}

func parseAuthyTokens(data []byte) (*Source, error) {
	var tokens []authyToken
	if err := decodeJSON(data, &tokens, "Authy tokens"); err != nil {
		return nil, err
	}
	src := &Source{Form: FormAuthy}
	for i, t := range tokens {
		where := entryAt(i)
		issuer, account := firstOf(t.OriginalIssuer, t.AccountType), firstOf(t.OriginalName, t.Name)
		if before, after, ok := strings.Cut(account, ":"); ok && t.OriginalIssuer == "" {
			issuer, account = before, after
		}
		switch {
		case t.SecretSeed != "":
			key, err := hex.DecodeString(t.SecretSeed)
			if err != nil {
				src.add(Entry{Where: where, Err: &ParseError{Where: where, Reason: "the Authy seed is not hex"}})
				continue
			}
			src.add(exportEntry(where, exportFields{issuer: firstOf(t.Name, "Authy"), key: key, keyGiven: true, digits: t.Digits, period: authyPeriod}))
		case t.DecryptedSecret != "":
			src.add(exportEntry(where, exportFields{issuer: issuer, account: account, secret: t.DecryptedSecret, digits: t.Digits}))
		default:
			return nil, encrypted("Authy's token storage with the backup password on", "otpdoctor cannot read it: decrypt it first, or set each account up again in another app")
		}
	}
	return src, nil
}

// authyPeriod is the step of Authy's own tokens (its 7-digit codes): 10 seconds.
const authyPeriod = 10

// maFile is a Steam Desktop Authenticator account file: shared_secret is the Steam
// Guard key in base64.
type maFile struct {
	SharedSecret string `json:"shared_secret"`
	AccountName  string `json:"account_name"`
}

func parseMaFiles(form Form, files []json.RawMessage) (*Source, error) {
	src := &Source{Form: form}
	for i, raw := range files {
		where := ""
		if len(files) > 1 {
			where = entryAt(i)
		}
		var f maFile
		if err := decodeJSON(raw, &f, "Steam Guard file"); err != nil {
			return nil, err
		}
		e := Entry{Where: where, Key: Key{Type: TOTP, Encoding: Steam, Issuer: "Steam", Account: f.AccountName}}
		key, err := decodeBase64(strings.TrimSpace(f.SharedSecret))
		if err != nil {
			e.Err = (&ParseError{Reason: "shared_secret is not base64: " + base64Reason(err)}).at(firstOf(where, "key"))
		} else if pe := plausible(key); pe != nil {
			e.Err = pe.at(firstOf(where, "key"))
		} else {
			e.Key.Secret = key
		}
		src.add(e)
	}
	return src, nil
}

// parseSteamAccounts reads the Steam app's own Steamguard file: {"accounts": {id: maFile}}.
func parseSteamAccounts(raw json.RawMessage) (*Source, error) {
	var accounts map[string]json.RawMessage
	if err := decodeJSON(raw, &accounts, "Steam Guard accounts"); err != nil {
		return nil, err
	}
	files := make([]json.RawMessage, 0, len(accounts))
	for _, id := range sortedKeys(accounts) {
		files = append(files, accounts[id])
	}
	return parseMaFiles(FormSteamMaFile, files)
}

// extractedOTP is one account of extract_otp_secrets' JSON (and CSV) output.
type extractedOTP struct {
	Name    string  `json:"name"`
	Secret  string  `json:"secret"`
	Issuer  string  `json:"issuer"`
	Type    string  `json:"type"`
	Counter *uint64 `json:"counter"`
}

func parseExtractedJSON(data []byte) (*Source, error) {
	var otps []extractedOTP
	if err := decodeJSON(data, &otps, "extract_otp_secrets JSON"); err != nil {
		return nil, err
	}
	src := &Source{Form: FormExtractedJSON}
	for i, o := range otps {
		f := exportFields{typ: o.Type, issuer: o.Issuer, account: o.Name, secret: o.Secret}
		if o.Counter != nil {
			f.counter = *o.Counter
		}
		src.add(exportEntry(entryAt(i), f))
	}
	return src, nil
}
