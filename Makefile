# otpdoctor — build, test and measure. `make test` is what CI runs (.ci/run).
GO       ?= go
FUZZTIME ?= 2000x
BIN      ?= bin/otpdoctor
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)

.PHONY: build test lint fuzz bench docs clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/otpdoctor

## test: vet, formatting, and every test under the race detector
test: lint
	$(GO) test -race -count=1 ./...

lint:
	$(GO) vet ./...
	$(GO) vet -tags purego ./checks/codes/
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

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

clean:
	rm -rf bin
