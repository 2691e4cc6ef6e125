//! Shared helpers: a vault in a temp dir with cheap (floor) KDF parameters, raw SQL access for
//! tampering, and a marker-filled account.

use std::path::{Path, PathBuf};

use keydeck_core::{AccountDraft, KdfParams, Kek, LockedVault, SecretText, Vault};

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestVault {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TestVault {
    pub fn new() -> (TestVault, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.sqlite");
        let v = Vault::create(&path, &pw(), KdfParams::FLOOR).unwrap();
        (TestVault { dir, path }, v)
    }

    pub fn unlock(&self) -> keydeck_core::Result<Vault> {
        LockedVault::open(&self.path)?.unlock_with_password(&pw())
    }

    pub fn unlock_kek(&self, kek: &Kek) -> keydeck_core::Result<Vault> {
        LockedVault::open(&self.path)?.unlock_with_kek("keychain", kek)
    }

    pub fn sql(&self) -> rusqlite::Connection {
        sql(&self.path)
    }
}

pub fn sql(path: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    c
}

pub fn pw() -> SecretText {
    SecretText::new(PASSWORD)
}

/// A fixed KEK standing in for the OS keychain, so tamper loops skip Argon2.
pub fn test_kek() -> Kek {
    Kek::from_bytes(&[7u8; 32]).unwrap()
}

pub fn draft(name: &str) -> AccountDraft {
    AccountDraft {
        name: name.to_owned(),
        username: format!("{name}-user"),
        password: Some(SecretText::new(format!("{name}-Pa55word!x9"))),
        ..Default::default()
    }
}
