package clock

import "context"

// ReadOSClock on macOS: whether network time is on needs admin rights
// (systemsetup -getusingnetworktime), so it stays unknown.
func ReadOSClock(context.Context) OSClock {
	return OSClock{Notes: []string{"macOS tells whether network time is on only to admins (systemsetup -getusingnetworktime)"}}
}
