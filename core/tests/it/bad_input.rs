//! Bad input gets a clear error naming the problem; never a panic, never a half-made vault.

use keydeck_core::{
    AccountDraft, AccountPatch, Error, ErrorKind, KdfParams, LockedVault, SecretText, Vault,
};

use crate::util::{draft, pw, TestVault};

#[test]
fn empty_name_and_oversized_fields() {
    let (_t, mut v) = TestVault::new();
    let e = v
        .add_account(AccountDraft {
            name: "   ".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert_eq!(
        e.to_string(),
        "Give the account a name, for example the service: “GitHub”."
    );

    let e = v
        .add_account(AccountDraft {
            notes: "x".repeat(1 << 20),
            ..draft("Big")
        })
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "The notes are too long: 1048576 bytes, and the limit is 65536."
    );

    let e = v
        .add_account(AccountDraft {
            username: "a\u{0}b".into(),
            ..draft("Nul")
        })
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("The username contains an invisible control character (U+0000)"),
        "{e}"
    );

    let id = v.add_account(draft("Ok")).unwrap();
    let e = v.update_account(id, AccountPatch::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    let e = v
        .update_account(
            id,
            AccountPatch {
                name: Some(String::new()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Give the account a name, for example the service: “GitHub”."
    );
    // Nothing was written by the failed calls.
    assert_eq!(v.len(), 1);
    assert_eq!(v.account(id).unwrap().name, "Ok");
}

#[test]
fn missing_file_directory_and_non_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.sqlite");
    let e = LockedVault::open(&missing).err().unwrap();
    assert!(matches!(e, Error::VaultNotFound { .. }));
    assert!(e.to_string().contains("keydeck init"));
    assert!(!missing.exists(), "opening must not create a file");

    let e = LockedVault::open(dir.path()).err().unwrap();
    assert!(matches!(e, Error::NotAVault { .. }), "{e:?}");

    let text = dir.path().join("notes.txt");
    let content = "this is not a database, just some text that is long enough ".repeat(100);
    std::fs::write(&text, &content).unwrap();
    let e = LockedVault::open(&text).err().unwrap();
    assert!(matches!(e, Error::NotAVault { .. }), "{e:?}");
    assert!(e.to_string().contains("not an SQLite database"), "{e}");
    assert_eq!(
        std::fs::read(&text).unwrap(),
        content.as_bytes(),
        "file untouched"
    );

    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(
        LockedVault::open(&empty),
        Err(Error::NotAVault { .. })
    ));

    // Somebody else's SQLite database is not taken over.
    let other = dir.path().join("other.sqlite");
    let c = rusqlite::Connection::open(&other).unwrap();
    c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(c);
    let e = LockedVault::open(&other).err().unwrap();
    assert!(matches!(e, Error::NotAVault { .. }), "{e:?}");
}

#[test]
fn newer_versions_are_refused() {
    let (t, v) = TestVault::new();
    drop(v);
    t.sql().execute_batch("PRAGMA user_version = 99").unwrap();
    let e = LockedVault::open(&t.path).err().unwrap();
    assert!(
        matches!(e, Error::UnsupportedVersion { found: 99, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("Update Keydeck to open it."));

    t.sql().execute_batch("PRAGMA user_version = 1").unwrap();
    t.sql()
        .execute("UPDATE meta SET value = 2 WHERE key = 'format'", [])
        .unwrap();
    let e = LockedVault::open(&t.path).err().unwrap();
    assert!(
        matches!(e, Error::UnsupportedVersion { found: 2, .. }),
        "{e:?}"
    );
}

#[test]
fn wrong_password_and_create_over_existing() {
    let (t, v) = TestVault::new();
    drop(v);
    let e = LockedVault::open(&t.path)
        .unwrap()
        .unlock_with_password(&SecretText::new("wrong"))
        .err()
        .unwrap();
    assert!(matches!(e, Error::WrongPassword));
    assert_eq!(e.kind(), ErrorKind::WrongPassword);
    let e = Vault::create(&t.path, &pw(), KdfParams::FLOOR)
        .err()
        .unwrap();
    assert!(matches!(e, Error::VaultExists { .. }));
    t.unlock().expect("the existing vault is untouched");
    let e = Vault::create(
        &t.dir.path().join("e.sqlite"),
        &SecretText::new(""),
        KdfParams::FLOOR,
    )
    .err()
    .unwrap();
    assert_eq!(e.to_string(), "Enter a master password.");
}
