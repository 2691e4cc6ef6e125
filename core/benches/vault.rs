//! Vault benchmarks (issue 2): password unlock at default parameters, unlock with a given KEK
//! (the keychain path), open + decrypt 10,000 accounts, search over 10,000, one durable add.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use keydeck_core::{AccountDraft, KdfMemory, KdfParams, Kek, LockedVault, SecretText, Vault};

fn pw() -> SecretText {
    SecretText::new("bench master password")
}

fn kek() -> Kek {
    Kek::from_bytes(&[9u8; 32]).unwrap()
}

/// A vault with `n` realistic accounts and a keychain-style slot.
fn make_vault(path: &Path, n: usize) {
    let mut v = Vault::create(path, &pw(), KdfParams::default()).unwrap();
    v.add_kek_slot("keychain", &kek()).unwrap();
    let services = [
        "GitHub",
        "Google",
        "Bank of Example",
        "Mastodon",
        "AWS",
        "Proton",
        "Steam",
    ];
    let drafts: Vec<AccountDraft> = (0..n)
        .map(|i| AccountDraft {
            name: format!("{} {i}", services[i % services.len()]),
            issuer: services[i % services.len()].to_owned(),
            username: format!("user{i}@example.com"),
            password: Some(SecretText::new(format!("pw-{i}-Xq7!vR2#kL9"))),
            url: format!("https://service{i}.example.com/login"),
            notes: "Recovery e-mail on the other address.".to_owned(),
            tags: vec!["work".into(), format!("group{}", i % 10)],
            icon: String::new(),
            otp: None,
            ..Default::default()
        })
        .collect();
    for chunk in drafts.chunks(1000) {
        let batch = chunk
            .iter()
            .map(|d| AccountDraft {
                name: d.name.clone(),
                issuer: d.issuer.clone(),
                username: d.username.clone(),
                password: d.password.as_ref().map(|p| p.duplicate()),
                url: d.url.clone(),
                notes: d.notes.clone(),
                tags: d.tags.clone(),
                icon: String::new(),
                otp: None,
                ..Default::default()
            })
            .collect();
        v.add_accounts(batch).unwrap();
    }
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.sqlite");
    make_vault(&small, 10);
    let big = dir.path().join("big.sqlite");
    make_vault(&big, 10_000);

    let mut g = c.benchmark_group("unlock");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("password_default_params_10_accounts", |b| {
        b.iter_with_large_drop(|| {
            LockedVault::open(&small)
                .unwrap()
                .unlock_with_password(&pw())
                .unwrap()
        })
    });
    // The app's path: Argon2's memory was faulted in while the password was typed.
    let mut memory = KdfMemory::for_params(&KdfParams::default());
    g.bench_function("password_default_params_prepared_memory_10_accounts", |b| {
        b.iter_with_large_drop(|| {
            LockedVault::open(&small)
                .unwrap()
                .unlock_with_password_in(&pw(), Some(&mut memory))
                .unwrap()
        })
    });
    g.bench_function("kek_10_accounts", |b| {
        b.iter_with_large_drop(|| {
            LockedVault::open(&small)
                .unwrap()
                .unlock_with_kek("keychain", &kek())
                .unwrap()
        })
    });
    g.bench_function("kek_open_decrypt_10000_accounts", |b| {
        b.iter_with_large_drop(|| {
            LockedVault::open(&big)
                .unwrap()
                .unlock_with_kek("keychain", &kek())
                .unwrap()
        })
    });
    // Locking drops and zeroizes every decrypted record: measured on its own.
    g.bench_function("lock_10000_accounts", |b| {
        b.iter_batched(
            || {
                LockedVault::open(&big)
                    .unwrap()
                    .unlock_with_kek("keychain", &kek())
                    .unwrap()
            },
            |v| v.lock(),
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();

    let v = LockedVault::open(&big)
        .unwrap()
        .unlock_with_kek("keychain", &kek())
        .unwrap();
    assert_eq!(v.len(), 10_000);
    let mut g = c.benchmark_group("search_10000");
    g.bench_function("substring_hit_few", |b| b.iter(|| v.search("user9999@")));
    g.bench_function("substring_hit_many", |b| b.iter(|| v.search("group3")));
    g.bench_function("substring_miss", |b| b.iter(|| v.search("zzzz-not-there")));
    g.finish();
    drop(v);

    let mut v = LockedVault::open(&small)
        .unwrap()
        .unlock_with_kek("keychain", &kek())
        .unwrap();
    let mut g = c.benchmark_group("write");
    g.sample_size(30);
    let mut i = 0u64;
    g.bench_function("durable_add_one_account", |b| {
        b.iter(|| {
            i += 1;
            v.add_account(AccountDraft {
                name: format!("bench {i}"),
                username: "u".into(),
                password: Some(SecretText::new("Bench-Passw0rd-x!")),
                ..Default::default()
            })
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(vault, benches);
criterion_main!(vault);
