// Package docs holds otpdoctor's documentation, and embeds the files the program itself
// reads: the report's JSON Schema, which `otpdoctor explain` and the tests validate
// reports against.
package docs

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed report.schema.json
var reportSchema []byte

// reportSchemaURL is the schema's $id: errors and references resolve against it, not
// against the current directory.
const reportSchemaURL = "https://github.com/otpdoctor/otpdoctor/docs/report.schema.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reportSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(reportSchemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(reportSchemaURL)
})

// ValidateReport checks a JSON report against docs/report.schema.json. A mismatch is
// one line naming each place that does not fit ("at '/checks/0/status': ...").
func ValidateReport(data []byte) error {
	schema, err := compiled()
	if err != nil {
		return fmt.Errorf("the report schema itself is broken: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	err = schema.Validate(inst)
	var mismatch *jsonschema.ValidationError
	if errors.As(err, &mismatch) {
		return errors.New(strings.Join(misfits(mismatch), "; "))
	}
	return err
}

// misfits are the innermost errors of a validation: the places that do not fit and
// why, without the tree of schema locations above them.
func misfits(e *jsonschema.ValidationError) []string {
	if len(e.Causes) == 0 {
		return []string{strings.Replace(e.Error(), "at '': ", "at the top level: ", 1)}
	}
	var out []string
	for _, cause := range e.Causes {
		out = append(out, misfits(cause)...)
	}
	return out
}
