//! The app's state: the vault (locked or unlocked), authenticators found by the last scan (their
//! secrets stay here until one is saved), settings, and when the user last did something (for
//! auto-lock).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use keydeck_core::otp::OtpEntry;
use keydeck_core::{LockedVault, SecretClipboard, Vault};

use crate::error::{IpcError, IpcResult};
use crate::types::Settings;

pub enum VaultSlot {
    /// No vault opened yet, or locked: the file may stay open, the key is gone.
    Locked(Option<LockedVault>),
    Unlocked(Box<Vault>),
}

pub struct AppState {
    pub vault_path: PathBuf,
    pub settings_path: PathBuf,
    pub vault: Mutex<VaultSlot>,
    pub scanned: Mutex<Vec<OtpEntry>>,
    pub settings: Mutex<Settings>,
    pub last_activity: Mutex<Instant>,
    /// Bumped on every copy: a clear timer only clears its own copy.
    pub clipboard_generation: Mutex<u64>,
    pub clipboard: SecretClipboard,
    /// Bumped by every lock: an unlock that started before a lock (a slow keychain answer) must
    /// not open the vault after it.
    pub lock_epoch: AtomicU64,
}

impl AppState {
    pub fn new(vault_path: PathBuf, settings_path: PathBuf) -> Self {
        let settings = std::fs::read(&settings_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        AppState {
            vault_path,
            settings_path,
            vault: Mutex::new(VaultSlot::Locked(None)),
            scanned: Mutex::new(Vec::new()),
            settings: Mutex::new(settings),
            last_activity: Mutex::new(Instant::now()),
            clipboard_generation: Mutex::new(0),
            clipboard: SecretClipboard::new(),
            lock_epoch: AtomicU64::new(0),
        }
    }

    pub fn touch(&self) {
        if let Ok(mut t) = self.last_activity.lock() {
            *t = Instant::now();
        }
    }

    /// Runs `f` on the unlocked vault, or fails with `locked`.
    pub fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> IpcResult<T>) -> IpcResult<T> {
        self.touch();
        let mut slot = self
            .vault
            .lock()
            .map_err(|_| IpcError::other("internal state poisoned"))?;
        match &mut *slot {
            VaultSlot::Unlocked(v) => f(v),
            VaultSlot::Locked(_) => Err(IpcError::locked()),
        }
    }

    /// Drops the vault key and every decrypted record (zeroized on drop) and forgets scans.
    /// Returns whether anything was unlocked.
    pub fn lock(&self) -> bool {
        self.lock_epoch.fetch_add(1, Ordering::SeqCst);
        let mut was = false;
        if let Ok(mut slot) = self.vault.lock() {
            let old = std::mem::replace(&mut *slot, VaultSlot::Locked(None));
            if let VaultSlot::Unlocked(v) = old {
                *slot = VaultSlot::Locked(Some(v.lock()));
                was = true;
            } else {
                *slot = old;
            }
        }
        if let Ok(mut s) = self.scanned.lock() {
            s.clear();
        }
        was
    }

    pub fn epoch(&self) -> u64 {
        self.lock_epoch.load(Ordering::SeqCst)
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().map(|s| s.clone()).unwrap_or_default()
    }
}
