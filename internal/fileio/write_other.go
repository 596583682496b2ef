//go:build !unix

package fileio

import "os"

// openInPlace opens path (a device such as NUL) to append to it.
func openInPlace(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
}
