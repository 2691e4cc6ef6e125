//! One error type for the core. Variants carry context (what, where) but never a secret: no
//! password, OTP secret, recovery code or key material ever appears in a message.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The password (or other key-encryption key) did not open any slot. For the password slot
    /// this is also what a tampered slot looks like: AES-GCM cannot tell the two apart.
    #[error("wrong password")]
    WrongPassword,

    /// An authentication tag failed on something other than a guessable key: an item, a
    /// keychain slot, or a structurally broken header. Names the item, never its content.
    #[error("integrity check failed for {what}: the vault was modified or is corrupted")]
    Integrity { what: String },

    /// The password slot asks for Argon2id parameters below the OWASP floor (m ≥ 19 MiB, t ≥ 2).
    /// Refused rather than run: a downgraded slot is an attack, not a setting.
    #[error(
        "key derivation parameters are too weak (m={m_kib} KiB, t={t}); \
         Keydeck refuses anything under m=19456 KiB, t=2"
    )]
    KdfTooWeak { m_kib: u32, t: u32 },

    #[error("no vault at {} (create one with `keydeck init`)", path.display())]
    VaultNotFound { path: PathBuf },

    #[error("a vault already exists at {}", path.display())]
    VaultExists { path: PathBuf },

    #[error("{} is not a Keydeck vault: {reason}", path.display())]
    NotAVault { path: PathBuf, reason: String },

    #[error(
        "the vault uses format/schema version {found}, newer than this Keydeck understands \
         ({supported}); upgrade Keydeck"
    )]
    UnsupportedVersion { found: i64, supported: i64 },

    /// Bad user input: names the field and what is wrong with it.
    #[error("{field}: {reason}")]
    InvalidInput { field: String, reason: String },

    #[error("no account matches '{query}'")]
    AccountNotFound { query: String },

    #[error("'{query}' matches {} accounts: {}; use the id", candidates.len(), candidates.join(", "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },

    #[error("no unused or used recovery code of {account} matches the code given")]
    RecoveryCodeUnknown { account: String },

    #[error("that recovery code of {account} was already used on {used_at}")]
    RecoveryCodeUsed { account: String, used_at: String },

    /// Another process changed the record since this one read it; nothing was written.
    #[error(
        "{what} was changed by another Keydeck process meanwhile; nothing was saved, try again"
    )]
    Conflict { what: String },

    #[error("the vault is busy (another Keydeck process holds it): {0}")]
    Busy(String),

    #[error("vault database error: {0}")]
    Database(String),

    /// The OS keychain could not give the key (absent, locked, missing entry, no answer).
    /// The master password still works; the message says why the keychain did not.
    #[error("{0}")]
    Keychain(#[from] crate::keychain::KeychainError),

    /// The keychain gave a key that does not open the vault's keychain slot: the entry was
    /// overwritten or belongs to an older slot. An integrity failure of that slot only.
    #[error(
        "integrity check failed for the keychain slot: the key in the system keychain does not \
         open this vault (it was replaced or is stale); unlock with the master password, then \
         turn keychain unlock off and on again"
    )]
    KeychainKeyRejected,

    /// An imported file is encrypted and no password was given for it.
    #[error("this {what} needs its password")]
    FilePasswordNeeded { what: String },

    /// The password given for an imported file does not open it (for formats without an
    /// authentication tag: what the decrypted content looks like says so).
    #[error("wrong password for this {what}")]
    WrongFilePassword { what: String },

    #[error("{}: {source}", path.display())]
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
