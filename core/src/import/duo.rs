//! Duo Mobile's account list (`files/duokit/accounts.json` in its app data): a JSON array of
//! accounts, each with `otpGenerator.otpSecret` (base32) and, for HOTP, a `counter`. Duo's own
//! push accounts (no `otpGenerator`) carry no code and are listed as problems.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::Result;
use crate::model::{Algorithm, Otp, OtpKind};
use crate::secret::SecretBytes;

pub struct Duo;

const TITLE: &str = "Duo Mobile accounts file";

#[derive(Deserialize)]
struct Account {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "otpGenerator")]
    otp_generator: Option<Generator>,
}

#[derive(Deserialize)]
struct Generator {
    #[serde(rename = "otpSecret")]
    otp_secret: Zeroizing<String>,
    #[serde(default)]
    counter: Option<u64>,
}

impl Format for Duo {
    fn name(&self) -> &'static str {
        "duo"
    }
    fn app(&self) -> &'static str {
        "Duo Mobile"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let text = input.text()?.trim_start();
        (text.starts_with('[')
            && text.contains("\"otpGenerator\"")
            && text.contains("\"accountType\""))
        .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let accounts: Vec<Account> = input.json(TITLE)?;
        let mut read = Read::default();
        for (i, a) in accounts.into_iter().enumerate() {
            let label = if a.name.is_empty() {
                "unnamed"
            } else {
                &a.name
            };
            let Some(g) = &a.otp_generator else {
                read.problems.push(format!(
                    "entry {} ({label}): a Duo push account, which has no code to copy",
                    i + 1
                ));
                continue;
            };
            let otp = crate::otp::parse_secret(&g.otp_secret).and_then(|s| {
                let otp = Otp {
                    kind: if g.counter.is_some() {
                        OtpKind::Hotp
                    } else {
                        OtpKind::Totp
                    },
                    secret: SecretBytes::new(s.bytes),
                    algorithm: Algorithm::Sha1,
                    digits: 6,
                    period: 30,
                    counter: g.counter.unwrap_or(0),
                };
                crate::otp::validate(&otp).map(|()| (otp, s.warnings))
            });
            match otp {
                Ok((otp, warnings)) => read.accounts.push(Imported {
                    // Duo's "name" is what the account is called in the app.
                    name: a.name.clone(),
                    otp: Some(otp),
                    warnings,
                    ..Default::default()
                }),
                Err(e) => read
                    .problems
                    .push(format!("entry {} ({label}): {e}", i + 1)),
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;

    #[test]
    fn duo_accounts() {
        let input = Input::new(testdata::bytes("aegis/importers/duo.json")).unwrap();
        assert_eq!(Duo.detect(&input), Detected::PLAIN);
        let r = Duo.read(&input, &FileKey::default()).unwrap();
        assert!(r.problems.is_empty());
        assert_eq!(r.accounts.len(), 2);
        // Aegis DatabaseImporterTest: vectors[0] (TOTP) and vectors[3] (HOTP), issuer "".
        let (a, b) = (&r.accounts[0], &r.accounts[1]);
        assert_eq!((a.name.as_str(), a.issuer.as_str()), ("Mason", ""));
        let o = a.otp.as_ref().unwrap();
        assert_eq!(o.kind, OtpKind::Totp);
        assert_eq!(
            crate::otp::encode_secret(o.secret.expose()),
            "4SJHB4GSD43FZBAI7C2HLRJGPQ"
        );
        assert_eq!((o.digits, o.period, o.algorithm), (6, 30, Algorithm::Sha1));
        assert_eq!(b.name, "James");
        let o = b.otp.as_ref().unwrap();
        assert_eq!(o.kind, OtpKind::Hotp);
        assert_eq!(
            crate::otp::encode_secret(o.secret.expose()),
            "YOOMIXWS5GN6RTBPUFFWKTW5M4"
        );
        // The file holds counter 3 (Aegis's test overwrites it with the vector's 1).
        assert_eq!(o.counter, 3);
    }

    #[test]
    fn push_account_is_a_problem() {
        let input =
            Input::new(br#"[{"accountType":"DuoAccount","name":"Work"}]"#.to_vec()).unwrap();
        let r = Duo.read(&input, &FileKey::default()).unwrap();
        assert!(r.accounts.is_empty());
        assert!(r.problems[0].contains("Work"));
    }
}
