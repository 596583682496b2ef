package main

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/codes"
)

// The range of every numeric flag, in one place: parsing refuses a value outside it (a
// usage error naming the flag, the value and the range), and each flag's help line,
// and so the generated docs, says it. A value in range is safe to compute with: no
// budget made from it overflows, and no search runs for minutes.
var (
	durationRanges = map[string]bounds[time.Duration]{
		"timeout": {time.Millisecond, time.Hour},
		"wait":    {time.Millisecond, time.Hour},
		"window":  {0, 100 * 365 * 24 * time.Hour}, // 0: the default; --deep goes further
	}
	numberRanges = map[string]bounds[uint64]{
		"look-ahead": {0, codes.MaxLookAhead},
		"counter":    {0, math.MaxUint64}, // RFC 4226's counter is 8 bytes
	}
	countRanges = map[string]bounds[int]{
		"verbose": {0, 2}, // -v, -vv
	}
	// instantRange bounds --now, --at and --code-time, in unix seconds: from the
	// first time step (1970) to the last second RFC 3339 can write (9999).
	instantRange = bounds[int64]{0, 253402300799}
)

// bounds are the least and the most a flag takes, both included.
type bounds[T cmp.Ordered] struct{ min, max T }

func (b bounds[T]) contain(v T) bool { return v >= b.min && v <= b.max }

// rangedValue is a flag's value that refuses anything outside its bounds.
type rangedValue[T cmp.Ordered] struct {
	target *T
	bounds bounds[T]
	typ    string // pflag's type name: "duration", "uint64", "count"
	kind   string // what the value is, in words: "a duration"
	parse  func(string) (T, error)
	show   func(T) string
}

func (v *rangedValue[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil || !v.bounds.contain(x) {
		e := &rangeError{value: s, want: v.want()}
		if err == nil {
			e.count = v.show(x)
		}
		return e
	}
	*v.target = x
	return nil
}

func (v *rangedValue[T]) String() string { return v.show(*v.target) }
func (v *rangedValue[T]) Type() string   { return v.typ }

// want says what the flag takes: "a duration from 1ms to 1h".
func (v *rangedValue[T]) want() string {
	return fmt.Sprintf("%s from %s to %s", v.kind, v.show(v.bounds.min), v.show(v.bounds.max))
}

// rangeError is a flag value outside its range, or not of its kind at all.
type rangeError struct {
	value string // as given: "+1" for one more -v
	count string // the value parsed, when it was: for a counted flag, how many times
	want  string
}

func (e *rangeError) Error() string { return "not " + e.want }

// message is the usage error's line for flag f: "--look-ahead "1e18" is not a whole
// number from 0 to 1000000".
func (e *rangeError) message(f *pflag.Flag) string {
	if f.Value.Type() == "count" && e.value == f.NoOptDefVal {
		return fmt.Sprintf("-%s given %s times is not %s", f.Shorthand, e.count, e.want)
	}
	return fmt.Sprintf("--%s %q is not %s", f.Name, e.value, e.want)
}

// rangeHelp is the range as a help line ends: " (1ms–1h)".
func rangeHelp[T cmp.Ordered](v *rangedValue[T]) string {
	return fmt.Sprintf(" (%s–%s)", v.show(v.bounds.min), v.show(v.bounds.max))
}

// durationFlag defines a duration flag with the range durationRanges gives it.
func durationFlag(fs *pflag.FlagSet, target *time.Duration, name string, value time.Duration, usage string) {
	*target = value
	v := &rangedValue[time.Duration]{target: target, bounds: rangeOf(durationRanges, name), typ: "duration", kind: "a duration",
		parse: time.ParseDuration, show: shortDuration}
	fs.Var(v, name, usage+rangeHelp(v))
}

// numberFlag defines a whole-number flag with the range numberRanges gives it.
func numberFlag(fs *pflag.FlagSet, target *uint64, name string, value uint64, usage string) {
	*target = value
	v := &rangedValue[uint64]{target: target, bounds: rangeOf(numberRanges, name), typ: "uint64", kind: "a whole number",
		parse: func(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) },
		show:  func(n uint64) string { return strconv.FormatUint(n, 10) }}
	fs.Var(v, name, usage+rangeHelp(v))
}

// countFlag defines a flag counted by repeating it (-vv), with the range countRanges
// gives it.
func countFlag(fs *pflag.FlagSet, target *int, name, shorthand, usage string) {
	v := &rangedValue[int]{target: target, bounds: rangeOf(countRanges, name), typ: "count", show: strconv.Itoa}
	v.kind = "a count"
	v.parse = func(s string) (int, error) {
		if s == "+1" { // the flag alone, once more
			return *target + 1, nil
		}
		return strconv.Atoi(s)
	}
	f := fs.VarPF(v, name, shorthand, fmt.Sprintf("%s (at most %d times)", usage, v.bounds.max))
	f.NoOptDefVal = "+1"
}

// rangeOf is name's range in table. Every ranged flag has one: a flag defined
// without is a mistake that every run (and every test) shows at once.
func rangeOf[T cmp.Ordered](table map[string]bounds[T], name string) bounds[T] {
	b, ok := table[name]
	if !ok {
		panic("flag --" + name + " has no range in flagrange.go")
	}
	return b
}

// shortDuration writes d as a flag takes it, without zero units: 1h, not 1h0m0s.
func shortDuration(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// instantValue is a time flag's value: RFC 3339 or unix seconds, as codes.ParseTime
// takes them, within instantRange.
type instantValue struct{ target *time.Time }

func (v instantValue) Set(s string) error {
	t, err := codes.ParseTime(s)
	if err != nil || !instantRange.contain(t.Unix()) {
		return &rangeError{value: s, want: instantWant()}
	}
	*v.target = t
	return nil
}

func (v instantValue) String() string {
	if v.target.IsZero() {
		return ""
	}
	return v.target.Format(time.RFC3339Nano)
}

func (v instantValue) Type() string { return "instant" }

// instantFlag defines a time flag (--now, --at, --code-time), zero when not given; its
// usage says instantHelp where it reads best.
func instantFlag(fs *pflag.FlagSet, target *time.Time, name, usage string) {
	fs.Var(instantValue{target}, name, usage)
}

// instantWant says what a time flag takes.
func instantWant() string {
	return fmt.Sprintf("a time from %s to %s, RFC 3339 or unix seconds", instantAt(instantRange.min).Format(time.RFC3339), instantAt(instantRange.max).Format(time.RFC3339))
}

// instantHelp is instantRange as a help line ends: " (1970–9999)".
func instantHelp() string {
	return fmt.Sprintf(" (%d–%d)", instantAt(instantRange.min).Year(), instantAt(instantRange.max).Year())
}

func instantAt(unix int64) time.Time { return time.Unix(unix, 0).UTC() }
