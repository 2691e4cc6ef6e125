//! keydeck-core: Keydeck's engine. The encrypted vault (format v1, see `docs/vault-format.md`),
//! the account model, recovery codes, the activity log and the security level of an account.
//!
//! Nothing here knows about Tauri or any UI: the CLI and the desktop app are thin clients.
#![forbid(unsafe_code)]

pub mod backup;
pub mod capture;
mod clipboard;
mod crypto;
mod error;
pub mod export;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod hardening;
pub mod import;
mod kdf;
pub mod keychain;
mod migrate;
mod model;
pub mod otp;
mod password_gen;
pub mod qr;
mod record;
pub mod recovery;
mod secret;
pub mod security;
pub mod session_lock;
mod slot;
mod store;
mod vault;
mod vault_import;
mod vault_keychain;

pub use backup::{
    inspect_backup, list_backups, restore_backup, restore_backup as restore, AutoBackup,
    BackupInfo, BackupSettings, BackupStatus, BackupSummary, RestoreInfo,
};
pub use clipboard::SecretClipboard;
pub use error::{Error, ErrorKind, Result};
pub use files::{check_regular_file, read_bounded, write_private};
pub use kdf::{KdfMemory, KdfParams};
pub use keychain::KeychainError;
pub use model::{
    Account, AccountDraft, AccountPatch, Algorithm, Event, EventWhat, Otp, OtpKind,
    PasswordHistoryEntry, RecoveryCode,
};
pub use otp::account_uri as otpauth_uri;
pub use password_gen::{generate_password, PasswordPolicy};
pub use secret::{Kek, SecretBytes, SecretText};
pub use slot::{KIND_KEYCHAIN, KIND_PASSWORD};
pub use vault::{
    fmt_time, set_client, Client, ImportReport, LockedVault, RecoveryAdded, RekeyReport, SlotInfo,
    TrashItem, Vault, DEFAULT_LOG_KEEP_DAYS, MAX_LOG_KEEP_DAYS, NONCE_WARNING_THRESHOLD,
    TRASH_DAYS,
};
pub use vault_import::ImportPlan;
pub use vault_keychain::{KeychainDisabled, KeychainStatus};

/// Current time as Unix seconds. One place, so tests and the app agree on the clock.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
