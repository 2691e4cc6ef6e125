//! Microsoft Authenticator's app database, taken from a rooted Android phone:
//! `/data/data/com.azure.authenticator/databases/PhoneFactor`.
//!
//! A SQLite file whose table `accounts` holds every account the app shows: `name` (the issuer),
//! `username`, `oath_secret_key` and `account_type`. Type 0 is an ordinary TOTP account (base32
//! secret, SHA-1, 6 digits, 30 s). Type 1 is a Microsoft personal account: when it has an OATH
//! secret, that secret is base64 and its codes have 8 digits (as Aegis's
//! `MicrosoftAuthImporter` reads it). Other types (work/school accounts that only approve push
//! notifications) carry no code secret: they are listed as problems, not dropped silently.

use base64::Engine as _;

use super::google_authenticator_db::{has_columns, open};
use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind};
use crate::secret::SecretBytes;

pub struct MicrosoftAuthenticator;

const COLUMNS: [&str; 4] = ["name", "username", "oath_secret_key", "account_type"];
const TYPE_TOTP: i64 = 0;
const TYPE_MICROSOFT: i64 = 1;

impl Format for MicrosoftAuthenticator {
    fn name(&self) -> &'static str {
        "microsoft-authenticator"
    }
    fn app(&self) -> &'static str {
        "Microsoft Authenticator"
    }
    fn title(&self) -> &'static str {
        "Microsoft Authenticator app database (Android)"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        has_columns(input, "accounts", &COLUMNS).then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let what = self.title();
        let conn = open(what, input)?;
        let bad = |e: rusqlite::Error| Error::invalid(what, format!("the accounts table: {e}"));
        let mut st = conn
            .prepare(
                "SELECT name, username, oath_secret_key, account_type FROM accounts ORDER BY _id",
            )
            .map_err(bad)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    zeroize::Zeroizing::new(r.get::<_, Option<String>>(2)?.unwrap_or_default()),
                    r.get::<_, Option<i64>>(3)?.unwrap_or(-1),
                ))
            })
            .map_err(bad)?;
        let mut read = Read::default();
        for (i, row) in rows.enumerate() {
            let (issuer, username, secret, kind) = row.map_err(bad)?;
            let problem = |reason: &str| {
                format!(
                    "entry {} ({} / {}): {reason}",
                    i + 1,
                    issuer.trim(),
                    username.trim()
                )
            };
            let (bytes, warnings, digits) = match kind {
                TYPE_TOTP => match crate::otp::parse_secret(&secret) {
                    Ok(p) => (p.bytes, p.warnings, 6),
                    Err(e) => {
                        read.problems.push(problem(&e.to_string()));
                        continue;
                    }
                },
                TYPE_MICROSOFT if !secret.trim().is_empty() => {
                    match base64::engine::general_purpose::STANDARD.decode(secret.trim()) {
                        Ok(b) => (b, Vec::new(), 8),
                        Err(_) => {
                            read.problems
                                .push(problem("its Microsoft account secret is not base64"));
                            continue;
                        }
                    }
                }
                _ => {
                    read.problems.push(problem(
                        "a Microsoft or work account that signs in by push notification; it has no code secret to import",
                    ));
                    continue;
                }
            };
            let otp = Otp {
                kind: OtpKind::Totp,
                secret: SecretBytes::new(bytes),
                algorithm: Algorithm::Sha1,
                digits,
                period: 30,
                counter: 0,
            };
            if let Err(e) = crate::otp::validate(&otp) {
                read.problems.push(problem(&e.to_string()));
                continue;
            }
            read.accounts.push(Imported {
                issuer: issuer.trim().to_owned(),
                username: username.trim().to_owned(),
                otp: Some(otp),
                warnings,
                ..Default::default()
            });
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::otp::encode_secret;

    const FILE: &str = "aegis/importers/microsoft_authenticator.sqlite";

    #[test]
    fn database_is_read() {
        // Aegis VaultEntries.java vectors 0..6 (issuer, name, secret); Microsoft Authenticator
        // keeps no algorithm, digits or period, so every one is SHA-1/6/30 (Aegis's test
        // adjusts the same way).
        let expected = [
            ("Deno", "Mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ"),
            ("SPDX", "James", "5OM4WOOGPLQEF6UGN3CPEOOLWU"),
            ("Airbnb", "Elijah", "7ELGJSGXNCCTV3O6LKJWYFV2RA"),
            ("Issuu", "James", "YOOMIXWS5GN6RTBPUFFWKTW5M4"),
            ("Air Canada", "Benjamin", "KUVJJOM753IHTNDSZVCNKL7GII"),
            ("WWE", "Mason", "5VAML3X35THCEBVRLV24CGBKOY"),
            ("Boeing", "Sophia", "JRZCL47CMXVOQMNPZR2F7J4RGI"),
        ];
        let f = crate::import::read(testdata::bytes(FILE), None, &FileKey::default()).unwrap();
        assert_eq!(f.format.name(), "microsoft-authenticator");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), expected.len());
        for (a, (issuer, name, secret)) in f.accounts.iter().zip(expected) {
            assert_eq!((a.issuer.as_str(), a.username.as_str()), (issuer, name));
            let otp = a.otp.as_ref().unwrap();
            assert_eq!(encode_secret(otp.secret.expose()), secret);
            assert_eq!(otp.kind, OtpKind::Totp);
            assert_eq!(otp.algorithm, Algorithm::Sha1);
            assert_eq!((otp.digits, otp.period), (6, 30));
        }
    }

    #[test]
    fn not_claimed_by_google_and_damage_is_refused() {
        let bytes = testdata::bytes(FILE);
        let ga = Input::new(testdata::bytes(
            "aegis/importers/google_authenticator.sqlite",
        ))
        .unwrap();
        assert!(MicrosoftAuthenticator.detect(&ga).is_none());
        let cut = Input::new(bytes[..bytes.len() / 2].to_vec()).unwrap();
        let e = MicrosoftAuthenticator
            .read(&cut, &FileKey::default())
            .err()
            .unwrap();
        assert!(e.to_string().contains("damaged"), "{e}");
    }
}
