package ntptest

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/beevik/ntp"
)

// query asks s; the timeout only bounds a hang, except for a silent server, whose
// timeout is the point (and as short as it can be).
func query(t *testing.T, s *Server) (*ntp.Response, error) {
	t.Helper()
	timeout := time.Minute
	if s.behavior.Silent {
		timeout = 100 * time.Millisecond
	}
	return ntp.QueryWithOptions(s.Addr, ntp.QueryOptions{Timeout: timeout})
}

func TestOffsetAsClientsMeasureIt(t *testing.T) {
	for _, offset := range []time.Duration{0, 125 * time.Second, -5*time.Hour - 30*time.Minute, 1500 * time.Millisecond} {
		s := NewServer(t, Behavior{Offset: offset, RootDispersion: 20 * time.Millisecond, RootDelay: 10 * time.Millisecond})
		resp, err := query(t, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := resp.Validate(); err != nil {
			t.Fatalf("offset %s: a well-behaved server's answer does not validate: %v", offset, err)
		}
		// ClockOffset is what to add to the local clock: minus the offset clients measure,
		// right within half the round trip (long on a busy machine).
		if got := -resp.ClockOffset; (got - offset).Abs() > resp.RTT/2+time.Millisecond {
			t.Errorf("offset %s: clients measure %s", offset, got)
		}
		if resp.Stratum != 1 || resp.RootDispersion.Round(time.Millisecond) != 20*time.Millisecond || resp.RootDelay.Round(time.Millisecond) != 10*time.Millisecond {
			t.Errorf("stratum %d, root delay %s, dispersion %s", resp.Stratum, resp.RootDelay, resp.RootDispersion)
		}
	}
}

func TestMisbehaviour(t *testing.T) {
	cases := []struct {
		name  string
		b     Behavior
		check func(*ntp.Response) error
	}{
		{"kiss-of-death", Behavior{KissCode: "RATE"}, func(r *ntp.Response) error {
			if !errors.Is(r.Validate(), ntp.ErrKissOfDeath) || r.KissCode != "RATE" {
				return errors.New("want a RATE kiss-of-death")
			}
			return nil
		}},
		{"leap 3", Behavior{Leap: 3}, func(r *ntp.Response) error {
			if !errors.Is(r.Validate(), ntp.ErrInvalidLeapSecond) {
				return errors.New("want an unsynchronised leap indicator")
			}
			return nil
		}},
		{"stratum 16", Behavior{Stratum: 16}, func(r *ntp.Response) error {
			if !errors.Is(r.Validate(), ntp.ErrInvalidStratum) {
				return errors.New("want an invalid stratum")
			}
			return nil
		}},
		{"huge root dispersion", Behavior{RootDispersion: 20 * time.Second}, func(r *ntp.Response) error {
			if !errors.Is(r.Validate(), ntp.ErrInvalidDispersion) {
				return errors.New("want an invalid dispersion")
			}
			return nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := query(t, NewServer(t, tc.b))
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.check(resp); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestGarbageIsNotNTP(t *testing.T) {
	s := NewServer(t, Behavior{Garbage: true})
	if _, err := query(t, s); !errors.Is(err, ntp.ErrInvalidTime) {
		t.Errorf("garbage: err = %v, want beevik/ntp's short-packet error", err)
	}
}

func TestSilentTimesOut(t *testing.T) {
	s := NewServer(t, Behavior{Silent: true})
	_, err := query(t, s)
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("silent: err = %v, want a timeout", err)
	}
	if s.Requests() != 1 {
		t.Errorf("the server saw %d requests, want 1", s.Requests())
	}
}

func TestDelay(t *testing.T) {
	s := NewServer(t, Behavior{Delay: 60 * time.Millisecond})
	resp, err := query(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if resp.RTT < 60*time.Millisecond {
		t.Errorf("RTT %s, want at least the 60ms delay", resp.RTT)
	}
}

func TestParseBehavior(t *testing.T) {
	b, err := ParseBehavior([]string{"offset=-2m", "kod=RATE", "leap=3", "stratum=16", "rootdelay=10ms", "rootdisp=1s", "delay=5ms", "silent", "garbage"})
	if err != nil {
		t.Fatal(err)
	}
	want := Behavior{Offset: -2 * time.Minute, KissCode: "RATE", Leap: 3, Stratum: 16, RootDelay: 10 * time.Millisecond,
		RootDispersion: time.Second, Delay: 5 * time.Millisecond, Silent: true, Garbage: true}
	if b.Offset != want.Offset || b.KissCode != want.KissCode || b.Leap != want.Leap || b.Stratum != want.Stratum ||
		b.RootDelay != want.RootDelay || b.RootDispersion != want.RootDispersion || b.Delay != want.Delay || !b.Silent || !b.Garbage {
		t.Errorf("got %+v, want %+v", b, want)
	}
	for _, bad := range []string{"offset", "offset=soon", "leap=4", "stratum=300", "kod=TOOLONG", "kod=", "loud"} {
		if _, err := ParseBehavior([]string{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseBehavior(f *testing.F) {
	for _, seed := range []string{"offset=2m", "silent", "kod=RATE", "leap=3", "stratum=16", "garbage", "delay=1s", "x=y"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, word string) {
		b, err := ParseBehavior([]string{word})
		if err == nil && (b.Leap > 3 || len(b.KissCode) > 4) {
			t.Errorf("%q accepted as %+v", word, b)
		}
	})
}
