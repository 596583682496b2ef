package clock

import (
	"os"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/diag"
)

// zoneName names t's time zone: the IANA name when t is in the local zone and the
// system says it (TZ, the /etc/localtime link, or osZone from the OS), otherwise the
// abbreviation, otherwise UTC±hh:mm.
func zoneName(t time.Time, osZone string) string {
	if t.Location() == time.Local {
		if name := ianaName(osZone); name != "" {
			return name
		}
	}
	abbrev, offset := t.Zone()
	if abbrev != "" {
		return abbrev
	}
	return utcOffsetName(offset)
}

// ianaName finds the local zone's IANA name, or "".
func ianaName(osZone string) string {
	if tz, ok := os.LookupEnv("TZ"); ok && tz != "" {
		tz = strings.TrimPrefix(tz, ":")
		if name, ok := zoneinfoName(tz); ok {
			return name
		}
		return tz
	}
	if osZone != "" {
		return osZone
	}
	if link, err := os.Readlink("/etc/localtime"); err == nil {
		if name, ok := zoneinfoName(link); ok {
			return name
		}
	}
	return ""
}

// zoneinfoName is the zone name in a path into a zoneinfo directory
// (/usr/share/zoneinfo/Europe/Paris: Europe/Paris); ok is false for other paths.
func zoneinfoName(path string) (name string, ok bool) {
	_, name, ok = strings.Cut(path, "zoneinfo/")
	return name, ok
}

// utcOffsetName writes a UTC offset in seconds as UTC+05:30.
func utcOffsetName(seconds int) string { return "UTC" + diag.FormatUTCOffset(seconds) }

// zoneStep is the smallest unit time zones differ by (UTC+5:45, UTC+8:45 ...).
const zoneStep = 15 * time.Minute

// zoneTolerance is how far from a whole number of zone steps an offset may be and
// still look like a zone set wrong with the clock moved by hand to look right.
const zoneTolerance = 2 * time.Minute

// zoneShaped reports whether offset is within zoneTolerance of a non-zero whole
// multiple of zoneStep, and returns that multiple.
func zoneShaped(offset time.Duration) (time.Duration, bool) {
	whole := offset.Round(zoneStep)
	return whole, whole != 0 && (offset-whole).Abs() <= zoneTolerance
}
