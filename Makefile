# Backdrop: `make run` opens the app, `make test` runs every check.
# Both first install the system packages the build needs.

BINARY := backdrop
export LANG ?= en_US.UTF-8

.PHONY: run build test fuzz deps fmt-check vet screenshots clean

run: deps
	go run .

build: deps
	go build -o $(BINARY) .

# The fault matrix runs on its own, verbose, so that its closing summary
# (faults injected, promises held) shows; the rest as usual.
test: deps fmt-check vet
	go test -race $$(go list ./... | grep -v /internal/faultmatrix)
	@log=$$(mktemp); go test -race -v -run '^TestFaultMatrix$$' ./internal/faultmatrix >$$log 2>&1; status=$$?; \
	if [ $$status -eq 0 ]; then grep -E '^(fault matrix|  [a-z])|^ok' $$log; else cat $$log; fi; rm -f $$log; exit $$status

# Runs every fuzz target (func FuzzXxx in a _test.go file) for FUZZTIME
# each, from its seed corpus in testdata/fuzz; `make test` already runs
# the corpora as plain tests. New failing inputs land in testdata/fuzz.
FUZZTIME ?= 30s
fuzz: deps
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for target in $$(grep -h -o '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -c6-); do \
			echo "== $$dir $$target ($(FUZZTIME))"; \
			go test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$dir; \
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
