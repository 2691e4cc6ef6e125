//! QR decode time per screenshot (issue 4: a 4K screenshot in ≤ 150 ms), with and without a
//! code, on the screenshot fixtures. File loading is measured separately.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use keydeck_core::qr::{decode, load};

const CASES: [(&str, &str); 8] = [
    ("1080p_code", "light_1x_1920x1080_single.png"),
    ("1080p_none", "none_light_1x_1920x1080.png"),
    ("1440p_code", "light_1.25x_2560x1440_single.png"),
    ("1440p_none", "none_light_1.5x_2560x1440.png"),
    ("4k_code", "light_2x_3840x2160_single.png"),
    ("4k_none", "none_light_2x_3840x2160.png"),
    ("4k_small_2px_code", "small_light_1x_3840x2160_2px.png"),
    ("5k_code", "light_2x_5120x2880_single.png"),
];

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/screenshots");
    let mut g = c.benchmark_group("qr_decode");
    g.sample_size(15);
    for (name, file) in CASES {
        let img = load::load_file(&dir.join(file)).unwrap();
        g.bench_function(name, |b| b.iter(|| decode::find_codes(&img)));
    }
    g.finish();
    let mut g = c.benchmark_group("qr_load");
    g.sample_size(15);
    g.bench_function("4k_png_to_gray", |b| {
        b.iter(|| load::load_file(&dir.join("light_2x_3840x2160_single.png")).unwrap())
    });
    g.finish();
}

criterion_group!(qr, bench);
criterion_main!(qr);
