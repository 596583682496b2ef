// Package ntptest fakes time references for tests: an NTP server on 127.0.0.1 (real UDP,
// real NTPv4 packets) and a web server's Date header. The NTP server answers
// with a chosen clock offset or misbehaves in the ways real servers do
// (silence, kiss-of-death, an unsynchronised leap indicator, a bad stratum, a wide
// root distance, garbage bytes).
package ntptest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Behavior is how a Server answers.
type Behavior struct {
	// Offset is the clock offset clients measure against this server: positive means the
	// client's clock looks ahead (the server's clock reads real time minus Offset).
	Offset time.Duration
	// Silent drops every request, as a firewall blocking UDP 123 would.
	Silent bool
	// KissCode, when set, answers with a kiss-of-death (stratum 0) carrying this code,
	// such as "RATE" or "DENY".
	KissCode string
	// Leap is the leap indicator; 3 means the server is not synchronised.
	Leap uint8
	// Stratum is the server's stratum; 0 means 1 (a primary server). 16 means unsynchronised.
	Stratum uint8
	// RootDelay and RootDispersion are what the server says of its distance to the
	// primary reference.
	RootDelay, RootDispersion time.Duration
	// Garbage answers with bytes that are not an NTP packet.
	Garbage bool
	// Delay is a far-away server's network delay: clients measure it as round-trip time.
	Delay time.Duration
	// Now is the real clock the server's clock is derived from; nil means time.Now.
	Now func() time.Time
}

// Server is a running NTP responder.
type Server struct {
	// Addr is the server's "127.0.0.1:port", to give a client as is.
	Addr     string
	conn     net.PacketConn
	behavior Behavior
	requests atomic.Int64
	asked    chan struct{} // closed at the first request
	wg       sync.WaitGroup
}

// Start starts a server answering as b says; Close stops it.
func Start(b Behavior) (*Server, error) {
	if b.Now == nil {
		b.Now = time.Now
	}
	if len(b.KissCode) > 4 {
		return nil, fmt.Errorf("kiss code %q is longer than 4 characters", b.KissCode)
	}
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: conn.LocalAddr().String(), conn: conn, behavior: b, asked: make(chan struct{})}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// NewServer starts a server for a test, which fails if it cannot, and closes it when
// the test ends.
func NewServer(tb testing.TB, b Behavior) *Server {
	tb.Helper()
	s, err := Start(b)
	if err != nil {
		tb.Fatalf("starting an NTP server: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Requests is how many requests the server has received.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Asked is closed when the server receives its first request: a test waits on it to
// know a client is running and waiting for the answer (or, when Silent, for nothing).
func (s *Server) Asked() <-chan struct{} { return s.asked }

// Close stops the server and waits until it has.
func (s *Server) Close() error {
	err := s.conn.Close()
	s.wg.Wait()
	return err
}

func (s *Server) serve() {
	defer s.wg.Done()
	buf := make([]byte, 1024)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if s.requests.Add(1) == 1 {
			close(s.asked)
		}
		if s.behavior.Silent || n < packetSize {
			continue
		}
		request := append([]byte(nil), buf[:packetSize]...)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			// The delay is the network's, half on the way there and half back, so it
			// counts as round-trip time and does not skew the offset.
			time.Sleep(s.behavior.Delay / 2)
			reply := s.answer(request, s.behavior.Now().Add(-s.behavior.Offset))
			time.Sleep(s.behavior.Delay / 2)
			s.conn.WriteTo(reply, from)
		}()
	}
}

// packetSize is an NTP header without extensions or MAC.
const packetSize = 48

// garbage is what a Garbage server sends: too short and in the wrong mode to be NTP.
var garbage = []byte("SSH-2.0-OpenSSH_9.6 this is not NTP\r\n")

// answer builds the reply to request (RFC 5905 §7.3), received at server time received.
func (s *Server) answer(request []byte, received time.Time) []byte {
	b := s.behavior
	if b.Garbage {
		return garbage
	}
	version := (request[0] >> 3) & 0x7
	stratum := b.Stratum
	if stratum == 0 {
		stratum = 1
	}
	refID := []byte("GPS\x00")
	if b.KissCode != "" {
		stratum = 0
		refID = []byte(fmt.Sprintf("%-4s", b.KissCode))
	}
	p := make([]byte, packetSize)
	p[0] = b.Leap<<6 | version<<3 | 4 // mode 4: server
	p[1] = stratum
	p[2] = request[2] // poll: echo the client's
	p[3] = 0xec       // precision: 2^-20 s
	binary.BigEndian.PutUint32(p[4:], shortFormat(b.RootDelay))
	binary.BigEndian.PutUint32(p[8:], shortFormat(b.RootDispersion))
	copy(p[12:16], refID)
	binary.BigEndian.PutUint64(p[16:], timestamp(received.Add(-16*time.Second)))
	copy(p[24:32], request[40:48]) // origin: the client's transmit timestamp, echoed
	binary.BigEndian.PutUint64(p[32:], timestamp(received))
	binary.BigEndian.PutUint64(p[40:], timestamp(b.Now().Add(-b.Offset)))
	return p
}

// ntpEpoch is where NTP era 0 starts.
var ntpEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// timestamp is t in NTP's 64-bit format: seconds since 1900 and a 32-bit fraction.
func timestamp(t time.Time) uint64 {
	d := t.Sub(ntpEpoch)
	secs := uint64(d / time.Second)
	frac := uint64(d%time.Second) << 32 / uint64(time.Second)
	return secs<<32 | frac
}

// shortFormat is d in NTP's 32-bit format: 16 bits of seconds, 16 of fraction.
func shortFormat(d time.Duration) uint32 {
	return uint32(d * (1 << 16) / time.Second)
}

// ParseBehavior reads a Behavior from words such as those of a test script:
// offset=2m, silent, kod=RATE, leap=3, stratum=16, rootdelay=10ms, rootdisp=1s,
// garbage, delay=50ms.
func ParseBehavior(words []string) (Behavior, error) {
	var b Behavior
	for _, w := range words {
		key, value, hasValue := strings.Cut(w, "=")
		var err error
		switch key {
		case "silent":
			b.Silent = true
		case "garbage":
			b.Garbage = true
		case "offset":
			b.Offset, err = time.ParseDuration(value)
		case "delay":
			b.Delay, err = time.ParseDuration(value)
		case "rootdelay":
			b.RootDelay, err = time.ParseDuration(value)
		case "rootdisp":
			b.RootDispersion, err = time.ParseDuration(value)
		case "kod":
			if value == "" || len(value) > 4 {
				err = errors.New("want a kiss code of 1 to 4 characters, such as RATE")
			}
			b.KissCode = value
		case "leap":
			b.Leap, err = smallNumber(value, 3)
		case "stratum":
			b.Stratum, err = smallNumber(value, 255)
		default:
			return Behavior{}, fmt.Errorf("unknown word %q: want offset=, silent, kod=, leap=, stratum=, rootdelay=, rootdisp=, garbage or delay=", w)
		}
		if err == nil && !hasValue && key != "silent" && key != "garbage" {
			err = errors.New("needs a value")
		}
		if err != nil {
			return Behavior{}, fmt.Errorf("%s: %w", key, err)
		}
	}
	return b, nil
}

func smallNumber(s string, limit uint64) (uint8, error) {
	n, err := strconv.ParseUint(s, 10, 8)
	if err != nil || n > limit {
		return 0, fmt.Errorf("want a whole number from 0 to %d, not %q", limit, s)
	}
	return uint8(n), nil
}
