//! Authy's token store, taken from a rooted Android phone:
//! `/data/data/com.authy.authy/shared_prefs/com.authy.storage.tokens.authenticator.xml`.
//!
//! It is an Android shared-preferences XML `<map>` whose `<string
//! name="com.authy.storage.tokens.authenticator.key">` holds a JSON array of tokens
//! (`accountType`, `digits`, `originalName` "Issuer:Name", `name` "Issuer: Name", …). Older app
//! versions kept the secret in the clear (`decryptedSecret`, base32); newer ones encrypt it with
//! the user's backup password (`encryptedSecret` + `salt`): key = PBKDF2-HMAC-SHA1(password,
//! salt as UTF-8, 1000 iterations, 256 bits), AES-256-CBC with an all-zero IV and PKCS#7 padding;
//! the plaintext is the base32 secret (as Aegis's `AuthyImporter` reads it). There is no MAC, so
//! a wrong password shows itself as bad padding or a plaintext that is not base32.
//!
//! Authy stores no algorithm or period for these tokens: they are SHA-1, 30 seconds.

use aes::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind};
use crate::secret::SecretBytes;

pub struct Authy;

const PREF_NAME: &str = "com.authy.storage.tokens.authenticator.key";
const PBKDF2_ITERATIONS: u32 = 1000;

#[derive(Deserialize)]
struct Token {
    #[serde(default, rename = "accountType")]
    account_type: String,
    #[serde(default)]
    digits: Option<u8>,
    #[serde(default, rename = "originalName")]
    original_name: String,
    #[serde(default)]
    name: String,
    #[serde(default, rename = "decryptedSecret")]
    decrypted_secret: Option<Zeroizing<String>>,
    #[serde(default, rename = "encryptedSecret")]
    encrypted_secret: Option<String>,
    #[serde(default)]
    salt: Option<String>,
}

impl Format for Authy {
    fn name(&self) -> &'static str {
        "authy"
    }
    fn app(&self) -> &'static str {
        "Authy"
    }
    fn title(&self) -> &'static str {
        "Authy app data (Android)"
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let text = input.text()?;
        let head = text.trim_start();
        if !(head.starts_with("<?xml") || head.starts_with("<map")) || !text.contains(PREF_NAME) {
            return None;
        }
        Some(Detected {
            encrypted: text.contains("encryptedSecret"),
        })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let what = self.title();
        let text = input
            .text()
            .ok_or_else(|| Error::invalid(what, "the file is not UTF-8 text"))?;
        let doc = super::parse_xml(what, text)?;
        let root = doc.root_element();
        if root.tag_name().name() != "map" {
            return Err(Error::invalid(
                what,
                "the XML is not an Android preferences <map>",
            ));
        }
        let json = root
            .children()
            .find(|n| n.has_tag_name("string") && n.attribute("name") == Some(PREF_NAME))
            .ok_or_else(|| Error::invalid(what, format!("the file has no {PREF_NAME} entry")))?;
        // The element's text is the JSON array (entities already decoded by the XML parser).
        let json = Zeroizing::new(json.text().unwrap_or_default().to_owned());
        let tokens: Vec<Token> = super::parse_json(what, json.as_bytes())?;

        let password = key.password.as_ref().map(|p| p.expose());
        let mut read = Read::default();
        let mut decrypt_failures = 0usize;
        let mut decrypted = 0usize;
        for (i, t) in tokens.into_iter().enumerate() {
            let (issuer, username) = split_name(&t);
            let label = if username.is_empty() {
                issuer.clone()
            } else {
                format!("{issuer} / {username}")
            };
            let problem = |reason: &str| format!("entry {} ({label}): {reason}", i + 1);
            let secret: Zeroizing<String> = match (&t.decrypted_secret, &t.encrypted_secret) {
                (Some(s), _) => s.clone(),
                (None, Some(ct)) => {
                    let Some(password) = password else {
                        return Err(Error::FilePasswordNeeded {
                            what: super::describe(self, true),
                        });
                    };
                    match decrypt_secret(password, t.salt.as_deref().unwrap_or(""), ct) {
                        Some(s) => {
                            decrypted += 1;
                            s
                        }
                        None => {
                            decrypt_failures += 1;
                            read.problems.push(problem(
                                "its secret could not be decrypted (damaged, or another password)",
                            ));
                            continue;
                        }
                    }
                }
                (None, None) => {
                    read.problems.push(problem("it has no secret"));
                    continue;
                }
            };
            let parsed = match crate::otp::parse_secret(&secret) {
                Ok(p) => p,
                Err(e) => {
                    read.problems.push(problem(&e.to_string()));
                    continue;
                }
            };
            let otp = Otp {
                kind: OtpKind::Totp,
                secret: SecretBytes::new(parsed.bytes),
                algorithm: Algorithm::Sha1,
                digits: t.digits.unwrap_or(6),
                period: 30,
                counter: 0,
            };
            if let Err(e) = crate::otp::validate(&otp) {
                read.problems.push(problem(&e.to_string()));
                continue;
            }
            read.accounts.push(Imported {
                issuer,
                username,
                otp: Some(otp),
                warnings: parsed.warnings,
                ..Default::default()
            });
        }
        // No MAC: when not one secret decrypts, the password is the wrong one.
        if decrypt_failures > 0 && decrypted == 0 {
            return Err(Error::WrongFilePassword {
                what: super::describe(self, true),
            });
        }
        Ok(read)
    }
}

/// Issuer and account name, the way Authy's own list shows them: `originalName` is
/// "Issuer:Name"; else `name` may be "Issuer - Name"; else the account type names the issuer.
fn split_name(t: &Token) -> (String, String) {
    let (issuer, sep) = if let Some((i, _)) = t.original_name.split_once(':') {
        (i.trim().to_owned(), ":")
    } else if let Some((i, _)) = t.name.split_once(" - ") {
        (i.trim().to_owned(), " - ")
    } else {
        let mut c = t.account_type.chars();
        let cap = c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
        (cap, "")
    };
    let prefix = format!("{issuer}{sep}");
    let name = if sep.is_empty() {
        t.name.trim()
    } else {
        t.name.strip_prefix(&prefix).unwrap_or(&t.name).trim()
    };
    (issuer, name.to_owned())
}

/// The base32 secret, or `None` when the password (or the data) is wrong.
fn decrypt_secret(password: &str, salt: &str, ciphertext_b64: &str) -> Option<Zeroizing<String>> {
    use base64::Engine as _;
    let ct = base64::engine::general_purpose::STANDARD
        .decode(ciphertext_b64.trim())
        .ok()?;
    if ct.is_empty() || ct.len() % 16 != 0 {
        return None;
    }
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(
        password.as_bytes(),
        salt.as_bytes(),
        PBKDF2_ITERATIONS,
        &mut key[..],
    );
    let iv = [0u8; 16];
    let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(&key[..], &iv).ok()?;
    let mut buf = Zeroizing::new(ct);
    let len = dec.decrypt_padded::<Pkcs7>(&mut buf).ok()?.len();
    buf.truncate(len);
    let s = std::str::from_utf8(&buf).ok()?;
    // A wrong key that happens to give valid padding still gives bytes that are not base32.
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '=' || c == ' ')
    {
        return None;
    }
    Some(Zeroizing::new(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::otp::encode_secret;

    // Aegis VaultEntries.java vectors 0..2 (aegis_importer_expected.json): Authy stores no
    // algorithm or period, so they are SHA-1 and 30 s here (Aegis's test adjusts the same way).
    const EXPECTED: [(&str, &str, &str, u8); 3] = [
        ("Deno", "Mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", 6),
        ("SPDX", "James", "5OM4WOOGPLQEF6UGN3CPEOOLWU", 7),
        ("Airbnb", "Elijah", "7ELGJSGXNCCTV3O6LKJWYFV2RA", 8),
    ];

    fn input(rel: &str) -> Input {
        Input::new(testdata::bytes(rel)).unwrap()
    }

    fn check(read: &Read) {
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.accounts.len(), 3);
        for (a, (issuer, name, secret, digits)) in read.accounts.iter().zip(EXPECTED) {
            assert_eq!(a.issuer, issuer);
            assert_eq!(a.username, name);
            let otp = a.otp.as_ref().unwrap();
            assert_eq!(encode_secret(otp.secret.expose()), secret);
            assert_eq!(otp.kind, OtpKind::Totp);
            assert_eq!(otp.algorithm, Algorithm::Sha1);
            assert_eq!(otp.digits, digits);
            assert_eq!(otp.period, 30);
        }
    }

    #[test]
    fn plain_is_read() {
        let i = input("aegis/importers/authy_plain.xml");
        assert_eq!(Authy.detect(&i), Detected::PLAIN);
        check(&Authy.read(&i, &FileKey::default()).unwrap());
        let f = crate::import::read(
            testdata::bytes("aegis/importers/authy_plain.xml"),
            None,
            &FileKey::default(),
        )
        .unwrap();
        assert_eq!(f.format.name(), "authy");
    }

    #[test]
    fn encrypted_is_read_with_its_password() {
        // Password from Aegis DatabaseImporterTest.java (aegis_importer_expected.json).
        let i = input("aegis/importers/authy_encrypted.xml");
        assert_eq!(Authy.detect(&i), Detected::ENCRYPTED);
        check(&Authy.read(&i, &FileKey::password("testtest")).unwrap());
    }

    #[test]
    fn wrong_or_missing_password_is_refused() {
        let bytes = testdata::bytes("aegis/importers/authy_encrypted.xml");
        let e = crate::import::read(bytes.clone(), None, &FileKey::password("wrong"))
            .err()
            .unwrap();
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        let e = crate::import::read(bytes, None, &FileKey::default())
            .err()
            .unwrap();
        assert!(matches!(e, Error::FilePasswordNeeded { .. }), "{e}");
    }

    #[test]
    fn damaged_files_are_refused_clearly() {
        let bytes = testdata::bytes("aegis/importers/authy_encrypted.xml");
        // Truncated: the XML (and the JSON in it) ends early.
        let cut = Input::new(bytes[..bytes.len() / 2].to_vec()).unwrap();
        assert!(Authy.detect(&cut).is_some());
        let e = Authy
            .read(&cut, &FileKey::password("testtest"))
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::BadInput, "{e}");
        // One ciphertext bit-flipped: that entry is a problem, the others are read.
        let text = String::from_utf8(bytes).unwrap();
        let flipped = text.replacen("94mk0erEKRYU", "94mk0erEKRYV", 1);
        let i = Input::new(flipped.into_bytes()).unwrap();
        let r = Authy.read(&i, &FileKey::password("testtest")).unwrap();
        assert_eq!(r.accounts.len(), 2);
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert!(r.problems[0].starts_with("entry 1 (Deno / Mason)"));
    }
}
