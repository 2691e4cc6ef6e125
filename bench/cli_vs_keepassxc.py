#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The figure of issue 12 (CLI 16): Keydeck's CLI against keepassxc-cli on the same 10,000
accounts behind the same Argon2id (64 MiB, 3 passes, 4 lanes), each command a fresh process
with the password on standard input / in the environment, median of a few runs:

  open+list   keydeck list                    keepassxc-cli ls -R
  search      keydeck list --search TERM      keepassxc-cli search TERM
  one code    keydeck code NAME               keepassxc-cli show -t NAME
  1 account   keydeck code NAME               keepassxc-cli show -t NAME   (the KDF alone)

Ratios are Keydeck time / keepassxc-cli time (below 1: Keydeck is faster), as in the issue. The goal line
compares one code from the 10,000-account vault with one code from the 1-account vault (goal:
at most +10 %). The KDBX files are written from the Keydeck vaults by the kdbx_fixture example
(core/examples/kdbx_fixture.rs), so both tools hold the very same accounts.

Usage: bench/cli_vs_keepassxc.py KEYDECK_BINARY KDBX_FIXTURE_BINARY [N] [RUNS]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from import_cli import aegis_plain  # noqa: E402

PW = "bench master password"


def timed(cmd, env, stdin, runs, expect):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if r.returncode != 0 or expect not in r.stdout:
            sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[:300]}")
    return statistics.median(times)


def make_vault(keydeck, d, name, n, env):
    vault = os.path.join(d, f"{name}.sqlite")
    subprocess.run([keydeck, "--vault", vault, "init"], env=env, check=True, capture_output=True)
    src = os.path.join(d, f"{name}.json")
    with open(src, "w") as f:
        import json
        json.dump(aegis_plain(n), f)
    subprocess.run([keydeck, "--vault", vault, "import", src], env=env, check=True,
                   capture_output=True)
    # One write-free read first: what a script running `code` every 30 s meets after that.
    subprocess.run([keydeck, "--vault", vault, "list"], env=env, check=True, capture_output=True)
    return vault


def make_kdbx(fixture, vault, d, name, env):
    copy = os.path.join(d, f"{name}-copy.sqlite")
    shutil.copy(vault, copy)
    out = os.path.join(d, f"{name}.kdbx")
    subprocess.run([fixture, copy, out], env=env, check=True, capture_output=True)
    return out


def main():
    keydeck = os.path.abspath(sys.argv[1])
    fixture = os.path.abspath(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    kpx = shutil.which("keepassxc-cli")
    if not kpx:
        sys.exit("keepassxc-cli is not installed (Debian package keepassxc)")
    env = dict(os.environ, KEYDECK_PASSWORD=PW, KEYDECK_BACKUP_MIN_INTERVAL="86400")
    env.pop("KEYDECK_VAULT", None)
    pw_in = PW + "\n"
    with tempfile.TemporaryDirectory() as d:
        big = make_vault(keydeck, d, "big", n, env)
        one = make_vault(keydeck, d, "one", 1, env)
        big_kdbx = make_kdbx(fixture, big, d, "big", env)
        one_kdbx = make_kdbx(fixture, one, d, "one", env)
        pick = f"Service {n // 2}"  # the name an Aegis entry's issuer becomes
        term = f"user{n // 2}"
        rows = []

        def both(label, kd_args, kd_vault, kp_args, kp_db, expect):
            kd = timed([keydeck, "--vault", kd_vault] + kd_args, env, None, runs, expect)
            kp = timed([kpx] + kp_args[:1] + ["-q", kp_db] + kp_args[1:], env, pw_in, runs,
                       expect)
            rows.append((label, kd, kp))
            return kd

        both("open+list", ["list"], big, ["ls", "-R"], big_kdbx, pick)
        both("search", ["list", "--search", term], big, ["search", term], big_kdbx, pick)
        code_big = both("one code", ["code", pick], big, ["show", "-t", pick], big_kdbx, "")
        code_one = both("1 account", ["code", "Service 0"], one, ["show", "-t", "Service 0"],
                        one_kdbx, "")
        print(f"cli_vs_keepassxc: {n} accounts, Argon2id 64 MiB t3 p4 in both, median of "
              f"{runs} runs per command")
        print(f"  {'':<10} {'keydeck':>9} {'keepassxc-cli':>14} {'ratio':>7}")
        for label, kd, kp in rows:
            print(f"  {label:<10} {kd * 1000:>6.0f} ms {kp * 1000:>11.0f} ms {kd / kp:>6.2f}×")
        extra = (code_big / code_one - 1) * 100
        verdict = "ok" if extra <= 10 else "over the goal"
        print(f"  one code from {n} accounts costs {extra:+.0f} % over a 1-account vault "
              f"(goal <= +10 %): {verdict}")


if __name__ == "__main__":
    main()
