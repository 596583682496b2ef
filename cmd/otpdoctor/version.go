package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/diag"
)

// Release builds and `make build` stamp these with
//
//	-ldflags "-X main.version=v1.2.3 -X main.commit=SHA -X main.date=2026-12-01T09:00:00Z"
//
// A plain `go build` or `go install` leaves them empty: the version then comes from
// what Go records in every binary (the module version, the VCS revision and time).
var version, commit, date string

// buildInfo says which otpdoctor this is. Every field is set: what cannot be known
// reads "unknown" (the version "devel"), never an empty string.
type buildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Date     string `json:"date"`     // when a release was built; for a build from a clone, the commit's time
	Modified bool   `json:"modified"` // built from a tree with uncommitted changes
	Go       string `json:"go"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
}

// stamp is what -ldflags set (empty when nothing was).
type stamp struct{ version, commit, date string }

var (
	currentBuildOnce sync.Once
	currentBuildInfo buildInfo
)

// currentBuild describes this binary. It is read once: debug.ReadBuildInfo parses the
// module data each time, and a check run asks three times.
func currentBuild() buildInfo {
	currentBuildOnce.Do(func() {
		recorded, _ := debug.ReadBuildInfo() // nil without module support: describeBuild copes
		currentBuildInfo = describeBuild(stamp{version, commit, date}, recorded)
	})
	return currentBuildInfo
}

// describeBuild prefers what the build stamped, then what Go recorded, then says it
// does not know.
func describeBuild(s stamp, recorded *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: s.version, Commit: s.commit, Date: s.date,
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if recorded != nil {
		if v := recorded.Main.Version; b.Version == "" && v != "" && v != "(devel)" {
			b.Version = v // `go install module@v1.2.3`, or Go's pseudo-version of a clone's commit
		}
		for _, setting := range recorded.Settings {
			switch setting.Key {
			case "vcs.revision":
				b.Commit = firstSet(b.Commit, setting.Value)
			case "vcs.time":
				b.Date = firstSet(b.Date, setting.Value)
			case "vcs.modified":
				b.Modified = setting.Value == "true"
			}
		}
	}
	b.Version = firstSet(b.Version, "devel")
	b.Commit = firstSet(b.Commit, "unknown")
	b.Date = firstSet(b.Date, "unknown")
	return b
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// toolVersion is the version reports and the HTTP User-Agent carry.
func toolVersion() string { return currentBuild().Version }

// writeVersion is what `otpdoctor version` and `otpdoctor --version` print.
func writeVersion(w io.Writer, b buildInfo) error {
	modified := ""
	if b.Modified {
		modified = " (with uncommitted changes)"
	}
	_, err := fmt.Fprintf(w, "otpdoctor %s\ncommit:  %s%s\ndate:    %s\ngo:      %s %s/%s\n",
		b.Version, b.Commit, modified, b.Date, b.Go, b.OS, b.Arch)
	return err
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print otpdoctor's version, commit, build date and Go version",
		Long: `Print which otpdoctor this is: its version, the commit it was built from, when it
was built (for a build from a clone, the commit's date) and the Go version and
platform it was built with. --format json prints the same as an object.`,
		Example: `  otpdoctor version
  otpdoctor --version
  otpdoctor version --format json`,
		Args: cobra.NoArgs,
		// The version needs no service, profiles or clock: it skips the root's
		// preparation, so that it costs little more than the process's start. It
		// still refuses a --format it cannot write.
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			if err := refuseKeys(c, args); err != nil {
				return err
			}
			format, err := c.Flags().GetString("format")
			if err != nil {
				return err
			}
			return checkFormat(c, format)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := currentBuild()
			if a.opts.format == diag.FormatJSON {
				return writeJSON(a.io.Out, b)
			}
			return writeVersion(a.io.Out, b)
		},
	}
}

// addVersionFlag gives root a --version flag printing what `otpdoctor version` prints
// (-v stays --verbose). The text is made only when asked for: cobra adds the flag to
// a root with any Version, and the template calls versionText.
func addVersionFlag(root *cobra.Command) {
	root.Version = "see the template"
	versionTemplateFunc.Do(func() { cobra.AddTemplateFunc("otpdoctorVersion", versionText) })
	root.SetVersionTemplate("{{otpdoctorVersion}}")
}

// versionTemplateFunc adds versionText to cobra's template functions once: they are a
// global table, which roots built at the same time (runs in one test process) would
// write together.
var versionTemplateFunc sync.Once

func versionText() string {
	var text strings.Builder
	writeVersion(&text, currentBuild()) // a strings.Builder never fails
	return text.String()
}
