//go:build !linux

package main

// forbidCoreDumps does nothing where otpdoctor knows no way to (see nodump_linux.go).
func forbidCoreDumps() {}
