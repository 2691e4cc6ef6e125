//! 1Password's `.1pux` export (1Password 8: File → Export → 1PUX), which 1Password writes
//! unencrypted.
//!
//! A zip holding `export.attributes`, `export.data` (JSON) and `files/` (attachments, not
//! imported). `export.data` is `{"accounts": [{"attrs", "vaults": [{"attrs": {"name"}, "items":
//! [...]}]}]}`; an item has `categoryUuid` ("001" Login, "003" Secure Note, "005" Password, …),
//! `state` ("active", "archived"), `overview` (`title`, `url`, `urls`, `tags`) and `details`
//! (`loginFields` whose `designation` is "username" or "password", `password` for the Password
//! category, `notesPlain`, `sections[].fields[]` with a `title` and a one-key `value` such as
//! `{"string": …}`, `{"concealed": …}` or `{"totp": <otpauth URI or secret>}`, and
//! `passwordHistory` of `{value, time}`).
//!
//! Logins, passwords and secure notes become accounts; the vault's name and the item's tags are
//! its tags (an archived item gets "Archived"); other URLs and the sections' fields go into the
//! notes. The first TOTP field is the account's authenticator; each further one becomes an account
//! of its own, "<title> - <field>". Other categories (cards, identities, bank accounts,
//! documents, …) are listed as problems.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::PasswordHistoryEntry;
use crate::secret::SecretText;

pub struct OnePassword;

const DATA: &str = "export.data";
const ATTRIBUTES: &str = "export.attributes";

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    accounts: Vec<Account>,
}

#[derive(Deserialize)]
struct Account {
    #[serde(default)]
    vaults: Vec<Vault>,
}

#[derive(Deserialize)]
struct Vault {
    #[serde(default)]
    attrs: VaultAttrs,
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize, Default)]
struct VaultAttrs {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    category_uuid: String,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    overview: Overview,
    #[serde(default)]
    details: Details,
}

#[derive(Deserialize, Default)]
struct Overview {
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    urls: Option<Vec<UrlEntry>>,
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct UrlEntry {
    #[serde(default)]
    url: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default)]
    login_fields: Vec<LoginField>,
    #[serde(default)]
    notes_plain: Option<Zeroizing<String>>,
    #[serde(default)]
    sections: Vec<Section>,
    #[serde(default)]
    password_history: Vec<OldPassword>,
    #[serde(default)]
    password: Option<Zeroizing<String>>,
}

#[derive(Deserialize)]
struct LoginField {
    #[serde(default)]
    designation: Option<String>,
    #[serde(default)]
    value: Option<Zeroizing<String>>,
}

#[derive(Deserialize)]
struct Section {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    fields: Vec<SectionField>,
}

#[derive(Deserialize)]
struct SectionField {
    #[serde(default)]
    title: String,
    /// One key naming the kind (`string`, `concealed`, `totp`, `email`, `address`, …).
    #[serde(default)]
    value: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
struct OldPassword {
    #[serde(default)]
    value: Option<Zeroizing<String>>,
    #[serde(default)]
    time: Option<i64>,
}

impl Format for OnePassword {
    fn name(&self) -> &'static str {
        "1pux"
    }
    fn app(&self) -> &'static str {
        "1Password"
    }
    fn title(&self) -> &'static str {
        "1Password export (1PUX)"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if !input.is_zip() {
            return None;
        }
        let names = input.zip_names()?;
        let has = |n: &str| names.iter().any(|h| h == n);
        (has(DATA) && has(ATTRIBUTES)).then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let what = self.title();
        let data = input
            .zip_entry(what, DATA)?
            .ok_or_else(|| Error::invalid(what, format!("the archive has no {DATA}")))?;
        let export: Export = super::parse_json(what, &data)?;
        Ok(convert(export))
    }
}

fn category(uuid: &str) -> Option<&'static str> {
    Some(match uuid {
        "001" | "003" | "005" => return None,
        "002" => "a credit card",
        "004" => "an identity",
        "006" => "a document",
        "100" => "a software licence",
        "101" => "a bank account",
        "102" => "a database",
        "103" => "a driver licence",
        "104" => "an outdoor licence",
        "105" => "a membership",
        "106" => "a passport",
        "107" => "a rewards programme",
        "108" => "a social security number",
        "109" => "a wireless router",
        "110" => "a server",
        "111" => "an e-mail account",
        "112" => "an API credential",
        "113" => "a medical record",
        "114" => "an SSH key",
        "115" => "a crypto wallet",
        _ => "an item of a kind Keydeck does not keep",
    })
}

/// A section field's value as text: the one value of its one key; objects (e-mail, address)
/// give their non-empty text parts.
fn value_text(v: &serde_json::Map<String, serde_json::Value>) -> Zeroizing<String> {
    fn text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Object(o) => o
                .values()
                .map(text)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        }
    }
    Zeroizing::new(v.values().map(text).collect::<Vec<_>>().join(", "))
}

fn convert(export: Export) -> Read {
    let mut read = Read::default();
    let mut n = 0usize;
    for vault in export.accounts.into_iter().flat_map(|a| a.vaults) {
        let vault_name = vault.attrs.name.trim().to_owned();
        for item in vault.items {
            n += 1;
            let name = item.overview.title.trim().to_owned();
            let label = if name.is_empty() {
                "unnamed".to_owned()
            } else {
                name.clone()
            };
            let problem = |reason: &str| format!("entry {n} ({label}): {reason}");
            if let Some(kind) = category(&item.category_uuid) {
                read.problems.push(problem(&format!(
                    "{kind}; Keydeck keeps logins, passwords, notes and authenticators, so it is not imported"
                )));
                continue;
            }
            let mut a = Imported {
                name: name.clone(),
                ..Default::default()
            };
            if !vault_name.is_empty() {
                a.tags.push(vault_name.clone());
            }
            for t in item.overview.tags.into_iter().flatten() {
                let t = t.trim().to_owned();
                if !t.is_empty() && !a.tags.contains(&t) {
                    a.tags.push(t);
                }
            }
            if item.state.as_deref() == Some("archived") {
                a.tags.push("Archived".to_owned());
            }
            let d = item.details;
            let mut password = d.password.filter(|p| !p.is_empty());
            for f in d.login_fields {
                match (f.designation.as_deref(), f.value) {
                    (Some("username"), Some(v)) if a.username.is_empty() => {
                        a.username = v.trim().to_owned();
                    }
                    (Some("password"), Some(v)) if password.is_none() && !v.is_empty() => {
                        password = Some(v);
                    }
                    _ => {}
                }
            }
            a.password = password.map(SecretText::from);
            a.url = item.overview.url.trim().to_owned();
            let mut extra: Vec<String> = item
                .overview
                .urls
                .into_iter()
                .flatten()
                .map(|u| u.url.trim().to_owned())
                .filter(|u| !u.is_empty() && *u != a.url)
                .map(|u| format!("URL: {u}"))
                .collect();
            let mut totps: Vec<(String, Zeroizing<String>)> = Vec::new();
            for s in d.sections {
                let section = s.title.unwrap_or_default().trim().to_owned();
                for f in s.fields {
                    let Some(v) = f.value else { continue };
                    let title = f.title.trim().to_owned();
                    if let Some(t) = v.get("totp").and_then(|t| t.as_str()) {
                        if !t.trim().is_empty() {
                            totps.push((title, Zeroizing::new(t.to_owned())));
                        }
                        continue;
                    }
                    let text = value_text(&v);
                    if text.trim().is_empty() {
                        continue;
                    }
                    let key = match (section.is_empty(), title.is_empty()) {
                        (true, _) => title,
                        (false, true) => section.clone(),
                        (false, false) => format!("{section} / {title}"),
                    };
                    extra.push(format!("{key}: {}", text.as_str()));
                }
            }
            let mut notes = d
                .notes_plain
                .as_deref()
                .map(|s| s.trim_end().to_owned())
                .unwrap_or_default();
            if !extra.is_empty() {
                if !notes.is_empty() {
                    notes.push_str("\n\n");
                }
                notes.push_str(&extra.join("\n"));
            }
            a.notes = notes;
            let mut history: Vec<PasswordHistoryEntry> = d
                .password_history
                .into_iter()
                .filter_map(|h| {
                    Some(PasswordHistoryEntry {
                        password: SecretText::from(h.value.filter(|v| !v.is_empty())?),
                        retired_at: h.time.unwrap_or(0),
                    })
                })
                .collect();
            history.sort_by_key(|h| h.retired_at);
            a.password_history = history;

            let mut more = Vec::new();
            for (field, t) in totps {
                // The URI's issuer is kept; its label is not (the item has its own username).
                let (otp, issuer, warnings) = match super::otp_fields::uri_or_secret(&t) {
                    Ok(e) => (e.otp, e.issuer, e.warnings),
                    Err(e) => {
                        read.problems.push(problem(&format!(
                            "its one-time password field '{field}' was not imported: {e}"
                        )));
                        continue;
                    }
                };
                if a.otp.is_none() {
                    a.otp = Some(otp);
                    a.issuer = issuer;
                    a.warnings.extend(warnings);
                } else {
                    more.push(Imported {
                        name: format!("{name} - {field}"),
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

    const FILE: &str = "more_imports/keepassxc/1PasswordExport.1pux";

    #[test]
    fn keepassxc_file_is_read() {
        // KeePassXC TestImports.cpp testOPUX: "/Personal/Login" with username
        // team@keepassxc.org, password "password", URL https://keepassxc.org, notes "Note to
        // self", the extra URL https://twitter.com, a TOTP (and a second one), tag "website";
        // "/Personal/Login Archived" tagged Archived; "/Personal/UUID 005 Password" with
        // password uuid005password. Cards, identities, bank accounts, routers and documents are
        // not accounts here: each is a named problem.
        let f = crate::import::read(testdata::bytes(FILE), None, &FileKey::default()).unwrap();
        assert_eq!(f.format.name(), "1pux");
        let by = |n: &str| f.accounts.iter().find(|a| a.name == n).unwrap();
        let login = by("Login");
        assert_eq!(login.username, "team@keepassxc.org");
        assert_eq!(login.password.as_ref().unwrap().expose(), "password");
        assert_eq!(login.url, "https://keepassxc.org");
        assert_eq!(login.tags, ["Personal", "website"]);
        assert!(
            login
                .notes
                .starts_with("Note to self\n\nURL: https://twitter.com\n"),
            "{}",
            login.notes
        );
        assert!(login.notes.contains("Extra Data / phone: 555-123-45678"));
        assert!(login
            .notes
            .contains("Extra Data / email: team@keepassxc.org"));
        let o = login.otp.as_ref().unwrap();
        assert_eq!(
            (o.kind, o.algorithm, o.digits, o.period),
            (OtpKind::Totp, Algorithm::Sha1, 6, 30)
        );
        assert_eq!(encode_secret(o.secret.expose()), "DFDFDEA");
        let second = by("Login - one-time password");
        assert_eq!(
            encode_secret(second.otp.as_ref().unwrap().secret.expose()),
            "DFDFDEFDEE"
        );
        let archived = by("Login Archived");
        assert!(archived.tags.contains(&"Archived".to_owned()));
        assert_eq!(archived.password.as_ref().unwrap().expose(), "password");
        assert_eq!(
            by("UUID 005 Password").password.as_ref().unwrap().expose(),
            "uuid005password"
        );
        let note = by("Secure Note");
        assert_eq!(note.notes, "This is a note");
        assert_eq!(note.tags, ["Personal", "Note", "Secret Stuff"]);
        assert_eq!(f.accounts.len(), 5);
        let skipped: Vec<&str> = [
            "Home Wifi",
            "Credit Card",
            "KeePassXC Logo",
            "Identity",
            "Bank Account",
        ]
        .into_iter()
        .filter(|n| f.problems.iter().any(|p| p.contains(&format!("({n}):"))))
        .collect();
        assert_eq!(skipped.len(), 5, "{:?}", f.problems);
        assert_eq!(f.problems.len(), 5);
    }

    #[test]
    fn damaged_archives_are_refused() {
        let bytes = testdata::bytes(FILE);
        let cut = bytes[..bytes.len() - 100].to_vec();
        let e = crate::import::read(cut, Some("1pux"), &FileKey::default())
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::BadInput, "{e}");
        let i = Input::new(b"PK\x03\x04garbage".to_vec()).unwrap();
        assert!(OnePassword.detect(&i).is_none());
    }
}
