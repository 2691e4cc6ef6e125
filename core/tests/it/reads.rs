// SPDX-License-Identifier: GPL-3.0-or-later
//! Issue 12, CLI 13 and 16: reads write nothing, unlocks are counted per day in one entry, the
//! activity log expires, and one account is found by name without decrypting the others.

use std::path::Path;

use keydeck_core::otp::parse_uri;
use keydeck_core::{AccountDraft, Error, EventWhat, LockedVault, SecretText, Vault};

use crate::util::{pw, TestVault};

const DAY: i64 = 86_400;

fn with_totp(name: &str, issuer: &str) -> AccountDraft {
    let e = parse_uri("otpauth://totp/X?secret=JBSWY3DPEHPK3PXP").unwrap();
    AccountDraft {
        name: name.into(),
        issuer: issuer.into(),
        otp: Some(e.otp),
        ..Default::default()
    }
}

/// A vault with GitHub, and Mail and Docs under the issuer Google.
fn three() -> (TestVault, Vault) {
    let (t, mut v) = TestVault::new();
    v.add_accounts(vec![
        with_totp("GitHub", "GitHub"),
        with_totp("Mail", "Google"),
        with_totp("Docs", "Google"),
    ])
    .unwrap();
    (t, v)
}

fn read_one(t: &TestVault, query: &str) -> Vault {
    LockedVault::open(&t.path)
        .unwrap()
        .for_reading_one(query)
        .unlock_with_password(&pw())
        .unwrap()
}

fn read_all(t: &TestVault) -> Vault {
    LockedVault::open(&t.path)
        .unwrap()
        .for_reading()
        .unlock_with_password(&pw())
        .unwrap()
}

/// Bytes and modification time of the vault file and its -wal (absent: `None`).
fn file_state(path: &Path) -> Vec<Option<(Vec<u8>, std::time::SystemTime)>> {
    ["", "-wal"]
        .iter()
        .map(|s| {
            let p = format!("{}{s}", path.display());
            let m = std::fs::metadata(&p).ok()?;
            Some((std::fs::read(&p).unwrap(), m.modified().unwrap()))
        })
        .collect()
}

fn unlock_entries(v: &Vault) -> Vec<keydeck_core::Event> {
    let (events, damaged) = v.events().unwrap();
    assert!(damaged.is_empty());
    events
        .into_iter()
        .filter(|e| e.what == EventWhat::Unlocked)
        .collect()
}

#[test]
fn reads_write_nothing() {
    let (t, v) = three();
    drop(v);
    drop(t.unlock().unwrap());
    let before = file_state(&t.path);
    for _ in 0..50 {
        let v = read_one(&t, "GitHub");
        let id = v.resolve("GitHub").unwrap();
        v.code(id, 0).unwrap();
        let v = read_all(&t);
        assert_eq!(v.len(), 3);
        v.events().unwrap();
    }
    assert!(
        before == file_state(&t.path),
        "a read changed the vault file"
    );
    // The one unlock that may write was counted; the 100 reads were not.
    let v = read_all(&t);
    let unlocks = unlock_entries(&v);
    assert_eq!(unlocks.len(), 1, "{unlocks:?}");
    assert_eq!(unlocks[0].count, 1);
}

#[test]
fn unlocks_share_one_entry_per_day_and_kind() {
    let (t, v) = TestVault::new();
    drop(v);
    for _ in 0..3 {
        drop(t.unlock().unwrap());
    }
    keydeck_core::set_client(keydeck_core::Client::Cli);
    let cli = (t.unlock(), t.unlock());
    keydeck_core::set_client(keydeck_core::Client::App);
    drop(cli.0.unwrap());
    drop(cli.1.unwrap());
    let v = read_all(&t);
    let mut unlocks = unlock_entries(&v);
    unlocks.sort_by_key(|e| e.count);
    let got: Vec<(u32, bool)> = unlocks
        .iter()
        .map(|e| (e.count, e.detail.contains("the command line")))
        .collect();
    assert_eq!(got, vec![(2, true), (3, false)], "{unlocks:?}");
    assert!(unlocks[1]
        .detail
        .starts_with("3 times that day from the app"));
}

#[test]
fn old_log_entries_expire_on_write() {
    let (t, mut v) = three();
    assert_eq!(v.log_keep_days(), keydeck_core::DEFAULT_LOG_KEEP_DAYS);
    let age = |days: i64| {
        t.sql()
            .execute(
                "UPDATE items SET created_at = created_at - ?1 WHERE kind = 'event'",
                [days * DAY],
            )
            .unwrap();
    };
    let count = |v: &Vault| v.events().unwrap().0.len();
    age(400);
    let old = count(&v);
    assert!(old >= 4, "{old}");
    // Reading keeps them (reads write nothing)...
    assert_eq!(count(&read_all(&t)), old);
    // ...the next write deletes what is older than a year, in its own transaction.
    v.add_account(with_totp("Bank", "")).unwrap();
    let (events, _) = v.events().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].what, EventWhat::AccountAdded);

    age(40);
    v.set_log_keep_days(30).unwrap();
    assert_eq!(v.log_keep_days(), 30);
    let whats: Vec<EventWhat> = v.events().unwrap().0.iter().map(|e| e.what).collect();
    assert!(!whats.contains(&EventWhat::AccountAdded), "{whats:?}");
    // Backups keep their own settings beside it.
    let b = v.backup_settings();
    v.set_backup_settings(&b).unwrap();
    assert_eq!(v.log_keep_days(), 30);
    for bad in [0, keydeck_core::MAX_LOG_KEEP_DAYS + 1] {
        let e = v.set_log_keep_days(bad).err().unwrap();
        assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
    }
}

#[test]
fn one_name_decrypts_only_its_accounts() {
    let (t, v) = three();
    let full_id = v.resolve("github").unwrap();
    let full_code = v.code(full_id, 59).unwrap().code;
    drop(v);

    let v = read_one(&t, "  GITHUB ");
    assert_eq!(v.len(), 1, "only GitHub is decrypted");
    assert_eq!(v.resolve("  GITHUB ").unwrap(), full_id);
    assert_eq!(v.code(full_id, 59).unwrap().code, full_code);

    // By issuer, with the same ambiguity as a full unlock.
    let v = read_one(&t, "google");
    assert_eq!(v.len(), 2);
    assert!(matches!(v.resolve("google"), Err(Error::Ambiguous { .. })));
    let v = read_one(&t, "nothing");
    assert_eq!(v.len(), 0);
    assert!(matches!(
        v.resolve("nothing"),
        Err(Error::AccountNotFound { .. })
    ));
    // Ids and id prefixes are answered by a full unlock.
    let prefix = full_id.to_string()[..8].to_owned();
    let v = read_one(&t, &prefix);
    assert_eq!(v.len(), 3);
    assert_eq!(v.resolve(&prefix).unwrap(), full_id);

    // A rename moves the tag; the Trash is found (and left out) as in a full unlock.
    let mut v = t.unlock().unwrap();
    v.update_account(
        full_id,
        keydeck_core::AccountPatch {
            name: Some("Octo".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mail = v.resolve("mail").unwrap();
    v.remove_account(mail).unwrap();
    drop(v);
    assert_eq!(read_one(&t, "octo").resolve("octo").unwrap(), full_id);
    assert!(read_one(&t, "github").resolve("github").is_ok(), "issuer");
    let v = read_one(&t, "mail");
    assert_eq!(v.len(), 0);
    assert_eq!(v.trash_len(), 1);
    assert!(v.resolve("mail").is_err());
}

#[test]
fn an_incomplete_or_foreign_index_falls_back_and_is_rebuilt() {
    let (t, v) = three();
    drop(v);
    for tamper in [
        "UPDATE items SET name_tag = NULL WHERE kind = 'account'",
        // What a re-key that did not re-tag leaves: tags from another key.
        "UPDATE meta SET value = x'00' WHERE key = 'lookup_check'",
        "DELETE FROM meta WHERE key = 'lookup_check'",
    ] {
        t.sql().execute_batch(tamper).unwrap();
        let v = read_one(&t, "github");
        assert_eq!(v.len(), 3, "{tamper}: every record decrypted");
        assert!(v.resolve("github").is_ok());
        // Reads do not repair it...
        assert_eq!(read_one(&t, "github").len(), 3);
        // ...an unlock that may write does.
        drop(t.unlock().unwrap());
        assert_eq!(read_one(&t, "github").len(), 1, "{tamper}: rebuilt");
    }
    // A planted tag can hide an account but never returns another.
    t.sql()
        .execute_batch(
            "UPDATE items SET name_tag = (SELECT name_tag FROM items WHERE kind = 'account'
             LIMIT 1) WHERE kind = 'account'",
        )
        .unwrap();
    let v = read_one(&t, "github");
    for a in v.accounts() {
        assert!(["GitHub", "Mail", "Docs"].contains(&a.name.as_str()));
    }
    if let Ok(id) = v.resolve("github") {
        assert_eq!(v.account(id).unwrap().name, "GitHub");
    }
}

#[test]
fn a_schema_1_vault_is_migrated_and_indexed_at_its_first_write() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/vaults/v1.sqlite");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite");
    std::fs::copy(&src, &path).unwrap();
    let pw = SecretText::new("keydeck fixture v1");
    let one = |q: &str| {
        LockedVault::open(&path)
            .unwrap()
            .for_reading_one(q)
            .unlock_with_password(&pw)
            .unwrap()
    };
    let v = one("GitHub");
    assert_eq!(v.len(), 2, "no tags yet: every record is decrypted");
    assert!(v.resolve("GitHub").is_ok());
    drop(v);
    drop(
        LockedVault::open(&path)
            .unwrap()
            .unlock_with_password(&pw)
            .unwrap(),
    );
    let v = one("GitHub");
    assert_eq!(v.len(), 1);
    assert_eq!(
        v.account(v.resolve("GitHub").unwrap()).unwrap().issuer,
        "GitHub"
    );
}
