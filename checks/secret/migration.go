package secret

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// The fields of Google Authenticator's export payload (REFERENCE.md).
const (
	migrationOtpParameters protowire.Number = 1
	migrationVersion       protowire.Number = 2
	migrationBatchSize     protowire.Number = 3
	migrationBatchIndex    protowire.Number = 4
	migrationBatchID       protowire.Number = 5

	otpSecret    protowire.Number = 1
	otpName      protowire.Number = 2
	otpIssuer    protowire.Number = 3
	otpAlgorithm protowire.Number = 4
	otpDigits    protowire.Number = 5
	otpType      protowire.Number = 6
	otpCounter   protowire.Number = 7
)

// maxBatches bounds the QR codes one export claims to span (a real one spans a few).
const maxBatches = 1000

// migrationAlgorithms maps the export's algorithm enum; 0 (unspecified) means SHA1.
// Value 4 is MD5, which TOTP and HOTP are not defined with: refused like any other.
var migrationAlgorithms = map[uint64]Algorithm{0: SHA1, 1: SHA1, 2: SHA256, 3: SHA512}

// migrationMD5 is the export's enum value for MD5.
const migrationMD5 = 4

// migrationDigits maps the export's digit-count enum; 0 (unspecified) means 6.
var migrationDigits = map[uint64]int{0: 6, 1: 6, 2: 8}

// Migration is one decoded otpauth-migration:// payload: one QR code of an export.
type Migration struct {
	Entries    []Entry
	Version    int32
	BatchSize  int32
	BatchIndex int32
	BatchID    int32
}

// migrationError is a *ParseError about the export payload.
func migrationError(format string, args ...any) *ParseError {
	return &ParseError{Where: "Google Authenticator export", Reason: fmt.Sprintf(format, args...)}
}

// DecodeMigrationURI reads an otpauth-migration://offline?data=... URI. A '+' of the
// base64 that arrived as a space (the URI was not percent-encoded on its way) is turned
// back. Its errors are *ParseError values.
func DecodeMigrationURI(s string) (*Migration, error) {
	s = strings.TrimSpace(s)
	if !hasSchemePrefix(s, "otpauth-migration:") {
		return nil, migrationError("not an otpauth-migration:// URI")
	}
	_, rawQuery, _ := strings.Cut(s, "?")
	var data string
	for _, pair := range strings.Split(rawQuery, "&") {
		if name, value, _ := strings.Cut(pair, "="); name == "data" {
			data = value
			break
		}
	}
	if data == "" {
		return nil, migrationError("no data parameter")
	}
	// Unescape by hand: url.QueryUnescape would turn a literal '+' into a space.
	unescaped, err := url.PathUnescape(data)
	if err != nil {
		return nil, migrationError("the data parameter is not valid URL encoding")
	}
	unescaped = strings.ReplaceAll(unescaped, " ", "+")
	payload, err := decodeBase64(unescaped)
	if err != nil {
		return nil, migrationError("the data parameter is not base64: %s", base64Reason(err))
	}
	return DecodeMigration(payload)
}

// decodeBase64 accepts standard base64 with or without padding, and the URL-safe
// alphabet some tools re-encode it with.
func decodeBase64(s string) ([]byte, error) {
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if !strings.HasSuffix(s, "=") {
		enc = enc.WithPadding(base64.NoPadding)
	}
	return enc.DecodeString(s)
}

// base64Reason names where base64 decoding failed, without the text.
func base64Reason(err error) string {
	if c, ok := err.(base64.CorruptInputError); ok {
		return fmt.Sprintf("corrupt at character %d", int64(c)+1)
	}
	return "corrupt"
}

// DecodeMigration decodes the protobuf MigrationPayload of a Google Authenticator
// export (no generated code: protowire, field by field). Malformed payloads give a
// *ParseError, never a panic; an account whose own key is unreadable gets an Entry
// with Err.
func DecodeMigration(payload []byte) (*Migration, error) {
	m := &Migration{}
	err := eachField(payload, func(num protowire.Number, typ protowire.Type, value []byte, varint uint64) error {
		switch {
		case num == migrationOtpParameters && typ == protowire.BytesType:
			e, err := decodeOtpParameters(value)
			if err != nil {
				return err
			}
			e.Where = fmt.Sprintf("account %d", len(m.Entries)+1)
			if e.Err != nil {
				e.Err = e.Err.(*ParseError).at(e.Where)
			}
			m.Entries = append(m.Entries, e)
		case num == migrationVersion && typ == protowire.VarintType:
			m.Version = int32(varint)
		case num == migrationBatchSize && typ == protowire.VarintType:
			m.BatchSize = int32(varint)
		case num == migrationBatchIndex && typ == protowire.VarintType:
			m.BatchIndex = int32(varint)
		case num == migrationBatchID && typ == protowire.VarintType:
			m.BatchID = int32(varint)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if m.BatchSize < 0 || m.BatchSize > maxBatches || m.BatchIndex < 0 || (m.BatchSize > 0 && m.BatchIndex >= m.BatchSize) {
		return nil, migrationError("batch %d of %d is impossible", m.BatchIndex+1, m.BatchSize)
	}
	return m, nil
}

func decodeOtpParameters(b []byte) (Entry, error) {
	var e Entry
	k := &e.Key
	k.Period = 30 // the export has no period field: Google Authenticator uses 30 s
	var typeValue uint64
	var keyErr *ParseError
	err := eachField(b, func(num protowire.Number, typ protowire.Type, value []byte, varint uint64) error {
		switch {
		case num == otpSecret && typ == protowire.BytesType:
			k.Secret = append([]byte(nil), value...)
		case num == otpName && typ == protowire.BytesType:
			k.Account = string(value)
		case num == otpIssuer && typ == protowire.BytesType:
			k.Issuer = string(value)
		case num == otpAlgorithm && typ == protowire.VarintType:
			alg, ok := migrationAlgorithms[varint]
			switch {
			case varint == migrationMD5:
				keyErr = &ParseError{Reason: "algorithm MD5 is not one TOTP and HOTP are defined with (SHA1, SHA256 or SHA512)"}
			case !ok:
				keyErr = &ParseError{Reason: fmt.Sprintf("algorithm value %d is not one Google Authenticator defines", varint)}
			}
			k.Algorithm = alg
		case num == otpDigits && typ == protowire.VarintType:
			digits, ok := migrationDigits[varint]
			if !ok {
				keyErr = &ParseError{Reason: fmt.Sprintf("digit count value %d is not one Google Authenticator defines", varint)}
			}
			k.Digits = digits
		case num == otpType && typ == protowire.VarintType:
			typeValue = varint
		case num == otpCounter && typ == protowire.VarintType:
			k.Counter, k.HasCounter = varint, true
		}
		return nil
	})
	if err != nil {
		return e, err
	}
	// Account names in exports often carry the issuer as "Issuer:account".
	if issuer, account, ok := strings.Cut(k.Account, ":"); ok {
		k.LabelIssuer, k.Account = strings.TrimSpace(issuer), strings.TrimSpace(account)
		if k.Issuer == "" {
			k.Issuer = k.LabelIssuer
		}
	}
	switch typeValue {
	case 1:
		// proto3 leaves out fields at their zero value: an HOTP entry without field 7
		// is at counter 0, not missing one.
		k.Type, k.Period, k.HasCounter = HOTP, 0, true
	case 0, 2:
		k.Type = TOTP
	default:
		keyErr = &ParseError{Reason: fmt.Sprintf("type value %d is neither HOTP nor TOTP", typeValue)}
	}
	if keyErr == nil {
		keyErr = plausible(k.Secret)
	}
	if keyErr != nil {
		k.Secret = nil
		e.Err = keyErr
	}
	return e, nil
}

// eachField calls fn for every field of a protobuf message: the raw bytes of
// length-delimited fields, the value of varints. A truncated or malformed message is a
// *ParseError saying at which byte.
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, value []byte, varint uint64) error) error {
	for offset := 0; offset < len(b); {
		num, typ, n := protowire.ConsumeTag(b[offset:])
		if n < 0 {
			return migrationError("malformed field tag at byte %d", offset+1)
		}
		start := offset
		offset += n
		var value []byte
		var varint uint64
		switch typ {
		case protowire.BytesType:
			value, n = protowire.ConsumeBytes(b[offset:])
		case protowire.VarintType:
			varint, n = protowire.ConsumeVarint(b[offset:])
		default:
			n = protowire.ConsumeFieldValue(num, typ, b[offset:])
		}
		if n < 0 {
			return migrationError("field %d at byte %d is truncated or malformed", num, start+1)
		}
		offset += n
		if err := fn(num, typ, value, varint); err != nil {
			return err
		}
	}
	return nil
}

// addMigration adds one export QR code's accounts to s and records its batch.
func (s *Source) addMigration(uri, where string) error {
	m, err := DecodeMigrationURI(uri)
	if err != nil {
		if where != "" {
			return err.(*ParseError).at(where)
		}
		return err
	}
	batch := &batchKey{m.BatchID, m.BatchIndex}
	if m.BatchSize > 1 && s.Batches[m.BatchID] != nil && s.Batches[m.BatchID].Seen[m.BatchIndex] {
		s.Notes = append(s.Notes, fmt.Sprintf("QR code %d of the export is given twice: read once", m.BatchIndex+1))
		return nil
	}
	for _, e := range m.Entries {
		if where != "" {
			e.Where = where + ", " + e.Where
			if e.Err != nil {
				e.Err = e.Err.(*ParseError).at(where)
			}
		}
		if m.BatchSize > 1 {
			e.batch = batch
		}
		s.Entries = append(s.Entries, e)
	}
	if m.BatchSize > 1 {
		s.addBatch(m.BatchID, m.BatchSize, map[int32]bool{m.BatchIndex: true})
	}
	return nil
}

// Missing lists the batch numbers (1-based) of an export not given.
func (b *Batch) Missing() []int {
	var out []int
	for i := int32(0); i < b.Size; i++ {
		if !b.Seen[i] {
			out = append(out, int(i)+1)
		}
	}
	return out
}
