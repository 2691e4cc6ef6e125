#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keychain unlock through the real `keydeck` CLI against a real gnome-keyring (Secret Service).

Run inside its own D-Bus session with an unlocked keyring (make test does this):
    dbus-run-session -- tests/keyring/with-keyring.sh python3 tests/keyring/test_keychain.py KEYDECK

`secret-tool` plays "another program" that deletes or overwrites the stored key behind Keydeck's
back; `dbus-send` locks the keyring. Without a Secret Service the script fails and says why."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback

CLI = os.path.abspath(sys.argv[1])
PASSWORD = "keychain test passphrase"
NEW_PASSWORD = "the changed passphrase"
FAST_KDF = ["--kdf-memory", "19", "--kdf-iterations", "2", "--kdf-parallelism", "1"]


def run(args, password=None, env_extra=None, stdin=subprocess.DEVNULL):
    env = {k: v for k, v in os.environ.items() if k != "KEYDECK_PASSWORD"}
    env["KEYDECK_VAULT"] = VAULT
    env["KEYDECK_KEYCHAIN_TIMEOUT"] = "10"
    if password is not None:
        env["KEYDECK_PASSWORD"] = password
    env.update(env_extra or {})
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, stdin=stdin)


def ok(r):
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    return r


def status():
    return json.loads(ok(run(["keychain", "status", "--json"])).stdout)


def vault_id():
    return status()["vault_id"]


def secret_tool(*args, input_bytes=None):
    return subprocess.run(["secret-tool", *args], input=input_bytes, capture_output=True)


def stored_key(user):
    r = secret_tool("lookup", "service", "keydeck", "username", user)
    return r.stdout if r.returncode == 0 else None


def keychain_slot_ids(vault=None):
    """The ids of the vault file's keychain slots, read with sqlite3 (no key needed)."""
    con = sqlite3.connect(vault or VAULT)
    try:
        import uuid
        return [str(uuid.UUID(bytes=bytes(r[0])))
                for r in con.execute("SELECT id FROM slots WHERE kind = 'keychain'")]
    finally:
        con.close()


def entry_user(vault=None):
    """The keychain entry's user name for this vault file: `<vault id>/<keychain slot id>`."""
    ids = keychain_slot_ids(vault)
    assert len(ids) == 1, ids
    return f"{vault_id()}/{ids[0]}"


def keydeck_users():
    """Every user name Keydeck has an entry for in the keyring, for this vault id."""
    vid = vault_id()
    r = subprocess.run(["secret-tool", "search", "--all", "service", "keydeck"], capture_output=True, text=True,
                       errors="replace")
    return sorted(line.split(" = ", 1)[1].strip() for line in (r.stdout + r.stderr).splitlines()
                  if line.startswith("attribute.username = ") and vid in line)


def fresh_vault():
    global VAULT
    VAULT = os.path.join(tempfile.mkdtemp(prefix="keydeck-kc-"), "vault.sqlite")
    ok(run(["init", *FAST_KDF], password=PASSWORD))
    ok(run(["add", "GitHub", "--username", "octo"], password=PASSWORD))


# ---- tests -------------------------------------------------------------------------------------

def test_enable_restart_unlock_without_password():
    fresh_vault()
    assert status() == {"enabled": False, "works": False, "problem": None, "vault_id": vault_id()}
    ok(run(["keychain", "enable"], password=PASSWORD))
    st = status()
    assert st["enabled"] and st["works"], st
    # One entry per vault and slot, nothing under the vault id alone.
    assert keydeck_users() == [entry_user()], keydeck_users()
    key = stored_key(entry_user())
    assert key is not None and len(key) == 32, key
    # A new process, no password anywhere, stdin not a terminal: the keychain opens the vault.
    r = ok(run(["list", "--json"]))
    assert [a["name"] for a in json.loads(r.stdout)] == ["GitHub"], r.stdout
    assert "keychain" not in r.stderr, r.stderr
    # The activity log records the new unlock method.
    assert "keychain" in ok(run(["log"])).stdout


def test_password_change_keeps_keychain_working():
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    # passwd always asks for the current password, even with the keychain on.
    r = run(["passwd", *FAST_KDF])
    assert r.returncode == 2 and "master password" in r.stderr, r.stderr
    ok(run(["passwd", *FAST_KDF], password=PASSWORD, env_extra={"KEYDECK_NEW_PASSWORD": NEW_PASSWORD}))
    ok(run(["list"]))
    assert status()["works"]
    ok(run(["list", "--no-keychain"], password=NEW_PASSWORD))
    r = run(["list", "--no-keychain"], password=PASSWORD)
    assert r.returncode == 3, r.stderr


def test_disable_removes_slot_and_entry():
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    user = entry_user()
    assert stored_key(user) is not None
    r = ok(run(["keychain", "disable", "--json"]))
    assert json.loads(r.stdout) == {"enabled": False, "slot_removed": True, "entry_removed": True, "entry_problem": None}, r.stdout
    assert stored_key(user) is None, "the keychain entry is gone"
    assert status()["enabled"] is False
    # The password slot is untouched; without a password there is no other way in.
    ok(run(["list"], password=PASSWORD))
    r = run(["list"])
    assert r.returncode == 2 and "master password" in r.stderr, r.stderr


def test_deleted_entry_explains_and_password_works():
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    assert secret_tool("clear", "service", "keydeck", "username", entry_user()).returncode == 0
    st = status()
    assert st["enabled"] and not st["works"] and "holds no key for this vault" in st["problem"], st
    r = ok(run(["list"], password=PASSWORD))
    assert "keychain unlock failed: the system keychain holds no key for this vault" in r.stderr, r.stderr
    r = run(["list"])
    assert r.returncode == 2 and "holds no key" in r.stderr and "master password" in r.stderr, r.stderr


def test_wrong_bytes_are_an_integrity_error_of_the_slot():
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    user = entry_user()
    for junk in (os.urandom(32), b"not a key at all"):
        r = secret_tool("store", "--label=replaced", "service", "keydeck", "username", user, input_bytes=junk)
        assert r.returncode == 0, r.stderr
        st = status()
        assert not st["works"] and "does not open this vault" in st["problem"], st
        r = run(["list", "--json"], password=PASSWORD)
        assert r.returncode == 0 and "does not open this vault" in r.stderr, r.stderr
        assert json.loads(r.stdout)[0]["name"] == "GitHub"
    # Turning it off and on again repairs it.
    ok(run(["keychain", "disable"], password=PASSWORD))
    ok(run(["keychain", "enable"], password=PASSWORD))
    assert status()["works"]


def copy_vault():
    """A copy of the current vault file (same vault id, same slots) in a folder of its own."""
    dest = os.path.join(tempfile.mkdtemp(prefix="keydeck-kc-copy-"), "vault.sqlite")
    con = sqlite3.connect(VAULT)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    shutil.copyfile(VAULT, dest)
    return dest


def as_vault(path, fn):
    global VAULT
    saved, VAULT = VAULT, path
    try:
        return fn()
    finally:
        VAULT = saved


def test_copies_of_a_vault_work_independently():
    fresh_vault()
    original = VAULT
    copy = copy_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    ok(as_vault(copy, lambda: run(["keychain", "enable"], password=PASSWORD)))
    a, b = entry_user(original), as_vault(copy, lambda: entry_user(copy))
    assert a != b and a.split("/")[0] == b.split("/")[0], (a, b)
    assert stored_key(a) != stored_key(b)
    # Turning it on for the copy did not break the original, and the other way round.
    for path in (original, copy):
        r = as_vault(path, lambda: ok(run(["list", "--json"])))
        assert [x["name"] for x in json.loads(r.stdout)] == ["GitHub"], r.stdout
        assert "keychain" not in r.stderr, r.stderr
    # Off for the original: the copy keeps its key and still opens without a password.
    ok(run(["keychain", "disable"], password=PASSWORD))
    assert stored_key(a) is None and stored_key(b) is not None
    r = as_vault(copy, lambda: ok(run(["list", "--json"])))
    assert "keychain" not in r.stderr, r.stderr
    assert as_vault(copy, status)["works"]
    r = run(["list"])
    assert r.returncode == 2 and "master password" in r.stderr, r.stderr
    ok(as_vault(copy, lambda: run(["keychain", "disable"], password=PASSWORD)))


def test_failed_slot_write_keeps_the_old_key():
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    before = entry_user()
    key = stored_key(before)
    # The test seam: a trigger makes the vault refuse the new slot row, as a full disk would.
    con = sqlite3.connect(VAULT)
    con.execute("CREATE TRIGGER keydeck_test_refuse BEFORE INSERT ON slots "
                "BEGIN SELECT RAISE(ABORT, 'slot write refused by the test'); END")
    con.commit()
    con.close()
    r = run(["keychain", "enable"], password=PASSWORD)
    assert r.returncode != 0 and "slot write refused by the test" in r.stderr, (r.returncode, r.stderr)
    con = sqlite3.connect(VAULT)
    con.execute("DROP TRIGGER keydeck_test_refuse")
    con.commit()
    con.close()
    # The old slot and its key are intact, and the new key was not left behind.
    assert entry_user() == before
    assert stored_key(before) == key
    assert keydeck_users() == [before], keydeck_users()
    r = ok(run(["list", "--json"]))
    assert "keychain" not in r.stderr and json.loads(r.stdout)[0]["name"] == "GitHub", r.stderr
    ok(run(["keychain", "disable"], password=PASSWORD))


def test_an_entry_from_an_earlier_version_still_unlocks_and_moves_on_enable():
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    vid, user = vault_id(), entry_user()
    key = stored_key(user)
    # As an earlier Keydeck stored it: user = the vault id alone.
    assert secret_tool("store", "--label=old", "service", "keydeck", "username", vid, input_bytes=key).returncode == 0
    assert secret_tool("clear", "service", "keydeck", "username", user).returncode == 0
    assert keydeck_users() == [vid]
    r = ok(run(["list", "--json"]))
    assert "keychain" not in r.stderr, r.stderr
    assert status()["works"]
    ok(run(["keychain", "enable"], password=PASSWORD))
    assert keydeck_users() == [entry_user()], keydeck_users()
    assert entry_user() != user
    r = ok(run(["list", "--json"]))
    assert "keychain" not in r.stderr, r.stderr
    ok(run(["keychain", "disable"], password=PASSWORD))
    assert keydeck_users() == []


def test_no_session_bus():
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    nobus = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/keydeck-test-bus"}
    r = ok(run(["list"], password=PASSWORD, env_extra=nobus))
    assert "keychain unlock failed: the system keychain is not available" in r.stderr, r.stderr
    r = ok(run(["keychain", "status", "--json"], env_extra=nobus))
    st = json.loads(r.stdout)
    assert st["enabled"] and not st["works"] and "not available" in st["problem"], st
    r = run(["keychain", "enable"], password=PASSWORD, env_extra=nobus)
    assert r.returncode == 1 and r.stderr.startswith("error: the system keychain is not available"), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_locked_keyring():
    # Last: the keyring stays locked afterwards (unlocking needs a prompt).
    fresh_vault()
    ok(run(["keychain", "enable"], password=PASSWORD))
    r = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.secrets",
                        "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
                        "array:objpath:/org/freedesktop/secrets/collection/login"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # No display for the keyring's unlock prompt: it fails at once, and Keydeck says so.
    headless = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    r = ok(run(["list"], password=PASSWORD, env_extra=headless))
    assert "keychain unlock failed: the system keychain is locked or denied access" in r.stderr, r.stderr
    st = json.loads(ok(run(["keychain", "status", "--json"], env_extra=headless)).stdout)
    assert not st["works"] and "locked" in st["problem"], st


def main():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("keychain tests: no D-Bus session; run them through tests/keyring/with-keyring.sh "
              "inside dbus-run-session (make test does)", file=sys.stderr)
        return 1
    probe = secret_tool("search", "service", "keydeck-probe")
    if probe.returncode not in (0, 1) or b"Cannot autolaunch" in probe.stderr:
        print(f"keychain tests: no Secret Service reachable: {probe.stderr.decode().strip()}", file=sys.stderr)
        return 1
    tests = [v for k, v in globals().items() if k.startswith("test_")]
    failed = 0
    for t in tests:
        try:
            t()
            print(f"ok   {t.__name__}")
        except Exception:
            failed += 1
            print(f"FAIL {t.__name__}")
            traceback.print_exc()
    print(f"keychain: {len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
