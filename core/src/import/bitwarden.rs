//! Bitwarden's JSON export (Tools → Export vault → `.json`), plain or password-protected.
//!
//! Plain: `{"encrypted": false, "folders": [{id, name}], "items": [...]}` (an organisation's
//! export has `collections` instead of `folders`). An item has `type` (1 login, 2 secure note,
//! 3 card, 4 identity, 5 SSH key), `name`, `notes`, `folderId`, `collectionIds`, `fields` (custom
//! fields), `passwordHistory` and, for a login, `login.{username, password, uris[].uri, totp}`.
//! `login.totp` is an `otpauth://` URI, Bitwarden's `steam://SECRET`, or a bare base32 secret.
//! Logins and secure notes become accounts; folder and collection names become tags; custom
//! fields and extra URLs go into the notes; `favorite` is ignored. Cards, identities and SSH
//! keys are not accounts: each is listed as a problem.
//!
//! Password-protected (`"encrypted": true, "passwordProtected": true`), as Bitwarden's
//! `PasswordProtectedImporter` reads it: a key is derived from the password and `salt` (the
//! string's UTF-8 bytes) by PBKDF2-HMAC-SHA256 (`kdfType` 0, `kdfIterations`) or Argon2id
//! (`kdfType` 1; `kdfIterations` passes, `kdfMemory` MiB, `kdfParallelism` lanes, salt =
//! SHA-256 of the salt string), then stretched with HKDF-Expand-SHA256 into a 32-byte encryption
//! key (info "enc") and a 32-byte MAC key (info "mac"). `encKeyValidation_DO_NOT_EDIT` and
//! `data` are cipher strings `2.<iv>|<ciphertext>|<mac>` (base64): AES-256-CBC/PKCS#7 with
//! HMAC-SHA256 over iv‖ciphertext. A validation string whose MAC does not verify means a wrong
//! password; `data` decrypts to the plain export's JSON.
//!
//! An "account restricted" export (`"encrypted": true` without `passwordProtected`) is encrypted
//! with the Bitwarden account's own key, which is not in the file: it is refused with the way out.
//!
//! Bitwarden Authenticator's export (`{"encrypted": false, "items": [...]}`, no folders or
//! collections) is another format ("bitwarden-authenticator"); this one is recognised by the
//! `folders` or `collections` key, or the encrypted export's keys.

use aes::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::PasswordHistoryEntry;
use crate::secret::SecretText;

pub struct Bitwarden;

/// Bitwarden's own ceilings are 2,000,000 PBKDF2 iterations, 10 Argon2 passes, 1 GiB and 16
/// lanes; a file asking for more is refused rather than left to run for an hour.
const MAX_PBKDF2_ITERATIONS: u32 = 5_000_000;
const MAX_ARGON2_PASSES: u32 = 16;
const MAX_ARGON2_MIB: u32 = 1024;
const MAX_ARGON2_LANES: u32 = 16;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Protected {
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    password_protected: bool,
    #[serde(default)]
    salt: Option<String>,
    #[serde(default)]
    kdf_type: Option<u32>,
    #[serde(default)]
    kdf_iterations: Option<u32>,
    #[serde(default)]
    kdf_memory: Option<u32>,
    #[serde(default)]
    kdf_parallelism: Option<u32>,
    #[serde(default, rename = "encKeyValidation_DO_NOT_EDIT")]
    validation: Option<String>,
    #[serde(default)]
    data: Option<String>,
}

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    folders: Vec<Named>,
    #[serde(default)]
    collections: Vec<Named>,
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Named {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default, rename = "type")]
    kind: Option<u32>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    notes: Option<Zeroizing<String>>,
    #[serde(default)]
    folder_id: Option<String>,
    #[serde(default)]
    collection_ids: Option<Vec<Option<String>>>,
    #[serde(default)]
    fields: Option<Vec<Field>>,
    #[serde(default)]
    login: Option<Login>,
    #[serde(default)]
    password_history: Option<Vec<OldPassword>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Login {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<Zeroizing<String>>,
    #[serde(default)]
    uris: Option<Vec<Uri>>,
    #[serde(default)]
    totp: Option<Zeroizing<String>>,
    #[serde(default)]
    password_revision_date: Option<String>,
}

#[derive(Deserialize)]
struct Uri {
    #[serde(default)]
    uri: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Field {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    value: Option<Zeroizing<String>>,
    #[serde(default, rename = "type")]
    kind: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldPassword {
    #[serde(default)]
    last_used_date: Option<String>,
    #[serde(default)]
    password: Option<Zeroizing<String>>,
}

impl Format for Bitwarden {
    fn name(&self) -> &'static str {
        "bitwarden"
    }
    fn app(&self) -> &'static str {
        "Bitwarden"
    }
    fn title(&self) -> &'static str {
        "Bitwarden export (JSON)"
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if input.json_has(&["passwordProtected", "encKeyValidation_DO_NOT_EDIT", "data"]) {
            return Detected::ENCRYPTED;
        }
        let keys = input.json_keys()?;
        let has = |k: &str| keys.iter().any(|h| h == k);
        // An account-restricted export: recognised so that `read` can say what to do.
        if has("encKeyValidation_DO_NOT_EDIT") && has("items") {
            return Detected::PLAIN;
        }
        (has("items") && (has("folders") || has("collections")))
            .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let what = self.title();
        let head: Protected = input.json(what)?;
        let export: Export = if head.encrypted {
            if !head.password_protected {
                return Err(Error::invalid(
                    what,
                    "this is an \"account restricted\" export, encrypted with the Bitwarden account's own key, which only Bitwarden can open. Export the vault again in Bitwarden choosing \"Password protected\" (or unencrypted JSON), then import that file",
                ));
            }
            let Some(password) = key.password.as_ref() else {
                return Err(Error::FilePasswordNeeded {
                    what: super::describe(self, true),
                });
            };
            let plain = self.decrypt(&head, password.expose())?;
            super::parse_json(what, &plain)?
        } else {
            input.json(what)?
        };
        Ok(convert(export))
    }
}

impl Bitwarden {
    fn decrypt(&self, head: &Protected, password: &str) -> Result<Zeroizing<Vec<u8>>> {
        let what = self.title();
        let missing = |f: &str| Error::invalid(what, format!("the encrypted export has no {f}"));
        let salt = head.salt.as_deref().ok_or_else(|| missing("salt"))?;
        let iterations = head
            .kdf_iterations
            .ok_or_else(|| missing("kdfIterations"))?;
        let mut master = Zeroizing::new([0u8; 32]);
        match head.kdf_type.unwrap_or(0) {
            0 => {
                if iterations == 0 || iterations > MAX_PBKDF2_ITERATIONS {
                    return Err(Error::invalid(
                        what,
                        format!("{iterations} PBKDF2 iterations is outside what Bitwarden writes (1 to {MAX_PBKDF2_ITERATIONS}); refused"),
                    ));
                }
                pbkdf2::pbkdf2_hmac::<Sha256>(
                    password.as_bytes(),
                    salt.as_bytes(),
                    iterations,
                    &mut master[..],
                );
            }
            1 => {
                let mib = head.kdf_memory.ok_or_else(|| missing("kdfMemory"))?;
                let lanes = head
                    .kdf_parallelism
                    .ok_or_else(|| missing("kdfParallelism"))?;
                if !(1..=MAX_ARGON2_PASSES).contains(&iterations)
                    || !(1..=MAX_ARGON2_MIB).contains(&mib)
                    || !(1..=MAX_ARGON2_LANES).contains(&lanes)
                {
                    return Err(Error::invalid(
                        what,
                        format!("Argon2id with {iterations} passes, {mib} MiB and {lanes} lanes is outside what Bitwarden writes; refused"),
                    ));
                }
                let params = argon2::Params::new(mib * 1024, iterations, lanes, Some(32))
                    .map_err(|e| Error::invalid(what, format!("Argon2id parameters: {e}")))?;
                let argon = argon2::Argon2::new(
                    argon2::Algorithm::Argon2id,
                    argon2::Version::V0x13,
                    params,
                );
                let salt_hash = Sha256::digest(salt.as_bytes());
                argon
                    .hash_password_into(password.as_bytes(), &salt_hash, &mut master[..])
                    .map_err(|e| Error::invalid(what, format!("Argon2id: {e}")))?;
            }
            k => {
                return Err(Error::invalid(
                    what,
                    format!(
                    "key derivation type {k} is not one Bitwarden writes (0 PBKDF2, 1 Argon2id)"
                ),
                ))
            }
        }
        let keys = stretch(&master);
        let validation = head
            .validation
            .as_deref()
            .ok_or_else(|| missing("encKeyValidation_DO_NOT_EDIT"))?;
        let parts = CipherString::parse(validation)
            .ok_or_else(|| Error::invalid(what, "its key check (encKeyValidation) is damaged"))?;
        if !parts.mac_ok(&keys) {
            return Err(Error::WrongFilePassword {
                what: super::describe(self, true),
            });
        }
        let data = head.data.as_deref().ok_or_else(|| missing("data"))?;
        let parts = CipherString::parse(data)
            .ok_or_else(|| Error::invalid(what, "its encrypted data is damaged or truncated"))?;
        if !parts.mac_ok(&keys) {
            return Err(Error::invalid(
                what,
                "the password is right but the encrypted data fails its integrity check: the file is damaged",
            ));
        }
        parts.decrypt(&keys).ok_or_else(|| {
            Error::invalid(
                what,
                "the encrypted data cannot be decrypted: the file is damaged",
            )
        })
    }
}

/// The encryption and MAC keys: HKDF-Expand-SHA256 of the derived key, info "enc" and "mac".
struct Keys {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

fn stretch(master: &[u8; 32]) -> Keys {
    let mut keys = Keys {
        enc: Zeroizing::new([0; 32]),
        mac: Zeroizing::new([0; 32]),
    };
    // A 32-byte PRK is exactly SHA-256's output size and 32 bytes of output are far below the
    // 255 × 32 limit, so neither call can fail; a failure would leave zero keys, whose MAC check
    // then fails like a wrong password.
    if let Ok(hk) = hkdf::Hkdf::<Sha256>::from_prk(master) {
        let _ = hk.expand(b"enc", &mut keys.enc[..]);
        let _ = hk.expand(b"mac", &mut keys.mac[..]);
    }
    keys
}

/// A Bitwarden cipher string of type 2: `2.<iv>|<ciphertext>|<mac>`, each base64.
struct CipherString {
    iv: Vec<u8>,
    ct: Vec<u8>,
    mac: Vec<u8>,
}

impl CipherString {
    fn parse(s: &str) -> Option<CipherString> {
        let rest = s.trim().strip_prefix("2.")?;
        let mut it = rest.split('|');
        let b64 = |p: Option<&str>| base64::engine::general_purpose::STANDARD.decode(p?).ok();
        let (iv, ct, mac) = (b64(it.next())?, b64(it.next())?, b64(it.next())?);
        if it.next().is_some() || iv.len() != 16 || mac.len() != 32 {
            return None;
        }
        if ct.is_empty() || ct.len() % 16 != 0 {
            return None;
        }
        Some(CipherString { iv, ct, mac })
    }

    fn mac_ok(&self, keys: &Keys) -> bool {
        let Ok(mut m) = <Hmac<Sha256> as KeyInit>::new_from_slice(&keys.mac[..]) else {
            return false;
        };
        m.update(&self.iv);
        m.update(&self.ct);
        m.verify_slice(&self.mac).is_ok()
    }

    fn decrypt(&self, keys: &Keys) -> Option<Zeroizing<Vec<u8>>> {
        let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(&keys.enc[..], &self.iv).ok()?;
        let mut buf = Zeroizing::new(self.ct.clone());
        let len = dec.decrypt_padded::<Pkcs7>(&mut buf).ok()?.len();
        buf.truncate(len);
        Some(buf)
    }
}

fn convert(export: Export) -> Read {
    let names = |list: &[Named]| -> Vec<(String, String)> {
        list.iter()
            .filter_map(|n| Some((n.id.clone()?, n.name.clone()?.trim().to_owned())))
            .filter(|(_, n)| !n.is_empty())
            .collect()
    };
    let folders = names(&export.folders);
    let collections = names(&export.collections);
    let mut read = Read::default();
    for (i, item) in export.items.into_iter().enumerate() {
        let name = item.name.clone().unwrap_or_default().trim().to_owned();
        let problem = |reason: &str| {
            let label = if name.is_empty() { "unnamed" } else { &name };
            format!("entry {} ({label}): {reason}", i + 1)
        };
        let kind = item.kind.unwrap_or(1);
        match kind {
            1 | 2 => {}
            3 => {
                read.problems.push(problem(
                    "a payment card; Keydeck keeps logins, notes and authenticators, so it is not imported",
                ));
                continue;
            }
            4 => {
                read.problems.push(problem(
                    "an identity; Keydeck keeps logins, notes and authenticators, so it is not imported",
                ));
                continue;
            }
            5 => {
                read.problems.push(problem(
                    "an SSH key; Keydeck keeps logins, notes and authenticators, so it is not imported",
                ));
                continue;
            }
            k => {
                read.problems
                    .push(problem(&format!("item type {k} is not one Keydeck knows")));
                continue;
            }
        }
        let mut a = Imported {
            name: name.clone(),
            ..Default::default()
        };
        let mut tags = Vec::new();
        if let Some(f) = item.folder_id.as_deref() {
            tags.extend(
                folders
                    .iter()
                    .filter(|(id, _)| id == f)
                    .map(|(_, n)| n.clone()),
            );
        }
        for c in item.collection_ids.iter().flatten().flatten() {
            tags.extend(
                collections
                    .iter()
                    .filter(|(id, _)| id == c)
                    .map(|(_, n)| n.clone()),
            );
        }
        tags.dedup();
        a.tags = tags;

        let mut notes = item
            .notes
            .as_deref()
            .map(|n| n.trim_end().to_owned())
            .unwrap_or_default();
        let mut extra: Vec<String> = Vec::new();
        if let Some(login) = item.login {
            a.username = login.username.unwrap_or_default().trim().to_owned();
            a.password = login
                .password
                .filter(|p| !p.is_empty())
                .map(SecretText::from);
            a.password_changed_at = login.password_revision_date.as_deref().and_then(parse_date);
            let mut uris = login
                .uris
                .unwrap_or_default()
                .into_iter()
                .filter_map(|u| u.uri)
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty());
            a.url = uris.next().unwrap_or_default();
            for u in uris {
                extra.push(format!("URL: {u}"));
            }
            if let Some(totp) = login.totp.filter(|t| !t.trim().is_empty()) {
                match super::otp_fields::uri_or_secret(&totp) {
                    Ok(crate::otp::OtpEntry {
                        otp,
                        issuer,
                        account,
                        warnings,
                    }) => {
                        a.otp = Some(otp);
                        a.issuer = issuer;
                        if a.username.is_empty() {
                            a.username = account;
                        }
                        a.warnings.extend(warnings);
                    }
                    Err(e) => {
                        read.problems
                            .push(problem(&format!("its TOTP was not imported: {e}")));
                        a.warnings.push(format!("the TOTP could not be read: {e}"));
                    }
                }
            }
        }
        for f in item.fields.into_iter().flatten() {
            // Type 3 is a "linked" field: a pointer to the username or password, no value.
            if f.kind == Some(3) {
                continue;
            }
            let n = f.name.unwrap_or_default();
            let v = f.value.as_deref().map(String::as_str).unwrap_or("");
            extra.push(format!("{}: {v}", n.trim()));
        }
        if !extra.is_empty() {
            if !notes.is_empty() {
                notes.push_str("\n\n");
            }
            notes.push_str(&extra.join("\n"));
        }
        a.notes = notes;
        let mut history: Vec<PasswordHistoryEntry> = item
            .password_history
            .into_iter()
            .flatten()
            .filter_map(|h| {
                let p = h.password.filter(|p| !p.is_empty())?;
                Some(PasswordHistoryEntry {
                    password: SecretText::from(p),
                    retired_at: h
                        .last_used_date
                        .as_deref()
                        .and_then(parse_date)
                        .unwrap_or(0),
                })
            })
            .collect();
        history.sort_by_key(|h| h.retired_at);
        a.password_history = history;
        read.accounts.push(a);
    }
    read
}

/// `2024-12-25T12:00:00.000Z` → Unix seconds (UTC; only the `Z` form Bitwarden writes).
pub(super) fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim().strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let time = time.split('.').next()?;
    let mut t = time.split(':').map(|p| p.parse::<u8>().ok());
    let (h, min, sec) = (t.next()??, t.next()??, t.next()??);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(y, month, u8::try_from(day).ok()?).ok()?;
    let t = time::Time::from_hms(h, min, sec).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, t)
            .assume_utc()
            .unix_timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::model::{Algorithm, OtpKind};
    use crate::otp::encode_secret;

    fn input(rel: &str) -> Input {
        Input::new(testdata::bytes(rel)).unwrap()
    }

    fn read_file(rel: &str, password: Option<&str>) -> crate::import::ImportFile {
        let key = password.map(FileKey::password).unwrap_or_default();
        crate::import::read(testdata::bytes(rel), None, &key).unwrap()
    }

    fn secret(a: &Imported) -> String {
        encode_secret(a.otp.as_ref().unwrap().secret.expose())
    }

    /// Aegis DatabaseImporterTest.java: bitwarden.json holds VaultEntries vectors 0..2 and the
    /// Steam entry (only its secret compared); GNOME Authenticator's copy is the same file.
    fn check_aegis(f: &crate::import::ImportFile) {
        assert_eq!(f.format.name(), "bitwarden");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        let want: [(&str, &str, &str, &str, Algorithm, u8, u32); 3] = [
            (
                "Test 1",
                "Deno",
                "Mason",
                "4SJHB4GSD43FZBAI7C2HLRJGPQ",
                Algorithm::Sha1,
                6,
                30,
            ),
            (
                "Test 2",
                "SPDX",
                "James",
                "5OM4WOOGPLQEF6UGN3CPEOOLWU",
                Algorithm::Sha256,
                7,
                20,
            ),
            (
                "Test 3",
                "Airbnb",
                "Elijah",
                "7ELGJSGXNCCTV3O6LKJWYFV2RA",
                Algorithm::Sha512,
                8,
                50,
            ),
        ];
        assert_eq!(f.accounts.len(), 4);
        for (a, (name, issuer, user, s, alg, digits, period)) in f.accounts.iter().zip(want) {
            assert_eq!(
                (a.name.as_str(), a.issuer.as_str(), a.username.as_str()),
                (name, issuer, user)
            );
            let o = a.otp.as_ref().unwrap();
            assert_eq!(secret(a), s);
            assert_eq!(
                (o.kind, o.algorithm, o.digits, o.period),
                (OtpKind::Totp, alg, digits, period)
            );
            assert!(a.password.is_none() && a.url.is_empty() && a.tags.is_empty());
        }
        let steam = &f.accounts[3];
        assert_eq!(steam.name, "Test Steam");
        assert_eq!(steam.otp.as_ref().unwrap().kind, OtpKind::Steam);
        assert_eq!(secret(steam), "JRZCL47CMXVOQMNPZR2F7J4RGI");
    }

    #[test]
    fn aegis_and_gnome_files_are_read() {
        check_aegis(&read_file("aegis/importers/bitwarden.json", None));
        check_aegis(&read_file(
            "gnome_authenticator/backup_tests/bitwarden.json",
            None,
        ));
    }

    /// Stratum BitwardenBackupConverterTest.cs: 8 authenticators, one category ("My Folder")
    /// on 3 of them, no failures; here also the logins' fields, read from the file.
    fn check_stratum(f: &crate::import::ImportFile) {
        assert_eq!(f.format.name(), "bitwarden");
        let with_otp: Vec<&Imported> = f.accounts.iter().filter(|a| a.otp.is_some()).collect();
        assert_eq!(with_otp.len(), 8);
        let tagged = with_otp.iter().filter(|a| a.tags == ["My Folder"]).count();
        assert_eq!(tagged, 3);
        // The card and the identity are named as problems; the secure note is an account.
        assert_eq!(f.problems.len(), 2, "{:?}", f.problems);
        assert!(
            f.problems[0].starts_with("entry 1 (Card)"),
            "{}",
            f.problems[0]
        );
        assert!(
            f.problems[1].starts_with("entry 2 (Identity)"),
            "{}",
            f.problems[1]
        );
        let note = f.accounts.iter().find(|a| a.name == "Secure Note").unwrap();
        assert_eq!(note.notes, "My secret text");
        assert_eq!(note.tags, ["My Folder"]);

        let by = |n: &str, u: &str| {
            f.accounts
                .iter()
                .find(|a| a.name == n && a.username == u)
                .unwrap_or_else(|| panic!("{n}/{u}"))
        };
        let std = by("Standard", "Totp");
        assert_eq!(std.password.as_ref().unwrap().expose(), "PEsB9if3rtTAaH");
        assert_eq!(std.url, "https://example.com");
        assert_eq!(std.notes, "This is a note\n\nText: Field\nBoolean: true");
        assert_eq!(secret(std), "54VEGZFJHM3BGDONFERMPUOKNGDJETGM");
        let long = by("Long", "Period");
        assert_eq!(long.otp.as_ref().unwrap().period, 60);
        assert_eq!(long.tags, ["My Folder"]);
        assert_eq!(by("Many", "Digits").otp.as_ref().unwrap().digits, 9);
        assert_eq!(
            by("Sha", "256").otp.as_ref().unwrap().algorithm,
            Algorithm::Sha256
        );
        assert_eq!(
            by("Sha", "512").otp.as_ref().unwrap().algorithm,
            Algorithm::Sha512
        );
        let only = by("Secret", "Only");
        assert!(only.password.is_none());
        assert_eq!(secret(only), "JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB");
        let o = only.otp.as_ref().unwrap();
        assert_eq!(
            (o.kind, o.algorithm, o.digits, o.period),
            (OtpKind::Totp, Algorithm::Sha1, 6, 30)
        );
        let steam = by("Steam", "john@example.com");
        assert_eq!(steam.otp.as_ref().unwrap().kind, OtpKind::Steam);
        assert_eq!(secret(steam), "GJD4ZX3RQMLCAXKCT7GGQ4U27VN4FPK6");
        assert_eq!(steam.url, "https://steampowered.com");
    }

    // Stratum BitwardenBackupConverterTest.cs: password "rud9^5S6$^Ewmr%d" for both.
    const STRATUM_PASSWORD: &str = "rud9^5S6$^Ewmr%d";

    #[test]
    fn stratum_plain_is_read() {
        check_stratum(&read_file(
            "stratum_authenticatorpro/data/bitwarden.unencrypted.json",
            None,
        ));
    }

    #[test]
    fn stratum_pbkdf2_is_read_with_its_password() {
        let rel = "stratum_authenticatorpro/data/bitwarden.encrypted.pbkdf2.json";
        assert_eq!(Bitwarden.detect(&input(rel)), Detected::ENCRYPTED);
        check_stratum(&read_file(rel, Some(STRATUM_PASSWORD)));
    }

    #[test]
    fn stratum_argon2id_is_read_with_its_password() {
        let rel = "stratum_authenticatorpro/data/bitwarden.encrypted.argon2id.json";
        assert_eq!(Bitwarden.detect(&input(rel)), Detected::ENCRYPTED);
        check_stratum(&read_file(rel, Some(STRATUM_PASSWORD)));
    }

    #[test]
    fn wrong_and_missing_passwords_are_refused() {
        for rel in [
            "stratum_authenticatorpro/data/bitwarden.encrypted.argon2id.json",
            "more_imports/keepassxc/bitwarden_encrypted_export.json",
        ] {
            let e = crate::import::read(
                testdata::bytes(rel),
                None,
                &FileKey::password("wrong password"),
            )
            .err()
            .unwrap();
            assert!(matches!(e, Error::WrongFilePassword { .. }), "{rel}: {e}");
            let e = crate::import::read(testdata::bytes(rel), None, &FileKey::default())
                .err()
                .unwrap();
            assert!(matches!(e, Error::FilePasswordNeeded { .. }), "{rel}: {e}");
        }
    }

    #[test]
    fn account_restricted_export_is_refused_with_the_way_out() {
        let rel = "stratum_authenticatorpro/data/bitwarden.encrypted.accountrestricted.json";
        // Stratum's test expects this file to fail, whatever the password.
        let e = crate::import::read(testdata::bytes(rel), None, &FileKey::password("password"))
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::BadInput, "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains("account restricted") && msg.contains("Password protected"),
            "{msg}"
        );
    }

    #[test]
    fn damaged_encrypted_files_are_refused_clearly() {
        let rel = "more_imports/keepassxc/bitwarden_encrypted_export.json";
        let bytes = testdata::bytes(rel);
        let key = FileKey::password("a");
        // Truncated.
        let cut = Input::new(bytes[..bytes.len() - 200].to_vec()).unwrap();
        let e = Bitwarden.read(&cut, &key).err().unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::BadInput, "{e}");
        // One base64 character of the data's ciphertext changed: its MAC no longer verifies.
        let text = String::from_utf8(bytes).unwrap();
        let at = text.find("\"data\": \"2.").unwrap() + 40;
        let mut flipped = text.into_bytes();
        flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
        let e = Bitwarden
            .read(&Input::new(flipped).unwrap(), &key)
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::BadInput, "{e}");
        assert!(e.to_string().contains("damaged"), "{e}");
    }

    #[test]
    fn absurd_kdf_parameters_are_refused() {
        let text = String::from_utf8(testdata::bytes(
            "stratum_authenticatorpro/data/bitwarden.encrypted.argon2id.json",
        ))
        .unwrap()
        .replace("\"kdfMemory\": 64", "\"kdfMemory\": 1000000");
        let e = Bitwarden
            .read(
                &Input::new(text.into_bytes()).unwrap(),
                &FileKey::password("x"),
            )
            .err()
            .unwrap();
        assert!(e.to_string().contains("refused"), "{e}");
    }

    /// KeePassXC TestImports.cpp testBitwarden: "/My Folder/Login Name" with its username,
    /// password, first URL, notes, the other URLs, and a TOTP.
    fn check_keepassxc(f: &crate::import::ImportFile) {
        assert_eq!(f.format.name(), "bitwarden");
        let login = f.accounts.iter().find(|a| a.name == "Login Name").unwrap();
        assert_eq!(login.username, "myusername@gmail.com");
        assert_eq!(login.password.as_ref().unwrap().expose(), "mypassword");
        assert_eq!(login.url, "https://mail.google.com");
        assert_eq!(login.tags, ["My Folder"]);
        assert!(login
            .notes
            .starts_with("1st line of note text\n2nd Line of note text\n\n"));
        assert!(login
            .notes
            .contains("URL: https://google.com\nURL: https://gmail.com"));
        assert!(login.notes.contains("Hidden Field: hidden-field-value"));
        let o = login.otp.as_ref().unwrap();
        assert_eq!(login.issuer, "Google");
        assert_eq!((o.digits, o.period), (6, 30));
        assert_eq!(secret(login), "DFDFDEA");
        let note = f
            .accounts
            .iter()
            .find(|a| a.name == "My Secure Note")
            .unwrap();
        assert!(note.notes.starts_with(
            "1st line of secure note\n2nd line of secure note\n3rd line of secure note"
        ));
        // The card and the identity are problems, named.
        assert_eq!(f.problems.len(), 2, "{:?}", f.problems);
        assert_eq!(f.accounts.len(), 2);
    }

    /// KeePassXC TestImports.cpp testBitwardenEncrypted (password "a" for both) checks only
    /// that they decrypt; what they hold was read from the decrypted file: one login whose
    /// `totp` ("fsfsfsfsefefef", 14 characters) is no possible base32 length, so the account
    /// comes without it and the problem is named.
    fn check_keepassxc_encrypted(f: &crate::import::ImportFile) {
        assert_eq!(f.format.name(), "bitwarden");
        assert_eq!(f.accounts.len(), 1);
        let a = &f.accounts[0];
        assert_eq!(
            (a.name.as_str(), a.username.as_str()),
            ("KeePassXC", "keepassxc")
        );
        assert_eq!(a.password.as_ref().unwrap().expose(), "TYsbQUyeD3qrav");
        assert_eq!(a.url, "https://keepassxc.org");
        assert_eq!(
            a.notes,
            "KeePassXC password manager\n\nURL: https://github.com/keepassxreboot/keepassxc"
        );
        assert!(a.otp.is_none());
        assert_eq!(f.problems.len(), 1, "{:?}", f.problems);
        assert!(f.problems[0].starts_with("entry 1 (KeePassXC): its TOTP was not imported"));
    }

    #[test]
    fn keepassxc_files_are_read() {
        check_keepassxc(&read_file(
            "more_imports/keepassxc/bitwarden_export.json",
            None,
        ));
        check_keepassxc_encrypted(&read_file(
            "more_imports/keepassxc/bitwarden_encrypted_export.json",
            Some("a"),
        ));
        check_keepassxc_encrypted(&read_file(
            "more_imports/keepassxc/bitwarden_encrypted_argon2id_export.json",
            Some("a"),
        ));
    }

    #[test]
    fn bitwarden_authenticator_exports_are_not_claimed() {
        // Only `encrypted` and `items`: Bitwarden Authenticator's export, another format.
        for rel in [
            "stratum_authenticatorpro/data/bitwardenauthenticator.json",
            "more_imports/proton_authenticator/authenticator/bitwarden/bitwarden.json",
        ] {
            assert!(Bitwarden.detect(&input(rel)).is_none(), "{rel}");
        }
    }

    #[test]
    fn an_organisation_export_gives_collections_as_tags() {
        // proton-pass-common bitwarden_app.json (its test: one TOTP entry "ItemWithTOTP",
        // username "myusername"): an organisation export, `collections` instead of `folders`.
        let f = read_file(
            "more_imports/proton_authenticator/authenticator/bitwarden/bitwarden_app.json",
            None,
        );
        assert_eq!(f.format.name(), "bitwarden");
        assert_eq!(f.accounts.len(), 2);
        let a = f
            .accounts
            .iter()
            .find(|a| a.name == "ItemWithTOTP")
            .unwrap();
        assert_eq!(a.username, "myusername");
        assert_eq!(a.password.as_ref().unwrap().expose(), "mypassword");
        assert_eq!(secret(a), "KNKVARKSKNCUGUSFKRFUKWJR");
        let b = f
            .accounts
            .iter()
            .find(|a| a.name == "ItemWithoutTOTP")
            .unwrap();
        assert!(b.otp.is_none());
        assert_eq!(b.password.as_ref().unwrap().expose(), "password");
    }

    #[test]
    fn proton_test_file_reads_when_its_format_is_forced() {
        // proton-pass-common bitwarden/bitwarden.json (its test: 4 entries; SHA256/8/15
        // "LABEL_256_8_15", SHA1/6/30 "LABEL_DEFAULT", Steam "SteamName", SHA1/7/30 "Seven
        // digit username"). Detection leaves it to Bitwarden Authenticator's format; the reader
        // itself reads it.
        let i = input("more_imports/proton_authenticator/authenticator/bitwarden/bitwarden.json");
        let r = Bitwarden.read(&i, &FileKey::default()).unwrap();
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let got: Vec<(String, String, OtpKind, u8, u32)> = r
            .accounts
            .iter()
            .map(|a| {
                let o = a.otp.as_ref().unwrap();
                (
                    a.name.clone(),
                    a.username.clone(),
                    o.kind,
                    o.digits,
                    o.period,
                )
            })
            .collect();
        assert_eq!(
            got[0],
            (
                "ISSUER".into(),
                "LABEL_256_8_15".into(),
                OtpKind::Totp,
                8,
                15
            )
        );
        assert_eq!(
            got[1],
            (
                "ISSUER_DEFAULT".into(),
                "LABEL_DEFAULT".into(),
                OtpKind::Totp,
                6,
                30
            )
        );
        assert_eq!((got[2].0.as_str(), got[2].2), ("SteamName", OtpKind::Steam));
        assert_eq!(
            got[3],
            (
                "SevenDigits".into(),
                "Seven digit username".into(),
                OtpKind::Totp,
                7,
                30
            )
        );
        assert_eq!(
            r.accounts[0].otp.as_ref().unwrap().algorithm,
            Algorithm::Sha256
        );
    }

    #[test]
    fn dates_are_read() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("2024-12-01T12:00:00.000Z"), Some(1_733_054_400));
        assert_eq!(parse_date("2024-13-01T12:00:00Z"), None);
    }
}
