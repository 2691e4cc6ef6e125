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

/// The shared public test data: `KEYDECK_TESTDATA`, else `../shared/testdata` beside the project.
/// Read in place, never copied into the repository; missing, the test fails by name.
pub fn testdata_dir() -> PathBuf {
    let d = match std::env::var_os("KEYDECK_TESTDATA") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata"),
    };
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (set KEYDECK_TESTDATA to its folder)",
        d.display()
    );
    d
}

/// A file or folder of the shared test data, which must exist.
pub fn testdata(rel: &str) -> PathBuf {
    let p = testdata_dir().join(rel);
    assert!(p.exists(), "missing shared test data {}", p.display());
    p
}
