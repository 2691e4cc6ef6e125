//! `kdbx`: every account as a KeePass 4 database (Argon2id, AES-256, inner stream ChaCha20),
//! written with the `keepass` crate and read by KeePass, KeePassXC and Keydeck's own import.
//!
//! One entry per account, in the root group: Title, UserName, Password (protected), URL,
//! Notes, Tags; the TOTP as KeePassXC's `otp` attribute (an `otpauth://` URI, protected); the
//! recovery codes in the protected attribute `Recovery codes` (one a line, `USED <time> ` before
//! a used one, a tab before a note); the issuer in `Issuer` when the account has one.
//!
//! Password history becomes KeePass history the way KeePass itself records it: each older
//! password is a version written when that password was set (the previous one's retirement,
//! or the account's creation for the first), and, when the current password was set after the
//! last other change, one more version with the current password at that time. Keydeck's
//! import reads it back to the same history (see `import::keepass`).

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::import::{ISSUER_ATTRIBUTE, RECOVERY_ATTRIBUTE};
use crate::model::Account;
use crate::secret::SecretText;
use keepass::config::{DatabaseConfig, InnerCipherConfig, KdfConfig, OuterCipherConfig};
use keepass::db::{fields, Entry};
use keepass::{Database, DatabaseKey};

/// KeePassXC's defaults for a new database: Argon2 with 64 MiB and 10 passes, 2 lanes (here
/// Argon2id, as the issue asks).
pub const ARGON2_MEMORY: u64 = 64 * 1024 * 1024;
pub const ARGON2_ITERATIONS: u64 = 10;
pub const ARGON2_LANES: u32 = 2;

/// A KeePass 4 database of `accounts`, opened by `password`.
pub fn write(accounts: &[&Account], password: &SecretText) -> Result<Zeroizing<Vec<u8>>> {
    write_with(
        accounts,
        password,
        ARGON2_MEMORY,
        ARGON2_ITERATIONS,
        ARGON2_LANES,
    )
}

/// As `write`, with other Argon2id costs (tests and benchmarks use cheaper ones).
pub fn write_with(
    accounts: &[&Account],
    password: &SecretText,
    memory: u64,
    iterations: u64,
    lanes: u32,
) -> Result<Zeroizing<Vec<u8>>> {
    if password.is_empty() {
        return Err(Error::invalid("export", "the kdbx export needs a password"));
    }
    let mut config = DatabaseConfig::default();
    // The Argon2 version type is the crate's own dependency's; take it from its default.
    let version = match &config.kdf_config {
        KdfConfig::Argon2 { version, .. } | KdfConfig::Argon2id { version, .. } => *version,
        _ => {
            return Err(Error::invalid(
                "export",
                "the KeePass library has no Argon2",
            ))
        }
    };
    config.kdf_config = KdfConfig::Argon2id {
        iterations,
        memory,
        parallelism: lanes,
        version,
    };
    config.outer_cipher_config = OuterCipherConfig::AES256;
    config.inner_cipher_config = InnerCipherConfig::ChaCha20;
    let mut db = Database::with_config(config);
    db.meta.database_name = Some("Keydeck export".into());
    db.meta.generator = Some("Keydeck".into());
    db.meta.recyclebin_enabled = Some(false);
    for a in accounts {
        let mut root = db.root_mut();
        let mut e = root.add_entry();
        fill(&mut e, a);
    }
    let mut out = Zeroizing::new(Vec::new());
    db.save(
        &mut *out,
        DatabaseKey::new().with_password(password.expose()),
    )
    .map_err(|e| {
        Error::invalid(
            "export",
            format!("the KeePass database could not be written ({e})"),
        )
    })?;
    Ok(out)
}

fn fill(e: &mut Entry, a: &Account) {
    e.set_unprotected(fields::TITLE, a.name.as_str());
    e.set_unprotected(fields::USERNAME, a.username.as_str());
    e.set_protected(fields::PASSWORD, a.password.expose());
    e.set_unprotected(fields::URL, a.url.as_str());
    e.set_unprotected(fields::NOTES, a.notes.as_str());
    if !a.issuer.is_empty() {
        e.set_unprotected(ISSUER_ATTRIBUTE, a.issuer.as_str());
    }
    if let Some(uri) = crate::otp::account_uri(a) {
        e.set_protected(fields::OTP, uri.as_str());
    }
    if !a.recovery.is_empty() {
        let mut text = Zeroizing::new(String::new());
        for c in &a.recovery {
            if let Some(at) = c.used_at {
                text.push_str(&crate::import::keepass_used_prefix(at));
            }
            text.push_str(c.code.expose());
            if !c.note.is_empty() {
                text.push('\t');
                text.push_str(&c.note.replace(['\n', '\r', '\t'], " "));
            }
            text.push('\n');
        }
        e.set_protected(RECOVERY_ATTRIBUTE, text.as_str());
    }
    e.tags = a.tags.clone();
    e.times.creation = naive(a.created_at);
    e.times.last_modification = naive(a.updated_at);
    e.times.last_access = naive(a.updated_at);
    e.times.location_changed = naive(a.created_at);

    // History: one version per older password, written when it was set.
    let mut versions: Vec<Entry> = Vec::new();
    let mut set_at = a
        .password_history
        .first()
        .map_or(a.created_at, |h| a.created_at.min(h.retired_at));
    let base = {
        let mut b = e.clone();
        b.history = None;
        b
    };
    for h in &a.password_history {
        let mut v = base.clone();
        v.set_protected(fields::PASSWORD, h.password.expose());
        v.times.last_modification = naive(set_at);
        versions.push(v);
        set_at = h.retired_at;
    }
    if !a.password_history.is_empty() && set_at != a.updated_at {
        // The current password, from when it was set; the entry itself is from the last change.
        let mut v = base.clone();
        v.times.last_modification = naive(set_at);
        versions.push(v);
    }
    if let Some(h) = e.history.as_mut() {
        // `add_entry` puts each version first: newest first in, oldest first out.
        for v in versions.into_iter().rev() {
            h.add_entry(v);
        }
    }
    if a.password_history.is_empty() {
        // Without history, the import takes the creation time as the password's date.
        if let Some(p) = a.password_changed_at {
            e.times.creation = naive(p.min(a.updated_at));
        }
    }
}

/// Unix seconds as the crate's time type (chrono's `NaiveDateTime`, UTC by KeePass's rule),
/// through its text form so that Keydeck needs no chrono of its own.
fn naive<T: std::str::FromStr>(t: i64) -> Option<T> {
    let t = time::OffsetDateTime::from_unix_timestamp(t).ok()?;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
    .parse()
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{read as import, FileKey, Imported};
    use crate::model::{Algorithm, Otp, OtpKind, PasswordHistoryEntry, RecoveryCode};
    use crate::secret::SecretBytes;
    use std::process::{Command, Stdio};

    const PW: &str = "correct horse battery";

    fn account(name: &str, user: &str, pass: &str, kind: OtpKind) -> Account {
        Account {
            id: uuid::Uuid::new_v4(),
            name: name.into(),
            issuer: format!("{name} Inc"),
            username: user.into(),
            password: SecretText::new(pass),
            url: format!("https://{}.example/login", name.to_lowercase()),
            notes: "line one\nline two".into(),
            tags: vec!["work".into(), "mfa".into()],
            icon: String::new(),
            otp: Some(Otp {
                kind,
                secret: SecretBytes::new(b"12345678901234567890".to_vec()),
                algorithm: if kind == OtpKind::Totp {
                    Algorithm::Sha256
                } else {
                    Algorithm::Sha1
                },
                digits: if kind == OtpKind::Steam { 5 } else { 8 },
                period: 30,
                counter: 0,
            }),
            recovery: vec![
                RecoveryCode {
                    code: SecretText::new("aaaa-1111"),
                    used_at: None,
                    note: String::new(),
                },
                RecoveryCode {
                    code: SecretText::new("bbbb 2222"),
                    used_at: Some(1_650_000_000),
                    note: "bank".into(),
                },
            ],
            password_changed_at: Some(1_700_000_500),
            password_score: Some(3),
            password_history: vec![
                PasswordHistoryEntry {
                    password: SecretText::new("first-pass"),
                    retired_at: 1_690_000_000,
                },
                PasswordHistoryEntry {
                    password: SecretText::new("second-pass"),
                    retired_at: 1_700_000_500,
                },
            ],
            favourite: false,
            deleted_at: None,
            created_at: 1_600_000_000,
            updated_at: 1_710_000_000,
        }
    }

    fn accounts() -> Vec<Account> {
        let mut plain = account("Plain", "", "only-a-password", OtpKind::Totp);
        plain.otp = None;
        plain.recovery.clear();
        plain.password_history.clear();
        plain.issuer.clear();
        plain.tags.clear();
        plain.password_changed_at = Some(1_650_000_000);
        vec![
            account("GitHub", "octo@example.com", "s3cret!\"<&>", OtpKind::Totp),
            account("Steam", "gabe", "steam-pass", OtpKind::Steam),
            plain,
        ]
    }

    fn cheap(accts: &[Account]) -> Zeroizing<Vec<u8>> {
        let refs: Vec<&Account> = accts.iter().collect();
        write_with(&refs, &SecretText::new(PW), 1024 * 1024, 2, 1).unwrap()
    }

    fn same(a: &Account, i: &Imported) {
        assert_eq!(i.name, a.name);
        assert_eq!(i.issuer, a.issuer, "{}", a.name);
        assert_eq!(i.username, a.username);
        assert_eq!(
            i.password.as_ref().map(|p| p.expose()),
            Some(a.password.expose())
        );
        assert_eq!(i.url, a.url);
        assert_eq!(i.notes, a.notes);
        assert_eq!(i.tags, a.tags);
        match (&a.otp, &i.otp) {
            (None, None) => {}
            (Some(x), Some(y)) => {
                assert_eq!(
                    (
                        x.kind,
                        x.secret.expose(),
                        x.algorithm,
                        x.digits,
                        x.period,
                        x.counter
                    ),
                    (
                        y.kind,
                        y.secret.expose(),
                        y.algorithm,
                        y.digits,
                        y.period,
                        y.counter
                    )
                );
            }
            _ => panic!("{}: TOTP lost or added", a.name),
        }
        assert_eq!(i.recovery.len(), a.recovery.len());
        for (x, y) in a.recovery.iter().zip(&i.recovery) {
            assert_eq!(
                (x.code.expose(), x.used_at, &x.note),
                (y.code.expose(), y.used_at, &y.note)
            );
        }
        assert_eq!(
            i.password_history.len(),
            a.password_history.len(),
            "{}",
            a.name
        );
        for (x, y) in a.password_history.iter().zip(&i.password_history) {
            assert_eq!(
                (x.password.expose(), x.retired_at),
                (y.password.expose(), y.retired_at)
            );
        }
        assert_eq!(i.password_changed_at, a.password_changed_at, "{}", a.name);
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let accts = accounts();
        let bytes = cheap(&accts);
        let f = import(bytes.to_vec(), None, &FileKey::password(PW)).unwrap();
        assert_eq!(f.format.name(), "kdbx");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), accts.len());
        for a in &accts {
            let i = f.accounts.iter().find(|i| i.name == a.name).unwrap();
            same(a, i);
        }
        let e = import(bytes.to_vec(), None, &FileKey::password("nope"))
            .err()
            .unwrap();
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
    }

    #[test]
    fn default_export_is_argon2id_64_mib() {
        let accts = accounts();
        let refs: Vec<&Account> = accts.iter().collect();
        let bytes = write(&refs, &SecretText::new(PW)).unwrap();
        let db = Database::parse(&bytes, DatabaseKey::new().with_password(PW)).unwrap();
        assert!(matches!(
            db.config.kdf_config,
            KdfConfig::Argon2id {
                memory: ARGON2_MEMORY,
                iterations: ARGON2_ITERATIONS,
                ..
            }
        ));
        assert!(write(&refs, &SecretText::new("")).is_err());
    }

    fn cli() -> &'static str {
        let ok = Command::new("keepassxc-cli")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "keepassxc-cli is missing: install the Debian package keepassxc (apt-get install keepassxc); \
             this test checks that KeePassXC opens Keydeck's export and must not be skipped"
        );
        "keepassxc-cli"
    }

    fn run(args: &[&str], stdin: &str) -> String {
        let mut c = Command::new(cli())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "keepassxc-cli {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    #[test]
    fn keepassxc_cli_opens_the_export_with_the_same_codes() {
        let accts = accounts();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.kdbx");
        std::fs::write(&path, &*cheap(&accts)).unwrap();
        let db = path.to_str().unwrap();
        let input = format!("{PW}\n");
        for a in &accts {
            let attr = |name: &str| run(&["show", "-q", "-s", "-a", name, db, &a.name], &input);
            assert_eq!(attr("UserName").trim_end_matches('\n'), a.username);
            assert_eq!(attr("Password").trim_end_matches('\n'), a.password.expose());
            assert_eq!(attr("URL").trim_end_matches('\n'), a.url);
            let Some(otp) = &a.otp else { continue };
            // The same code at the same moment; across a period boundary, once more.
            let mut tries = 0;
            loop {
                let before = crate::otp::code_at(otp, crate::otp::unix_now()).code;
                let theirs = run(&["show", "-q", "-t", db, &a.name], &input);
                let after = crate::otp::code_at(otp, crate::otp::unix_now()).code;
                let theirs = theirs.trim();
                if before == after || tries == 1 {
                    assert_eq!(theirs, before, "{}", a.name);
                    break;
                }
                tries += 1;
            }
        }
    }

    #[test]
    fn databases_made_by_keepassxc_import() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("made.kdbx");
        let db = db.to_str().unwrap();
        // db-create with a password (asked twice), then an entry with a password.
        run(
            &["db-create", "-q", "-p", "-t", "100", db],
            "pw-of-cli\npw-of-cli\n",
        );
        run(
            &[
                "add",
                "-q",
                "-u",
                "alice",
                "--url",
                "https://a.example",
                "--notes",
                "hello",
                "-p",
                db,
                "Alpha",
            ],
            "pw-of-cli\nalpha-pass\nalpha-pass\n",
        );
        // TOTP: a KeePass XML with an otp attribute, imported by keepassxc-cli into a new db.
        let xml = dir.path().join("in.xml");
        std::fs::write(
            &xml,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<KeePassFile><Meta><Generator>test</Generator></Meta><Root><Group><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID><Name>Root</Name>
<Group><UUID>AAAAAAAAAAAAAAAAAAAAAQ==</UUID><Name>Work</Name>
<Entry><UUID>AAAAAAAAAAAAAAAAAAAAAg==</UUID><Tags>x;y</Tags>
<String><Key>Title</Key><Value>Beta</Value></String>
<String><Key>UserName</Key><Value>bob</Value></String>
<String><Key>Password</Key><Value>beta-pass</Value></String>
<String><Key>otp</Key><Value>otpauth://totp/Beta:bob?secret=JBSWY3DPEHPK3PXP&amp;period=30&amp;digits=6&amp;issuer=Beta</Value></String>
</Entry></Group></Group></Root></KeePassFile>"#,
        )
        .unwrap();
        let db2 = dir.path().join("totp.kdbx");
        let db2 = db2.to_str().unwrap();
        run(
            &[
                "import",
                "-q",
                "-p",
                "-t",
                "100",
                xml.to_str().unwrap(),
                db2,
            ],
            "pw-of-cli\npw-of-cli\n",
        );

        let f = import(
            std::fs::read(db).unwrap(),
            None,
            &FileKey::password("pw-of-cli"),
        )
        .unwrap();
        let a = f.accounts.iter().find(|a| a.name == "Alpha").unwrap();
        assert_eq!(
            (a.username.as_str(), a.url.as_str(), a.notes.as_str()),
            ("alice", "https://a.example", "hello")
        );
        assert_eq!(a.password.as_ref().unwrap().expose(), "alpha-pass");

        let f = import(
            std::fs::read(db2).unwrap(),
            None,
            &FileKey::password("pw-of-cli"),
        )
        .unwrap();
        let b = f.accounts.iter().find(|a| a.name == "Beta").unwrap();
        assert_eq!(b.username, "bob");
        assert_eq!(b.issuer, "Beta");
        assert_eq!(b.password.as_ref().unwrap().expose(), "beta-pass");
        assert_eq!(b.tags, vec!["x", "y", "Work"]);
        let otp = b.otp.as_ref().unwrap();
        assert_eq!(
            crate::otp::encode_secret(otp.secret.expose()),
            "JBSWY3DPEHPK3PXP"
        );
        assert_eq!((otp.kind, otp.digits, otp.period), (OtpKind::Totp, 6, 30));
        // And KeePassXC's own code for it is ours.
        let theirs = run(&["show", "-q", "-t", db2, "Work/Beta"], "pw-of-cli\n");
        let ours = crate::otp::code_at(otp, crate::otp::unix_now()).code;
        let again = crate::otp::code_at(otp, crate::otp::unix_now().saturating_sub(2)).code;
        assert!(
            theirs.trim() == ours || theirs.trim() == again,
            "{theirs} vs {ours}"
        );
    }
}
