//! Recovery codes through the vault: each used once, clear errors otherwise.

use keydeck_core::{Error, SecretText};

use crate::util::{draft, TestVault};

#[test]
fn add_list_use_once() {
    let (t, mut v) = TestVault::new();
    let id = v.add_account(draft("GitHub")).unwrap();
    let r = v
        .add_recovery_codes(
            id,
            "Your GitHub recovery codes\n\n1. abcd-efgh\n2. ijkl-mnop\n3. qrst-uvwx\n\nDownload them.",
        )
        .unwrap();
    assert_eq!((r.added, r.duplicates, r.unused, r.used), (3, 0, 3, 0));
    assert_eq!(r.ignored_lines, vec![1, 7]);

    // Pasting again adds nothing twice.
    let again = v
        .add_recovery_codes(id, "ABCD EFGH\nijkl-mnop, yyyy-zzzz")
        .unwrap();
    assert_eq!((again.added, again.duplicates), (1, 1));

    // Loose matching: case, spaces and dashes do not matter. Exactly one is marked.
    assert_eq!(
        v.use_recovery_code(id, &SecretText::new("IJKL MNOP"))
            .unwrap(),
        3
    );
    let a = v.account(id).unwrap();
    assert_eq!(a.recovery_counts(), (3, 1));
    assert_eq!(a.recovery.iter().filter(|c| c.used_at.is_some()).count(), 1);
    assert!(a.recovery[1].used_at.is_some());

    match v.use_recovery_code(id, &SecretText::new("ijkl-mnop")) {
        Err(e @ Error::RecoveryCodeUsed { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("already used"), "{msg}");
            assert!(
                !msg.to_lowercase().contains("ijkl"),
                "the code is not echoed: {msg}"
            );
        }
        other => panic!("{:?}", other.err()),
    }
    match v.use_recovery_code(id, &SecretText::new("nope-nope")) {
        Err(e @ Error::RecoveryCodeUnknown { .. }) => assert!(!e.to_string().contains("nope-nope")),
        other => panic!("{:?}", other.err()),
    }
    assert!(matches!(
        v.add_recovery_codes(id, "Just a header line\n\n"),
        Err(Error::InvalidInput { .. })
    ));
    drop(v);
    let v = t.unlock().unwrap();
    assert_eq!(v.account(id).unwrap().recovery_counts(), (3, 1));
}

#[test]
fn unmark_undoes_mark_used_in_one_logged_write() {
    let (t, mut v) = TestVault::new();
    let id = v.add_account(draft("Bank")).unwrap();
    v.add_recovery_codes(id, "aaaa-1111\nbbbb-2222\ncccc-3333")
        .unwrap();
    assert_eq!(
        v.use_recovery_code(id, &SecretText::new("bbbb-2222"))
            .unwrap(),
        2
    );
    assert_eq!(v.unmark_recovery_code(id, 1).unwrap(), 3);
    assert_eq!(v.account(id).unwrap().recovery_counts(), (3, 0));
    // Unmarking an unused code, or one that does not exist, says so and changes nothing.
    assert!(matches!(
        v.unmark_recovery_code(id, 1),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        v.unmark_recovery_code(id, 9),
        Err(Error::InvalidInput { .. })
    ));
    let (events, _) = v.events().unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.what, keydeck_core::EventWhat::RecoveryCodeUnmarked);
    assert!(!last.detail.contains("bbbb"), "{}", last.detail);
    drop(v);
    let v = t.unlock().unwrap();
    assert_eq!(v.account(id).unwrap().recovery_counts(), (3, 0));
}

#[test]
fn replace_all_swaps_the_whole_set() {
    let (t, mut v) = TestVault::new();
    let id = v.add_account(draft("Mail")).unwrap();
    v.add_recovery_codes(id, "old1-aaaa old2-bbbb old3-cccc")
        .unwrap();
    v.use_recovery_code(id, &SecretText::new("old1-aaaa"))
        .unwrap();
    let r = v
        .replace_recovery_codes(id, "New codes:\nnew1-xxxx\nnew2-yyyy")
        .unwrap();
    assert_eq!((r.added, r.unused, r.used), (2, 2, 0));
    assert_eq!(r.ignored_lines, vec![1]);
    let codes: Vec<String> = v
        .account(id)
        .unwrap()
        .recovery
        .iter()
        .map(|c| c.code.expose().to_owned())
        .collect();
    assert_eq!(codes, ["new1-xxxx", "new2-yyyy"]);
    let (events, _) = v.events().unwrap();
    assert_eq!(
        events.last().unwrap().what,
        keydeck_core::EventWhat::RecoveryCodesReplaced
    );
    // Nothing usable pasted: the old set stays.
    assert!(v.replace_recovery_codes(id, "hello there").is_err());
    assert_eq!(v.account(id).unwrap().recovery.len(), 2);
    drop(v);
    let v = t.unlock().unwrap();
    assert_eq!(v.account(id).unwrap().recovery_counts(), (2, 0));
}
