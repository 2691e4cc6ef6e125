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
