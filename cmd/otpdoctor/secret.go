package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/layout"
	"github.com/otpdoctor/otpdoctor/internal/qrterm"
)

func init() { registerCommand("secret", newSecretCmd) }

// noKeyHint says how to give a key; the secret commands and the skipped check share it.
const noKeyHint = "give --secret-file FILE, --qr IMAGE, OTPDOCTOR_SECRET or --ask-secret to check your key"

// secretPart is the secret check as `check` and `secret` see it. Its flags are the
// global key flags (intake.go).
type secretPart struct{}

func (p *secretPart) addFlags(*pflag.FlagSet) {}

func (p *secretPart) build(a *app) (diag.Check, error) {
	src, err := a.keySource()
	if err != nil {
		return nil, err
	}
	if src == nil {
		return diag.Skipped{CheckID: secret.CheckID, CheckTitle: secret.CheckTitle, Reason: noKeyHint}, nil
	}
	if _, err := a.key(); err != nil && !errors.As(err, new(*secret.ParseError)) {
		return nil, err
	}
	return &secret.Check{Entry: a.intake.entry, Source: src}, nil
}

// requireKeySource is the key source, or a usage error when none was given: the secret
// commands have nothing to do without one.
func (a *app) requireKeySource() (*secret.Source, error) {
	src, err := a.keySource()
	if err == nil && src == nil {
		return nil, usagef(noKeyHint, "no 2FA key given")
	}
	return src, err
}

func newSecretCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secret",
		Short: "Check your 2FA key: that it reads, is long enough, and suits your app",
		Long: `Check one 2FA key: that it is valid base32 (and which character is wrong if not),
long enough, and has parameters (algorithm, digits, period) your authenticator app
handles. The key is never shown; reports name it by its fingerprint.

The key can be raw base32 as services print it, an otpauth:// URI, a Google
Authenticator export (otpauth-migration://), a QR code image (PNG, JPEG, GIF), a file
of otpauth URIs, or an Aegis or 2FAS unencrypted JSON backup. Give it with
--secret-file FILE (- for stdin), --qr IMAGE, OTPDOCTOR_SECRET or --ask-secret.
With several accounts in one source, pick one with --account.`,
		Example: `  otpdoctor secret --secret-file key.txt
  otpdoctor secret --qr screenshot.png --app authy
  otpdoctor secret --secret-file aegis-export.json --account github
  pass show 2fa/github | otpdoctor secret --secret-file -`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if _, err := a.requireKeySource(); err != nil {
				return err
			}
			return a.runParts(c.Context(), "secret", []part{&secretPart{}})
		},
	}
	cmd.AddCommand(newSecretListCmd(a), newSecretShowCmd(a))
	return cmd
}

func newSecretListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the accounts in a key source, with their fingerprints, never their keys",
		Long: `List every account in a key source (an export, a backup, a file of URIs): issuer,
account, type, parameters and key fingerprint, with what is wrong with each, and the
accounts that appear twice with different keys (the stale entry gives refused codes).`,
		Example: `  otpdoctor secret list --secret-file aegis-export.json
  otpdoctor secret list --qr google-export.png --format json
  otpdoctor secret list --qr export-1.png --qr export-2.png --qr export-3.png`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			src, err := a.requireKeySource()
			if err != nil {
				return err
			}
			return a.runChecks(c.Context(), "secret list", secret.ListChecks(src))
		},
	}
}

// revealed is what `secret show --reveal` prints.
type revealed struct {
	Issuer      string `json:"issuer"`
	Account     string `json:"account"`
	Fingerprint string `json:"fingerprint"`
	Secret      string `json:"secret"`
	URI         string `json:"uri"`
}

func newSecretShowCmd(a *app) *cobra.Command {
	var reveal, invert bool
	cmd := &cobra.Command{
		Use:   "show --reveal",
		Short: "Print the key, a clean otpauth URI and a QR code, to move it to a new app",
		Long: `Print one key in the forms an authenticator app takes: canonical base32 (to type in as
a "setup key"), a clean otpauth:// URI, and a QR code drawn in the terminal (to scan).
This shows your key: anyone who sees it can make your codes. It needs --reveal.`,
		Example: `  otpdoctor secret show --reveal --secret-file google-export.png --account github
  otpdoctor secret show --reveal --qr old-setup.png --invert   # the code does not scan`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if !reveal {
				return usagef("add --reveal if you mean it, where nobody can see your screen",
					"secret show prints your 2FA key, so it needs --reveal")
			}
			if a.opts.output != "" {
				return usagef("leave out --output: otpdoctor does not write keys to files", "secret show does not write to --output")
			}
			if _, err := a.requireKeySource(); err != nil {
				return err
			}
			k, err := a.key()
			if errors.As(err, new(*secret.ParseError)) {
				return usagef("run 'otpdoctor secret' with the same key to see what is wrong", "%v", err)
			}
			if err != nil {
				return err
			}
			return a.reveal(*k, invert)
		},
	}
	cmd.Flags().BoolVar(&reveal, "reveal", false, "print the key (required)")
	cmd.Flags().BoolVar(&invert, "invert", false, "swap the QR code's dark and light (otpdoctor asks the terminal its background where it can; use this when the code does not scan)")
	return cmd
}

// reveal prints k for `secret show --reveal`: the only place a key is printed. On a
// terminal the QR code is drawn to fit the window (or the window's needed size is
// said), for the terminal's background, with the setup key in groups of four under
// it, to type by hand.
func (a *app) reveal(k secret.Key, invert bool) error {
	out := revealed{Issuer: k.Issuer, Account: k.Account, Fingerprint: k.Fingerprint(), Secret: secret.EncodeBase32(k.Secret), URI: k.URI()}
	warning := "warning: this is your 2FA key: anyone who sees it can make your codes. Clear the screen and your terminal's scrollback when done."
	fmt.Fprintln(a.io.Err, strings.Join(layout.Wrap(warning, width(a.io.ErrSize)), "\n"))
	if a.opts.format == diag.FormatJSON {
		return writeJSON(a.io.Out, out)
	}
	width := width(a.io.OutSize)
	lines := []string{
		"Account:      " + diag.Visible(secret.Entry{Key: k}.Name()),
		"Fingerprint:  " + out.Fingerprint,
		"Key (base32): " + out.Secret,
		"URI:          " + out.URI,
		"",
	}
	setupKey := layout.Hanging("Setup key, to type by hand: ", inFours(out.Secret), width)
	window, background := a.qrWindow(invert)
	if cols, rows, ok := a.terminalSize(); ok {
		// The code, the setup key under it and the shell's prompt after them must all
		// be on screen at once.
		window.Cols, window.Rows = cols, rows-len(setupKey)-1
	}
	qr, err := qrterm.Draw(out.URI, window)
	var small *qrterm.TooSmallError
	switch {
	case errors.As(err, &small):
		lines = append(lines, layout.Wrap(fmt.Sprintf("No QR code: it needs a window of at least %d columns and %d rows, and this one has %d × %d. "+
			"Make the window bigger or the font smaller (Ctrl and -), then run this again; or type the setup key.",
			small.NeedCols, small.NeedRows+len(setupKey)+1, small.HaveCols, small.HaveRows+len(setupKey)+1), width)...)
	case err != nil:
		return err
	default:
		lines = append(lines, layout.Wrap("Scan this with your authenticator app ("+background+"):", width)...)
		lines = append(lines, qr...)
	}
	lines = append(lines, setupKey...)
	_, err = fmt.Fprintln(a.io.Out, strings.Join(lines, "\n"))
	return err
}

// terminalSize is the size of the terminal stdout writes to, if it is one.
func (a *app) terminalSize() (cols, rows int, ok bool) {
	if !a.io.OutTTY || a.io.OutSize == nil {
		return 0, 0, false
	}
	return a.io.OutSize()
}

// qrWindow is how to draw a QR code on stdout: dark on light where the terminal's
// background is light (asked of the terminal), light on dark otherwise; --invert
// swaps them. background says which, for the caption.
func (a *app) qrWindow(invert bool) (w qrterm.Window, background string) {
	light, known := false, false
	if a.io.OutTTY && a.io.LightBackground != nil {
		light, known = a.io.LightBackground()
	}
	background = "drawn for a dark background; add --invert if it does not scan"
	if known {
		background = "drawn for this terminal's " + map[bool]string{true: "light", false: "dark"}[light] + " background; add --invert if it does not scan"
	}
	if invert {
		light = !light
		background = "inverted by --invert"
	}
	return qrterm.Window{Light: light}, background
}

// inFours is a key in groups of four characters, as services print setup keys.
func inFours(key string) string {
	var groups []string
	for len(key) > 4 {
		groups = append(groups, key[:4])
		key = key[4:]
	}
	return strings.Join(append(groups, key), " ")
}
