package secret

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// csvLayout is one CSV export otpdoctor reads: the header columns that recognise it and
// the columns an account is read from ("" when the layout has none).
type csvLayout struct {
	form    Form
	needs   []string // header names (lower case) that must all be present
	field   string   // a TOTP field: otpauth URI, steam://KEY or bare base32
	secret  string   // a base32 secret, with typ and counter beside it
	hotp    string   // a base32 HOTP secret (KeePass's HmacOtp-Secret-Base32)
	typ     string
	counter string
	issuer  string
	account string
}

// csvLayouts are tried in order; the first whose columns are all in the header reads it.
var csvLayouts = []csvLayout{
	{form: FormBitwardenCSV, needs: []string{"login_totp"}, field: "login_totp", issuer: "name", account: "login_username"},
	{form: FormExtractedCSV, needs: []string{"name", "secret", "issuer", "type"}, secret: "secret", typ: "type", counter: "counter", issuer: "issuer", account: "name"},
	{form: FormKeePassCSV, needs: []string{"timeotp-secret-base32"}, secret: "timeotp-secret-base32", hotp: "hmacotp-secret-base32", counter: "hmacotp-counter", issuer: "title", account: "user name"},
	{form: FormKeePassCSV, needs: []string{"hmacotp-secret-base32"}, hotp: "hmacotp-secret-base32", counter: "hmacotp-counter", issuer: "title", account: "user name"},
	{form: FormKeePassCSV, needs: []string{"title", "totp"}, field: "totp", issuer: "title", account: "username"},
}

// csvLayoutOf is the layout whose header the first line of text is, or nil.
func csvLayoutOf(text string) *csvLayout {
	line, _, _ := strings.Cut(text, "\n")
	if !strings.Contains(line, ",") {
		return nil
	}
	header, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return nil
	}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.ToLower(strings.TrimSpace(h))
	}
	for i := range csvLayouts {
		if l := &csvLayouts[i]; !slices.ContainsFunc(l.needs, func(n string) bool { return !slices.Contains(names, n) }) {
			return l
		}
	}
	return nil
}

// parseCSV reads a CSV export in layout l, one account a row; rows with no key (a login
// without two-factor) are left out.
func parseCSV(text string, l *csvLayout) (*Source, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, csvError(err)
	}
	column := map[string]int{}
	for i, h := range header {
		column[strings.ToLower(strings.TrimSpace(h))] = i
	}
	src := &Source{Form: l.form}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		cell := func(name string) string {
			if i, ok := column[name]; ok && name != "" && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		if e, ok := l.entry(fmt.Sprintf("line %d", line), cell); ok {
			src.add(e)
		}
	}
	return src.orNoKey(fmt.Sprintf("no row of the %s has a key", l.form.Words()))
}

// entry reads one row; ok is false when it holds no key.
func (l *csvLayout) entry(where string, cell func(string) string) (Entry, bool) {
	issuer, account := cell(l.issuer), cell(l.account)
	if field := cell(l.field); field != "" {
		return totpFieldEntry(where, field, issuer, account), true
	}
	f := exportFields{typ: cell(l.typ), issuer: issuer, account: account, secret: cell(l.secret)}
	if f.secret == "" && cell(l.hotp) != "" {
		f.typ, f.secret = "hotp", cell(l.hotp)
	}
	if f.secret == "" {
		return Entry{}, false
	}
	if c := cell(l.counter); c != "" {
		n, err := strconv.ParseUint(c, 10, 64)
		if err != nil {
			return Entry{Where: where, Err: &ParseError{Where: where, Reason: "the counter is not a whole number"}}, true
		}
		f.counter = n
	}
	return exportEntry(where, f), true
}

// csvError is a CSV syntax error, saying where (encoding/csv's messages quote no input).
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("CSV: line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("CSV: %v", err)
}
