//go:build !linux && !darwin && !windows

package clock

import "context"

// ReadOSClock on other systems: nothing is known.
func ReadOSClock(context.Context) OSClock {
	return OSClock{Notes: []string{"otpdoctor cannot read this system's clock status"}}
}
