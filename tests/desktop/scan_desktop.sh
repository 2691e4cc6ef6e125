#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# scan_desktop.sh /path/to/keydeck — `keydeck scan --screen` and `--clipboard` for real, on an
# X display (Xvfb): a screenshot fixture is painted on the root window (ImageMagick `display`),
# or put on the clipboard as image/png (xclip), and keydeck must read its code back.
# Runs itself under xvfb-run when no display is given.
set -euo pipefail
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIX="$HERE/../fixtures/screenshots"

if [[ -z "${KEYDECK_DESKTOP_INNER:-}" ]]; then
    for tool in xvfb-run xclip display; do
        command -v "$tool" >/dev/null || { echo "scan_desktop: $tool is missing (make test installs xvfb, xclip, imagemagick)" >&2; exit 1; }
    done
    export KEYDECK_DESKTOP_INNER=1
    exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$@"
fi
unset WAYLAND_DISPLAY XDG_SESSION_TYPE

pass=0 fail=0
# Show an image in a window at the top left (no window manager: no decorations), as a browser
# would show the page; the window stays up until the next image replaces it.
viewer=
paint() {
    [[ -n $viewer ]] && kill "$viewer" 2>/dev/null && wait "$viewer" 2>/dev/null || true
    display -geometry +0+0 "$1" >/dev/null 2>&1 &
    viewer=$!
    sleep 1.5
}
trap '[[ -n $viewer ]] && kill $viewer 2>/dev/null; kill $(jobs -p) 2>/dev/null || true' EXIT

check() { # name, expected substring, command...
    local name=$1 want=$2; shift 2
    local out
    if out=$("$@" 2>&1) && grep -qF -- "$want" <<<"$out"; then
        echo "ok   $name"; pass=$((pass + 1))
    else
        echo "FAIL $name: $out"; fail=$((fail + 1))
    fi
}

# 1. The screen: paint a 1080p screenshot fixture on the root window, capture, decode.
paint "$FIX/light_1x_1920x1080_single.png"
check "scan --screen finds the code on the X display" '"kind":"otpauth"' \
    "$BIN" scan --screen --json
check "scan --screen names the account" "Acme Cloud (alice@example.com)" "$BIN" scan --screen
# A light-on-dark code, shown the same way.
paint "$FIX/dark_inverted_1x_1920x1080_single.png"
check "scan --screen reads an inverted code" "otpauth" "$BIN" scan --screen --json
# Nothing on screen: says so, exit 1.
paint "$FIX/none_light_1x_1920x1080.png"
if out=$("$BIN" scan --screen 2>&1); then echo "FAIL empty screen: exit 0: $out"; fail=$((fail + 1));
elif grep -q "no QR code found" <<<"$out"; then echo "ok   empty screen says so"; pass=$((pass + 1));
else echo "FAIL empty screen: $out"; fail=$((fail + 1)); fi

# 2. The clipboard: xclip serves the PNG as image/png until the selection is taken.
xclip -selection clipboard -t image/png -i "$FIX/multi_devices_light_1x_1920x1080_3codes.png" &
sleep 0.5
check "scan --clipboard finds all three codes" "3 QR code(s)" "$BIN" scan --clipboard
printf 'just text' | xclip -selection clipboard -i &
sleep 0.5
check "scan --clipboard without an image says so" "no image" \
    bash -c "'$BIN' scan --clipboard || true"

# 3. No display at all: a clear error, not a crash.
check "no display: clear error" "no graphical session" \
    bash -c "env -u DISPLAY '$BIN' scan --screen || true"

echo "desktop scan: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
