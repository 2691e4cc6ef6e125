//! Import benchmarks (issue 10): a 10,000-account Aegis plain export read, sorted against the
//! vault (new / duplicate) and added in one transaction. The CLI's end-to-end figure (process
//! start, Argon2 unlock and all) is measured by `bench/import_cli.py`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use keydeck_core::import::{self, FileKey};
use keydeck_core::{KdfParams, SecretText, Vault};

/// An Aegis plain vault (docs/vault.md, db version 2) of `n` TOTP entries, written here
/// independently of Keydeck's exporter.
pub fn aegis_plain(n: usize) -> Vec<u8> {
    let b32 = data_encoding::BASE32_NOPAD;
    let entries: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let secret = b32.encode(format!("secret-{i:08}-bench!").as_bytes());
            serde_json::json!({
                "type": "totp",
                "uuid": format!("00000000-0000-4000-8000-{i:012}"),
                "name": format!("user{i}@example.com"),
                "issuer": format!("Service {i}"),
                "note": "",
                "favorite": false,
                "icon": null,
                "info": {"secret": secret, "algo": "SHA1", "digits": 6, "period": 30},
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "version": 1,
        "header": {"slots": null, "params": null},
        "db": {"version": 2, "entries": entries},
    }))
    .unwrap()
}

fn benches(c: &mut Criterion) {
    let file = aegis_plain(10_000);
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function("aegis plain 10,000: read + plan + one transaction", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let v = Vault::create(
                    &dir.path().join("v.sqlite"),
                    &SecretText::new("bench"),
                    KdfParams::FLOOR,
                )
                .unwrap();
                (dir, v, file.clone())
            },
            |(dir, mut v, bytes)| {
                let f = import::read(bytes, None, &FileKey::default()).unwrap();
                assert_eq!(f.accounts.len(), 10_000);
                let plan = v.plan_import(f.accounts);
                v.import_accounts(plan.to_add, "bench").unwrap();
                (dir, v)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("aegis plain 10,000: read only", |b| {
        b.iter(|| import::read(file.clone(), None, &FileKey::default()).unwrap())
    });
    g.finish();
}

criterion_group!(import_benches, benches);
criterion_main!(import_benches);
