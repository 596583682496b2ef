package diag

import "time"

// Check ids, as the report contract names them. Users' scripts match these strings:
// never rename one. A reader must accept ids it does not know (a newer otpdoctor's).
const (
	CheckClock  = "clock"
	CheckSecret = "secret"
	CheckCodes  = "codes"
	CheckBackup = "backup"
	CheckStatus = "status"
	CheckPhone  = "phone"
)

// CheckIDs lists the check ids this version writes, in report order.
var CheckIDs = []string{CheckClock, CheckSecret, CheckCodes, CheckBackup, CheckStatus, CheckPhone}

// Clock thresholds shared by every check and rule that judges a clock: under ClockOK an
// offset is harmless; past ClockFail it makes codes fail; between, it costs some codes
// at strict services.
const (
	ClockOK   = 3 * time.Second
	ClockFail = 15 * time.Second
)

// ClockStatus rates a clock's offset from true time: ok under ClockOK, fail only when
// the offset is past ClockFail even at the near end of its uncertainty, warn between.
func ClockStatus(offset, uncertainty time.Duration) Status {
	switch a := offset.Abs(); {
	case a-uncertainty >= ClockFail:
		return StatusFail
	case a >= ClockOK:
		return StatusWarn
	}
	return StatusOK
}

// Time-zone shapes: a device whose zone is set wrong, and whose clock was then moved
// by hand to look right, is off by the difference of two real zone offsets: whole
// hours, or hours and 30 or 45 minutes (UTC+5:30, UTC+5:45, UTC+8:45), at most 14 h.
const (
	zoneStep      = 15 * time.Minute
	zoneTolerance = 2 * time.Minute
	zoneMax       = 14 * time.Hour
)

// ZoneShaped reports whether offset is within a couple of minutes of a real zone
// difference, and returns that difference. A clock 16 minutes, two days or a year off
// is not a zone set wrong.
func ZoneShaped(offset time.Duration) (zone time.Duration, ok bool) {
	zone = offset.Round(zoneStep)
	minutes := (zone.Abs() % time.Hour) / time.Minute
	shaped := minutes == 0 || minutes == 30 || minutes == 45
	return zone, shaped && zone.Abs() >= 30*time.Minute && zone.Abs() <= zoneMax && (offset-zone).Abs() <= zoneTolerance
}
