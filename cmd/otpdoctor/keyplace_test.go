package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// wrongPlaceKey is the key the wrong-place test types everywhere but where a key goes.
const wrongPlaceKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// wrongPlaceForms are the ways a user may paste it: as apps show it, in either case,
// grouped, padded, or inside an otpauth URI.
var wrongPlaceForms = []string{
	wrongPlaceKey,
	strings.ToLower(wrongPlaceKey),
	"GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
	"gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
	"GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ",
	wrongPlaceKey[:24] + "====",
	"otpauth://totp/GitHub:alice?secret=" + wrongPlaceKey + "&issuer=GitHub",
}

// showsWrongPlaceKey says whether text holds any half of the key, however spaced or cased.
func showsWrongPlaceKey(text string) bool {
	flat := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\n", "").Replace(text))
	return strings.Contains(flat, wrongPlaceKey[:12]) || strings.Contains(flat, wrongPlaceKey[12:24])
}

// dnsRecorder is a loopback DNS server that records the names it is asked for and
// answers that none exists; net.DefaultResolver is pointed at it for the test.
type dnsRecorder struct {
	mu    sync.Mutex
	names []string
}

func recordDNS(t *testing.T) *dnsRecorder {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &dnsRecorder{}
	go rec.serve(conn)
	saved := net.DefaultResolver
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", conn.LocalAddr().String())
	}}
	t.Cleanup(func() {
		net.DefaultResolver = saved
		conn.Close()
	})
	return rec
}

func (rec *dnsRecorder) serve(conn net.PacketConn) {
	buf := make([]byte, 1500)
	for {
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		rec.mu.Lock()
		rec.names = append(rec.names, questionName(buf[12:n]))
		rec.mu.Unlock()
		reply := append([]byte(nil), buf[:n]...)
		reply[2] |= 0x80             // a response
		reply[3] = reply[3]&0xf0 | 3 // NXDOMAIN
		conn.WriteTo(reply, from)
	}
}

// questionName reads the name of a DNS question: length-prefixed labels up to a zero.
func questionName(q []byte) string {
	var labels []string
	for len(q) > 0 && q[0] != 0 && int(q[0]) < len(q) {
		labels = append(labels, string(q[1:1+q[0]]))
		q = q[1+q[0]:]
	}
	return strings.Join(labels, ".")
}

func (rec *dnsRecorder) asked() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.names...)
}

// keyPlaces are the command lines that put a key where none belongs: as the value of
// every flag of every command that does not take a secret, as an argument of every
// command, as a flag's name, and as a command's name. Each place gets one of the forms
// in turn; check's flags, the arguments and the names get them all.
func keyPlaces() [][]string {
	var places [][]string
	add := func(form func(string) []string, all bool) {
		if all {
			for _, f := range wrongPlaceForms {
				places = append(places, form(f))
			}
			return
		}
		places = append(places, form(wrongPlaceForms[len(places)%len(wrongPlaceForms)]))
	}
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
		args := placeArgs[strings.Join(path, " ")]
		visit := func(f *pflag.Flag) {
			if f.NoOptDefVal != "" || f.Annotations[takesSecret] != nil || f.Name == "help" {
				return // a switch takes no value; a secret's own flag takes the key
			}
			add(func(key string) []string { return concat(path, []string{"--" + f.Name, key}, args) }, len(path) == 1 && path[0] == "check")
		}
		c.Flags().VisitAll(visit)
		c.InheritedFlags().VisitAll(visit)
		if c.Annotations[takesSecret] == "" {
			add(func(key string) []string { return concat(path, []string{key}) }, true)
		}
		add(func(key string) []string { return concat(path, []string{"--" + key}) }, false)
	}
	root := newRootCmd(&app{io: &streams{}}, nil)
	root.InitDefaultCompletionCmd() // cobra adds it as the command runs
	walk(root, nil)
	add(func(key string) []string { return []string{"__complete", "check", "--service", key} }, true)
	add(func(key string) []string { return []string{"help", key} }, true)
	add(func(key string) []string { return []string{"check", "--ntp-server=" + key + ":123"} }, true)
	add(func(key string) []string {
		return []string{"check", "--status-url", "https://" + key + ".example.com/"}
	}, true)
	return places
}

// placeArgs are the arguments a command needs to get as far as its flags.
var placeArgs = map[string][]string{
	"explain":          {"report.json"},
	"backup mark-used": {"12345678"},
	"gen-man":          {"man"},
}

func concat(parts ...[]string) []string {
	var all []string
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// TestKeyInTheWrongPlace types a key everywhere but where a key goes, and checks that
// otpdoctor neither uses it (no DNS question, no file written) nor shows it (not on
// stdout or stderr), and says so where it runs the command.
func TestKeyInTheWrongPlace(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // a file named after the key (--output KEY) would land here
	dns := recordDNS(t)
	// The recorder hears what a command would look up.
	if _, err := net.DefaultResolver.LookupHost(t.Context(), "recorder-probe.example"); err == nil || !strings.Contains(strings.Join(dns.asked(), " "), "recorder-probe.example") {
		t.Fatalf("the DNS recorder heard %q (lookup error %v)", dns.asked(), err)
	}
	before := len(dns.asked())
	for _, args := range keyPlaces() {
		r := execCLI(t, nil, "", args...)
		if showsWrongPlaceKey(r.stdout + r.stderr) {
			t.Errorf("%q shows the key:\n%s%s", args, r.stdout, r.stderr)
		}
		refused := strings.Contains(r.stderr, keyNotUsed)
		if r.code != exitUsage && r.code != exitOK || r.code == exitUsage && !refused {
			t.Errorf("%q: exit %d, refused %v:\n%s", args, r.code, refused, r.stderr)
		}
	}
	if asked := dns.asked()[before:]; len(asked) > 0 {
		t.Errorf("DNS was asked for %q", asked)
	}
	home, _ := os.UserHomeDir()
	for _, root := range []string{dir, home} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, _ := os.ReadFile(path)
			if showsWrongPlaceKey(path) || showsWrongPlaceKey(string(data)) {
				t.Errorf("%s holds the key", path)
			}
			return nil
		})
	}
}
