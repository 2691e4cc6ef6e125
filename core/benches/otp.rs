//! Codes for every account at once, as the accounts grid needs them each period (issue 3:
//! target ≤ 0.5 ms per 1,000 accounts).
#![allow(clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use keydeck_core::otp::{codes_at, parse_uri};
use keydeck_core::Otp;

/// Mostly SHA-1/6-digit/30 s (what services issue), some SHA-256/512, 8 digits, Steam, HOTP.
fn otps(n: usize) -> Vec<Otp> {
    (0..n)
        .map(|i| {
            let secret: String = (0..32)
                .map(|j| b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(i * 7 + j * 13) % 32] as char)
                .collect();
            let uri = match i % 20 {
                0 => format!("otpauth://totp/x?secret={secret}&algorithm=SHA256&digits=8"),
                1 => format!("otpauth://totp/x?secret={secret}&algorithm=SHA512"),
                2 => format!("otpauth://totp/x?secret={secret}&encoder=steam"),
                3 => format!("otpauth://hotp/x?secret={secret}&counter={i}"),
                _ => format!("otpauth://totp/x?secret={secret}"),
            };
            parse_uri(&uri).unwrap().otp
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("codes");
    for n in [1_000usize, 10_000] {
        let list = otps(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("current_and_next", n), &list, |b, list| {
            b.iter(|| codes_at(list.iter(), 1_795_416_695))
        });
    }
    g.finish();
}

criterion_group!(otp, bench);
criterion_main!(otp);
