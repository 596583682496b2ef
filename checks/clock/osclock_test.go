package clock

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// The real OS view never crashes and says where its facts came from, or why none.
func TestReadOSClock(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := ReadOSClock(ctx)
	if len(c.Notes) == 0 {
		t.Errorf("no notes: %+v", c)
	}
	if c.MaxError != nil && *c.MaxError < 0 {
		t.Errorf("max error %s", *c.MaxError)
	}
	t.Logf("%+v %v", c, c.Notes)
}

func TestParseKeyValues(t *testing.T) {
	out := []byte("Timezone=Europe/Paris\nLocalRTC=no\nCanNTP=yes\nNTP=yes\nNTPSynchronized=no\nnot a pair\n=empty\n")
	v := parseKeyValues(out)
	if v["Timezone"] != "Europe/Paris" || v["NTP"] != "yes" || v["NTPSynchronized"] != "no" || len(v) != 5 {
		t.Errorf("%v", v)
	}
	if b := yesNo(v["NTP"]); b == nil || !*b {
		t.Errorf("NTP=yes read as %v", b)
	}
	if yesNo("maybe") != nil {
		t.Error("maybe read as a boolean")
	}
}

func FuzzParseKeyValues(f *testing.F) {
	f.Add([]byte("NTP=yes\nNTPSynchronized=no\n"))
	f.Add([]byte("=\n==\nx"))
	f.Fuzz(func(t *testing.T, out []byte) {
		for k := range parseKeyValues(out) {
			if k == "" || strings.ContainsAny(k, "\n") {
				t.Fatalf("key %q", k)
			}
		}
	})
}

// A helper command such as timedatectl gets what it needs to run, never the key.
func TestHelperCommandsGetAScrubbedEnvironment(t *testing.T) {
	got := scrubbedEnv([]string{"PATH=/usr/bin", "OTPDOCTOR_SECRET=JBSWY3DPEHPK3PXP", "HOME=/root", "SystemRoot=C:\\Windows", "LANG=de_DE.UTF-8"})
	want := []string{"LC_ALL=C", "PATH=/usr/bin", "SystemRoot=C:\\Windows"}
	if !slices.Equal(got, want) {
		t.Errorf("environment %q, want %q", got, want)
	}
}
