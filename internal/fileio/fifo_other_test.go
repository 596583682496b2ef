//go:build !unix

package fileio

import "errors"

func makeFIFO(string) error { return errors.New("FIFOs are a Unix thing") }
