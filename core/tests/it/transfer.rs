//! Issue 10, through the vault: Keydeck → aegis-encrypted → Keydeck and → kdbx → Keydeck keep
//! every field they can hold; imports are one transaction; bad files are clear errors and
//! import nothing.

use keydeck_core::export::{export, ExportFormat};
use keydeck_core::import::{self, FileKey, Input};
use keydeck_core::{
    AccountDraft, AccountPatch, Algorithm, ErrorKind, Otp, OtpKind, SecretBytes, SecretText, Vault,
};

use crate::util::TestVault;

fn otp(kind: OtpKind, secret: &[u8], algorithm: Algorithm, digits: u8, period: u32) -> Otp {
    Otp {
        kind,
        secret: SecretBytes::new(secret.to_vec()),
        algorithm,
        digits,
        period,
        counter: if kind == OtpKind::Hotp { 42 } else { 0 },
    }
}

/// Three accounts covering TOTP SHA-256/8 digits, HOTP with a counter, Steam, recovery codes
/// (one used), a rotated password, tags and notes.
fn fill(v: &mut Vault) {
    let a = v
        .add_account(AccountDraft {
            name: "GitHub".into(),
            issuer: "GitHub".into(),
            username: "octo@example.com".into(),
            password: Some(SecretText::new("first-Passw0rd!")),
            url: "https://github.com/login".into(),
            notes: "two lines\nof notes".into(),
            tags: vec!["work".into(), "code".into()],
            otp: Some(otp(
                OtpKind::Totp,
                b"12345678901234567890123456789012",
                Algorithm::Sha256,
                8,
                30,
            )),
            ..Default::default()
        })
        .unwrap();
    v.update_account(
        a,
        AccountPatch {
            password: Some(SecretText::new("second-Passw0rd!")),
            ..Default::default()
        },
    )
    .unwrap();
    v.add_recovery_codes(a, "aaaa-bbbb-cccc\ndddd-eeee-ffff")
        .unwrap();
    v.use_recovery_code(a, &SecretText::new("aaaa-bbbb-cccc"))
        .unwrap();
    v.add_account(AccountDraft {
        name: "Bank".into(),
        issuer: "Bank".into(),
        username: "alice".into(),
        otp: Some(otp(
            OtpKind::Hotp,
            b"abcdefghijabcdefghij",
            Algorithm::Sha1,
            6,
            30,
        )),
        ..Default::default()
    })
    .unwrap();
    v.add_account(AccountDraft {
        name: "Steam".into(),
        issuer: "Steam".into(),
        username: "gabe".into(),
        otp: Some(otp(
            OtpKind::Steam,
            b"steamsteamsteamsteam",
            Algorithm::Sha1,
            5,
            30,
        )),
        ..Default::default()
    })
    .unwrap();
}

/// One authenticator as it must survive: issuer, username, notes, secret, kind, algorithm,
/// digits, period, counter.
type OtpFields = (
    String,
    String,
    String,
    Vec<u8>,
    OtpKind,
    Algorithm,
    u8,
    u32,
    u64,
);

fn otp_fields(v: &Vault) -> Vec<OtpFields> {
    let mut out: Vec<_> = v
        .accounts()
        .filter_map(|a| {
            let o = a.otp.as_ref()?;
            Some((
                a.issuer.clone(),
                a.username.clone(),
                a.notes.clone(),
                o.secret.expose().to_vec(),
                o.kind,
                o.algorithm,
                o.digits,
                o.period,
                o.counter,
            ))
        })
        .collect();
    out.sort_by(|x, y| x.0.cmp(&y.0));
    out
}

fn import_into(v: &mut Vault, bytes: Vec<u8>, password: &str) -> usize {
    let f = import::read(bytes, None, &FileKey::password(password)).unwrap();
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    let plan = v.plan_import(f.accounts);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    v.import_accounts(plan.to_add, f.format.title())
        .unwrap()
        .len()
}

#[test]
fn aegis_encrypted_round_trip_keeps_every_authenticator_field() {
    let (_t, mut v) = TestVault::new();
    fill(&mut v);
    let accounts: Vec<_> = v.accounts().collect();
    let out = export(
        &accounts,
        ExportFormat::AegisEncrypted,
        Some(&SecretText::new("file pass")),
    )
    .unwrap();
    assert_eq!(out.accounts, 3);
    let (_t2, mut w) = TestVault::new();
    // A wrong file password is exit 3, and nothing is imported.
    let e = import::read(out.bytes.to_vec(), None, &FileKey::password("nope"))
        .err()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::WrongPassword);
    assert!(w.is_empty());
    assert_eq!(import_into(&mut w, out.bytes.to_vec(), "file pass"), 3);
    assert_eq!(otp_fields(&v), otp_fields(&w));
    // Importing the same file again adds nothing: all three are duplicates.
    let f = import::read(out.bytes.to_vec(), None, &FileKey::password("file pass")).unwrap();
    let plan = w.plan_import(f.accounts);
    assert_eq!((plan.to_add.len(), plan.duplicates.len()), (0, 3));
}

#[test]
fn kdbx_round_trip_keeps_every_field() {
    let (_t, mut v) = TestVault::new();
    fill(&mut v);
    let accounts: Vec<_> = v.accounts().collect();
    let out = export(
        &accounts,
        ExportFormat::Kdbx,
        Some(&SecretText::new("kdbx pass")),
    )
    .unwrap();
    let (_t2, mut w) = TestVault::new();
    assert_eq!(import_into(&mut w, out.bytes.to_vec(), "kdbx pass"), 3);
    assert_eq!(otp_fields(&v), otp_fields(&w));
    let find = |v: &Vault, n: &str| v.search(n)[0].id;
    let (a, b) = (
        v.account(find(&v, "github")).unwrap(),
        w.account(find(&w, "github")).unwrap(),
    );
    assert_eq!(a.password.expose(), b.password.expose());
    assert_eq!((&a.url, &a.notes), (&b.url, &b.notes));
    let mut ta = a.tags.clone();
    let mut tb = b.tags.clone();
    ta.sort();
    tb.sort();
    assert_eq!(ta, tb);
    assert_eq!(b.password_history.len(), 1);
    assert_eq!(
        a.password_history[0].password.expose(),
        b.password_history[0].password.expose()
    );
    let codes = |x: &keydeck_core::Account| -> Vec<(String, bool)> {
        x.recovery
            .iter()
            .map(|r| (r.code.expose().to_owned(), r.used_at.is_some()))
            .collect()
    };
    assert_eq!(codes(a), codes(b));
}

#[test]
fn an_import_is_one_transaction() {
    // Nothing half-done: a plan that fails at the vault (a field over its limit) adds nothing,
    // and the plan says which entry and why before anything is written.
    let (_t, v) = TestVault::new();
    let text = format!(
        "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A\notpauth://totp/{}:b?secret=JBSWY3DPEHPK3PXQ\n",
        "N".repeat(300)
    );
    let f = import::read(text.into_bytes(), None, &FileKey::default()).unwrap();
    let plan = v.plan_import(f.accounts);
    assert_eq!(plan.to_add.len(), 1);
    assert_eq!(plan.problems.len(), 1, "{:?}", plan.problems);
    assert!(v.is_empty());
}

fn refused(bytes: Vec<u8>, key: &FileKey) -> keydeck_core::Error {
    match import::read(bytes, None, key) {
        Ok(f) => panic!(
            "accepted as {} with {} account(s)",
            f.format.name(),
            f.accounts.len()
        ),
        Err(e) => e,
    }
}

#[test]
fn bad_files_are_clear_errors() {
    // A 1 GB file is refused from its size, before it is read.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let e = Input::read_file(&big).err().unwrap();
    assert!(e.to_string().contains("64 MiB"), "{e}");

    // JSON nested 10,000 deep, in an Aegis-shaped file.
    let deep = format!(
        "{{\"version\":1,\"header\":{{\"slots\":null,\"params\":null}},\"db\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let e = refused(deep.into_bytes(), &FileKey::default());
    assert_eq!(e.kind(), ErrorKind::BadInput, "{e}");

    // XML with entities (a billion-laughs FreeOTP file): refused, never expanded.
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE map [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<map><string name="tokenOrder">["b"]</string><string name="b">{"algo":"SHA1","counter":0,"digits":6,"issuerExt":"&b;","label":"x","period":30,"secret":[1,2,3,4,5,6,7,8,9,10],"type":"TOTP"}</string></map>"#;
    let e = refused(xml.as_bytes().to_vec(), &FileKey::default());
    assert_eq!(e.kind(), ErrorKind::BadInput, "{e}");

    // A format recognised but missing fields: an Aegis file whose entry has no secret.
    let missing = r#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[{"type":"totp","name":"x","issuer":"y","info":{"algo":"SHA1","digits":6,"period":30}}]}}"#;
    match import::read(missing.as_bytes().to_vec(), None, &FileKey::default()) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::BadInput, "{e}"),
        Ok(f) => {
            assert!(f.accounts.is_empty());
            assert_eq!(f.problems.len(), 1, "{:?}", f.problems);
        }
    }
}

/// Every encrypted file of the shared test data, cut in half and with a byte flipped in its
/// middle: a clear error (or, for a flipped byte in an unauthenticated format, the damaged
/// entries named as problems) — never a panic, never the same accounts as the intact file.
#[test]
fn damaged_encrypted_files_never_import_silently() {
    let root = crate::util::testdata_dir();
    let mut accepted_flip = Vec::new();
    for (rel, password, keyfile, _) in crate::corpus_cases::CASES {
        let Some(password) = password else { continue };
        // Ente's 1 GiB Argon2 makes this test slow; its damage tests are in ente.rs.
        if rel.contains("ente") || rel.ends_with(".kdbx") && rel.contains("big") {
            continue;
        }
        let key = || FileKey {
            password: Some(SecretText::new(*password)),
            keyfile: keyfile.map(|k| SecretBytes::new(std::fs::read(root.join(k)).unwrap())),
        };
        let bytes = std::fs::read(root.join(rel)).unwrap();
        let Ok(intact) = import::read(bytes.clone(), None, &key()) else {
            continue;
        };
        let cut = bytes[..bytes.len() / 2].to_vec();
        if let Ok(f) = import::read(cut, None, &key()) {
            panic!(
                "{rel} cut in half imported {} account(s) as {}",
                f.accounts.len(),
                f.format.name()
            );
        }
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x20;
        if let Ok(f) = import::read(flipped, None, &key()) {
            let same = f.problems.is_empty() && f.accounts.len() == intact.accounts.len();
            if same {
                accepted_flip.push(*rel);
            }
        }
    }
    // Where a flipped byte still imports the same number of accounts, the flip landed in what
    // the format leaves unauthenticated: println it, and hold it to the formats known to
    // have such parts (CBC without a MAC, per-entry encryption with clear metadata).
    println!("flip accepted: {accepted_flip:?}");
    for rel in &accepted_flip {
        assert!(
            UNAUTHENTICATED.iter().any(|u| rel.contains(u)),
            "{rel}: a flipped byte imported silently in an authenticated format"
        );
    }
}

/// Files whose format does not authenticate every byte (see the module of each format).
const UNAUTHENTICATED: &[&str] = &[
    // Authy's app data: the XML and the names are in the clear; each secret alone is AES-CBC
    // without a MAC (a flip in a secret fails its padding or base32, and is named a problem).
    "authy_encrypted.xml",
];
