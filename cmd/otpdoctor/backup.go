package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/backup"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
	"github.com/otpdoctor/otpdoctor/profile"
)

func init() { registerCommand("backup", newBackupCmd) }

// backupPart is the backup check on the command line: --backup-code and --backup-file.
type backupPart struct {
	codes []string
	files []string
	// reveal lets the report name the codes a mistyped code was probably meant to be
	// (backup --reveal only: check and ticket write reports meant for others).
	reveal bool
}

const backupSkipReason = "give --backup-code CODE or --backup-file FILE to check your backup codes"

func (p *backupPart) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&p.codes, "backup-code", nil, "a backup or recovery `CODE` to check (repeatable)")
	fs.StringArrayVar(&p.files, "backup-file", nil, "check the backup codes in `FILE` (- for stdin), e.g. github-recovery-codes.txt (repeatable: the newest file is the current set)")
	markSecret(fs, "backup-code")
}

func (p *backupPart) given() bool { return len(p.codes) > 0 || len(p.files) > 0 }

func (p *backupPart) build(a *app) (diag.Check, error) {
	if !p.given() {
		return diag.Skipped{CheckID: backup.ID, CheckTitle: backup.Title, Reason: backupSkipReason}, nil
	}
	c := &backup.Check{Catalog: a.profiles, Reveal: p.reveal, Codes: p.codes}
	for i, text := range p.codes {
		if profile.NormalizeCode(text) == "" {
			return nil, usagef("give the code as the service printed it, e.g. --backup-code 1a2b3-c4d5e", "--backup-code %d is empty", i+1)
		}
	}
	var fromStdin []string
	for _, path := range p.files {
		if path == "-" {
			fromStdin = append(fromStdin, "--backup-file")
		}
	}
	if err := a.oneStdinReader(fromStdin...); err != nil {
		return nil, err
	}
	for _, path := range p.files {
		file, err := readBackupFile(a, path)
		if err != nil {
			return nil, err
		}
		c.Files = append(c.Files, file)
	}
	if path, err := backup.DefaultLedgerPath(); err == nil {
		c.Ledger = &backup.Ledger{Path: path}
	}
	// The key, when one was given and reads, is compared with a backup key; a key that
	// does not read is the secret check's finding, not this check's.
	if key, err := a.key(); err == nil {
		c.Key = key
	}
	return c, nil
}

// readBackupFile reads a file of codes the service let the user download.
func readBackupFile(a *app, path string) (*backup.File, error) {
	if path == "-" && a.io.InTTY { // else the terminal waits with no word of what for
		fmt.Fprintln(a.io.Err, "type or paste the backup codes, one a line, then press Ctrl-D (Ctrl-Z and Enter on Windows)")
	}
	data, err := fileio.ReadFile(a.ctx, path, a.io.In, fileio.MaxInput)
	if err != nil {
		return nil, usagef("give the file the service let you download, or the codes with --backup-code", "cannot read the backup codes: %v", err)
	}
	name, saved := path, time.Time{}
	if path == "-" {
		name = "standard input"
	} else if info, err := os.Stat(path); err == nil {
		saved = info.ModTime()
	}
	file, err := backup.NewFile(name, saved, data, a.service)
	if errors.Is(err, backup.ErrNoCodes) {
		return nil, usagef("give the file the service let you download, or the codes with --backup-code; is --service right?",
			"%s: no backup codes found in it (nothing shaped like %s's codes)", name, a.service.Name)
	}
	if err != nil {
		return nil, usagef("give the text file of codes the service let you download", "%s: %v", name, err)
	}
	return file, nil
}

func newBackupCmd(a *app) *cobra.Command {
	p := &backupPart{}
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Check backup codes: typos, format, already used, which set",
		Long: `Check backup (recovery) codes against what the service issues: characters copied
wrong (O for 0, l for 1) with the code probably meant, a character dropped or typed
twice, codes given twice, codes from an older set that a new one voided, an
authenticator code given as a backup code, and codes marked used with
'otpdoctor backup mark-used'. Name the service with --service (see 'otpdoctor services').

Reports name a mistyped code's wrong characters by position ("character 8 is the
letter O; it is probably the digit 0"), never a whole code: they end up in tickets.
--reveal adds the codes probably meant, for your eyes only.

Some services' "backup key" (Binance, Kraken) is the authenticator key itself: given
as a backup code, otpdoctor shows the code it makes now (never the key) so you can
compare it with your app.`,
		Example: `  otpdoctor backup --service github --backup-file github-recovery-codes.txt
  otpdoctor backup --service google --backup-code "1234 5678"
  otpdoctor backup --service google --backup-code "1234 567O" --reveal   # show the code meant
  otpdoctor backup --service binance --backup-code "ABCD EFGH IJKL MNOP"
  otpdoctor backup mark-used --service github 1a2b3-c4d5e`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if !p.given() {
				return usagef("for example: otpdoctor backup --service github --backup-file github-recovery-codes.txt", "no backup codes given: %s", backupSkipReason)
			}
			return a.runParts(c.Context(), "backup", []part{p})
		},
	}
	p.addFlags(cmd.Flags())
	cmd.Flags().BoolVar(&p.reveal, "reveal", false, "name the whole codes a mistyped code was probably meant to be (keep the output to yourself)")
	cmd.AddCommand(newMarkUsedCmd(a))
	return cmd
}

func newMarkUsedCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:         "mark-used CODE...",
		Annotations: map[string]string{takesSecret: "the backup codes spent"},
		Short:       "Record that backup codes were spent, so later checks flag them",
		Long: `Record that backup codes were spent, for the service --service names. The ledger
lives in otpdoctor's directory in your config directory and holds only salted SHA-256
hashes of the codes with the service and the date, never the codes. 'otpdoctor backup'
then reports a marked code as used, and how many of your set remain.`,
		Example: `  otpdoctor backup mark-used --service github 1a2b3-c4d5e
  otpdoctor backup mark-used --service google "1234 5678" "2345 6789"`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("for example: otpdoctor backup mark-used --service github 1a2b3-c4d5e", "give the code you used")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			path, err := backup.DefaultLedgerPath()
			if err != nil {
				return usagef("set HOME (or XDG_CONFIG_HOME) so otpdoctor has somewhere to keep the ledger", "%v", err)
			}
			return markUsed(a, c, &backup.Ledger{Path: path}, args)
		},
	}
}

func markUsed(a *app, c *cobra.Command, ledger *backup.Ledger, args []string) error {
	if a.service.ID == profile.GenericID {
		return usagef("name the service, e.g. otpdoctor backup mark-used --service github 1a2b3-c4d5e (see 'otpdoctor services')",
			"mark-used needs --service: the ledger keeps each service's used codes apart")
	}
	// Judge every code before marking any: a typo must not half-record a list.
	verdicts := make([]backup.Verdict, len(args))
	for i, text := range args {
		v := backup.Judge(a.service, text)
		switch v.Kind {
		case backup.Valid:
			verdicts[i] = v
			continue
		case backup.NoBackupCodes:
			return usagef("there is nothing to mark; is --service right? (see 'otpdoctor services')", "code %d %s", i+1, v.Describe(a.service))
		}
		return usagef("mark the code as the service printed it", "code %d %s", i+1, v.Describe(a.service))
	}
	for _, v := range verdicts {
		shown := backup.Mask(v.Format, v.Norm)
		entry, already, err := ledger.Mark(c.Context(), a.service.ID, v.Norm, a.now())
		switch {
		case err != nil:
			return ledgerError(ledger, err)
		case already:
			fmt.Fprintf(a.io.Out, "%s was already marked used on %s\n", shown, entry.Marked.Format(backup.MarkedLayout))
		default:
			fmt.Fprintf(a.io.Out, "marked %s used for %s\n", shown, diag.Visible(a.service.Name))
		}
	}
	entries, err := ledger.Read()
	if err != nil {
		return ledgerError(ledger, err)
	}
	n := entries.Count(a.service.ID)
	line := fmt.Sprintf("%d %s %s marked used in %s", n, a.service.Name, diag.Plural(n, "code is", "codes are"), ledger.Path)
	if f := verdicts[0].Format; f.Issued > 0 {
		line += fmt.Sprintf("; %s issues %d per set", a.service.Name, f.Issued)
		if left := f.Issued - n; left > 0 {
			line += fmt.Sprintf(", so about %d of your current set remain", left)
		} else {
			line += ": make a new set soon"
		}
	}
	fmt.Fprintln(a.io.Out, diag.Visible(line))
	return nil
}

// ledgerError is the usage error for a ledger that cannot be read or written.
func ledgerError(ledger *backup.Ledger, err error) error {
	if errors.As(err, new(*backup.CorruptError)) {
		return usagef("otpdoctor leaves the file untouched: move "+ledger.Path+" aside, and it starts a new ledger; then mark your spent codes again", "%v", err)
	}
	return usagef("try again; if it keeps failing, check the permissions of "+ledger.Path, "%v", err)
}
