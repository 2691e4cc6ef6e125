//! The OS keychain as a second way to unlock: a random 32-byte key-encryption key (KEK) is kept
//! in the platform's credential store (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows; through the `keyring` crate, never its in-memory mock) under service
//! `keydeck` and user = `<vault id>/<slot id>`. The vault's `keychain` slot with that id wraps the
//! vault key under it. Keying by slot as well as vault keeps copies of a vault apart: each copy
//! that turns keychain unlock on gets a slot of its own, so its entry never replaces or deletes
//! another copy's. Entries written by earlier versions (user = the vault id alone) still unlock
//! ([`load_legacy`]); turning keychain unlock on again moves them to the new name.
//!
//! A keychain can be absent (no session bus), locked, refuse access, or hang behind a prompt
//! nobody answers. Every call therefore runs on its own thread with a deadline, and every
//! failure becomes a [`KeychainError`] whose message a user can act on. No message ever holds
//! key material: the store's own error texts describe D-Bus/OS failures, not secrets. A call
//! given up on can still finish later: its answer is then ignored, and a late *store* is undone
//! (nobody will write the slot for that key), so a timed-out call never overwrites anything.
//!
//! Any process running as the same user can ask the Secret Service for these items (that is how
//! the keychain works on Linux: an unlocked login keyring answers every client of the session).

use std::sync::{mpsc, Arc, Mutex};
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

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
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

/// The entry's user name: the vault id, and the slot id when the entry belongs to one slot.
fn user(vault_id: Uuid, slot_id: Option<Uuid>) -> String {
    match slot_id {
        Some(slot) => format!("{vault_id}/{slot}"),
        None => vault_id.to_string(),
    }
}

/// Stores `kek` as the key of this vault's keychain slot `slot_id`, replacing any earlier one.
/// If the call times out and the store finishes later, the late entry is deleted again.
pub fn store(vault_id: Uuid, slot_id: Uuid, kek: &Kek) -> Result<(), KeychainError> {
    let bytes = Zeroizing::new(kek.expose().to_vec());
    let name = user(vault_id, Some(slot_id));
    let undo_name = name.clone();
    with_entry(
        name,
        move |e| e.set_secret(&bytes),
        move |stored: &Result<(), KeychainError>| {
            if stored.is_ok() {
                let _ =
                    keyring::Entry::new(SERVICE, &undo_name).and_then(|e| e.delete_credential());
            }
        },
    )
}

/// Reads the key of this vault's keychain slot `slot_id`. `Ok(None)` when the stored bytes are
/// not a 32-byte key at all (overwritten by something else): to the caller that is a key that
/// opens nothing.
pub fn load(vault_id: Uuid, slot_id: Uuid) -> Result<Option<Kek>, KeychainError> {
    load_user(user(vault_id, Some(slot_id)))
}

/// Reads the key an earlier version stored for the whole vault (user = the vault id).
pub fn load_legacy(vault_id: Uuid) -> Result<Option<Kek>, KeychainError> {
    load_user(user(vault_id, None))
}

fn load_user(name: String) -> Result<Option<Kek>, KeychainError> {
    let bytes = with_entry(name, |e| e.get_secret().map(Zeroizing::new), |_| {})?;
    Ok(Kek::from_bytes(&bytes))
}

/// Deletes the key of this vault's keychain slot `slot_id`; `Ok(false)` if there was none.
pub fn delete(vault_id: Uuid, slot_id: Uuid) -> Result<bool, KeychainError> {
    delete_user(user(vault_id, Some(slot_id)))
}

/// Deletes the entry an earlier version stored for the whole vault; `Ok(false)` if none.
pub fn delete_legacy(vault_id: Uuid) -> Result<bool, KeychainError> {
    delete_user(user(vault_id, None))
}

fn delete_user(name: String) -> Result<bool, KeychainError> {
    match with_entry(name, |e| e.delete_credential(), |_| {}) {
        Ok(()) => Ok(true),
        Err(KeychainError::Missing) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Runs one operation on the entry `name` on a worker thread, waiting at most the deadline.
/// `late` sees the result of a call that finished after the caller gave up.
fn with_entry<T, F, L>(name: String, op: F, late: L) -> Result<T, KeychainError>
where
    T: Send + 'static,
    F: FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    L: FnOnce(&Result<T, KeychainError>) + Send + 'static,
{
    with_deadline(
        timeout(),
        move || {
            keyring::Entry::new(SERVICE, &name)
                .and_then(|entry| op(&entry))
                .map_err(classify)
        },
        late,
    )
}

/// Runs `work` on a worker thread and waits for it at most `timeout`. A call that hangs (an OS
/// prompt nobody answers) is abandoned: if it finishes later its answer goes to `late` instead
/// of to anyone waiting, and a call abandoned before it started never runs. The hand-over is
/// decided under one mutex, so each answer is either taken by the caller or given to `late`.
fn with_deadline<T, W, L>(timeout: Duration, work: W, late: L) -> Result<T, KeychainError>
where
    T: Send + 'static,
    W: FnOnce() -> Result<T, KeychainError> + Send + 'static,
    L: FnOnce(&Result<T, KeychainError>) + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let abandoned = Arc::new(Mutex::new(false));
    let worker_abandoned = Arc::clone(&abandoned);
    let spawned = std::thread::Builder::new()
        .name("keychain".into())
        .spawn(move || {
            if worker_abandoned.lock().map(|a| *a).unwrap_or(true) {
                return;
            }
            let result = work();
            let gone = worker_abandoned.lock().map(|a| *a).unwrap_or(true);
            if gone {
                late(&result);
            } else {
                let _ = tx.send(result);
            }
        });
    if let Err(e) = spawned {
        return Err(KeychainError::Other(format!(
            "could not start a thread: {e}"
        )));
    }
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let mut gone = abandoned.lock().map_err(|_| {
                KeychainError::Other("the keychain call stopped unexpectedly".into())
            })?;
            // The answer may have been sent just before the mutex was taken: it counts.
            if let Ok(result) = rx.try_recv() {
                return result;
            }
            *gone = true;
            Err(KeychainError::Timeout(timeout.as_secs()))
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_keep_copies_and_slots_apart() {
        let vault = Uuid::from_u128(1);
        let (a, b) = (Uuid::from_u128(2), Uuid::from_u128(3));
        assert_ne!(user(vault, Some(a)), user(vault, Some(b)));
        assert_eq!(
            user(vault, Some(a)),
            "00000000-0000-0000-0000-000000000001/00000000-0000-0000-0000-000000000002"
        );
        assert_eq!(user(vault, None), "00000000-0000-0000-0000-000000000001");
    }

    #[test]
    fn an_answer_in_time_is_taken_and_late_is_not_called() {
        let (late_tx, late_rx) = mpsc::channel::<()>();
        let r = with_deadline(
            Duration::from_secs(5),
            || Ok(7),
            move |_| {
                let _ = late_tx.send(());
            },
        );
        assert_eq!(r, Ok(7));
        assert!(late_rx.recv_timeout(Duration::from_millis(200)).is_err());
    }

    #[test]
    fn a_late_answer_is_ignored_and_handed_to_late() {
        let (late_tx, late_rx) = mpsc::channel::<Result<u32, KeychainError>>();
        let started = std::time::Instant::now();
        let r = with_deadline(
            Duration::from_millis(100),
            || {
                std::thread::sleep(Duration::from_millis(400));
                Ok(42)
            },
            move |late| {
                let _ = late_tx.send(late.clone());
            },
        );
        assert_eq!(r, Err(KeychainError::Timeout(0)));
        assert!(
            started.elapsed() < Duration::from_millis(350),
            "the caller did not wait"
        );
        // The worker finishes later: its answer reaches `late` (a store is undone there).
        let late = late_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("late answer");
        assert_eq!(late, Ok(42));
    }
}
