package secret

import (
	"encoding/json"
	"fmt"
	"io"
)

// String names k without its secret: its type, settings, label and fingerprint.
func (k Key) String() string {
	return fmt.Sprintf("%s key %q/%q (%s, %d digits, fingerprint %s)", k.Type, k.Issuer, k.Account, k.Algorithm, k.Digits, k.Fingerprint())
}

// Format makes every fmt verb (%v, %+v, %#v, %s, %x, ...) print String, never the
// key's bytes, so that no log line or error can leak a key by printing it.
func (k Key) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// MarshalJSON writes what String shows, as JSON, never the key's bytes.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Type        Type      `json:"type"`
		Algorithm   Algorithm `json:"algorithm"`
		Digits      int       `json:"digits"`
		Issuer      string    `json:"issuer"`
		Account     string    `json:"account"`
		Fingerprint string    `json:"fingerprint"`
	}{k.Type, k.Algorithm, k.Digits, k.Issuer, k.Account, k.Fingerprint()})
}
