#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent decryptor for a Keydeck vault (format 1), written from docs/vault-format.md alone.

Usage:  KEYDECK_PASSWORD=... python3 keydeck_decrypt.py VAULT_PATH

Prints one JSON object: {"vault_id", "accounts": [...], "events": [...]}.
Exit codes (as the keydeck CLI): 0 ok, 2 bad input/usage, 3 wrong password,
4 integrity failure (an item does not authenticate), 1 anything else.
Needs only the standard library, `cryptography` and `argon2-cffi`. Never writes to the vault.
"""

import json
import os
import pathlib
import re
import sqlite3
import struct
import sys
import uuid

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = 1          # meta.format this reader understands (doc §1, §7)
SCHEMA = 2          # PRAGMA user_version this reader understands (doc §1)
RECORD_V = 1        # "v" of the record JSON layout (doc §5)

# doc §3: exactly this spelling, decimal without leading zeros.
NUM = r"(0|[1-9][0-9]*)"
PARAMS_RE = re.compile(rf"argon2id:v=19,m={NUM},t={NUM},p={NUM}")


class Fail(Exception):
    """An error with the exit code to leave with."""

    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


def lp(b):
    """lp(x): 4-byte big-endian length of x, then x (doc §3)."""
    return struct.pack(">I", len(b)) + b


def slot_aad(vault_id, slot_id, kind, params, salt):
    return (b"keydeck/v1/slot" + vault_id + slot_id
            + lp(kind.encode()) + lp(params.encode()) + lp(salt))


def item_aad(vault_id, item_id, kind):
    return b"keydeck/v1/item" + vault_id + item_id + lp(kind.encode())


def open_ro(path):
    """Open the SQLite file without ever writing to it.

    mode=ro first. A WAL database whose -shm is missing (and cannot be created) may refuse a
    read-only open; then fall back to mode=rw (which, unlike a plain open, never creates the
    file) with query_only on, so no statement can modify the vault.
    """
    if not os.path.isfile(path):
        raise Fail(2, f"no such vault file: {path}")
    uri = pathlib.Path(path).resolve().as_uri()
    try:
        db = sqlite3.connect(uri + "?mode=ro", uri=True)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # errors surface here
        return db
    except sqlite3.Error:
        pass
    db = sqlite3.connect(uri + "?mode=rw", uri=True)
    db.execute("PRAGMA query_only = ON")
    return db


def parse_params(params):
    """Parse and bound-check a password slot's params (doc §3). Returns (m, t, p)."""
    mt = PARAMS_RE.fullmatch(params)
    if not mt:
        raise Fail(1, f"invalid password slot params: {params!r}")
    m, t, p = (int(g) for g in mt.groups())
    if m < 19456 or t < 2:
        raise Fail(1, f"KdfTooWeak: refusing to derive with {params!r} (floor m>=19456, t>=2)")
    if m > 4194304 or t > 64 or p == 0 or p > 64:
        raise Fail(1, f"password slot params out of bounds: {params!r}")
    return m, t, p


def unwrap_vault_key(db, vault_id, password):
    """Try every password slot in turn; the first that unwraps gives the vault key (doc §3)."""
    tried = 0
    for sid, kind, params, salt, nonce, wrapped in db.execute(
            "SELECT id, kind, params, salt, nonce, wrapped_key FROM slots ORDER BY created_at, id"):
        if kind != "password":          # keychain needs the OS keychain; others are reserved
            continue
        m, t, p = parse_params(params)  # refuses weak or malformed params before any work
        if len(sid) != 16 or len(salt) != 32 or len(nonce) != 12 or len(wrapped) != 48:
            raise Fail(4, f"password slot {uuid.UUID(bytes=bytes(sid))}: malformed row")
        kek = hash_secret_raw(secret=password.encode("utf-8"), salt=bytes(salt),
                              time_cost=t, memory_cost=m, parallelism=p,
                              hash_len=32, type=Type.ID, version=19)
        tried += 1
        try:
            return AESGCM(kek).decrypt(bytes(nonce), bytes(wrapped),
                                       slot_aad(vault_id, bytes(sid), kind, params, bytes(salt)))
        except InvalidTag:
            continue
    if tried == 0:
        raise Fail(1, "the vault has no password slot")
    raise Fail(3, "wrong password")


# doc §5: defaults for missing optional fields; unknown fields are ignored.
ACCOUNT_DEFAULTS = {
    "issuer": "", "username": "", "url": "", "notes": "", "icon": "", "password": "",
    "tags": [], "otp": None, "recovery": [], "password_changed_at": None,
    "password_score": None, "password_history": [],
}
RECOVERY_DEFAULTS = {"used_at": None, "note": ""}
EVENT_DEFAULTS = {"account_id": None, "account": "", "detail": ""}


def pick(rec, required, defaults):
    """The documented fields of rec, with defaults filled in (unknown fields dropped)."""
    out = {}
    for k in required:
        if k not in rec:
            raise KeyError(k)
        out[k] = rec[k]
    for k, d in defaults.items():
        out[k] = rec.get(k, d)
    return out


def decode_record(item_id, kind, plaintext):
    rec = json.loads(plaintext.decode("utf-8"))
    if not isinstance(rec, dict) or not isinstance(rec.get("v"), int):
        raise Fail(1, f"item {item_id}: record is not a JSON object with an integer \"v\"")
    if rec["v"] > RECORD_V:
        raise Fail(1, f"item {item_id}: record version {rec['v']} is newer than this reader")
    try:
        if kind == "account":
            out = pick(rec, ["name"], ACCOUNT_DEFAULTS)
            out["recovery"] = [pick(r, ["code"], RECOVERY_DEFAULTS) for r in out["recovery"]]
            out["password_history"] = [pick(h, ["password", "retired_at"], {})
                                       for h in out["password_history"]]
        else:
            out = pick(rec, ["what"], EVENT_DEFAULTS)
    except KeyError as e:
        raise Fail(1, f"item {item_id}: {kind} record lacks required field {e}")
    return out


def decrypt_vault(path, password):
    db = open_ro(path)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
        if user_version != SCHEMA:
            raise Fail(1, f"schema version {user_version} is not {SCHEMA}; refusing")
        fmt = meta.get("format")
        if not isinstance(fmt, int) or fmt != FORMAT:
            raise Fail(1, f"meta.format is {fmt!r}, this reader knows {FORMAT} only")
        vault_id = meta.get("vault_id")
        if not isinstance(vault_id, bytes) or len(vault_id) != 16:
            raise Fail(4, "meta.vault_id is not 16 bytes")

        vk = AESGCM(unwrap_vault_key(db, vault_id, password))

        accounts, events = [], []
        # rowid is insertion order: a tie-breaker for equal created_at (items is a rowid table).
        for iid, kind, nonce, ct, created, updated in db.execute(
                "SELECT id, kind, nonce, ciphertext, created_at, updated_at FROM items "
                "ORDER BY created_at, rowid"):
            item_id = str(uuid.UUID(bytes=bytes(iid)))
            if kind not in ("account", "event", "settings", "backup_status"):
                print(f"skipping item {item_id} of unknown kind {kind!r}", file=sys.stderr)
                continue
            try:
                if len(nonce) != 12:
                    raise InvalidTag()
                pt = vk.decrypt(bytes(nonce), bytes(ct), item_aad(vault_id, bytes(iid), kind))
            except InvalidTag:
                raise Fail(4, f"item {item_id}: authentication failed (tampered or damaged)")
            if kind in ("settings", "backup_status"):
                # Vault settings and backup bookkeeping (§5): authenticated above, not reported.
                continue
            rec = decode_record(item_id, kind, pt)
            if kind == "account":
                accounts.append({"id": item_id, **rec,
                                 "created_at": created, "updated_at": updated})
            else:
                events.append({"id": item_id, "at": created, **rec})
        return {"vault_id": str(uuid.UUID(bytes=vault_id)),
                "accounts": accounts, "events": events}
    finally:
        db.close()


def main(argv):
    if len(argv) != 2:
        print("usage: KEYDECK_PASSWORD=... keydeck_decrypt.py VAULT_PATH", file=sys.stderr)
        return 2
    password = os.environ.get("KEYDECK_PASSWORD")
    if password is None:
        print("KEYDECK_PASSWORD is not set", file=sys.stderr)
        return 2
    try:
        out = decrypt_vault(argv[1], password)
    except Fail as e:
        print(e, file=sys.stderr)
        return e.code
    except sqlite3.Error as e:
        print(f"cannot read the vault: {e}", file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
