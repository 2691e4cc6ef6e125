//! Bitwarden Authenticator's JSON export: `{encrypted: false, items: [{name, notes, login:
//! {totp}}]}` where `totp` is an `otpauth://` or `steam://` link (or a bare base32 secret).
//!
//! Bitwarden's password manager export looks alike but is another format ("bitwarden"): it has
//! `folders` or `collections` beside `items`, and logins with usernames and passwords. This
//! format claims only a file whose top level is exactly `encrypted` and `items` and whose logins
//! hold nothing but `totp`.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::otp_fields::{build, entry_label, Fields};
use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::OtpKind;

pub struct BitwardenAuthenticator;

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    encrypted: bool,
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    login: Option<Login>,
}

#[derive(Deserialize)]
struct Login {
    #[serde(default)]
    totp: Option<Zeroizing<String>>,
}

/// The shape detection checks: only the keys of each item's login, no values.
#[derive(Deserialize)]
struct Shape {
    items: Vec<ShapeItem>,
}

#[derive(Deserialize)]
struct ShapeItem {
    #[serde(default)]
    login: Option<std::collections::BTreeMap<String, serde::de::IgnoredAny>>,
}

impl Format for BitwardenAuthenticator {
    fn name(&self) -> &'static str {
        "bitwarden-authenticator"
    }
    fn app(&self) -> &'static str {
        "Bitwarden Authenticator"
    }
    fn title(&self) -> &'static str {
        "Bitwarden Authenticator export"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let keys = input.json_keys()?;
        if keys.len() != 2 || !input.json_has(&["encrypted", "items"]) {
            return None;
        }
        let shape: Shape = serde_json::from_slice(input.bytes()).ok()?;
        let only_totp = shape.items.iter().all(|i| {
            i.login
                .as_ref()
                .is_some_and(|l| l.keys().all(|k| k == "totp"))
        });
        only_totp.then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let e: Export = input.json(self.title())?;
        if e.encrypted {
            return Err(Error::invalid(
                self.title(),
                "the export says it is encrypted, which Bitwarden Authenticator does not write",
            ));
        }
        let mut read = Read::default();
        for (i, item) in e.items.into_iter().enumerate() {
            let name = item.name.unwrap_or_default().trim().to_owned();
            let what = entry_label(i, &name, "");
            let Some(totp) = item
                .login
                .and_then(|l| l.totp)
                .filter(|t| !t.trim().is_empty())
            else {
                read.problems.push(format!("{what}: no authenticator"));
                continue;
            };
            let lower = totp.trim_start().to_ascii_lowercase();
            let parsed = if lower.starts_with("otpauth://") || lower.starts_with("steam://") {
                crate::otp::parse_uri(&totp)
                    .map(Imported::from_entry)
                    .map_err(|e| match e {
                        Error::InvalidInput { field, reason } => format!("{field}: {reason}"),
                        other => other.to_string(),
                    })
            } else {
                let f = Fields {
                    secret: &totp,
                    ..Default::default()
                };
                build(OtpKind::Totp, f).map(|(otp, warnings)| Imported {
                    otp: Some(otp),
                    warnings,
                    ..Default::default()
                })
            };
            match parsed {
                Ok(mut a) => {
                    if a.issuer.is_empty() {
                        a.issuer = name.clone();
                    }
                    if name != a.issuer {
                        a.name = name;
                    }
                    a.notes = item.notes.unwrap_or_default();
                    read.accounts.push(a);
                }
                Err(reason) => read.problems.push(format!("{what}: {reason}")),
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{read as import, testdata, ImportFile};
    use crate::model::Algorithm;

    fn ok(rel: &str) -> ImportFile {
        let f = import(testdata::bytes(rel), None, &FileKey::default())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(f.format.name(), "bitwarden-authenticator", "{rel}");
        f
    }

    #[test]
    fn stratum_file() {
        // Stratum.Test data/bitwardenauthenticator.json: 6 TOTP entries.
        let f = ok("stratum_authenticatorpro/data/bitwardenauthenticator.json");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), 6);
        let a = &f.accounts;
        assert_eq!(
            (a[0].issuer.as_str(), a[0].username.as_str()),
            ("Standard", "Totp")
        );
        assert_eq!(a[2].otp.as_ref().unwrap().algorithm, Algorithm::Sha256);
        assert_eq!(a[4].otp.as_ref().unwrap().digits, 9);
        assert_eq!(a[5].otp.as_ref().unwrap().period, 60);
    }

    #[test]
    fn proton_file() {
        // proton-pass-common bitwarden/json.rs can_parse_content: 4 entries, the third Steam.
        let f = ok("more_imports/proton_authenticator/authenticator/bitwarden/bitwarden.json");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), 4);
        let o = f.accounts[0].otp.as_ref().unwrap();
        assert_eq!(
            (o.algorithm, o.digits, o.period),
            (Algorithm::Sha256, 8, 15)
        );
        assert_eq!(f.accounts[0].username, "LABEL_256_8_15");
        assert_eq!(f.accounts[2].otp.as_ref().unwrap().kind, OtpKind::Steam);
        assert_eq!(f.accounts[2].display_name(), "SteamName");
        assert_eq!(f.accounts[3].username, "Seven digit username");
        assert_eq!(f.accounts[3].otp.as_ref().unwrap().digits, 7);
    }

    #[test]
    fn password_manager_exports_are_not_claimed() {
        // Bitwarden's password manager exports belong to the "bitwarden" format, including
        // Proton's bitwarden_app.json (an organisation export with usernames and passwords).
        for rel in [
            "more_imports/proton_authenticator/authenticator/bitwarden/bitwarden_app.json",
            "stratum_authenticatorpro/data/bitwarden.unencrypted.json",
            "stratum_authenticatorpro/data/bitwarden.encrypted.pbkdf2.json",
            "stratum_authenticatorpro/data/bitwarden.encrypted.accountrestricted.json",
            "aegis/importers/bitwarden.json",
            "gnome_authenticator/backup_tests/bitwarden.json",
            "more_imports/keepassxc/bitwarden_export.json",
        ] {
            let input = Input::new(testdata::bytes(rel)).unwrap();
            assert_eq!(BitwardenAuthenticator.detect(&input), None, "{rel}");
        }
    }
}
