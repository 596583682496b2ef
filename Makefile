# otpdoctor — build, test and measure. `make test` is what CI runs (.ci/run).
GO       ?= go
FUZZTIME ?= 2000x
BIN      ?= bin/otpdoctor
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

# The platforms releases ship (.goreleaser.yaml). CI vets one of each OS and the 32-bit
# one: between them they compile every platform-specific file (Windows, macOS, Linux,
# the amd64 assembly and its portable twin, 32-bit int sizes); linux/amd64 is `make
# lint`'s. Each target costs a compile of the standard library and every dependency.
TARGETS     := linux/amd64 linux/arm64 linux/arm darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
VET_TARGETS ?= windows/amd64 darwin/arm64 linux/arm

# GoReleaser, pinned, built once into bin/tools.
GORELEASER_VERSION := v2.15.1
GORELEASER         := bin/tools/goreleaser-$(GORELEASER_VERSION)

.PHONY: build test lint cross-vet fuzz bench docs release-check release-schema release-snapshot clean

## build: one static binary (CGO_ENABLED=0: Go's own DNS resolver, no libc), stamped
## with the version, commit and build date
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/otpdoctor

## test: vet, formatting, and every test under the race detector (which needs cgo)
test: lint
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 30m ./...

lint:
	$(GO) vet ./...
	$(GO) vet -tags purego ./checks/codes/
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

## cross-vet: the code of other platforms than this one, tests included, compiles and
## vets (VET_TARGETS; `make cross-vet VET_TARGETS="$(TARGETS)"` for every release
## target); and the release's man page generator (-tags docgen), which no other build
## compiles
cross-vet:
	@set -e; for target in $(VET_TARGETS); do \
		echo "go vet $$target"; \
		CGO_ENABLED=0 GOOS=$${target%/*} GOARCH=$${target#*/} $(GO) vet ./...; \
	done
	CGO_ENABLED=0 $(GO) vet -tags docgen ./cmd/otpdoctor

## fuzz: every fuzz target, briefly (FUZZTIME each: a count such as 2000x, or a duration)
fuzz:
	FUZZTIME=$(FUZZTIME) GO=$(GO) scripts/fuzz.sh

## bench: benchmarks of the hot paths, then the comparison with oathtool when present
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@if [ -x scripts/bench-oathtool.sh ]; then scripts/bench-oathtool.sh; fi

## docs: man pages and the per-cause pages, generated from the code
docs:
	$(GO) test ./cmd/otpdoctor -run '^TestDocsAreGenerated$$' -count=1 -update-docs

$(GORELEASER):
	GOBIN="$(CURDIR)/bin/tools/build" CGO_ENABLED=0 $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)
	mv bin/tools/build/goreleaser $@

## release-check: .goreleaser.yaml is valid for the pinned GoReleaser (CI, which cannot
## spend minutes building GoReleaser, validates it against the schema instead: see
## internal/release)
release-check: $(GORELEASER)
	$(GORELEASER) check

## release-schema: refresh the pinned GoReleaser's configuration schema (after a bump)
release-schema: $(GORELEASER)
	$(GORELEASER) jsonschema > internal/release/goreleaser.schema.json

## release-snapshot: every archive, package and manifest of a release, built locally
## into dist/ (nothing published), then checked (scripts/check-release.sh)
release-snapshot: $(GORELEASER)
	$(GORELEASER) release --snapshot --clean
	scripts/check-release.sh dist

clean:
	rm -rf bin dist
