//! What an imported file gives: accounts as the other app described them, before the vault
//! checks and stores them. Secrets are in zeroizing types from the moment they are parsed.

use crate::model::{Otp, PasswordHistoryEntry, RecoveryCode};
use crate::otp::OtpEntry;
use crate::secret::{SecretBytes, SecretText};

/// The file's password and, for KeePass, its key file. Never `Debug`: both are secrets.
#[derive(Default)]
pub struct FileKey {
    pub password: Option<SecretText>,
    pub keyfile: Option<SecretBytes>,
}

impl FileKey {
    pub fn password(password: &str) -> Self {
        FileKey {
            password: Some(SecretText::new(password)),
            keyfile: None,
        }
    }
}

/// One account read from another app's file.
#[derive(Default)]
pub struct Imported {
    /// The service ("GitHub"). When empty, the vault names the account after the issuer or the
    /// username.
    pub name: String,
    pub issuer: String,
    pub username: String,
    pub password: Option<SecretText>,
    pub url: String,
    pub notes: String,
    pub tags: Vec<String>,
    pub otp: Option<Otp>,
    pub recovery: Vec<RecoveryCode>,
    /// Older passwords (KeePass history, Keydeck's own exports), oldest first.
    pub password_history: Vec<PasswordHistoryEntry>,
    /// When the current password was set, if the file says (Unix seconds).
    pub password_changed_at: Option<i64>,
    /// Things the user should know about this entry (a guessed field, a period rounded, …).
    pub warnings: Vec<String>,
}

impl Imported {
    /// An authenticator from an `otpauth://` URI (or a Google export entry).
    pub fn from_entry(e: OtpEntry) -> Imported {
        let OtpEntry {
            issuer,
            account,
            otp,
            warnings,
        } = e;
        Imported {
            issuer,
            username: account,
            otp: Some(otp),
            warnings,
            ..Default::default()
        }
    }

    /// The name the account gets: `name`, else the issuer, else the username.
    pub fn display_name(&self) -> String {
        [&self.name, &self.issuer, &self.username]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("Unnamed account")
            .to_owned()
    }

    /// "GitHub (octo@example.com)": how the entry is named in previews and messages.
    pub fn label(&self) -> String {
        let name = self.display_name();
        if self.username.is_empty() || self.username == name {
            name
        } else {
            format!("{name} ({})", self.username)
        }
    }
}
