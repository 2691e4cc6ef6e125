#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `make fuzz`: seeds every target's corpus from the shared test data, then runs each fuzz target
# for FUZZ_SECONDS (default 120), one at a time, single job. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). Prints one line per target: run time, executions,
# exec/s, coverage (cov = edges, ft = features) and crashes; a crash input is left in
# fuzz/artifacts/<target>/ (copy it to fuzz/regressions/<target>/ once fixed).
# Usage: fuzz/run.sh [TARGET...]   Environment: FUZZ_SECONDS, FUZZ_SANITIZER (none|address).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
seconds="${FUZZ_SECONDS:-120}"
sanitizer="${FUZZ_SANITIZER:-none}"
# 16 codegen units: the build on a shared 2-core machine takes minutes, not tens of them. Build
# and run must pass the same flags, or `fuzz run` rebuilds everything.
flags=(-s "$sanitizer" --codegen-units 16)
command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 1; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
./seed.sh "${targets[@]}" >/dev/null || exit 1
bin_dir="${CARGO_TARGET_DIR:-$here/target}/x86_64-unknown-linux-gnu/release"
mkdir -p artifacts
failed=0
summary=()
for t in "${targets[@]}"; do
    dirs=("corpus/$t")
    [ -d "regressions/$t" ] && dirs+=("regressions/$t")
    log="artifacts/$t.log"
    # Built, run and deleted one at a time: each binary is ~120 MB, and 23 of them fill a disk.
    cargo +nightly fuzz build "${flags[@]}" "$t" >"$log" 2>&1 || { cat "$log"; exit 1; }
    start=$(date +%s)
    cargo +nightly fuzz run "${flags[@]}" "$t" "${dirs[@]}" -- \
        -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -print_final_stats=1 >>"$log" 2>&1
    rc=$?
    rm -f "$bin_dir/$t" "$bin_dir/deps/$t"-*
    took=$(( $(date +%s) - start ))
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
    eps=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log" | tail -1)
    crash="none"
    if [ $rc -ne 0 ]; then
        crash="CRASH ($(grep -m1 -oE "artifacts/[^ ]+" "$log" || echo "see $log"))"
        failed=1
    fi
    summary+=("$(printf '%-34s %4ss  runs %-9s exec/s %-6s cov %-6s ft %-7s %s' "$t" "$took" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$crash")")
    echo "${summary[-1]}"
done
echo "---- fuzz summary (${seconds}s each, sanitizer $sanitizer) ----"
printf '%s\n' "${summary[@]}"
exit $failed
