//! The OS keychain as a second way to unlock: a random 32-byte key-encryption key (KEK) is kept
//! in the platform's credential store (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows; through the `keyring` crate, never its in-memory mock) under service
//! `keydeck` and user = the vault id. The vault's `keychain` slot wraps the vault key under it.
//!
//! A keychain can be absent (no session bus), locked, refuse access, or hang behind a prompt
//! nobody answers. Every call therefore runs on its own thread with a deadline, and every
//! failure becomes a [`KeychainError`] whose message a user can act on. No message ever holds
//! key material: the store's own error texts describe D-Bus/OS failures, not secrets.

use std::sync::mpsc;
use std::time::Duration;

use uuid::Uuid;
use zeroize::Zeroizing;

use crate::secret::Kek;

/// The keychain service name under which Keydeck's keys are stored.
pub const SERVICE: &str = "keydeck";

/// How long one keychain call may take before Keydeck gives up on it and asks for the master
/// password instead. Long enough for the OS to show its own unlock prompt and the user to answer
/// it; `KEYDECK_KEYCHAIN_TIMEOUT` (seconds) overrides it.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeychainError {
    /// No credential store could be reached: no D-Bus session, no Secret Service provider.
    #[error("the system keychain is not available ({0})")]
    Unavailable(String),
    /// The store is there but locked, or the user dismissed its unlock prompt.
    #[error("the system keychain is locked or denied access ({0})")]
    Locked(String),
    /// The store holds no key for this vault (removed behind Keydeck's back).
    #[error("the system keychain holds no key for this vault (it was removed)")]
    Missing,
    /// The store did not answer in time (typically a prompt left unanswered).
    #[error("the system keychain did not answer within {0} s")]
    Timeout(u64),
    #[error("the system keychain failed: {0}")]
    Other(String),
}

/// Stores `kek` as this vault's key, replacing any earlier one.
pub fn store(vault_id: Uuid, kek: &Kek) -> Result<(), KeychainError> {
    let bytes = Zeroizing::new(kek.expose().to_vec());
    with_entry(vault_id, move |e| e.set_secret(&bytes))
}

/// Reads this vault's key. `Ok(None)` when the stored bytes are not a 32-byte key at all
/// (overwritten by something else): to the caller that is a key that opens nothing.
pub fn load(vault_id: Uuid) -> Result<Option<Kek>, KeychainError> {
    let bytes = with_entry(vault_id, |e| e.get_secret().map(Zeroizing::new))?;
    Ok(Kek::from_bytes(&bytes))
}

/// Deletes this vault's key; `Ok(false)` if there was none.
pub fn delete(vault_id: Uuid) -> Result<bool, KeychainError> {
    match with_entry(vault_id, |e| e.delete_credential()) {
        Ok(()) => Ok(true),
        Err(KeychainError::Missing) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Runs one keychain operation on a worker thread and waits for it at most the deadline. A call
/// that hangs (an OS prompt nobody answers) is abandoned; its thread ends when the store answers.
fn with_entry<T, F>(vault_id: Uuid, op: F) -> Result<T, KeychainError>
where
    T: Send + 'static,
    F: FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
{
    let timeout = timeout();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("keychain".into())
        .spawn(move || {
            let result = keyring::Entry::new(SERVICE, &vault_id.to_string())
                .and_then(|entry| op(&entry))
                .map_err(classify);
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(KeychainError::Other(format!(
            "could not start a thread: {e}"
        )));
    }
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(KeychainError::Timeout(timeout.as_secs())),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(KeychainError::Other(
            "the keychain call stopped unexpectedly".into(),
        )),
    }
}

fn timeout() -> Duration {
    std::env::var("KEYDECK_KEYCHAIN_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// Maps the store's errors onto what the user can do about them.
fn classify(e: keyring::Error) -> KeychainError {
    use keyring::Error as K;
    match e {
        K::NoEntry => KeychainError::Missing,
        K::NoStorageAccess(inner) => KeychainError::Locked(one_line(&inner.to_string())),
        K::NoDefaultStore => KeychainError::Unavailable(store_reason()),
        K::PlatformFailure(inner) => {
            let text = one_line(&inner.to_string());
            let lower = text.to_lowercase();
            if lower.contains("locked") || lower.contains("dismissed") || lower.contains("prompt") {
                KeychainError::Locked(text)
            } else if lower.contains("dbus")
                || lower.contains("d-bus")
                || lower.contains("bus address")
                || lower.contains("no such file")
                || lower.contains("connection refused")
                || lower.contains("serviceunknown")
                || lower.contains("service unknown")
                || lower.contains("not provided by any")
            {
                KeychainError::Unavailable(text)
            } else {
                KeychainError::Other(text)
            }
        }
        other => KeychainError::Other(one_line(&other.to_string())),
    }
}

/// Why the platform store could not be set up, as the keyring crate recorded it.
fn store_reason() -> String {
    match keyring::Entry::store_status() {
        Err(e) => one_line(&e.to_string()),
        Ok(()) => "no credential store".into(),
    }
}

/// Error texts from D-Bus can span lines; the UI and CLI show one.
fn one_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 200 {
        s.chars().take(200).collect::<String>() + "…"
    } else {
        s
    }
}
