//! The frozen format-v1 vault (tests/fixtures/vaults/v1.sqlite, password in its README) opens
//! forever, with every field as written. Never regenerate it: add a new fixture per version.

use keydeck_core::{Algorithm, LockedVault, OtpKind, SecretText};

fn fixture_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/vaults/v1.sqlite");
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("v1.sqlite");
    // Opening writes (the unlock is logged): work on a copy so the fixture stays frozen.
    std::fs::copy(&src, &dst).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    (dir, dst)
}

#[test]
fn format_v1_fixture_opens() {
    let (_dir, path) = fixture_copy();
    let v = LockedVault::open(&path)
        .unwrap()
        .unlock_with_password(&SecretText::new("keydeck fixture v1"))
        .unwrap();
    assert!(v.damaged().is_empty());
    assert_eq!(v.len(), 2);
    let gh = v.account(v.resolve("GitHub").unwrap()).unwrap();
    assert_eq!(gh.issuer, "GitHub");
    assert_eq!(gh.username, "octocat@example.com");
    assert_eq!(gh.password.expose(), "Tr0ub4dor&3-rotated");
    assert_eq!(gh.password_history.len(), 1);
    assert_eq!(gh.password_history[0].password.expose(), "Tr0ub4dor&3");
    assert_eq!(gh.url, "https://github.com/login");
    assert_eq!(gh.notes, "Work account.\nSSO via Okta.");
    assert_eq!(gh.tags, vec!["work", "dev"]);
    let otp = gh.otp.as_ref().unwrap();
    assert_eq!(otp.kind, OtpKind::Totp);
    assert_eq!(otp.secret.expose(), b"12345678901234567890");
    assert_eq!(
        (otp.algorithm, otp.digits, otp.period),
        (Algorithm::Sha1, 6, 30)
    );
    let codes: Vec<&str> = gh.recovery.iter().map(|c| c.code.expose()).collect();
    assert_eq!(codes, vec!["a1b2c-3d4e5", "f6g7h-8i9j0", "k1l2m-3n4o5"]);
    assert_eq!(gh.recovery_counts(), (2, 1));

    let bank = v.account(v.resolve("Bank").unwrap()).unwrap();
    assert_eq!(bank.username, "jane.doe");
    assert!(bank.otp.is_none());
    let (events, damaged) = v.events().unwrap();
    assert!(damaged.is_empty());
    assert!(events.len() >= 6);
    let slots = v.slots().unwrap();
    assert_eq!(slots[0].params, "argon2id:v=19,m=65536,t=3,p=4");
}
