//! Proton Pass's export: `data.json`, alone or in a zip as `Proton Pass/data.json`.
//!
//! `{"version", "userId", "encrypted": false, "vaults": {id: {"name", "items": [...]}}}`. An
//! item has `state` (1 active, 2 in the trash) and `data`: `metadata.{name, note}`, `type`
//! (`login`, `note`, `alias`, `creditCard`, `identity`, …), `content` (for a login:
//! `itemUsername`, `itemEmail`, `password`, `urls`, `totpUri` — an `otpauth://` URI or a bare
//! secret) and `extraFields` (`fieldName`, `type` text/hidden/totp, `data.content` or
//! `data.totpUri`).
//!
//! Logins and notes become accounts, the vault's name a tag. The username is `itemUsername`, else
//! `itemEmail` (the other one, when both differ, goes into the notes with the extra URLs and the
//! text fields). A login's first TOTP is its authenticator; each further TOTP field becomes an
//! account of its own, "<item> - <field>", as Proton's own importer does. Items in the trash,
//! aliases, cards and identities are listed as problems.
//!
//! Proton Pass can also export PGP-encrypted (`Proton Pass/data.pgp`): Keydeck does not read
//! OpenPGP, so that file is refused with the way out (export again without encryption).

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::secret::SecretText;

pub struct ProtonPass;

const DATA_JSON: &str = "Proton Pass/data.json";
const DATA_PGP: &str = "Proton Pass/data.pgp";

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    vaults: std::collections::BTreeMap<String, Vault>,
}

#[derive(Deserialize)]
struct Vault {
    #[serde(default)]
    name: String,
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    state: Option<u32>,
    data: ItemData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemData {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    content: Option<Content>,
    #[serde(default)]
    extra_fields: Vec<ExtraField>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    note: Zeroizing<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Content {
    #[serde(default)]
    item_username: Option<String>,
    #[serde(default)]
    item_email: Option<String>,
    #[serde(default)]
    password: Option<Zeroizing<String>>,
    #[serde(default)]
    urls: Option<Vec<String>>,
    #[serde(default)]
    totp_uri: Option<Zeroizing<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExtraField {
    #[serde(default)]
    field_name: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    data: FieldData,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct FieldData {
    #[serde(default)]
    content: Option<Zeroizing<String>>,
    #[serde(default)]
    totp_uri: Option<Zeroizing<String>>,
}

impl Format for ProtonPass {
    fn name(&self) -> &'static str {
        "proton-pass"
    }
    fn app(&self) -> &'static str {
        "Proton Pass"
    }
    fn title(&self) -> &'static str {
        "Proton Pass export"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if input.is_zip() {
            let names = input.zip_names()?;
            return names
                .iter()
                .any(|n| n == DATA_JSON || n == DATA_PGP)
                .then_some(Detected { encrypted: false });
        }
        input
            .json_has(&["vaults", "userId"])
            .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let what = self.title();
        let export: Export = if input.is_zip() {
            match input.zip_entry(what, DATA_JSON)? {
                Some(bytes) => super::parse_json(what, &bytes)?,
                None if input
                    .zip_names()
                    .is_some_and(|n| n.iter().any(|n| n == DATA_PGP)) =>
                {
                    return Err(pgp_refused(what))
                }
                None => {
                    return Err(Error::invalid(
                        what,
                        format!("the archive has no {DATA_JSON}"),
                    ))
                }
            }
        } else {
            input.json(what)?
        };
        if export.encrypted {
            return Err(pgp_refused(what));
        }
        Ok(convert(export))
    }
}

fn pgp_refused(what: &str) -> Error {
    Error::invalid(
        what,
        "this Proton Pass export is PGP-encrypted, which Keydeck does not read; export it without encryption in Proton Pass (Settings → Export, no PGP), import that file, then delete it",
    )
}

fn convert(export: Export) -> Read {
    let mut read = Read::default();
    let mut n = 0usize;
    for vault in export.vaults.into_values() {
        let tag = vault.name.trim().to_owned();
        for item in vault.items {
            n += 1;
            let d = item.data;
            let name = d.metadata.name.trim().to_owned();
            let label = if name.is_empty() {
                "unnamed".to_owned()
            } else {
                name.clone()
            };
            let problem = |reason: &str| format!("entry {n} ({label}): {reason}");
            if item.state == Some(2) {
                read.problems
                    .push(problem("in Proton Pass's trash; not imported"));
                continue;
            }
            let what = match d.kind.as_str() {
                "login" | "note" => None,
                "alias" => Some("an e-mail alias"),
                "creditCard" => Some("a payment card"),
                "identity" => Some("an identity"),
                _ => Some("an item of a kind Keydeck does not keep"),
            };
            if let Some(what) = what {
                read.problems.push(problem(&format!(
                    "{what}; Keydeck keeps logins, notes and authenticators, so it is not imported"
                )));
                continue;
            }
            let mut a = Imported {
                name: name.clone(),
                ..Default::default()
            };
            if !tag.is_empty() {
                a.tags.push(tag.clone());
            }
            let mut extra: Vec<String> = Vec::new();
            let mut totps: Vec<(String, Zeroizing<String>)> = Vec::new();
            if let Some(c) = d.content.filter(|_| d.kind == "login") {
                let user = c.item_username.unwrap_or_default().trim().to_owned();
                let email = c.item_email.unwrap_or_default().trim().to_owned();
                if user.is_empty() {
                    a.username = email;
                } else {
                    if !email.is_empty() && email != user {
                        extra.push(format!("E-mail: {email}"));
                    }
                    a.username = user;
                }
                a.password = c.password.filter(|p| !p.is_empty()).map(SecretText::from);
                let mut urls = c
                    .urls
                    .unwrap_or_default()
                    .into_iter()
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty());
                a.url = urls.next().unwrap_or_default();
                extra.extend(urls.map(|u| format!("URL: {u}")));
                if let Some(t) = c.totp_uri.filter(|t| !t.trim().is_empty()) {
                    totps.push((String::new(), t));
                }
            }
            for f in d.extra_fields {
                let fname = f.field_name.trim().to_owned();
                if f.kind == "totp" {
                    if let Some(t) = f.data.totp_uri.filter(|t| !t.trim().is_empty()) {
                        totps.push((fname, t));
                    }
                } else {
                    let v = f.data.content.as_deref().map(String::as_str).unwrap_or("");
                    extra.push(format!("{fname}: {v}"));
                }
            }
            let mut notes = d.metadata.note.trim_end().to_owned();
            if !extra.is_empty() {
                if !notes.is_empty() {
                    notes.push_str("\n\n");
                }
                notes.push_str(&extra.join("\n"));
            }
            a.notes = notes;

            let mut more = Vec::new();
            for (field, t) in totps {
                // The URI's issuer is kept; its label is not (the item has its own username).
                let (otp, issuer, warnings) = match super::otp_fields::uri_or_secret(&t) {
                    Ok(e) => (e.otp, e.issuer, e.warnings),
                    Err(e) => {
                        let which = if field.is_empty() {
                            "its TOTP".to_owned()
                        } else {
                            format!("its TOTP field '{field}'")
                        };
                        read.problems
                            .push(problem(&format!("{which} was not imported: {e}")));
                        continue;
                    }
                };
                if a.otp.is_none() {
                    a.otp = Some(otp);
                    a.issuer = issuer;
                    a.warnings.extend(warnings);
                } else {
                    more.push(Imported {
                        name: if field.is_empty() {
                            name.clone()
                        } else {
                            format!("{name} - {field}")
                        },
                        issuer,
                        username: a.username.clone(),
                        tags: a.tags.clone(),
                        otp: Some(otp),
                        warnings,
                        ..Default::default()
                    });
                }
            }
            read.accounts.push(a);
            read.accounts.extend(more);
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::model::{Algorithm, OtpKind};
    use crate::otp::encode_secret;
    use std::io::Write as _;

    fn read_file(rel: &str) -> crate::import::ImportFile {
        crate::import::read(testdata::bytes(rel), None, &FileKey::default()).unwrap()
    }

    fn secret(a: &Imported) -> String {
        encode_secret(a.otp.as_ref().unwrap().secret.expose())
    }

    #[test]
    fn keepassxc_json_is_read() {
        // KeePassXC TestImports.cpp testProtonPass: "/Personal/Test Login" (username
        // "Username", password "Password", URL https://example.com/, notes "My login secure
        // note.", the second URL kept, a TOTP, a second TOTP "second 2fa secret" = TOTPCODE),
        // "/Personal/My Secure Note", "/Test/Other vault login"; the card is not a login here,
        // and the deleted note (in the trash) is named as a problem.
        let f = read_file("more_imports/keepassxc/protonpass_export.json");
        assert_eq!(f.format.name(), "proton-pass");
        let by = |n: &str| f.accounts.iter().find(|a| a.name == n).unwrap();
        let login = by("Test Login");
        assert_eq!(login.username, "Username");
        assert_eq!(login.password.as_ref().unwrap().expose(), "Password");
        assert_eq!(login.url, "https://example.com/");
        assert_eq!(login.tags, ["Personal"]);
        assert_eq!(
            login.notes,
            "My login secure note.\n\nE-mail: Email\nURL: https://example2.com/\nnon-hidden field: non-hidden field content\nhidden field: hidden field content"
        );
        assert_eq!(login.issuer, "Test Login - Personal Vault");
        assert_eq!(secret(login), "TOTPCODE");
        let o = login.otp.as_ref().unwrap();
        assert_eq!(
            (o.kind, o.algorithm, o.digits, o.period),
            (OtpKind::Totp, Algorithm::Sha1, 6, 30)
        );
        let second = by("Test Login - second 2fa secret");
        assert_eq!(secret(second), "TOTPCODE");
        assert_eq!(second.username, "Username");
        assert_eq!(by("My Secure Note").notes, "Secure note contents.");
        let other = by("Other vault login");
        assert_eq!(other.username, "other vault username");
        assert_eq!(
            other.password.as_ref().unwrap().expose(),
            "other vault password"
        );
        assert_eq!(other.tags, ["Test"]);
        assert_eq!(secret(other), "JBSWY3DPEHPK3PXP");
        assert_eq!(f.accounts.len(), 4);
        assert_eq!(f.problems.len(), 2, "{:?}", f.problems);
        assert!(f.problems[0].contains("(Test Card): a payment card"));
        assert!(f.problems[1].contains("(My Deleted Note): in Proton Pass's trash"));
    }

    #[test]
    fn proton_zip_is_read() {
        // proton-pass-common parser/pass can_parse_pass_zip: 7 TOTP entries and one error (the
        // field "Malformed totp"): "Main TOTP (only secret)" ausername SHA1/6/30;
        // "MYISSUER"/"MYLABEL" JV4VGZLDOJSXIMJSGM2DKNQ SHA256/8/15; "Only custom fields" with
        // IN2XG5DPNVDGSZLMMQYQ and IN2XG5DPNVDGSZLMMQZA; "Main TOTP and custom fields" with
        // JVQWS3SUJ5KFA and the same two.
        let f = read_file("more_imports/proton_authenticator/authenticator/pass/PassExport.zip");
        assert_eq!(f.format.name(), "proton-pass");
        let otps: Vec<(String, String)> = f
            .accounts
            .iter()
            .filter(|a| a.otp.is_some())
            .map(|a| (a.name.clone(), secret(a)))
            .collect();
        assert_eq!(
            otps,
            [
                (
                    "Main TOTP (only secret)".into(),
                    "K5UHSIDBOJSSA6LPOUQHAZLFNNUW4ZY".into()
                ),
                (
                    "Main TOTP (URI custom params)".into(),
                    "JV4VGZLDOJSXIMJSGM2DKNQ".into()
                ),
                ("Only custom fields".into(), "IN2XG5DPNVDGSZLMMQYQ".into()),
                (
                    "Only custom fields - TOTP2".into(),
                    "IN2XG5DPNVDGSZLMMQZA".into()
                ),
                ("Main TOTP and custom fields".into(), "JVQWS3SUJ5KFA".into()),
                (
                    "Main TOTP and custom fields - TOTP 1".into(),
                    "IN2XG5DPNVDGSZLMMQYQ".into()
                ),
                (
                    "Main TOTP and custom fields - TOTP 2".into(),
                    "IN2XG5DPNVDGSZLMMQZA".into()
                ),
            ]
        );
        let main = f
            .accounts
            .iter()
            .find(|a| a.name == "Main TOTP (only secret)")
            .unwrap();
        assert_eq!(main.username, "ausername");
        assert_eq!(main.password.as_ref().unwrap().expose(), "apassword");
        assert_eq!(main.tags, ["TOTP export"]);
        let custom = f
            .accounts
            .iter()
            .find(|a| a.name == "Main TOTP (URI custom params)")
            .unwrap();
        assert_eq!(custom.issuer, "MYISSUER");
        let o = custom.otp.as_ref().unwrap();
        assert_eq!(
            (o.algorithm, o.digits, o.period),
            (Algorithm::Sha256, 8, 15)
        );
        let site = f
            .accounts
            .iter()
            .find(|a| a.name == "www.autofilth.lol" && a.username == "loling")
            .unwrap();
        assert_eq!(site.password.as_ref().unwrap().expose(), "loler");
        assert_eq!(site.url, "https://www.autofilth.lol");
        // The malformed TOTP field and the trashed alias are named.
        let bad: Vec<&String> = f
            .problems
            .iter()
            .filter(|p| p.contains("Malformed totp"))
            .collect();
        assert_eq!(bad.len(), 1, "{:?}", f.problems);
        assert!(f
            .problems
            .iter()
            .any(|p| p.contains("(a note): in Proton Pass's trash")));
    }

    fn zip_with(name: &str, body: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(false);
        w.start_file(name, opts).unwrap();
        w.write_all(body).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn pgp_encrypted_export_is_refused_by_name() {
        let z = zip_with(
            DATA_PGP,
            b"-----BEGIN PGP MESSAGE-----\n",
            zip::CompressionMethod::Stored,
        );
        let e = crate::import::read(z, None, &FileKey::default())
            .err()
            .unwrap();
        assert!(
            e.to_string().contains("export it without encryption"),
            "{e}"
        );
        let json = br#"{"version":"1","userId":"u","encrypted":true,"vaults":{}}"#.to_vec();
        let e = crate::import::read(json, None, &FileKey::default())
            .err()
            .unwrap();
        assert!(e.to_string().contains("PGP-encrypted"), "{e}");
    }

    #[test]
    fn a_zip_bomb_is_refused_at_the_cap() {
        // One entry that unpacks to just over the cap (64 MiB of zeros deflate to ~64 KiB).
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .large_file(true);
        w.start_file(DATA_JSON, opts).unwrap();
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..=(crate::import::MAX_ZIP_ENTRY_BYTES / (1024 * 1024)) {
            w.write_all(&chunk).unwrap();
        }
        let z = w.finish().unwrap().into_inner();
        assert!((z.len() as u64) < crate::import::MAX_ZIP_ENTRY_BYTES / 16);
        let e = crate::import::read(z, None, &FileKey::default())
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::BadInput);
        assert!(e.to_string().contains("zip bomb"), "{e}");
    }

    #[test]
    fn truncated_zip_is_refused() {
        let bytes =
            testdata::bytes("more_imports/proton_authenticator/authenticator/pass/PassExport.zip");
        let cut = bytes[..bytes.len() / 2].to_vec();
        match crate::import::read(cut, Some("proton-pass"), &FileKey::default()) {
            Ok(_) => panic!("a truncated zip was read"),
            Err(e) => assert_eq!(e.kind(), crate::ErrorKind::BadInput, "{e}"),
        }
    }
}
