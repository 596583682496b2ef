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
