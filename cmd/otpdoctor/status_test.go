package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/otpdoctor/otpdoctor/internal/web/webtest"
)

func init() { scriptCmds["statusserver"] = statusServerCmd }

// statusServerCmd starts a loopback server that plays a service's status endpoint and
// sets the environment variable VAR to its URL:
//
//	statusserver [-skew DURATION] [-profile FILE] VAR BEHAVIOUR [ARGS...]
//
// -skew shifts the server's clock (Date header and time API). -profile writes a
// profile file (for --profiles) with a service "testex" whose status endpoint, and for
// binance and kraken time API, are this server's. Behaviours:
//
//	statuspage INDICATOR COMPONENT_STATE   a Statuspage summary; the "Authentication" component in that state
//	binance normal|maintenance             /sapi/v1/system/status, /api/v3/ping, /api/v3/time
//	kraken STATUS                          /0/public/SystemStatus, /0/public/Time
//	reply CODE [RETRY_AFTER] [BODY]        any path: that HTTP status, Retry-After and body
//	big                                    a 10 MiB body
//	hang                                   never answers
//	redirect-loop                          redirects forever
//	tls-untrusted                          HTTPS with a certificate from "Web Shield Root" (Contoso Antivirus)
//	tls                                    HTTPS with a certificate valid for 30 days either side of now,
//	                                       from a CA written to $WORK/ca.pem and trusted through SSL_CERT_FILE
//	proxy CODE                             a proxy answering every CONNECT with CODE (VAR is its URL)
func statusServerCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! statusserver")
	}
	fs := flag.NewFlagSet("statusserver", flag.ContinueOnError)
	skew := fs.Duration("skew", 0, "")
	profileFile := fs.String("profile", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() < 2 {
		ts.Fatalf("usage: statusserver [-skew DURATION] [-profile FILE] VAR BEHAVIOUR [ARGS...]")
	}
	name, behaviour, rest := fs.Arg(0), fs.Arg(1), fs.Args()[2:]
	arg := func(i int, def string) string {
		if i < len(rest) {
			return rest[i]
		}
		return def
	}
	now := func() time.Time { return time.Now().Add(*skew) }
	mux := http.NewServeMux()
	switch behaviour {
	case "statuspage":
		mux.HandleFunc("/", jsonReply(statuspageSummary(arg(0, "none"), arg(1, "operational"))))
	case "binance":
		code := map[string]int{"normal": 0, "maintenance": 1}[arg(0, "normal")]
		msg := map[int]string{0: "normal", 1: "system_maintenance"}[code]
		mux.HandleFunc("/sapi/v1/system/status", jsonReply(fmt.Sprintf(`{"status": %d, "msg": %q}`, code, msg)))
		mux.HandleFunc("/api/v3/ping", jsonReply(`{}`))
		mux.HandleFunc("/api/v3/time", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"serverTime": %d}`, now().UnixMilli())
		})
	case "kraken":
		mux.HandleFunc("/0/public/SystemStatus", jsonReply(fmt.Sprintf(`{"error":[],"result":{"status":%q,"timestamp":"2026-11-26T09:00:00Z"}}`, arg(0, "online"))))
		mux.HandleFunc("/0/public/Time", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"error":[],"result":{"unixtime":%d}}`, now().Unix())
		})
	case "reply":
		code, err := strconv.Atoi(arg(0, "200"))
		ts.Check(err)
		mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
			if after := arg(1, "-"); after != "-" {
				w.Header().Set("Retry-After", after)
			}
			w.WriteHeader(code)
			fmt.Fprint(w, arg(2, ""))
		})
	case "big":
		mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"status": {"indicator": "none", "description": "`)
			io.Copy(w, io.LimitReader(strings.NewReader(strings.Repeat("x", 10<<20)), 10<<20))
		})
	case "hang":
		mux.HandleFunc("/", func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	case "redirect-loop":
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path+"x", http.StatusFound) })
	case "tls-untrusted", "tls":
		mux.HandleFunc("/", jsonReply(`{"status": 0, "msg": "normal"}`))
	case "proxy":
	default:
		ts.Fatalf("statusserver: unknown behaviour %q", behaviour)
	}
	var handler http.Handler = mux
	if behaviour == "proxy" {
		code, err := strconv.Atoi(arg(0, "403"))
		ts.Check(err)
		handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) })
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", now().UTC().Format(http.TimeFormat))
		handler.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	switch behaviour {
	case "tls-untrusted":
		srv.TLS = scriptTLS(ts, "Web Shield Root", "Contoso Antivirus", false)
		srv.StartTLS()
	case "tls":
		srv.TLS = scriptTLS(ts, "otpdoctor Test Root", "otpdoctor tests", true)
		srv.StartTLS()
	default:
		srv.Start()
	}
	ts.Defer(srv.Close)
	ts.Setenv(name, srv.URL)
	if *profileFile != "" {
		ts.Check(os.WriteFile(ts.MkAbs(*profileFile), testexProfile(behaviour, srv.URL), 0o644))
	}
}

// testexProfile is a profile file whose service "testex" has its endpoints at base.
func testexProfile(behaviour, base string) []byte {
	p := map[string]any{"id": "testex", "name": "Testex",
		"links": map[string]string{"status_page": "https://status.testex.example", "support": "https://testex.example/support"}}
	switch behaviour {
	case "binance":
		p["status"] = map[string]string{"url": base + "/sapi/v1/system/status", "kind": "binance"}
		p["time_api"] = map[string]string{"url": base + "/api/v3/time", "kind": "binance"}
	case "kraken":
		p["status"] = map[string]string{"url": base + "/0/public/SystemStatus", "kind": "kraken"}
		p["time_api"] = map[string]string{"url": base + "/0/public/Time", "kind": "kraken"}
	case "statuspage":
		p["status"] = map[string]string{"url": base + "/api/v2/status.json", "kind": "statuspage"}
	default:
		p["status"] = map[string]string{"url": base + "/", "kind": "http"}
	}
	data, _ := json.Marshal(map[string]any{"profiles": []any{p}})
	return data
}

func jsonReply(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}
}

// statuspageSummary is an Atlassian Statuspage summary.json with an Authentication and
// a Pages component.
func statuspageSummary(indicator, authState string) string {
	descriptions := map[string]string{"none": "All Systems Operational", "minor": "Minor Service Outage",
		"major": "Partial System Outage", "critical": "Major System Outage", "maintenance": "Service Under Maintenance"}
	body, _ := json.Marshal(map[string]any{
		"page":   map[string]any{"id": "abc123", "name": "Example", "url": "https://status.example.com", "time_zone": "Etc/UTC"},
		"status": map[string]any{"indicator": indicator, "description": descriptions[indicator]},
		"components": []map[string]any{
			{"id": "c1", "name": "Authentication", "status": authState, "group": false},
			{"id": "c2", "name": "Pages", "status": "operational", "group": false},
		},
		"incidents":              []any{},
		"scheduled_maintenances": []any{},
	})
	return string(body)
}

// scriptTLS is a server configuration with a certificate for 127.0.0.1, valid 30 days
// either side of now, from a new CA. With trust, the CA is written to $WORK/ca.pem and
// trusted through SSL_CERT_FILE; otherwise nothing trusts it.
func scriptTLS(ts *testscript.TestScript, name, org string, trust bool) *tls.Config {
	ca, err := webtest.NewCA(name, org)
	ts.Check(err)
	cert, err := ca.Issue(time.Now().AddDate(0, 0, -30), time.Now().AddDate(0, 0, 30))
	ts.Check(err)
	if trust {
		path := filepath.Join(ts.Getenv("WORK"), "ca.pem")
		ts.Check(os.WriteFile(path, ca.PEM(), 0o644))
		ts.Setenv("SSL_CERT_FILE", path)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}}
}
