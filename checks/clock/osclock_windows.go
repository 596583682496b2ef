package clock

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"golang.org/x/sys/windows/registry"
)

// ReadOSClock on Windows reads, without admin rights, whether the Windows Time
// service sets the clock from the network (the registry's W32Time Type), and from
// `w32tm /query /status` the leap indicator (3: not synchronised). w32tm's labels are
// translated, so only an English one is read; otherwise synchronisation stays unknown.
func ReadOSClock(ctx context.Context) OSClock {
	var c OSClock
	if key, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\W32Time\Parameters`, registry.QUERY_VALUE); err == nil {
		if kind, _, err := key.GetStringValue("Type"); err == nil {
			c.AutomaticTime = ptr(kind != "NoSync")
			c.Notes = append(c.Notes, "W32Time Type="+kind)
		}
		key.Close()
	}
	out, err := commandOutput(ctx, "w32tm", "/query", "/status")
	if err != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("w32tm /query /status failed: %v", err))
		return c
	}
	if leap, ok := leapIndicator(out); ok {
		c.Synchronized = ptr(leap != 3)
		c.Notes = append(c.Notes, fmt.Sprintf("w32tm: leap indicator %d", leap))
	}
	return c
}

var leapLine = regexp.MustCompile(`(?m)^Leap Indicator:\s*([0-3])`)

func leapIndicator(out []byte) (int, bool) {
	m := leapLine.FindSubmatch(out)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(string(m[1]))
	return n, err == nil
}
