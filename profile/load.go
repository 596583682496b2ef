package profile

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/jsonloc"
	"github.com/otpdoctor/otpdoctor/internal/lazyre"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

// GenericID is the profile used when no service is named.
const GenericID = "generic"

// Endpoint kinds the status check speaks.
var (
	TimeAPIKinds = []string{"binance", "kraken", "coinbase"}
	StatusKinds  = []string{"statuspage", "binance", "kraken", "http"}
)

//go:embed profiles.json
var builtinJSON []byte

// builtin is the embedded catalog, parsed the first time a command needs it (never at
// start-up: `otpdoctor version` does not pay for it). It is not validated at run time:
// TestEmbeddedProfilesAreValid loads it as Load loads a user's file, so a broken
// profiles.json is a build mistake that every test run catches (and a panic here).
// Its formats' patterns compile when first used: most runs use none.
var builtin = sync.OnceValue(func() *Catalog {
	list, err := load(builtinJSON, (*Profile).compileLazily)
	if err != nil {
		panic("profile: embedded profiles.json: " + err.Error())
	}
	return (&Catalog{}).With(list)
})

// Catalog is a set of profiles, in the order they were added.
type Catalog struct {
	list []*Profile
}

// Builtin is the catalog embedded in the binary.
func Builtin() *Catalog { return builtin() }

// All lists the embedded profiles.
func All() []*Profile { return builtin().All() }

// Lookup finds an embedded profile by id.
func Lookup(id string) (*Profile, bool) { return builtin().Lookup(id) }

// Generic is the embedded default profile.
func Generic() *Profile {
	p, _ := builtin().Lookup(GenericID)
	return p
}

// All lists the catalog's profiles.
func (c *Catalog) All() []*Profile { return slices.Clone(c.list) }

// IDs lists the catalog's profile ids.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.list))
	for i, p := range c.list {
		ids[i] = p.ID
	}
	return ids
}

// Lookup finds a profile by id, ignoring case.
func (c *Catalog) Lookup(id string) (*Profile, bool) {
	for _, p := range c.list {
		if strings.EqualFold(p.ID, id) {
			return p, true
		}
	}
	return nil, false
}

// With returns a new catalog: c's profiles, each replaced by the one in extra with the
// same id, then extra's new ones.
func (c *Catalog) With(extra []Profile) *Catalog {
	out := &Catalog{list: slices.Clone(c.list)}
	for i := range extra {
		p := &extra[i]
		if at := slices.IndexFunc(out.list, func(q *Profile) bool { return q.ID == p.ID }); at >= 0 {
			out.list[at] = p
		} else {
			out.list = append(out.list, p)
		}
	}
	return out
}

// file is the profile file's top level.
type file struct {
	Profiles []json.RawMessage `json:"profiles"`
}

// Load parses and validates a profile file: {"profiles": [ ... ]}. It is strict: an
// unknown field, a value of the wrong type, a missing id, a bad regular expression or
// an example that fits none of its own format is an error naming the profile, the
// field and why. Fields a profile leaves out take the generic defaults (SHA1, 6 digits,
// 30 s, window unknown).
func Load(data []byte) ([]Profile, error) {
	return load(data, (*Profile).validate)
}

// load parses a profile file strictly and passes each profile to prepare.
func load(data []byte, prepare func(*Profile) error) ([]Profile, error) {
	if len(data) > fileio.MaxInput {
		return nil, fmt.Errorf("profile file is larger than 1 MiB: %w", fileio.ErrTooLarge)
	}
	var top file
	if err := strictDecode(data, &top); err != nil {
		return nil, locate(data, 0, err)
	}
	if top.Profiles == nil {
		return nil, fieldErrorf("profiles", `missing: the file must be {"profiles": [ ... ]}`)
	}
	out := make([]Profile, 0, len(top.Profiles))
	seen := map[string]int{}
	for i, raw := range top.Profiles {
		p := Profile{TOTP: TOTP{Algorithm: "SHA1", Digits: 6, Period: 30, AcceptedSteps: -1}}
		where := fmt.Sprintf("profile %d", i+1)
		if err := strictDecode(raw, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", where, locate(data, offsetOf(data, raw), err))
		}
		if p.ID != "" {
			where += fmt.Sprintf(" (%q)", p.ID)
		}
		if err := prepare(&p); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if first, dup := seen[p.ID]; dup {
			return nil, fmt.Errorf("%s: id %q is already used by profile %d", where, p.ID, first)
		}
		seen[p.ID] = i + 1
		out = append(out, p)
	}
	return out, nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// offsetOf finds where raw (a sub-slice of data's decoded copy) sits in data: RawMessage
// values are copies, so search for them.
func offsetOf(data, raw []byte) int64 {
	if at := bytes.Index(data, raw); at >= 0 {
		return int64(at)
	}
	return 0
}

// locate explains a JSON decoding error by line and column, pointing to the schema
// when a field is unknown.
func locate(data []byte, base int64, err error) error {
	err = jsonloc.Locate(data, base, err)
	if strings.HasPrefix(err.Error(), "unknown field") {
		return fmt.Errorf("%w (see docs/services.md for the schema)", err)
	}
	return err
}

// validate checks what JSON types cannot: required fields, ranges, regular expressions,
// URLs, and that each format accepts its own examples. It compiles the formats' patterns.
func (p *Profile) validate() error {
	switch {
	case p.ID == "":
		return fieldErrorf("id", `missing: every profile needs one (e.g. "acme")`)
	case !isID(p.ID):
		return fieldErrorf("id", `%q is not an id: use lower-case letters, digits, '.', '_' and '-', up to 40 characters`, p.ID)
	case p.Name == "":
		return fieldErrorf("name", "missing: the service's name as people write it")
	}
	if err := p.TOTP.validate(); err != nil {
		return err
	}
	for i := range p.BackupFormats {
		if err := p.BackupFormats[i].compile(); err != nil {
			err.field = fmt.Sprintf("backup_formats[%d].%s", i, err.field)
			return err
		}
	}
	if err := p.TimeAPI.validate("time_api", TimeAPIKinds); err != nil {
		return err
	}
	if err := p.Status.validate("status", StatusKinds); err != nil {
		return err
	}
	// Links are only shown, never requested: any web address will do, shown whole (a
	// query may say which form to open), but for a password, which reports must not hold.
	for name, link := range map[string]string{"help": p.Links.Help, "support": p.Links.Support, "status_page": p.Links.StatusPage} {
		if link == "" {
			continue
		}
		switch u, err := url.Parse(link); {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			return fieldErrorf("links."+name, "not an http(s) URL")
		case u.User != nil:
			return fieldErrorf("links."+name, "%q holds a user name or password; otpdoctor would show it in reports", web.Redact(link))
		}
	}
	return nil
}

// compileLazily makes the profile's formats compile their patterns when first used.
func (p *Profile) compileLazily() error {
	for i := range p.BackupFormats {
		f := &p.BackupFormats[i]
		f.re = lazyre.New(anchored(f.Pattern)).Get
		f.alphabet = charSetOf(f.Alphabet)
	}
	return nil
}

// isID reports whether id is a profile id: a lower-case letter or digit, then up to 39
// of them or '.', '_' and '-'.
func isID(id string) bool {
	if id == "" || len(id) > 40 || !isIDChar(id[0]) {
		return false
	}
	for i := 1; i < len(id); i++ {
		if c := id[i]; !isIDChar(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isIDChar(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func (t TOTP) validate() error {
	switch {
	case !slices.Contains([]string{"SHA1", "SHA256", "SHA512"}, t.Algorithm):
		return fieldErrorf("totp.algorithm", "%q is not one of SHA1, SHA256, SHA512", t.Algorithm)
	case t.Digits < 6 || t.Digits > 10:
		return fieldErrorf("totp.digits", "%d is not between 6 and 10", t.Digits)
	case t.Period < 1 || t.Period > 3600:
		return fieldErrorf("totp.period", "%d is not between 1 and 3600 seconds", t.Period)
	case t.AcceptedSteps < -1 || t.AcceptedSteps > 100:
		return fieldErrorf("totp.accepted_steps", "%d is not between -1 (unknown) and 100", t.AcceptedSteps)
	}
	return nil
}

// validate checks an endpoint the status check will request, by the URL policy every
// requested URL follows (web.ParseURL), so that a bad one is refused when the file is
// loaded, not halfway through a run.
func (e *Endpoint) validate(field string, kinds []string) error {
	if e == nil {
		return nil
	}
	if _, err := web.ParseURL(e.URL); err != nil {
		return fieldErrorf(field+".url", "%v", err)
	}
	if !slices.Contains(kinds, e.Kind) {
		return fieldErrorf(field+".kind", "%q is not one of %s", e.Kind, strings.Join(kinds, ", "))
	}
	return nil
}
