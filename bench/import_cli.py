#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end import figure of issue 10: `keydeck import` of a 10,000-account Aegis plain export
into an empty vault (process start, Argon2id unlock at the default 64 MiB, reading, planning and
the one transaction), median of 5 runs, each into a fresh copy of the same empty vault.

Usage: bench/import_cli.py KEYDECK_BINARY [N]
"""
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def aegis_plain(n):
    entries = []
    for i in range(n):
        secret = base64.b32encode(f"secret-{i:08}-bench!".encode()).decode().rstrip("=")
        entries.append({
            "type": "totp", "uuid": f"00000000-0000-4000-8000-{i:012}",
            "name": f"user{i}@example.com", "issuer": f"Service {i}", "note": "",
            "favorite": False, "icon": None,
            "info": {"secret": secret, "algo": "SHA1", "digits": 6, "period": 30},
        })
    return {"version": 1, "header": {"slots": None, "params": None},
            "db": {"version": 2, "entries": entries}}


def main():
    binary = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    env = dict(os.environ, KEYDECK_PASSWORD="bench master password")
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty.sqlite")
        subprocess.run([binary, "--vault", empty, "init"], env=env, check=True,
                       capture_output=True)
        src = os.path.join(d, "aegis.json")
        with open(src, "w") as f:
            json.dump(aegis_plain(n), f)
        times = []
        for run in range(5):
            v = os.path.join(d, f"v{run}.sqlite")
            shutil.copy(empty, v)
            t = time.perf_counter()
            r = subprocess.run([binary, "--vault", v, "--json", "import", src], env=env,
                               capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            if r.returncode != 0:
                sys.exit(f"import failed: {r.stderr.strip()}")
            added = len(json.loads(r.stdout)["ids"])
            assert added == n, f"{added} of {n} added"
        print(f"import_cli: {n} Aegis accounts, end to end in the CLI: median "
              f"{statistics.median(times) * 1000:.0f} ms (runs: "
              f"{', '.join(f'{t * 1000:.0f}' for t in times)} ms); target <= 1000 ms")


if __name__ == "__main__":
    main()
