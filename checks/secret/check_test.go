package secret

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// found is a finding as the tests compare it: cause, severity and a piece of its message.
type found struct {
	cause    diag.Cause
	severity diag.Severity
	says     string
}

func runCheck(t *testing.T, c diag.Check, env *diag.Env) diag.Result {
	t.Helper()
	if env.Now == nil {
		env.TrueTime = diag.NewTrueTime()
	}
	results, _ := diag.Run(context.Background(), env, []diag.Check{c})
	return results[0]
}

func checkSource(t *testing.T, text string) *Check {
	t.Helper()
	src, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return &Check{Entry: src.Entries[0], Source: src}
}

func TestCheckFindings(t *testing.T) {
	key160 := "otpauth://totp/ACME:bob?secret=" + rfcKeyBase32 + "&issuer=ACME"
	for _, tc := range []struct {
		name   string
		source string
		app    string
		svc    *profile.Profile
		status diag.Status
		want   []found
	}{
		{"sound key", key160, "", nil, diag.StatusOK, nil},
		{"bad characters", "JBSWY3DPEHPK3PX0", "", nil, diag.StatusFail,
			[]found{{diag.CauseSecretInvalid, diag.SeverityFail, "column 16: the digit 0, which base32 does not use, likely the letter O"}}},
		{"hex that is not base32", "3132333435363738393031323334353637383930", "", nil, diag.StatusFail,
			[]found{{diag.CauseSecretInvalid, diag.SeverityFail, "looks hex-encoded"}}},
		{"hex that decodes as base32", "2A3B4C5D6E7F2A3B4C5D6E7F2A3B4C5D", "", nil, diag.StatusWarn,
			[]found{{diag.CauseSecretInvalid, diag.SeverityWarn, "only of hex digits"}}},
		{"non-canonical trailing bits", "JBSWY3DPEHPK3PXPJBSWY3DPEH", "", nil, diag.StatusWarn,
			[]found{{diag.CauseSecretInvalid, diag.SeverityWarn, "bits that should be zero"}}},
		{"padding", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXPJBSWY3DPEE%3D%3D%3D%3D%3D%3D", "", nil, diag.StatusOK,
			[]found{{diag.CauseSecretInvalid, diag.SeverityInfo, "'=' padding"}}},
		{"64 bits fails", EncodeBase32([]byte("8 bytes!")), "", nil, diag.StatusFail,
			[]found{{diag.CauseSecretInvalid, diag.SeverityFail, "only 64 bits long"}}},
		{"80 bits is as many services issue them", "JBSWY3DPEHPK3PXP", "", nil, diag.StatusOK, nil},
		{"80 bits at Binance is as issued", "JBSWY3DPEHPK3PXP", "", &profile.Profile{ID: "binance", Name: "Binance", BackupKeyIsTOTPKey: true}, diag.StatusOK, nil},
		{"unknown algorithm", key160 + "&algorithm=MD5", "", nil, diag.StatusFail,
			[]found{{diag.CauseSecretInvalid, diag.SeverityFail, `algorithm "MD5" is not one`}}},
		{"9 digits", key160 + "&digits=9", "", nil, diag.StatusFail,
			[]found{{diag.CauseSecretInvalid, diag.SeverityFail, "9-digit codes"}}},
		{"5 digits", key160 + "&digits=5", "", nil, diag.StatusFail,
			[]found{{diag.CauseSecretInvalid, diag.SeverityFail, "5-digit codes"}}},
		{"label issuer differs", "otpauth://totp/Google:bob?secret=" + rfcKeyBase32 + "&issuer=GitHub", "", nil, diag.StatusWarn,
			[]found{{diag.CauseSecretInvalid, diag.SeverityWarn, `label names the issuer "Google" but the issuer parameter says "GitHub"`}}},
		{"label issuer differs in case only", "otpauth://totp/github:bob?secret=" + rfcKeyBase32 + "&issuer=GitHub", "", nil, diag.StatusOK, nil},
		{"a '+' for a space in label and issuer", "otpauth://totp/Example+Corp:bob?secret=" + rfcKeyBase32 + "&issuer=Example+Corp", "", nil, diag.StatusOK, nil},
		{"hotp without counter", "otpauth://hotp/x?secret=" + rfcKeyBase32, "aegis", nil, diag.StatusWarn,
			[]found{{diag.CauseSecretInvalid, diag.SeverityWarn, "gives no counter"}}},
		{"SHA256 without --app names the apps", key160 + "&algorithm=SHA256", "", nil, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "SHA256, which Microsoft Authenticator, Authy, Duo Mobile and 2FAS ignore, and Google Authenticator may ignore"}}},
		{"8 digits without --app", key160 + "&digits=8", "", nil, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "8 digits, which Microsoft Authenticator ignores, and Google Authenticator and Authy may ignore"}}},
		{"period 60 without --app", key160 + "&period=60", "", nil, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "a 60-second period, which Google Authenticator and Microsoft Authenticator ignore"}}},
		{"parameters the service does not use", key160 + "&digits=8&period=60", "aegis", &profile.Profile{ID: "x", Name: "Example", TOTP: profile.TOTP{Algorithm: "SHA1", Digits: 6, Period: 30}}, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "The key asks for 8 digits and a 60-second period, but Example uses 6 digits and a 30-second period"}}},
		{"no service named", key160 + "&digits=8", "aegis", profile.Generic(), diag.StatusOK, nil},
		{"parameters the service uses", key160, "", &profile.Profile{ID: "x", Name: "Example", TOTP: profile.TOTP{Algorithm: "SHA1", Digits: 6, Period: 30}}, diag.StatusOK, nil},
		{"SHA512 with Authy", key160 + "&algorithm=SHA512", "authy", nil, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "Authy ignores SHA512"}}},
		{"SHA512 with Aegis is fine", key160 + "&algorithm=SHA512", "aegis", nil, diag.StatusOK, nil},
		{"8 digits with older Google Authenticator", key160 + "&digits=8", "google-authenticator", nil, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "Older versions of Google Authenticator ignore 8 digits"}}},
		{"8 digits with Authy is unreliable", key160 + "&digits=8", "authy", nil, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "Authy is reported to handle 8 digits unreliably"}}},
		{"period with 1Password is unknown", key160 + "&period=60", "1password", nil, diag.StatusOK,
			[]found{{diag.CauseParameterMismatch, diag.SeverityInfo, "not known whether 1Password handles a 60-second period"}}},
		{"HOTP with Microsoft Authenticator", "otpauth://hotp/x?secret=" + rfcKeyBase32 + "&counter=3", "microsoft-authenticator", nil, diag.StatusWarn,
			[]found{{diag.CauseParameterMismatch, diag.SeverityWarn, "Microsoft Authenticator ignores counter-based (HOTP) codes"}}},
		{"duplicate entries", "otpauth://totp/GitHub:alice?secret=" + rfcKeyBase32 + "\notpauth://totp/github:Alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "", nil, diag.StatusWarn,
			[]found{{diag.CauseDuplicateEntry, diag.SeverityWarn, "2 entries for GitHub: alice hold 2 different keys (fingerprints " + Fingerprint(rfcKey) + " at line 1, "}}},
		{"same key twice is no duplicate", "otpauth://totp/GitHub:alice?secret=" + rfcKeyBase32 + "\notpauth://totp/GitHub:alice?secret=" + rfcKeyBase32, "", nil, diag.StatusOK, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCheck(t, checkSource(t, tc.source), &diag.Env{App: tc.app, Service: tc.svc})
			if r.Status != tc.status {
				t.Errorf("status %s, want %s (%s)", r.Status, tc.status, r.Summary)
			}
			if len(r.Findings) != len(tc.want) {
				t.Fatalf("%d findings, want %d: %+v", len(r.Findings), len(tc.want), r.Findings)
			}
			for i, w := range tc.want {
				f := r.Findings[i]
				if f.Cause != w.cause || f.Severity != w.severity || !strings.Contains(f.Message, w.says) {
					t.Errorf("finding %d = %s/%s %q, want %s/%s containing %q", i, f.Cause, f.Severity, f.Message, w.cause, w.severity, w.says)
				}
				if len(diag.FixTexts(f.Steps, &diag.Env{})) < 2 {
					t.Errorf("finding %d has %d fix steps; want a specific one and the catalog's", i, len(diag.FixTexts(f.Steps, &diag.Env{})))
				}
			}
			assertNoLeak(t, r.Summary+strings.Join(r.Details, "\n")+findingsText(r.Findings), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
		})
	}
}

func findingsText(fs []diag.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Message + strings.Join(diag.FixTexts(f.Steps, &diag.Env{}), " "))
	}
	return b.String()
}

func TestCheckFacts(t *testing.T) {
	r := runCheck(t, checkSource(t, "otpauth://totp/ACME:bob?secret="+rfcKeyBase32+"&issuer=ACME&algorithm=SHA256&digits=8&period=60"), &diag.Env{})
	want := map[string]any{
		"type": "totp", "algorithm": "SHA256", "digits": 8.0, "period": 60.0, "key_bits": 160.0,
		"fingerprint": Fingerprint(rfcKey), "issuer": "ACME", "account": "bob", "readable": true, "canonical": true,
		"source": "otpauth-uri", "accounts_in_source": 1.0,
	}
	for k, v := range want {
		if diag.FactValues(r.Facts)[k] != v {
			t.Errorf("fact %s = %#v, want %#v", k, diag.FactValues(r.Facts)[k], v)
		}
	}
	// HOTP: no period, a counter.
	r = runCheck(t, checkSource(t, "otpauth://hotp/x?secret="+rfcKeyBase32+"&counter=5"), &diag.Env{})
	if diag.FactValues(r.Facts)["period"] != nil || diag.FactValues(r.Facts)["counter"] != 5.0 || diag.FactValues(r.Facts)["type"] != "hotp" {
		t.Errorf("HOTP facts = %v", r.Facts)
	}
	// Unreadable: the key's facts are null, the label's are kept.
	r = runCheck(t, checkSource(t, "otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PX0"), &diag.Env{})
	if diag.FactValues(r.Facts)["key_bits"] != nil || diag.FactValues(r.Facts)["fingerprint"] != nil || diag.FactValues(r.Facts)["readable"] != false {
		t.Errorf("unreadable facts = %v", r.Facts)
	}
}

// An 80-bit key (16 base32 characters, what Binance and many services issue) is
// information, with or without a service named: no finding, a line under -v.
func TestCheck80BitKeyIsInformation(t *testing.T) {
	for _, env := range []*diag.Env{{}, {Service: &profile.Profile{ID: "binance", Name: "Binance", BackupKeyIsTOTPKey: true}}} {
		r := runCheck(t, checkSource(t, "JBSWY3DPEHPK3PXP"), env)
		if len(r.Findings) != 0 || !slices.ContainsFunc(r.Details, func(d string) bool { return strings.Contains(d, "80 bits long") }) {
			t.Errorf("findings %+v, details %q", r.Findings, r.Details)
		}
	}
}

func TestCheckSummary(t *testing.T) {
	r := runCheck(t, checkSource(t, "otpauth://totp/ACME:bob?secret="+rfcKeyBase32+"&issuer=ACME"), &diag.Env{})
	want := "160-bit TOTP key for ACME: bob (SHA1, 6 digits, 30 s, fingerprint " + Fingerprint(rfcKey) + "): sound."
	if r.Summary != want {
		t.Errorf("summary:\n got %s\nwant %s", r.Summary, want)
	}
	// The worst finding follows as a sentence of its own.
	r = runCheck(t, checkSource(t, "otpauth://totp/Google:bob?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"), &diag.Env{})
	want = "80-bit TOTP key for GitHub: bob (SHA1, 6 digits, 30 s, fingerprint " + Fingerprint([]byte("Hello!\xde\xad\xbe\xef")) + "). The label names the issuer"
	if !strings.HasPrefix(r.Summary, want) {
		t.Errorf("summary:\n got %s\nwant %s…", r.Summary, want)
	}
}

func TestListChecks(t *testing.T) {
	text := strings.Join([]string{
		"otpauth://totp/GitHub:alice?secret=" + rfcKeyBase32,
		"otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
		"otpauth://totp/Bank:bob?secret=JBSWY3DPEHPK3PX0",
		migrationURI(buildPayload(testAccounts(1), 2, 0, 9)),
	}, "\n")
	src, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	checks := ListChecks(src)
	results, _ := diag.Run(context.Background(), &diag.Env{}, checks)
	var titles []string
	for _, r := range results {
		titles = append(titles, r.Title)
	}
	if want := []string{"GitHub: alice", "GitHub: alice", "Bank: bob", "Service 0: user0@example.com", "All accounts"}; !slices.Equal(titles, want) {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	if results[2].Status != diag.StatusFail {
		t.Errorf("the unreadable entry is %s", results[2].Status)
	}
	all := results[4]
	if all.Status != diag.StatusWarn || len(all.Findings) != 1 || all.Findings[0].Cause != diag.CauseDuplicateEntry {
		t.Errorf("source result = %s %+v", all.Status, all.Findings)
	}
	wantSummary := "4 accounts in a list of otpauth:// URIs; 1 cannot be checked; 1 account has several entries with different keys; QR code 2 of the 2 in the export was not given: the accounts in it are not checked."
	if all.Summary != wantSummary {
		t.Errorf("summary:\n got %s\nwant %s", all.Summary, wantSummary)
	}
	if diag.FactValues(all.Facts)["accounts"] != 4.0 || diag.FactValues(all.Facts)["unreadable"] != 1.0 || diag.FactValues(all.Facts)["duplicates"] != 1.0 {
		t.Errorf("facts = %v", all.Facts)
	}
}
