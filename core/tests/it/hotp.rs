//! HOTP in the vault: the counter is stored, survives a restart, and a code is never handed out
//! twice, even if the process dies right after generating it.

use std::process::{Command, Stdio};

use keydeck_core::otp::{self, parse_uri};
use keydeck_core::{AccountDraft, LockedVault};

use crate::util::{test_kek, TestVault};

const URI: &str = "otpauth://hotp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0";

#[test]
fn counter_survives_restart() {
    let (t, mut v) = TestVault::new();
    let e = parse_uri(URI).unwrap();
    let id = v
        .add_account(AccountDraft {
            name: "ACME".into(),
            otp: Some(e.otp),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(v.next_hotp(id).unwrap().code, "755224");
    assert_eq!(v.next_hotp(id).unwrap().code, "287082");
    // Looking at the code does not use it.
    assert_eq!(v.code(id, 0).unwrap().code, "359152");
    drop(v);
    let mut v = t.unlock().unwrap();
    assert_eq!(v.next_hotp(id).unwrap().code, "359152");
    let (events, _) = v.events().unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.what.describe() == "HOTP code used")
            .count(),
        3
    );
}

/// The child: generate one HOTP code, print it, then die without any cleanup.
#[test]
fn hotp_child() {
    let Some(path) = std::env::var_os("KEYDECK_HOTP_VAULT") else {
        return;
    };
    let mut v = LockedVault::open(std::path::Path::new(&path))
        .unwrap()
        .unlock_with_kek("keychain", &test_kek())
        .unwrap();
    let id = v.accounts().next().unwrap().id;
    let c = v.next_hotp(id).unwrap();
    // A newline first: libtest has already written "test … ... " on this line.
    println!("\nCODE {}", c.code);
    std::process::abort();
}

#[test]
fn no_code_repeats_across_crashes() {
    let (t, mut v) = TestVault::new();
    v.add_kek_slot("keychain", &test_kek()).unwrap();
    v.add_account(AccountDraft {
        name: "ACME".into(),
        otp: Some(parse_uri(URI).unwrap().otp),
        ..Default::default()
    })
    .unwrap();
    drop(v);
    let exe = std::env::current_exe().unwrap();
    let mut seen = Vec::new();
    for _ in 0..8 {
        let out = Command::new(&exe)
            .args([
                "hotp::hotp_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("KEYDECK_HOTP_VAULT", &t.path)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(!out.status.success(), "the child aborts");
        let text = String::from_utf8_lossy(&out.stdout);
        let code = text
            .lines()
            .find_map(|l| l.strip_prefix("CODE "))
            .unwrap_or_else(|| {
                panic!(
                    "no code from the child: {text} {}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })
            .to_owned();
        assert!(!seen.contains(&code), "code {code} handed out twice");
        seen.push(code);
    }
    // The RFC 4226 sequence, in order: nothing skipped, nothing repeated.
    assert_eq!(
        seen,
        ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583"]
    );
    let v = t.unlock().unwrap();
    let id = v.accounts().next().unwrap().id;
    assert_eq!(v.code(id, 0).unwrap().counter, Some(8));
    let _ = otp::unix_now();
}
