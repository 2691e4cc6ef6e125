//! The emergency kit PDF, as a person and a phone see it: rendered by poppler's `pdftoppm`
//! (Debian package poppler-utils) at 150 dpi, every page scanned with Keydeck's own QR reader,
//! which must give back every account's otpauth:// URI; `pdftotext` must show the names and the
//! recovery codes. Without poppler-utils the test fails by name: it never skips.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use keydeck_core::export::{export, ExportFormat};
use keydeck_core::qr::{self, PayloadKind};
use keydeck_core::{otpauth_uri, Account, Algorithm, Otp, OtpKind, RecoveryCode};
use keydeck_core::{SecretBytes, SecretText};

fn otp(kind: OtpKind, algorithm: Algorithm, secret: &[u8], digits: u8, counter: u64) -> Otp {
    Otp {
        kind,
        secret: SecretBytes::new(secret.to_vec()),
        algorithm,
        digits,
        period: 30,
        counter,
    }
}

fn account(
    name: &str,
    issuer: &str,
    username: &str,
    otp: Option<Otp>,
    codes: &[(&str, Option<i64>)],
) -> Account {
    Account {
        id: uuid::Uuid::new_v4(),
        name: name.to_owned(),
        issuer: issuer.to_owned(),
        username: username.to_owned(),
        password: SecretText::new("hunter2"),
        url: String::new(),
        notes: String::new(),
        tags: Vec::new(),
        icon: String::new(),
        otp,
        recovery: codes
            .iter()
            .map(|(c, used_at)| RecoveryCode {
                code: SecretText::new(*c),
                used_at: *used_at,
                note: String::new(),
            })
            .collect(),
        password_changed_at: None,
        password_score: None,
        password_history: Vec::new(),
        favourite: false,
        deleted_at: None,
        created_at: 0,
        updated_at: 0,
    }
}

/// A vault's worth of accounts: every kind of authenticator, long and non-ASCII names, PDF
/// string specials, used and unused recovery codes, and accounts with nothing to print.
fn accounts() -> Vec<Account> {
    use Algorithm::*;
    use OtpKind::*;
    let used = Some(1_700_000_000); // 2023-11-14
    let mut v = vec![
        account(
            "GitHub",
            "GitHub",
            "octocat@example.com",
            Some(otp(Totp, Sha1, b"12345678901234567890", 6, 0)),
            &[
                ("a1b2c-3d4e5", None),
                ("f6g7h-8i9j0", used),
                ("k1l2m-3n4o5", None),
                ("p6q7r-8s9t0", None),
            ],
        ),
        account(
            "Google",
            "Google",
            "someone.with.a.rather.long.address@example.org",
            Some(otp(Totp, Sha256, b"12345678901234567890123456789012", 8, 0)),
            &[
                ("1234 5678", used),
                ("2345 6789", None),
                ("3456 7890", None),
                ("4567 8901", used),
                ("5678 9012", None),
                ("6789 0123", None),
                ("7890 1234", None),
                ("8901 2345", None),
                ("9012 3456", None),
                ("0123 4567", None),
            ],
        ),
        account(
            "Steam",
            "Steam",
            "gamer",
            Some(otp(Steam, Sha1, &[0x42; 20], 5, 0)),
            &[("R12345", None)],
        ),
        account(
            "Old VPN token",
            "ACME VPN",
            "jdoe",
            Some(otp(Hotp, Sha1, &[0x17; 10], 6, 42)),
            &[],
        ),
        account(
            "\u{17b}\u{f3}\u{142}\u{107} Bank",
            "Bank \u{dc}n\u{ef}code",
            "j\u{fc}rgen",
            Some(otp(Totp, Sha512, &[0x99; 64], 6, 0)),
            &[],
        ),
        account(
            "Paren (test) \\ back",
            "",
            "weird)(user",
            Some(otp(Totp, Sha1, &[0x01; 16], 6, 0)),
            &[],
        ),
        account(
            "Only codes",
            "",
            "codes@example.com",
            None,
            &[("zz-99-yy", None), ("xx-88-ww", used)],
        ),
        account("Forum", "", "lurker", None, &[]),
        account("Library card", "City Library", "", None, &[]),
    ];
    for i in 0..6 {
        v.push(account(
            &format!("Service {i}"),
            &format!("Issuer {i}"),
            &format!("user{i}@example.net"),
            Some(otp(Totp, Sha1, &[i as u8 + 1; 20], 6, 0)),
            &[("aaaa-bbbb", None), ("cccc-dddd", None)],
        ));
    }
    v
}

fn run(tool: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is missing ({e}): install the Debian package poppler-utils to run this test")
    });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn pngs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    v.sort();
    v
}

#[test]
fn the_emergency_kit_scans_back_and_reads_as_text() {
    let accounts = accounts();
    let refs: Vec<&Account> = accounts.iter().collect();
    let out = export(&refs, ExportFormat::Pdf, None).unwrap();
    assert_eq!(out.accounts, accounts.len());
    assert!(out.bytes.starts_with(b"%PDF-"));

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("kit.pdf");
    std::fs::write(&pdf, &out.bytes[..]).unwrap();
    if let Some(keep) = std::env::var_os("KEYDECK_KEEP_KIT") {
        std::fs::copy(&pdf, keep).unwrap();
    }

    // Every authenticator scans back from the rendered pages, exactly.
    run(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "150".as_ref(),
            "-png".as_ref(),
            pdf.as_os_str(),
            dir.path().join("page").as_os_str(),
        ],
    );
    let pages = pngs(dir.path());
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let mut scanned = BTreeSet::new();
    for page in &pages {
        for item in qr::scan_file(page).unwrap() {
            assert_eq!(item.kind, PayloadKind::Otpauth, "{:?}", item.problem);
            assert!(item.problem.is_none(), "{:?}", item.problem);
            scanned.insert(item.text.expose().to_owned());
        }
    }
    let expected: BTreeSet<String> = accounts
        .iter()
        .filter_map(|a| otpauth_uri(a).map(|u| u.to_string()))
        .collect();
    assert_eq!(expected.len(), 12);
    assert_eq!(scanned, expected);
    // And they mean the same authenticators (secret, issuer, account).
    for a in accounts.iter().filter(|a| a.otp.is_some()) {
        let uri = otpauth_uri(a).unwrap();
        let e = keydeck_core::otp::parse_uri(&uri).unwrap();
        let o = a.otp.as_ref().unwrap();
        assert_eq!(e.otp.secret.expose(), o.secret.expose(), "{}", a.name);
        assert_eq!(e.otp.kind, o.kind, "{}", a.name);
        let issuer = if a.issuer.is_empty() {
            &a.name
        } else {
            &a.issuer
        };
        assert_eq!(&e.issuer, issuer, "{}", a.name);
        assert_eq!(e.account, a.username, "{}", a.name);
    }

    // The text: names, usernames, recovery codes, used dates, the secret keys for typing.
    let text = run(
        "pdftotext",
        &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
    );
    let text = String::from_utf8(text.stdout).unwrap();
    for needle in [
        "Keydeck emergency kit",
        "GitHub",
        "octocat@example.com",
        "someone.with.a.rather.long.address@example.org",
        "Z\u{f3}lc Bank",
        "j\u{fc}rgen",
        "Paren (test) \\ back",
        "Old VPN token",
        "next counter 42",
        "Only codes",
        "Forum",
        "lurker",
        "Library card",
        "used 2023-11-14",
        "GEZD GNBV GY3T QOJQ",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
    for a in &accounts {
        for c in &a.recovery {
            assert!(
                text.contains(c.code.expose()),
                "pdftotext lacks recovery code of {}",
                a.name
            );
        }
    }
}
