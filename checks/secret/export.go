package secret

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/otpdoctor/otpdoctor/internal/jsonloc"
)

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

// twoFASExport is a 2FAS backup. An encrypted one has servicesEncrypted and no services.
type twoFASExport struct {
	SchemaVersion     *int   `json:"schemaVersion"`
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

// parseJSONExport reads an Aegis or 2FAS export, told apart by their top-level keys.
func parseJSONExport(data []byte) (*Source, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("JSON export: %w", jsonloc.Locate(data, 0, err))
	}
	switch {
	case top["db"] != nil:
		return parseAegis(data)
	case top["services"] != nil || top["servicesEncrypted"] != nil:
		return parse2FAS(data)
	}
	return nil, fmt.Errorf("JSON that is neither an Aegis nor a 2FAS export")
}

func parseAegis(data []byte) (*Source, error) {
	var x aegisExport
	if err := json.Unmarshal(data, &x); err != nil {
		return nil, fmt.Errorf("JSON export: %w", jsonloc.Locate(data, 0, err))
	}
	slots := strings.TrimSpace(string(x.Header.Slots))
	if strings.HasPrefix(strings.TrimSpace(string(x.DB)), `"`) || (slots != "" && slots != "null") {
		return nil, fmt.Errorf("an Aegis vault that is %w", ErrEncrypted)
	}
	var db aegisDB
	if err := json.Unmarshal(x.DB, &db); err != nil {
		return nil, fmt.Errorf("Aegis export, in its db part: %w", jsonloc.Locate(x.DB, 0, err))
	}
	src := &Source{Form: FormAegis}
	for i, a := range db.Entries {
		src.Entries = append(src.Entries, exportEntry(fmt.Sprintf("entry %d", i+1), exportFields{
			typ: a.Type, issuer: a.Issuer, account: a.Name, secret: a.Info.Secret,
			algorithm: a.Info.Algo, digits: a.Info.Digits, period: a.Info.Period, counter: a.Info.Counter,
		}))
	}
	return src, nil
}

func parse2FAS(data []byte) (*Source, error) {
	var x twoFASExport
	if err := json.Unmarshal(data, &x); err != nil {
		return nil, fmt.Errorf("JSON export: %w", jsonloc.Locate(data, 0, err))
	}
	if x.ServicesEncrypted != "" && len(x.Services) == 0 {
		return nil, fmt.Errorf("a 2FAS backup that is %w", ErrEncrypted)
	}
	src := &Source{Form: Form2FAS}
	for i, s := range x.Services {
		issuer := s.OTP.Issuer
		if issuer == "" {
			issuer = s.Name
		}
		src.Entries = append(src.Entries, exportEntry(fmt.Sprintf("entry %d", i+1), exportFields{
			typ: s.OTP.TokenType, issuer: issuer, account: s.OTP.Account, secret: s.Secret,
			algorithm: s.OTP.Algorithm, digits: s.OTP.Digits, period: s.OTP.Period, counter: s.OTP.Counter,
		}))
	}
	return src, nil
}

// exportFields is one account of an app backup, in the backup's own terms.
type exportFields struct {
	typ, issuer, account, secret, algorithm string
	digits, period                          int
	counter                                 uint64
}

// exportEntry turns an app backup's account into an Entry, with a *ParseError when its
// type is not TOTP or HOTP (Steam, mOTP, Yandex) or its key is malformed.
func exportEntry(where string, f exportFields) Entry {
	e := Entry{Where: where}
	k := &e.Key
	k.Issuer, k.Account, k.Digits, k.Period = f.issuer, f.account, f.digits, f.period
	if f.algorithm != "" {
		k.Algorithm = Algorithm(strings.ToUpper(f.algorithm))
		if !plainWord(f.algorithm) {
			k.Algorithm = unrecognisedAlgorithm
		}
	}
	switch strings.ToLower(f.typ) {
	case "totp", "":
		k.Type = TOTP
	case "hotp":
		k.Type, k.Counter, k.HasCounter, k.Period = HOTP, f.counter, true, 0
	default:
		e.Err = &ParseError{Where: where, Reason: fmt.Sprintf("type %s is neither TOTP nor HOTP: otpdoctor cannot check it", quoteWord(f.typ)), Unsupported: true}
		return e
	}
	if f.digits < 0 || f.period < 0 {
		e.Err = &ParseError{Where: where, Reason: "a negative digit count or period"}
		return e
	}
	key, notes, err := decodeBase32(f.secret)
	if err != nil {
		e.Err = err.(*ParseError).at(where + ", secret") // its columns count in the secret field
		return e
	}
	k.Secret, k.text = key, notes
	return e
}
