//! Ente Auth's encrypted export: a JSON object {version: 1, kdfParams {memLimit, opsLimit,
//! salt}, encryptedData, encryptionNonce}. The key is libsodium's `crypto_pwhash` (Argon2id
//! v1.3, one lane, `memLimit` bytes, `opsLimit` passes, 32 bytes) of the password; the data is
//! one XChaCha20-Poly1305 secretstream message (`encryptionNonce` is the stream header) whose
//! plaintext is the same text as Ente's plain export: one `otpauth://` link per line, read by
//! `otp::import::parse_text`. Ente's plain export is the `otpauth` text format.
//!
//! Ente derives with 1 GiB and 4 passes where it can (its "sensitive" setting) and with less
//! memory and more passes on small phones; a file asking for more than 1 GiB or 64 passes is
//! refused before any work.

use base64::Engine as _;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::otp::import::parse_text;
use crate::secret::{Key32, SecretText};

pub struct EnteEncrypted;

const MAX_MEM_BYTES: u64 = 1024 * 1024 * 1024;
const MIN_MEM_BYTES: u64 = 8 * 1024;
const MAX_OPS: u32 = 64;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Export {
    version: u32,
    kdf_params: KdfParams,
    encrypted_data: String,
    encryption_nonce: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KdfParams {
    mem_limit: u64,
    ops_limit: u32,
    salt: String,
}

impl EnteEncrypted {
    fn err(&self, reason: impl Into<String>) -> Error {
        Error::invalid(self.title(), reason)
    }

    fn key(&self, p: &KdfParams, password: &SecretText) -> Result<Key32> {
        if !(MIN_MEM_BYTES..=MAX_MEM_BYTES).contains(&p.mem_limit)
            || !(1..=MAX_OPS).contains(&p.ops_limit)
        {
            return Err(self.err(format!(
                "key derivation asks for {} MiB and {} passes; Keydeck accepts up to {} MiB and {MAX_OPS} passes",
                p.mem_limit / (1024 * 1024),
                p.ops_limit,
                MAX_MEM_BYTES / (1024 * 1024)
            )));
        }
        let salt = b64(&p.salt).ok_or_else(|| self.err("the salt is not base64"))?;
        if salt.len() != 16 {
            return Err(self.err("the salt is not 16 bytes"));
        }
        let params = argon2::Params::new((p.mem_limit / 1024) as u32, p.ops_limit, 1, Some(32))
            .map_err(|e| self.err(format!("key derivation parameters: {e}")))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Key32::zeroed();
        argon
            .hash_password_into(password.expose().as_bytes(), &salt, key.as_mut_bytes())
            .map_err(|e| self.err(format!("key derivation failed: {e}")))?;
        Ok(key)
    }
}

fn b64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim().as_bytes())
        .ok()
}

impl Format for EnteEncrypted {
    fn name(&self) -> &'static str {
        "ente-encrypted"
    }
    fn app(&self) -> &'static str {
        "Ente Auth"
    }
    fn title(&self) -> &'static str {
        "Ente Auth export"
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        input
            .json_has(&["kdfParams", "encryptedData", "encryptionNonce"])
            .then_some(Detected { encrypted: true })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let e: Export = input.json(self.title())?;
        if e.version != 1 {
            return Err(self.err(format!(
                "export version {} is not one Keydeck reads (1)",
                e.version
            )));
        }
        let password = key
            .password
            .as_ref()
            .ok_or_else(|| Error::FilePasswordNeeded {
                what: super::describe(self, true),
            })?;
        let header = b64(&e.encryption_nonce)
            .and_then(|h| <[u8; 24]>::try_from(h.as_slice()).ok())
            .ok_or_else(|| self.err("the encryption nonce is not 24 bytes of base64"))?;
        let data =
            b64(&e.encrypted_data).ok_or_else(|| self.err("the encrypted data is not base64"))?;
        let k = self.key(&e.kdf_params, password)?;
        let stream_key = crypto_secretstream::Key::from(*k.as_bytes());
        let mut stream = crypto_secretstream::PullStream::init(
            crypto_secretstream::Header::from(header),
            &stream_key,
        );
        let mut buf = Zeroizing::new(data);
        stream
            .pull(&mut *buf, &[])
            .map_err(|_| Error::WrongFilePassword {
                what: super::describe(self, true),
            })?;
        let text =
            std::str::from_utf8(&buf).map_err(|_| self.err("the decrypted content is not text"))?;
        let parsed = parse_text(text);
        Ok(Read {
            accounts: parsed
                .entries
                .into_iter()
                .map(|(_, e)| Imported::from_entry(e))
                .collect(),
            problems: parsed.problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{read as import, testdata, ImportFile};
    use crate::model::OtpKind;
    use crate::otp::encode_secret;

    const DIR: &str = "more_imports/proton_authenticator/authenticator/ente";

    fn password() -> String {
        std::fs::read_to_string(testdata::path(&format!("{DIR}/password")))
            .unwrap()
            .trim_end_matches(['\r', '\n'])
            .to_owned()
    }

    fn open(rel: &str, password: Option<&str>) -> Result<ImportFile> {
        let key = password.map(FileKey::password).unwrap_or_default();
        import(testdata::bytes(rel), None, &key)
    }

    fn summary(f: &ImportFile) -> Vec<String> {
        f.accounts
            .iter()
            .map(|a| {
                let o = a.otp.as_ref().unwrap();
                format!(
                    "{}|{}|{}|{:?}|{:?}|{}|{}|{}",
                    a.issuer,
                    a.username,
                    encode_secret(o.secret.expose()),
                    o.kind,
                    o.algorithm,
                    o.digits,
                    o.period,
                    o.counter
                )
            })
            .collect()
    }

    #[test]
    fn proton_encrypted_files() {
        // proton-pass-common ente/encrypted.rs can_import_encrypted_file: 3 entries (Proton
        // reads TOTP and Steam and refuses HOTP; Keydeck reads HOTP and TOTP). The Steam line's
        // test secret has an impossible base32 length, so the strict otpauth reader refuses it
        // with its line number. The nominal-complexity file decrypts to encrypted_decrypted.txt;
        // the low-complexity one holds other values.
        let mut seen = Vec::new();
        for name in [
            "encrypted.lowcomplexity.txt",
            "encrypted.nominalcomplexity.txt",
        ] {
            let rel = format!("{DIR}/{name}");
            let f = open(&rel, Some(&password())).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!(f.format.name(), "ente-encrypted");
            assert!(f.encrypted);
            assert_eq!(f.problems.len(), 1, "{:?}", f.problems);
            assert!(f.problems[0].contains("possible length"));
            seen.push(summary(&f));
        }
        assert_eq!(
            seen[0],
            [
                "dfdf|adfasdf|ASDFADA|Hotp|Sha1|6|30|1",
                "issuertest|accountest|SECRETDATA|Totp|Sha256|6|30|0"
            ]
        );
        let plain = open(&format!("{DIR}/encrypted_decrypted.txt"), None).unwrap();
        assert_eq!(plain.format.name(), "otpauth");
        assert_eq!((plain.accounts.len(), plain.problems.len()), (2, 1));
        assert_eq!(seen[1], summary(&plain));
    }

    #[test]
    fn wrong_password_missing_password_and_damage() {
        let rel = format!("{DIR}/encrypted.lowcomplexity.txt");
        let e = open(&rel, Some("nope")).err().expect("refused");
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        let e = open(&rel, None).err().expect("refused");
        assert!(matches!(e, Error::FilePasswordNeeded { .. }), "{e}");
        let text = String::from_utf8(testdata::bytes(&rel)).unwrap();
        // Truncated JSON: a clear error.
        let e = import(
            text.as_bytes()[..text.len() / 2].to_vec(),
            Some("ente-encrypted"),
            &FileKey::password(&password()),
        );
        assert!(e.is_err());
        // One character of the ciphertext changed: refused (the stream's tag fails).
        let at = text.find("\"encryptedData\": \"").unwrap() + 40;
        let mut b = text.into_bytes();
        b[at] = if b[at] == b'A' { b'B' } else { b'A' };
        let e = import(b, None, &FileKey::password(&password()))
            .err()
            .expect("refused");
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
    }

    #[test]
    fn absurd_kdf_parameters_are_refused() {
        let rel = format!("{DIR}/encrypted.lowcomplexity.txt");
        let text = String::from_utf8(testdata::bytes(&rel)).unwrap();
        let b = text.replace("\"memLimit\": 10240", "\"memLimit\": 107374182400");
        assert_ne!(b, text);
        let e = import(b.into_bytes(), None, &FileKey::password("x"))
            .err()
            .expect("refused");
        assert!(e.to_string().contains("Keydeck accepts"), "{e}");
    }

    #[test]
    fn stratum_encrypted_file() {
        // Stratum.Test EnteAuthBackupConverterTest: 7 authenticators with "test" (1 GiB, 4
        // passes: the slowest test here); the same 7 as ente.unencrypted.txt.
        let plain = open("stratum_authenticatorpro/data/ente.unencrypted.txt", None).unwrap();
        assert_eq!(plain.format.name(), "otpauth");
        assert_eq!((plain.accounts.len(), plain.problems.len()), (7, 0));
        let f = open(
            "stratum_authenticatorpro/data/ente.encrypted.json",
            Some("test"),
        )
        .unwrap();
        assert_eq!(f.format.name(), "ente-encrypted");
        assert_eq!(summary(&f), summary(&plain));
    }

    #[test]
    fn plain_exports_are_read_as_otpauth_text() {
        // Aegis DatabaseImporterTest (ente_auth.txt): the 7 vectors, in the file's order.
        let f = open("aegis/importers/ente_auth.txt", None).unwrap();
        assert_eq!(f.format.name(), "otpauth");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        let v = crate::import::otp_fields::check::aegis_vectors();
        assert_eq!(f.accounts.len(), 7);
        for (g, i) in f.accounts.iter().zip([4, 2, 6, 0, 3, 1, 5]) {
            crate::import::otp_fields::check::same(g, &v[i]);
        }
        // proton-pass-common ente/txt.rs tests (Proton refuses HOTP; Keydeck reads it).
        let p = open(&format!("{DIR}/plain.txt"), None).unwrap();
        assert_eq!((p.accounts.len(), p.problems.len()), (2, 0));
        assert_eq!(
            (
                p.accounts[0].issuer.as_str(),
                p.accounts[0].username.as_str()
            ),
            ("MyIssuer", "MyLabel256_8_15")
        );
        let o = p.accounts[0].otp.as_ref().unwrap();
        assert_eq!((o.digits, o.period), (8, 15));
        let h = open(&format!("{DIR}/plain_with_hotp.txt"), None).unwrap();
        // Three of its six test secrets have impossible base32 lengths (14, 17, 19): refused by
        // the strict otpauth reader, each with its line and reason.
        assert_eq!(
            (h.accounts.len(), h.problems.len()),
            (3, 3),
            "{:?}",
            h.problems
        );
        assert!(h.problems.iter().all(|p| p.contains("possible length")));
        let sh = open(&format!("{DIR}/plain_with_steam_and_hotp.txt"), None).unwrap();
        // Its Steam line's test secret has 17 characters: refused like those above.
        assert_eq!(
            (sh.accounts.len(), sh.problems.len()),
            (2, 1),
            "{:?}",
            sh.problems
        );
        assert!(sh.problems[0].starts_with("line 1:"));
        assert_eq!(sh.accounts[0].otp.as_ref().unwrap().kind, OtpKind::Hotp);
        assert_eq!(sh.accounts[1].otp.as_ref().unwrap().period, 90);
        let m = open(&format!("{DIR}/plain_with_missing_fields.txt"), None).unwrap();
        assert_eq!((m.accounts.len(), m.problems.len()), (1, 0));
        assert_eq!(m.accounts[0].display_name(), "accountname");
        let many = open(&format!("{DIR}/plain_20_entries.txt"), None).unwrap();
        assert_eq!((many.accounts.len(), many.problems.len()), (20, 0));
        for (i, a) in many.accounts.iter().enumerate() {
            assert_eq!(a.username, format!("Account {}", i + 1));
            assert_eq!(a.issuer, "Proton");
        }
    }
}
