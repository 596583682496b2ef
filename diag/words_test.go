package diag

import (
	"testing"
	"time"
)

func TestHumanDuration(t *testing.T) {
	cases := map[time.Duration]string{
		4 * time.Millisecond: "0.004 s", 400 * time.Millisecond: "0.4 s", 2500 * time.Millisecond: "2.5 s",
		3 * time.Second: "3 s", -45 * time.Second: "45 s", time.Minute: "1 min", 125 * time.Second: "2 min 5 s",
		time.Hour: "1 h", -19800 * time.Second: "5 h 30 min", 90061 * time.Second: "25 h 1 min",
		84 * time.Hour: "3.5 days", 59700 * time.Millisecond: "1 min", 3599999600 * time.Microsecond: "1 h", 4 * 8766 * time.Hour: "4 years", 30 * 876 * time.Hour: "3 years",
	}
	for in, want := range cases {
		if got := HumanDuration(in); got != want {
			t.Errorf("HumanDuration(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "codes are", 1: "code is", 2: "codes are"} {
		if got := Plural(n, "code is", "codes are"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Plural(int64(1), "it", "them"); got != "it" {
		t.Errorf("Plural(int64(1)) = %q, want %q", got, "it")
	}
}

func TestApproxOffset(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string
	}{
		{117, 147, "about 2 minutes ahead (between 1 min 57 s and 2 min 27 s)"},
		{-147, -117, "about 2 minutes behind (between 1 min 57 s and 2 min 27 s)"},
		{97, 127, "about 2 minutes ahead (between 1 min 37 s and 2 min 7 s)"},
		{-59, -29, "about 30 seconds behind (between 29 s and 59 s)"},
		{3585, 3615, "about 1 h ahead (between 59 min 45 s and 1 h)"},
		{9000, 9030, "about 2 h 30 min ahead (between 2 h 30 min and 2 h 31 min)"},
		{125.01, 125.04, "2 min 5 s ahead"},
		{100000, 100030, "about 27 h 47 min ahead"},
		{-10, 20, "within 20 s of true time"},
	}
	for _, c := range cases {
		if got := ApproxOffset(c.lo, c.hi); got != c.want {
			t.Errorf("ApproxOffset(%v, %v) = %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

func TestClockTimes(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 30, 12, 0, time.UTC)
	if got := ClockTimes(at, time.FixedZone("CET", 3600)); got != "09:30:12 UTC (10:30:12 CET)" {
		t.Errorf("got %q", got)
	}
	if got := ClockTimes(at, time.UTC); got != "09:30:12 UTC" {
		t.Errorf("in UTC: %q", got)
	}
}
