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
