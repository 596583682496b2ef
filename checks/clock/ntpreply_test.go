package clock

import (
	"context"
	"encoding/binary"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/beevik/ntp"
)

// replyConn is a connection to an NTP server that answers reply to whatever is sent:
// with the request's transmit timestamp in the reply's origin field when echo is set,
// as a real server does (the client refuses a reply whose origin is not its own).
type replyConn struct {
	net.Conn // nil: only the methods below are used
	reply    []byte
	echo     bool
	sent     []byte
}

func (c *replyConn) Write(p []byte) (int, error) {
	c.sent = append([]byte(nil), p...)
	return len(p), nil
}

func (c *replyConn) Read(p []byte) (int, error) {
	n := copy(p, c.reply)
	if c.echo && n >= 32 && len(c.sent) >= 48 {
		copy(p[24:32], c.sent[40:48])
	}
	return n, nil
}

func (c *replyConn) Close() error                     { return nil }
func (c *replyConn) SetDeadline(time.Time) error      { return nil }
func (c *replyConn) SetReadDeadline(time.Time) error  { return nil }
func (c *replyConn) SetWriteDeadline(time.Time) error { return nil }

// ntpReply is a server's reply (mode 4, version 4) with leap indicator leap, stratum,
// reference id, and its clock at server; the reference time 16 s before it.
func ntpReply(leap, stratum byte, refID string, server time.Time) []byte {
	p := make([]byte, 48)
	p[0] = leap<<6 | 4<<3 | 4
	p[1] = stratum
	p[3] = 0xec
	binary.BigEndian.PutUint32(p[8:], 1<<12) // root dispersion: 1/16 s
	copy(p[12:16], refID)
	binary.BigEndian.PutUint64(p[16:], ntpTimestamp(server.Add(-16*time.Second)))
	binary.BigEndian.PutUint64(p[32:], ntpTimestamp(server))
	binary.BigEndian.PutUint64(p[40:], ntpTimestamp(server))
	return p
}

func ntpTimestamp(t time.Time) uint64 {
	d := t.Sub(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC))
	return uint64(d/time.Second)<<32 | uint64(d%time.Second)<<32/uint64(time.Second)
}

// FuzzNTPReply: whatever bytes a server answers (a leap indicator of 3, stratum 0 and
// its kiss code, a zero transmit time, an origin that is not ours, a short or long
// packet), at whatever local time, queryNTP gives a usable interval or a reason, never
// a panic: a usable answer is a synchronised server's (stratum 1 to 15) with a radius
// of at least minRadius, and a reason is plain text.
func FuzzNTPReply(f *testing.F) {
	local := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	pollMinus128 := ntpReply(0, 2, "GPS\x00", local)
	pollMinus128[2] = 0x80 // beevik/ntp v1.6.0 panicked on it (a negative shift)
	for _, seed := range []struct {
		reply []byte
		echo  bool
	}{
		{ntpReply(0, 2, "GPS\x00", local.Add(3*time.Second)), true},
		{ntpReply(0, 2, "GPS\x00", local), false}, // origin mismatch
		{ntpReply(3, 2, "GPS\x00", local), true},  // not synchronised
		{ntpReply(0, 0, "RATE", local), true},     // kiss of death
		{ntpReply(0, 0, "\x1b[2J", local), true},  // a kiss code that is not text
		{ntpReply(0, 16, "GPS\x00", local), true},
		{ntpReply(0, 1, "GPS\x00", time.Time{}), true}, // transmit time 0 in era 0
		{ntpReply(0, 1, "GPS\x00", local)[:47], true},
		{append(ntpReply(0, 1, "GPS\x00", local), make([]byte, 20)...), true},
		{[]byte("SSH-2.0-OpenSSH_9.6 this is not NTP\r\n"), true},
		{pollMinus128, true},
	} {
		f.Add(seed.reply, seed.echo, local.UnixNano())
	}
	f.Fuzz(func(t *testing.T, reply []byte, echo bool, localNanos int64) {
		now := func() time.Time { return time.Unix(0, localNanos) }
		query := func(address string, opt ntp.QueryOptions) (*ntp.Response, error) {
			opt.Dialer = func(string, string) (net.Conn, error) { return &replyConn{reply: reply, echo: echo}, nil }
			return ntp.QueryWithOptions(address, opt)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // bounds a hang only
		defer cancel()
		src := queryNTP(ctx, query, net.DefaultResolver, "127.0.0.1:123", now, new(atomic.Bool))
		if src.measured != (src.Err == "") {
			t.Fatalf("measured %v with reason %q", src.measured, src.Err)
		}
		if src.measured && (src.Stratum < 1 || src.Stratum > 15 || src.Radius < minRadius) {
			t.Fatalf("usable answer of stratum %d, radius %s", src.Stratum, src.Radius)
		}
		for _, text := range []string{src.Err, src.Detail} {
			if strings.ContainsFunc(text, unicode.IsControl) {
				t.Fatalf("control character in %q", text)
			}
		}
	})
}
