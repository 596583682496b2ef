package release

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

const configFile = "../../.goreleaser.yaml"

// The configuration fits the schema of the pinned GoReleaser's configuration: every
// key is one it knows (no typo is silently ignored), every value of the right type and
// among the allowed ones (archive formats, nfpm formats, version: 2).
func TestConfigFitsGoReleaserSchema(t *testing.T) {
	schemaJSON, err := os.ReadFile("goreleaser.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("goreleaser.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("goreleaser.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	config := readConfig(t)
	if err := schema.Validate(config); err != nil {
		t.Errorf("%s does not fit GoReleaser's configuration:\n%v", configFile, err)
	}
	// And the schema does refuse what GoReleaser refuses: a misspelt key.
	if err := schema.Validate(map[string]any{"version": 2, "archive": []any{}}); err == nil {
		t.Error("the schema accepts an unknown key")
	}
}

// The files the configuration ships exist, and the hook that makes the man pages and
// completions can be run.
func TestConfigNamesFilesThatExist(t *testing.T) {
	for _, name := range []string{"LICENSE", "README.md"} {
		if _, err := os.Stat(filepath.Join("../..", name)); err != nil {
			t.Errorf("the archives ship %s: %v", name, err)
		}
	}
	hooks := readConfig(t).(map[string]any)["before"].(map[string]any)["hooks"].([]any)
	for _, hook := range hooks {
		for _, word := range strings.Fields(hook.(string)) {
			if !strings.HasPrefix(word, "scripts/") {
				continue
			}
			info, err := os.Stat(filepath.Join("../..", word))
			if err != nil || info.Mode()&0o111 == 0 {
				t.Errorf("the before hook runs %s, which is not an executable file (%v)", word, err)
			}
		}
	}
}

// readConfig is .goreleaser.yaml as JSON-like values (maps with string keys).
func readConfig(t *testing.T) any {
	t.Helper()
	data, err := os.ReadFile(configFile)
	if err != nil {
		t.Fatal(err)
	}
	var config any
	if err := yaml.Unmarshal(data, &config); err != nil {
		t.Fatalf("%s: %v", configFile, err)
	}
	return config
}
