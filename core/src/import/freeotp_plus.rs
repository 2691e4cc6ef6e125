//! FreeOTP+'s JSON export: `{"tokenOrder": [...], "tokens": [...]}`, each token as FreeOTP
//! writes it (signed-byte secret, `issuerExt`, `label`, …; read by `freeotp::Token`). Its
//! internal `tokens.xml` is FreeOTP's own file and is read by the `freeotp` format.

use serde::Deserialize;

use super::freeotp::{convert_all, Token};
use super::{Detected, FileKey, Format, Input, Read};
use crate::error::Result;

pub struct FreeOtpPlus;

const TITLE: &str = "FreeOTP+ export";

#[derive(Deserialize)]
struct Export {
    tokens: Vec<Token>,
}

impl Format for FreeOtpPlus {
    fn name(&self) -> &'static str {
        "freeotp-plus"
    }
    fn app(&self) -> &'static str {
        "FreeOTP+"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        input
            .json_has(&["tokenOrder", "tokens"])
            .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let export: Export = input.json(TITLE)?;
        Ok(convert_all(
            export.tokens.into_iter().map(|t| (t, None)).collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::freeotp::tests::check_vectors;
    use crate::import::testdata;
    use crate::model::{Algorithm, OtpKind};

    fn read(rel: &str) -> Read {
        let i = Input::new(testdata::bytes(rel)).unwrap();
        assert_eq!(FreeOtpPlus.detect(&i), Detected::PLAIN, "{rel}");
        FreeOtpPlus.read(&i, &FileKey::default()).unwrap()
    }

    #[test]
    fn aegis_freeotp_plus() {
        // Aegis DatabaseImporterTest: vectors[0..6], HOTP counters stored one less.
        check_vectors(&read("aegis/importers/freeotp_plus.json"), 6, 1);
    }

    #[test]
    fn gnome_freeotp_json() {
        // GNOME Authenticator backup_tests/freeotp_json.json: the same six tokens.
        check_vectors(
            &read("gnome_authenticator/backup_tests/freeotp_json.json"),
            6,
            1,
        );
    }

    #[test]
    fn stratum_freeotpplus() {
        // Stratum FreeOtpPlusBackupConverterTest: 7 authenticators, no failures.
        let r = read("stratum_authenticatorpro/data/freeotpplus.json");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.accounts.len(), 7);
        let a = &r.accounts[0];
        assert_eq!((a.issuer.as_str(), a.username.as_str()), ("Long", "Period"));
        let o = a.otp.as_ref().unwrap();
        assert_eq!(
            crate::otp::encode_secret(o.secret.expose()),
            "JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN"
        );
        assert_eq!(
            (o.kind, o.period, o.algorithm),
            (OtpKind::Totp, 60, Algorithm::Sha1)
        );
    }

    #[test]
    fn missing_secret_is_a_problem() {
        let i =
            Input::new(br#"{"tokenOrder":[],"tokens":[{"issuerExt":"A","label":"b"}]}"#.to_vec())
                .unwrap();
        let r = FreeOtpPlus.read(&i, &FileKey::default()).unwrap();
        assert!(r.accounts.is_empty());
        assert!(
            r.problems[0].contains("entry 1 (A / b)"),
            "{:?}",
            r.problems
        );
    }
}
