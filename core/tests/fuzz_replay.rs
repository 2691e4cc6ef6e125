// SPDX-License-Identifier: GPL-3.0-or-later
//! The fuzz targets' inputs on stable, in seconds (`make fuzz-replay`, part of `make test`): every
//! seed `fuzz/seeds.txt` lists and every crash input kept in `fuzz/regressions/<target>/` goes
//! through the same `keydeck_core::fuzzing` function its fuzz target calls. A panic is a failure
//! naming the target and the file; errors for bad input are what is expected.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use keydeck_core::fuzzing;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository")
        .to_owned()
}

fn testdata() -> PathBuf {
    let d = match std::env::var_os("KEYDECK_TESTDATA") {
        Some(d) => PathBuf::from(d),
        None => repo().join("../shared/testdata"),
    };
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (set KEYDECK_TESTDATA to its folder)",
        d.display()
    );
    d
}

/// The files under `path` (itself when a file) whose names end in one of `exts` (`*`: all).
fn files(path: &Path, exts: &[&str]) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    assert!(
        path.is_dir(),
        "{} is in seeds.txt but missing",
        path.display()
    );
    let mut out = Vec::new();
    let mut dirs = vec![path.to_owned()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("readable folder") {
            let p = e.expect("folder entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                if exts == ["*"] || exts.iter().any(|x| name.ends_with(&format!(".{x}"))) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

fn strings(v: &serde_json::Value, out: &mut Vec<Vec<u8>>) {
    match v {
        serde_json::Value::String(s) => out.push(s.as_bytes().to_vec()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// `(target, what, bytes)` for every seed of `fuzz/seeds.txt`, split as seed.sh splits them.
fn seeds() -> Vec<(String, String, Vec<u8>)> {
    let list = std::fs::read_to_string(repo().join("fuzz/seeds.txt")).expect("fuzz/seeds.txt");
    let mut out = Vec::new();
    for line in list.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        let (target, source, mode, exts, skip) = match cols[..] {
            [t, s, m, e] => (t, s, m, e, None),
            [t, s, m, e, k] => (t, s, m, e, k.strip_prefix('!')),
            _ => panic!("seeds.txt: a line needs 4 or 5 columns: {line}"),
        };
        let root = match source.split_once(':') {
            Some(("testdata", rel)) => testdata().join(rel),
            Some(("fixtures", rel)) => repo().join("tests/fixtures").join(rel),
            _ => panic!("seeds.txt: unknown source {source}"),
        };
        let exts: Vec<&str> = exts.split(',').collect();
        for f in files(&root, &exts) {
            if skip.is_some_and(|k| f.to_string_lossy().contains(k)) {
                continue;
            }
            let data = std::fs::read(&f).expect("readable seed");
            let mut items = vec![data.clone()];
            match mode {
                "whole" => {}
                "lines" => items.extend(
                    data.split(|b| *b == b'\n')
                        .map(|l| l.trim_ascii().to_vec())
                        .filter(|l| !l.is_empty()),
                ),
                "strings" => {
                    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&data) {
                        strings(&v, &mut items);
                    }
                }
                other => panic!("seeds.txt: unknown mode {other}"),
            }
            for item in items {
                out.push((target.to_owned(), f.display().to_string(), item));
            }
        }
    }
    out
}

/// Runs every input, on as many threads as there are cores (most of the time is key derivation
/// of the encrypted seeds); the failures, one line each. The slowest inputs are printed (seen
/// with `--nocapture`).
fn replay(inputs: &[(String, String, Vec<u8>)]) -> Vec<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let times = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some((target, what, data)) =
                    inputs.get(next.fetch_add(1, Ordering::Relaxed))
                {
                    let start = std::time::Instant::now();
                    let failure =
                        match catch_unwind(AssertUnwindSafe(|| fuzzing::run(target, data))) {
                            Ok(true) => None,
                            Ok(false) => Some(format!("{target}: no such fuzz target ({what})")),
                            Err(_) => Some(format!("{target}: panicked on {what}")),
                        };
                    let took = start.elapsed();
                    failures.lock().expect("lock").extend(failure);
                    times.lock().expect("lock").push((took, target, what));
                }
            });
        }
    });
    let mut times = times.into_inner().expect("lock");
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    for (t, target, what) in times.iter().take(8) {
        eprintln!("{:>6} ms  {target}  {what}", t.as_millis());
    }
    let mut failures = failures.into_inner().expect("lock");
    failures.sort();
    failures
}

fn target_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("fuzz/fuzz_targets"))
        .expect("fuzz/fuzz_targets")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            p.file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_fuzz_target_has_a_file_a_bin_and_seeds() {
    let mut want = fuzzing::targets();
    want.sort();
    assert_eq!(
        target_files(),
        want,
        "fuzz/fuzz_targets/ against fuzzing::targets()"
    );
    let cargo = std::fs::read_to_string(repo().join("fuzz/Cargo.toml")).expect("fuzz/Cargo.toml");
    let seeded: Vec<String> = seeds().into_iter().map(|(t, _, _)| t).collect();
    for t in &want {
        assert!(
            cargo.contains(&format!("name = \"{t}\"")),
            "{t} is not a [[bin]] of fuzz/Cargo.toml"
        );
        assert!(seeded.contains(t), "{t} has no seeds in fuzz/seeds.txt");
    }
    // Every format Keydeck reads is fuzzed: by a target of its own or by import_small.
    for f in keydeck_core::import::formats() {
        let own = fuzzing::OWN_TARGET_FORMATS.contains(&f.name());
        assert!(
            own != fuzzing::small_formats().contains(&f.name()),
            "{} is fuzzed by exactly one target",
            f.name()
        );
    }
}

#[test]
fn seeds_of_every_fuzz_target_replay_without_a_panic() {
    let inputs = seeds();
    assert!(inputs.len() > 500, "only {} seeds", inputs.len());
    let failures = replay(&inputs);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn kept_crash_inputs_replay_without_a_panic() {
    let dir = repo().join("fuzz/regressions");
    let mut inputs = Vec::new();
    for t in std::fs::read_dir(&dir).expect("fuzz/regressions") {
        let t = t.expect("entry").path();
        if !t.is_dir() {
            continue;
        }
        let target = t
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        for f in files(&t, &["*"]) {
            let data = std::fs::read(&f).expect("readable regression");
            inputs.push((target.clone(), f.display().to_string(), data));
        }
    }
    let failures = replay(&inputs);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
