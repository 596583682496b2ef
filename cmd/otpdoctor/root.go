package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/profile"
)

// run executes otpdoctor with args and returns the process exit code.
func run(ctx context.Context, args []string, s *streams) int {
	a := &app{io: s, ctx: ctx}
	args = guideArgs(args, s)
	root := newRootCmd(a, args)
	root.SetArgs(args)
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	err := root.ExecuteContext(ctx)
	var status exitStatus
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil && !errors.As(err, &status):
		// Ctrl-C while reading input, which gives up at once: no error to report.
		fmt.Fprintln(s.Err, "otpdoctor: interrupted")
		return exitInterrupted
	}
	return reportError(s.Err, err)
}

// newRootCmd builds the command tree that runs args: only the command they name, when
// they name one, since building every command's flags and help costs more than the
// start of the process; the whole tree for anything else (no command, help,
// completion, a mistyped name that deserves suggestions). nil args build it whole.
func newRootCmd(a *app, args []string) *cobra.Command {
	root := &cobra.Command{
		Use:   "otpdoctor",
		Short: "Find out why your two-factor codes are refused, and fix it",
		Long: `otpdoctor is a doctor for rejected two-factor (2FA) codes.

It measures what can go wrong (this computer's clock, your authenticator's key and
clock, the code you typed, your backup codes, the service itself), names the most
likely cause, and prints the steps that fix it.

Run on a terminal with no arguments, it asks a few plain questions instead (the same
as 'otpdoctor guide'); with any argument, or piped, it does what it is told.

Start with:  otpdoctor        (or: otpdoctor check)`,
		Example: `  otpdoctor
  otpdoctor check
  otpdoctor check --service binance --code 123456
  otpdoctor check --format json --strict      # in CI`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			if err := refuseKeys(c, args); err != nil {
				return err
			}
			return a.prepare(c)
		},
	}
	root.SetFlagErrorFunc(flagError)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { writeHelp(c.OutOrStdout(), c, width(a.io.OutSize)) })
	root.SetHelpCommand(newHelpCmd(a))
	addGlobalFlags(root.PersistentFlags(), &a.opts)
	completeWith(root, "format", func() []string { return diag.Formats })
	completeWith(root, "platform", func() []string { return diag.Platforms })
	completeWith(root, "app", diag.Apps)
	completeWith(root, "service", func() []string { return profile.Builtin().IDs() })
	addVersionFlag(root)
	named := commandNamed(root, args)
	for _, c := range commands {
		if named == "" || c.name == named {
			root.AddCommand(c.build(a))
		}
	}
	if named != "" {
		// Shell completion is asked for by name: a run of another command skips it.
		root.CompletionOptions.DisableDefaultCmd = true
	}
	plainArgErrors(root)
	return root
}

// A namedCommand is one command of otpdoctor's and how to build it. Its name is the
// first word of the Use of the command build makes.
type namedCommand struct {
	name  string
	build func(*app) *cobra.Command
}

// commands are otpdoctor's commands; the files of the commands of each check (clock,
// secret, match, ...) add theirs in their init functions, so that each lives in one
// file of its own.
var commands = []namedCommand{
	{"check", newCheckCmd},
	{"ticket", newTicketCmd},
	{"explain", newExplainCmd},
	{"version", newVersionCmd},
}

func registerCommand(name string, build func(*app) *cobra.Command) {
	commands = append(commands, namedCommand{name, build})
}

// commandNamed is the name of the command of ours that args run, found as cobra finds
// it (root's flags and their values skipped), or "" when they run none.
func commandNamed(root *cobra.Command, args []string) string {
	probe := &cobra.Command{Use: root.Use}
	probe.PersistentFlags().AddFlagSet(root.PersistentFlags())
	for _, c := range commands {
		probe.AddCommand(&cobra.Command{Use: c.name})
	}
	found, _, err := probe.Find(args)
	if err != nil || found == probe {
		return ""
	}
	return found.Name()
}

// plainArgErrors turns cobra's argument errors ("accepts 1 arg(s), received 0", or
// `unknown command "JBSWY3DP..."` for a key typed where no argument belongs) into usage
// errors that show how the command is called and never repeat the arguments, which
// may be a key.
func plainArgErrors(c *cobra.Command) {
	if validate := c.Args; validate != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := refuseKeys(cmd, args); err != nil {
				return err // before cobra's "takes no arguments", which says nothing of a key
			}
			err := validate(cmd, args)
			if err == nil || errors.As(err, new(*usageError)) {
				return err
			}
			if expected := argsOf(cmd); expected != "" {
				return usagef("run it as: "+cmd.CommandPath()+" "+expected, "'%s' takes %s (%d given)", cmd.CommandPath(), expected, len(args))
			}
			return usagef("give its input with flags: run '"+cmd.CommandPath()+" --help' to see them",
				"'%s' takes no arguments (%d given)", cmd.CommandPath(), len(args))
		}
	}
	for _, sub := range c.Commands() {
		plainArgErrors(sub)
	}
}

// argsOf is what cmd's Use line says it takes after its name: "REPORT.json".
func argsOf(cmd *cobra.Command) string {
	_, args, _ := strings.Cut(cmd.Use, " ")
	return args
}

// completeWith makes shell completion offer values() for the persistent flag name.
func completeWith(root *cobra.Command, name string, values func() []string) {
	root.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values(), cobra.ShellCompDirectiveNoFileComp
	})
}

func addGlobalFlags(fs *pflag.FlagSet, o *globalOptions) {
	fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text, json, markdown or junit")
	countFlag(fs, &o.verbose, "verbose", "v", "show evidence and details under each check; -vv also every measured fact")
	fs.BoolVar(&o.noColor, "no-color", false, "never colour the output (NO_COLOR works too)")
	instantFlag(fs, &o.now, "now", "take this machine's clock to read this `INSTANT` (reproduce a case): RFC 3339 or unix seconds"+instantHelp())
	durationFlag(fs, &o.timeout, "timeout", 3*time.Second, "time limit for each network operation, as a `DURATION` such as 3s")
	fs.BoolVar(&o.offline, "offline", false, "use no network: report what can be known locally")
	fs.BoolVar(&o.strict, "strict", false, "exit 1 on warnings and errors too, not only failures")
	fs.StringVarP(&o.output, "output", "o", "", "also write the report to `FILE` in --format (created 0600); standard output stays the same")
	fs.StringVar(&o.service, "service", "", "the service `ID` you are locked out of (see 'otpdoctor services')")
	fs.StringVar(&o.profiles, "profiles", "", "add or override service profiles from a JSON `FILE`")
	fs.StringVar(&o.platform, "platform", "", "the `PLATFORM` of the device that holds your authenticator: android, ios, windows, macos, linux")
	fs.StringVar(&o.app, "app", "", "your authenticator `APP`, e.g. google-authenticator, authy, aegis")
	fs.StringArrayVar(&o.secretFiles, "secret-file", nil, "read the 2FA key from `FILE` (- for stdin): base32, otpauth URI, an app's export or backup; repeat it for several")
	fs.StringVar(&o.secret, "secret", "", "the 2FA `KEY` itself (visible to other users: prefer --secret-file or OTPDOCTOR_SECRET)")
	fs.StringArrayVar(&o.qrs, "qr", nil, "read the 2FA key from a QR code `IMAGE` (PNG, JPEG, GIF, WebP, BMP); repeat it for an export spread over several")
	fs.StringVar(&o.account, "account", "", "pick one account from a source with several: issuer or name contains `TEXT`, or TEXT is its key fingerprint")
	fs.BoolVar(&o.askSecret, "ask-secret", false, "ask for the 2FA key at a hidden prompt")
	markSecret(fs, "secret")
}
