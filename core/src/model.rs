//! The account model (DESIGN.md "Model"). Decrypted records live only in these types, which
//! zero their memory when dropped; none of them is `Debug`, `Clone` or `Serialize`.

use serde::Serialize;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};
use crate::secret::{SecretBytes, SecretText};

/// Field limits. Generous for real use, small enough that a pasted file cannot bloat the vault.
pub const MAX_NAME: usize = 200;
pub const MAX_FIELD: usize = 2048;
pub const MAX_NOTES: usize = 64 * 1024;
pub const MAX_PASSWORD: usize = 4096;
pub const MAX_TAG: usize = 64;
pub const MAX_TAGS: usize = 64;

#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Account {
    #[zeroize(skip)]
    pub id: Uuid,
    /// The service, e.g. "GitHub". Never empty.
    pub name: String,
    pub issuer: String,
    pub username: String,
    /// Empty when no password is saved.
    pub password: SecretText,
    pub url: String,
    pub notes: String,
    pub tags: Vec<String>,
    /// A hint for the UI's icon (e.g. a domain); free text.
    pub icon: String,
    pub otp: Option<Otp>,
    pub recovery: Vec<RecoveryCode>,
    /// When the current password was set (Unix seconds).
    pub password_changed_at: Option<i64>,
    /// zxcvbn score 0–4 of the current password, computed when it was set.
    pub password_score: Option<u8>,
    pub password_history: Vec<PasswordHistoryEntry>,
    /// Pinned on top of the grid.
    pub favourite: bool,
    /// When the account was moved to the Trash (Unix seconds); `None` for a live account.
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Account {
    /// "GitHub (octo@example.com)": how the account is named in messages and lists.
    pub fn label(&self) -> String {
        let mut s = self.name.clone();
        if !self.issuer.is_empty() && !self.issuer.eq_ignore_ascii_case(&self.name) {
            s.push_str(&format!(" [{}]", self.issuer));
        }
        if !self.username.is_empty() {
            s.push_str(&format!(" ({})", self.username));
        }
        s
    }

    pub fn recovery_counts(&self) -> (usize, usize) {
        let used = self.recovery.iter().filter(|c| c.used_at.is_some()).count();
        (self.recovery.len() - used, used)
    }

    /// An explicit deep copy, used to build the next version of a record before it is written.
    pub(crate) fn duplicate(&self) -> Account {
        Account {
            id: self.id,
            name: self.name.clone(),
            issuer: self.issuer.clone(),
            username: self.username.clone(),
            password: self.password.duplicate(),
            url: self.url.clone(),
            notes: self.notes.clone(),
            tags: self.tags.clone(),
            icon: self.icon.clone(),
            otp: self.otp.as_ref().map(Otp::duplicate),
            recovery: self.recovery.iter().map(RecoveryCode::duplicate).collect(),
            password_changed_at: self.password_changed_at,
            password_score: self.password_score,
            password_history: self
                .password_history
                .iter()
                .map(|h| PasswordHistoryEntry {
                    password: h.password.duplicate(),
                    retired_at: h.retired_at,
                })
                .collect(),
            favourite: self.favourite,
            deleted_at: self.deleted_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    /// Lower-case text that search matches against.
    pub(crate) fn haystack(&self) -> String {
        let mut s = String::with_capacity(64);
        for part in [&self.name, &self.issuer, &self.username, &self.url] {
            s.push_str(&part.to_lowercase());
            s.push('\u{1f}');
        }
        for t in &self.tags {
            s.push_str(&t.to_lowercase());
            s.push('\u{1f}');
        }
        s
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OtpKind {
    Totp,
    Hotp,
    Steam,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Algorithm {
    #[serde(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA512")]
    Sha512,
}

/// An authenticator: the shared secret and how codes are made from it.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Otp {
    #[zeroize(skip)]
    pub kind: OtpKind,
    pub secret: SecretBytes,
    #[zeroize(skip)]
    pub algorithm: Algorithm,
    pub digits: u8,
    /// Seconds per code (TOTP, Steam).
    pub period: u32,
    /// Next counter value to use (HOTP).
    pub counter: u64,
}

impl Otp {
    pub fn duplicate(&self) -> Otp {
        Otp {
            kind: self.kind,
            secret: self.secret.duplicate(),
            algorithm: self.algorithm,
            digits: self.digits,
            period: self.period,
            counter: self.counter,
        }
    }
}

/// One backup/recovery code; each can be used once.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct RecoveryCode {
    pub code: SecretText,
    pub used_at: Option<i64>,
    pub note: String,
}

impl RecoveryCode {
    pub fn duplicate(&self) -> RecoveryCode {
        RecoveryCode {
            code: self.code.duplicate(),
            used_at: self.used_at,
            note: self.note.clone(),
        }
    }
}

/// A password that was replaced ("rotated"), kept with the date it stopped being current.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct PasswordHistoryEntry {
    pub password: SecretText,
    pub retired_at: i64,
}

/// What a new account starts with.
#[derive(Default)]
pub struct AccountDraft {
    pub name: String,
    pub issuer: String,
    pub username: String,
    pub password: Option<SecretText>,
    pub url: String,
    pub notes: String,
    pub tags: Vec<String>,
    pub icon: String,
    pub otp: Option<Otp>,
    /// Recovery codes (from an import; the app adds them to existing accounts).
    pub recovery: Vec<RecoveryCode>,
    /// Older passwords, oldest first (from an import).
    pub password_history: Vec<PasswordHistoryEntry>,
    /// When the password was set, when known (an import); else now.
    pub password_changed_at: Option<i64>,
}

/// A change to an account: `None` leaves a field as it is.
#[derive(Default)]
pub struct AccountPatch {
    pub name: Option<String>,
    pub issuer: Option<String>,
    pub username: Option<String>,
    /// A new password; the old one moves to the history ("rotate").
    pub password: Option<SecretText>,
    pub url: Option<String>,
    pub notes: Option<String>,
    pub tags: Option<Vec<String>>,
    pub icon: Option<String>,
    /// `Some(Some(otp))` sets the authenticator ("Set as MFA"), `Some(None)` turns MFA off.
    pub otp: Option<Option<Otp>>,
    /// Pin the account on top of the grid, or unpin it.
    pub favourite: Option<bool>,
}

impl AccountPatch {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.issuer.is_none()
            && self.username.is_none()
            && self.password.is_none()
            && self.url.is_none()
            && self.notes.is_none()
            && self.tags.is_none()
            && self.icon.is_none()
            && self.otp.is_none()
            && self.favourite.is_none()
    }
}

/// One entry of the activity log. Holds names and kinds of things, never secret values.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: Uuid,
    pub at: i64,
    pub what: EventWhat,
    pub account_id: Option<Uuid>,
    /// The account's label when the event happened (so it reads well after a rename or delete).
    pub account: String,
    pub detail: String,
    /// How many times it happened: a day's unlocks from one kind of program share one entry.
    pub count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventWhat {
    VaultCreated,
    Unlocked,
    AccountAdded,
    AccountChanged,
    /// Moved to the Trash (its detail says so); before the Trash existed, deleted.
    AccountRemoved,
    PasswordRotated,
    RecoveryCodesAdded,
    RecoveryCodeUsed,
    /// A code marked used by mistake was marked unused again (Undo).
    RecoveryCodeUnmarked,
    /// All codes were replaced by a new set from the service.
    RecoveryCodesReplaced,
    MasterPasswordChanged,
    /// The vault got a new key, the master password kept (`keydeck rekey`).
    KeyRenewed,
    UnlockMethodAdded,
    UnlockMethodRemoved,
    CodeCopied,
    /// An HOTP code was generated, advancing the counter.
    HotpUsed,
    MfaOn,
    MfaOff,
    Imported,
    Exported,
    /// Brought back from the Trash.
    AccountRestored,
    /// Deleted from the Trash for good (by the user, or after 30 days).
    AccountDeleted,
    /// A kind written by a newer Keydeck.
    #[serde(other)]
    Other,
}

impl EventWhat {
    pub fn describe(self) -> &'static str {
        match self {
            EventWhat::VaultCreated => "vault created",
            EventWhat::Unlocked => "vault unlocked",
            EventWhat::AccountAdded => "account added",
            EventWhat::AccountChanged => "account changed",
            EventWhat::AccountRemoved => "account removed",
            EventWhat::PasswordRotated => "password rotated",
            EventWhat::RecoveryCodesAdded => "recovery codes added",
            EventWhat::RecoveryCodeUsed => "recovery code used",
            EventWhat::RecoveryCodeUnmarked => "recovery code marked unused again",
            EventWhat::RecoveryCodesReplaced => "recovery codes replaced",
            EventWhat::MasterPasswordChanged => "master password changed",
            EventWhat::KeyRenewed => "vault key renewed",
            EventWhat::UnlockMethodAdded => "unlock method added",
            EventWhat::UnlockMethodRemoved => "unlock method removed",
            EventWhat::CodeCopied => "code copied",
            EventWhat::HotpUsed => "HOTP code used",
            EventWhat::MfaOn => "MFA turned on",
            EventWhat::MfaOff => "MFA turned off",
            EventWhat::Imported => "imported",
            EventWhat::Exported => "exported",
            EventWhat::AccountRestored => "restored from the Trash",
            EventWhat::AccountDeleted => "deleted forever",
            EventWhat::Other => "other",
        }
    }
}

// ---- validation -------------------------------------------------------------------------

/// A one-line text field: trimmed, no control characters, bounded.
pub(crate) fn clean_line(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!(
                "The {field} is too long: {} characters, and the limit is {max}.",
                v.chars().count()
            ),
        ));
    }
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(
            field,
            format!(
                "The {field} contains an invisible control character (U+{:04X}); remove it.",
                c as u32
            ),
        ));
    }
    Ok(v.to_owned())
}

pub(crate) fn clean_name(value: &str) -> Result<String> {
    let v = clean_line("name", value, MAX_NAME)?;
    if v.is_empty() {
        return Err(Error::invalid(
            "name",
            "Give the account a name, for example the service: “GitHub”.",
        ));
    }
    Ok(v)
}

pub(crate) fn clean_notes(value: &str) -> Result<String> {
    if value.len() > MAX_NOTES {
        return Err(Error::invalid(
            "notes",
            format!(
                "The notes are too long: {} bytes, and the limit is {MAX_NOTES}.",
                value.len()
            ),
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::invalid(
            "notes",
            format!(
                "The notes contain an invisible control character (U+{:04X}); remove it.",
                c as u32
            ),
        ));
    }
    Ok(value.to_owned())
}

pub(crate) fn clean_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = clean_line("tag", t, MAX_TAG)?;
        if t.is_empty() {
            return Err(Error::invalid("tag", "A tag cannot be empty."));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Error::invalid(
            "tags",
            format!(
                "That is {} tags; an account can have at most {MAX_TAGS}.",
                out.len()
            ),
        ));
    }
    Ok(out)
}

pub(crate) fn check_password(p: &SecretText) -> Result<()> {
    // The message names the problem, never the value.
    if p.expose().len() > MAX_PASSWORD {
        return Err(Error::invalid(
            "password",
            format!("The password is too long: the limit is {MAX_PASSWORD} bytes."),
        ));
    }
    if p.expose().chars().any(|c| c == '\0') {
        return Err(Error::invalid(
            "password",
            "The password contains a NUL character, which Keydeck cannot store.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_fields_are_validated() {
        assert!(clean_name("  ").is_err());
        assert_eq!(clean_name(" GitHub ").unwrap(), "GitHub");
        assert!(clean_name(&"x".repeat(MAX_NAME + 1)).is_err());
        assert!(clean_line("url", "a\u{7}b", MAX_FIELD).is_err());
        assert!(clean_notes(&"n".repeat(1 << 20)).is_err());
        assert!(clean_notes("line1\nline2\ttab").is_ok());
        assert_eq!(
            clean_tags(&["Work".into(), "work".into(), "home".into()]).unwrap(),
            vec!["Work", "home"]
        );
        assert!(clean_tags(&["".into()]).is_err());
    }
}
