// Package docs holds otpdoctor's documentation, and embeds the files the program itself
// reads: the report's JSON Schema, which `otpdoctor explain` and the tests validate
// reports against.
package docs

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed report.schema.json
var reportSchema []byte

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reportSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("report.schema.json")
})

// ValidateReport checks a JSON report against docs/report.schema.json.
func ValidateReport(data []byte) error {
	schema, err := compiled()
	if err != nil {
		return fmt.Errorf("the report schema itself is broken: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return schema.Validate(inst)
}
