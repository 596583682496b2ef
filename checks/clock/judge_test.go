package clock

import (
	"strings"
	"testing"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

func TestPlusMinus(t *testing.T) {
	for d, want := range map[time.Duration]string{10 * ms: "±0.01 s", 34 * ms: "±0.04 s", 1234 * ms: "±1.3 s", 500 * time.Microsecond: "±0.0005 s", 0: "±0 s", 2 * time.Minute: "±2 min"} {
		if got := plusMinus(d); got != want {
			t.Errorf("plusMinus(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestCodesEffect(t *testing.T) {
	for d, want := range map[time.Duration]string{
		6 * time.Second:   "refuses about 20% of codes made here; one that also accepts the previous and next code still accepts them",
		-45 * time.Second: "refuses every code made here; one that also accepts the previous and next code refuses about 50%",
		125 * time.Second: "4 steps of 30 seconds off",
		-time.Hour:        "120 steps",
	} {
		if got := codesEffect(d); !strings.Contains(got, want) {
			t.Errorf("codesEffect(%s) = %q, want it to say %q", d, got, want)
		}
	}
}

func TestUTCOffsetName(t *testing.T) {
	if got := utcOffsetName(-34200); got != "UTC-09:30" {
		t.Errorf("utcOffsetName(-34200) = %q", got)
	}
}

func TestReasonTally(t *testing.T) {
	usable, timeout, dns := source{}, source{Err: "timeout"}, source{Err: "DNS lookup failed"}
	// Usable sources count like any reason: two usable outnumber one timeout.
	if got := dominantReason([]source{usable, usable, timeout}); got != "" {
		t.Errorf("dominant reason %q, want the usable sources' \"\"", got)
	}
	if got := dominantReason([]source{dns, timeout, timeout}); got != "timeout" {
		t.Errorf("dominant reason %q, want timeout", got)
	}
	if got := reasonCounts([]source{dns, timeout, usable, timeout}); got != "timeout ×2, DNS lookup failed ×1, usable ×1" {
		t.Errorf("reason counts %q", got)
	}
	if got := reasonCounts(nil); got != "not asked" {
		t.Errorf("reason counts of nothing %q", got)
	}
}

// The seconds left in a step count down as authenticators do: rounded up, never 0.
func TestStepLeftAtTheBoundary(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want time.Duration
	}{
		{time.Unix(60, 0), 30 * time.Second},
		{time.Unix(89, 999_000_000), time.Millisecond},
		{time.Unix(75, 0), 15 * time.Second},
	} {
		if got := StepLeft(c.at); got != c.want {
			t.Errorf("StepLeft(%s) = %s, want %s", c.at.UTC().Format(time.RFC3339Nano), got, c.want)
		}
	}
	if got := stepSecondsLeft(time.Unix(89, 999_000_000)); got != 0.1 {
		t.Errorf("a millisecond left reads %v s, want 0.1", got)
	}
}

// With --platform naming another device than this computer, the clock's steps for
// each device say which device they are for.
func TestFixStepsNameTheirDevice(t *testing.T) {
	steps := strings.Join(diag.FixTexts(fixSteps(diag.CauseDeviceClock, "Your clock is 2 min ahead."), &diag.Env{Platform: diag.PlatformIOS, Host: diag.PlatformLinux}), "\n")
	for _, want := range []string{"Your clock is 2 min ahead.", "On this computer: Run `sudo timedatectl set-ntp true`", "On your iPhone/iPad: Settings → General → Date & Time"} {
		if !strings.Contains(steps, want) {
			t.Errorf("steps lack %q:\n%s", want, steps)
		}
	}
	plain := strings.Join(diag.FixTexts(fixSteps(diag.CauseDeviceClock), &diag.Env{Host: diag.PlatformLinux}), "\n")
	if strings.Contains(plain, "On this computer") || strings.Contains(plain, "iPhone") {
		t.Errorf("without --platform the steps are this computer's alone, unlabelled:\n%s", plain)
	}
}
