#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decrypts an encrypted Aegis vault independently of Keydeck, following Aegis's docs/vault.md:
scrypt(password, salt, N, r, p) unwraps the master key from a password slot (AES-256-GCM), the
master key decrypts the base64 `db` (AES-256-GCM). Prints one line per entry:
issuer|name|secret|digits. The password comes from the AEGIS_PASSWORD variable.

Used by core/src/export/aegis.rs (python_decrypts_our_encrypted_export)."""
import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def main(path):
    password = os.environ["AEGIS_PASSWORD"].encode()
    with open(path, encoding="utf-8") as f:
        vault = json.load(f)
    assert vault["version"] == 1
    header = vault["header"]
    master = None
    for slot in header["slots"]:
        if slot["type"] != 1:
            continue
        kek = hashlib.scrypt(password, salt=bytes.fromhex(slot["salt"]), n=slot["n"],
                             r=slot["r"], p=slot["p"], dklen=32, maxmem=2**28)
        wrapped = bytes.fromhex(slot["key"]) + bytes.fromhex(slot["key_params"]["tag"])
        master = AESGCM(kek).decrypt(bytes.fromhex(slot["key_params"]["nonce"]), wrapped, None)
        break
    assert master is not None and len(master) == 32
    params = header["params"]
    ct = base64.b64decode(vault["db"]) + bytes.fromhex(params["tag"])
    db = json.loads(AESGCM(master).decrypt(bytes.fromhex(params["nonce"]), ct, None))
    assert db["version"] == 3
    for e in db["entries"]:
        print(f'{e["issuer"]}|{e["name"]}|{e["info"]["secret"]}|{e["info"]["digits"]}')


if __name__ == "__main__":
    main(sys.argv[1])
