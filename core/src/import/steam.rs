//! Steam Guard's secrets as Steam Desktop Authenticator and the old Steam app keep them: a
//! maFile (one account object with `shared_secret`, `account_name`, `revocation_code`, …) or a
//! `steam.json` holding such objects under `accounts`. `shared_secret` is base64; codes are
//! Steam's five characters every 30 s. The revocation code (which removes the authenticator
//! from the Steam account) is kept as the account's recovery code.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::de::IgnoredAny;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind, RecoveryCode};
use crate::secret::{SecretBytes, SecretText};

pub struct Steam;

const TITLE: &str = "Steam Guard file (steam.json / maFile)";

#[derive(Deserialize)]
struct Account {
    shared_secret: Zeroizing<String>,
    #[serde(default)]
    account_name: String,
    #[serde(default)]
    revocation_code: Option<Zeroizing<String>>,
}

/// `steam.json`: accounts by id.
#[derive(Deserialize)]
struct Accounts {
    accounts: BTreeMap<String, Account>,
}

/// For detection: the shape only, values skipped.
#[derive(Deserialize)]
struct ProbeAccount {
    #[allow(dead_code)]
    shared_secret: IgnoredAny,
    #[allow(dead_code)]
    account_name: IgnoredAny,
}
#[derive(Deserialize)]
struct ProbeAccounts {
    #[allow(dead_code)]
    accounts: BTreeMap<String, ProbeAccount>,
}

impl Format for Steam {
    fn name(&self) -> &'static str {
        "steam"
    }
    fn app(&self) -> &'static str {
        "Steam"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if input.json_has(&["shared_secret", "account_name"]) {
            return Detected::PLAIN;
        }
        if input.json_keys()? == ["accounts"] {
            let text = input.text()?;
            if serde_json::from_str::<ProbeAccounts>(text).is_ok() {
                return Detected::PLAIN;
            }
        }
        None
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let accounts: Vec<Account> = if input.json_has(&["accounts"]) {
            input
                .json::<Accounts>(TITLE)?
                .accounts
                .into_values()
                .collect()
        } else {
            vec![input.json::<Account>(TITLE)?]
        };
        let mut read = Read::default();
        for (i, a) in accounts.into_iter().enumerate() {
            match convert(&a) {
                Ok(imported) => read.accounts.push(imported),
                Err(e) => {
                    read.problems
                        .push(format!("entry {} (Steam / {}): {e}", i + 1, a.account_name))
                }
            }
        }
        Ok(read)
    }
}

fn convert(a: &Account) -> Result<Imported> {
    let secret = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(a.shared_secret.trim())
            .map_err(|_| Error::invalid("shared_secret", "not base64"))?,
    );
    let otp = Otp {
        kind: OtpKind::Steam,
        secret: SecretBytes::new(secret.to_vec()),
        algorithm: Algorithm::Sha1,
        digits: 5,
        period: 30,
        counter: 0,
    };
    crate::otp::validate(&otp)?;
    let recovery = a
        .revocation_code
        .as_ref()
        .filter(|c| !c.trim().is_empty())
        .map(|c| RecoveryCode {
            code: SecretText::new(c.trim()),
            used_at: None,
            note: "Steam Guard revocation code (removes the authenticator)".to_owned(),
        })
        .into_iter()
        .collect();
    Ok(Imported {
        issuer: "Steam".to_owned(),
        username: a.account_name.clone(),
        otp: Some(otp),
        recovery,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;

    fn check(rel: &str) {
        let input = Input::new(testdata::bytes(rel)).unwrap();
        assert_eq!(Steam.detect(&input), Detected::PLAIN, "{rel}");
        let r = Steam.read(&input, &FileKey::default()).unwrap();
        assert!(r.problems.is_empty());
        assert_eq!(r.accounts.len(), 1);
        let a = &r.accounts[0];
        // Aegis DatabaseImporterTest: the Steam vector, issuer "Steam", name "Sophia".
        assert_eq!(a.issuer, "Steam");
        assert_eq!(a.username, "Sophia");
        let otp = a.otp.as_ref().unwrap();
        assert_eq!(otp.kind, OtpKind::Steam);
        assert_eq!(
            crate::otp::encode_secret(otp.secret.expose()),
            "JRZCL47CMXVOQMNPZR2F7J4RGI"
        );
        assert_eq!(otp.digits, 5);
        // Aegis VaultEntries: code at Unix time 1234567890 is "WR5P6".
        assert_eq!(
            crate::otp::code_at(otp, 1_234_567_890).code.as_str(),
            "WR5P6"
        );
        assert_eq!(a.recovery.len(), 1);
        assert_eq!(a.recovery[0].code.expose(), "R1234");
    }

    #[test]
    fn steam_json_with_accounts() {
        check("aegis/importers/steam.json");
    }

    #[test]
    fn old_mafile() {
        check("aegis/importers/steam_old.json");
    }

    #[test]
    fn bad_secret_is_a_problem() {
        let input = Input::new(br#"{"shared_secret":"!!","account_name":"x"}"#.to_vec()).unwrap();
        let r = Steam.read(&input, &FileKey::default()).unwrap();
        assert!(r.accounts.is_empty());
        assert!(r.problems[0].contains("not base64"), "{}", r.problems[0]);
    }
}
