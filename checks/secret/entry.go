package secret

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ErrNoKey is returned (wrapped) for a source that holds no key at all: an empty file,
// comments only, a QR code of a web address. It is no malformed key.
var ErrNoKey = errors.New("no key in it")

// ErrAppDatabase is returned (wrapped) for an app's internal database: it is no export.
var ErrAppDatabase = errors.New("an app database, not an export")

// Refusal is a file refused by name, with what to do instead: an encrypted backup
// (otpdoctor never asks for or handles backup passwords), an app database, an image
// format otpdoctor does not read. Kind is ErrEncrypted, ErrAppDatabase or nil.
type Refusal struct {
	What string // what the file is: "an andOTP backup that is encrypted"
	Hint string // what to do instead
	Kind error
}

func (r *Refusal) Error() string { return r.What }
func (r *Refusal) Unwrap() error { return r.Kind }

// encrypted refuses an encrypted backup of what, with the way to a plain one.
func encrypted(what, hint string) error {
	return &Refusal{What: what + " that is encrypted", Hint: hint, Kind: ErrEncrypted}
}

// exportFields is one account of an app backup, in the backup's own terms.
type exportFields struct {
	typ, issuer, account, secret, algorithm string
	key                                     []byte // raw key bytes, when the backup holds them so (keyGiven)
	keyGiven                                bool
	digits, period                          int
	counter                                 uint64
}

// exportEntry turns an app backup's account into an Entry, with a *ParseError when its
// type is not TOTP, HOTP or Steam (mOTP, Yandex), a parameter is one codes cannot have,
// or its key is malformed.
func exportEntry(where string, f exportFields) Entry {
	e := Entry{Where: where}
	k := &e.Key
	k.Issuer, k.Account, k.Digits, k.Period = f.issuer, f.account, f.digits, f.period
	fail := func(pe *ParseError) Entry {
		e.Err = pe.at(where)
		return e
	}
	switch strings.ToLower(f.typ) {
	case "totp", "":
		k.Type = TOTP
	case "hotp":
		k.Type, k.Counter, k.HasCounter, k.Period = HOTP, f.counter, true, 0
	case "steam":
		k.Type, k.Encoding = TOTP, Steam
	default:
		return fail(&ParseError{Reason: fmt.Sprintf("type %s is neither TOTP, HOTP nor Steam: otpdoctor cannot check it", shown(f.typ)), Unsupported: true})
	}
	var pe *ParseError
	if k.Algorithm, pe = parseAlgorithm(f.algorithm); pe != nil {
		return fail(pe)
	}
	if f.digits < 0 || f.period < 0 {
		return fail(&ParseError{Reason: "a negative digit count or period"})
	}
	if pe := checkDigits(f.digits, k.Encoding); pe != nil {
		return fail(pe)
	}
	if f.keyGiven {
		if pe := plausible(f.key); pe != nil {
			return fail(pe)
		}
		k.Secret = f.key
		return e
	}
	key, notes, err := decodeBase32(f.secret)
	if err != nil {
		return fail(err.(*ParseError).at("secret")) // its columns count in the secret field
	}
	k.Secret, k.text = key, notes
	return e
}

// entryAt names the i-th (0-based) account of a backup.
func entryAt(i int) string { return fmt.Sprintf("entry %d", i+1) }

// firstOf is the first of values that is not empty.
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// sortedKeys are m's keys in order: a JSON object's members come in no fixed order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// add appends an entry.
func (s *Source) add(e Entry) { s.Entries = append(s.Entries, e) }

// orNoKey is s, or an ErrNoKey saying why when it holds no entry.
func (s *Source) orNoKey(why string) (*Source, error) {
	if len(s.Entries) == 0 {
		return nil, fmt.Errorf("%s: %w", why, ErrNoKey)
	}
	return s, nil
}
