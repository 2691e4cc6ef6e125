//! Keychain unlock (issue 6): from the start of unlocking to every code ready, with the key read
//! from a real Secret Service. Run inside a D-Bus session with an unlocked gnome-keyring
//! (`make bench` uses tests/keyring/with-keyring.sh); without one it stops and says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use keydeck_core::otp::parse_uri;
use keydeck_core::{AccountDraft, KdfParams, LockedVault, SecretText, Vault};

const ACCOUNTS: usize = 200;

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let mut v = Vault::create(
        &path,
        &SecretText::new("bench master password"),
        KdfParams::default(),
    )
    .unwrap();
    let drafts = (0..ACCOUNTS)
        .map(|i| AccountDraft {
            name: format!("Service {i}"),
            username: format!("user{i}@example.com"),
            otp: Some(
                parse_uri(&format!(
                    "otpauth://totp/Service{i}:u?secret=GEZDGNBVGY3TQOJQGEZDGNBV{:08}",
                    i
                ))
                .map(|e| e.otp)
                .unwrap_or_else(|_| {
                    parse_uri("otpauth://totp/S:u?secret=GEZDGNBVGY3TQOJQ")
                        .unwrap()
                        .otp
                }),
            ),
            ..Default::default()
        })
        .collect();
    v.add_accounts(drafts).unwrap();
    if let Err(e) = v.enable_keychain() {
        panic!(
            "keychain bench needs a Secret Service (run it through tests/keyring/with-keyring.sh \
             inside dbus-run-session): {e}"
        );
    }
    drop(v);

    let mut g = c.benchmark_group("keychain");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    g.bench_function(
        format!("unlock_to_codes_ready_{ACCOUNTS}_totp_accounts"),
        |b| {
            b.iter(|| {
                let v = LockedVault::open(&path)
                    .unwrap()
                    .unlock_with_keychain()
                    .unwrap();
                let now = keydeck_core::now() as u64;
                let ids: Vec<_> = v.accounts().map(|a| a.id).collect();
                let codes: Vec<_> = ids.iter().map(|id| v.code(*id, now).unwrap()).collect();
                assert_eq!(codes.len(), ACCOUNTS);
                codes
            })
        },
    );
    g.finish();

    // Leave the test keyring as we found it.
    let mut v = LockedVault::open(&path)
        .unwrap()
        .unlock_with_keychain()
        .unwrap();
    v.disable_keychain().unwrap();
}

criterion_group!(keychain, benches);
criterion_main!(keychain);
