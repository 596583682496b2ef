package web

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// FuzzRedact: a URL's password and query values never show through Redact, whatever
// the URL's parts hold (characters that break parsing included), and RedactError never
// shows them from an error that quotes the URL. A part shorter than 8 characters, or
// one that the rest of the URL spells anyway, is not looked for; nor is a password
// after a user name or password holding a ?, # or / (RFC 3986 ends the authority
// there: every URL parser reads what follows as the path, query or fragment).
func FuzzRedact(f *testing.F) {
	f.Add("alice", "s3cret-pass", "status.example.com:8443", "api/v2/summary.json", "tok-123456789")
	f.Add("", "pa@ss/wo?rd#1", "[::1]", "", "a&b=c")
	f.Add("u:v", "%zz%41password", "host", "p?q", "v#frag")
	f.Fuzz(func(t *testing.T, user, password, host, path, value string) {
		raw := "https://" + user + ":" + password + "@" + host + "/" + path + "?token=" + value
		public := "https://" + user + ":@" + host + "/" + path + "?token="
		failed := &url.Error{Op: "Get", URL: raw, Err: errors.New("connection refused")} // quotes it as %q
		for _, shown := range []string{Redact(raw), RedactError(failed)} {
			var secrets []string
			if !strings.ContainsAny(value, "&#") { // else it is several parameters, or ends in a fragment
				secrets = append(secrets, value)
			}
			if !strings.ContainsAny(user+password, "?#/") {
				secrets = append(secrets, password)
			}
			for _, secret := range secrets {
				if len(secret) >= 8 && !strings.Contains(public, secret) && strings.Contains(shown, secret) {
					t.Fatalf("%q shows %q as %q", raw, secret, shown)
				}
			}
		}
	})
}
