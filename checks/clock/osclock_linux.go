package clock

import (
	"context"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/otpdoctor/otpdoctor/diag"
)

// ReadOSClock asks the kernel (adjtimex, read-only: no privilege needed) whether its
// clock is synchronised and how far off it thinks it may be, and systemd's
// timedatectl, where systemd runs, whether network time is on. In a container the
// kernel is the host's.
func ReadOSClock(ctx context.Context) OSClock {
	var c OSClock
	var tx unix.Timex // Modes 0: read, change nothing
	state, err := unix.Adjtimex(&tx)
	if err != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("the kernel's clock status is unreadable (adjtimex: %v)", err))
	} else {
		synced := tx.Status&unix.STA_UNSYNC == 0 && state != unix.TIME_ERROR
		c.Synchronized = &synced
		c.MaxError = ptr(time.Duration(tx.Maxerror) * time.Microsecond)
		c.EstError = ptr(time.Duration(tx.Esterror) * time.Microsecond)
		c.Notes = append(c.Notes, fmt.Sprintf("kernel (adjtimex): synchronised %s, max error %s, estimated error %s",
			yesOrNo(synced), diag.HumanDuration(*c.MaxError), diag.HumanDuration(*c.EstError)))
	}
	// sd_booted(3): systemd runs when this directory exists; otherwise timedatectl
	// would only fail, slowly.
	if _, err := os.Stat("/run/systemd/system"); err != nil {
		return c
	}
	out, err := commandOutput(ctx, "timedatectl", "show")
	if err != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("timedatectl show failed: %v", err))
		return c
	}
	values := parseKeyValues(out)
	c.AutomaticTime = yesNo(values["NTP"])
	if synced := yesNo(values["NTPSynchronized"]); synced != nil {
		c.Synchronized = synced
	}
	c.Zone = values["Timezone"]
	c.Notes = append(c.Notes, fmt.Sprintf("timedatectl: NTP=%s NTPSynchronized=%s Timezone=%s", values["NTP"], values["NTPSynchronized"], values["Timezone"]))
	return c
}
