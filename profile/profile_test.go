package profile

import (
	"os"
	"strings"
	"testing"
)

func TestBuiltinProfiles(t *testing.T) {
	want := []string{"generic", "binance", "google", "github", "microsoft", "coinbase", "kraken", "aws", "dropbox"}
	if got := Builtin().IDs(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("builtin ids = %v, want %v", got, want)
	}
	for _, p := range All() {
		if p.TOTP.Algorithm != "SHA1" || p.TOTP.Digits != 6 || p.TOTP.Period != 30 {
			t.Errorf("%s: TOTP = %+v, want SHA1/6/30 (REFERENCE.md)", p.ID, p.TOTP)
		}
		if len(p.Sources) == 0 {
			t.Errorf("%s: no sources", p.ID)
		}
		for _, f := range p.BackupFormats {
			if len(f.Examples) == 0 {
				t.Errorf("%s %q: no examples", p.ID, f.Name)
			}
		}
	}
	if Generic().ID != GenericID {
		t.Fatalf("Generic() = %q", Generic().ID)
	}
}

// The embedded profiles are not validated when a run reads them (see builtin): they
// must pass every check a user's --profiles file passes.
func TestEmbeddedProfilesAreValid(t *testing.T) {
	list, err := Load(builtinJSON)
	if err != nil {
		t.Fatalf("embedded profiles.json: %v", err)
	}
	if len(list) != len(All()) {
		t.Fatalf("Load reads %d embedded profiles, the catalog holds %d", len(list), len(All()))
	}
}

func TestBuiltinFacts(t *testing.T) {
	for _, tc := range []struct {
		id          string
		keyIsTOTP   bool
		timeKind    string
		statusKind  string
		formats     int
		firstIssued int
	}{
		{"binance", true, "binance", "binance", 0, 0},
		{"kraken", true, "kraken", "kraken", 0, 0},
		{"coinbase", false, "coinbase", "statuspage", 0, 0},
		{"github", false, "", "statuspage", 1, 16},
		{"google", false, "", "", 1, 10},
		{"microsoft", false, "", "", 1, 1},
		{"dropbox", false, "", "", 2, 10},
		{"aws", false, "", "", 0, 0},
	} {
		p, ok := Lookup(tc.id)
		if !ok {
			t.Fatalf("Lookup(%q) failed", tc.id)
		}
		kind := func(e *Endpoint) string {
			if e == nil {
				return ""
			}
			return e.Kind
		}
		if p.BackupKeyIsTOTPKey != tc.keyIsTOTP || kind(p.TimeAPI) != tc.timeKind || kind(p.Status) != tc.statusKind || len(p.BackupFormats) != tc.formats {
			t.Errorf("%s: key=%v time=%q status=%q formats=%d", tc.id, p.BackupKeyIsTOTPKey, kind(p.TimeAPI), kind(p.Status), len(p.BackupFormats))
		}
		if tc.formats > 0 && p.BackupFormats[0].Issued != tc.firstIssued {
			t.Errorf("%s: issued %d, want %d", tc.id, p.BackupFormats[0].Issued, tc.firstIssued)
		}
	}
	if _, ok := Lookup("GitHub"); !ok {
		t.Error("Lookup is not case-insensitive")
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) succeeded")
	}
}

func TestFormatsAcceptExamplesRejectNearMisses(t *testing.T) {
	cases := map[string]struct{ good, bad []string }{
		"google":    {[]string{"1234 5678", "12345678", " 1234-5678 "}, []string{"1234567", "123456789", "1234 567O", "abcdefgh"}},
		"github":    {[]string{"1a2b3-c4d5e", "1A2B3C4D5E", "1a2b3 c4d5e"}, []string{"1a2b3-c4d5", "1a2b3-c4d5g", "1a2b3-c4d5e6"}},
		"microsoft": {[]string{"ABCDE-12345-FGHJK-67890-MNPQR", "abcde12345fghjk67890mnpqr"}, []string{"ABCDE-12345-FGHJK-67890-MNPQ", "ABCDE-12345-FGHJK-67890-MNPQ!"}},
		"dropbox":   {[]string{"2468 1357", "1234 5678 9012 3456"}, []string{"1234 5678 9012", "2468 135"}},
	}
	for id, tc := range cases {
		p, _ := Lookup(id)
		fits := func(s string) bool {
			for i := range p.BackupFormats {
				if p.BackupFormats[i].Match(NormalizeCode(s)) {
					return true
				}
			}
			return false
		}
		for _, s := range tc.good {
			if !fits(s) {
				t.Errorf("%s: %q rejected", id, s)
			}
		}
		for _, s := range tc.bad {
			if fits(s) {
				t.Errorf("%s: %q accepted", id, s)
			}
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"ABCDE-12345":        "abcde12345",
		" 1234 5678\n":       "12345678",
		"１２３４–５６７８":          "12345678", // full-width digits, en dash
		"ab\u200bcd\u00a0ef": "abcdef",   // zero-width space, no-break space
		"":                   "",
		"a\tb\r\nc—d":        "abcd",
	} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDisplay(t *testing.T) {
	gh, _ := Lookup("github")
	ms, _ := Lookup("microsoft")
	google, _ := Lookup("google")
	for _, tc := range []struct {
		f        *CodeFormat
		in, want string
	}{
		{&gh.BackupFormats[0], "1a2b3c4d5e", "1a2b3-c4d5e"},
		{&gh.BackupFormats[0], "1a2b3", "1a2b3"},
		{&ms.BackupFormats[0], "abcde12345fghjk67890mnpqr", "ABCDE-12345-FGHJK-67890-MNPQR"},
		{&google.BackupFormats[0], "12345678", "1234 5678"},
	} {
		if got := tc.f.Display(tc.in); got != tc.want {
			t.Errorf("Display(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoadOverridesAndAdds(t *testing.T) {
	list, err := Load([]byte(`{"profiles": [
		{"id": "github", "name": "GitHub Enterprise", "links": {}},
		{"id": "acme", "name": "Acme", "totp": {"digits": 8},
		 "backup_formats": [{"name": "acme code", "pattern": "[0-9]{6}", "alphabet": "0123456789", "length": 6, "issued": 5, "single_use": true, "new_set_voids_old": true, "examples": ["123-456"]}],
		 "status": {"url": "http://127.0.0.1:9/status", "kind": "http"}, "links": {}}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := Builtin().With(list)
	gh, _ := c.Lookup("github")
	if gh.Name != "GitHub Enterprise" || len(gh.BackupFormats) != 0 {
		t.Errorf("override: %+v", gh)
	}
	acme, ok := c.Lookup("acme")
	if !ok || acme.TOTP != (TOTP{Algorithm: "SHA1", Digits: 8, Period: 30, AcceptedSteps: -1}) {
		t.Fatalf("acme: %+v", acme)
	}
	if !acme.BackupFormats[0].Match("123456") {
		t.Error("acme format rejects its example")
	}
	if len(c.All()) != len(All())+1 {
		t.Errorf("merged catalog has %d profiles", len(c.All()))
	}
	if orig, _ := Lookup("github"); orig.Name != "GitHub" {
		t.Error("With changed the builtin catalog")
	}
}

func TestLoadErrors(t *testing.T) {
	const ok = `"name": "Acme", "links": {}`
	for _, tc := range []struct{ name, json, want string }{
		{"unknown top field", `{"profile": []}`, `unknown field "profile"`},
		{"no list", `{}`, `field profiles: missing: the file must be`},
		{"unknown field", `{"profiles": [{"id": "acme", ` + ok + `, "colour": "red"}]}`, `profile 1: unknown field "colour"`},
		{"missing id", `{"profiles": [{` + ok + `}]}`, `profile 1: field id: missing`},
		{"bad id", `{"profiles": [{"id": "Ac me", ` + ok + `}]}`, `field id: "Ac me" is not an id`},
		{"wrong type", "{\"profiles\": [\n  {\"id\": \"acme\", " + ok + `, "totp": {"digits": "six"}}]}`, `profile 1: line 2, column `},
		{"wrong type says field", `{"profiles": [{"id": "acme", ` + ok + `, "totp": {"digits": "six"}}]}`, `field totp.digits: want a whole number, got a JSON string`},
		{"bad regex", `{"profiles": [{"id": "acme", ` + ok + `, "backup_formats": [{"name": "x", "pattern": "[0-9", "alphabet": "0123456789"}]}]}`, `profile 1 ("acme"): field backup_formats[0].pattern: not a valid regular expression: missing closing ]`},
		{"example misfit", `{"profiles": [{"id": "acme", ` + ok + `, "backup_formats": [{"name": "x", "pattern": "[0-9]{4}", "alphabet": "0123456789", "length": 4, "examples": ["12345"]}]}]}`, `field backup_formats[0].examples[0]: does not fit`},
		{"grouping", `{"profiles": [{"id": "acme", ` + ok + `, "backup_formats": [{"name": "x", "pattern": "[0-9]{4}", "alphabet": "0123456789", "length": 4, "grouping": [2, 3]}]}]}`, `field backup_formats[0].grouping: adds up to 5 characters, but length is 4`},
		{"separator", `{"profiles": [{"id": "acme", ` + ok + `, "backup_formats": [{"name": "x", "pattern": "[0-9]{4}", "alphabet": "0123456789", "separator": "/"}]}]}`, `field backup_formats[0].separator: "/" is not "-" or " "`},
		{"upper alphabet", `{"profiles": [{"id": "acme", ` + ok + `, "backup_formats": [{"name": "x", "pattern": "[A-Z]+", "alphabet": "ABC"}]}]}`, `field backup_formats[0].alphabet: character 1 is not a digit or lower-case letter`},
		{"algorithm", `{"profiles": [{"id": "acme", ` + ok + `, "totp": {"algorithm": "MD5"}}]}`, `field totp.algorithm: "MD5" is not one of`},
		{"digits", `{"profiles": [{"id": "acme", ` + ok + `, "totp": {"digits": 4}}]}`, `field totp.digits: 4 is not between 6 and 10`},
		{"status kind", `{"profiles": [{"id": "acme", ` + ok + `, "status": {"url": "https://x.example/s", "kind": "rss"}}]}`, `field status.kind: "rss" is not one of statuspage, binance, kraken, http`},
		{"time url", `{"profiles": [{"id": "acme", ` + ok + `, "time_api": {"url": "ftp://x", "kind": "binance"}}]}`, `field time_api.url: "ftp://x" is not an https:// URL`},
		{"plain http status", `{"profiles": [{"id": "acme", ` + ok + `, "status": {"url": "http://status.example.com/", "kind": "http"}}]}`, `field status.url: "http://status.example.com/": plain http:// is accepted only for this machine`},
		{"credentials in url", `{"profiles": [{"id": "acme", ` + ok + `, "time_api": {"url": "https://u:p@x.example/t", "kind": "binance"}}]}`, `field time_api.url: "https://x.example/t" holds a user name or password`},
		{"credentials in link", `{"profiles": [{"id": "acme", ` + ok + `, "links": {"support": "https://alice:hunter2@x.example/t"}}]}`, `field links.support: "https://x.example/t" holds a user name or password`},
		{"help link", `{"profiles": [{"id": "acme", ` + ok + `, "links": {"help": "mailto:help@x.example"}}]}`, `field links.help: not an http(s) URL`},
		{"duplicate id", `{"profiles": [{"id": "acme", ` + ok + `}, {"id": "acme", ` + ok + `}]}`, `profile 2 ("acme"): id "acme" is already used by profile 1`},
		{"syntax", "{\"profiles\": [\n{\"id\": \"acme\",,}]}", `line 2, column 15: not valid JSON`},
		{"truncated", `{"profiles": [{"id": "ac`, `truncated`},
		{"trailing", `{"profiles": []} []`, `unexpected data after the JSON value`},
	} {
		_, err := Load([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestLoadTooLarge(t *testing.T) {
	if _, err := Load(make([]byte, 1<<20+1)); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(builtinJSON)
	f.Add([]byte(`{"profiles": [{"id": "acme", "name": "Acme", "links": {}, "backup_formats": [{"name": "x", "pattern": "(a|b)*", "alphabet": "ab"}]}]}`))
	f.Add([]byte(`{"profiles": [{"id": 5}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := Load(data)
		if err != nil {
			return
		}
		// Whatever loads is usable: every format compiled and its examples fit.
		for _, p := range list {
			if p.ID == "" || p.Name == "" {
				t.Fatalf("loaded a profile without id or name")
			}
			for i := range p.BackupFormats {
				f := &p.BackupFormats[i]
				for _, ex := range f.Examples {
					if !f.Match(NormalizeCode(ex)) {
						t.Fatalf("loaded format rejects its own example")
					}
				}
			}
		}
	})
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"ABCDE-12345", "１２３４–５６７８", "a\u200bb", "\xff\xfe", "İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeCode(s)
		if NormalizeCode(n) != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, NormalizeCode(n))
		}
		if strings.ContainsAny(n, " -\t\n") {
			t.Fatalf("separator left in %q", n)
		}
	})
}

// docs/services.md names every embedded profile and each of its sources.
func TestServicesDocInStep(t *testing.T) {
	doc, err := os.ReadFile("../docs/services.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range All() {
		if !strings.Contains(string(doc), "### "+p.ID+"\n") {
			t.Errorf("docs/services.md has no section for %s", p.ID)
		}
		for _, s := range p.Sources {
			if !strings.Contains(string(doc), "- "+s+"\n") {
				t.Errorf("docs/services.md does not list %s's source %q", p.ID, s)
			}
		}
	}
}

// The example profile file in docs/services.md loads.
func TestServicesDocExampleLoads(t *testing.T) {
	doc, err := os.ReadFile("../docs/services.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no JSON example in docs/services.md")
	}
	list, err := Load([]byte(example))
	if err != nil || len(list) != 1 || list[0].ID != "acme" {
		t.Fatalf("the example does not load: %v", err)
	}
}
