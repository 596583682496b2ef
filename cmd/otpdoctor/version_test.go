package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	vcs := func(kv ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}
		for i := 0; i < len(kv); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return bi
	}
	installed := &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}
	clone := vcs("vcs.revision", "3b7dbb4abcdef", "vcs.time", "2026-12-01T09:00:00Z", "vcs.modified", "true")
	clone.Main.Version = "v0.0.0-20261201090000-3b7dbb4abcde+dirty"
	for _, tc := range []struct {
		name     string
		stamped  stamp
		recorded *debug.BuildInfo
		want     buildInfo
	}{
		{"release build", stamp{"v1.4.0", "abc123", "2026-12-01T10:00:00Z"}, vcs("vcs.revision", "other"),
			buildInfo{Version: "v1.4.0", Commit: "abc123", Date: "2026-12-01T10:00:00Z"}},
		{"go install of a published version", stamp{}, installed,
			buildInfo{Version: "v1.4.0", Commit: "unknown", Date: "unknown"}},
		{"go build in a clone", stamp{}, clone,
			buildInfo{Version: "v0.0.0-20261201090000-3b7dbb4abcde+dirty", Commit: "3b7dbb4abcdef", Date: "2026-12-01T09:00:00Z", Modified: true}},
		{"no VCS information", stamp{}, vcs(),
			buildInfo{Version: "devel", Commit: "unknown", Date: "unknown"}},
		{"no build information at all", stamp{}, nil,
			buildInfo{Version: "devel", Commit: "unknown", Date: "unknown"}},
		{"make build stamps only what git knows", stamp{version: "3b7dbb4-dirty"}, vcs("vcs.revision", "3b7dbb4abcdef"),
			buildInfo{Version: "3b7dbb4-dirty", Commit: "3b7dbb4abcdef", Date: "unknown"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.Go, tc.want.OS, tc.want.Arch = runtime.Version(), runtime.GOOS, runtime.GOARCH
			if got := describeBuild(tc.stamped, tc.recorded); got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// startEnv is the environment the tests started in: TestMain moves HOME and the config
// directory away, and with them the go command's build cache, modules and settings.
var startEnv = os.Environ()

// buildOtpdoctor builds this command as a user would, with extra go build arguments,
// and returns the binary's path. It builds from the modules already downloaded (GOPROXY
// off: tests never reach the network) into the build cache the tests themselves use.
func buildOtpdoctor(t testing.TB, args ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds otpdoctor")
	}
	bin := filepath.Join(t.TempDir(), "otpdoctor")
	build := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), ".")...)
	build.Env = append(startEnv, "CGO_ENABLED=0", "GOPROXY=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runBinary(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", bin, strings.Join(args, " "), err)
	}
	return string(out)
}

// A release build's version, commit and date are the ones -ldflags stamped, in text
// from both `version` and `--version`, and in JSON.
func TestStampedBuildVersion(t *testing.T) {
	bin := buildOtpdoctor(t, "-buildvcs=false", "-ldflags",
		"-X main.version=v9.8.7 -X main.commit=0123456789abcdef -X main.date=2026-12-01T10:00:00Z")
	platform := runtime.GOOS + "/" + runtime.GOARCH
	goVersion := runtime.Version() // the toolchain that built this test builds otpdoctor
	want := "otpdoctor v9.8.7\ncommit:  0123456789abcdef\ndate:    2026-12-01T10:00:00Z\ngo:      " + goVersion + " " + platform + "\n"
	if got := runBinary(t, bin, "version"); got != want {
		t.Errorf("otpdoctor version:\n%s\nwant:\n%s", got, want)
	}
	if got := runBinary(t, bin, "--version"); got != want {
		t.Errorf("otpdoctor --version:\n%s\nwant:\n%s", got, want)
	}
	var got buildInfo
	if err := json.Unmarshal([]byte(runBinary(t, bin, "version", "--format", "json")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != "v9.8.7" || got.Commit != "0123456789abcdef" || got.Date != "2026-12-01T10:00:00Z" || got.Go != goVersion {
		t.Errorf("version --format json: %+v", got)
	}
	if report := runBinary(t, bin, "check", "--offline", "--format", "json"); !strings.Contains(report, `"tool_version": "v9.8.7"`) {
		t.Errorf("the report does not carry the stamped version:\n%s", report)
	}
}

// A plain `go build` says what Go recorded in the binary: the commit and its time when
// built in a git clone, else that it does not know; never an empty field.
func TestPlainBuildVersion(t *testing.T) {
	bin := buildOtpdoctor(t)
	recorded := map[string]string{} // what `go version -m` reads from the binary
	for _, line := range strings.Split(runBinary(t, "go", "version", "-m", bin), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && (f[0] == "build" || f[0] == "mod") {
			key, value, _ := strings.Cut(strings.Join(f[1:], " "), "=")
			if f[0] == "mod" {
				key, value = "mod", f[2]
			}
			recorded[key] = value
		}
	}
	want := buildInfo{Version: recorded["mod"], Commit: recorded["vcs.revision"], Date: recorded["vcs.time"],
		Modified: recorded["vcs.modified"] == "true", Go: runtime.Version(),
		OS: runtime.GOOS, Arch: runtime.GOARCH}
	if want.Version == "(devel)" {
		want.Version = "devel"
	}
	if want.Commit == "" {
		want.Commit, want.Date = "unknown", "unknown"
	}
	var got buildInfo
	if err := json.Unmarshal([]byte(runBinary(t, bin, "version", "--format", "json")), &got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("version --format json of a plain build:\n got %+v\nwant %+v", got, want)
	}
	if text := runBinary(t, bin, "version"); !strings.HasPrefix(text, "otpdoctor "+want.Version+"\ncommit:  "+want.Commit) {
		t.Errorf("otpdoctor version of a plain build:\n%s", text)
	}
}
