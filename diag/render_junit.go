package diag

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML, as CI systems read it: one test case per check.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func renderJUnit(w io.Writer, r Report) error {
	suite := junitSuite{Name: "otpdoctor " + r.Command, Timestamp: r.GeneratedAt.UTC().Format("2006-01-02T15:04:05")}
	var total int64
	for _, c := range r.Checks {
		total += c.DurationMS
		tc := junitCase{Name: c.Title, Classname: "otpdoctor." + c.ID, Time: seconds(c.DurationMS), SystemOut: c.Summary}
		var text strings.Builder
		for _, f := range c.Findings {
			fmt.Fprintf(&text, "%s %s: %s\n", f.Severity, f.Cause, f.Message)
		}
		problem := &junitProblem{Message: c.Summary, Text: text.String()}
		switch c.Status {
		case StatusFail:
			problem.Type = firstCause(c)
			tc.Failure, suite.Failures = problem, suite.Failures+1
		case StatusError:
			tc.Error, suite.Errors = problem, suite.Errors+1
		case StatusSkip:
			tc.Skipped, suite.Skipped = &junitProblem{Message: c.Summary}, suite.Skipped+1
		case StatusOK, StatusWarn:
		default: // a status this otpdoctor does not know is not a pass
			problem.Message = fmt.Sprintf("status %q, which this otpdoctor does not know: %s", c.Status, c.Summary)
			tc.Error, suite.Errors = problem, suite.Errors+1
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Tests, suite.Time = len(r.Checks), seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{suite}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func firstCause(c Result) string {
	for _, f := range c.Findings {
		if f.Severity == SeverityFail {
			return string(f.Cause)
		}
	}
	return ""
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }
