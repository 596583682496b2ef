package secret

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Form is the kind of text or file a key source turned out to be.
type Form string

const (
	FormBase32    Form = "base32"             // one key as services print it
	FormURI       Form = "otpauth-uri"        // one otpauth:// Key URI
	FormURIList   Form = "otpauth-uri-list"   // otpauth:// URIs, one a line
	FormMigration Form = "google-export"      // otpauth-migration:// (Google Authenticator export)
	FormAegis     Form = "aegis-json"         // Aegis plain JSON export
	Form2FAS      Form = "2fas-json"          // 2FAS .2fas unencrypted backup
	FormQR        Form = "qr-image"           // prefix of the form decoded from a QR image
	formUnknown   Form = "unrecognised input" // only in errors
)

// formWords are the forms as a person names them.
var formWords = map[Form]string{
	FormBase32:    "a base32 key",
	FormURI:       "an otpauth:// URI",
	FormURIList:   "a list of otpauth:// URIs",
	FormMigration: "a Google Authenticator export",
	FormAegis:     "an Aegis export",
	Form2FAS:      "a 2FAS backup",
}

// Words is the form in plain words, for summaries: "a QR code image of a Google
// Authenticator export", not "qr-image:google-export".
func (f Form) Words() string {
	if inner, ok := strings.CutPrefix(string(f), string(FormQR)+":"); ok {
		return "a QR code image of " + Form(inner).Words()
	}
	if words, ok := formWords[f]; ok {
		return words
	}
	return string(f)
}

// ErrEncrypted is returned (wrapped) for a backup that is encrypted: otpdoctor never
// asks for or handles backup passwords.
var ErrEncrypted = errors.New("encrypted: export it unencrypted or decrypt it first")

// Entry is one account of a source. When its key cannot be read, Err (a *ParseError)
// says why and Key holds only what could be read (type, issuer, account).
type Entry struct {
	Key   Key
	Err   error
	Where string // where in the source: "line 3", "entry 2", "" for a single key
}

// Source is everything read from one key source: a file, stdin, a QR image, a value.
type Source struct {
	Form    Form
	Entries []Entry
	// Batches of a Google Authenticator export, by batch id: which of its QR codes
	// were given, so that a missing one can be named.
	Batches map[int32]*Batch
}

// Batch is what one export's QR codes said about the whole export.
type Batch struct {
	Size int32          // how many QR codes the export spans
	Seen map[int32]bool // the batch indexes given
}

// Parse reads a key source, recognising its form from its content: a QR image (PNG,
// JPEG, GIF), Aegis or 2FAS JSON, otpauth:// or otpauth-migration:// URIs one a line,
// or one base32 key. A malformed key is not an error here: its Entry carries a
// *ParseError for the secret check to report. Parse fails only on input that is no key
// source at all (an encrypted backup, broken JSON, an image without a QR code).
func Parse(data []byte) (*Source, error) {
	if IsImage(data) {
		text, err := DecodeQRImage(data)
		if err != nil {
			return nil, err
		}
		src, err := Parse([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("the QR code's content: %w", err)
		}
		if src.Form == FormBase32 && src.Entries[0].Err != nil {
			// A web address or a Wi-Fi code, say: a QR code that is no key is no
			// malformed key, and its "characters not base32" would send the user retyping.
			return nil, errors.New("the QR code holds no 2FA key: an authenticator's QR code holds an otpauth:// URI")
		}
		src.Form = FormQR + ":" + src.Form
		return src, nil
	}
	if err := encryptedMarker(data); err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("the input is neither text nor a PNG, JPEG or GIF image")
	}
	text := strings.TrimSpace(string(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	if strings.HasPrefix(text, "{") {
		return parseJSONExport([]byte(text))
	}
	if lines := uriLines(text); lines != nil {
		return parseURILines(lines)
	}
	key, notes, err := decodeBase32(text)
	if err != nil {
		return &Source{Form: FormBase32, Entries: []Entry{{Err: err}}}, nil
	}
	return &Source{Form: FormBase32, Entries: []Entry{{Key: Key{Type: TOTP, Secret: key, text: notes}}}}, nil
}

// uriLine is one non-blank, non-comment line of a URI list and its line number.
type uriLine struct {
	n    int
	text string
}

// uriLines returns the lines of text when it is a list of otpauth URIs (blank lines and
// # comments allowed), or nil when it is not.
func uriLines(text string) []uriLine {
	var out []uriLine
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !hasSchemePrefix(line, "otpauth:") && !hasSchemePrefix(line, "otpauth-migration:") {
			return nil
		}
		out = append(out, uriLine{i + 1, line})
	}
	return out
}

func hasSchemePrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func parseURILines(lines []uriLine) (*Source, error) {
	src := &Source{Form: FormURIList}
	migrations := 0
	for _, l := range lines {
		where := ""
		if len(lines) > 1 {
			where = fmt.Sprintf("line %d", l.n)
		}
		if hasSchemePrefix(l.text, "otpauth-migration:") {
			migrations++
			if err := src.addMigration(l.text, where); err != nil {
				src.Entries = append(src.Entries, Entry{Err: err, Where: where})
			}
			continue
		}
		k, err := ParseURI(l.text)
		if err != nil && where != "" {
			err = err.(*ParseError).at(where)
		}
		src.Entries = append(src.Entries, Entry{Key: k, Err: err, Where: where})
	}
	switch {
	case migrations == len(lines):
		src.Form = FormMigration
	case len(lines) == 1:
		src.Form = FormURI
	}
	return src, nil
}

// encryptedMarker recognises encrypted containers by their first bytes.
func encryptedMarker(data []byte) error {
	for _, m := range []struct{ prefix, what string }{
		{"-----BEGIN PGP MESSAGE-----", "an OpenPGP-encrypted file"},
		{"age-encryption.org/", "an age-encrypted file"},
		{"-----BEGIN AGE ENCRYPTED FILE-----", "an age-encrypted file"},
		{"Salted__", "an OpenSSL-encrypted file"},
	} {
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte(m.prefix)) {
			return fmt.Errorf("%s: %w", m.what, ErrEncrypted)
		}
	}
	return nil
}

// Matching returns the entries whose issuer or account contains text, ignoring case,
// or whose key fingerprint is text: two entries for one account differ only by that.
func (s *Source) Matching(text string) []Entry {
	text = strings.ToLower(text)
	var out []Entry
	for _, e := range s.Entries {
		if strings.Contains(strings.ToLower(e.Key.Issuer), text) || strings.Contains(strings.ToLower(e.Key.Account), text) ||
			(e.Err == nil && e.Key.Fingerprint() == text) {
			out = append(out, e)
		}
	}
	return out
}

// Name is how an entry is shown: "issuer: account", or what there is of it.
func (e Entry) Name() string {
	switch {
	case e.Key.Issuer != "" && e.Key.Account != "":
		return e.Key.Issuer + ": " + e.Key.Account
	case e.Key.Issuer != "":
		return e.Key.Issuer
	case e.Key.Account != "":
		return e.Key.Account
	case e.Where != "":
		return "(unnamed, " + e.Where + ")"
	}
	return "(unnamed)"
}

// Fingerprint is the entry's key fingerprint, or "unreadable" when its key is not.
func (e Entry) Fingerprint() string {
	if e.Err != nil {
		return "unreadable"
	}
	return e.Key.Fingerprint()
}
