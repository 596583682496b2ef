package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/docs"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/jsonloc"
	"github.com/otpdoctor/otpdoctor/internal/lazyre"
	"github.com/otpdoctor/otpdoctor/internal/web"
)

func newExplainCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "explain REPORT.json",
		Short: "Re-render a saved JSON report, and diagnose it again",
		Long: `Read a report saved with --format json (for example one a user attached to a
support request), diagnose it again from its facts with this version of otpdoctor,
and render it in any --format. Nothing is measured again: the checks' facts are
the user's. --platform and --app tailor the fix steps; by default the report's own.

Exits 0 once the report is rendered, 2 when the file cannot be read or was written
by a newer otpdoctor.`,
		Example: `  otpdoctor explain report.json
  otpdoctor explain report.json -v --platform ios --app authy
  otpdoctor explain report.json --format markdown > ticket.md
  otpdoctor explain - < report.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			report, err := readReport(a, args[0])
			if err != nil {
				return err
			}
			env := &diag.Env{Service: a.service, Platform: report.Platform, App: report.App, Host: diag.PlatformOfOS(report.Environment.OS)}
			if cmd.Flags().Changed("platform") {
				env.Platform = a.opts.platform
			}
			if cmd.Flags().Changed("app") {
				env.App = a.opts.app
			}
			if !cmd.Flags().Changed("service") {
				env.Service, _ = a.profiles.Lookup(report.Service)
			}
			report.Platform, report.App = env.Platform, env.App
			for i, tried := range report.Tried {
				// Written by hand (--tried), and by otpdoctor before it refused keys there.
				report.Tried[i], _ = secret.HideKeys(tried)
			}
			report.Rediagnose(env)
			return a.emit(report)
		},
	}
}

var schemaVersion = lazyre.New(`^otpdoctor\.report/v([0-9]+)$`)

// readReport reads and validates a saved JSON report.
func readReport(a *app, path string) (diag.Report, error) {
	var report diag.Report
	if path == "-" && a.io.InTTY {
		return report, terminalStdin("explain", "a saved report is not typed", "give the report's file name, or pipe it in: otpdoctor explain - < report.json")
	}
	data, err := fileio.ReadFile(a.ctx, path, a.io.In, fileio.MaxInput)
	path = inputName(path)
	const saveHint = "give a report saved with 'otpdoctor check --format json'"
	switch {
	case err != nil:
		return report, usagef("give the path of a report saved with --format json (- reads stdin)", "cannot read the report: %v", err)
	case len(bytes.TrimSpace(data)) == 0:
		return report, usagef(saveHint, "%s is empty", path)
	}
	var head struct {
		Schema      string `json:"schema"`
		ToolVersion string `json:"tool_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return report, usagef(saveHint, "%s is not a JSON report: %v", path, jsonloc.Locate(data, 0, err))
	}
	switch m := schemaVersion.Get().FindStringSubmatch(head.Schema); {
	case m == nil:
		return report, usagef(saveHint, "%s is not an otpdoctor report (no %q schema field)", path, diag.Schema)
	case head.Schema != diag.Schema:
		return report, usagef("update otpdoctor (go install github.com/otpdoctor/otpdoctor/cmd/otpdoctor@latest) to read it",
			"%s was written by a newer otpdoctor (schema %s); this one reads %s", path, head.Schema, diag.Schema)
	}
	if err := docs.ValidateReport(data); err != nil {
		hint := "the report was changed by hand or cut short; ask for the original file"
		if head.ToolVersion != toolVersion() {
			hint = fmt.Sprintf("the report was made by otpdoctor %q and this is %s: if that one is newer, update otpdoctor to read it; else the report was changed by hand or cut short, so ask for the original file", web.Clip(head.ToolVersion), toolVersion())
		}
		return report, usagef(hint, "%s does not match the report schema: %v", path, err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return report, usagef(saveHint, "%s: %v", path, jsonloc.Locate(data, 0, err))
	}
	if unknown := report.Unknown(); len(unknown) > 0 {
		// The ids and the version are the report's words: escaped, and clipped.
		fmt.Fprintln(a.io.Err, diag.Visible(fmt.Sprintf("note: %s was made by a newer otpdoctor (%q): this one does not know %s, shown as written; update otpdoctor for its advice on them",
			path, web.Clip(report.ToolVersion), web.Clip(strings.Join(unknown, ", ")))))
	}
	return report, nil
}
