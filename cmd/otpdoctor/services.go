package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/layout"
	"github.com/otpdoctor/otpdoctor/profile"
)

func init() { registerCommand("services", newServicesCmd) }

// resolveService merges --profiles into the embedded profiles and picks --service
// (generic when none is named).
func (a *app) resolveService() error {
	a.profiles = profile.Builtin()
	if err := a.oneStdinReader(); err != nil { // before --profiles - takes standard input
		return err
	}
	if a.opts.profiles == "-" && a.io.InTTY {
		return terminalStdin("--profiles", "a profile file is not typed", "give the file's name, or pipe it in: otpdoctor services --profiles - < my-services.json")
	}
	if path := a.opts.profiles; path != "" {
		data, err := fileio.ReadFile(a.ctx, path, a.io.In, fileio.MaxInput)
		if err != nil {
			return usagef("give a readable JSON profile file (schema: docs/services.md)", "cannot read the profiles: %v", err)
		}
		extra, err := profile.Load(data)
		if err != nil {
			return usagef("fix the file; 'otpdoctor services --format json' prints the embedded profiles in the same schema",
				"%s: %v", inputName(path), err)
		}
		a.profiles = a.profiles.With(extra)
	}
	id := a.opts.service
	if id == "" {
		id = profile.GenericID
	}
	p, ok := a.profiles.Lookup(id)
	if !ok {
		return usagef("run 'otpdoctor services' to see each one, or add yours with --profiles FILE",
			"unknown --service %q: known services are %s", id, strings.Join(a.profiles.IDs(), ", "))
	}
	a.service = p
	return nil
}

func newServicesCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "services",
		Short: "List the services otpdoctor knows (for --service)",
		Long: `List the service profiles: what each service's authenticator codes and backup codes
look like, and where otpdoctor checks its time and status. Add or override profiles
with --profiles FILE; --format json prints them in that file's schema.`,
		Example: `  otpdoctor services
  otpdoctor services --format json > profiles.json
  otpdoctor services --profiles my-services.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.opts.output != "" {
				return usagef("redirect instead: otpdoctor services --format json > profiles.json", "services does not write to --output (it writes no report)")
			}
			if a.opts.format == diag.FormatJSON {
				return writeJSON(a.io.Out, struct {
					Profiles []*profile.Profile `json:"profiles"`
				}{a.profiles.All()})
			}
			return writeServices(a, a.profiles.All())
		},
	}
}

// writeServices lists the profiles as a table that fits the terminal's width: the
// descriptive columns wrap, the ID (what --service takes) never does, and a window too
// narrow for columns gets a block per service. Piped, each service keeps one line, for
// grep (as gh does).
func writeServices(a *app, list []*profile.Profile) error {
	table := layout.Table{
		Headers: []string{"ID", "NAME", "CODES", "BACKUP CODES", "STATUS"},
		Wrap:    []bool{false, true, true, true, true},
	}
	for _, p := range list {
		table.Rows = append(table.Rows, []string{diag.Visible(p.ID), diag.Visible(p.Name),
			fmt.Sprintf("%d digits, %s, %d s", p.TOTP.Digits, p.TOTP.Algorithm, p.TOTP.Period),
			backupSummary(p), statusSummary(p)})
	}
	width, tableWidth := width(a.io.OutSize), math.MaxInt
	if a.io.OutTTY {
		tableWidth = width
	}
	if _, err := fmt.Fprintln(a.io.Out, strings.Join(table.Lines(tableWidth), "\n")); err != nil {
		return err
	}
	if a.opts.verbose > 0 {
		for _, p := range list {
			fmt.Fprintf(a.io.Out, "\n%s (%s)\n", diag.Visible(p.Name), diag.Visible(p.ID))
			for _, l := range []struct{ name, url string }{{"help", p.Links.Help}, {"support", p.Links.Support}, {"status page", p.Links.StatusPage}} {
				if l.url != "" {
					fmt.Fprintf(a.io.Out, "  %s: %s\n", l.name, diag.Visible(l.url))
				}
			}
			for _, s := range p.Sources {
				fmt.Fprintf(a.io.Out, "  source: %s\n", diag.Visible(s))
			}
		}
	} else {
		fmt.Fprintf(a.io.Out, "\n%s\n", strings.Join(layout.Wrap("Use one with --service ID; -v shows links and sources.", width), "\n"))
	}
	return nil
}

// backupSummary is the table's BACKUP CODES cell: each format with how many a set holds.
func backupSummary(p *profile.Profile) string {
	var parts []string
	for _, f := range p.BackupFormats {
		s := f.Name
		if f.Issued > 0 {
			s = fmt.Sprintf("%d × %s", f.Issued, s)
		}
		parts = append(parts, s)
	}
	if p.BackupKeyIsTOTPKey {
		parts = append(parts, "its backup key is the authenticator key")
	}
	return joinOr(parts, "; ", "none")
}

// statusSummary is the table's STATUS cell: the endpoints the status check asks.
func statusSummary(p *profile.Profile) string {
	var parts []string
	if p.Status != nil {
		parts = append(parts, p.Status.Kind+" status")
	}
	if p.TimeAPI != nil {
		parts = append(parts, "time API")
	}
	return joinOr(parts, ", ", "-")
}

// joinOr joins parts with sep, or is none when there are no parts.
func joinOr(parts []string, sep, none string) string {
	if len(parts) == 0 {
		return none
	}
	return strings.Join(parts, sep)
}
