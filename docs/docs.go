// Package docs holds otpdoctor's documentation, and embeds the files the program itself
// reads: the report's JSON Schema, which `otpdoctor explain` and the tests validate
// reports against.
package docs

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/otpdoctor/otpdoctor/internal/jsonloc"
)

//go:embed report.schema.json
var reportSchema []byte

// compiled is the report schema, compiled the first time a report is validated: never
// at start-up.
var compiled = sync.OnceValues(func() (*schema, error) { return compileSchema(reportSchema) })

// ValidateReport checks a JSON report against docs/report.schema.json. A mismatch is
// one line naming each place that does not fit ("at '/checks/0/status': ...").
func ValidateReport(data []byte) error {
	schema, err := compiled()
	if err != nil {
		return fmt.Errorf("the report schema itself is broken: %w", err)
	}
	var inst any
	if err := decodeJSON(data, &inst); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	misfits := schema.misfits(inst, "")
	if len(misfits) == 0 {
		return nil
	}
	var shown []string
	for _, m := range misfits[:min(len(misfits), maxMisfits)] {
		shown = append(shown, m.describe(data))
	}
	message := strings.Join(shown, "; ")
	if len(misfits) > maxMisfits {
		// The count first, where a cut line still shows it.
		message = fmt.Sprintf("%d places, the first %d: %s", len(misfits), maxMisfits, message)
	}
	return errors.New(message)
}

// maxMisfits is how many places a mismatch names: a report changed all over is told
// by its first few, not by thousands of them in one line.
const maxMisfits = 3

// describe says where m is (its JSON pointer, and line and column in data) and why.
func (m misfit) describe(data []byte) string {
	where := fmt.Sprintf("at '%s'", m.at)
	if m.at == "" {
		where = "at the top level"
	}
	if line, col, ok := jsonloc.Pointer(data, m.at); ok {
		where += fmt.Sprintf(" (line %d, column %d)", line, col)
	}
	return where + ": " + m.why
}
