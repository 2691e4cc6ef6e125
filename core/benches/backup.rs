//! Backup benchmark (issue 10): one backup (`VACUUM INTO` snapshot, fsync, rename, folder
//! fsync, prune) of a 10,000-account vault; and inspecting that backup with the password.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use keydeck_core::{inspect_backup, BackupSettings, KdfParams, SecretText, Vault};

mod common;

fn pw() -> SecretText {
    SecretText::new("bench master password")
}

fn backup(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let mut v = Vault::create(&path, &pw(), KdfParams::FLOOR).unwrap();
    for chunk in 0..10 {
        let drafts = common::drafts(chunk * 1000..(chunk + 1) * 1000);
        v.add_accounts(drafts).unwrap();
    }
    v.set_backup_settings(&BackupSettings {
        keep: 3,
        ..Default::default()
    })
    .unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!("vault of 10,000 accounts: {} KiB", size / 1024);
    let mut g = c.benchmark_group("backup");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("backup_now_10000_accounts", |b| {
        b.iter(|| v.backup_now(None).unwrap())
    });
    let last = v.backup_now(None).unwrap();
    g.bench_function("inspect_backup_10000_accounts_floor_kdf", |b| {
        b.iter(|| inspect_backup(&last.path, &pw()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, backup);
criterion_main!(benches);
