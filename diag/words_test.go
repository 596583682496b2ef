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
