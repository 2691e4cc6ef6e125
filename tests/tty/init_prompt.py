#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""On a terminal, `keydeck init` asks for the master password twice (and refuses two different
entries), and later commands prompt for it. Drives the real binary through a pseudo-terminal.

Usage: init_prompt.py /path/to/keydeck"""
import os
import pty
import sys
import tempfile
import time

BIN = sys.argv[1]
failed = 0
passed = 0


def run(args, answers, env):
    """Runs BIN with a pty as its terminal, answering each prompt in turn; returns (exit, output)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(BIN, [BIN, *args], env)
    out = b""
    for prompt, answer in answers:
        while prompt not in out:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        # rpassword prints the prompt, then turns echo off: answer as a person would, after it.
        time.sleep(0.3)
        os.write(fd, answer + b"\n")
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def check(name, cond, detail):
    global failed, passed
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"))
    failed += 0 if cond else 1
    passed += 1 if cond else 0


with tempfile.TemporaryDirectory() as d:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYDECK_")}
    env["KEYDECK_VAULT"] = os.path.join(d, "v.sqlite")
    cheap = ["--kdf-memory", "19", "--kdf-iterations", "2"]
    code, out = run(["init", *cheap], [(b"New master password: ", b"one"), (b"Repeat it: ", b"two")], env)
    check("different entries refused", code == 2 and "the two entries differ" in out, out)
    check("no vault left behind", not os.path.exists(env["KEYDECK_VAULT"]), "file exists")
    pw = b"a long tty passphrase for keydeck"
    code, out = run(["init", *cheap], [(b"New master password: ", pw), (b"Repeat it: ", pw)], env)
    check("init asks twice", code == 0 and "Created a vault" in out, out)
    check("password not echoed", pw.decode() not in out, out)
    code, out = run(["list"], [(b"Master password: ", pw)], env)
    check("list prompts once", code == 0 and "No accounts yet" in out, out)
    code, out = run(["list"], [(b"Master password: ", b"wrong")], env)
    check("wrong password on the terminal", code == 3 and "error: That password is not correct" in out, out)

print(f"tty: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
