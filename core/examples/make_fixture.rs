//! Writes the frozen fixture vault for the current format: `cargo run -p keydeck-core --example
//! make_fixture -- tests/fixtures/vaults/vN.sqlite`. Run once per format version, commit the
//! file, never regenerate it (tests/it/fixture.rs pins its content).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keydeck_core::{
    AccountDraft, AccountPatch, Algorithm, KdfParams, Otp, OtpKind, SecretBytes, SecretText, Vault,
};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: make_fixture OUT.sqlite");
    let pw = SecretText::new("keydeck fixture v1");
    let mut v = Vault::create(std::path::Path::new(&path), &pw, KdfParams::default()).unwrap();
    let gh = v
        .add_account(AccountDraft {
            name: "GitHub".into(),
            issuer: "GitHub".into(),
            username: "octocat@example.com".into(),
            password: Some(SecretText::new("Tr0ub4dor&3")),
            url: "https://github.com/login".into(),
            notes: "Work account.\nSSO via Okta.".into(),
            tags: vec!["work".into(), "dev".into()],
            icon: "github.com".into(),
            otp: None,
            ..Default::default()
        })
        .unwrap();
    v.update_account(
        gh,
        AccountPatch {
            password: Some(SecretText::new("Tr0ub4dor&3-rotated")),
            ..Default::default()
        },
    )
    .unwrap();
    v.set_otp(
        gh,
        Some(Otp {
            kind: OtpKind::Totp,
            secret: SecretBytes::new(b"12345678901234567890".to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            counter: 0,
        }),
    )
    .unwrap();
    v.add_recovery_codes(gh, "1. a1b2c-3d4e5\n2. f6g7h-8i9j0\n3. k1l2m-3n4o5")
        .unwrap();
    v.use_recovery_code(gh, &SecretText::new("f6g7h-8i9j0"))
        .unwrap();
    v.add_account(AccountDraft {
        name: "Bank".into(),
        username: "jane.doe".into(),
        password: Some(SecretText::new("correct horse battery staple")),
        ..Default::default()
    })
    .unwrap();
    drop(v); // the last connection closing folds the WAL back into the file
    println!("wrote {path}");
}
