// Package release holds what checks the release configuration (.goreleaser.yaml) in
// CI without GoReleaser itself, whose build takes minutes: the JSON Schema of its
// configuration that the pinned GoReleaser prints (`make release-schema`), and a test
// that validates the file against it. `make release-check` runs the real
// `goreleaser check`, and `make release-snapshot` a whole release.
package release
