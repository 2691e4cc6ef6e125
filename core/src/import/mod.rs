//! Reading other apps' exports and backups (issue 10): 2FA apps, password managers, text files of
//! `otpauth://` links and QR images. One module per format, each a [`Format`]; GNOME
//! Authenticator's `src/backup/` is the model.
//!
//! The format of a file is recognised from its content, never from its name. Reading gives every
//! account the file holds, or an error naming the problem; nothing is written here. The vault
//! then decides what is new and what is already saved (`Vault::plan_import`), and adds the new
//! ones in one transaction (`Vault::import_accounts`): all or nothing.

mod input;
mod model;
/// Field checks the 2FA importers share.
mod otp_fields;

// One module per format.
mod aegis;
mod andotp;
mod authpro;
mod authpro_html;
mod authy;
mod battlenet;
mod bitwarden;
mod bitwarden_authenticator;
mod bitwarden_csv;
mod duo;
mod ente;
mod freeotp;
mod freeotp_plus;
mod google_authenticator_db;
mod keepass;
mod lastpass;
mod microsoft_authenticator;
mod onepassword;
mod otpauth_text;
mod proton_authenticator;
mod proton_pass;
mod qr_image;
mod steam;
mod totp_authenticator;
mod twofas;
mod winauth;

#[cfg(test)]
pub(crate) mod testdata;

pub use input::{parse_json, parse_xml, Input, MAX_FILE_BYTES, MAX_ZIP_ENTRY_BYTES};
pub(crate) use keepass::used_prefix as keepass_used_prefix;
pub use keepass::{ISSUER_ATTRIBUTE, RECOVERY_ATTRIBUTE};
pub use model::{FileKey, Imported};

use crate::error::{Error, Result};

/// Does a file look like this format, and is it encrypted?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encrypted: bool,
}

impl Detected {
    pub const PLAIN: Option<Detected> = Some(Detected { encrypted: false });
    pub const ENCRYPTED: Option<Detected> = Some(Detected { encrypted: true });
}

/// One other app's file format.
pub trait Format: Sync {
    /// Stable name for `--format` and `import --formats` ("aegis", "2fas", "kdbx", …).
    fn name(&self) -> &'static str;
    /// The app that writes it ("Aegis").
    fn app(&self) -> &'static str;
    /// What the file is, as the import screen names it ("Aegis backup").
    fn title(&self) -> &'static str;
    /// Whether the app can write this format encrypted (the UI then may ask for a password).
    fn encryptable(&self) -> bool;
    /// Recognises the file from its content. Cheap and never fails: a file that merely starts
    /// like this format but is damaged is recognised here and refused by `read` with the reason.
    fn detect(&self, input: &Input) -> Option<Detected>;
    /// Every account in the file. An encrypted file needs `key.password` (and a key file for
    /// KeePass): missing → `Error::FilePasswordNeeded`, wrong → `Error::WrongFilePassword`.
    /// Entries that cannot be used are listed in `Read::problems`, with what they are.
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read>;
}

/// What `Format::read` found.
#[derive(Default)]
pub struct Read {
    pub accounts: Vec<Imported>,
    /// One line per entry that cannot be imported ("entry 3 (GitHub): unsupported algorithm MD5").
    pub problems: Vec<String>,
}

/// A file read: which format, whether it was encrypted, and what it holds.
pub struct ImportFile {
    pub format: &'static dyn Format,
    pub encrypted: bool,
    pub accounts: Vec<Imported>,
    pub problems: Vec<String>,
}

impl ImportFile {
    /// "Aegis backup, encrypted".
    pub fn describe(&self) -> String {
        describe(self.format, self.encrypted)
    }
}

pub fn describe(format: &dyn Format, encrypted: bool) -> String {
    if encrypted {
        format!("{}, encrypted", format.title())
    } else {
        format.title().to_owned()
    }
}

/// Every format Keydeck reads, in the order detection tries them: formats with a clear
/// signature first, the loose ones (text of links, CSV) last.
pub fn formats() -> &'static [&'static dyn Format] {
    static ALL: &[&dyn Format] = &[
        &keepass::Kdbx,
        &authpro::AuthPro,
        &authpro_html::AuthProHtml,
        &battlenet::BattleNet,
        &freeotp::FreeOtp,
        &freeotp_plus::FreeOtpPlus,
        &steam::Steam,
        &duo::Duo,
        &winauth::WinAuth,
        &authy::Authy,
        &google_authenticator_db::GoogleAuthenticatorDb,
        &microsoft_authenticator::MicrosoftAuthenticator,
        &aegis::Aegis,
        &twofas::TwoFas,
        &ente::EnteEncrypted,
        &proton_authenticator::ProtonAuthenticator,
        &lastpass::LastPass,
        &bitwarden_authenticator::BitwardenAuthenticator,
        &bitwarden::Bitwarden,
        &onepassword::OnePassword,
        &proton_pass::ProtonPass,
        &qr_image::QrImage,
        // Base64 text of whole AES blocks: after every format with a real signature.
        &totp_authenticator::TotpAuthenticator,
        // A CSV file with Bitwarden's header row: after the formats with a signature.
        &bitwarden_csv::BitwardenCsv,
        // andOTP's encrypted files have no magic number: after every format that has one.
        &andotp::AndOtp,
        // The plain text of otpauth:// links is the catch-all for text files: last.
        &otpauth_text::OtpauthText,
    ];
    ALL
}

/// The format called `name` (as `--format` takes it).
pub fn find(name: &str) -> Result<&'static dyn Format> {
    formats()
        .iter()
        .copied()
        .find(|f| f.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            Error::invalid(
                "--format",
                format!("unknown format '{name}'; `keydeck import --formats` lists them"),
            )
        })
}

/// Recognises the format of a file from its content.
pub fn detect(input: &Input) -> Result<(&'static dyn Format, Detected)> {
    formats()
        .iter()
        .find_map(|f| f.detect(input).map(|d| (*f, d)))
        .ok_or_else(unknown_format)
}

/// Reads a file: recognised from its content, or as `format` when given.
pub fn read(bytes: Vec<u8>, format: Option<&str>, key: &FileKey) -> Result<ImportFile> {
    let input = Input::new(bytes)?;
    let (format, detected) = match format {
        Some(name) => {
            let f = find(name)?;
            let d = f.detect(&input).ok_or_else(|| {
                Error::invalid(
                    "import",
                    format!(
                        "this file is not a {} ({} format); leave out --format to recognise it",
                        f.title(),
                        f.name()
                    ),
                )
            })?;
            (f, d)
        }
        None => detect(&input)?,
    };
    // A KeePass database may be opened by a key file alone.
    if detected.encrypted && key.password.is_none() && key.keyfile.is_none() {
        return Err(Error::FilePasswordNeeded {
            what: describe(format, true),
        });
    }
    let read = format.read(&input, key)?;
    if read.accounts.is_empty() && read.problems.is_empty() {
        return Err(Error::invalid(
            describe(format, detected.encrypted).as_str(),
            "the file holds no accounts",
        ));
    }
    Ok(ImportFile {
        format,
        encrypted: detected.encrypted,
        accounts: read.accounts,
        problems: read.problems,
    })
}

fn unknown_format() -> Error {
    let mut apps: Vec<&str> = Vec::new();
    for f in formats() {
        if !apps.contains(&f.app()) {
            apps.push(f.app());
        }
    }
    Error::invalid(
        "import",
        format!(
            "Keydeck does not recognise this file. It reads the exports and backups of {}; \
             text files of otpauth:// links; and pictures of QR codes",
            apps.iter()
                .filter(|a| !a.contains("://"))
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_shared(rel: &str) -> ImportFile {
        read(testdata::bytes(rel), None, &FileKey::default()).expect(rel)
    }

    #[test]
    fn uri_list_is_read_as_links() {
        // Stratum's URI list export (Stratum.Test/data/urilist.txt).
        let f = read_shared("stratum_authenticatorpro/data/urilist.txt");
        assert_eq!(f.format.name(), "otpauth");
        assert!(!f.accounts.is_empty());
        assert!(f.accounts.iter().all(|a| a.otp.is_some()));
    }

    #[test]
    fn google_export_image_is_read() {
        // scito/extract_otp_secrets tests/data/test_googleauth_export.png
        let f =
            read_shared("google_migration/extract_otp_secrets/images/test_googleauth_export.png");
        assert_eq!(f.format.name(), "qr-image");
        assert!(!f.accounts.is_empty());
    }

    #[test]
    fn unknown_file_lists_what_is_read() {
        let e = read(b"hello, world".to_vec(), None, &FileKey::default())
            .err()
            .expect("refused");
        assert_eq!(e.kind(), crate::ErrorKind::BadInput);
        assert!(e.to_string().contains("It reads the exports"), "{e}");
    }

    #[test]
    fn a_huge_file_is_refused_before_reading() {
        let e = Input::new(vec![b' '; (MAX_FILE_BYTES + 1) as usize])
            .err()
            .expect("refused");
        assert!(e.to_string().contains("up to 64 MiB"), "{e}");
    }
}
