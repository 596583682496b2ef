package secret

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// However a key is printed or encoded, its bytes never show: only its fingerprint.
func TestKeyNeverPrintsItsSecret(t *testing.T) {
	k := Key{Type: TOTP, Secret: []byte("12345678901234567890"), Algorithm: SHA1, Digits: 6, Issuer: "GitHub", Account: "alice"}
	data, err := json.Marshal(map[string]any{"key": k, "pointer": &k})
	if err != nil {
		t.Fatal(err)
	}
	shown := []string{string(data)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
		shown = append(shown, fmt.Sprintf(verb, k), fmt.Sprintf(verb, &k), fmt.Sprintf(verb, []Key{k}))
	}
	for _, s := range shown {
		for _, leak := range []string{"1234567890", EncodeBase32(k.Secret)[:16], hex.EncodeToString(k.Secret)[:16], "[49 50 51"} {
			if strings.Contains(strings.ToUpper(s), strings.ToUpper(leak)) {
				t.Errorf("%q shows the key (as %q)", s, leak)
			}
		}
		if !strings.Contains(s, k.Fingerprint()) {
			t.Errorf("%q does not name the key by its fingerprint", s)
		}
	}
}
