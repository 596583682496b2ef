package main

import (
	"testing"
	"time"
)

func TestPressedOffset(t *testing.T) {
	minute := time.Date(2026, 11, 26, 9, 31, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		presses []time.Duration // after a true minute's start
		want    time.Duration
		ok      bool
	}{
		{"phone right: presses a reaction after the minute", []time.Duration{300 * time.Millisecond, time.Minute + 300*time.Millisecond}, 0, true},
		{"phone 20 s behind", []time.Duration{20 * time.Second, 80 * time.Second}, -19700 * time.Millisecond, true},
		{"phone 10 s ahead", []time.Duration{50 * time.Second, 110 * time.Second}, 10300 * time.Millisecond, true},
		{"presses either side of -30 s average across it", []time.Duration{29 * time.Second, 91 * time.Second}, -29700 * time.Millisecond, true},
		{"presses that disagree", []time.Duration{20 * time.Second, 90 * time.Second}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var at []time.Time
			for _, p := range tc.presses {
				at = append(at, minute.Add(p))
			}
			got, ok := pressedOffset(at)
			if ok != tc.ok || (ok && (got-tc.want).Abs() > time.Millisecond) {
				t.Errorf("pressedOffset = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestWithShownClock(t *testing.T) {
	flip := time.Date(2026, 11, 26, 9, 32, 19, 700_000_000, time.UTC) // true time at the phone's minute change
	for _, tc := range []struct {
		shown string
		sub   time.Duration // what the presses said, within a minute
		want  time.Duration
	}{
		{"9:31", -19700 * time.Millisecond, -79700 * time.Millisecond},
		{"09:32", -19700 * time.Millisecond, -19700 * time.Millisecond},
		{"10:32", -19700 * time.Millisecond, time.Hour - 19700*time.Millisecond},
		{"9:32 pm", -19700 * time.Millisecond, 12*time.Hour - 19700*time.Millisecond},
		{"21:32", -19700 * time.Millisecond, 12*time.Hour - 19700*time.Millisecond},
		{"8:33", 40300*time.Millisecond - time.Minute, -59*time.Minute - 19700*time.Millisecond}, // phone an hour behind
	} {
		shown, err := parseShownClock(tc.shown)
		if err != nil {
			t.Fatalf("%q: %v", tc.shown, err)
		}
		if got := withShownClock(tc.sub, flip, shown); (got - tc.want).Abs() > time.Millisecond {
			t.Errorf("phone showed %s: offset %v, want %v", tc.shown, got, tc.want)
		}
	}
}

func TestParseShownClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want shownClock
		ok   bool
	}{
		{"14:07", shownClock{14, 7, false}, true},
		{" 9.05 ", shownClock{9, 5, true}, true},
		{"2:07 pm", shownClock{14, 7, false}, true},
		{"12:30AM", shownClock{0, 30, false}, true},
		{"12:30 p.m.", shownClock{12, 30, false}, true},
		{"0:15", shownClock{0, 15, false}, true},
		{"24:00", shownClock{}, false},
		{"13:00 pm", shownClock{}, false},
		{"9:5", shownClock{}, false},
		{"907", shownClock{}, false},
		{"", shownClock{}, false},
		{"-1:30", shownClock{}, false},
	} {
		got, err := parseShownClock(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseShownClock(%q) = %+v, %v; want %+v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseShownClock(f *testing.F) {
	for _, s := range []string{"14:07", "2:07 pm", "9.05", "12:30AM", "", "99:99", "1:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseShownClock(s)
		if err != nil {
			if c != (shownClock{}) {
				t.Errorf("%q: error %v with a time %+v", s, err, c)
			}
			return
		}
		if c.hour < 0 || c.hour > 23 || c.minute < 0 || c.minute > 59 {
			t.Errorf("%q: out of range %+v", s, c)
		}
		_ = withShownClock(0, time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC), c)
	})
}
