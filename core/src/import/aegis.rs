//! Aegis backups (`aegis-backup-*.json`), plain and encrypted, as Aegis's `docs/vault.md`
//! describes them: `{version: 1, header: {slots, params}, db}`. Plain: `db` is the content
//! object. Encrypted: `db` is base64 of AES-256-GCM ciphertext under a random master key, and
//! each password slot holds that key wrapped (AES-256-GCM) under scrypt(password, salt, N, r, p).
//!
//! Content versions 1–3: entries with `type` totp/hotp/steam (motp and yandex are refused, by
//! name), `name` (the account), `issuer`, `note` and `info` {secret, algo, digits, period,
//! counter}. Groups become tags: version 2 has a group name per entry, version 3 a list of group
//! uuids per entry with the names in `groups`.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::otp_fields::{build, entry_label, hex, Fields};
use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::OtpKind;
use crate::secret::{Key32, SecretText};

pub struct Aegis;

/// scrypt limits for a slot read from a file: Aegis uses N=2^15, r=8, p=1 (32 MiB). Anything
/// needing more than 1 GiB or far more work is refused before deriving.
const MAX_SCRYPT_LOG_N: u8 = 22;
const MAX_SCRYPT_MEM: u64 = 1024 * 1024 * 1024;
const MAX_SCRYPT_P: u32 = 16;
/// Password slots tried at most (each costs one scrypt).
const MAX_SLOTS: usize = 8;

#[derive(Deserialize)]
struct Outer {
    version: u32,
    header: Option<Header>,
    #[allow(dead_code)]
    db: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<Params>,
}

#[derive(Deserialize)]
struct Params {
    nonce: String,
    tag: String,
}

#[derive(Deserialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u32,
    key: String,
    key_params: Params,
    n: Option<u64>,
    r: Option<u32>,
    p: Option<u32>,
    salt: Option<String>,
}

#[derive(Deserialize)]
struct EncryptedDb {
    db: Zeroizing<String>,
}

#[derive(Deserialize)]
struct PlainDb {
    db: Content,
}

#[derive(Deserialize)]
struct Content {
    version: u32,
    entries: Vec<Entry>,
    #[serde(default)]
    groups: Option<Vec<Group>>,
}

#[derive(Deserialize)]
struct Group {
    uuid: String,
    name: String,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    note: Option<String>,
    /// Content version 2: the group's name.
    #[serde(default)]
    group: Option<String>,
    /// Content version 3: the groups' uuids.
    #[serde(default)]
    groups: Option<Vec<String>>,
    info: Info,
}

#[derive(Deserialize)]
struct Info {
    #[serde(default)]
    secret: Option<Zeroizing<String>>,
    #[serde(default)]
    algo: Option<String>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    counter: Option<i64>,
}

impl Aegis {
    fn err(&self, reason: impl Into<String>) -> Error {
        Error::invalid(self.title(), reason)
    }

    fn wrong(&self) -> Error {
        Error::WrongFilePassword {
            what: super::describe(self, true),
        }
    }

    /// The content of an encrypted vault: the master key from the first password slot that
    /// opens, then the db.
    fn decrypt(&self, input: &Input, header: &Header, password: &SecretText) -> Result<Content> {
        let slots = header.slots.as_deref().unwrap_or_default();
        let params = header
            .params
            .as_ref()
            .ok_or_else(|| self.err("the header has slots but no encryption parameters"))?;
        let password_slots: Vec<&Slot> = slots.iter().filter(|s| s.kind == 1).collect();
        if password_slots.is_empty() {
            return Err(self.err(
                "the vault has no password slot (only a biometric one), so it cannot be opened outside Aegis",
            ));
        }
        let mut master = None;
        for slot in password_slots.into_iter().take(MAX_SLOTS) {
            let kek = self.slot_key(slot, password)?;
            let mut wrapped = hex(&slot.key).ok_or_else(|| self.err("a slot key is not hex"))?;
            wrapped.extend(
                hex(&slot.key_params.tag).ok_or_else(|| self.err("a slot tag is not hex"))?,
            );
            let nonce =
                hex(&slot.key_params.nonce).ok_or_else(|| self.err("a slot nonce is not hex"))?;
            if let Ok(key) = crate::crypto::open(&kek, &[], &nonce, &wrapped) {
                master = Some(
                    Key32::from_slice(&key)
                        .ok_or_else(|| self.err("the master key is not 32 bytes"))?,
                );
                break;
            }
        }
        let master = master.ok_or_else(|| self.wrong())?;
        let db: EncryptedDb = input.json(self.title())?;
        use base64::Engine as _;
        let mut ct = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(db.db.trim().as_bytes())
                .map_err(|_| self.err("the encrypted db is not base64"))?,
        );
        ct.extend(hex(&params.tag).ok_or_else(|| self.err("the db tag is not hex"))?);
        let nonce = hex(&params.nonce).ok_or_else(|| self.err("the db nonce is not hex"))?;
        let plain = crate::crypto::open(&master, &[], &nonce, &ct).map_err(|_| {
            self.err("the vault content fails its integrity check (damaged or altered)")
        })?;
        super::parse_json(self.title(), &plain)
    }

    fn slot_key(&self, slot: &Slot, password: &SecretText) -> Result<Key32> {
        let (Some(n), Some(r), Some(p), Some(salt)) = (slot.n, slot.r, slot.p, &slot.salt) else {
            return Err(self.err("a password slot lacks its scrypt parameters"));
        };
        let salt = hex(salt).ok_or_else(|| self.err("a slot salt is not hex"))?;
        if !n.is_power_of_two() || n < 2 {
            return Err(self.err(format!("scrypt N = {n} is not a power of two")));
        }
        let log_n = n.trailing_zeros() as u8;
        if log_n > MAX_SCRYPT_LOG_N
            || r == 0
            || p == 0
            || p > MAX_SCRYPT_P
            || 128u64.saturating_mul(r as u64).saturating_mul(n) > MAX_SCRYPT_MEM
        {
            return Err(self.err(format!(
                "scrypt parameters N={n}, r={r}, p={p} are beyond what Keydeck accepts (at most 1 GiB, p ≤ {MAX_SCRYPT_P})"
            )));
        }
        let params =
            scrypt::Params::new(log_n, r, p).map_err(|_| self.err("invalid scrypt parameters"))?;
        let mut key = Key32::zeroed();
        scrypt::scrypt(
            password.expose().as_bytes(),
            &salt,
            &params,
            key.as_mut_bytes(),
        )
        .map_err(|_| self.err("invalid scrypt parameters"))?;
        Ok(key)
    }
}

impl Format for Aegis {
    fn name(&self) -> &'static str {
        "aegis"
    }
    fn app(&self) -> &'static str {
        "Aegis"
    }
    fn title(&self) -> &'static str {
        "Aegis backup"
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if !input.json_has(&["version", "header", "db"]) {
            return None;
        }
        // Encrypted when `db` is a string; cheap enough to look at the header once.
        let outer: Outer = serde_json::from_slice(input.bytes()).ok()?;
        let encrypted = outer
            .header
            .as_ref()
            .and_then(|h| h.slots.as_ref())
            .is_some();
        Some(Detected { encrypted })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let outer: Outer = input.json(self.title())?;
        if outer.version != 1 {
            return Err(self.err(format!(
                "vault version {} is not one Keydeck reads (1)",
                outer.version
            )));
        }
        let content = match outer.header.as_ref().filter(|h| h.slots.is_some()) {
            Some(header) => {
                let password = key
                    .password
                    .as_ref()
                    .ok_or_else(|| Error::FilePasswordNeeded {
                        what: super::describe(self, true),
                    })?;
                self.decrypt(input, header, password)?
            }
            None => input.json::<PlainDb>(self.title())?.db,
        };
        if !(1..=3).contains(&content.version) {
            return Err(self.err(format!(
                "content version {} is not one Keydeck reads (1 to 3)",
                content.version
            )));
        }
        Ok(convert(content))
    }
}

fn convert(content: Content) -> Read {
    let groups = content.groups.unwrap_or_default();
    let mut read = Read::default();
    for (i, e) in content.entries.into_iter().enumerate() {
        let raw_name = e.name.unwrap_or_default();
        let (issuer, username) = match e.issuer {
            Some(issuer) => (issuer.trim().to_owned(), raw_name.trim().to_owned()),
            // Older Aegis wrote no issuer and kept "account@issuer" in the name (GNOME
            // Authenticator's aegis_issuer_from_name test).
            None => match raw_name.rsplit_once('@') {
                Some((acc, iss)) if !iss.trim().is_empty() => {
                    (iss.trim().to_owned(), acc.trim().to_owned())
                }
                _ => (String::new(), raw_name.trim().to_owned()),
            },
        };
        let label = entry_label(i, &issuer, &username);
        let kind = match e.kind.to_ascii_lowercase().as_str() {
            "totp" => OtpKind::Totp,
            "hotp" => OtpKind::Hotp,
            "steam" => OtpKind::Steam,
            "motp" => {
                read.problems
                    .push(format!("{label}: mOTP codes are not supported"));
                continue;
            }
            "yandex" => {
                read.problems
                    .push(format!("{label}: Yandex codes are not supported"));
                continue;
            }
            other => {
                read.problems.push(format!(
                    "{label}: unsupported type '{}'",
                    other.chars().take(16).collect::<String>()
                ));
                continue;
            }
        };
        let Some(secret) = e.info.secret.as_ref() else {
            read.problems.push(format!("{label}: no secret key"));
            continue;
        };
        let fields = Fields {
            secret,
            algorithm: e.info.algo.as_deref(),
            digits: e.info.digits,
            period: e.info.period,
            counter: e.info.counter,
        };
        let (otp, warnings) = match build(kind, fields) {
            Ok(x) => x,
            Err(reason) => {
                read.problems.push(format!("{label}: {reason}"));
                continue;
            }
        };
        let mut tags: Vec<String> = Vec::new();
        if let Some(g) = e
            .group
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
        {
            tags.push(g);
        }
        for uuid in e.groups.unwrap_or_default() {
            if let Some(g) = groups.iter().find(|g| g.uuid == uuid) {
                let name = g.name.trim();
                if !name.is_empty() && !tags.iter().any(|t| t == name) {
                    tags.push(name.to_owned());
                }
            }
        }
        read.accounts.push(Imported {
            issuer,
            username,
            notes: e.note.unwrap_or_default(),
            tags,
            otp: Some(otp),
            warnings,
            ..Default::default()
        });
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::otp_fields::check::{aegis_vectors, same, Want};
    use crate::import::{read as import, testdata};
    use crate::model::Algorithm;

    fn pw(rel: &str) -> String {
        std::fs::read_to_string(testdata::path(rel))
            .unwrap()
            .trim_end_matches(['\n', '\r'])
            .to_owned()
    }

    fn open(rel: &str, password: Option<&str>) -> Result<crate::import::ImportFile> {
        let key = password.map(FileKey::password).unwrap_or_default();
        import(testdata::bytes(rel), None, &key)
    }

    fn ok(rel: &str, password: Option<&str>) -> crate::import::ImportFile {
        let f = open(rel, password).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(f.format.name(), "aegis", "{rel}");
        assert_eq!(f.encrypted, password.is_some(), "{rel}");
        f
    }

    #[test]
    fn aegis_importer_files_give_the_vectors() {
        // Aegis DatabaseImporterTest: both files hold VaultEntries' first 7 vectors.
        for (rel, pw) in [
            ("aegis/importers/aegis_plain.json", None),
            ("aegis/importers/aegis_encrypted.json", Some("test")),
        ] {
            let f = ok(rel, pw);
            assert!(f.problems.is_empty(), "{rel}: {:?}", f.problems);
            let want = aegis_vectors();
            assert_eq!(f.accounts.len(), want.len(), "{rel}");
            for (got, w) in f.accounts.iter().zip(&want) {
                same(got, w);
            }
        }
    }

    #[test]
    fn wrong_or_missing_password_and_damage() {
        let rel = "aegis/importers/aegis_encrypted.json";
        let e = open(rel, Some("nope")).err().expect("refused");
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        let e = open(rel, None).err().expect("refused");
        assert!(matches!(e, Error::FilePasswordNeeded { .. }), "{e}");
        // Truncated: not JSON any more, but still starts like it: a clear error.
        let bytes = testdata::bytes(rel);
        let cut = bytes[..bytes.len() / 2].to_vec();
        let e = import(cut, Some("aegis"), &FileKey::password("test")).err();
        assert!(e.is_some());
        // A flipped character inside the encrypted db: integrity error, not a wrong password.
        let text = String::from_utf8(bytes).unwrap();
        let at = text.find("\"db\": \"").unwrap() + 20;
        let mut b = text.into_bytes();
        b[at] = if b[at] == b'A' { b'B' } else { b'A' };
        let e = import(b, None, &FileKey::password("test"))
            .err()
            .expect("refused");
        assert!(e.to_string().contains("integrity"), "{e}");
    }

    #[test]
    fn grouped_v2_tags() {
        // Aegis VaultTest / other_aegis_vectors.vault_group_migration: group1 ×2, group2 ×1.
        let f = ok("aegis/vault/aegis_plain_grouped_v2.json", None);
        assert_eq!(f.accounts.len(), 7);
        let count = |g: &str| f.accounts.iter().filter(|a| a.tags == [g]).count();
        assert_eq!(count("group1"), 2);
        assert_eq!(count("group2"), 1);
        assert_eq!(f.accounts.iter().filter(|a| a.tags.is_empty()).count(), 4);
    }

    #[test]
    fn gnome_authenticator_files() {
        // GNOME Authenticator src/backup/aegis.rs tests.
        let f = ok("gnome_authenticator/backup_tests/aegis_plain.json", None);
        let want = [
            Want {
                issuer: "Google",
                username: "Bob",
                secret: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
                algorithm: Algorithm::Sha1,
                digits: 6,
                period_or_counter: 30,
                kind: OtpKind::Totp,
            },
            Want {
                issuer: "Air Canada",
                username: "Benjamin",
                secret: "KUVJJOM753IHTNDSZVCNKL7GII",
                algorithm: Algorithm::Sha256,
                digits: 7,
                period_or_counter: 50,
                kind: OtpKind::Hotp,
            },
            Want {
                issuer: "Boeing",
                username: "Sophia",
                secret: "JRZCL47CMXVOQMNPZR2F7J4RGI",
                algorithm: Algorithm::Sha1,
                digits: 5,
                period_or_counter: 30,
                kind: OtpKind::Steam,
            },
        ];
        assert_eq!(f.accounts.len(), 3);
        for (g, w) in f.accounts.iter().zip(&want) {
            same(g, w);
        }
        // The encrypted one holds Aegis's 7 vectors (decrypted independently with Python).
        let e = ok(
            "gnome_authenticator/backup_tests/aegis_encrypted.json",
            Some("test"),
        );
        let vectors = aegis_vectors();
        assert_eq!(e.accounts.len(), vectors.len());
        for (g, w) in e.accounts.iter().zip(&vectors) {
            same(g, w);
        }
        let n = ok(
            "gnome_authenticator/backup_tests/aegis_issuer_from_name.json",
            None,
        );
        let pairs: Vec<(&str, &str)> = n
            .accounts
            .iter()
            .map(|a| (a.issuer.as_str(), a.username.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("issuer", "missing-issuer"),
                ("issuer", "missing-issuer@domain.com")
            ]
        );
    }

    #[test]
    fn stratum_files() {
        // Stratum.Test AegisBackupConverterTest: 11 authenticators, plain and encrypted. Two of
        // them are mOTP and Yandex, which Keydeck refuses by name: 9 accounts and 2 problems.
        let p = ok("stratum_authenticatorpro/data/aegis.unencrypted.json", None);
        assert_eq!(p.accounts.len(), 9);
        assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
        assert!(p.problems[0].contains("mOTP") && p.problems[1].contains("Yandex"));
        let many = &p.accounts[1];
        assert_eq!(
            (many.issuer.as_str(), many.otp.as_ref().unwrap().digits),
            ("Many", 9)
        );
        let hotp = p.accounts[4].otp.as_ref().unwrap();
        assert_eq!((hotp.kind, hotp.counter), (OtpKind::Hotp, 10));
        assert_eq!(p.accounts[7].issuer, "");
        assert_eq!(p.accounts[7].username, "Username");
        assert_eq!(p.accounts[8].otp.as_ref().unwrap().kind, OtpKind::Steam);
        let e = ok(
            "stratum_authenticatorpro/data/aegis.encrypted.json",
            Some("test"),
        );
        assert_eq!(e.accounts.len(), 9);
        for (a, b) in p.accounts.iter().zip(&e.accounts) {
            assert_eq!(a.issuer, b.issuer);
            assert_eq!(a.username, b.username);
            assert_eq!(a.notes, b.notes);
            let (x, y) = (a.otp.as_ref().unwrap(), b.otp.as_ref().unwrap());
            assert_eq!(x.secret.expose(), y.secret.expose());
            assert_eq!((x.kind, x.digits, x.period), (y.kind, y.digits, y.period));
        }
    }

    #[test]
    fn proton_files() {
        // proton-pass-common proton-authenticator/src/parser/aegis/json.rs tests.
        let dir = "more_imports/proton_authenticator/authenticator/aegis";
        let pass = pw(&format!("{dir}/password"));
        let f = ok(&format!("{dir}/aegis-json-unencrypted.json"), None);
        assert!(f.problems.is_empty());
        assert_eq!(f.accounts.len(), 3);
        same(
            &f.accounts[0],
            &Want {
                issuer: "myissuer",
                username: "mylabel815256",
                secret: "MYSECRET",
                algorithm: Algorithm::Sha256,
                digits: 8,
                period_or_counter: 15,
                kind: OtpKind::Totp,
            },
        );
        assert_eq!(f.accounts[2].otp.as_ref().unwrap().kind, OtpKind::Steam);
        let e = ok(
            &format!("{dir}/aegis-json-encrypted-test.json"),
            Some(&pass),
        );
        assert!(e.problems.is_empty());
        assert!(!e.accounts.is_empty());

        let m = ok(
            &format!("{dir}/aegis-json-unencrypted-with-missing-fields.json"),
            None,
        );
        assert!(m.problems.is_empty());
        assert_eq!(m.accounts.len(), 3);
        assert_eq!(
            (
                m.accounts[0].issuer.as_str(),
                m.accounts[0].username.as_str()
            ),
            ("Proton", "some@test.email")
        );
        assert_eq!(m.accounts[2].issuer, "");
        assert_eq!(m.accounts[2].display_name(), "Somename");
        assert_eq!(m.accounts[2].notes, "Somenote");

        // Proton refuses HOTP; Keydeck reads it.
        let h = ok(&format!("{dir}/aegis-json-unencrypted-hotp.json"), None);
        assert_eq!(h.accounts.len(), 2);
        assert_eq!(h.accounts[1].otp.as_ref().unwrap().kind, OtpKind::Hotp);

        // Both entries refused, naming the field (Proton: errors mention digits, period).
        let b = ok(
            &format!("{dir}/aegis-json-unencrypted-with-bad-period-digits.json"),
            None,
        );
        assert!(b.accounts.is_empty());
        assert_eq!(b.problems.len(), 2);
        assert!(b.problems[0].contains("digits"), "{:?}", b.problems);
        assert!(b.problems[1].contains("period"), "{:?}", b.problems);
    }

    #[test]
    fn unsupported_types_are_problems() {
        let json = r#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[
            {"type":"motp","name":"a","issuer":"X","info":{"secret":"e3152afee62599c8","pin":"1234"}},
            {"type":"yandex","name":"b","issuer":"Y","info":{"secret":"LA2V6KMCGYMWWVEW64RNP3JA3I","pin":"7586"}},
            {"type":"totp","name":"c","issuer":"Z","info":{"secret":"JBSWY3DPEHPK3PXP"}}]}}"#;
        let f = import(json.as_bytes().to_vec(), None, &FileKey::default()).unwrap();
        assert_eq!(f.accounts.len(), 1);
        assert_eq!(f.problems.len(), 2);
        assert!(f.problems[0].contains("mOTP") && f.problems[0].contains("X / a"));
        assert!(f.problems[1].contains("Yandex"));
    }

    #[test]
    fn absurd_scrypt_parameters_are_refused() {
        let rel = "aegis/importers/aegis_encrypted.json";
        let text = String::from_utf8(testdata::bytes(rel)).unwrap();
        let b = text
            .replace("\"n\": 32768", "\"n\": 1073741824")
            .into_bytes();
        let e = import(b, None, &FileKey::password("test"))
            .err()
            .expect("refused");
        assert!(e.to_string().contains("scrypt"), "{e}");
    }
}
