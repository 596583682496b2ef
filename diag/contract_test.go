package diag

import (
	"testing"
	"time"
)

const ms = time.Millisecond

func TestClockStatus(t *testing.T) {
	cases := []struct {
		offset, uncertainty time.Duration
		want                Status
	}{
		{0, 10 * ms, StatusOK},
		{2900 * ms, 10 * ms, StatusOK},
		{-3 * time.Second, 10 * ms, StatusWarn},
		{14 * time.Second, 10 * ms, StatusWarn},
		{16 * time.Second, 500 * ms, StatusFail},
		{-16 * time.Second, 2 * time.Second, StatusWarn}, // might be 14 s: not sure enough to fail
		{time.Hour, time.Second, StatusFail},
	}
	for _, tc := range cases {
		if got := ClockStatus(tc.offset, tc.uncertainty); got != tc.want {
			t.Errorf("ClockStatus(%s ± %s) = %s, want %s", tc.offset, tc.uncertainty, got, tc.want)
		}
	}
}
