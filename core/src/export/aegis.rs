//! Aegis's vault format (`docs/vault.md` of Aegis): vault version 1, content version 3. Aegis,
//! Ente Auth, 2FAS, Stratum, Proton Authenticator and GNOME Authenticator read it.
//!
//! Encrypted: a random 256-bit master key encrypts the content with AES-256-GCM; one password
//! slot holds the master key wrapped with AES-256-GCM under scrypt(password, 32-byte random
//! salt, N=2^15, r=8, p=1), the parameters Aegis itself uses. Nonces and tags are hex, the
//! content base64, as Aegis writes them.
//!
//! Each account with an authenticator is one entry: `name` is the username (or the account's
//! name when it has none), `issuer` the issuer (or the account's name), `note` the notes; tags
//! become Aegis groups. Accounts without an authenticator are left out.

use base64::Engine as _;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::model::{Account, Algorithm, OtpKind};
use crate::otp::encode_secret;
use crate::secret::{Key32, SecretText};

/// Aegis's scrypt parameters (vault.md, "KDF").
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;

#[derive(Serialize)]
struct Vault<'a, Db: Serialize> {
    version: u32,
    header: Header<'a>,
    db: Db,
}

#[derive(Serialize)]
struct Header<'a> {
    slots: Option<Vec<Slot<'a>>>,
    params: Option<Params>,
}

#[derive(Serialize)]
struct Params {
    nonce: String,
    tag: String,
}

#[derive(Serialize)]
struct Slot<'a> {
    #[serde(rename = "type")]
    kind: u32,
    uuid: String,
    key: &'a str,
    key_params: Params,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

#[derive(Serialize)]
struct Content<'a> {
    version: u32,
    entries: Vec<Entry<'a>>,
    groups: Vec<Group<'a>>,
    icons_optimized: bool,
}

#[derive(Serialize)]
struct Group<'a> {
    uuid: String,
    name: &'a str,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'a str,
    favorite: bool,
    icon: Option<()>,
    icon_mime: Option<()>,
    icon_hash: Option<()>,
    info: Info,
    groups: Vec<String>,
}

/// Holds the base32 secret: zeroized when dropped.
#[derive(Serialize)]
struct Info {
    secret: Zeroizing<String>,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

fn to_json(value: &impl Serialize) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(64 * 1024));
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| Error::invalid("Aegis export", format!("cannot write JSON: {e}")))?;
    Ok(out)
}

/// The content (version 3) of the accounts that have an authenticator.
fn content<'a>(accounts: &[&'a Account]) -> Content<'a> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut entries = Vec::new();
    for a in accounts {
        let Some(otp) = a.otp.as_ref() else { continue };
        let mut entry_groups = Vec::new();
        for tag in &a.tags {
            let uuid = match groups.iter().find(|g| g.name == tag.as_str()) {
                Some(g) => g.uuid.clone(),
                None => {
                    let g = Group {
                        uuid: uuid(),
                        name: tag.as_str(),
                    };
                    let u = g.uuid.clone();
                    groups.push(g);
                    u
                }
            };
            entry_groups.push(uuid);
        }
        let (kind, period, counter) = match otp.kind {
            OtpKind::Totp => ("totp", Some(otp.period), None),
            OtpKind::Steam => ("steam", Some(otp.period), None),
            OtpKind::Hotp => ("hotp", None, Some(otp.counter)),
        };
        entries.push(Entry {
            kind,
            uuid: uuid(),
            name: if a.username.is_empty() {
                &a.name
            } else {
                &a.username
            },
            issuer: if a.issuer.is_empty() {
                &a.name
            } else {
                &a.issuer
            },
            note: &a.notes,
            favorite: false,
            icon: None,
            icon_mime: None,
            icon_hash: None,
            info: Info {
                secret: Zeroizing::new(encode_secret(otp.secret.expose())),
                algo: match otp.algorithm {
                    Algorithm::Sha1 => "SHA1",
                    Algorithm::Sha256 => "SHA256",
                    Algorithm::Sha512 => "SHA512",
                },
                digits: otp.digits,
                period,
                counter,
            },
            groups: entry_groups,
        });
    }
    Content {
        version: 3,
        entries,
        groups,
        icons_optimized: true,
    }
}

/// An Aegis vault of `accounts`: encrypted under `password` when given, else plain.
pub fn write(accounts: &[&Account], password: Option<&SecretText>) -> Result<Zeroizing<Vec<u8>>> {
    let content = content(accounts);
    let Some(password) = password else {
        return to_json(&Vault {
            version: 1,
            header: Header {
                slots: None,
                params: None,
            },
            db: content,
        });
    };
    let plain = to_json(&content)?;
    drop(content);

    let master = Key32::random();
    let (db_nonce, mut db_ct) = crate::crypto::seal(&master, &[], &plain);
    let db_tag = db_ct.split_off(db_ct.len().saturating_sub(16));

    let mut salt = [0u8; 32];
    crate::crypto::fill_random(&mut salt);
    let params = scrypt::Params::new(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
        .map_err(|_| Error::invalid("Aegis export", "scrypt parameters"))?;
    let mut kek = Key32::zeroed();
    scrypt::scrypt(
        password.expose().as_bytes(),
        &salt,
        &params,
        kek.as_mut_bytes(),
    )
    .map_err(|_| Error::invalid("Aegis export", "scrypt output length"))?;
    let (key_nonce, mut wrapped) = crate::crypto::seal(&kek, &[], master.as_bytes());
    let key_tag = wrapped.split_off(wrapped.len().saturating_sub(16));
    let wrapped_hex = hex(&wrapped);

    to_json(&Vault {
        version: 1,
        header: Header {
            slots: Some(vec![Slot {
                kind: 1,
                uuid: uuid(),
                key: &wrapped_hex,
                key_params: Params {
                    nonce: hex(&key_nonce),
                    tag: hex(&key_tag),
                },
                n: 1 << SCRYPT_LOG_N,
                r: SCRYPT_R,
                p: SCRYPT_P,
                salt: hex(&salt),
                repaired: true,
                is_backup: false,
            }]),
            params: Some(Params {
                nonce: hex(&db_nonce),
                tag: hex(&db_tag),
            }),
        },
        db: base64::engine::general_purpose::STANDARD.encode(&db_ct),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{read, FileKey};
    use crate::model::Otp;
    use crate::secret::SecretBytes;

    fn account(
        name: &str,
        issuer: &str,
        username: &str,
        notes: &str,
        tags: &[&str],
        otp: Otp,
    ) -> Account {
        Account {
            id: uuid::Uuid::new_v4(),
            name: name.into(),
            issuer: issuer.into(),
            username: username.into(),
            password: SecretText::default(),
            url: String::new(),
            notes: notes.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            icon: String::new(),
            otp: Some(otp),
            recovery: Vec::new(),
            password_changed_at: None,
            password_score: None,
            password_history: Vec::new(),
            favourite: false,
            deleted_at: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn otp(kind: OtpKind, secret: &[u8], algorithm: Algorithm, digits: u8, p: u32, c: u64) -> Otp {
        Otp {
            kind,
            secret: SecretBytes::new(secret.to_vec()),
            algorithm,
            digits,
            period: p,
            counter: c,
        }
    }

    fn sample() -> Vec<Account> {
        vec![
            account(
                "GitHub",
                "GitHub",
                "octo@example.com",
                "work account\nline two",
                &["work", "dev"],
                otp(
                    OtpKind::Totp,
                    b"0123456789abcdefghij",
                    Algorithm::Sha1,
                    6,
                    30,
                    0,
                ),
            ),
            account(
                "Bank",
                "Bank",
                "me",
                "",
                &["money"],
                otp(
                    OtpKind::Hotp,
                    b"hotp secret bytes!",
                    Algorithm::Sha256,
                    8,
                    30,
                    42,
                ),
            ),
            account(
                "Steam",
                "Steam",
                "gamer",
                "",
                &["work"],
                otp(
                    OtpKind::Steam,
                    b"steam-secret-1234567",
                    Algorithm::Sha1,
                    5,
                    30,
                    0,
                ),
            ),
            account(
                "Ünïcode ✓",
                "Ünïcode ✓",
                "user \"quoted\"",
                "n",
                &[],
                otp(
                    OtpKind::Totp,
                    b"sixty-four-bytes-of-secret",
                    Algorithm::Sha512,
                    10,
                    60,
                    0,
                ),
            ),
        ]
    }

    fn round_trip_checks(accounts: &[Account], bytes: Vec<u8>, key: &FileKey, encrypted: bool) {
        let f = read(bytes, None, key).expect("reads back");
        assert_eq!(f.format.name(), "aegis");
        assert_eq!(f.encrypted, encrypted);
        assert!(f.problems.is_empty());
        assert_eq!(f.accounts.len(), accounts.len());
        for (a, b) in accounts.iter().zip(&f.accounts) {
            assert_eq!(a.issuer, b.issuer);
            assert_eq!(a.username, b.username);
            assert_eq!(a.name, b.display_name());
            assert_eq!(a.notes, b.notes);
            assert_eq!(a.tags, b.tags);
            let (x, y) = (a.otp.as_ref().unwrap(), b.otp.as_ref().unwrap());
            assert_eq!(x.secret.expose(), y.secret.expose());
            assert_eq!(x.kind, y.kind);
            assert_eq!(x.algorithm, y.algorithm);
            assert_eq!(x.digits, y.digits);
            if x.kind == OtpKind::Hotp {
                assert_eq!(x.counter, y.counter);
            } else {
                assert_eq!(x.period, y.period);
            }
        }
    }

    #[test]
    fn encrypted_round_trip_keeps_every_field() {
        let accounts = sample();
        let refs: Vec<&Account> = accounts.iter().collect();
        let pw = SecretText::new("correct horse");
        let bytes = write(&refs, Some(&pw)).unwrap();
        round_trip_checks(
            &accounts,
            bytes.to_vec(),
            &FileKey::password("correct horse"),
            true,
        );
        let e = read(bytes.to_vec(), None, &FileKey::password("wrong"))
            .err()
            .expect("wrong password refused");
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        // Nothing readable in the file: no secret, no name.
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(!text.contains("GitHub") && !text.contains("octo"));
    }

    #[test]
    fn plain_round_trip_keeps_every_field() {
        let accounts = sample();
        let refs: Vec<&Account> = accounts.iter().collect();
        let bytes = write(&refs, None).unwrap();
        round_trip_checks(&accounts, bytes.to_vec(), &FileKey::default(), false);
    }

    /// Decrypts our encrypted export with an independent implementation (Python's hashlib
    /// scrypt and `cryptography`'s AESGCM, following Aegis's vault.md): see
    /// tests/export/aegis_decrypt.py. Skipped (with a message) only where python3 or its
    /// `cryptography` module is missing.
    #[test]
    fn python_decrypts_our_encrypted_export() {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/export/aegis_decrypt.py");
        let have = std::process::Command::new("python3")
            .args(["-c", "import cryptography"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !have {
            eprintln!("SKIPPED: python3 with the cryptography module is not installed");
            return;
        }
        let accounts = sample();
        let refs: Vec<&Account> = accounts.iter().collect();
        let bytes = write(&refs, Some(&SecretText::new("pässword"))).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("vault.json");
        std::fs::write(&file, &*bytes).unwrap();
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(&file)
            .env("AEGIS_PASSWORD", "pässword")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary = String::from_utf8(out.stdout).unwrap();
        let want: String = accounts
            .iter()
            .map(|a| {
                let o = a.otp.as_ref().unwrap();
                format!(
                    "{}|{}|{}|{}\n",
                    a.issuer,
                    a.username,
                    encode_secret(o.secret.expose()),
                    o.digits
                )
            })
            .collect();
        assert_eq!(summary, want);
    }
}
