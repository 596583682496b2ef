package secret

import (
	"errors"
	"fmt"
	"strings"
)

// Form is the kind of text or file a key source turned out to be.
type Form string

const (
	FormBase32    Form = "base32"           // one key as services print it
	FormURI       Form = "otpauth-uri"      // one otpauth:// Key URI
	FormURIList   Form = "otpauth-uri-list" // otpauth:// URIs, one a line
	FormMigration Form = "google-export"    // otpauth-migration:// (Google Authenticator export)
	FormAegis     Form = "aegis-json"       // Aegis plain JSON export
	Form2FAS      Form = "2fas-json"        // 2FAS .2fas unencrypted backup
	FormQR        Form = "qr-image"         // prefix of the form decoded from a QR image

	FormAndOTP        Form = "andotp-json"               // andOTP plain backup
	FormFreeOTPPlus   Form = "freeotp-plus-json"         // FreeOTP+ export
	FormFreeOTPXML    Form = "freeotp-xml"               // FreeOTP's (and FreeOTP+'s) internal tokens.xml
	FormBitwardenJSON Form = "bitwarden-json"            // Bitwarden JSON export
	FormBitwardenCSV  Form = "bitwarden-csv"             // Bitwarden CSV export
	FormProton        Form = "proton-authenticator-json" // Proton Authenticator export
	FormStratum       Form = "stratum-json"              // Stratum / Authenticator Pro plain backup
	FormDuo           Form = "duo-json"                  // Duo Mobile's accounts.json
	FormAuthy         Form = "authy"                     // Authy's internal token storage (XML or its JSON)
	FormBattleNet     Form = "battlenet-xml"             // the Battle.net authenticator's settings
	FormSteamMaFile   Form = "steam-mafile"              // Steam Desktop Authenticator .maFile (or the Steam app's file)
	FormKeePassCSV    Form = "keepass-csv"               // KeePass / KeePassXC CSV export
	FormExtractedCSV  Form = "extract-otp-secrets-csv"   // extract_otp_secrets --csv
	FormExtractedJSON Form = "extract-otp-secrets-json"  // extract_otp_secrets --json
	FormSources       Form = "several"                   // several sources read together (repeated --qr, --secret-file)
)

// formWords are the forms as a person names them.
var formWords = map[Form]string{
	FormBase32:    "a base32 key",
	FormURI:       "an otpauth:// URI",
	FormURIList:   "a list of otpauth:// URIs",
	FormMigration: "a Google Authenticator export",
	FormAegis:     "an Aegis export",
	Form2FAS:      "a 2FAS backup",

	FormAndOTP:        "an andOTP backup",
	FormFreeOTPPlus:   "a FreeOTP+ export",
	FormFreeOTPXML:    "FreeOTP's tokens.xml",
	FormBitwardenJSON: "a Bitwarden JSON export",
	FormBitwardenCSV:  "a Bitwarden CSV export",
	FormProton:        "a Proton Authenticator export",
	FormStratum:       "a Stratum (Authenticator Pro) backup",
	FormDuo:           "Duo Mobile's accounts file",
	FormAuthy:         "Authy's token storage",
	FormBattleNet:     "the Battle.net authenticator's settings",
	FormSteamMaFile:   "a Steam Guard file (.maFile)",
	FormKeePassCSV:    "a KeePass CSV export",
	FormExtractedCSV:  "an extract_otp_secrets CSV file",
	FormExtractedJSON: "an extract_otp_secrets JSON file",
	FormSources:       "several sources",
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

	batch *batchKey // the export QR code it came from, when the export spans several
}

// Source is everything read from one key source: a file, stdin, a QR image, a value.
type Source struct {
	Form    Form
	Entries []Entry
	// Batches of a Google Authenticator export, by batch id: which of its QR codes
	// were given, so that a missing one can be named.
	Batches map[int32]*Batch
	// Files is how many files were read into it (repeated --qr, --secret-file); 0 or 1
	// for one.
	Files int
	// Notes are what reading it found worth saying: an export QR code given twice.
	Notes []string
}

// Batch is what one export's QR codes said about the whole export.
type Batch struct {
	Size int32          // how many QR codes the export spans
	Seen map[int32]bool // the batch indexes given
}

// Parse reads a key source, recognising its form from its content, never from a file
// name: a QR image (PNG, JPEG, GIF, WebP, BMP); an app export or backup (JSON, CSV, or
// Android settings XML); otpauth://, otpauth-migration:// or steam:// URIs one a line,
// with or without a scanner's "QR-Code:" prefix; or one base32 key. Text may be UTF-8,
// UTF-16 with a byte order mark, or Latin-1. A malformed key is not an error here: its
// Entry carries a *ParseError for the secret check to report. Parse fails only on input
// that is no key source at all: a *Refusal (an encrypted backup, an app database), an
// error wrapping ErrNoKey (nothing that could be a key), broken JSON, an image without
// a QR code.
func Parse(data []byte) (*Source, error) {
	if IsImage(data) {
		return parseQR(data)
	}
	if err := Refuse(data); err != nil {
		return nil, err
	}
	text, ok := textOf(data)
	if !ok {
		return nil, binaryError()
	}
	return parseText(trimInvisible(text))
}

// parseText reads a key source that is text, its ends trimmed.
func parseText(text string) (*Source, error) {
	switch {
	case text == "":
		return nil, fmt.Errorf("it is empty: %w", ErrNoKey)
	case strings.HasPrefix(text, "{") || strings.HasPrefix(text, "["):
		return parseJSONExport([]byte(text))
	case strings.HasPrefix(text, "<"):
		return parsePrefs([]byte(text))
	case looksEncryptedText(text):
		return nil, encrypted("base64 ciphertext, like a TOTP Authenticator backup,",
			"export it again from the app without encryption, or decrypt it first")
	}
	if l := csvLayoutOf(text); l != nil {
		return parseCSV(text, l)
	}
	lines, keyLines := uriLines(text)
	switch {
	case lines != nil:
		return parseURILines(lines)
	case keyLines == 0:
		return nil, fmt.Errorf("only comments and blank lines: %w", ErrNoKey)
	}
	key, notes, err := decodeBase32(text)
	if err != nil {
		return &Source{Form: FormBase32, Entries: []Entry{{Err: err}}}, nil
	}
	return &Source{Form: FormBase32, Entries: []Entry{{Key: Key{Type: TOTP, Secret: key, text: notes}}}}, nil
}

// parseQR reads the text of an image's QR code as a key source. A QR code that holds no
// key (a web address, a Wi-Fi code) is no malformed key: its "characters not base32"
// would send the user retyping.
func parseQR(data []byte) (*Source, error) {
	text, err := DecodeQRImage(data)
	if err != nil {
		return nil, err
	}
	src, err := parseText(trimInvisible(text))
	if err == nil && src.Form == FormBase32 && src.Entries[0].Err != nil {
		err = fmt.Errorf("it holds text that is no 2FA key (an authenticator's QR code holds an otpauth:// URI): %w", ErrNoKey)
	}
	if err != nil {
		return nil, fmt.Errorf("the QR code's content: %w", err)
	}
	src.Form = FormQR + ":" + src.Form
	return src, nil
}

// uriLine is one non-blank, non-comment line of a URI list and its line number.
type uriLine struct {
	n    int
	text string
}

// uriLines returns the lines of text when it is a list of key URIs (blank lines and
// # comments allowed, a scanner's "QR-Code:" prefix cut off), or nil when it is not;
// keyLines counts the lines that are neither blank nor comments.
func uriLines(text string) (out []uriLine, keyLines int) {
	isURI := true
	for i, line := range strings.Split(text, "\n") {
		line = trimInvisible(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		keyLines++
		line = cutScannerPrefix(line)
		if !isKeyURI(line) {
			isURI = false
		}
		out = append(out, uriLine{i + 1, line})
	}
	if !isURI || keyLines == 0 {
		return nil, keyLines
	}
	return out, keyLines
}

// isKeyURI reports whether s starts with a key URI's scheme.
func isKeyURI(s string) bool {
	return hasSchemePrefix(s, "otpauth:") || hasSchemePrefix(s, "otpauth-migration:") || hasSchemePrefix(s, "steam:")
}

// cutScannerPrefix cuts the label a barcode scanner puts before what it read
// ("QR-Code:otpauth://…", as zbarimg prints it) from a line that holds a key URI.
func cutScannerPrefix(line string) string {
	lower := strings.ToLower(line)
	i := strings.Index(lower, "otpauth")
	if i <= 0 {
		return line
	}
	label := strings.TrimRight(line[:i], " \t")
	if !strings.HasSuffix(label, ":") || len(label) > 24 {
		return line
	}
	for _, r := range label[:len(label)-1] {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == ' ') {
			return line
		}
	}
	return line[i:]
}

func hasSchemePrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func parseURILines(lines []uriLine) (*Source, error) {
	src := &Source{Form: FormURIList, Entries: make([]Entry, 0, len(lines))}
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
