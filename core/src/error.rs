//! One error type for the core. Variants carry context (what, where) but never a secret: no
//! password, OTP secret, recovery code or key material ever appears in a message.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The password (or other key-encryption key) did not open any slot. For the password slot
    /// this is also what a tampered slot looks like: AES-GCM cannot tell the two apart.
    #[error("That password is not correct.")]
    WrongPassword,

    /// An authentication tag failed on something other than a guessable key: an item, a
    /// keychain slot, or a structurally broken header. Names the item, never its content.
    #[error(
        "The vault failed its integrity check ({what}): it was changed outside Keydeck or is \
         damaged. Restore a backup."
    )]
    Integrity { what: String },

    /// The password slot asks for Argon2id parameters below the OWASP floor (m ≥ 19 MiB, t ≥ 2).
    /// Refused rather than run: a downgraded slot is an attack, not a setting.
    #[error(
        "This vault asks for key-derivation settings that are too weak (m={m_kib} KiB, t={t}), \
         which is what a tampered vault looks like. Keydeck refuses anything under m=19456 KiB, \
         t=2."
    )]
    KdfTooWeak { m_kib: u32, t: u32 },

    #[error("There is no vault at {}. Create one with `keydeck init`.", path.display())]
    VaultNotFound { path: PathBuf },

    #[error("A vault already exists at {}.", path.display())]
    VaultExists { path: PathBuf },

    #[error("{} is not a Keydeck vault ({reason}).", path.display())]
    NotAVault { path: PathBuf, reason: String },

    #[error(
        "This vault was saved by a newer Keydeck (format {found}; this one reads up to \
         {supported}). Update Keydeck to open it."
    )]
    UnsupportedVersion { found: i64, supported: i64 },

    /// Bad user input: names the field and what is wrong with it. A `reason` written as a
    /// sentence (capital letter, final full stop) is shown alone; older terse reasons keep the
    /// `field: reason` form.
    #[error("{}", invalid_text(field, reason))]
    InvalidInput { field: String, reason: String },

    #[error("No account matches “{query}”.")]
    AccountNotFound { query: String },

    #[error("“{query}” matches {} accounts: {}. Use the id to pick one.", candidates.len(), candidates.join(", "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },

    #[error("None of the recovery codes saved for {account} matches that code.")]
    RecoveryCodeUnknown { account: String },

    #[error("That recovery code of {account} was already used on {used_at}.")]
    RecoveryCodeUsed { account: String, used_at: String },

    /// Another process changed the record since this one read it; nothing was written.
    #[error(
        "{what} was changed in another Keydeck window or the command line meanwhile. Nothing \
         was saved; try again."
    )]
    Conflict { what: String },

    /// Another process gave the vault a new key (a password change or `keydeck rekey`) while
    /// this one held the old key: nothing was written under a key that opens nothing any more.
    #[error(
        "The vault was given a new key in another Keydeck window or the command line (its \
         master password was changed). Nothing was saved; lock the vault and unlock it again."
    )]
    KeyChanged,

    #[error("The vault is busy: another Keydeck window or command is using it. Try again in a moment. ({0})")]
    Busy(String),

    #[error("The vault file could not be read or written ({0}).")]
    Database(String),

    /// The OS keychain could not give the key (absent, locked, missing entry, no answer).
    /// The master password still works; the message says why the keychain did not.
    #[error("{0}")]
    Keychain(#[from] crate::keychain::KeychainError),

    /// The keychain gave a key that does not open the vault's keychain slot: the entry was
    /// overwritten or belongs to an older slot. An integrity failure of that slot only.
    #[error(
        "The key in the system keychain does not open this vault (it was replaced or is out of \
         date). Unlock with the master password, then turn keychain unlock off and on again."
    )]
    KeychainKeyRejected,

    /// An imported file is encrypted and no password was given for it.
    #[error("This {what} is protected by a password. Enter it to continue.")]
    FilePasswordNeeded { what: String },

    /// The password given for an imported file does not open it (for formats without an
    /// authentication tag: what the decrypted content looks like says so).
    #[error("That password does not open this {what}.")]
    WrongFilePassword { what: String },

    #[error("Keydeck could not use {}: {}.", path.display(), io_text(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The coarse kind of an error: what a script (exit code) or the UI (`{ kind, message }`)
/// branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The user gave something unusable: exit code 2.
    BadInput,
    /// Exit code 3.
    WrongPassword,
    /// Tampering, corruption or a downgraded KDF: exit code 4.
    Integrity,
    /// The OS keychain could not unlock (the password can): exit code 1.
    Keychain,
    /// Everything else: exit code 1.
    Other,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::WrongPassword
            | Error::WrongFilePassword { .. }
            | Error::FilePasswordNeeded { .. } => ErrorKind::WrongPassword,
            Error::Integrity { .. } | Error::KdfTooWeak { .. } | Error::KeychainKeyRejected => {
                ErrorKind::Integrity
            }
            Error::Keychain(_) => ErrorKind::Keychain,
            Error::InvalidInput { .. }
            | Error::AccountNotFound { .. }
            | Error::Ambiguous { .. }
            | Error::RecoveryCodeUnknown { .. }
            | Error::RecoveryCodeUsed { .. }
            | Error::VaultNotFound { .. }
            | Error::VaultExists { .. }
            | Error::NotAVault { .. } => ErrorKind::BadInput,
            Error::UnsupportedVersion { .. }
            | Error::Busy(_)
            | Error::Conflict { .. }
            | Error::KeyChanged
            | Error::Database(_)
            | Error::Io { .. } => ErrorKind::Other,
        }
    }

    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    pub(crate) fn integrity(what: impl Into<String>) -> Self {
        Error::Integrity { what: what.into() }
    }
}

/// The text of `InvalidInput`: a reason written as a sentence stands alone.
fn invalid_text(field: &str, reason: &str) -> String {
    let sentence = reason.chars().next().is_some_and(char::is_uppercase)
        && (reason.ends_with('.') || reason.ends_with('?'));
    if sentence {
        reason.to_owned()
    } else {
        format!("{field}: {reason}")
    }
}

/// An I/O error as a person reads it: the common kinds in words, the rest as the OS says.
fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "the file or folder does not exist".to_owned(),
        K::PermissionDenied => "permission denied".to_owned(),
        K::AlreadyExists => "a file with that name already exists; choose another name".to_owned(),
        _ => e.to_string(),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        // Parameters are always bound, so SQLite's messages hold SQL and codes, never values.
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
                Error::Busy(e.to_string())
            }
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
                Error::integrity(format!("the database file ({e})"))
            }
            _ => Error::Database(e.to_string()),
        }
    }
}
