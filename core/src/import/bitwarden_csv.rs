//! Bitwarden's CSV export (Tools → Export vault → `.csv`), which Bitwarden writes only
//! unencrypted and only for logins and secure notes.
//!
//! The header row names the columns: `folder,favorite,type,name,notes,fields,reprompt,
//! login_uri,login_username,login_password,login_totp` (older exports lack `reprompt`; Bitwarden
//! Authenticator's CSV has only some of them). The file is recognised by that header: `type`,
//! `name` and `login_totp`, with `folder` or a `login_` column. `type` is `login` or `note`
//! (or Bitwarden's numbers 1 and 2); `fields` holds custom fields as `name: value` lines, which go
//! into the notes with any URL after the first; the folder becomes a tag; `login_totp` is read as
//! in the JSON export (`otpauth://`, `steam://` or a bare base32 secret).

use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::secret::SecretText;

pub struct BitwardenCsv;

/// Rows beyond this are refused: a real vault has a few thousand.
const MAX_ROWS: usize = 200_000;

struct Columns {
    folder: Option<usize>,
    kind: Option<usize>,
    name: usize,
    notes: Option<usize>,
    fields: Option<usize>,
    uri: Option<usize>,
    username: Option<usize>,
    password: Option<usize>,
    totp: usize,
}

fn columns(header: &csv::StringRecord) -> Option<Columns> {
    let find = |n: &str| header.iter().position(|h| h.trim() == n);
    let c = Columns {
        folder: find("folder"),
        kind: find("type"),
        name: find("name")?,
        notes: find("notes"),
        fields: find("fields"),
        uri: find("login_uri"),
        username: find("login_username"),
        password: find("login_password"),
        totp: find("login_totp")?,
    };
    (c.kind.is_some() && (c.folder.is_some() || c.uri.is_some() || c.username.is_some()))
        .then_some(c)
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes())
}

impl Format for BitwardenCsv {
    fn name(&self) -> &'static str {
        "bitwarden-csv"
    }
    fn app(&self) -> &'static str {
        "Bitwarden"
    }
    fn title(&self) -> &'static str {
        "Bitwarden export (CSV)"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let text = input.text()?;
        // Only the header line is looked at.
        let first = text.lines().next()?;
        let mut r = reader(first);
        let header = r.headers().ok()?;
        columns(header).map(|_| Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let what = self.title();
        let text = input
            .text()
            .ok_or_else(|| Error::invalid(what, "the file is not UTF-8 text"))?;
        let mut r = reader(text);
        let header = r
            .headers()
            .map_err(|e| Error::invalid(what, format!("its header row: {e}")))?
            .clone();
        let cols = columns(&header).ok_or_else(|| {
            Error::invalid(
                what,
                "its header row lacks Bitwarden's columns (type, name, login_totp)",
            )
        })?;
        let mut read = Read::default();
        for (i, row) in r.records().enumerate() {
            if i >= MAX_ROWS {
                return Err(Error::invalid(
                    what,
                    format!("more than {MAX_ROWS} rows; refused"),
                ));
            }
            let n = i + 1;
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    // The csv error names a position, never the content.
                    let pos = e
                        .position()
                        .map(|p| format!(" (line {})", p.line()))
                        .unwrap_or_default();
                    read.problems
                        .push(format!("entry {n}: not a readable CSV row{pos}"));
                    continue;
                }
            };
            let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("");
            // Blank lines between rows (some exports have them) are no entries.
            if row.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let name = get(Some(cols.name)).trim().to_owned();
            let problem = |reason: &str| {
                let label = if name.is_empty() { "unnamed" } else { &name };
                format!("entry {n} ({label}): {reason}")
            };
            match get(cols.kind).trim() {
                "" | "login" | "1" | "note" | "2" => {}
                other => {
                    read.problems.push(problem(&format!(
                        "item type '{other}' is not a login or a note; not imported"
                    )));
                    continue;
                }
            }
            let mut a = Imported {
                name: name.clone(),
                username: get(cols.username).trim().to_owned(),
                password: Some(get(cols.password))
                    .filter(|p| !p.is_empty())
                    .map(SecretText::new),
                ..Default::default()
            };
            let folder = get(cols.folder).trim();
            if !folder.is_empty() {
                a.tags.push(folder.to_owned());
            }
            let mut uris = get(cols.uri)
                .split(',')
                .map(str::trim)
                .filter(|u| !u.is_empty());
            a.url = uris.next().unwrap_or_default().to_owned();
            let mut extra: Vec<String> = uris.map(|u| format!("URL: {u}")).collect();
            let fields = get(cols.fields).trim();
            if !fields.is_empty() {
                extra.push(fields.to_owned());
            }
            let mut notes = get(cols.notes).trim_end().to_owned();
            if !extra.is_empty() {
                if !notes.is_empty() {
                    notes.push_str("\n\n");
                }
                notes.push_str(&extra.join("\n"));
            }
            a.notes = notes;
            let totp = Zeroizing::new(get(Some(cols.totp)).trim().to_owned());
            if !totp.is_empty() {
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
                        if a.username.is_empty() && a.password.is_none() && a.url.is_empty() {
                            // Nothing else to keep: the entry was only the authenticator.
                            continue;
                        }
                    }
                }
            }
            read.accounts.push(a);
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::model::{Algorithm, OtpKind};
    use crate::otp::encode_secret;

    fn read_file(rel: &str) -> crate::import::ImportFile {
        crate::import::read(testdata::bytes(rel), None, &FileKey::default()).unwrap()
    }

    fn secret(a: &Imported) -> String {
        encode_secret(a.otp.as_ref().unwrap().secret.expose())
    }

    #[test]
    fn aegis_file_is_read() {
        // Aegis DatabaseImporterTest.java: VaultEntries vectors 0..2 and the Steam entry.
        let f = read_file("aegis/importers/bitwarden.csv");
        assert_eq!(f.format.name(), "bitwarden-csv");
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
            assert_eq!(secret(a), s);
            let o = a.otp.as_ref().unwrap();
            assert_eq!(
                (o.kind, o.algorithm, o.digits, o.period),
                (OtpKind::Totp, alg, digits, period)
            );
        }
        assert_eq!(f.accounts[3].otp.as_ref().unwrap().kind, OtpKind::Steam);
        assert_eq!(secret(&f.accounts[3]), "JRZCL47CMXVOQMNPZR2F7J4RGI");
    }

    #[test]
    fn proton_file_is_read() {
        // proton-pass-common bitwarden/csv.rs can_parse_bitwarden_csv: 4 entries, no errors;
        // SHA256/8/15 "LABEL_256_8_15", SHA1/6/30 "LABEL_DEFAULT", Steam "SteamName",
        // SHA1/7/30 "Seven digit username". Its rows have more fields than its header.
        let f =
            read_file("more_imports/proton_authenticator/authenticator/bitwarden/bitwarden.csv");
        assert_eq!(f.format.name(), "bitwarden-csv");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), 4);
        let o = |i: usize| f.accounts[i].otp.as_ref().unwrap();
        assert_eq!(f.accounts[0].username, "LABEL_256_8_15");
        assert_eq!(f.accounts[0].issuer, "ISSUER");
        assert_eq!(
            (o(0).algorithm, o(0).digits, o(0).period),
            (Algorithm::Sha256, 8, 15)
        );
        assert_eq!(f.accounts[1].username, "LABEL_DEFAULT");
        assert_eq!(
            (o(1).algorithm, o(1).digits, o(1).period),
            (Algorithm::Sha1, 6, 30)
        );
        assert_eq!(
            (f.accounts[2].name.as_str(), o(2).kind),
            ("SteamName", OtpKind::Steam)
        );
        assert_eq!(f.accounts[3].username, "Seven digit username");
        assert_eq!(
            (o(3).algorithm, o(3).digits, o(3).period),
            (Algorithm::Sha1, 7, 30)
        );
    }

    #[test]
    fn proton_sample_is_read_and_its_bad_secret_named() {
        // proton-pass-common can_parse_sample_bitwarden_csv expects 3 entries "Code 2",
        // "Code 3", "Code1" (SHA1/6/30). The third secret has 17 base32 characters, a length no
        // byte string encodes to; Proton's decoder drops the extra bits, Keydeck refuses the
        // secret (otp::parse_secret) and names the entry.
        let f = read_file(
            "more_imports/proton_authenticator/authenticator/bitwarden/bitwarden_sample.csv",
        );
        assert_eq!(f.format.name(), "bitwarden-csv");
        assert_eq!(f.accounts.len(), 2);
        for (a, name) in f.accounts.iter().zip(["Code 2", "Code 3"]) {
            assert_eq!(a.name, name);
            let o = a.otp.as_ref().unwrap();
            assert_eq!((o.algorithm, o.digits, o.period), (Algorithm::Sha1, 6, 30));
        }
        assert_eq!(secret(&f.accounts[0]), "NDSKXJHDJNDBDBBB");
        assert_eq!(f.problems.len(), 1, "{:?}", f.problems);
        assert!(f.problems[0].starts_with("entry 3 (Code1): its TOTP was not imported"));
    }

    #[test]
    fn logins_keep_every_field() {
        let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                   Work,1,login,GitHub,\"two\nlines\",\"PIN: 1234\",0,\"https://github.com,https://gist.github.com\",octo,hunter2,JBSWY3DPEHPK3PXP\n\
                   ,,note,Wifi,the code,,0,,,,\n\
                   ,,card,Visa,,,0,,,,\n";
        let i = Input::new(csv.as_bytes().to_vec()).unwrap();
        assert_eq!(BitwardenCsv.detect(&i), Detected::PLAIN);
        let r = BitwardenCsv.read(&i, &FileKey::default()).unwrap();
        assert_eq!(r.accounts.len(), 2);
        let a = &r.accounts[0];
        assert_eq!((a.name.as_str(), a.username.as_str()), ("GitHub", "octo"));
        assert_eq!(a.password.as_ref().unwrap().expose(), "hunter2");
        assert_eq!(a.url, "https://github.com");
        assert_eq!(a.tags, ["Work"]);
        assert_eq!(
            a.notes,
            "two\nlines\n\nURL: https://gist.github.com\nPIN: 1234"
        );
        assert_eq!(secret(a), "JBSWY3DPEHPK3PXP");
        assert_eq!(r.accounts[1].notes, "the code");
        assert_eq!(r.problems.len(), 1);
        assert!(
            r.problems[0].starts_with("entry 3 (Visa)"),
            "{:?}",
            r.problems
        );
    }

    #[test]
    fn other_csv_files_are_not_claimed() {
        let i = Input::new(b"name,url,username,password\nx,y,z,w\n".to_vec()).unwrap();
        assert!(BitwardenCsv.detect(&i).is_none());
        let i = Input::new(b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n".to_vec()).unwrap();
        assert!(BitwardenCsv.detect(&i).is_none());
    }
}
