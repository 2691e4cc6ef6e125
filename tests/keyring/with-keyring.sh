#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command with a real, unlocked gnome-keyring (Secret Service) of its own.
# Usage: dbus-run-session -- tests/keyring/with-keyring.sh COMMAND...
# HOME and the XDG dirs point into a fresh temp dir, so the user's own keyring is never touched.
set -eu
# cargo and rustup keep finding their homes after HOME moves.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$(mktemp -d /tmp/keydeck-keyring.XXXXXX)"
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_RUNTIME_DIR="$HOME/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf %s 'keydeck test keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
