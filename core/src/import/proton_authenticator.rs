//! Proton Authenticator's export: `{version: 1, entries: [{id, content: {uri, entry_type,
//! name}, note}]}`. Each `uri` is an `otpauth://` (or `steam://`) link; `name` is the entry's
//! name in the app (the account), `note` its note.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::otp_fields::entry_label;
use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};

pub struct ProtonAuthenticator;

#[derive(Deserialize)]
struct Export {
    version: u32,
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    content: Content,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
struct Content {
    uri: Zeroizing<String>,
    #[serde(default)]
    name: Option<String>,
}

impl Format for ProtonAuthenticator {
    fn name(&self) -> &'static str {
        "proton-authenticator"
    }
    fn app(&self) -> &'static str {
        "Proton Authenticator"
    }
    fn title(&self) -> &'static str {
        "Proton Authenticator export"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let keys = input.json_keys()?;
        let exact = keys.len() == 2 && input.json_has(&["version", "entries"]);
        (exact && input.text().is_some_and(|t| t.contains("\"entry_type\"")))
            .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let e: Export = input.json(self.title())?;
        if e.version != 1 {
            return Err(Error::invalid(
                self.title(),
                format!("export version {} is not one Keydeck reads (1)", e.version),
            ));
        }
        let mut read = Read::default();
        for (i, entry) in e.entries.into_iter().enumerate() {
            let name = entry.content.name.unwrap_or_default().trim().to_owned();
            match crate::otp::parse_uri(&entry.content.uri) {
                Ok(otp) => {
                    let mut a = Imported::from_entry(otp);
                    if a.username.is_empty() && name != a.issuer {
                        a.username = name;
                    }
                    a.notes = entry.note.unwrap_or_default();
                    read.accounts.push(a);
                }
                Err(err) => read.problems.push(format!(
                    "{}: {}",
                    entry_label(i, "", &name),
                    match err {
                        Error::InvalidInput { field, reason } => format!("{field}: {reason}"),
                        other => other.to_string(),
                    }
                )),
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::otp_fields::check::{aegis_vectors, same};
    use crate::import::{read as import, testdata, ImportFile};
    use crate::model::{Algorithm, OtpKind};

    fn ok(rel: &str) -> ImportFile {
        let f = import(testdata::bytes(rel), None, &FileKey::default())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(f.format.name(), "proton-authenticator", "{rel}");
        assert!(!f.encrypted);
        f
    }

    #[test]
    fn aegis_test_file() {
        // Aegis DatabaseImporterTest: the first 3 vectors.
        let f = ok("aegis/importers/proton_authenticator.json");
        assert!(f.problems.is_empty());
        assert_eq!(f.accounts.len(), 3);
        for (g, w) in f.accounts.iter().zip(&aegis_vectors()) {
            same(g, w);
        }
    }

    #[test]
    fn stratum_file() {
        // stratumauth/app Stratum.Test ProtonAuthenticatorBackupConverterTest: 7
        // authenticators, one of them Steam.
        let f = ok("more_imports/stratum_more/protonauthenticator.json");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), 7);
        let a = &f.accounts;
        assert_eq!(
            (a[0].issuer.as_str(), a[0].username.as_str()),
            ("Standard", "Totp")
        );
        assert_eq!(a[1].display_name(), "NoIssuer");
        assert_eq!(a[2].otp.as_ref().unwrap().algorithm, Algorithm::Sha256);
        assert_eq!(a[4].otp.as_ref().unwrap().period, 60);
        assert_eq!(a[5].otp.as_ref().unwrap().digits, 9);
        assert_eq!(a[6].otp.as_ref().unwrap().kind, OtpKind::Steam);
    }
}
