//! TOTP Authenticator (com.authenticator.authservice2): its backup file (`.bin`) and its app
//! preferences (`shared_prefs/TOTP_Authenticator_Preferences.xml` from a rooted phone).
//!
//! The backup is base64 text of AES-256-CBC (PKCS#7, an all-zero IV) with the key SHA-256 of
//! the password — no salt and no authentication, so a wrong password shows only as bad padding
//! or content that is not the app's JSON. Inside is a JSON object whose one key is the account
//! list, itself JSON text. The preferences keep the same list in `STATIC_TOTP_CODES_LIST`.
//! Each account's key is hex (`base` 16), or base32/base64; codes are TOTP SHA-1, with the
//! digits and period the account says (blank: 6 and 30).

use aes::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
use base64::Engine as _;
use serde::Deserialize;
use sha2::Digest;
use zeroize::Zeroizing;

use super::{parse_json, parse_xml, Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind};
use crate::secret::SecretBytes;

pub struct TotpAuthenticator;

const TITLE: &str = "TOTP Authenticator backup";
const PREF_KEY: &str = "STATIC_TOTP_CODES_LIST";

#[derive(Deserialize)]
struct Account {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    name: String,
    key: Zeroizing<String>,
    #[serde(default)]
    digits: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    base: Option<u32>,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The backup's bytes when the file is base64 text of whole AES blocks.
fn ciphertext(input: &Input) -> Option<Zeroizing<Vec<u8>>> {
    let text = input.text()?;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.len() < 24
        || !compact
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return None;
    }
    let bytes = Zeroizing::new(b64().decode(compact.as_bytes()).ok()?);
    (bytes.len() >= 16 && bytes.len() % 16 == 0).then_some(bytes)
}

impl Format for TotpAuthenticator {
    fn name(&self) -> &'static str {
        "totp-authenticator"
    }
    fn app(&self) -> &'static str {
        "TOTP Authenticator"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if let Some(text) = input.text() {
            if text.trim_start().starts_with('<') && text.contains(PREF_KEY) {
                return Detected::PLAIN;
            }
        }
        ciphertext(input).map(|_| Detected { encrypted: true })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let list = match ciphertext(input) {
            Some(ct) => decrypt(&ct, key)?,
            None => preferences_list(input)?,
        };
        let accounts: Vec<Account> = parse_json(TITLE, list.as_bytes())?;
        let mut read = Read::default();
        for (i, a) in accounts.iter().enumerate() {
            match convert(a) {
                Ok(imported) => read.accounts.push(imported),
                Err(e) => {
                    read.problems
                        .push(format!("entry {} ({} / {}): {e}", i + 1, a.issuer, a.name))
                }
            }
        }
        Ok(read)
    }
}

fn preferences_list(input: &Input) -> Result<Zeroizing<String>> {
    let text = input
        .text()
        .ok_or_else(|| Error::invalid(TITLE, "the file is not UTF-8 text"))?;
    let doc = parse_xml(TITLE, text)?;
    let node = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("string") && n.attribute("name") == Some(PREF_KEY))
        .ok_or_else(|| Error::invalid(TITLE, format!("{PREF_KEY} is missing")))?;
    Ok(Zeroizing::new(node.text().unwrap_or_default().to_owned()))
}

/// The account list (JSON text) out of the backup.
fn decrypt(ct: &[u8], key: &FileKey) -> Result<Zeroizing<String>> {
    let wrong = || Error::WrongFilePassword {
        what: super::describe(&TotpAuthenticator, true),
    };
    let password = key
        .password
        .as_ref()
        .ok_or_else(|| Error::FilePasswordNeeded {
            what: super::describe(&TotpAuthenticator, true),
        })?;
    let k = Zeroizing::new(sha2::Sha256::digest(password.expose().as_bytes()));
    let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(&k, &[0u8; 16])
        .map_err(|_| Error::invalid(TITLE, "bad key size"))?;
    let plain = Zeroizing::new(dec.decrypt_padded_vec::<Pkcs7>(ct).map_err(|_| wrong())?);
    // `{"<account list as JSON text>":"<time>"}`; anything else means the key was wrong.
    let outer: FirstKey = serde_json::from_slice(&plain).map_err(|_| wrong())?;
    let list = outer.0.ok_or_else(wrong)?;
    if !list.trim_start().starts_with('[') {
        return Err(wrong());
    }
    Ok(list)
}

/// The first key of a JSON object, straight into a zeroizing string.
struct FirstKey(Option<Zeroizing<String>>);

impl<'de> Deserialize<'de> for FirstKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FirstKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<FirstKey, A::Error> {
                let mut first = None;
                while let Some(k) = map.next_key::<String>()? {
                    let k = Zeroizing::new(k);
                    map.next_value::<serde::de::IgnoredAny>()?;
                    if first.is_none() {
                        first = Some(k);
                    }
                }
                Ok(FirstKey(first))
            }
        }
        d.deserialize_map(V)
    }
}

fn number(what: &str, s: &str, default: u32) -> Result<u32> {
    if s.trim().is_empty() {
        return Ok(default);
    }
    s.trim()
        .parse()
        .map_err(|_| Error::invalid(what, "not a number"))
}

fn convert(a: &Account) -> Result<Imported> {
    let key = a.key.trim();
    let (secret, warnings) = match a.base.unwrap_or(16) {
        16 => (
            data_encoding::HEXUPPER_PERMISSIVE
                .decode(key.as_bytes())
                .map_err(|_| Error::invalid("secret key", "not hexadecimal"))?,
            Vec::new(),
        ),
        32 => {
            let p = crate::otp::parse_secret(key)?;
            (p.bytes, p.warnings)
        }
        64 => (
            b64()
                .decode(key)
                .map_err(|_| Error::invalid("secret key", "not base64"))?,
            Vec::new(),
        ),
        b => {
            return Err(Error::invalid(
                "secret key",
                format!("written in base {b}, which TOTP Authenticator does not use"),
            ))
        }
    };
    let digits = number("digits", &a.digits, 6)?;
    let otp = Otp {
        kind: OtpKind::Totp,
        secret: SecretBytes::new(secret),
        algorithm: Algorithm::Sha1,
        digits: u8::try_from(digits).map_err(|_| Error::invalid("digits", "out of range"))?,
        period: number("period", &a.period, 30)?,
        counter: 0,
    };
    crate::otp::validate(&otp)?;
    // The app shows "Unknown" for an account added without an issuer.
    let (issuer, username) = if a.issuer == "Unknown" {
        (a.name.clone(), String::new())
    } else {
        (a.issuer.clone(), a.name.clone())
    };
    Ok(Imported {
        issuer,
        username,
        otp: Some(otp),
        warnings,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;

    fn read(rel: &str, password: Option<&str>) -> Result<Read> {
        let input = Input::new(testdata::bytes(rel)).unwrap();
        let key = password.map(FileKey::password).unwrap_or_default();
        TotpAuthenticator.read(&input, &key)
    }

    /// Aegis DatabaseImporterTest (TOTP Authenticator): Deno/mason, SPDX/james, Airbnb/elijah,
    /// TOTP SHA-1; the file's digits and periods kept.
    fn check_aegis_three(r: &Read) {
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let want = [
            ("Deno", "mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", 6, 30),
            ("SPDX", "james", "5OM4WOOGPLQEF6UGN3CPEOOLWU", 7, 20),
            ("Airbnb", "elijah", "7ELGJSGXNCCTV3O6LKJWYFV2RA", 8, 50),
        ];
        assert_eq!(r.accounts.len(), 3);
        for (a, (issuer, user, secret, digits, period)) in r.accounts.iter().zip(want) {
            assert_eq!((a.issuer.as_str(), a.username.as_str()), (issuer, user));
            let o = a.otp.as_ref().unwrap();
            assert_eq!(crate::otp::encode_secret(o.secret.expose()), secret);
            assert_eq!((o.kind, o.algorithm), (OtpKind::Totp, Algorithm::Sha1));
            assert_eq!((o.digits, o.period), (digits, period));
        }
    }

    #[test]
    fn encrypted_backup() {
        let rel = "aegis/importers/totp_authenticator.bin";
        let input = Input::new(testdata::bytes(rel)).unwrap();
        assert_eq!(TotpAuthenticator.detect(&input), Detected::ENCRYPTED);
        check_aegis_three(&read(rel, Some("Testtest1")).unwrap());
    }

    #[test]
    fn internal_preferences() {
        let rel = "aegis/importers/totp_authenticator_internal.xml";
        let input = Input::new(testdata::bytes(rel)).unwrap();
        assert_eq!(TotpAuthenticator.detect(&input), Detected::PLAIN);
        check_aegis_three(&read(rel, None).unwrap());
    }

    #[test]
    fn stratum_backup() {
        // Stratum TotpAuthenticatorBackupConverterTest: "Testtest1", 2 authenticators.
        let rel = "stratum_authenticatorpro/data/totpauthenticator.encrypted.bin";
        let input = Input::new(testdata::bytes(rel)).unwrap();
        assert_eq!(TotpAuthenticator.detect(&input), Detected::ENCRYPTED);
        let r = read(rel, Some("Testtest1")).unwrap();
        assert_eq!(r.accounts.len() + r.problems.len(), 2, "{:?}", r.problems);
        assert_eq!(r.accounts.len(), 2, "{:?}", r.problems);
        assert_eq!(r.accounts[0].issuer, "Totp");
        assert_eq!(r.accounts[0].username, "standard");
        let o = r.accounts[0].otp.as_ref().unwrap();
        assert_eq!((o.digits, o.period), (6, 30));
    }

    #[test]
    fn wrong_password_truncated_and_flipped() {
        for rel in [
            "aegis/importers/totp_authenticator.bin",
            "stratum_authenticatorpro/data/totpauthenticator.encrypted.bin",
        ] {
            let e = read(rel, Some("test")).err().unwrap();
            assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        }
        let text = testdata::bytes("aegis/importers/totp_authenticator.bin");
        let raw = b64()
            .decode(String::from_utf8(text).unwrap().trim())
            .unwrap();
        // Cut by a block: still base64 of whole blocks, but the content is cut.
        let cut = b64().encode(&raw[..raw.len() - 16]);
        let input = Input::new(cut.into_bytes()).unwrap();
        assert!(TotpAuthenticator
            .read(&input, &FileKey::password("Testtest1"))
            .is_err());
        // A bit flipped in the middle block garbles it.
        let mut flipped = raw.clone();
        flipped[raw.len() / 2] ^= 0x10;
        let input = Input::new(b64().encode(&flipped).into_bytes()).unwrap();
        assert!(TotpAuthenticator
            .read(&input, &FileKey::password("Testtest1"))
            .is_err());
        // A cut that is not whole blocks is not this format at all.
        let input = Input::new(b64().encode(&raw[..raw.len() - 5]).into_bytes()).unwrap();
        assert_eq!(TotpAuthenticator.detect(&input), None);
    }
}
