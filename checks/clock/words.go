package clock

import (
	"math"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// plusMinus says an uncertainty to one significant digit below a second ("±0.04 s"),
// a tenth above ("±1.3 s"), rounded up: an uncertainty is never understated.
func plusMinus(d time.Duration) string {
	s := d.Seconds()
	if s >= 10 {
		return "±" + diag.HumanDuration(d)
	}
	digits := 1
	if s > 0 {
		digits = max(1, -int(math.Floor(math.Log10(s))))
	}
	scale := math.Pow(10, float64(digits))
	return "±" + diag.TrimmedDecimals(max(0, math.Ceil(s*scale-1e-9)/scale), digits) + " s"
}

// direction says which way an offset goes.
func direction(offset time.Duration) string {
	if offset > 0 {
		return "ahead of"
	}
	return "behind"
}
