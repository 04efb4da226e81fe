# Backdrop: `make run` opens the app, `make test` runs every check,
# `make lint` runs staticcheck, `make fuzz` fuzzes every fuzz target.
# They first install the system packages the build needs.

BINARY := backdrop
export LANG ?= en_US.UTF-8

# The version shown in About: FyneApp.toml's, with the git commit.
APP_VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
GIT_VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)
LDFLAGS := -X backdrop/ui.Version=$(APP_VERSION)+$(GIT_VERSION)
# The fyne CLI that packages the app, pinned.
FYNE := go run fyne.io/tools/cmd/fyne@v1.7.4
# staticcheck, pinned; `go run` fetches it through the module proxy once and
# keeps it in the build cache, without a line in go.mod.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# How long `make fuzz` runs each fuzz target.
FUZZTIME ?= 30s

.PHONY: run build test lint fuzz deps fmt-check vet screenshots clean install uninstall package

run: deps
	go run -ldflags "$(LDFLAGS)" .

build: deps
	go build -ldflags "$(LDFLAGS)" -o $(BINARY) .

# The real-window tests fail, not skip, when Xvfb, xdotool or xclip are
# missing: deps has installed them. The fault matrix runs on its own,
# verbose, so that its closing summary (faults injected, promises held)
# shows.
test: deps fmt-check vet
	BACKDROP_WINDOW_TESTS=required go test -race $$(go list ./... | grep -v /internal/faultmatrix)
	@log=$$(mktemp); go test -race -v -run '^TestFaultMatrix$$' ./internal/faultmatrix >$$log 2>&1; status=$$?; \
	if [ $$status -eq 0 ]; then grep -E '^(fault matrix|  [a-z])|^ok' $$log; else cat $$log; fi; rm -f $$log; exit $$status

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
	rm -rf $(BINARY) Backdrop.tar.xz dist

# package makes dist/Backdrop-linux.tar.xz: the binary, its .desktop file
# and icon under usr/local, with a Makefile whose `user-install` target
# puts them in ~/.local (and `install` in /usr/local, as root).
package: build
	rm -rf dist && mkdir -p dist
	$(FYNE) package --os linux --exe $(BINARY) --release
	mv Backdrop.tar.xz dist/Backdrop-linux.tar.xz
	@echo "made dist/Backdrop-linux.tar.xz"

# install puts Backdrop in your applications menu: ~/.local/bin/backdrop,
# ~/.local/share/applications/app.backdrop.desktop.desktop and its icon.
install: package
	rm -rf dist/unpacked && mkdir -p dist/unpacked
	tar -xJf dist/Backdrop-linux.tar.xz -C dist/unpacked
	$(MAKE) -C dist/unpacked/backdrop user-install
	@echo "installed: open Backdrop from your applications menu, or run ~/.local/bin/backdrop"

uninstall:
	rm -f $(DESTDIR)$(HOME)/.local/share/applications/app.backdrop.desktop.desktop \
		$(DESTDIR)$(HOME)/.local/bin/backdrop $(DESTDIR)$(HOME)/.local/share/icons/app.backdrop.desktop.png

# Renders the main states of the window into docs/ (the README shows them).
screenshots: deps
	BACKDROP_SCREENSHOTS=$(CURDIR)/docs go test ./ui -run '^TestScreens$$' -count=1
