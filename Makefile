# SPDX-License-Identifier: GPL-3.0-or-later
# Keydeck: `make run` builds and starts Keydeck, `make test` runs every check and test,
# `make bench` runs the criterion benchmarks. Each first installs whatever is missing.

CARGO ?= cargo
# CI sets CARGO_TARGET_DIR outside the clone so that builds are reused between runs.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
KEYDECK := $(TARGET_DIR)/debug/keydeck

.PHONY: run test bench deps-build deps-test deps-bench fmt-check clippy rust-tests decryptor-test tty-test desktop-test

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

# Until the desktop app lands (issue 5), Keydeck is its CLI: build it and show what it does.
run: deps-build
	$(CARGO) build --release -p keydeck-cli
	$(TARGET_DIR)/release/keydeck --help

test: deps-test fmt-check clippy rust-tests decryptor-test tty-test desktop-test
	@echo "make test: all checks passed"

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-tests:
	$(CARGO) test --workspace

# The vault format document is enough to write a decryptor: prove it on vaults the CLI made.
decryptor-test:
	$(CARGO) build -p keydeck-cli
	tests/decrypt/check.sh $(KEYDECK)

# Prompts on a real (pseudo-)terminal: init asks twice, nothing is echoed.
tty-test:
	$(CARGO) build -p keydeck-cli
	python3 tests/tty/init_prompt.py $(KEYDECK)

# scan --screen and --clipboard for real, on an Xvfb display.
desktop-test:
	$(CARGO) build -p keydeck-cli
	tests/desktop/scan_desktop.sh $(KEYDECK)

deps-bench:
	@scripts/install-deps.sh bench

bench: deps-bench
	$(CARGO) bench -p keydeck-core
	python3 bench/qr_compare.py
