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
// Several files (repeated --secret-file and --qr) are read as one source.
func (a *app) keySource() (*secret.Source, error) {
	in := &a.intake
	if in.read {
		return in.source, in.err
	}
	in.read = true
	inputs, err := a.readKeyInputs()
	defer func() {
		for _, input := range inputs {
			clear(input.data) // the raw text holds the key; keep it no longer than needed
		}
	}()
	if err != nil || len(inputs) == 0 {
		if len(inputs) == 1 {
			in.origin = inputs[0].origin
		}
		in.err = err
		return nil, err
	}
	sources := make([]*secret.Source, len(inputs))
	origins := make([]string, len(inputs))
	for i, input := range inputs {
		if sources[i], in.err = a.parseKeyInput(input); in.err != nil {
			return nil, in.err
		}
		origins[i] = input.origin
	}
	in.origin, in.source = origins[0], sources[0]
	if len(inputs) > 1 {
		in.origin = fmt.Sprintf("the %d files given", len(inputs))
		in.source = secret.Merge(origins, sources)
	}
	return in.source, nil
}

// parseKeyInput reads one key input, or says why it is no key source (a usage error).
func (a *app) parseKeyInput(input keyInput) (*secret.Source, error) {
	data, origin := input.data, input.origin
	if len(bytes.TrimSpace(data)) == 0 {
		empty := origin + " is empty: there is no key in it"
		if a.opts.askSecret {
			empty = "nothing was typed at the prompt"
		}
		return nil, usagef("give the key as base32 text, an otpauth:// URI, an app export or a QR code image", "%s", empty)
	}
	src, err := secret.Parse(data)
	var refusal *secret.Refusal
	switch {
	case errors.As(err, &refusal) && errors.Is(err, secret.ErrEncrypted):
		return nil, usagef(refusal.Hint, "%s is %s: otpdoctor never asks for backup passwords", origin, refusal.What)
	case errors.As(err, &refusal):
		return nil, usagef(refusal.Hint, "%s is %s", origin, refusal.What)
	case errors.Is(err, secret.ErrNoKey):
		return nil, usagef("give the key as base32 text, an otpauth:// URI, an app export or a QR code image", "%s: %v", origin, err)
	case err != nil && secret.IsImage(data):
		return nil, usagef("give a sharp PNG, JPEG, GIF, WebP or BMP screenshot of the QR code, or the key as text with --secret-file", "%s: %v", origin, err)
	case err != nil:
		return nil, usagef("give a base32 key, an otpauth:// URI, a QR code image, or an app's export (docs/key-sources.md lists the ones otpdoctor reads)",
			"%s: %v", origin, err)
	case len(src.Entries) == 0:
		return nil, usagef("export the backup again from the app, with the accounts in it", "%s holds no accounts", origin)
	}
	return src, nil
}

// keyInputFlags are the ways a key can be given on the command line. --secret-file and
// --qr may be repeated and combined (the files are read as one source); --secret and
// --ask-secret exclude every other way.
func (a *app) keyInputFlags() []string {
	o := a.opts
	var given []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"--secret-file", len(o.secretFiles) > 0}, {"--qr", len(o.qrs) > 0}, {"--secret", o.secret != ""}, {"--ask-secret", o.askSecret}} {
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
	for _, f := range a.opts.secretFiles {
		if f == "-" {
			readers = append(readers, "--secret-file")
		}
	}
	for _, f := range a.opts.qrs {
		if f == "-" {
			readers = append(readers, "--qr")
		}
	}
	if a.opts.profiles == "-" {
		readers = append(readers, "--profiles")
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

// keyInput is one key source as given: its raw bytes and how messages name it.
type keyInput struct {
	data   []byte
	origin string // "key.txt", "standard input", "--secret", "the prompt", OTPDOCTOR_SECRET
}

// readKeyInputs reads the raw key sources given: none when no key was given.
func (a *app) readKeyInputs() ([]keyInput, error) {
	o := a.opts
	given := a.keyInputFlags()
	if len(given) > 1 && (o.secret != "" || o.askSecret) {
		return nil, usagef("give the key one way only", "%s cannot be used together", strings.Join(given, " and "))
	}
	var inputs []keyInput
	for _, path := range o.secretFiles {
		input, err := a.readSecretFile(path)
		if err != nil {
			return []keyInput{input}, err
		}
		inputs = append(inputs, input)
	}
	for _, path := range o.qrs {
		input, err := a.readQRFile(path)
		if err != nil {
			return []keyInput{input}, err
		}
		inputs = append(inputs, input)
	}
	if len(inputs) > 0 {
		return inputs, nil
	}
	switch {
	case o.secret != "":
		fmt.Fprintln(a.io.Err, "warning: --secret puts the key on the command line, where other users of this computer can see it and your shell history keeps it; prefer --secret-file, OTPDOCTOR_SECRET or --ask-secret")
		return []keyInput{{[]byte(o.secret), "--secret"}}, nil
	case o.askSecret:
		input := keyInput{origin: "the prompt"}
		if !a.io.InTTY {
			return []keyInput{input}, usagef("pipe the key in with --secret-file - instead", "--ask-secret needs a terminal to type the key at")
		}
		fmt.Fprint(a.io.Err, "2FA key (typing is hidden): ")
		data, err := readHidden(a.io)
		fmt.Fprintln(a.io.Err)
		if errors.Is(err, errPromptInterrupted) {
			return []keyInput{input}, exitStatus(exitInterrupted)
		}
		if err != nil {
			return []keyInput{input}, usagef("type the key at the prompt, or use --secret-file", "cannot read the key at the prompt: %v", err)
		}
		input.data = data
		return []keyInput{input}, nil
	case a.typedKey != nil:
		return []keyInput{{a.typedKey, "the key you pasted"}}, nil
	case a.io.Getenv(secretEnv) != "":
		return []keyInput{{[]byte(a.io.Getenv(secretEnv)), secretEnv}}, nil
	}
	return nil, nil
}

// inputName is how messages name the input at path: "-" is standard input.
func inputName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// readSecretFile reads one --secret-file ("-" is standard input, never a terminal).
func (a *app) readSecretFile(path string) (keyInput, error) {
	input := keyInput{origin: inputName(path)}
	if path == "-" && a.io.InTTY {
		return input, terminalStdin("--secret-file", "the key would show as you type it",
			"use --ask-secret to type the key hidden, or pipe it in: pass show 2fa/github | otpdoctor secret --secret-file -")
	}
	data, err := fileio.ReadFile(a.ctx, path, a.io.In, fileio.MaxInput)
	if err != nil {
		return input, usagef("give a readable file of at most 1 MiB holding the key", "cannot read the key: %v", err)
	}
	a.warnIfShared(path)
	input.data = data
	return input, nil
}

// readQRFile reads one --qr image ("-" is standard input, never a terminal).
func (a *app) readQRFile(path string) (keyInput, error) {
	input := keyInput{origin: path}
	if path == "-" && a.io.InTTY {
		return input, terminalStdin("--qr", "an image cannot be typed", "give the image's file name, or pipe it in: otpdoctor secret --qr - < screenshot.png")
	}
	data, err := fileio.ReadFile(a.ctx, path, a.io.In, secret.MaxImageBytes)
	if err != nil {
		return input, usagef("give a PNG, JPEG, GIF, WebP or BMP screenshot of the QR code", "cannot read the QR image: %v", err)
	}
	var refusal *secret.Refusal
	if !secret.IsImage(data) && errors.As(secret.Refuse(data), &refusal) {
		return input, usagef(refusal.Hint, "%s is %s", path, refusal.What) // a HEIC photo, say
	}
	if !secret.IsImage(data) {
		return input, usagef("for a key, URI or export in a text file, use --secret-file", "%s is not a PNG, JPEG, GIF, WebP or BMP image", path)
	}
	a.warnIfShared(path)
	input.data = data
	return input, nil
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
		hint := "pick one with --account and part of its issuer or name"
		if missing := src.MissingBatches(); len(missing) > 0 {
			hint = strings.Join(missing, "; ") + ": give them all, with one --qr each"
		}
		return secret.Entry{}, usagef(hint, "no account in %s matches --account %q; it holds:\n%s", origin, account, candidateList(src.Entries))
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
