package main

import (
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/diag"
)

// clockPart: placeholder until checks/clock lands (same session).
type clockPart struct{}

func (p *clockPart) addFlags(fs *pflag.FlagSet) {}

func (p *clockPart) build(a *app) (diag.Check, error) {
	return diag.Skipped{CheckID: "clock", CheckTitle: "Clock", Reason: "not built yet"}, nil
}
