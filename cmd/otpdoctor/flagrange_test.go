package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagCase is a value a flag must refuse, and what kind of mistake it is.
type flagCase struct{ kind, value string }

// rangedFlag is a flag of flagrange.go's table with the values it must refuse and the
// range its error and its help must state.
type rangedFlag struct {
	name    string
	refused []flagCase
	from    string // the range, as the error says it: "from 1ms to 1h"
	help    string // as the help line says it: "(1ms–1h)"
}

// rangedFlags is every flag in the table, each with a value below its range, above it,
// one that overflows its type, a negative one, NaN and garbage.
func rangedFlags() []rangedFlag {
	garbage := []flagCase{{"NaN", "NaN"}, {"garbage", "3 s\x1b[2J"}, {"empty", ""}}
	var flags []rangedFlag
	for name, b := range durationRanges {
		below := b.min - time.Nanosecond
		flags = append(flags, rangedFlag{name: name, refused: append([]flagCase{
			{"below", below.String()}, {"above", (b.max + time.Nanosecond).String()},
			{"overflow", "2562048h"}, {"negative", "-1s"}, {"exponent", "1e18s"},
		}, garbage...), from: "from " + shortDuration(b.min) + " to " + shortDuration(b.max),
			help: "(" + shortDuration(b.min) + "–" + shortDuration(b.max) + ")"})
	}
	for name, b := range numberRanges {
		cases := []flagCase{{"overflow", "18446744073709551616"}, {"negative", "-1"}, {"exponent", "1e18"}, {"hex", "0x10"}}
		if b.max < math.MaxUint64 {
			cases = append(cases, flagCase{"above", strconv.FormatUint(b.max+1, 10)})
		}
		if b.min > 0 {
			cases = append(cases, flagCase{"below", strconv.FormatUint(b.min-1, 10)})
		}
		flags = append(flags, rangedFlag{name: name, refused: append(cases, garbage...),
			from: fmt.Sprintf("from %d to %d", b.min, b.max), help: fmt.Sprintf("(%d–%d)", b.min, b.max)})
	}
	for name, b := range countRanges {
		flags = append(flags, rangedFlag{name: name, refused: append([]flagCase{
			{"below", strconv.Itoa(b.min - 1)}, {"above", strconv.Itoa(b.max + 1)},
			{"overflow", "99999999999999999999"}, {"negative", "-1"},
		}, garbage...), from: fmt.Sprintf("from %d to %d", b.min, b.max), help: fmt.Sprintf("(at most %d times)", b.max)})
	}
	for _, name := range []string{"now", "at", "code-time"} {
		flags = append(flags, rangedFlag{name: name, refused: append([]flagCase{
			{"below", strconv.FormatInt(instantRange.min-1, 10)}, {"above", strconv.FormatInt(instantRange.max+1, 10)},
			{"overflow", "99999999999999999999"}, {"negative", "-86400"}, {"exponent", "1e18"},
			{"no such day", "2026-02-30T00:00:00Z"},
		}, garbage...), from: "from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z", help: "(1970–9999)"})
	}
	return flags
}

// commandsWith are the paths of every command that takes the flag name.
func commandsWith(name string) [][]string {
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Runnable() && len(path) > 0 && (c.LocalFlags().Lookup(name) != nil || c.InheritedFlags().Lookup(name) != nil) {
			paths = append(paths, path)
		}
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(newRootCmd(&app{io: &streams{}}, nil), nil)
	return paths
}

// Every numeric flag of every command refuses a value outside its range with exit 2
// and one line that names the flag, the value and the range (and a hint line), before
// doing anything: nothing on standard output.
func TestNumericFlagRanges(t *testing.T) {
	env := map[string]string{"OTPDOCTOR_SECRET": "JBSWY3DPEHPK3PXP"} // --at is read once the key is
	for _, f := range rangedFlags() {
		paths := commandsWith(f.name)
		if len(paths) == 0 {
			t.Errorf("no command takes --%s", f.name)
		}
		for _, path := range paths {
			for _, c := range f.refused {
				args := append(append([]string{}, path...), "--offline", "--"+f.name+"="+c.value)
				r := execCLI(t, env, "", args...)
				lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
				first := lines[0]
				if r.code != exitUsage || r.stdout != "" || len(lines) != 2 || !strings.HasPrefix(lines[1], "hint: ") ||
					!strings.HasPrefix(first, "otpdoctor: --"+f.name+" ") || !strings.Contains(first, strconv.Quote(c.value)) ||
					!strings.Contains(first, f.from) {
					t.Errorf("%s --%s %q (%s): exit %d, want %d and one line naming the flag, the value and the range %q\nstdout: %q\nstderr:\n%s",
						strings.Join(path, " "), f.name, c.value, c.kind, r.code, exitUsage, f.from, r.stdout, r.stderr)
				}
			}
		}
	}
}

// -v given more times than it takes says so in the user's words.
func TestVerboseTooOften(t *testing.T) {
	r := execCLI(t, nil, "", "check", "--offline", "-vvv")
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "otpdoctor: -v given 3 times is not a count from 0 to 2\n") {
		t.Errorf("-vvv: exit %d\n%s", r.code, r.stderr)
	}
	if r := execCLI(t, nil, "", "check", "--offline", "-vv", "--format", "json"); r.code != exitOK {
		t.Errorf("-vv: exit %d\n%s", r.code, r.stderr)
	}
}

// The range is in every ranged flag's help line (and so in the generated docs), and
// every numeric flag has a range: one defined with pflag's own types would take any
// value.
func TestEveryNumericFlagHasARange(t *testing.T) {
	helps := map[string]string{}
	for _, f := range rangedFlags() {
		helps[f.name] = f.help
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			help, ranged := helps[f.Name]
			switch {
			case ranged && !strings.Contains(f.Usage, help):
				t.Errorf("%s --%s: help %q does not say its range %s", c.CommandPath(), f.Name, f.Usage, help)
			case !ranged && isNumeric(f.Value):
				t.Errorf("%s --%s is a %s without a range in flagrange.go", c.CommandPath(), f.Name, f.Value.Type())
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&app{io: &streams{}}, nil))
}

// isNumeric: a flag value of one of pflag's number or duration types, or one of ours.
func isNumeric(v pflag.Value) bool {
	switch v.Type() {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
		"float32", "float64", "duration", "count":
		return true
	}
	return false
}

// Values at the ends of each range are taken.
func TestNumericFlagRangeEnds(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--offline", "--timeout", "1ms", "--format", "json"},
		{"check", "--offline", "--timeout", "1h", "--format", "json"},
		{"check", "--offline", "--look-ahead", "1000000", "--window", "876000h", "--format", "json"},
		{"check", "--offline", "--now", "0", "--format", "json"},
		{"check", "--offline", "--now", "9999-12-31T23:59:59Z", "--format", "json"},
	} {
		env := map[string]string{"OTPDOCTOR_SECRET": "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1"}
		if r := execCLI(t, env, "", args...); r.code != exitOK {
			t.Errorf("%q: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	// The last counter has no next one: the counter does not wrap around to 0.
	env := map[string]string{"OTPDOCTOR_SECRET": "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP"}
	last := execCLIOn(t, true, env, "", "code", "--counter", "18446744073709551615")
	first := execCLIOn(t, true, env, "", "code", "--counter", "0")
	if last.code != exitOK || !strings.Contains(last.stdout, "counter 18446744073709551615\n") || !strings.HasSuffix(last.stdout, " · next none\n") ||
		!strings.Contains(first.stdout, "previous none · ") {
		t.Errorf("the last counter:\n%s%s\nthe first:\n%s", last.stdout, last.stderr, first.stdout)
	}
}

// A port in an address flag is checked by the flag's own parser, with the same kind of
// line: the flag, the value and the range.
func TestPortsInAddressFlags(t *testing.T) {
	for _, args := range [][]string{
		{"phone", "--listen", "127.0.0.1:65536"},
		{"phone", "--listen", "127.0.0.1:-1"},
		{"clock", "--ntp-server", "127.0.0.1:0"},
		{"clock", "--ntp-server", "127.0.0.1:99999999999999999999"},
		{"status", "--status-url", "https://status.example.com:99999/"},
		{"clock", "--time-url", "https://www.example.com:0/"},
	} {
		r := execCLI(t, nil, "", args...)
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		if r.code != exitUsage || r.stdout != "" || len(lines) != 2 || !strings.HasPrefix(lines[0], "otpdoctor: "+args[1]) ||
			!strings.Contains(lines[0], strings.TrimPrefix(args[2], "https://")[:10]) || !strings.Contains(lines[0], "to 65535") {
			t.Errorf("%q: exit %d, want %d and one line naming the flag, the value and the range\nstdout: %q\nstderr:\n%s", args, r.code, exitUsage, r.stdout, r.stderr)
		}
	}
}
