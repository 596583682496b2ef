package clock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/beevik/ntp"

	"github.com/otpdoctor/otpdoctor/internal/web"
)

// QueryFunc asks one NTP server; ntp.QueryWithOptions is the real one.
type QueryFunc func(address string, opt ntp.QueryOptions) (*ntp.Response, error)

// DefaultNTPServers are independent operators, so that one's fault is outvoted.
var DefaultNTPServers = []string{"time.cloudflare.com", "time.apple.com", "time.windows.com", "time.nist.gov", "time.google.com"}

// maxRootDistance is chrony's default maxdistance: a source farther than this from a
// primary reference is too vague to select.
const maxRootDistance = 3 * time.Second

// minRadius is RFC 5905's MINDISP: no answer is trusted to better than this.
const minRadius = 10 * time.Millisecond

// source is one reference's answer, or why it has none.
type source struct {
	Server   string
	Protocol string // diag.ReferenceNTP or diag.ReferenceHTTPSDate
	Interval        // valid when Err == ""
	RTT      time.Duration
	Stratum  int
	// Err is a short readable reason this source is not used ("timeout",
	// "kiss-of-death RATE", "falseticker", ...); Detail says more, for -v.
	Err, Detail string
	answered    bool // an answer arrived, whatever it said
	measured    bool // the answer gave an Interval (it may still be a falseticker)
}

func (s source) usable() bool { return s.measured && s.Err == "" }

// queryNTP asks one server, within ctx's deadline, with env's clock as the local one.
func queryNTP(ctx context.Context, query QueryFunc, server string, now func() time.Time) source {
	src := source{Server: server, Protocol: "ntp"}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(5 * time.Second)
	}
	timeout := time.Until(deadline)
	if timeout <= 0 {
		src.Err, src.Detail = "timeout", "no time was left to ask "+server
		return src
	}
	resp, err := query(server, ntp.QueryOptions{
		Timeout:       timeout,
		GetSystemTime: now,
		// beevik/ntp resolves names without a deadline; this dialer keeps DNS within ctx.
		Dialer: func(_, remote string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", remote)
		},
	})
	if err != nil {
		src.Err, src.Detail = describeQueryError(err, timeout)
		return src
	}
	src.answered = true
	src.RTT, src.Stratum = resp.RTT, int(resp.Stratum)
	if err := resp.Validate(); err != nil {
		src.Err, src.Detail = describeInvalid(resp, err)
		return src
	}
	if resp.RootDistance > maxRootDistance {
		src.Err = "root distance too large"
		src.Detail = fmt.Sprintf("its root distance is %s, more than the %s a useful source has", resp.RootDistance.Round(time.Millisecond), maxRootDistance)
		return src
	}
	// RootDistance is RTT/2 plus the server's own distance to a primary reference:
	// the most this answer can be wrong by if the server is honest.
	src.Interval = Interval{Offset: -resp.ClockOffset, Radius: max(resp.RootDistance, minRadius)}
	src.measured = true
	return src
}

// describeQueryError turns a failed exchange into a short reason and a longer detail.
func describeQueryError(err error, timeout time.Duration) (reason, detail string) {
	if errors.Is(err, ntp.ErrInvalidTime) || errors.Is(err, ntp.ErrInvalidMode) ||
		errors.Is(err, ntp.ErrInvalidTransmitTime) || errors.Is(err, ntp.ErrServerTickedBackwards) ||
		errors.Is(err, ntp.ErrServerResponseMismatch) {
		return "not an NTP reply", fmt.Sprintf("the reply is not a valid NTP packet (%v)", err)
	}
	failure := web.Classify(err)
	switch failure.Kind {
	case web.KindTimeout:
		return failure.Reason, fmt.Sprintf("no answer within %s: UDP port 123 may be blocked", timeout.Round(time.Millisecond))
	case web.KindOther:
		return "query failed", err.Error()
	}
	return failure.Reason, failure.Explanation
}

// describeNetError names the network failures NTP and HTTPS share (web.Classify); ok
// is false for any other error.
func describeNetError(err error) (reason, detail string, ok bool) {
	failure := web.Classify(err)
	return failure.Reason, failure.Explanation, failure.Kind != web.KindOther
}

// describeInvalid says why a reply that arrived cannot be used (ntp.Response.Validate).
func describeInvalid(resp *ntp.Response, err error) (reason, detail string) {
	switch {
	case errors.Is(err, ntp.ErrKissOfDeath):
		return "kiss-of-death " + resp.KissCode, fmt.Sprintf("the server refused to answer with kiss code %q (RATE: asked too often; DENY/RSTR: access refused)", resp.KissCode)
	case errors.Is(err, ntp.ErrInvalidLeapSecond):
		return "unsynchronised (leap indicator 3)", "the server says its own clock is not synchronised"
	case errors.Is(err, ntp.ErrInvalidStratum):
		return fmt.Sprintf("unsynchronised (stratum %d)", resp.Stratum), "a stratum of 16 or more means the server has no reference clock"
	case errors.Is(err, ntp.ErrInvalidDispersion):
		return "root distance too large", fmt.Sprintf("root delay %s and dispersion %s make its time too vague", resp.RootDelay, resp.RootDispersion)
	case errors.Is(err, ntp.ErrServerClockFreshness):
		return "stale reference", fmt.Sprintf("the server last set its clock at %s, too long ago", resp.ReferenceTime.UTC().Format(time.RFC3339))
	}
	return "invalid reply", err.Error()
}

// ParseServer checks an NTP server address, HOST or HOST:PORT (an IPv6 address with a
// port in brackets), and returns it with the port made explicit (123 by default).
func ParseServer(address string) (string, error) {
	if address == "" {
		return "", errors.New("the server address is empty")
	}
	for i, r := range address {
		if !isAddressChar(r) || (r == '[' && i > 0) || (r == ']' && !strings.HasPrefix(address, "[")) {
			return "", fmt.Errorf("column %d: %s is not allowed in a server address", i+1, charClass(r))
		}
	}
	host, port := address, "123"
	switch {
	case strings.HasPrefix(address, "["):
		end := strings.IndexByte(address, ']')
		if end < 0 {
			return "", errors.New("an IPv6 address opened with '[' is not closed with ']'")
		}
		host, rest := address[1:end], address[end+1:]
		if net.ParseIP(host) == nil || !strings.Contains(host, ":") {
			return "", fmt.Errorf("column 2: %q in brackets is not an IPv6 address", host)
		}
		if rest != "" {
			if !strings.HasPrefix(rest, ":") {
				return "", fmt.Errorf("column %d: expected ':PORT' after ']'", end+2)
			}
			port = rest[1:]
		}
		return checkedHostPort(host, port, end+3)
	case strings.Count(address, ":") > 1:
		if net.ParseIP(address) == nil {
			return "", errors.New("not an IPv6 address; to give a port with an IPv6 address write [ADDRESS]:PORT")
		}
		return net.JoinHostPort(address, port), nil
	case strings.Contains(address, ":"):
		host, port, _ = strings.Cut(address, ":")
	}
	if host == "" {
		return "", errors.New("column 1: the host name is missing before ':'")
	}
	return checkedHostPort(host, port, len(host)+2)
}

// isAddressChar: letters, digits and the punctuation of host names, IP addresses and
// ports.
func isAddressChar(r rune) bool {
	return r <= unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".-_:[]", r))
}

// checkedHostPort joins host and port after checking the port, which starts at column.
func checkedHostPort(host, port string, column int) (string, error) {
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("column %d: port %q is not a number from 1 to 65535", column, port)
	}
	return net.JoinHostPort(host, strconv.Itoa(n)), nil
}

// charClass names a character without echoing anything unprintable.
func charClass(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case unicode.IsSpace(r):
		return "a whitespace character"
	case unicode.IsControl(r):
		return "a control character"
	case r > unicode.MaxASCII:
		return fmt.Sprintf("a non-ASCII character (U+%04X)", r)
	}
	return fmt.Sprintf("the character %q", r)
}
