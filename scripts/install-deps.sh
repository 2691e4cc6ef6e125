#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what `make run` / `make test` need and is missing, saying what it does. Debian and
# Ubuntu: apt packages as root or through sudo; Python packages with pip.
#   scripts/install-deps.sh build    compiler and tools for the Rust workspace
#   scripts/install-deps.sh test     + what the tests use (python3 cryptography/argon2-cffi,
#                                    Xvfb, xclip and ImageMagick for the screen/clipboard tests)
#   scripts/install-deps.sh bench    + zxing-cpp and Pillow for the QR comparison
#   scripts/install-deps.sh app      + WebKitGTK and friends for the desktop app, npm packages
#   scripts/install-deps.sh e2e      + app, WebKitWebDriver, tauri-driver, xdotool
set -euo pipefail
what=${1:-test}

say() { echo "install-deps: $*" >&2; }

if ! command -v cargo >/dev/null 2>&1; then
    say "cargo is not installed. Install the Rust toolchain (https://rustup.rs, Rust ≥ 1.89) and rerun."
    exit 1
fi

apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            say "missing Debian packages: ${missing[*]} — not root and no sudo: install them and rerun."
            exit 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "missing packages ${missing[*]}, and this is not a Debian/Ubuntu system (no apt-get)."
        exit 1
    fi
    say "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# SQLite is compiled from source (rusqlite "bundled"): a C compiler is all the build needs.
apt_install build-essential pkg-config

pip_install() { # "import check" packages...
    local check=$1; shift
    python3 -c "$check" 2>/dev/null && return 0
    say "installing Python packages: $*"
    if ! out=$(python3 -m pip install --quiet "$@" 2>&1); then
        if grep -qi externally-managed <<<"$out"; then
            python3 -m pip install --quiet --break-system-packages "$@"
        else
            echo "$out" >&2
            exit 1
        fi
    fi
}

if [ "$what" = test ] || [ "$what" = bench ] || [ "$what" = e2e ]; then
    # A real Secret Service for the keychain tests and benchmark (run inside dbus-run-session);
    # secret-tool lets tests tamper with the stored key as another program could.
    apt_install gnome-keyring dbus dbus-x11 libsecret-tools
fi
if [ "$what" = test ]; then
    apt_install python3 python3-pip xvfb xauth xclip imagemagick
    # Imports and exports are checked against real readers: keepassxc-cli opens our KDBX files
    # and makes KDBX files for us to import; poppler renders the emergency kit to scan it back.
    apt_install keepassxc poppler-utils
    pip_install 'import cryptography.hazmat.primitives.ciphers.aead, argon2.low_level' cryptography argon2-cffi
fi
if [ "$what" = app ] || [ "$what" = e2e ] || [ "$what" = test ]; then
    apt_install libwebkit2gtk-4.1-dev libssl-dev librsvg2-dev libxdo-dev \
        libayatana-appindicator3-dev libdbus-1-dev
    # Node may come from elsewhere (e.g. NodeSource, with npm inside): only install what is absent.
    command -v node >/dev/null 2>&1 || apt_install nodejs
    command -v npm >/dev/null 2>&1 || apt_install npm
    if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
        say "installing the UI's npm packages (npm ci in ui/)"
        (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    fi
fi
if [ "$what" = e2e ] || [ "$what" = test ]; then
    apt_install webkit2gtk-driver xvfb xauth xdotool xclip
    if ! command -v tauri-driver >/dev/null 2>&1; then
        say "installing tauri-driver 2.x (cargo install)"
        cargo install tauri-driver --locked --version '^2' --quiet
    fi
fi
if [ "$what" = bench ]; then
    apt_install python3 python3-pip
    pip_install 'import zxingcpp, PIL' zxing-cpp pillow
fi
