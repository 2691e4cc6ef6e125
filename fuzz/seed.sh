#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fills fuzz/corpus/<target>/ with the seeds fuzz/seeds.txt lists, read in place from the shared
# test data ($KEYDECK_TESTDATA, else ../shared/testdata beside the project) and tests/fixtures/.
# The corpus is .gitignored and never committed; files are named by their SHA-1, as libFuzzer
# names its own, so seeding twice adds nothing. Usage: fuzz/seed.sh [TARGET...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
testdata="${KEYDECK_TESTDATA:-$root/../shared/testdata}"
[ -d "$testdata" ] || { echo "seed.sh: the shared test data is missing ($testdata); set KEYDECK_TESTDATA" >&2; exit 1; }
exec python3 - "$here/seeds.txt" "$testdata" "$root/tests/fixtures" "$here/corpus" "$@" <<'PY'
import hashlib, json, os, sys
seeds, testdata, fixtures, corpus, only = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], set(sys.argv[5:])
roots = {"testdata": testdata, "fixtures": fixtures}
def files(path, exts):
    if os.path.isfile(path):
        yield path
        return
    if not os.path.isdir(path):
        sys.exit(f"seed.sh: {path} is listed in seeds.txt but missing")
    for d, _, names in sorted(os.walk(path)):
        for n in sorted(names):
            if exts == ["*"] or any(n.lower().endswith("." + e) for e in exts):
                yield os.path.join(d, n)
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v: yield from strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from strings(x)
counts = {}
for line in open(seeds, encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    cols = line.split()
    target, source, mode, exts = cols[:4]
    skip = cols[4][1:] if len(cols) > 4 else None
    if only and target not in only:
        continue
    kind, rel = source.split(":", 1)
    out = os.path.join(corpus, target)
    os.makedirs(out, exist_ok=True)
    for f in files(os.path.join(roots[kind], rel), exts.split(",")):
        if skip and skip in f:
            continue
        data = open(f, "rb").read()
        items = [data]
        if mode == "lines":
            items += [l.strip() for l in data.splitlines() if l.strip()]
        elif mode == "strings":
            try:
                items += [s.encode() for s in strings(json.loads(data))]
            except ValueError:
                pass
        for item in items:
            p = os.path.join(out, hashlib.sha1(item).hexdigest())
            if not os.path.exists(p):
                with open(p, "wb") as w:
                    w.write(item)
                counts[target] = counts.get(target, 0) + 1
for t in sorted(counts):
    print(f"{t}: {counts[t]} new seeds")
PY
