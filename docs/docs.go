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
	if misfits := schema.misfits(inst, ""); len(misfits) > 0 {
		return errors.New(strings.ReplaceAll(strings.Join(misfits, "; "), "at '': ", "at the top level: "))
	}
	return nil
}
