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
