package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/otpdoctor/otpdoctor/checks/secret"
	"github.com/otpdoctor/otpdoctor/diag"
	"github.com/otpdoctor/otpdoctor/internal/fileio"
)

// secretEnv is the environment variable a key may come from.
const secretEnv = "OTPDOCTOR_SECRET"

// intake is the run's key source, read once: stdin and the prompt cannot be read twice,
// and several checks ask for the key.
type intake struct {
	read   bool
	source *secret.Source
	origin string // how the key was given, for messages: "--secret-file key.txt"
	err    error

	picked bool
	entry  secret.Entry // the account picked, readable or not
	key    *secret.Key
	keyErr error
}

// key returns the one 2FA key the user gave, read from one of --secret-file PATH
// ("-" = stdin), --qr IMAGE, --secret VALUE (with a warning that argv is visible) or a
// hidden prompt (--ask-secret, stdin a terminal), which exclude each other, or else
// from OTPDOCTOR_SECRET. With several accounts in the source, --account picks one.
// The form is recognised from the content (base32, otpauth:// URIs, Google
// Authenticator export, QR image, Aegis or 2FAS JSON). The result is memoised: every
// caller gets the same key, and the source is read once.
//
// Contract:
//   - (nil, nil): no key source was given at all.
//   - (key, nil): the key, sound enough to compute codes with. It may still have
//     findings (short, odd parameters): the secret check reports those.
//   - (nil, err) with errors.As(err, new(*secret.ParseError)): a key was given but is
//     malformed. Not a usage error: checks that need the key skip with "the key could
//     not be read (see the secret check)"; the secret check reports it as secret-invalid.
//   - (nil, err) otherwise: a usage error (exit 2): the source cannot be read (missing
//     file, too large, encrypted backup, not a key source), or --account matches no
//     account or several; or exitStatus(exitInterrupted) for Ctrl-C at the prompt.
//     Return it as it is.
func (a *app) key() (*secret.Key, error) {
	in := &a.intake
	if in.picked {
		return in.key, in.keyErr
	}
	in.picked = true
	src, err := a.keySource()
	if src == nil || err != nil {
		in.keyErr = err
		return nil, err
	}
	entry, err := pickEntry(src, a.opts.account, in.origin)
	in.entry = entry
	switch {
	case err != nil:
		in.keyErr = err
	case entry.Err != nil:
		in.keyErr = fmt.Errorf("%s: %w", in.origin, entry.Err)
	default:
		k := entry.Key
		in.key = &k
	}
	return in.key, in.keyErr
}

// keySource reads the whole key source once: (nil, nil) when none was given, a usage
// error when it cannot be read. `secret list` shows all of it; key picks one account.
func (a *app) keySource() (*secret.Source, error) {
	in := &a.intake
	if in.read {
		return in.source, in.err
	}
	in.read = true
	data, origin, err := a.readKeyInput()
	in.origin = origin
	if err != nil || origin == "" {
		in.err = err
		return nil, err
	}
	defer clear(data) // the raw text holds the key; keep it no longer than needed
	if len(bytes.TrimSpace(data)) == 0 {
		empty := origin + " is empty: there is no key in it"
		if a.opts.askSecret {
			empty = "nothing was typed at the prompt"
		}
		in.err = usagef("give the key as base32 text, an otpauth:// URI, an app export or a QR code image", "%s", empty)
		return nil, in.err
	}
	src, err := secret.Parse(data)
	var refusal *secret.Refusal
	switch {
	case errors.As(err, &refusal) && errors.Is(err, secret.ErrEncrypted):
		in.err = usagef(refusal.Hint, "%s is %s: otpdoctor never asks for backup passwords", origin, refusal.What)
	case errors.As(err, &refusal):
		in.err = usagef(refusal.Hint, "%s is %s", origin, refusal.What)
	case errors.Is(err, secret.ErrNoKey):
		in.err = usagef("give the key as base32 text, an otpauth:// URI, an app export or a QR code image", "%s: %v", origin, err)
	case err != nil && secret.IsImage(data):
		in.err = usagef("give a sharp PNG, JPEG, GIF, WebP or BMP screenshot of the QR code, or the key as text with --secret-file", "%s: %v", origin, err)
	case err != nil:
		in.err = usagef("give a base32 key, an otpauth:// URI, a QR code image, or an app's export (docs/key-sources.md lists the ones otpdoctor reads)",
			"%s: %v", origin, err)
	case len(src.Entries) == 0:
		in.err = usagef("export the backup again from the app, with the accounts in it", "%s holds no accounts", origin)
	default:
		in.source = src
	}
	return in.source, in.err
}

// keyInputFlags are the ways a key can be given on the command line, each excluding
// the others.
func (a *app) keyInputFlags() []string {
	o := a.opts
	var given []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"--secret-file", o.secretFile != ""}, {"--qr", o.qr != ""}, {"--secret", o.secret != ""}, {"--ask-secret", o.askSecret}} {
		if f.set {
			given = append(given, f.name)
		}
	}
	return given
}

// oneStdinReader refuses a run where several flags read standard input ("-"): the
// first reader would take it all and leave the others nothing. It counts the key and
// profile flags, and extra: a command's own flags given as -.
func (a *app) oneStdinReader(extra ...string) error {
	readers := extra
	for _, f := range []struct{ name, value string }{{"--secret-file", a.opts.secretFile}, {"--qr", a.opts.qr}, {"--profiles", a.opts.profiles}} {
		if f.value == "-" {
			readers = append(readers, f.name)
		}
	}
	if len(readers) > 1 {
		return usagef("give only one input as -; save the others to files",
			"standard input (-) is given %d times (%s): it can be read only once", len(readers), strings.Join(readers, ", "))
	}
	return nil
}

// terminalStdin refuses flag given as - when standard input is this terminal, where
// what the flag wants cannot (or must not) be typed.
func terminalStdin(flag, why, hint string) error {
	return usagef(hint, "%s - reads standard input, which is this terminal: %s", flag, why)
}

// readKeyInput reads the raw key source and says where it came from: origin is "" when
// no key was given.
func (a *app) readKeyInput() (data []byte, origin string, err error) {
	o := a.opts
	if given := a.keyInputFlags(); len(given) > 1 {
		return nil, "", usagef("give the key one way only", "%s cannot be used together", strings.Join(given, " and "))
	}
	switch {
	case o.secretFile != "":
		origin = o.secretFile
		if o.secretFile == "-" {
			if a.io.InTTY {
				return nil, "", terminalStdin("--secret-file", "the key would show as you type it",
					"use --ask-secret to type the key hidden, or pipe it in: pass show 2fa/github | otpdoctor secret --secret-file -")
			}
			origin = "standard input"
		}
		data, err = fileio.ReadFile(o.secretFile, a.io.In, fileio.MaxInput)
		if err != nil {
			return nil, origin, usagef("give a readable file of at most 1 MiB holding the key", "cannot read the key: %v", err)
		}
		a.warnIfShared(o.secretFile)
	case o.qr != "":
		if o.qr == "-" && a.io.InTTY {
			return nil, "", terminalStdin("--qr", "an image cannot be typed", "give the image's file name, or pipe it in: otpdoctor secret --qr - < screenshot.png")
		}
		origin = o.qr
		data, err = fileio.ReadFile(o.qr, a.io.In, secret.MaxImageBytes)
		if err != nil {
			return nil, origin, usagef("give a PNG, JPEG or GIF screenshot of the QR code", "cannot read the QR image: %v", err)
		}
		if !secret.IsImage(data) {
			return nil, origin, usagef("for a key or URI in a text file, use --secret-file", "%s is not a PNG, JPEG or GIF image", origin)
		}
		a.warnIfShared(o.qr)
	case o.secret != "":
		origin = "--secret"
		fmt.Fprintln(a.io.Err, "warning: --secret puts the key on the command line, where other users of this computer can see it and your shell history keeps it; prefer --secret-file, OTPDOCTOR_SECRET or --ask-secret")
		data = []byte(o.secret)
	case o.askSecret:
		origin = "the prompt"
		if !a.io.InTTY {
			return nil, origin, usagef("pipe the key in with --secret-file - instead", "--ask-secret needs a terminal to type the key at")
		}
		fmt.Fprint(a.io.Err, "2FA key (typing is hidden): ")
		data, err = readHidden(a.io)
		fmt.Fprintln(a.io.Err)
		if errors.Is(err, errPromptInterrupted) {
			return nil, origin, exitStatus(exitInterrupted)
		}
		if err != nil {
			return nil, origin, usagef("type the key at the prompt, or use --secret-file", "cannot read the key at the prompt: %v", err)
		}
	case a.io.Getenv(secretEnv) != "":
		origin = secretEnv
		data = []byte(a.io.Getenv(secretEnv))
	}
	return data, origin, nil
}

// readHidden reads a line from the terminal without echoing it. Ctrl-C ends it at once
// with errPromptInterrupted, the terminal echoing again: the read itself would go on
// until Enter and take the next line typed for the key. Tests replace it.
var readHidden = func(s *streams) ([]byte, error) {
	f, ok := s.In.(*os.File)
	if !ok {
		return nil, errors.New("standard input is not a terminal")
	}
	fd := int(f.Fd())
	echoing, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	defer signal.Stop(interrupt)
	type line struct {
		text []byte
		err  error
	}
	typed := make(chan line, 1)
	go func() {
		text, err := term.ReadPassword(fd)
		typed <- line{text, err}
	}()
	select {
	case l := <-typed:
		return l.text, l.err
	case <-interrupt:
		term.Restore(fd, echoing)
		return nil, errPromptInterrupted
	}
}

// errPromptInterrupted is Ctrl-C at the key prompt.
var errPromptInterrupted = errors.New("interrupted at the prompt")

// warnIfShared warns when a key file can be read by other users of this computer.
func (a *app) warnIfShared(path string) {
	if path == "-" || runtime.GOOS == "windows" {
		return // Windows permissions are ACLs, not mode bits
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm()&0o077 == 0 {
		return
	}
	fmt.Fprintf(a.io.Err, "warning: %s can be read by other users of this computer (mode %04o): run chmod 600 %s\n",
		diag.Visible(path), info.Mode().Perm(), diag.Visible(path))
}

// pickEntry chooses the account --account names (part of its issuer or name, or its
// key fingerprint), or the only one. Ambiguity and no
// match are usage errors that list the candidates (issuer, name, fingerprint).
func pickEntry(src *secret.Source, account, origin string) (secret.Entry, error) {
	candidates := src.Entries
	if account != "" {
		candidates = src.Matching(account)
	}
	switch {
	case len(candidates) == 1:
		return candidates[0], nil
	case len(candidates) == 0:
		return secret.Entry{}, usagef("pick one with --account and part of its issuer or name",
			"no account in %s matches --account %q; it holds:\n%s", origin, account, candidateList(src.Entries))
	case account == "":
		return secret.Entry{}, usagef("pick one with --account and part of its issuer or name",
			"%s holds %d accounts:\n%s", origin, len(candidates), candidateList(candidates))
	}
	hint := "make --account longer, so it matches only one"
	if sameAccount(candidates) {
		hint = fmt.Sprintf("these are entries for one account with different keys: pick one by its fingerprint, e.g. --account %s", candidates[0].Fingerprint())
	}
	return secret.Entry{}, usagef(hint, "--account %q matches %d accounts in %s:\n%s", account, len(candidates), origin, candidateList(candidates))
}

// sameAccount reports whether entries all name one issuer and account.
func sameAccount(entries []secret.Entry) bool {
	for _, e := range entries[1:] {
		if !strings.EqualFold(e.Name(), entries[0].Name()) {
			return false
		}
	}
	return true
}

// candidateList shows accounts one a line: issuer, name and fingerprint, never the key.
func candidateList(entries []secret.Entry) string {
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "  %-24s %-32s fingerprint %s", diag.Visible(orDash(e.Key.Issuer)), diag.Visible(orDash(e.Key.Account)), e.Fingerprint())
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
