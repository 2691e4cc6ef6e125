//! Every field survives add → lock → unlock → reopen; nothing is readable on disk.

use std::process::Command;

use keydeck_core::{AccountDraft, AccountPatch, Algorithm, Otp, OtpKind, SecretBytes, SecretText};

use crate::util::{pw, TestVault};

const MARKERS: [&str; 8] = [
    "MarkerName7Q",
    "MarkerIssuer3Z",
    "MarkerUser9K",
    "MarkerPass5W",
    "MarkerUrl2X",
    "MarkerNotes4Y",
    "MarkerTag8V",
    "markercode6T",
];

fn marker_draft() -> AccountDraft {
    AccountDraft {
        name: MARKERS[0].into(),
        issuer: MARKERS[1].into(),
        username: MARKERS[2].into(),
        password: Some(SecretText::new(MARKERS[3])),
        url: format!("https://{}.example", MARKERS[4]),
        notes: format!("line one\n{}\n", MARKERS[5]),
        tags: vec![MARKERS[6].into(), "second".into()],
        icon: "example.org".into(),
        otp: None,
        ..Default::default()
    }
}

#[test]
fn every_field_survives_lock_unlock_and_reopen() {
    let (t, mut v) = TestVault::new();
    let id = v.add_account(marker_draft()).unwrap();
    v.add_recovery_codes(id, &format!("{}-1\n{}-2", MARKERS[7], MARKERS[7]))
        .unwrap();
    v.set_otp(
        id,
        Some(Otp {
            kind: OtpKind::Hotp,
            secret: SecretBytes::new(b"12345678901234567890".to_vec()),
            algorithm: Algorithm::Sha256,
            digits: 8,
            period: 30,
            counter: 42,
        }),
    )
    .unwrap();
    v.update_account(
        id,
        AccountPatch {
            password: Some(SecretText::new("Rotated-Passw0rd!")),
            ..Default::default()
        },
    )
    .unwrap();

    // lock() keeps the file open but forgets the key; unlock again from it.
    let locked = v.lock();
    let v = locked.unlock_with_password(&pw()).unwrap();
    check(&v, id);
    drop(v);
    // A fresh open, as after a restart.
    check(&t.unlock().unwrap(), id);
}

fn check(v: &keydeck_core::Vault, id: uuid::Uuid) {
    let a = v.account(id).unwrap();
    assert_eq!(a.name, MARKERS[0]);
    assert_eq!(a.issuer, MARKERS[1]);
    assert_eq!(a.username, MARKERS[2]);
    assert_eq!(a.password.expose(), "Rotated-Passw0rd!");
    assert_eq!(a.password_history.len(), 1);
    assert_eq!(a.password_history[0].password.expose(), MARKERS[3]);
    assert_eq!(a.url, format!("https://{}.example", MARKERS[4]));
    assert_eq!(a.notes, format!("line one\n{}\n", MARKERS[5]));
    assert_eq!(a.tags, vec![MARKERS[6], "second"]);
    assert_eq!(a.icon, "example.org");
    let codes: Vec<&str> = a.recovery.iter().map(|r| r.code.expose()).collect();
    assert_eq!(
        codes,
        vec![format!("{}-1", MARKERS[7]), format!("{}-2", MARKERS[7])]
    );
    let otp = a.otp.as_ref().unwrap();
    assert_eq!(otp.kind, OtpKind::Hotp);
    assert_eq!(otp.secret.expose(), b"12345678901234567890");
    assert_eq!(otp.algorithm, Algorithm::Sha256);
    assert_eq!((otp.digits, otp.counter), (8, 42));
    assert!(a.password_changed_at.is_some());
    assert!(a.created_at > 1_700_000_000 && a.updated_at >= a.created_at);
}

fn files_of(t: &TestVault) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| {
            let p = format!("{}{s}", t.path.display());
            std::fs::read(&p).ok().map(|b| (p, b))
        })
        .collect()
}

fn assert_no_markers(files: &[(String, Vec<u8>)]) {
    assert!(!files.is_empty());
    for (path, bytes) in files {
        for m in MARKERS
            .iter()
            .chain(["Rotated-Passw0rd!", super::util::PASSWORD].iter())
        {
            let found = bytes
                .windows(m.len())
                .any(|w| w.eq_ignore_ascii_case(m.as_bytes()));
            assert!(!found, "{m} found in clear in {path}");
        }
    }
}

#[test]
fn no_plaintext_on_disk_while_open_and_after_close() {
    let (t, mut v) = TestVault::new();
    let id = v.add_account(marker_draft()).unwrap();
    v.add_recovery_codes(id, MARKERS[7]).unwrap();
    v.update_account(
        id,
        AccountPatch {
            password: Some(SecretText::new("Rotated-Passw0rd!")),
            ..Default::default()
        },
    )
    .unwrap();
    // While the writer is open the data sits in the -wal file.
    let open_files = files_of(&t);
    assert!(open_files.iter().any(|(p, _)| p.ends_with("-wal")));
    assert_no_markers(&open_files);
    v.remove_account(id).unwrap();
    drop(v);
    assert_no_markers(&files_of(&t));
    // And with `strings`, as a person would look.
    if let Ok(out) = Command::new("strings").arg(&t.path).output() {
        let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
        assert!(!text.contains(&MARKERS[0].to_lowercase()));
    }
}

#[test]
fn search_and_resolve() {
    let (_t, mut v) = TestVault::new();
    let gh = v.add_account(crate::util::draft("GitHub")).unwrap();
    let mut d = crate::util::draft("Google");
    d.tags = vec!["Work".into()];
    d.issuer = "Alphabet".into();
    let g1 = v.add_account(d).unwrap();
    let g2 = v.add_account(crate::util::draft("google")).unwrap();
    assert_eq!(v.resolve("github").unwrap(), gh);
    assert_eq!(v.resolve("ALPHABET").unwrap(), g1);
    assert_eq!(v.resolve(&g2.to_string()).unwrap(), g2);
    assert_eq!(v.resolve(&g2.to_string()[..8]).unwrap(), g2);
    let err = v.resolve("Google").unwrap_err().to_string();
    assert!(err.contains("matches 2 accounts"), "{err}");
    assert!(err.contains(&g1.to_string()) && err.contains(&g2.to_string()));
    assert!(matches!(
        v.resolve("nope"),
        Err(keydeck_core::Error::AccountNotFound { .. })
    ));
    assert_eq!(v.search("work").len(), 1);
    assert_eq!(v.search("GOO").len(), 2);
    assert_eq!(v.search("").len(), 3);
    // Sorted by name, case-insensitively.
    let names: Vec<&str> = v.accounts().map(|a| a.name.as_str()).collect();
    assert_eq!(names[0], "GitHub");
}

#[test]
fn security_level_reasons() {
    let (_t, mut v) = TestVault::new();
    let weak = v
        .add_account(AccountDraft {
            name: "Weak".into(),
            password: Some(SecretText::new("password1")),
            ..Default::default()
        })
        .unwrap();
    let l = v.security_level(weak).unwrap();
    assert_eq!((l.level, l.max), (1, 5));
    let reasons: Vec<String> = l.missing().filter_map(|m| m.reason.clone()).collect();
    assert!(
        reasons.iter().any(|r| r == "no username saved"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("The password is rated")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("authenticator")),
        "{reasons:?}"
    );

    // Reuse is seen across the vault, in both accounts.
    let a = v.add_account(crate::util::draft("A")).unwrap();
    let mut d = crate::util::draft("B");
    d.password = Some(SecretText::new("A-Pa55word!x9"));
    v.add_account(d).unwrap();
    let la = v.security_level(a).unwrap();
    let strong = la
        .milestones
        .iter()
        .find(|m| m.id == "strong_password")
        .unwrap();
    assert!(strong
        .reason
        .as_deref()
        .unwrap()
        .contains("used by 1 other account"));

    let id = v.add_account(crate::util::draft("Full")).unwrap();
    v.add_recovery_codes(id, "aaaa-1111 bbbb-2222").unwrap();
    v.set_otp(
        id,
        Some(Otp {
            kind: OtpKind::Totp,
            secret: SecretBytes::new(vec![1; 20]),
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            counter: 0,
        }),
    )
    .unwrap();
    let lf = v.security_level(id).unwrap();
    assert_eq!(lf.level, 5, "{:?}", lf.milestones);
}

#[test]
fn the_strength_meter_and_the_checklist_agree() {
    let (_t, mut v) = TestVault::new();
    let mut d = crate::util::draft("Mail");
    d.password = Some(SecretText::new("password123"));
    let mail = v.add_account(d).unwrap();
    let mut d = crate::util::draft("GitHub");
    d.password = Some(SecretText::new("password123"));
    let gh = v.add_account(d).unwrap();

    // The meter while typing in Add account (the form's username and name as inputs) ...
    let typed = v
        .password_strength(
            Some(&SecretText::new("password123")),
            None,
            &["Mail-user", "Mail"],
        )
        .unwrap();
    // ... and on the saved account rate it alike, and the checklist names the same label.
    let saved = v.password_strength(None, Some(mail), &[]).unwrap();
    assert_eq!((typed.score, typed.label), (saved.score, saved.label));
    assert!(
        matches!(saved.label, "Very weak" | "Weak"),
        "{}",
        saved.label
    );
    let level = v.security_level(mail).unwrap();
    let reason = level
        .milestones
        .iter()
        .find(|m| m.id == "strong_password")
        .and_then(|m| m.reason.clone())
        .unwrap();
    assert!(
        reason.contains(&saved.label.to_lowercase())
            && reason.contains(&format!("({} of 4)", saved.score)),
        "{reason} vs {}",
        saved.label
    );

    // Reuse: names the other account only, never its password.
    assert!(
        saved
            .reasons
            .iter()
            .any(|r| r.starts_with("Used by 1 other account: GitHub")),
        "{:?}",
        saved.reasons
    );
    assert!(typed
        .reasons
        .iter()
        .any(|r| r.contains("Mail") && r.contains("GitHub")));
    assert!(typed.reasons.iter().all(|r| !r.contains("password123")));
    let gh_strength = v.password_strength(None, Some(gh), &[]).unwrap();
    assert!(gh_strength
        .reasons
        .iter()
        .any(|r| r.starts_with("Used by 1 other account: Mail")));
}

#[test]
fn change_password_rekeys_and_keeps_the_keychain_slot() {
    let (t, mut v) = TestVault::new();
    let id = v.add_account(crate::util::draft("X")).unwrap();
    v.add_kek_slot("keychain", &crate::util::test_kek())
        .unwrap();
    let before: i64 = t
        .sql()
        .query_row("SELECT count(*) FROM items WHERE kind='account'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let ct_before: Vec<u8> = t
        .sql()
        .query_row(
            "SELECT ciphertext FROM items WHERE kind='account'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    v.change_password_with(
        &SecretText::new("new master"),
        Some(keydeck_core::KdfParams::FLOOR),
        &[("keychain", &crate::util::test_kek())],
    )
    .unwrap();
    drop(v);
    let ct_after: Vec<u8> = t
        .sql()
        .query_row(
            "SELECT ciphertext FROM items WHERE kind='account'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(
        ct_before, ct_after,
        "records are re-encrypted under a new key"
    );
    assert_eq!(before, 1);
    assert!(matches!(
        t.unlock(),
        Err(keydeck_core::Error::WrongPassword)
    ));
    let v = keydeck_core::LockedVault::open(&t.path)
        .unwrap()
        .unlock_with_password(&SecretText::new("new master"))
        .unwrap();
    assert_eq!(v.account(id).unwrap().name, "X");
    drop(v);
    // The keychain slot still opens the vault; removing it leaves the password slot alone.
    let mut v = t.unlock_kek(&crate::util::test_kek()).unwrap();
    assert_eq!(v.remove_slots("keychain").unwrap(), 1);
    assert!(t.unlock_kek(&crate::util::test_kek()).is_err());
    assert_eq!(v.slots().unwrap().len(), 1);
}

#[test]
fn activity_log_records_changes_without_secrets() {
    let (t, mut v) = TestVault::new();
    let id = v.add_account(crate::util::draft("Logged")).unwrap();
    v.add_recovery_codes(id, "zzzz-9999").unwrap();
    v.use_recovery_code(id, &SecretText::new("ZZZZ 9999"))
        .unwrap();
    v.update_account(
        id,
        AccountPatch {
            password: Some(SecretText::new("Another-Pa55!")),
            ..Default::default()
        },
    )
    .unwrap();
    v.change_password(&pw(), None).unwrap();
    drop(v);
    let v = t.unlock().unwrap();
    let (events, damaged) = v.events().unwrap();
    assert!(damaged.is_empty());
    let whats: Vec<&str> = events.iter().map(|e| e.what.describe()).collect();
    for w in [
        "vault created",
        "account added",
        "recovery codes added",
        "recovery code used",
        "password rotated",
        "master password changed",
        "vault unlocked",
    ] {
        assert!(whats.contains(&w), "{w} missing from {whats:?}");
    }
    let json = serde_json::to_string(&events).unwrap();
    for secret in ["zzzz", "Another-Pa55", "Logged-Pa55word"] {
        assert!(!json.contains(secret));
    }
}

#[test]
fn nonce_budget_warning_long_before_2_pow_32() {
    let (t, mut v) = TestVault::new();
    assert!(v.nonce_warning().is_none());
    v.add_account(crate::util::draft("N")).unwrap();
    let before = v.writes();
    assert!(
        before >= 3,
        "vault created + unlock/add events + account: {before}"
    );
    drop(v);
    // Pretend a long life of writes: the counter is what the warning reads.
    t.sql()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'vk_writes'",
            [keydeck_core::NONCE_WARNING_THRESHOLD as i64],
        )
        .unwrap();
    let v = t.unlock().unwrap();
    let w = v.nonce_warning().expect("warned at 2^30");
    assert!(w.contains("4294967296"), "{w}");
}
