//! LastPass Authenticator's export (`version` 3): `accounts` with issuerName, userName, secret
//! (base32), timeStep, digits, algorithm and folderData.folderId; `folders` name the folders.
//! A folder other than the default "Other accounts" (id 0) becomes a tag.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::otp_fields::{build, entry_label, Fields};
use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::Result;
use crate::model::OtpKind;

pub struct LastPass;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Export {
    accounts: Vec<Account>,
    #[serde(default)]
    folders: Vec<Folder>,
}

#[derive(Deserialize)]
struct Folder {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(default)]
    issuer_name: Option<String>,
    #[serde(default)]
    original_issuer_name: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    #[serde(default)]
    secret: Option<Zeroizing<String>>,
    #[serde(default)]
    time_step: Option<i64>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    folder_data: Option<FolderData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FolderData {
    #[serde(default)]
    folder_id: Option<i64>,
}

impl Format for LastPass {
    fn name(&self) -> &'static str {
        "lastpass-authenticator"
    }
    fn app(&self) -> &'static str {
        "LastPass Authenticator"
    }
    fn title(&self) -> &'static str {
        "LastPass Authenticator export"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        input
            .json_has(&["accounts", "deviceName", "localDeviceId"])
            .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let e: Export = input.json(self.title())?;
        let mut read = Read::default();
        for (i, a) in e.accounts.into_iter().enumerate() {
            let issuer = [&a.issuer_name, &a.original_issuer_name]
                .into_iter()
                .flatten()
                .map(|s| s.trim())
                .find(|s| !s.is_empty())
                .unwrap_or_default()
                .to_owned();
            let username = a.user_name.unwrap_or_default().trim().to_owned();
            let what = entry_label(i, &issuer, &username);
            let Some(secret) = a.secret.as_ref() else {
                read.problems.push(format!("{what}: no secret key"));
                continue;
            };
            let fields = Fields {
                secret,
                algorithm: a.algorithm.as_deref(),
                digits: a.digits,
                period: a.time_step,
                counter: None,
            };
            let (otp, warnings) = match build(OtpKind::Totp, fields) {
                Ok(x) => x,
                Err(reason) => {
                    read.problems.push(format!("{what}: {reason}"));
                    continue;
                }
            };
            let tags = a
                .folder_data
                .and_then(|f| f.folder_id)
                .filter(|id| *id != 0)
                .and_then(|id| e.folders.iter().find(|f| f.id == Some(id)))
                .and_then(|f| f.name.as_deref())
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .into_iter()
                .collect();
            read.accounts.push(Imported {
                issuer,
                username,
                tags,
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
    use crate::import::otp_fields::check::{same, Want};
    use crate::import::{read as import, testdata, ImportFile};
    use crate::model::Algorithm;

    fn ok(rel: &str) -> ImportFile {
        let f = import(testdata::bytes(rel), None, &FileKey::default())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(f.format.name(), "lastpass-authenticator", "{rel}");
        f
    }

    #[test]
    fn stratum_file() {
        // Stratum.Test LastPassBackupConverterTest: 6 authenticators, 2 categories on 4 of them.
        let f = ok("stratum_authenticatorpro/data/lastpass.json");
        assert!(f.problems.is_empty());
        assert_eq!(f.accounts.len(), 6);
        assert_eq!(f.accounts.iter().filter(|a| !a.tags.is_empty()).count(), 4);
        assert_eq!(f.accounts[0].tags, ["Favorites"]);
        assert_eq!(f.accounts[2].tags, ["Group"]);
        same(
            &f.accounts[1],
            &Want {
                issuer: "Long",
                username: "Period",
                secret: "JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
                algorithm: Algorithm::Sha1,
                digits: 6,
                period_or_counter: 60,
                kind: OtpKind::Totp,
            },
        );
        assert_eq!(f.accounts[2].otp.as_ref().unwrap().digits, 9);
        assert_eq!(
            (
                f.accounts[3].issuer.as_str(),
                f.accounts[3].username.as_str()
            ),
            ("", "NoIssuer")
        );
        assert_eq!(
            f.accounts[5].otp.as_ref().unwrap().algorithm,
            Algorithm::Sha512
        );
    }

    #[test]
    fn proton_files() {
        // proton-pass-common lastpass/json.rs tests.
        let dir = "more_imports/proton_authenticator/authenticator/lastpass";
        let f = ok(&format!("{dir}/lastpass.json"));
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), 3);
        let o = f.accounts[1].otp.as_ref().unwrap();
        assert_eq!(
            (o.algorithm, o.digits, o.period),
            (Algorithm::Sha256, 8, 20)
        );
        assert_eq!(
            f.accounts[2].otp.as_ref().unwrap().algorithm,
            Algorithm::Sha512
        );
        let ios = ok(&format!("{dir}/lastpass_ios_export.json"));
        assert!(ios.problems.is_empty());
        assert_eq!(ios.accounts.len(), 2);
        assert_eq!(ios.accounts[0].issuer, "code 1 lastpass");
        assert_eq!(ios.accounts[0].username, "snjxxndjbdbdb");
        let m = ok(&format!("{dir}/lastpass_missing_fields.json"));
        assert!(m.problems.is_empty());
        assert_eq!(m.accounts.len(), 1);
        assert_eq!(m.accounts[0].display_name(), "sometest");
    }

    #[test]
    fn bad_digits_and_period_are_problems() {
        for (field, d, p) in [("digits", 0, 30), ("period", 6, 0)] {
            let json = format!(
                r#"{{"deviceName":"x","localDeviceId":null,"accounts":[{{"issuerName":"I","userName":"u","secret":"JBSWY3DPEHPK3PXP","timeStep":{p},"digits":{d},"algorithm":"SHA1"}}],"folders":[]}}"#
            );
            let f = import(json.into_bytes(), None, &FileKey::default()).unwrap();
            assert!(f.accounts.is_empty());
            assert!(f.problems[0].contains(field), "{:?}", f.problems);
        }
    }
}
