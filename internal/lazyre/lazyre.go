// Package lazyre compiles a regular expression the first time it is used instead of
// when the program starts: a pattern with a counted repetition ({0,39}) costs hundreds
// of allocations to compile, which `otpdoctor version` should not pay.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled on first use. A package-level
// `var name = lazyre.New(expr)` is laid out by the linker: start-up does nothing for it.
type Regexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// New returns expr, to be compiled by the first Get.
func New(expr string) *Regexp { return &Regexp{expr: expr} }

// Get returns the expression compiled, compiling it on the first call. A bad expr
// panics then, as regexp.MustCompile does; tests exercise every pattern.
func (r *Regexp) Get() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.expr) })
	return r.re
}
