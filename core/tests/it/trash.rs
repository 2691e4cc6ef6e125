// SPDX-License-Identifier: GPL-3.0-or-later
//! The Trash: removal is undoable, trashed accounts stay encrypted but out of every list, and
//! restore brings back the authenticator and recovery codes intact.

use keydeck_core::export::{export, ExportFormat};
use keydeck_core::otp::parse_uri;
use keydeck_core::{inspect_backup, EventWhat, LockedVault, SecretText, Vault};

use crate::util::{draft, pw, TestVault};

const URI: &str =
    "otpauth://totp/GitHub:octo?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub";

fn github(v: &mut Vault) -> uuid::Uuid {
    let id = v.add_account(draft("GitHub")).unwrap();
    let entry = parse_uri(URI).unwrap();
    v.set_otp(id, Some(entry.otp.duplicate())).unwrap();
    v.add_recovery_codes(id, "aaaa-1111\nbbbb-2222").unwrap();
    v.use_recovery_code(id, &SecretText::new("bbbb-2222"))
        .unwrap();
    id
}

fn last_event(v: &Vault) -> keydeck_core::Event {
    v.events().unwrap().0.pop().unwrap()
}

#[test]
fn removed_accounts_leave_every_list_but_stay_in_the_vault() {
    let (t, mut v) = TestVault::new();
    let id = github(&mut v);
    v.add_account(draft("Bank")).unwrap();
    v.remove_account(id).unwrap();
    let ev = last_event(&v);
    assert_eq!(
        (ev.what, ev.detail.as_str()),
        (EventWhat::AccountRemoved, "moved to the Trash")
    );

    assert_eq!(v.len(), 1);
    assert!(v.accounts().all(|a| a.name == "Bank"));
    assert!(v.search("git").is_empty());
    assert!(v.resolve("GitHub").is_err());
    assert!(v.account(id).is_err());
    assert!(v.code(id, 59).is_err());
    assert_eq!(v.security_levels().len(), 1);
    let all: Vec<_> = v.accounts().collect();
    assert_eq!(
        export(&all, ExportFormat::Otpauth, None).unwrap().accounts,
        0,
        "the trashed authenticator is not exported"
    );
    let backup = v.backup_now(None).unwrap();
    assert_eq!(inspect_backup(&backup.path, &pw()).unwrap().accounts, 1);

    let trash = v.trash();
    assert_eq!(trash.len(), 1);
    assert_eq!((trash[0].id, trash[0].name.as_str()), (id, "GitHub"));
    assert!(trash[0].deleted_at > 0);
    assert_eq!(v.resolve_trashed("github").unwrap(), id);

    // Still one encrypted row in the file: nothing of it in plain text.
    let rows: Vec<Vec<u8>> = t
        .sql()
        .prepare("SELECT ciphertext FROM items WHERE kind = 'account'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|ct| !ct.windows(6).any(|w| w == b"GitHub")));

    // And after locking and unlocking again.
    drop(v);
    let v = t.unlock().unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v.trash_len(), 1);
}

#[test]
fn restore_brings_back_the_authenticator_and_recovery_codes() {
    let (t, mut v) = TestVault::new();
    let id = github(&mut v);
    let code = v.code(id, 59).unwrap().code.to_string();
    v.remove_account(id).unwrap();
    drop(v);
    let mut v = t.unlock().unwrap();
    v.restore_account(id).unwrap();
    assert_eq!(last_event(&v).what, EventWhat::AccountRestored);
    assert_eq!(v.trash_len(), 0);
    assert_eq!(v.resolve("GitHub").unwrap(), id);
    let a = v.account(id).unwrap();
    assert!(a.deleted_at.is_none());
    assert_eq!(a.password.expose(), "GitHub-Pa55word!x9");
    assert_eq!(a.recovery_counts(), (1, 1));
    let codes: Vec<&str> = a.recovery.iter().map(|c| c.code.expose()).collect();
    assert_eq!(codes, vec!["aaaa-1111", "bbbb-2222"]);
    assert_eq!(v.code(id, 59).unwrap().code.to_string(), code);
    drop(v);
    let v = t.unlock().unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v.trash_len(), 0);
}

#[test]
fn delete_forever_and_empty_trash_remove_the_rows() {
    let (t, mut v) = TestVault::new();
    let ids: Vec<_> = ["A1", "B2", "C3"]
        .iter()
        .map(|n| v.add_account(draft(n)).unwrap())
        .collect();
    for id in &ids {
        v.remove_account(*id).unwrap();
    }
    assert!(v.restore_account(uuid::Uuid::new_v4()).is_err());
    v.delete_forever(ids[0]).unwrap();
    let ev = last_event(&v);
    assert_eq!(
        (ev.what, ev.account_id),
        (EventWhat::AccountDeleted, Some(ids[0]))
    );
    assert!(v.delete_forever(ids[0]).is_err(), "already gone");
    assert_eq!(v.empty_trash().unwrap(), 2);
    assert_eq!(v.empty_trash().unwrap(), 0);
    assert_eq!(v.trash_len(), 0);
    let n: i64 = t
        .sql()
        .query_row(
            "SELECT count(*) FROM items WHERE kind = 'account'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
    // A live account cannot be deleted forever without going through the Trash.
    let live = v.add_account(draft("Live")).unwrap();
    assert!(v.delete_forever(live).is_err());
    assert_eq!(v.len(), 1);
}

#[test]
fn a_trashed_account_does_not_block_importing_it_again() {
    let (_t, mut v) = TestVault::new();
    let r = v.import(vec![parse_uri(URI).unwrap()], false).unwrap();
    assert_eq!(r.added.len(), 1);
    let again = v.import(vec![parse_uri(URI).unwrap()], true).unwrap();
    assert_eq!(again.duplicates.len(), 1, "a live copy is a duplicate");
    v.remove_account(r.ids[0]).unwrap();
    let again = v.import(vec![parse_uri(URI).unwrap()], false).unwrap();
    assert_eq!(again.added.len(), 1);
    assert_eq!(v.len(), 1);
    assert_eq!(v.trash_len(), 1);
}

#[test]
fn the_format_v1_fixture_gets_a_trash_and_favourites() {
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/vaults/v1.sqlite");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite");
    std::fs::copy(&src, &path).unwrap();
    let unlock = || {
        LockedVault::open(&path)
            .unwrap()
            .unlock_with_password(&SecretText::new("keydeck fixture v1"))
            .unwrap()
    };
    let mut v = unlock();
    assert_eq!(v.trash_len(), 0);
    assert!(v.accounts().all(|a| !a.favourite));
    let gh = v.resolve("GitHub").unwrap();
    v.remove_account(gh).unwrap();
    let bank = v.resolve("Bank").unwrap();
    v.update_account(
        bank,
        keydeck_core::AccountPatch {
            favourite: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    drop(v);
    let mut v = unlock();
    assert_eq!(v.len(), 1);
    assert!(v.account(bank).unwrap().favourite);
    v.restore_account(gh).unwrap();
    let a = v.account(gh).unwrap();
    assert_eq!(a.recovery_counts(), (2, 1));
    assert_eq!(
        a.otp.as_ref().unwrap().secret.expose(),
        b"12345678901234567890"
    );
}
