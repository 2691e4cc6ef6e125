//! andOTP backups: plain JSON, encrypted, and the old encrypted format.
//!
//! Plain: a JSON array of entries {secret (base32), issuer, label, digits, type TOTP/HOTP/STEAM
//! (MOTP refused), algorithm, period, counter, tags}. Old andOTP versions had no `issuer` and
//! wrote the label as "Issuer - Issuer:account"; both parts are recovered.
//!
//! Encrypted (`.json.aes`): `u32be iterations ‖ salt (12) ‖ iv (12) ‖ AES-256-GCM ciphertext‖tag`,
//! key = PBKDF2-HMAC-SHA1(password, salt, iterations, 32 bytes); andOTP picks the iteration
//! count at random between 140,000 and 160,000. Old encrypted: `iv (12) ‖ ciphertext‖tag` with
//! key = SHA-256(password).
//!
//! The encrypted files have no magic number. They are recognised as "binary, looks like
//! ciphertext": not UTF-8 text, none of the magic numbers of the other binary formats Keydeck
//! reads or meets (zip, SQLite, KeePass, Stratum, Java serialisation, images, PDF, gzip), and
//! bytes spread as evenly as random data spreads them (a database or a serialised object has
//! runs of zeros and repeated structure). The new format's iteration count must also lie in a
//! plausible range. A file of a whole number of KiB is not taken for the old format: that is
//! an SQLCipher database's page size (Authenticator Plus), and an old andOTP file has that size
//! once in 1024.

use serde::Deserialize;
use sha2::Digest as _;
use zeroize::Zeroizing;

use super::otp_fields::{build, entry_label, Fields};
use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::OtpKind;
use crate::secret::{Key32, SecretText};

pub struct AndOtp;

/// The iteration counts accepted from a file's header (andOTP writes 140,000–160,000).
const MIN_ITERATIONS: u32 = 100_000;
const MAX_ITERATIONS: u32 = 1_000_000;
const NEW_HEADER: usize = 4 + 12 + 12;
const TAG: usize = 16;
/// The smallest encrypted backup: one entry's JSON is over 120 bytes, plus iv and tag. Below
/// this, random bytes are something else (KeePassXC's key files are 128 random bytes).
const MIN_ENCRYPTED: usize = 150;

/// Magic numbers of binary files that are certainly not andOTP's.
const OTHER_MAGIC: &[&[u8]] = &[
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"SQLite format 3\0",
    b"\x03\xd9\xa2\x9a",
    b"AUTHENTICATORPRO",
    b"AuthenticatorPro",
    b"\xac\xed\x00\x05",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"BM",
    b"RIFF",
    b"%PDF",
    b"\x1f\x8b",
    b"\xef\xbb\xbf",
];

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    secret: Option<Zeroizing<String>>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    counter: Option<i64>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    /// Iterations, salt, iv: the current format.
    New,
    /// Only an iv: the format before andOTP 0.6.3.
    Old,
}

/// Whether `bytes` look like random data: no byte value much more common than chance allows.
fn looks_random(bytes: &[u8]) -> bool {
    if bytes.len() < 64 {
        return false;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let expected = bytes.len() as f64 / 256.0;
    let limit = expected + 6.0 * expected.sqrt() + 6.0;
    counts.iter().all(|&c| (c as f64) <= limit)
}

fn layout(bytes: &[u8]) -> Option<Layout> {
    if bytes.len() < MIN_ENCRYPTED || std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    if OTHER_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return None;
    }
    let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    if (MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations)
        && bytes.len() >= NEW_HEADER + TAG + 2
        && looks_random(&bytes[4..])
    {
        return Some(Layout::New);
    }
    // An SQLCipher database (Authenticator Plus) is random too, but a whole number of pages.
    if bytes.len().is_multiple_of(1024) {
        return None;
    }
    looks_random(bytes).then_some(Layout::Old)
}

/// The text of a JSON array whose first element is an object with andOTP's keys.
fn looks_plain(input: &Input) -> bool {
    let Some(text) = input.text() else {
        return false;
    };
    let t = text.trim_start();
    if !t.starts_with('[') {
        return false;
    }
    type Keys = std::collections::BTreeMap<String, serde::de::IgnoredAny>;
    let Ok(list) = serde_json::from_str::<Vec<Keys>>(t) else {
        return false;
    };
    list.first().is_some_and(|k| {
        ["secret", "type", "label"]
            .iter()
            .all(|want| k.contains_key(*want))
    })
}

impl AndOtp {
    fn err(&self, reason: impl Into<String>) -> Error {
        Error::invalid(self.title(), reason)
    }

    fn decrypt(&self, bytes: &[u8], layout: Layout, password: &SecretText) -> Result<Vec<Entry>> {
        let wrong = || Error::WrongFilePassword {
            what: super::describe(self, true),
        };
        let mut tried = Vec::new();
        if layout == Layout::New {
            let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            let salt = &bytes[4..16];
            let iv = &bytes[16..28];
            let mut key = Key32::zeroed();
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(
                password.expose().as_bytes(),
                salt,
                iterations,
                key.as_mut_bytes(),
            );
            tried.push(crate::crypto::open(&key, &[], iv, &bytes[NEW_HEADER..]));
        }
        // The old format (also tried for a new-looking file: its first bytes are random).
        let digest = sha2::Sha256::digest(password.expose().as_bytes());
        let key = Key32::from_slice(&digest).ok_or_else(|| self.err("key length"))?;
        tried.push(crate::crypto::open(&key, &[], &bytes[..12], &bytes[12..]));
        let plain = tried.into_iter().find_map(|r| r.ok()).ok_or_else(wrong)?;
        super::parse_json(self.title(), &plain)
    }
}

impl Format for AndOtp {
    fn name(&self) -> &'static str {
        "andotp"
    }
    fn app(&self) -> &'static str {
        "andOTP"
    }
    fn title(&self) -> &'static str {
        "andOTP backup"
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if looks_plain(input) {
            return Detected::PLAIN;
        }
        layout(input.bytes()).map(|_| Detected { encrypted: true })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let entries: Vec<Entry> = if input
            .text()
            .is_some_and(|t| t.trim_start().starts_with('['))
        {
            input.json(self.title())?
        } else {
            let bytes = input.bytes();
            let layout = layout(bytes).ok_or_else(|| {
                self.err("the file is neither andOTP's JSON nor one of its encrypted formats (truncated?)")
            })?;
            let password = key
                .password
                .as_ref()
                .ok_or_else(|| Error::FilePasswordNeeded {
                    what: super::describe(self, true),
                })?;
            self.decrypt(bytes, layout, password)?
        };
        let mut read = Read::default();
        for (i, e) in entries.into_iter().enumerate() {
            convert(i, e, &mut read);
        }
        Ok(read)
    }
}

fn convert(i: usize, e: Entry, read: &mut Read) {
    let label = e.label.unwrap_or_default().trim().to_owned();
    let (issuer, username) = match e.issuer.map(|s| s.trim().to_owned()) {
        Some(issuer) if !issuer.is_empty() => (issuer, label),
        // Old andOTP: "Issuer - Issuer:account".
        _ => match label.split_once(" - ") {
            Some((iss, rest)) => {
                let iss = iss.trim().to_owned();
                let acc = match rest.split_once(':') {
                    Some((p, a)) if p.trim() == iss => a.trim().to_owned(),
                    _ => rest.trim().to_owned(),
                };
                (iss, acc)
            }
            None => (String::new(), label),
        },
    };
    let what = entry_label(i, &issuer, &username);
    let kind = match e
        .kind
        .as_deref()
        .unwrap_or("TOTP")
        .to_ascii_uppercase()
        .as_str()
    {
        "TOTP" => OtpKind::Totp,
        "HOTP" => OtpKind::Hotp,
        "STEAM" => OtpKind::Steam,
        "MOTP" => {
            read.problems
                .push(format!("{what}: mOTP codes are not supported"));
            return;
        }
        other => {
            read.problems.push(format!(
                "{what}: unsupported type '{}'",
                other.chars().take(16).collect::<String>()
            ));
            return;
        }
    };
    let Some(secret) = e.secret.as_ref() else {
        read.problems.push(format!("{what}: no secret key"));
        return;
    };
    let fields = Fields {
        secret,
        algorithm: e.algorithm.as_deref(),
        digits: e.digits,
        period: e.period,
        counter: e.counter,
    };
    match build(kind, fields) {
        Ok((otp, warnings)) => read.accounts.push(Imported {
            issuer,
            username,
            notes: e.note.unwrap_or_default(),
            tags: e
                .tags
                .into_iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
            otp: Some(otp),
            warnings,
            ..Default::default()
        }),
        Err(reason) => read.problems.push(format!("{what}: {reason}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::otp_fields::check::{aegis_vectors, same, Want};
    use crate::import::{read as import, testdata, ImportFile};
    use crate::model::Algorithm;

    fn open(rel: &str, password: Option<&str>) -> Result<ImportFile> {
        let key = password.map(FileKey::password).unwrap_or_default();
        import(testdata::bytes(rel), None, &key)
    }

    fn ok(rel: &str, password: Option<&str>) -> ImportFile {
        let f = open(rel, password).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(f.format.name(), "andotp", "{rel}");
        assert_eq!(f.encrypted, password.is_some(), "{rel}");
        f
    }

    #[test]
    fn aegis_test_files_give_the_vectors() {
        // Aegis DatabaseImporterTest: the files hold VaultEntries' first 7 vectors (the old
        // format the first 6, no Steam). For the old format Aegis expects the name "Deno:Mason"
        // (andOTP's old label "Deno - Deno:Mason"); Keydeck takes the account part, "Mason".
        for (rel, pw) in [
            ("aegis/importers/andotp_plain.json", None),
            ("aegis/importers/andotp_encrypted.bin", Some("test")),
            ("aegis/importers/andotp_encrypted_old.bin", Some("test")),
        ] {
            let f = ok(rel, pw);
            assert!(f.problems.is_empty(), "{rel}: {:?}", f.problems);
            let mut want = aegis_vectors();
            if rel.contains("old") {
                want.truncate(6);
            }
            assert_eq!(f.accounts.len(), want.len(), "{rel}");
            for (g, w) in f.accounts.iter().zip(&want) {
                same(g, w);
            }
        }
    }

    #[test]
    fn wrong_password_truncation_and_damage() {
        for rel in [
            "aegis/importers/andotp_encrypted.bin",
            "aegis/importers/andotp_encrypted_old.bin",
        ] {
            let e = open(rel, Some("nope")).err().expect("refused");
            assert!(matches!(e, Error::WrongFilePassword { .. }), "{rel}: {e}");
            let e = open(rel, None).err().expect("refused");
            assert!(matches!(e, Error::FilePasswordNeeded { .. }), "{e}");
            let bytes = testdata::bytes(rel);
            // Without an authentication-tag failure being told apart from a wrong password
            // (andOTP has no check value), both a cut and a flipped bit are refused.
            for damaged in [bytes[..bytes.len() - 7].to_vec(), {
                let mut b = bytes.clone();
                b[100] ^= 0x20;
                b
            }] {
                let e = import(damaged, Some("andotp"), &FileKey::password("test"))
                    .err()
                    .expect("refused");
                assert!(
                    matches!(
                        e,
                        Error::WrongFilePassword { .. } | Error::InvalidInput { .. }
                    ),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn stratum_files() {
        // Stratum.Test AndOtpBackupConverterTest: 8 authenticators and 1 failure (mOTP), one
        // category ("Tag") on 2 of them; encrypted with "testtest" ("test" is wrong).
        for (rel, pw) in [
            (
                "stratum_authenticatorpro/data/andotp.unencrypted.json",
                None,
            ),
            (
                "stratum_authenticatorpro/data/andotp.encrypted.bin",
                Some("testtest"),
            ),
        ] {
            let f = ok(rel, pw);
            assert_eq!(f.accounts.len(), 8, "{rel}");
            assert_eq!(f.problems.len(), 1, "{rel}");
            assert!(f.problems[0].contains("mOTP"));
            let tagged = f.accounts.iter().filter(|a| a.tags == ["Tag"]).count();
            assert_eq!(tagged, 2);
            same(
                &f.accounts[1],
                &Want {
                    issuer: "Many",
                    username: "Digits",
                    secret: "WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
                    algorithm: Algorithm::Sha1,
                    digits: 9,
                    period_or_counter: 30,
                    kind: OtpKind::Totp,
                },
            );
            assert_eq!(f.accounts[7].otp.as_ref().unwrap().kind, OtpKind::Steam);
        }
        let e = open(
            "stratum_authenticatorpro/data/andotp.encrypted.bin",
            Some("test"),
        )
        .err()
        .expect("wrong");
        assert!(matches!(e, Error::WrongFilePassword { .. }));
    }

    #[test]
    fn gnome_file() {
        // GNOME Authenticator src/backup/andotp.rs test.
        let f = ok("gnome_authenticator/backup_tests/andotp_plain.json", None);
        assert!(!f.accounts.is_empty());
        assert!(f.accounts.iter().all(|a| a.otp.is_some()));
    }

    #[test]
    fn other_binary_files_are_not_claimed() {
        for rel in [
            "aegis/importers/totp_authenticator.bin",
            "stratum_authenticatorpro/data/totpauthenticator.encrypted.bin",
            "stratum_authenticatorpro/data/freeotp.bin",
            "aegis/importers/stratum_encrypted.bin",
            "aegis/importers/stratum_encrypted_legacy.bin",
            "stratum_authenticatorpro/data/backup.strong.authpro",
            "stratum_authenticatorpro/data/backup.legacy.authpro",
            "stratum_authenticatorpro/data/demo.encrypted.authpro",
            "stratum_authenticatorpro/data/authplus.db",
            "aegis/importers/google_authenticator.sqlite",
            "aegis/importers/authenticator_plus.zip",
            "more_imports/keepassxc/KeyFileProtected.key",
            "stratum_authenticatorpro/data/winauth.zip",
        ] {
            let input = Input::new(testdata::bytes(rel)).unwrap();
            assert_eq!(AndOtp.detect(&input), None, "{rel}");
        }
    }
}
