#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check.sh /path/to/keydeck — make vaults with the keydeck CLI, then open them with the
# independent Python decryptor (keydeck_decrypt.py, written from docs/vault-format.md alone)
# and check that it recovers exactly what was stored. Needs python3 with `cryptography` and
# `argon2-cffi`; installs them with pip if they are missing.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 /path/to/keydeck-binary" >&2
    exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if [[ ! -x $BIN ]]; then
    echo "check.sh: $1 is not an executable" >&2
    exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DECRYPT="$HERE/keydeck_decrypt.py"

# --- Python dependencies -------------------------------------------------------------------
deps_ok() { python3 -c 'import cryptography.hazmat.primitives.ciphers.aead, argon2.low_level' 2>/dev/null; }
if ! deps_ok; then
    echo "check.sh: installing the Python packages cryptography and argon2-cffi (python3 -m pip install)" >&2
    if ! pip_out=$(python3 -m pip install --quiet cryptography argon2-cffi 2>&1); then
        if grep -qi 'externally-managed' <<<"$pip_out"; then
            echo "check.sh: pip refused (externally managed environment); retrying with --break-system-packages" >&2
            python3 -m pip install --quiet --break-system-packages cryptography argon2-cffi
        else
            echo "$pip_out" >&2
            exit 1
        fi
    fi
    deps_ok || { echo "check.sh: cryptography / argon2-cffi still not importable" >&2; exit 1; }
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# --- Marker values: a distinct one in every field (non-ASCII and quotes on purpose) ---------
export MASTER='check master – Grüße ✓'
export MK_NAME='mk-name Ωmega' MK_ISSUER='mk-issuer' MK_USERNAME='mk-user@example.org'
export MK_URL='https://mk-url.example/path?q=1&r=2' MK_ICON='mk-icon.example'
export MK_NOTES=$'mk-notes line 1\nline 2 — ünï "quoted"'
export MK_PASSWORD='mk-pass W0rd!"'\''\$ ✓' MK_TAG1='mk-tag-a' MK_TAG2='mk-tag-b'
export MK_CODE1='mk-code-1111' MK_CODE2='mk-code-2222'

# Checks a decryptor JSON output (argv[1]) against the markers above.
ASSERT_PY='
import json, os, sys
out, e, bad = json.load(open(sys.argv[1])), os.environ, []
want = {"name": e["MK_NAME"], "issuer": e["MK_ISSUER"], "username": e["MK_USERNAME"],
        "url": e["MK_URL"], "icon": e["MK_ICON"], "notes": e["MK_NOTES"],
        "password": e["MK_PASSWORD"], "tags": [e["MK_TAG1"], e["MK_TAG2"]]}
if len(out["accounts"]) != 1:
    bad.append("expected 1 account, got %d" % len(out["accounts"]))
else:
    a = out["accounts"][0]
    for k, v in want.items():
        if a.get(k) != v:
            bad.append("%s: got %r, want %r" % (k, a.get(k), v))
    codes = [r.get("code") for r in a["recovery"]]
    if codes != [e["MK_CODE1"], e["MK_CODE2"]]:
        bad.append("recovery codes: got %r" % codes)
    if any(r.get("used_at") is not None for r in a["recovery"]):
        bad.append("a new recovery code is marked used")
    if not isinstance(a["password_changed_at"], int):
        bad.append("password_changed_at not set")
    if a["password_score"] not in range(5):
        bad.append("password_score %r not in 0..4" % a["password_score"])
    logged = {(ev["what"], ev["account_id"]) for ev in out["events"]}
    for what in ("vault_created", "account_added", "recovery_codes_added"):
        if not any(w == what and (aid == a["id"] or what == "vault_created") for w, aid in logged):
            bad.append("no %s event" % what)
    events = json.dumps(out["events"], ensure_ascii=False)
    for secret in (e["MK_PASSWORD"], e["MK_CODE1"], e["MK_CODE2"]):
        if secret in events:
            bad.append("an event holds a secret value")
for b in bad:
    print("  mismatch: " + b)
sys.exit(1 if bad else 0)
'

# Reads one slot column (params) from a vault, read-only.
slot_params() {
    python3 -c 'import sqlite3, sys, pathlib
db = sqlite3.connect(pathlib.Path(sys.argv[1]).resolve().as_uri() + "?mode=ro", uri=True)
print(db.execute("SELECT params FROM slots WHERE kind = ?", ("password",)).fetchone()[0])' "$1"
}

# make_vault DIR [init options...]: a vault in DIR holding one account with every marker.
make_vault() {
    local dir=$1; shift
    mkdir -p "$dir"
    export KEYDECK_VAULT="$dir/vault.sqlite" KEYDECK_PASSWORD="$MASTER"
    "$BIN" init "$@"
    MARK_PW=$MK_PASSWORD "$BIN" add "$MK_NAME" --issuer "$MK_ISSUER" --username "$MK_USERNAME" \
        --url "$MK_URL" --notes "$MK_NOTES" --icon "$MK_ICON" \
        --tag "$MK_TAG1" --tag "$MK_TAG2" --password-env MARK_PW
    printf '%s\n%s\n' "$MK_CODE1" "$MK_CODE2" | "$BIN" recovery add "$MK_NAME"
}

# --- Tests (each runs in a subshell with set -e; its output goes to a log) ------------------
test_cheap_roundtrip() {
    make_vault "$TMP/cheap" --kdf-memory 19 --kdf-iterations 2 --kdf-parallelism 1
    local p; p=$(slot_params "$TMP/cheap/vault.sqlite")
    [[ $p == 'argon2id:v=19,m=19456,t=2,p=1' ]] || { echo "  unexpected slot params: $p"; exit 1; }
    python3 "$DECRYPT" "$TMP/cheap/vault.sqlite" >"$TMP/cheap/out.json"
    python3 -c "$ASSERT_PY" "$TMP/cheap/out.json"
}

test_wrong_password() {
    local rc=0
    KEYDECK_PASSWORD="$MASTER-wrong" python3 "$DECRYPT" "$TMP/cheap/vault.sqlite" \
        >"$TMP/wrong.out" 2>"$TMP/wrong.err" || rc=$?
    cat "$TMP/wrong.err"
    [[ $rc -eq 3 ]] || { echo "  expected exit 3, got $rc"; exit 1; }
    grep -q 'wrong password' "$TMP/wrong.err" || { echo "  no 'wrong password' on stderr"; exit 1; }
    [[ ! -s $TMP/wrong.out ]] || { echo "  printed something on stdout"; exit 1; }
}

test_tampered_item() {
    cp "$TMP/cheap/vault.sqlite" "$TMP/tampered.sqlite"
    local id rc=0
    id=$(python3 -c 'import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
iid, ct = db.execute("SELECT id, ciphertext FROM items WHERE kind = ?", ("account",)).fetchone()
ct = bytearray(ct); ct[3] ^= 0x01
db.execute("UPDATE items SET ciphertext = ? WHERE id = ?", (bytes(ct), iid)); db.commit()
print(uuid.UUID(bytes=iid))' "$TMP/tampered.sqlite")
    KEYDECK_PASSWORD="$MASTER" python3 "$DECRYPT" "$TMP/tampered.sqlite" \
        >/dev/null 2>"$TMP/tampered.err" || rc=$?
    cat "$TMP/tampered.err"
    [[ $rc -eq 4 ]] || { echo "  expected exit 4, got $rc"; exit 1; }
    grep -q "$id" "$TMP/tampered.err" || { echo "  stderr does not name item $id"; exit 1; }
}

test_default_kdf() {
    make_vault "$TMP/default"
    local p; p=$(slot_params "$TMP/default/vault.sqlite")
    [[ $p == 'argon2id:v=19,m=65536,t=3,p=4' ]] || { echo "  unexpected default params: $p"; exit 1; }
    python3 "$DECRYPT" "$TMP/default/vault.sqlite" >"$TMP/default/out.json"
    python3 -c "$ASSERT_PY" "$TMP/default/out.json"
}

# A password change re-keys: the decryptor reads the vault with the new password; the old
# password slot put back from a copy made before opens nothing (exit 4 or 3, never a record).
test_passwd_rekey() {
    make_vault "$TMP/rekey" --kdf-memory 19 --kdf-iterations 2 --kdf-parallelism 1
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("VACUUM INTO ?", (sys.argv[2],))' \
        "$TMP/rekey/vault.sqlite" "$TMP/rekey/before.sqlite"
    KEYDECK_NEW_PASSWORD="$MASTER-2" "$BIN" passwd
    local p; p=$(slot_params "$TMP/rekey/vault.sqlite")
    [[ $p == 'argon2id:v=19,m=19456,t=2,p=1' ]] || { echo "  passwd lost the KDF settings: $p"; exit 1; }
    KEYDECK_PASSWORD="$MASTER-2" "$BIN" rekey
    KEYDECK_PASSWORD="$MASTER-2" python3 "$DECRYPT" "$TMP/rekey/vault.sqlite" >"$TMP/rekey/out.json"
    python3 -c "$ASSERT_PY" "$TMP/rekey/out.json"
    cp "$TMP/rekey/vault.sqlite" "$TMP/rekey/swapped.sqlite"
    python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute("ATTACH DATABASE ? AS old", (sys.argv[2],))
db.execute("DELETE FROM slots"); db.execute("INSERT INTO slots SELECT * FROM old.slots"); db.commit()' \
        "$TMP/rekey/swapped.sqlite" "$TMP/rekey/before.sqlite"
    local rc=0
    python3 "$DECRYPT" "$TMP/rekey/swapped.sqlite" >"$TMP/rekey/swapped.out" 2>"$TMP/rekey/swapped.err" || rc=$?
    cat "$TMP/rekey/swapped.err"
    [[ $rc -ne 0 ]] || { echo "  the old password slot still decrypts the re-keyed vault"; exit 1; }
    if grep -q "$MK_PASSWORD" "$TMP/rekey/swapped.out"; then echo "  a record decrypted"; exit 1; fi
}

passed=0 failed=0
run() {
    local name=$1 rc=0
    set +e
    ( set -eE; trap 'echo "  command failed (exit $?): $BASH_COMMAND"' ERR; "$name" ) \
        >"$TMP/$name.log" 2>&1
    rc=$?
    set -e
    if [[ $rc -eq 0 ]]; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/    /' "$TMP/$name.log"
    fi
}

run test_cheap_roundtrip
run test_wrong_password
run test_tampered_item
run test_default_kdf
run test_passwd_rekey

echo "decryptor: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
