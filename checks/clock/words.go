package clock

import (
	"fmt"
	"math"
	"time"
)

// humanDuration says d (its magnitude) the way a person would: "0.4 s", "12 s",
// "2 min 5 s", "1 h 30 min", "3 days 2 h".
func humanDuration(d time.Duration) string {
	d = d.Abs()
	switch {
	case d < time.Second:
		return trimmedSeconds(d.Seconds(), 3) + " s"
	case d < 10*time.Second:
		return trimmedSeconds(d.Seconds(), 1) + " s"
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%d min %d s", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 48*time.Hour:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	d = d.Round(time.Hour)
	return fmt.Sprintf("%d days %d h", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

// plusMinus says an uncertainty to one significant digit below a second ("±0.04 s"),
// a tenth above ("±1.3 s"), rounded up: an uncertainty is never understated.
func plusMinus(d time.Duration) string {
	s := d.Seconds()
	if s >= 10 {
		return "±" + humanDuration(d)
	}
	digits := 1
	if s > 0 {
		digits = max(1, -int(math.Floor(math.Log10(s))))
	}
	scale := math.Pow(10, float64(digits))
	return "±" + trimmedSeconds(max(0, math.Ceil(s*scale-1e-9)/scale), digits) + " s"
}

// trimmedSeconds formats s with at most digits decimals, without trailing zeros.
func trimmedSeconds(s float64, digits int) string {
	text := fmt.Sprintf("%.*f", digits, s)
	for digits > 0 && text[len(text)-1] == '0' {
		text, digits = text[:len(text)-1], digits-1
	}
	if text[len(text)-1] == '.' {
		text = text[:len(text)-1]
	}
	return text
}

// direction says which way an offset goes.
func direction(offset time.Duration) string {
	if offset > 0 {
		return "ahead of"
	}
	return "behind"
}
