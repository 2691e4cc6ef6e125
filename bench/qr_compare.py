#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keydeck's QR reader side by side with zxing-cpp (its Python package) on the same files in the
same run: hit rates per fixture set, and decode time per image for 1080p / 1440p / 4K / 5K
screenshots with and without a code. File loading is excluded on both sides (Keydeck: image
crate → gray; zxing-cpp: Pillow → gray), so the numbers compare decoders.

Usage: bench/qr_compare.py [REPS]   (run by `make bench`; needs `pip install zxing-cpp pillow`)
"""
import json
import os
import statistics
import subprocess
import sys
import time

import zxingcpp
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "tests", "fixtures")
# Other projects' images are read in place from the shared test data, never copied here.
SHARED = os.environ.get("KEYDECK_TESTDATA") or os.path.join(ROOT, "..", "shared", "testdata")
if not os.path.isdir(SHARED):
    sys.exit(f"the shared test data is missing: {SHARED} (set KEYDECK_TESTDATA to its folder)")
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def items():
    """(set, path, expected texts) for every image with known contents."""
    out = []
    d = json.load(open(os.path.join(SHARED, "qr_images", "qr_images_expected.json")))
    for name, s in d["sets"]["zxing-cpp"].items():
        for it in s["items"]:
            want = [it["expected_text"]] if "expected_text" in it else []
            out.append((f"zxing-cpp/{name}", os.path.join(SHARED, "qr_images", it["file"]), want))
    for it in json.load(open(os.path.join(FIX, "screenshots", "expected.json"))):
        out.append(("screenshots", os.path.join(FIX, "screenshots", it["file"]), it["codes"]))
    return out


def zxing(path):
    img = Image.open(path).convert("L")
    times, texts = [], []
    for _ in range(REPS):
        t = time.perf_counter()
        res = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
        times.append((time.perf_counter() - t) * 1e3)
        texts = [r.text for r in res]
    return statistics.median(times), texts


def keydeck(paths):
    cmd = ["cargo", "run", "-q", "--release", "-p", "keydeck-core", "--example", "qr_timing", "--", str(REPS), *paths]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        j = json.loads(line)
        res[j["file"]] = (j.get("ms", 0.0), j.get("texts", []))
    return res


def size_class(w, h):
    if w >= 5000:
        return "5K"
    if w >= 3800:
        return "4K"
    if w >= 2500:
        return "1440p"
    if w >= 1900:
        return "1080p"
    return None


def main():
    its = items()
    kd = keydeck([p for _, p, _ in its])
    sets, timing = {}, {}
    for s, p, want in its:
        zms, ztexts = zxing(p)
        kms, ktexts = kd.get(p, (0.0, []))
        e = sets.setdefault(s, [0, 0, 0])  # keydeck hits, zxing hits, total
        if want:
            e[0] += sum(1 for w in want if w in ktexts)
            e[1] += sum(1 for w in want if w in ztexts)
            e[2] += len(want)
        else:  # a negative: a hit means "found nothing"
            e[0] += int(not ktexts)
            e[1] += int(not ztexts)
            e[2] += 1
        if s == "screenshots":
            w, h = Image.open(p).size
            c = size_class(w, h)
            if c:
                key = (c, "with code" if want else "no code")
                timing.setdefault(key, []).append((kms, zms))
    print(f"QR decoders, same files, same run (median of {REPS}; file loading excluded)\n")
    print(f"{'set':28} {'keydeck':>10} {'zxing-cpp':>10}")
    for s, (k, z, n) in sorted(sets.items()):
        print(f"{s:28} {f'{k}/{n}':>10} {f'{z}/{n}':>10}")
    print(f"\n{'screenshot':22} {'images':>6} {'keydeck ms':>11} {'zxing-cpp ms':>13}")
    order = ["1080p", "1440p", "4K", "5K"]
    for (c, kind), v in sorted(timing.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        k = statistics.median(x[0] for x in v)
        z = statistics.median(x[1] for x in v)
        print(f"{c + ' ' + kind:22} {len(v):>6} {k:>11.1f} {z:>13.1f}")


if __name__ == "__main__":
    main()
