package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/internal/layout"
	"github.com/otpdoctor/otpdoctor/profile"
)

// globalOptions are the flags every command shares (cobra persistent flags).
type globalOptions struct {
	format   string
	verbose  int // -v details and evidence, -vv also raw facts
	noColor  bool
	now      time.Time // --now; zero when not given
	timeout  time.Duration
	offline  bool
	strict   bool
	output   string
	service  string
	profiles string
	platform string
	app      string

	secretFiles []string // repeatable: read as one source
	secret      string
	qrs         []string // repeatable, like secretFiles
	account     string
	askSecret   bool

	tried []string // what the user already tried (check, ticket)
}

// app is one invocation of otpdoctor: its streams, its flags, and what they resolve to.
type app struct {
	io   *streams
	opts globalOptions
	// ctx is the run's context, which Ctrl-C cancels: reading input waits on it.
	ctx context.Context

	// Resolved by prepare, before any command runs.
	now      func() time.Time
	started  time.Time // a.now() when the command started: the codes given were read then
	service  *profile.Profile
	profiles *profile.Catalog // the embedded profiles with --profiles merged in

	// intake is the key source, read once on first use (intake.go).
	intake intake
	// typedKey is a key pasted into the guide: a source like --secret-file's.
	typedKey []byte
}

// prepare checks the global flags and resolves them; every command runs after it.
func (a *app) prepare(c *cobra.Command) error {
	o := &a.opts
	if err := checkFormat(c, o.format); err != nil {
		return err
	}
	if o.platform != "" {
		if err := checkOneOf("--platform", o.platform, diag.Platforms); err != nil {
			return err
		}
	}
	if o.app != "" {
		if err := checkOneOf("--app", o.app, diag.Apps()); err != nil {
			return err
		}
	}
	if o.output != "" {
		// Refused now, not after the checks ran and printed their report.
		if err := fileio.CheckWritable(o.output); err != nil {
			return outputError(err)
		}
	}
	a.now = wallClock
	if fixed := o.now; !fixed.IsZero() {
		// The fixed instant is where this machine's clock starts; it runs on from there
		// so that durations and timeouts still behave.
		start := wallClock()
		a.now = func() time.Time { return fixed.Add(wallClock().Sub(start)) }
	}
	a.started = a.now()
	return a.resolveService() // services.go
}

// wallClock reads this machine's clock; tests replace it to let time pass at once.
var wallClock = time.Now

// env is the diag.Env every check of this run shares.
func (a *app) env() *diag.Env {
	return &diag.Env{
		Now:      a.now,
		Timeout:  a.opts.timeout,
		Offline:  a.opts.offline,
		TrueTime: diag.NewTrueTime(),
		Service:  a.service,
		Platform: a.opts.platform,
		App:      a.opts.app,
		Host:     diag.PlatformOfOS(runtime.GOOS),
	}
}

// runChecks runs checks, renders the report and returns the exit status it calls for.
func (a *app) runChecks(ctx context.Context, command string, checks []diag.Check) error {
	report := a.diagnose(ctx, a.env(), command, checks)
	if err := a.emit(report); err != nil {
		return err
	}
	if code := report.ExitCode(a.opts.strict); code != exitOK {
		return exitStatus(code)
	}
	return nil
}

// diagnose runs checks in env and makes their report.
func (a *app) diagnose(ctx context.Context, env *diag.Env, command string, checks []diag.Check) diag.Report {
	started := env.Now()
	results, interrupted := diag.Run(ctx, env, checks)
	if env.Platform == "" {
		// The phone said what it runs: the steps are for it, as if --platform said so.
		env.Platform = measuredPlatform(results)
	}
	return diag.NewReport(results, diag.Meta{
		ToolVersion: toolVersion(), Command: command, Now: started,
		Interrupted: interrupted, Env: env, Tried: a.opts.tried,
	})
}

// measuredPlatform is the platform the phone check measured, or "".
func measuredPlatform(results []diag.Result) string {
	for _, r := range results {
		if f, ok := r.Facts.(*diag.PhoneFacts); ok {
			return f.Platform
		}
	}
	return ""
}

// emit writes the report in --format to stdout and, with --output, to that file too
// (created 0600), in the same format but laid out for no terminal: stdout is the same
// with or without --output. Stdout comes first: a file that cannot be written must not
// cost the user the diagnosis.
func (a *app) emit(report diag.Report) error {
	if err := diag.Render(a.io.Out, report, a.opts.format, a.renderOptions(a.io.OutTTY, width(a.io.OutSize))); err != nil {
		return err
	}
	return a.writeOutput(report)
}

// writeOutput writes the report in --format to --output (created 0600), when given.
func (a *app) writeOutput(report diag.Report) error {
	if a.opts.output == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := diag.Render(&buf, report, a.opts.format, a.renderOptions(false, layout.DefaultWidth)); err != nil {
		return err
	}
	if err := fileio.WriteFile(a.opts.output, buf.Bytes(), 0o600); err != nil {
		return outputError(err)
	}
	fmt.Fprintf(a.io.Err, "report written to %s\n", diag.Visible(a.opts.output))
	return nil
}

// outputError is --output's file refused, before the run or when written.
func outputError(err error) error {
	return usagef("give --output a file in a folder that exists and that you can write to", "cannot write the report: %v", err)
}

// writeJSON writes v as indented JSON, the way every JSON output of otpdoctor looks.
func writeJSON(w io.Writer, v any) error { return diag.WriteJSON(w, v) }

// renderOptions are -v's, the colour's and the width's, for output to a terminal
// (tty) or not.
func (a *app) renderOptions(tty bool, width int) diag.RenderOptions {
	return diag.RenderOptions{
		Verbose: a.opts.verbose >= 1, Facts: a.opts.verbose >= 2,
		Color: a.io.colorFor(tty, a.opts.noColor), Width: width,
	}
}
