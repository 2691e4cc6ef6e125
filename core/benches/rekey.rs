// SPDX-License-Identifier: GPL-3.0-or-later
//! Re-key of a 10,000-account vault (issue 12, finding 1; target ≤ 1 s): `rekey` at the default
//! Argon2id parameters (one derivation), then every item re-encrypted and rewritten in one
//! transaction, the slots re-wrapped and the WAL truncated. A keychain-style slot is carried over.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use keydeck_core::{KdfParams, Kek, LockedVault, SecretText, Vault};

mod common;

fn pw() -> SecretText {
    SecretText::new("bench master password")
}

fn rekey(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let kek = Kek::from_bytes(&[9u8; 32]).unwrap();
    let mut v = Vault::create(&path, &pw(), KdfParams::default()).unwrap();
    v.add_kek_slot("keychain", &kek).unwrap();
    let drafts = common::drafts(0..10_000);
    v.add_accounts(drafts).unwrap();
    drop(v);
    let mut v = LockedVault::open(&path)
        .unwrap()
        .unlock_with_kek("keychain", &kek)
        .unwrap();
    assert_eq!(v.len(), 10_000);

    let mut g = c.benchmark_group("rekey");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("rekey_10000_accounts", |b| {
        b.iter(|| {
            let r = v.rekey_with(&pw(), &[("keychain", &kek)]).unwrap();
            assert!(r.items >= 20_000 && r.dropped_slots.is_empty());
        })
    });
    g.finish();
}

criterion_group!(benches, rekey);
criterion_main!(benches);
