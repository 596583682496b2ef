package clock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/beevik/ntp"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/charclass"
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
// lookingUp is true while the server's name is being looked up: a query the deadline
// ends then failed at DNS, not at NTP.
func queryNTP(ctx context.Context, query QueryFunc, resolver *net.Resolver, server string, now func() time.Time, lookingUp *atomic.Bool) source {
	src := source{Server: server, Protocol: diag.ReferenceNTP}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(5 * time.Second)
	}
	timeout := time.Until(deadline)
	if timeout <= 0 {
		src.Err, src.Detail = "timeout", "no time was left to ask "+server
		return src
	}
	resp, err := guardedQuery(query, server, ntp.QueryOptions{
		Timeout:       timeout,
		GetSystemTime: now,
		// beevik/ntp resolves names without a deadline; this dialer keeps DNS within
		// ctx, through the configured resolver, and says when it is looking up.
		Dialer: func(_, remote string) (net.Conn, error) {
			address, err := resolve(ctx, resolver, remote, lookingUp)
			if err != nil {
				return nil, err
			}
			var d net.Dialer
			return d.DialContext(ctx, "udp", address)
		},
	})
	if err != nil {
		src.Err, src.Detail = describeQueryError(err)
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
		src.Detail = fmt.Sprintf("its root distance is %s, more than the %s a useful source has", diag.HumanDuration(resp.RootDistance), diag.HumanDuration(maxRootDistance))
		return src
	}
	// RootDistance is RTT/2 plus the server's own distance to a primary reference:
	// the most this answer can be wrong by if the server is honest.
	src.Interval = Interval{Offset: -resp.ClockOffset, Radius: max(resp.RootDistance, minRadius)}
	src.measured = true
	return src
}

// errLibraryFailed is a reply the NTP library panicked on.
var errLibraryFailed = errors.New("the NTP library failed on it")

// guardedQuery is query with a panic turned into an error: beevik/ntp v1.6.0 panics on
// a reply whose poll or precision byte is -128 (a negative shift), and queries run on
// goroutines of their own, where a panic would end the whole process.
func guardedQuery(query QueryFunc, server string, opt ntp.QueryOptions) (resp *ntp.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			resp, err = nil, fmt.Errorf("%w (%v)", errLibraryFailed, p)
		}
	}()
	return query(server, opt)
}

// resolve turns HOST:PORT into IP:PORT with resolver, flagging the lookup until it
// succeeds.
func resolve(ctx context.Context, resolver *net.Resolver, remote string, lookingUp *atomic.Bool) (string, error) {
	host, port, err := net.SplitHostPort(remote)
	if err != nil {
		return "", err
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return remote, nil
	}
	lookingUp.Store(true) // left set when the lookup fails: the failure was DNS's
	ips, err := resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return "", err
	}
	lookingUp.Store(false)
	return net.JoinHostPort(ips[0].Unmap().String(), port), nil
}

// unansweredLookup is the failure of a query the deadline ended during its DNS lookup.
func unansweredLookup(server string, timeout time.Duration) (reason, detail string) {
	host, _, err := net.SplitHostPort(server)
	if err != nil {
		host = server
	}
	return "DNS lookup failed", fmt.Sprintf("the name %s could not be looked up: no DNS answer within %s", host, diag.HumanDuration(timeout))
}

// describeQueryError turns a failed exchange into a short reason and a longer detail.
// A timeout's detail is left to measure, which knows whether the other servers answered.
func describeQueryError(err error) (reason, detail string) {
	if errors.Is(err, ntp.ErrInvalidTime) || errors.Is(err, ntp.ErrInvalidMode) ||
		errors.Is(err, ntp.ErrInvalidTransmitTime) || errors.Is(err, ntp.ErrServerTickedBackwards) ||
		errors.Is(err, ntp.ErrServerResponseMismatch) || errors.Is(err, errLibraryFailed) {
		return "not an NTP reply", "the answer is not a valid NTP packet: " + err.Error()
	}
	failure := web.Classify(err)
	if failure.Kind == web.KindTimeout {
		return failure.Reason, ""
	}
	return failure.Reason, failure.Explanation
}

// kissMeanings are what the kiss codes a client may meet say (RFC 5905 §7.4).
var kissMeanings = map[string]string{
	"RATE": "it is asked too often from this address",
	"DENY": "it refuses this computer access",
	"RSTR": "it refuses this computer access",
}

// describeInvalid says why a reply that arrived cannot be used (ntp.Response.Validate).
func describeInvalid(resp *ntp.Response, err error) (reason, detail string) {
	switch {
	case errors.Is(err, ntp.ErrKissOfDeath):
		meaning, ok := kissMeanings[resp.KissCode]
		if !ok {
			meaning = "it refuses to answer"
		}
		return "kiss-of-death " + resp.KissCode, fmt.Sprintf("the server sent kiss code %q: %s", resp.KissCode, meaning)
	case errors.Is(err, ntp.ErrInvalidLeapSecond):
		return "unsynchronised (leap indicator 3)", "the server says its own clock is not synchronised"
	case errors.Is(err, ntp.ErrInvalidStratum):
		return fmt.Sprintf("unsynchronised (stratum %d)", resp.Stratum), "a stratum of 16 or more means the server has no reference clock"
	case errors.Is(err, ntp.ErrInvalidDispersion):
		return "root distance too large", fmt.Sprintf("root delay %s and dispersion %s make its time too vague", diag.HumanDuration(resp.RootDelay), diag.HumanDuration(resp.RootDispersion))
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
	if strings.Contains(address, "://") {
		return "", errors.New("a URL is not a server address: give the host name alone, without http:// or a path")
	}
	for i, r := range address {
		if !isAddressChar(r) || (r == '[' && i > 0) || (r == ']' && !strings.HasPrefix(address, "[")) {
			return "", fmt.Errorf("column %d: %s is not allowed in a server address", i+1, describeChar(r))
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

// describeChar names a character of an address: printable ASCII as itself (an address
// is no secret), anything else by its kind.
func describeChar(r rune) string {
	if r > ' ' && r < unicode.MaxASCII {
		return fmt.Sprintf("the character %q", r)
	}
	return charclass.Of(r)
}
