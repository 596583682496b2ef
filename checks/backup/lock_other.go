//go:build !unix && !windows

package backup

import (
	"errors"
	"os"
)

// tryLock: this platform has no file locks otpdoctor can use, so the ledger is read-only.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("file locking is not supported on this platform")
}

func unlockFile(*os.File) {}
