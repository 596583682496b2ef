package secret

import (
	"strings"
	"testing"
)

// A key found in text is hidden however it is written; words, names and paths are not.
func TestHideKeys(t *testing.T) {
	const key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	spaced := "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
	for _, text := range []string{
		key, strings.ToLower(key), key + "====", key[:16],
		spaced, strings.ToLower(spaced), strings.ReplaceAll(spaced, " ", "-"),
		"otpauth://totp/GitHub:alice?secret=" + key, "OTPAUTH-MIGRATION://offline?data=abc",
		"open " + spaced + ": no such file", "--ntp-server " + key + ":123", "https://" + strings.ToLower(key) + ".example.com/",
		`unknown command "` + key + `" for "otpdoctor"`, "gezd gnbv gy3t qojq gezd gnbv gy3t qo",
	} {
		hidden, found := HideKeys(text)
		if !found || !LooksLikeKey(text) || strings.Contains(strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(hidden)), key[:16]) ||
			strings.Contains(strings.ToLower(hidden), "otpauth") {
			t.Errorf("HideKeys(%q) = %q, %v", text, hidden, found)
		}
	}
	for _, text := range []string{
		"misconfiguration", "TestQRImageWithoutCode2345672", "/tmp/TestBase32Something/001/key.txt",
		"the name does not exist according to this network", "give a positive duration such as 3s or 500ms",
		"time.cloudflare.com", "https://kctbh9vrtdwd.statuspage.io/api/v2/summary.json", "JBSWY3DP", "2026-11-26T09:30:00Z",
		"6ed645ef", "OTPDOCTOR_SECRET", "column 16: the digit 0, which base32 does not use, likely the letter O",
	} {
		if hidden, found := HideKeys(text); found || hidden != text {
			t.Errorf("HideKeys(%q) = %q, %v; want it unchanged", text, hidden, found)
		}
	}
}
