# Backdrop: `make run` opens the app, `make test` runs every check,
# `make lint` runs staticcheck, `make fuzz` fuzzes every fuzz target.
# They first install the system packages the build needs.

BINARY := backdrop
export LANG ?= en_US.UTF-8

# staticcheck, pinned; `go run` fetches it through the module proxy once and
# keeps it in the build cache, without a line in go.mod.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# How long `make fuzz` runs each fuzz target.
FUZZTIME ?= 30s

.PHONY: run build test lint fuzz deps fmt-check vet screenshots clean

run: deps
	go run .

build: deps
	go build -o $(BINARY) .

test: deps fmt-check vet
	go test -race ./...

lint: deps
	go run $(STATICCHECK) ./...

# Every Fuzz function in the repository, each for FUZZTIME (`make test`
# already runs their seed corpora under testdata/fuzz).
fuzz: deps
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for target in $$(grep -h '^func Fuzz' $$dir/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
			echo "== $$dir $$target"; \
			go test $$dir -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME); \
		done; \
	done

deps:
	@./scripts/install-deps.sh

fmt-check:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

vet:
	go vet ./...

clean:
	rm -f $(BINARY)

# Renders the main states of the window into docs/ (the README shows them).
screenshots: deps
	BACKDROP_SCREENSHOTS=$(CURDIR)/docs go test ./ui -run '^TestScreens$$' -count=1
