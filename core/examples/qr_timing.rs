//! For bench/qr_compare.py: decode each image N times, print one JSON line per image with the
//! median decode time (file loading excluded, as for zxing-cpp) and the texts found.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::Instant;

use keydeck_core::qr::{decode, load};

fn main() {
    let mut args = std::env::args().skip(1);
    let reps: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    for path in args {
        let Ok(img) = load::load_file(std::path::Path::new(&path)) else {
            println!("{}", serde_json::json!({"file": path, "error": true}));
            continue;
        };
        let mut times = Vec::new();
        let mut texts = Vec::new();
        for _ in 0..reps {
            let t = Instant::now();
            let found = decode::find_codes(&img);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            texts = found
                .into_iter()
                .map(|f| f.text.expose().to_owned())
                .collect();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{}",
            serde_json::json!({"file": path, "width": img.width(), "height": img.height(), "ms": times[times.len() / 2], "texts": texts})
        );
    }
}
