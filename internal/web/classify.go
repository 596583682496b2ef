package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Kind is a kind of network failure, as the checks tell them apart.
type Kind int

const (
	// KindOther is none of the kinds below; the error itself says what happened.
	KindOther        Kind = iota
	KindDNS               // the server's name could not be looked up
	KindRefused           // nothing accepts connections at the address and port
	KindReset             // the connection was cut off (RST), often by a filter
	KindTimeout           // no answer within the deadline
	KindUnreachable       // no route to the server's network or host
	KindProxyRefused      // the proxy answered CONNECT with an error status (ProxyError)
	KindProxyDown         // the proxy itself could not be reached
	KindRedirectLoop      // more than MaxRedirects redirects
	KindCertificate       // the server's certificate chain was refused
	KindNotTLS            // the TLS handshake met something that does not speak TLS
)

// reasons are the few words each kind is listed under; the clock check's reports and
// its reasoning about blocked networks rely on them as they are.
var reasons = map[Kind]string{
	KindOther:        "request failed",
	KindDNS:          "DNS lookup failed",
	KindRefused:      "connection refused",
	KindReset:        "connection reset",
	KindTimeout:      "timeout",
	KindUnreachable:  "network unreachable",
	KindProxyRefused: "proxy failed",
	KindProxyDown:    "proxy unreachable",
	KindRedirectLoop: "too many redirects",
	KindCertificate:  "certificate refused",
	KindNotTLS:       "secure connection failed",
}

// Failure is a network error in plain words.
type Failure struct {
	Kind Kind
	// Reason is a few words for a list or a report field: "DNS lookup failed".
	Reason string
	// Explanation says what happened to which server and what usually causes it, as a
	// clause: "the name time.example does not exist according to this network's DNS".
	Explanation string
}

// Sentence is the explanation as a sentence of its own: capitalised, with a full stop.
func (f Failure) Sentence() string {
	return strings.ToUpper(f.Explanation[:1]) + f.Explanation[1:] + "."
}

// Classify says what kind of network failure err is, and explains it naming the server
// the error names. Every explanation starts with a word, never a host name, so that
// Sentence can capitalise it.
func Classify(err error) Failure {
	kind, explanation := classify(err, serverOf(err))
	return Failure{Kind: kind, Reason: reasons[kind], Explanation: explanation}
}

func classify(err error, server string) (Kind, string) {
	var proxyErr *ProxyError
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var verifyErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	// The order matters: a proxy's own failure wraps the errno that says how it failed,
	// and a DNS lookup that timed out is a DNS failure first.
	switch {
	case errors.As(err, &proxyErr):
		return KindProxyRefused, fmt.Sprintf("the proxy %s would not connect to %s (it answered %s)", proxyErr.Proxy, server, proxyErr.Status)
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		return KindProxyDown, fmt.Sprintf("the proxy set for this computer cannot be reached (%v), so %s cannot be either", opErr.Err, server)
	case errors.Is(err, ErrTooManyRedirects):
		return KindRedirectLoop, fmt.Sprintf("%s keeps redirecting (more than %d times): its site is misconfigured, or a network sign-in page is in the way", server, MaxRedirects)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return KindDNS, fmt.Sprintf("the name %s does not exist according to this network's DNS", dnsErr.Name)
	case errors.As(err, &dnsErr):
		return KindDNS, fmt.Sprintf("the name %s could not be looked up (DNS): %s", dnsErr.Name, dnsErr.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return KindRefused, fmt.Sprintf("%s refused the connection: nothing answers at that address and port, or a firewall rejects it", server)
	case errors.Is(err, syscall.ECONNRESET):
		return KindReset, fmt.Sprintf("the connection to %s was cut off: a firewall or filter on the way often does this to services it blocks", server)
	case isTimeout(err):
		return KindTimeout, fmt.Sprintf("%s did not answer in time: the network drops the traffic, or it is overloaded", server)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return KindUnreachable, fmt.Sprintf("%s cannot be reached from this network: this computer is offline, or no route leads to that address", server)
	case errors.As(err, &verifyErr):
		return KindCertificate, fmt.Sprintf("the certificate %s presented was refused: %v", server, verifyErr.Err)
	// net/http reports a plain-HTTP answer to a TLS hello with an untyped error.
	case errors.As(err, &recordErr), errors.As(err, &alertErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return KindNotTLS, fmt.Sprintf("the secure connection to %s failed (%v): something between this computer and the server does not speak TLS properly, such as a filter or a captive portal", server, withoutURL(err))
	}
	return KindOther, fmt.Sprintf("%s could not be reached: %v", server, withoutURL(err))
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()
}

// serverOf names the server err is about: "the server HOST", with the host the request
// went to, else the name looked up, else the address dialled.
func serverOf(err error) string {
	// A redirect's error names only its Location, which may be a bare path; the
	// error inside it names the full URL (see New).
	for inner := err; ; {
		var urlErr *url.Error
		if !errors.As(inner, &urlErr) {
			break
		}
		if u, parseErr := url.Parse(urlErr.URL); parseErr == nil && u.Host != "" {
			return "the server " + u.Host
		}
		inner = urlErr.Err
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.Name != "" {
		return "the server " + dnsErr.Name
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Addr != nil {
		return "the server " + opErr.Addr.String()
	}
	return "the server"
}

// withoutURL is err's message without net/http's `Get "URL": ` prefix, which the
// explanation already says in its own words, and with any URL inside it redacted.
func withoutURL(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return RedactError(err)
}
