# Backdrop: `make run` opens the app, `make test` runs every check.
# Both first install the system packages the build needs.

BINARY := backdrop
export LANG ?= en_US.UTF-8

.PHONY: run build test deps fmt-check vet screenshots clean

run: deps
	go run .

build: deps
	go build -o $(BINARY) .

test: deps fmt-check vet
	go test -race ./...

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
