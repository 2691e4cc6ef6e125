//! Tampering: any single changed byte of a slot or an item fails closed with WrongPassword or
//! Integrity — never a panic, never garbage — and the untouched items still open.

use keydeck_core::{Error, KdfParams, SecretText};
use rusqlite::params;

use crate::util::{draft, test_kek, TestVault};

/// Flips one byte of a BLOB or TEXT column of one row, returning the original value.
fn flip(t: &TestVault, table: &str, col: &str, id: &[u8], at: usize, mask: u8) -> Vec<u8> {
    let c = t.sql();
    let orig: Vec<u8> = c
        .query_row(
            &format!("SELECT CAST({col} AS BLOB) FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let mut v = orig.clone();
    v[at] ^= mask;
    set(t, table, col, id, &v);
    orig
}

/// Writes a column back with the type it had (TEXT stays TEXT, even when no longer UTF-8).
fn set(t: &TestVault, table: &str, col: &str, id: &[u8], v: &[u8]) {
    let text = matches!(col, "params" | "kind");
    let sql = if text {
        format!("UPDATE {table} SET {col} = CAST(?1 AS TEXT) WHERE id = ?2")
    } else {
        format!("UPDATE {table} SET {col} = ?1 WHERE id = ?2")
    };
    t.sql().execute(&sql, params![v, id]).unwrap();
}

fn password_slot_id(t: &TestVault) -> Vec<u8> {
    t.sql()
        .query_row("SELECT id FROM slots WHERE kind = 'password'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn every_byte_of_the_password_slot() {
    let (t, v) = TestVault::new();
    drop(v);
    let slot = password_slot_id(&t);
    let mut trials = 0;
    for col in ["params", "salt", "nonce", "wrapped_key"] {
        let len: usize = t
            .sql()
            .query_row(
                &format!("SELECT length(CAST({col} AS BLOB)) FROM slots WHERE id = ?1"),
                [&slot],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as usize;
        for at in 0..len {
            for mask in [0x01u8, 0x80] {
                let orig = flip(&t, "slots", col, &slot, at, mask);
                let res = t.unlock();
                match res {
                    Err(Error::WrongPassword) | Err(Error::Integrity { .. }) => {}
                    // Lowering m or t below the floor is caught before any derivation.
                    Err(Error::KdfTooWeak { m_kib, t: passes }) => {
                        assert_eq!(col, "params");
                        assert!(m_kib < 19456 || passes < 2);
                    }
                    Err(other) => panic!("{col}[{at}]^{mask:#x}: unexpected {other:?}"),
                    Ok(_) => panic!("{col}[{at}]^{mask:#x}: tampered slot opened"),
                }
                set(&t, "slots", col, &slot, &orig);
                trials += 1;
            }
        }
    }
    assert!(trials > 200, "{trials}");
    t.unlock().expect("restored slot opens again");
}

#[test]
fn every_byte_of_an_item_and_the_others_still_open() {
    let (t, mut v) = TestVault::new();
    let a = v.add_account(draft("Alpha")).unwrap();
    let b = v.add_account(draft("Beta")).unwrap();
    v.add_kek_slot("keychain", &test_kek()).unwrap();
    drop(v);
    let aid = a.as_bytes().to_vec();
    for col in ["nonce", "ciphertext"] {
        let len: i64 = t
            .sql()
            .query_row(
                &format!("SELECT length({col}) FROM items WHERE id = ?1"),
                [&aid],
                |r| r.get(0),
            )
            .unwrap();
        for at in 0..len as usize {
            let orig = flip(&t, "items", col, &aid, at, 0x01);
            let v = t.unlock_kek(&test_kek()).expect("the vault still unlocks");
            assert_eq!(v.damaged(), &[a], "{col}[{at}]");
            match v.account(a) {
                Err(Error::Integrity { what }) => assert!(what.contains(&a.to_string())),
                Err(e) => panic!("{e:?}"),
                Ok(_) => panic!("{col}[{at}]: tampered item opened"),
            }
            assert_eq!(v.account(b).unwrap().name, "Beta");
            drop(v);
            set(&t, "items", col, &aid, &orig);
        }
    }
    let v = t.unlock().unwrap();
    assert!(v.damaged().is_empty());
    assert_eq!(v.account(a).unwrap().name, "Alpha");
}

#[test]
fn an_item_copied_onto_another_row_fails() {
    let (t, mut v) = TestVault::new();
    let a = v.add_account(draft("Alpha")).unwrap();
    let b = v.add_account(draft("Beta")).unwrap();
    drop(v);
    t.sql()
        .execute(
            "UPDATE items SET nonce = (SELECT nonce FROM items WHERE id = ?1),
                              ciphertext = (SELECT ciphertext FROM items WHERE id = ?1)
             WHERE id = ?2",
            params![&b.as_bytes()[..], &a.as_bytes()[..]],
        )
        .unwrap();
    let v = t.unlock().unwrap();
    assert_eq!(v.damaged(), &[a]);
    assert!(matches!(v.account(a), Err(Error::Integrity { .. })));
    assert_eq!(v.account(b).unwrap().name, "Beta");
    // Found by id, it names the damage; by name it is simply not there.
    assert!(matches!(
        v.resolve(&a.to_string()),
        Err(Error::Integrity { .. })
    ));
}

#[test]
fn a_relabelled_item_is_reported_not_dropped() {
    let (t, mut v) = TestVault::new();
    let a = v.add_account(draft("Alpha")).unwrap();
    drop(v);
    t.sql()
        .execute(
            "UPDATE items SET kind = 'acount' WHERE id = ?1",
            [&a.as_bytes()[..]],
        )
        .unwrap();
    let v = t.unlock().unwrap();
    assert_eq!(v.damaged(), &[a]);
}

#[test]
fn a_moved_event_is_reported() {
    let (t, v) = TestVault::new();
    drop(v);
    t.sql()
        .execute(
            "UPDATE items SET ciphertext = zeroblob(length(ciphertext)) WHERE rowid =
             (SELECT min(rowid) FROM items WHERE kind = 'event')",
            [],
        )
        .unwrap();
    let v = t.unlock().unwrap();
    let (_events, damaged) = v.events().unwrap();
    assert_eq!(damaged.len(), 1);
}

#[test]
fn keychain_slot_with_wrong_key_is_an_integrity_error() {
    let (t, mut v) = TestVault::new();
    v.add_kek_slot("keychain", &test_kek()).unwrap();
    drop(v);
    let wrong = keydeck_core::Kek::from_bytes(&[8u8; 32]).unwrap();
    assert!(matches!(t.unlock_kek(&wrong), Err(Error::Integrity { .. })));
    t.unlock().expect("the password still works");
}

#[test]
fn slot_rewritten_below_the_kdf_floor_is_refused() {
    let (t, v) = TestVault::new();
    drop(v);
    let slot = password_slot_id(&t);
    let weak = KdfParams {
        m_kib: 8 * 1024,
        t: 3,
        p: 4,
    };
    t.sql()
        .execute(
            "UPDATE slots SET params = ?1 WHERE id = ?2",
            params![weak.canonical(), slot],
        )
        .unwrap();
    match t.unlock() {
        Err(Error::KdfTooWeak { m_kib, t }) => assert_eq!((m_kib, t), (8192, 3)),
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("weak slot opened"),
    }
    // And a new vault cannot be made that weak either.
    let p = t.dir.path().join("weak.sqlite");
    assert!(matches!(
        keydeck_core::Vault::create(&p, &SecretText::new("x"), weak),
        Err(Error::KdfTooWeak { .. })
    ));
    assert!(!p.exists());
}
