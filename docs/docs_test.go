package docs

import (
	"bytes"
	"os"
	"strings"
	"testing"
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
		string(bytes.Replace(good, []byte(`"status": "fail"`), []byte(`"status": "great"`), 1)): "at '/status': value must be one of",
		`{"schema": "otpdoctor.report/v1"}`:                                                     "at the top level: missing properties",
	}
	for report, want := range cases {
		err := ValidateReport([]byte(report))
		if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "file://") {
			t.Errorf("%.40s...: %v, want one line starting %q", report, err, want)
		}
	}
}
