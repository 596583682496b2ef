package main

import (
	"context"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/diag"
)

// A part is one check as the command line sees it: the flags it needs (added both to
// `check` and to the check's own command) and how to build the check from them.
type part interface {
	addFlags(fs *pflag.FlagSet)
	// build makes the check, or a diag.Skipped naming the flag that would run it. An
	// error is a usage error: a flag value or input that cannot be read.
	build(a *app) (diag.Check, error)
}

// checkParts are the checks `otpdoctor check` runs, in report order.
func checkParts() []part {
	return []part{
		&clockPart{},
		&secretPart{},
		&codesPart{},
		&backupPart{},
		&statusPart{},
		&phonePart{},
	}
}

func newCheckCmd(a *app) *cobra.Command {
	return withCheckParts(a, &cobra.Command{
		Use:   "check",
		Short: "Run every check that has what it needs, and diagnose",
		Long: `Run every check that has what it needs and say what is wrong.

The clock check always runs. The others run when their input is given:
  secret  a 2FA key (--secret-file, --qr, OTPDOCTOR_SECRET, --ask-secret)
  codes   --code with the code your app shows (needs the key)
  backup  --backup-code or --backup-file
  status  --service with a status endpoint, or --status-url
  phone   --phone: a one-time page for your phone's browser (no key needed)
Checks without their input are shown as skipped, with the flag that would run them.`,
		Example: `  otpdoctor check
  otpdoctor check --service binance --code 123456 --secret-file key.txt
  otpdoctor check --platform android --app google-authenticator --code 123456
  otpdoctor check --offline
  otpdoctor check --format json --strict --timeout 2s   # CI smoke test`,
	})
}

func newTicketCmd(a *app) *cobra.Command {
	cmd := withCheckParts(a, &cobra.Command{
		Use:   "ticket",
		Short: "Run the checks and write a support ticket in Markdown",
		Long: `Run the same checks as 'otpdoctor check' and write the result as a support ticket:
the problem, what otpdoctor checked and found, what you already tried (--tried), and
your environment. Keys appear only as fingerprints. Paste it into the service's
support form, or save it with --output.`,
		Example: `  otpdoctor ticket --service binance --code 123456 --tried "synced the phone's time" --output ticket.md
  otpdoctor explain report.json --format markdown   # a ticket from a saved report`,
	})
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if !c.Flags().Changed("format") {
			a.opts.format = diag.FormatMarkdown
		}
		return run(c, args)
	}
	return cmd
}

// withCheckParts makes cmd run every check part, with every part's flags.
func withCheckParts(a *app, cmd *cobra.Command) *cobra.Command {
	parts := checkParts()
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		return a.runParts(c.Context(), c.Name(), parts)
	}
	for _, p := range parts {
		p.addFlags(cmd.Flags())
	}
	cmd.Flags().StringArrayVar(&a.opts.tried, "tried", nil, "`TEXT` saying something you already tried, for the support ticket (repeatable)")
	return cmd
}

// runParts builds every part's check and runs them.
func (a *app) runParts(ctx context.Context, command string, parts []part) error {
	checks := make([]diag.Check, 0, len(parts))
	for _, p := range parts {
		check, err := p.build(a)
		if err != nil {
			return err
		}
		checks = append(checks, check)
	}
	return a.runChecks(ctx, command, checks)
}
