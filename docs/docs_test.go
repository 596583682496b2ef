package docs

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// A report that does not fit says where and why, in one line, and names no file of
// this machine's.
func TestValidateReportSaysWhere(t *testing.T) {
	good, err := os.ReadFile("../diag/testdata/golden/report.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateReport(good); err != nil {
		t.Fatalf("the golden report: %v", err)
	}
	cases := map[string]string{
		string(bytes.Replace(good, []byte(`"status": "fail"`), []byte(`"status": "great"`), 1)): "at '/status' (line 5, column 13): value must be one of",
		`{"schema": "otpdoctor.report/v1"}`:                                                     "at the top level (line 1, column 1): missing properties",
	}
	for report, want := range cases {
		err := ValidateReport([]byte(report))
		if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "file://") {
			t.Errorf("%.40s...: %v, want one line starting %q", report, err, want)
		}
	}
}

// TestSchemaValidatorAgreesWithAGeneralOne: the report schema's own validator accepts
// and refuses exactly what a general JSON Schema validator does, over the golden report
// and every one-place mutation of it (a value replaced by one of another type or an
// out-of-vocabulary string, a property removed, an array emptied).
func TestSchemaValidatorAgreesWithAGeneralOne(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reportSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	general, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile("../diag/testdata/golden/report.json")
	if err != nil {
		t.Fatal(err)
	}
	var report any
	if err := json.Unmarshal(good, &report); err != nil {
		t.Fatal(err)
	}
	variants := [][]byte{good}
	for _, m := range mutations(report) {
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		variants = append(variants, data)
	}
	refused := 0
	for _, data := range variants {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want := general.Validate(inst) == nil
		got := ValidateReport(data)
		if (got == nil) != want {
			t.Fatalf("general validator accepts: %v; ours: %v\n%s", want, got, data)
		}
		if got != nil {
			refused++
		}
	}
	t.Logf("%d variants, %d refused by both", len(variants), refused)
	if refused < len(variants)/4 {
		t.Errorf("only %d of %d variants refused: the mutations test too little", refused, len(variants))
	}
}

// mutations are copies of v, each changed in one place.
func mutations(v any) []any {
	var out []any
	replacements := []any{"great", 1.5, -1.0, 7.0, nil, true, []any{}, map[string]any{}, "2026-13-01T00:00:00Z"}
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			without := maps.Clone(v)
			delete(without, k)
			out = append(out, without)
			for _, m := range mutations(v[k]) {
				changed := maps.Clone(v)
				changed[k] = m
				out = append(out, changed)
			}
		}
	case []any:
		out = append(out, []any{})
		for i := range v {
			for _, m := range mutations(v[i]) {
				changed := slices.Clone(v)
				changed[i] = m
				out = append(out, changed)
			}
		}
	default:
		for _, r := range replacements {
			out = append(out, r)
		}
	}
	return out
}
