# SPDX-License-Identifier: GPL-3.0-or-later
# Keydeck: `make run` builds and starts Keydeck, `make test` runs every check and test,
# `make bench` runs the criterion benchmarks. Each first installs whatever is missing.

CARGO ?= cargo
# CI sets CARGO_TARGET_DIR outside the clone so that builds are reused between runs.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
KEYDECK := $(TARGET_DIR)/debug/keydeck

.PHONY: run bundle docs-screenshots test bench deps-build deps-test deps-bench deps-app deps-e2e ui-build fmt-check clippy rust-tests bindings-check ui-test decryptor-test tty-test keychain-test desktop-test e2e-test fuzz fuzz-replay

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

deps-app:
	@scripts/install-deps.sh app

deps-e2e:
	@scripts/install-deps.sh e2e

ui-build:
	cd ui && npm run build

# Builds the UI and the app (UI embedded) and starts it. Headless: `xvfb-run make run`.
run: deps-app ui-build
	$(CARGO) build --release -p keydeck-app --features custom-protocol
	$(TARGET_DIR)/release/keydeck-app

# A Debian package of the app (src-tauri/ holds the binary crate, desktop/ the app; the config is at the root).
# The Tauri CLI comes from npm on demand (its lockfile entry would need every platform's
# binary package, which this registry does not all carry).
bundle: deps-app ui-build
	cd ui && TAURI_APP_PATH=../src-tauri npx --yes @tauri-apps/cli@2.12.5 build --bundles deb

test: deps-test fmt-check clippy rust-tests bindings-check ui-test decryptor-test tty-test keychain-test desktop-test e2e-test
	@echo "make test: all checks passed"

fmt-check:
	$(CARGO) fmt --all -- --check

clippy: ui-build
	$(CARGO) clippy --workspace --all-targets --features keydeck-app/custom-protocol -- -D warnings

rust-tests: ui-build
	$(CARGO) test --workspace --features keydeck-app/custom-protocol

# The IPC types the UI uses are generated from Rust (ts-rs, during the app crate's tests):
# the committed ones must be what the code generates now.
bindings-check: rust-tests
	@git diff --exit-code --stat -- ui/src/lib/bindings || { echo "ui/src/lib/bindings is stale: run cargo test -p keydeck-desktop and commit"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard ui/src/lib/bindings)" || { echo "new, uncommitted bindings in ui/src/lib/bindings"; exit 1; }

ui-test:
	cd ui && npm run check && npm test

# The real app under Xvfb, driven through tauri-driver + WebKitWebDriver.
e2e-test: deps-e2e ui-build
	$(CARGO) build -p keydeck-app --features custom-protocol
	$(CARGO) build -p keydeck-cli
	dbus-run-session -- tests/keyring/with-keyring.sh xvfb-run -a -s "-screen 0 1280x900x24" python3 tests/e2e/test_app.py $(TARGET_DIR)/debug/keydeck-app $(KEYDECK)

# Keychain unlock through the CLI against a real gnome-keyring in a D-Bus session of its own.
keychain-test: deps-test
	$(CARGO) build -p keydeck-cli
	dbus-run-session -- tests/keyring/with-keyring.sh python3 tests/keyring/test_keychain.py $(KEYDECK)

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

# Every fuzz target's seeds and kept crash inputs (fuzz/regressions/), replayed on stable in
# seconds through the functions the fuzz targets call (keydeck_core::fuzzing). `make test` runs
# it as part of rust-tests (it is an integration test of keydeck-core); this target runs it alone.
fuzz-replay:
	$(CARGO) test -p keydeck-core --test fuzz_replay

# Every fuzz target for FUZZ_SECONDS each, one at a time (nightly toolchain + cargo-fuzz;
# fuzz/README.md). The corpus is seeded from the shared test data and never committed.
FUZZ_SECONDS ?= 120
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

deps-bench:
	@scripts/install-deps.sh bench

bench: deps-bench deps-e2e bundle
	dbus-run-session -- tests/keyring/with-keyring.sh $(CARGO) bench -p keydeck-core
	python3 bench/qr_compare.py
	# The bench profile (opt-level 3, no LTO) writes to release/: the CLI at full speed, built quickly.
	$(CARGO) build --profile bench -p keydeck-cli
	python3 bench/import_cli.py $(TARGET_DIR)/release/keydeck
	$(CARGO) build --profile bench -p keydeck-core --example kdbx_fixture && python3 bench/cli_vs_keepassxc.py $(TARGET_DIR)/release/keydeck $(TARGET_DIR)/release/examples/kdbx_fixture
	$(CARGO) build -p keydeck-cli
	xvfb-run -a -s "-screen 0 1280x900x24" python3 tests/e2e/bench_app.py $(TARGET_DIR)/release/keydeck-app $(KEYDECK)
	xvfb-run -a -s "-screen 0 1280x900x24" python3 tests/e2e/idle_cpu.py $(TARGET_DIR)/release/keydeck-app $(KEYDECK)

# Screenshots of every screen, light and dark, into docs/screenshots/.
docs-screenshots: deps-e2e ui-build
	$(CARGO) build -p keydeck-app --features custom-protocol
	$(CARGO) build -p keydeck-cli
	xvfb-run -a -s "-screen 0 1280x900x24" python3 tests/e2e/docs_screenshots.py $(TARGET_DIR)/debug/keydeck-app $(KEYDECK)
