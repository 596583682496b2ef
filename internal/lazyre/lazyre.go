// Package lazyre compiles a regular expression the first time it is used instead of
// when the program starts: a pattern with a counted repetition ({0,39}) costs hundreds
// of allocations to compile, which `otpdoctor version` should not pay.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function giving expr compiled, compiling it on its first call. A bad
// expr panics then, as regexp.MustCompile does; tests exercise every pattern.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
