//! Two handles (as two processes) on one vault: writers wait for each other, nothing is lost,
//! and a stale copy never overwrites a newer record.

use keydeck_core::{AccountPatch, Error};

use crate::util::{draft, TestVault};

#[test]
fn parallel_writers_lose_nothing() {
    let (t, v) = TestVault::new();
    drop(v);
    let threads: Vec<_> = (0..3)
        .map(|n| {
            let path = t.path.clone();
            std::thread::spawn(move || {
                let mut v = keydeck_core::LockedVault::open(&path)
                    .unwrap()
                    .unlock_with_password(&crate::util::pw())
                    .unwrap();
                for i in 0..15 {
                    v.add_account(draft(&format!("w{n}-{i}"))).unwrap();
                }
            })
        })
        .collect();
    for th in threads {
        th.join().unwrap();
    }
    let v = t.unlock().unwrap();
    assert_eq!(v.len(), 45);
    v.integrity_check().unwrap();
}

#[test]
fn a_stale_copy_does_not_overwrite() {
    let (t, mut first) = TestVault::new();
    let id = first.add_account(draft("Shared")).unwrap();
    let mut second = t.unlock().unwrap();
    second
        .update_account(
            id,
            AccountPatch {
                notes: Some("from second".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let e = first
        .update_account(
            id,
            AccountPatch {
                username: Some("from first".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e:?}");
    // The conflict reloaded the first handle: a retry now applies on top of the other change.
    first
        .update_account(
            id,
            AccountPatch {
                username: Some("from first".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let v = t.unlock().unwrap();
    let a = v.account(id).unwrap();
    assert_eq!(
        (a.notes.as_str(), a.username.as_str()),
        ("from second", "from first")
    );
}
