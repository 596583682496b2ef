package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// The end-to-end tests are testscript files under testdata/script: each runs the real
// otpdoctor binary (this test binary, re-executed) against loopback fakes that the
// scripts start with the commands in scriptCmds.
func TestMain(m *testing.M) {
	testscript.Main(isolatedHome{m}, map[string]func(){
		"otpdoctor": func() {
			os.Args = append([]string{os.Args[0]}, patient(os.Args[1:])...)
			os.Exit(runProcess())
		},
		// otpdoctor that stops in the middle of writing a file (output_test.go), for a
		// signal to end it there.
		"otpdoctor-paused-write": func() {
			os.Args = append([]string{os.Args[0]}, patient(os.Args[1:])...)
			pauseMidWrite()
			os.Exit(runProcess())
		},
		// otpdoctor on a test's clock: the instant in the file $OTPDOCTOR_TEST_CLOCK,
		// which the test moves (guide_test.go).
		"otpdoctor-on-test-clock": func() {
			os.Args = append([]string{os.Args[0]}, patient(os.Args[1:])...)
			wallClock = readClockFile(os.Getenv(testClockEnv))
			os.Exit(runProcess())
		},
	})
}

// patient is a test run's arguments with a --timeout long enough for a loaded machine
// in front: loopback servers always answer, and only a hang would take that long. A
// test of a timeout gives its own --timeout, which comes later and wins.
func patient(args []string) []string {
	return append([]string{"--timeout=" + patientTimeout.String()}, args...)
}

// isolatedHome runs the tests with HOME and the config directory in a temporary
// directory, so that in-process runs never read or write the developer's own files
// (the backup ledger lives in the user's config directory).
type isolatedHome struct{ m *testing.M }

func (h isolatedHome) Run() int {
	dir, err := os.MkdirTemp("", "otpdoctor-test-home-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	os.Setenv("HOME", dir)
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	return h.m.Run()
}

// scriptCmds are the extra testscript commands (fake servers, file checks), registered
// by the test files that own them.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

// patientTimeout is the tests' --timeout (see patient).
const patientTimeout = 30 * time.Second

// hangBound is how long a test waits for an event before it calls it a hang: long
// enough for a loaded 2-core machine, as it only bounds what would otherwise never end.
const hangBound = 60 * time.Second

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		Cmds:                scriptCmds,
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			// Scripts never colour, never reach the internet, never read the caller's settings.
			env.Setenv("NO_COLOR", "1")
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/.config")
			return nil
		},
	})
}
