//! Diagnostic: which decoding pass finds which expected code, over the fixture sets — the data
//! behind the pass order in `qr::decode`. `cargo run --release -p keydeck-core --example qr_eval`
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::type_complexity)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use keydeck_core::qr::{decode, load};
use serde_json::Value;

type Pass = (&'static str, fn(&image::GrayImage) -> (Vec<String>, usize));

const PASSES: [Pass; 7] = [
    ("rqrr", |i| decode::rqrr_pass(i)),
    ("rqrr-inv", |i| decode::rqrr_pass(&decode::invert(i))),
    ("rqrr-bin", |i| decode::rqrr_pass(&decode::binarize(i))),
    ("rqrr-up2", |i| decode::rqrr_pass(&decode::upscale2(i))),
    ("rxing", |i| decode::rxing_pass(i)),
    ("rxing-half", |i| decode::rxing_pass(&decode::half(i))),
    ("PIPELINE", |i| {
        (
            decode::find_codes(i)
                .into_iter()
                .map(|f| f.text.expose().to_owned())
                .collect(),
            0,
        )
    }),
];

/// The shared public test data (`KEYDECK_TESTDATA`, else `../shared/testdata` beside the
/// project), read in place.
fn testdata() -> std::path::PathBuf {
    let d = match std::env::var_os("KEYDECK_TESTDATA") {
        Some(d) => std::path::PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata"),
    };
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (set KEYDECK_TESTDATA to its folder)",
        d.display()
    );
    d
}

fn main() {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let shared = testdata();
    // (set, file, expected texts)
    let mut items: Vec<(String, std::path::PathBuf, Vec<String>)> = Vec::new();
    let d: Value = serde_json::from_slice(
        &std::fs::read(shared.join("qr_images/qr_images_expected.json")).unwrap(),
    )
    .unwrap();
    for (name, set) in d["sets"]["zxing-cpp"].as_object().unwrap() {
        for it in set["items"].as_array().unwrap() {
            let want = it
                .get("expected_text")
                .and_then(Value::as_str)
                .map(|t| vec![t.to_owned()])
                .unwrap_or_default();
            items.push((
                format!("zxing/{name}"),
                shared.join("qr_images").join(it["file"].as_str().unwrap()),
                want,
            ));
        }
    }
    if let Ok(b) = std::fs::read(fx.join("screenshots/expected.json")) {
        let s: Value = serde_json::from_slice(&b).unwrap();
        for it in s.as_array().unwrap() {
            let want = it["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect();
            items.push((
                "screenshots".into(),
                fx.join("screenshots").join(it["file"].as_str().unwrap()),
                want,
            ));
        }
    }
    // per set: per pass (codes found, ms), union, codes total, false positives
    let mut sets: BTreeMap<String, (Vec<(usize, f64)>, usize, usize, usize)> = BTreeMap::new();
    for (set, file, want) in &items {
        let Ok(img) = load::load_file(file) else {
            continue;
        };
        let e = sets
            .entry(set.clone())
            .or_insert((vec![(0, 0.0); PASSES.len()], 0, 0, 0));
        e.2 += want.len();
        let mut union: Vec<String> = Vec::new();
        let mut line = format!("{:60}", file.file_name().unwrap().to_string_lossy());
        for (k, (name, f)) in PASSES.iter().enumerate() {
            let t = Instant::now();
            let (texts, _) = f(&img);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            let hits = want.iter().filter(|w| texts.contains(w)).count();
            e.0[k].0 += hits;
            e.0[k].1 += ms;
            if want.is_empty() && !texts.is_empty() {
                e.3 += 1;
                line.push_str(&format!(" FALSE-POSITIVE({name})"));
            }
            for t in texts {
                if want.contains(&t) && !union.contains(&t) {
                    union.push(t);
                }
            }
            line.push_str(&format!(" {name}:{hits}/{}", want.len()));
        }
        e.1 += union.len();
        println!("{line}");
    }
    println!();
    for (set, (per, union, total, fp)) in &sets {
        let mut line = format!("{set:22} union {union}/{total} fp {fp} |");
        for (k, (hits, ms)) in per.iter().enumerate() {
            line.push_str(&format!(" {} {hits} ({ms:.0}ms)", PASSES[k].0));
        }
        println!("{line}");
    }
}
