//! 2FAS backups (`.2fas`, schema versions 1–4), plain and encrypted.
//!
//! A JSON object with `schemaVersion` and `services`: each service has `name`, `secret` (base32)
//! and `otp` {issuer, account, label, tokenType TOTP/HOTP/STEAM, algorithm, digits, period,
//! counter, link}. Schema 1 and 2 have no `tokenType` (every entry is TOTP; schema 1 has no
//! algorithm/digits/period either). `groupId` names one of `groups`, which becomes a tag.
//!
//! Encrypted: `services` is empty and `servicesEncrypted` is `base64(ciphertext‖tag):
//! base64(salt):base64(iv)`; the key is PBKDF2-HMAC-SHA256(password, salt, 10,000, 32 bytes) and
//! the cipher AES-256-GCM, the plaintext the JSON array of services. `reference` is a known
//! text encrypted with the same key: when it opens and the services do not, the file is damaged
//! rather than the password wrong.

use base64::Engine as _;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::otp_fields::{build, entry_label, Fields};
use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::OtpKind;
use crate::secret::{Key32, SecretText};

pub struct TwoFas;

/// (data, salt, iv) of an encrypted field.
type Triple = (Zeroizing<Vec<u8>>, Vec<u8>, Vec<u8>);

/// 2FAS's fixed PBKDF2 iteration count.
const PBKDF2_ROUNDS: u32 = 10_000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Backup {
    schema_version: Option<u32>,
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    services_encrypted: Option<Zeroizing<String>>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    groups: Option<Vec<GroupDef>>,
}

#[derive(Deserialize)]
struct GroupDef {
    id: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    secret: Option<Zeroizing<String>>,
    #[serde(default)]
    otp: Option<OtpDef>,
    #[serde(default)]
    group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct OtpDef {
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    counter: Option<i64>,
    /// `otpauth://…`: holds the secret, so zeroized.
    #[serde(default)]
    link: Option<Zeroizing<String>>,
}

impl TwoFas {
    fn err(&self, reason: impl Into<String>) -> Error {
        Error::invalid(self.title(), reason)
    }

    fn decrypt(&self, b: &Backup, enc: &str, password: &SecretText) -> Result<Vec<Service>> {
        let (data, salt, iv) = self.triple(enc, "servicesEncrypted")?;
        let mut key = Key32::zeroed();
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
            password.expose().as_bytes(),
            &salt,
            PBKDF2_ROUNDS,
            key.as_mut_bytes(),
        );
        let wrong = || Error::WrongFilePassword {
            what: super::describe(self, true),
        };
        // The reference tells a wrong password from a damaged file.
        let reference_opens = match b.reference.as_deref().filter(|r| !r.is_empty()) {
            Some(r) => {
                let (rdata, _rsalt, riv) = self.triple(r, "reference")?;
                if crate::crypto::open(&key, &[], &riv, &rdata).is_err() {
                    return Err(wrong());
                }
                true
            }
            None => false,
        };
        let plain = crate::crypto::open(&key, &[], &iv, &data).map_err(|_| {
            if reference_opens {
                self.err("the encrypted services fail their integrity check (damaged or altered)")
            } else {
                wrong()
            }
        })?;
        super::parse_json(self.title(), &plain)
    }

    /// `base64:base64:base64` → (data, salt, iv).
    fn triple(&self, s: &str, what: &str) -> Result<Triple> {
        let mut parts = s.trim().split(':');
        let mut next = || -> Result<Zeroizing<Vec<u8>>> {
            let p = parts
                .next()
                .ok_or_else(|| self.err(format!("{what} is not data:salt:iv")))?;
            base64::engine::general_purpose::STANDARD
                .decode(p.as_bytes())
                .map(Zeroizing::new)
                .map_err(|_| self.err(format!("{what} is not base64")))
        };
        let (data, salt, iv) = (next()?, next()?, next()?);
        if iv.len() != 12 || salt.is_empty() || data.len() < 16 {
            return Err(self.err(format!("{what} is truncated or damaged")));
        }
        Ok((data, salt.to_vec(), iv.to_vec()))
    }
}

impl Format for TwoFas {
    fn name(&self) -> &'static str {
        "2fas"
    }
    fn app(&self) -> &'static str {
        "2FAS"
    }
    fn title(&self) -> &'static str {
        "2FAS backup"
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if !input.json_has(&["services", "schemaVersion"]) {
            return None;
        }
        Some(Detected {
            encrypted: input.json_has(&["servicesEncrypted"]),
        })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let mut b: Backup = input.json(self.title())?;
        if let Some(v) = b.schema_version.filter(|v| !(1..=4).contains(v)) {
            return Err(self.err(format!(
                "schema version {v} is not one Keydeck reads (1 to 4)"
            )));
        }
        let services = match b.services_encrypted.take() {
            Some(enc) if !enc.trim().is_empty() => {
                let password = key
                    .password
                    .as_ref()
                    .ok_or_else(|| Error::FilePasswordNeeded {
                        what: super::describe(self, true),
                    })?;
                self.decrypt(&b, &enc, password)?
            }
            _ => std::mem::take(&mut b.services),
        };
        let groups = b.groups.unwrap_or_default();
        let mut read = Read::default();
        for (i, s) in services.into_iter().enumerate() {
            convert(i, s, &groups, &mut read);
        }
        Ok(read)
    }
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn convert(i: usize, s: Service, groups: &[GroupDef], read: &mut Read) {
    let otp = s.otp.unwrap_or_default();
    let link = otp
        .link
        .as_deref()
        .and_then(|l| crate::otp::parse_uri(l).ok());
    let service = s.name.as_deref().unwrap_or_default().trim().to_owned();
    let issuer = nonempty(otp.issuer.as_deref())
        .map(str::to_owned)
        .unwrap_or_else(|| service.clone());
    // The account as the user last edited it, else as the link has it. Older schemas keep
    // "Issuer:account" in `label`.
    let username = nonempty(otp.account.as_deref())
        .map(str::to_owned)
        .or_else(|| {
            nonempty(otp.label.as_deref())
                .filter(|l| *l != issuer && *l != service)
                .map(|l| match l.split_once(':') {
                    Some((iss, acc)) if iss.trim() == issuer || iss.trim() == service => {
                        acc.trim().to_owned()
                    }
                    _ => l.to_owned(),
                })
        })
        .or_else(|| {
            link.as_ref()
                .map(|e| e.account.trim().to_owned())
                .filter(|a| !a.is_empty())
        })
        .unwrap_or_default();
    let label = entry_label(i, &issuer, &username);
    let kind = match nonempty(otp.token_type.as_deref()).map(str::to_ascii_uppercase) {
        None => OtpKind::Totp,
        Some(t) => match t.as_str() {
            "TOTP" => OtpKind::Totp,
            "HOTP" => OtpKind::Hotp,
            "STEAM" => OtpKind::Steam,
            other => {
                read.problems.push(format!(
                    "{label}: unsupported token type '{}'",
                    other.chars().take(16).collect::<String>()
                ));
                return;
            }
        },
    };
    let Some(secret) = s.secret.as_ref().filter(|s| !s.trim().is_empty()) else {
        read.problems.push(format!("{label}: no secret key"));
        return;
    };
    let lo = link.as_ref().map(|e| &e.otp);
    let algorithm_from_link = lo.map(|o| match o.algorithm {
        crate::model::Algorithm::Sha1 => "SHA1",
        crate::model::Algorithm::Sha256 => "SHA256",
        crate::model::Algorithm::Sha512 => "SHA512",
    });
    let fields = Fields {
        secret,
        algorithm: otp.algorithm.as_deref().or(algorithm_from_link),
        digits: otp.digits.or(lo.map(|o| o.digits as i64)),
        period: otp.period.or(lo.map(|o| o.period as i64)),
        counter: otp.counter.or(lo.map(|o| o.counter as i64)),
    };
    let (otp, warnings) = match build(kind, fields) {
        Ok(x) => x,
        Err(reason) => {
            read.problems.push(format!("{label}: {reason}"));
            return;
        }
    };
    let tags = s
        .group_id
        .as_deref()
        .and_then(|id| groups.iter().find(|g| g.id == id))
        .map(|g| g.name.trim().to_owned())
        .filter(|n| !n.is_empty())
        .into_iter()
        .collect();
    read.accounts.push(Imported {
        name: if service != issuer {
            service
        } else {
            String::new()
        },
        issuer,
        username,
        tags,
        otp: Some(otp),
        warnings,
        ..Default::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::otp_fields::check::{aegis_vectors, same, Want};
    use crate::import::{read as import, testdata, ImportFile};
    use crate::model::Algorithm;

    fn open(rel: &str, password: Option<&str>) -> Result<ImportFile> {
        let key = password.map(FileKey::password).unwrap_or_default();
        import(testdata::bytes(rel), None, &key)
    }

    fn ok(rel: &str, password: Option<&str>) -> ImportFile {
        let f = open(rel, password).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(f.format.name(), "2fas", "{rel}");
        assert_eq!(f.encrypted, password.is_some(), "{rel}");
        f
    }

    fn as_totp(w: &Want<'static>, period: u64) -> Want<'static> {
        Want {
            kind: OtpKind::Totp,
            period_or_counter: period,
            ..*w
        }
    }

    #[test]
    fn aegis_test_files() {
        // Aegis DatabaseImporterTest (2FAS cases) with its adjustments.
        let v = aegis_vectors();
        // Schema 1: every entry default TOTP (SHA1/6/30) with the vector's secret.
        let f = ok("aegis/importers/2fas_authenticator.json", None);
        assert_eq!(f.accounts.len(), 6);
        for (g, w) in f.accounts.iter().zip(&v) {
            let w = Want {
                algorithm: Algorithm::Sha1,
                digits: 6,
                ..as_totp(w, 30)
            };
            same(g, &w);
        }
        // Schema 2: 4 entries as TOTP keeping algorithm and digits; period or 30.
        for (rel, pw) in [
            ("aegis/importers/2fas_authenticator_plain.2fas", None),
            (
                "aegis/importers/2fas_authenticator_encrypted.2fas",
                Some("test"),
            ),
        ] {
            let f = ok(rel, pw);
            assert_eq!(f.accounts.len(), 4, "{rel}");
            for (g, i) in f.accounts.iter().zip([0, 2, 3, 5]) {
                let period = if v[i].kind == OtpKind::Totp {
                    v[i].period_or_counter
                } else {
                    30
                };
                same(g, &as_totp(&v[i], period));
            }
        }
        // Schema 3: the 6 vectors without Steam, unchanged.
        for (rel, pw) in [
            ("aegis/importers/2fas_authenticator_plain_v3.2fas", None),
            (
                "aegis/importers/2fas_authenticator_encrypted_v3.2fas",
                Some("test"),
            ),
        ] {
            let f = ok(rel, pw);
            assert!(f.problems.is_empty(), "{rel}: {:?}", f.problems);
            assert_eq!(f.accounts.len(), 6, "{rel}");
            for (g, w) in f.accounts.iter().zip(&v) {
                same(g, w);
            }
        }
        // Schema 4: 5 vectors with Steam.
        for (rel, pw) in [
            ("aegis/importers/2fas_authenticator_plain_v4.2fas", None),
            (
                "aegis/importers/2fas_authenticator_encrypted_v4.2fas",
                Some("test"),
            ),
        ] {
            let f = ok(rel, pw);
            assert!(f.problems.is_empty(), "{rel}: {:?}", f.problems);
            assert_eq!(f.accounts.len(), 5, "{rel}");
            for (g, i) in f.accounts.iter().zip([0, 3, 4, 5, 6]) {
                same(g, &v[i]);
            }
        }
    }

    #[test]
    fn wrong_password_truncation_and_damage() {
        let rel = "aegis/importers/2fas_authenticator_encrypted_v4.2fas";
        let e = open(rel, Some("nope")).err().expect("refused");
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        let e = open(rel, None).err().expect("refused");
        assert!(matches!(e, Error::FilePasswordNeeded { .. }), "{e}");
        let bytes = testdata::bytes(rel);
        let e = import(
            bytes[..bytes.len() - 40].to_vec(),
            Some("2fas"),
            &FileKey::password("test"),
        );
        assert!(e.is_err());
        // Flip one base64 character of the services: the reference still opens, so damage.
        let text = String::from_utf8(bytes).unwrap();
        let at = text.find("\"servicesEncrypted\":\"").unwrap() + 30;
        let mut b = text.into_bytes();
        b[at] = if b[at] == b'A' { b'B' } else { b'A' };
        let e = import(b, None, &FileKey::password("test"))
            .err()
            .expect("refused");
        assert!(e.to_string().contains("integrity"), "{e}");
    }

    #[test]
    fn stratum_files() {
        // Stratum.Test TwoFasBackupConverterTest: 6 authenticators (one HOTP), plain and
        // encrypted ("test"); the group is a category.
        for (rel, pw) in [
            (
                "stratum_authenticatorpro/data/twofas.unencrypted.2fas",
                None,
            ),
            (
                "stratum_authenticatorpro/data/twofas.encrypted.2fas",
                Some("test"),
            ),
        ] {
            let f = ok(rel, pw);
            assert!(f.problems.is_empty(), "{rel}: {:?}", f.problems);
            assert_eq!(f.accounts.len(), 6, "{rel}");
            let a = &f.accounts;
            assert_eq!(
                (a[0].issuer.as_str(), a[0].username.as_str()),
                ("Standard", "Totp")
            );
            assert_eq!(
                (a[1].issuer.as_str(), a[1].username.as_str()),
                ("NoIssuer", "")
            );
            assert_eq!(a[1].tags, ["Group"]);
            assert_eq!(a[2].otp.as_ref().unwrap().algorithm, Algorithm::Sha256);
            assert_eq!(a[4].otp.as_ref().unwrap().period, 60);
            let h = a[5].otp.as_ref().unwrap();
            assert_eq!((h.kind, h.counter), (OtpKind::Hotp, 10));
        }
    }

    #[test]
    fn proton_files() {
        // proton-pass-common proton-authenticator/src/parser/twofas/parser.rs tests. Proton
        // refuses HOTP; Keydeck reads it, so its "Unsupported" HOTP errors are accounts here.
        let dir = "more_imports/proton_authenticator/authenticator/2fas";
        let pass = std::fs::read_to_string(testdata::path(&format!("{dir}/password"))).unwrap();
        let pass = pass.trim_end_matches(['\r', '\n']);
        let e = ok(&format!("{dir}/encrypted.2fas"), Some(pass));
        assert_eq!((e.accounts.len(), e.problems.len()), (2, 0));
        let d = ok(&format!("{dir}/decrypted.2fas"), None);
        assert_eq!((d.accounts.len(), d.problems.len()), (2, 0));
        assert_eq!(d.accounts[1].otp.as_ref().unwrap().kind, OtpKind::Steam);
        let ios = ok(&format!("{dir}/decrypted_ios.2fas"), None);
        assert_eq!((ios.accounts.len(), ios.problems.len()), (2, 0));
        assert_eq!(ios.accounts[0].issuer, "Code1 2FAS");
        let h = ok(&format!("{dir}/decrypted_with_hotp.2fas"), None);
        assert_eq!((h.accounts.len(), h.problems.len()), (2, 0));
        assert_eq!(h.accounts[1].otp.as_ref().unwrap().kind, OtpKind::Hotp);
        // SHA384 is refused by name; the HOTP entry is read.
        let u = ok(
            &format!("{dir}/decrypted_with_hotp_and_unsupported_algorithms.2fas"),
            None,
        );
        assert_eq!((u.accounts.len(), u.problems.len()), (1, 1));
        assert!(u.problems[0].contains("SHA384"), "{:?}", u.problems);
        let p = ok(
            &format!("{dir}/decrypted_with_hotp_missing_period.2fas"),
            None,
        );
        assert_eq!((p.accounts.len(), p.problems.len()), (4, 0));
        let m = ok(&format!("{dir}/decrypted_with_missing_fields.2fas"), None);
        assert_eq!((m.accounts.len(), m.problems.len()), (1, 0));
        assert_eq!(m.accounts[0].username, "atest@email.com");
        let man = ok(&format!("{dir}/decrypted_with_manual_entries.2fas"), None);
        assert_eq!((man.accounts.len(), man.problems.len()), (12, 0));
        let pairs: Vec<(&str, &str)> = man
            .accounts
            .iter()
            .map(|a| (a.issuer.as_str(), a.username.as_str()))
            .collect();
        assert_eq!(pairs[0], ("Amazon", "some@test.email"));
        assert_eq!(pairs[1], ("GitHub", "Test-acc"));
        assert_eq!(pairs[2], ("Facebook", "random.sometest"));
        assert_eq!(pairs[3], ("Google", "some@test.email"));
        assert_eq!(pairs[5], ("Binance.com", "some@test.email"));
        assert_eq!(pairs[7], ("Proton", "sometestaccount@proton.me"));
        assert_eq!(pairs[9], ("Reddit", "Some-Account1234"));
        assert_eq!(pairs[10], ("20", ""));
        assert_eq!(pairs[11], ("Manual", ""));
        assert_eq!(man.accounts[8].otp.as_ref().unwrap().kind, OtpKind::Hotp);
    }

    #[test]
    fn bad_digits_and_period_are_problems() {
        // Proton's rejects_invalid_digits / rejects_invalid_period inputs.
        for (json, field) in [
            (
                r#"{"schemaVersion": 4, "services": [{"name": "Test Entry", "secret": "JBSWY3DPEHPK3PXP", "otp": {"tokenType": "TOTP", "source": "Manual", "digits": 0, "period": 30}}]}"#,
                "digits",
            ),
            (
                r#"{"schemaVersion": 4, "services": [{"name": "Test Entry", "secret": "JBSWY3DPEHPK3PXP", "otp": {"tokenType": "TOTP", "source": "Manual", "digits": 6, "period": 0}}]}"#,
                "period",
            ),
        ] {
            let f = import(json.as_bytes().to_vec(), None, &FileKey::default()).unwrap();
            assert!(f.accounts.is_empty());
            assert_eq!(f.problems.len(), 1);
            assert!(f.problems[0].contains(field), "{:?}", f.problems);
            assert!(f.problems[0].contains("Test Entry"));
        }
    }
}
