package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"golang.org/x/term"
)

// errBack is Esc at a question: the guide goes back to the one before.
var errBack = errors.New("back to the previous question")

// errInputEnded is standard input ending before the guide's last question.
var errInputEnded = &usageError{msg: "standard input ended before the guide was done", hint: "answer every question, or run 'otpdoctor check' with flags instead"}

// asker puts the guide's questions: on a terminal as huh forms (arrows, Enter, Esc to go
// back), or in huh's accessible mode, one plain line per answer, for screen readers,
// TERM=dumb and --accessible.
type asker struct {
	in         io.Reader // the terminal; in accessible mode, a lineReader over it
	out        io.Writer
	accessible bool
	color      bool
	// terminal is standard input when it is a terminal, for hidden input in accessible
	// mode (read from its descriptor) and to restore it after Ctrl-C there.
	terminal *os.File
}

func newAsker(s *streams, accessible, color bool) *asker {
	q := &asker{in: s.In, out: s.Out, accessible: accessible, color: color}
	if f, ok := s.In.(*os.File); ok && s.InTTY {
		q.terminal = f
	}
	if accessible {
		q.in = &lineReader{r: bufio.NewReader(s.In)}
	}
	return q
}

// ask runs one question. It returns errBack for Esc, exitStatus(exitInterrupted) for
// Ctrl-C (the terminal restored), errInputEnded when accessible input ends.
func (q *asker) ask(ctx context.Context, field huh.Field, description string) error {
	if q.accessible {
		if description != "" {
			fmt.Fprintln(q.out, description)
		}
		return q.askLine(ctx, field)
	}
	describe(field, description)
	form := huh.NewForm(huh.NewGroup(field)).WithShowHelp(true).WithTheme(q.theme())
	form.SubmitCmd, form.CancelCmd = tea.Quit, tea.Interrupt
	m := &escapable{form: form}
	_, err := tea.NewProgram(m, tea.WithInput(q.in), tea.WithOutput(q.out), tea.WithContext(ctx)).Run()
	switch {
	case errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled), form.State == huh.StateAborted:
		return exitStatus(exitInterrupted)
	case err != nil:
		return err
	case m.back:
		return errBack
	}
	return nil
}

// describe sets field's description: the line under its title.
func describe(field huh.Field, description string) {
	switch f := field.(type) {
	case *huh.Select[string]:
		f.Description(description)
	case *huh.Input:
		f.Description(description)
	case *huh.Confirm:
		f.Description(description)
	}
}

func (q *asker) theme() *huh.Theme {
	if q.color {
		return huh.ThemeCharm()
	}
	return huh.ThemeBase()
}

// askLine runs a question in accessible mode. The prompt blocks in a read that cannot
// be cancelled, so Ctrl-C (ctx) leaves it running and returns at once, with the
// terminal's echo restored in case a hidden prompt had turned it off.
func (q *asker) askLine(ctx context.Context, field huh.Field) error {
	var restore func()
	if q.terminal != nil {
		if state, err := term.GetState(int(q.terminal.Fd())); err == nil {
			restore = func() { term.Restore(int(q.terminal.Fd()), state) }
		}
	}
	in := q.in
	if hiddenField(field) && q.terminal != nil {
		in = q.terminal // huh reads hidden input from the terminal's descriptor
	}
	if h, ok := field.(*huh.Input); ok && hiddenField(field) && q.terminal == nil {
		h.EchoMode(huh.EchoModeNormal) // not a terminal: nothing is echoed anyway
	}
	return q.await(ctx, restore, func() error {
		return huh.NewForm(huh.NewGroup(field)).WithAccessible(true).WithInput(in).WithOutput(q.out).RunWithContext(ctx)
	})
}

// line reads one line in accessible mode, after prompt.
func (q *asker) line(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(q.out, prompt)
	var text string
	err := q.await(ctx, nil, func() error {
		var err error
		text, err = q.in.(*lineReader).readLine()
		return err
	})
	fmt.Fprintln(q.out) // as huh ends each of its questions
	return text, err
}

// await runs read, which blocks on input and cannot be cancelled: on Ctrl-C (ctx) it
// is left behind and await returns at once, after restore. Input that ended is
// errInputEnded.
func (q *asker) await(ctx context.Context, restore func(), read func() error) error {
	done := make(chan error, 1)
	go func() { done <- read() }()
	select {
	case err := <-done:
		if q.in.(*lineReader).ended {
			return errInputEnded
		}
		return err
	case <-ctx.Done():
		if restore != nil {
			restore()
		}
		fmt.Fprintln(q.out)
		return exitStatus(exitInterrupted)
	}
}

// hiddenField reports whether field takes input that must not be echoed.
func hiddenField(field huh.Field) bool {
	h, ok := field.(*huh.Input)
	return ok && h.GetKey() == hiddenKey
}

// hiddenKey marks the inputs whose typing is hidden (keys, backup codes).
const hiddenKey = "hidden"

// hiddenInput is an input whose typing is hidden.
func hiddenInput() *huh.Input {
	return huh.NewInput().Key(hiddenKey).EchoMode(huh.EchoModePassword)
}

// escapable is a huh form that Esc leaves with back set, so that the guide can return to
// the previous question (a one-question form has no previous group of its own).
type escapable struct {
	form *huh.Form
	back bool
}

func (m *escapable) Init() tea.Cmd { return m.form.Init() }
func (m *escapable) View() string  { return m.form.View() }

func (m *escapable) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEsc {
		m.back = true
		return m, tea.Quit
	}
	next, cmd := m.form.Update(msg)
	m.form = next.(*huh.Form)
	return m, cmd
}

// lineReader hands huh's accessible prompts one line per Read. Each prompt wraps the
// input in a new bufio.Scanner, which would swallow the lines after its own when they
// arrive together (piped, or pasted); here they wait for the next prompt.
type lineReader struct {
	r     *bufio.Reader
	rest  []byte
	ended bool // the input ended: a prompt met EOF
}

// readLine reads the next line, without its end.
func (l *lineReader) readLine() (string, error) {
	var b []byte
	for {
		var chunk [256]byte
		n, err := l.Read(chunk[:])
		b = append(b, chunk[:n]...)
		if bytes.HasSuffix(b, []byte("\n")) || err != nil {
			return strings.TrimRight(string(b), "\r\n"), err
		}
	}
}

func (l *lineReader) Read(p []byte) (int, error) {
	if len(l.rest) == 0 {
		line, err := l.r.ReadBytes('\n')
		if len(line) == 0 {
			if errors.Is(err, io.EOF) {
				l.ended = true
			}
			return 0, err
		}
		l.rest = line
	}
	n := copy(p, l.rest)
	l.rest = l.rest[n:]
	return n, nil
}
