package clock

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/otpdoctor/otpdoctor/internal/fileio"
)

// OSClock is what the operating system itself says of its clock. Nil fields are
// unknown: the platform does not tell, or not without admin rights.
type OSClock struct {
	// Synchronized: the OS says its clock is disciplined by a time service now.
	Synchronized *bool
	// AutomaticTime: the OS's network time service is turned on.
	AutomaticTime *bool
	// MaxError and EstError are the kernel's own bounds on its clock error.
	MaxError, EstError *time.Duration
	// Zone is the IANA time zone the OS is set to, when it says.
	Zone string
	// Notes say where each fact came from, or why it is missing (for -v).
	Notes []string
}

// OSClockFunc reads the OS's view of its clock; ReadOSClock is the real one.
type OSClockFunc func(ctx context.Context) OSClock

// commandOutputLimit caps what is read from a helper command such as timedatectl.
const commandOutputLimit = 64 << 10

// commandOutput runs a read-only helper command and returns its standard output.
func commandOutput(ctx context.Context, name string, args ...string) ([]byte, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = scrubbedEnv(os.Environ())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out, readErr := fileio.ReadAll(stdout, commandOutputLimit, "the output of "+name)
	if err := cmd.Wait(); err != nil {
		return out, fmt.Errorf("%s: %w", name, err)
	}
	return out, readErr
}

// childEnv are the only variables a helper command gets: what it needs to run and to
// reach the system's time service. Nothing else (OTPDOCTOR_SECRET above all) is
// passed on.
var childEnv = []string{"PATH", "SYSTEMROOT", "DBUS_SYSTEM_BUS_ADDRESS", "TZ"}

// scrubbedEnv is environ with only the childEnv variables kept (matched as Windows
// does, whatever their case), and the C locale for output that parses the same
// everywhere.
func scrubbedEnv(environ []string) []string {
	out := []string{"LC_ALL=C"}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if slices.ContainsFunc(childEnv, func(keep string) bool { return strings.EqualFold(name, keep) }) {
			out = append(out, kv)
		}
	}
	return out
}

// parseKeyValues reads KEY=VALUE lines (timedatectl show) into a map; other lines
// are skipped.
func parseKeyValues(out []byte) map[string]string {
	values := map[string]string{}
	scanner := bufio.NewScanner(bytes.NewReader(out))
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), "=")
		if key = strings.TrimSpace(key); ok && key != "" {
			values[key] = strings.TrimSpace(value)
		}
	}
	return values
}

// yesNo reads systemd's yes/no booleans; nil when it is neither.
func yesNo(s string) *bool {
	switch s {
	case "yes":
		return ptr(true)
	case "no":
		return ptr(false)
	}
	return nil
}

func yesOrNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func ptr[T any](v T) *T { return &v }
