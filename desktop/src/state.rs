//! The app's state: the vault (locked or unlocked), authenticators found by the last scan (their
//! secrets stay here until one is saved), settings, and when the user last did something (for
//! auto-lock).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use keydeck_core::otp::OtpEntry;
use keydeck_core::{KdfMemory, KdfParams, LockedVault, SecretClipboard, Vault};

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
    /// A file read for import and previewed, waiting for the user's yes (forgotten on lock).
    pub pending_import: Mutex<Option<crate::commands::transfer::PendingImport>>,
    /// Files the user chose in a native dialog or dropped on the window (see `picker`).
    pub picks: Mutex<crate::picker::Picks>,
    pub settings: Mutex<Settings>,
    /// Which loaded settings were out of range and reset: said once, then forgotten.
    pub settings_notice: Mutex<Option<String>>,
    pub last_activity: Mutex<Instant>,
    /// The `last_activity` the idle timer last locked for (it locks once per idle period).
    pub idle_locked_for: Mutex<Option<Instant>>,
    /// The idle timer's thread, woken early when the auto-lock time changes.
    pub idle_thread: OnceLock<std::thread::Thread>,
    /// Bumped on every copy: a clear timer only clears its own copy.
    pub clipboard_generation: Mutex<u64>,
    pub clipboard: SecretClipboard,
    /// Bumped by every lock: an unlock that started before a lock (a slow keychain answer) must
    /// not open the vault after it.
    pub lock_epoch: AtomicU64,
    /// Argon2's working memory, faulted in while the user types the master password (see
    /// `KdfMemory`: it takes ~40 % off a password unlock), with when it was prepared.
    pub kdf_memory: Mutex<Option<(KdfMemory, Instant)>>,
}

/// A prepared `KdfMemory` nobody used (the lock screen was left alone) is given back after this.
pub const KDF_MEMORY_KEPT: Duration = Duration::from_secs(60);

impl AppState {
    pub fn new(vault_path: PathBuf, settings_path: PathBuf) -> Self {
        let (settings, settings_notice) = crate::settings_file::load(&settings_path);
        AppState {
            vault_path,
            settings_path,
            vault: Mutex::new(VaultSlot::Locked(None)),
            scanned: Mutex::new(Vec::new()),
            pending_import: Mutex::new(None),
            picks: Mutex::new(crate::picker::Picks::default()),
            settings: Mutex::new(settings),
            settings_notice: Mutex::new(settings_notice),
            last_activity: Mutex::new(Instant::now()),
            idle_locked_for: Mutex::new(None),
            idle_thread: OnceLock::new(),
            clipboard_generation: Mutex::new(0),
            clipboard: SecretClipboard::new(),
            lock_epoch: AtomicU64::new(0),
            kdf_memory: Mutex::new(None),
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
        let mut slot = self.vault.lock().map_err(|_| IpcError::internal())?;
        match &mut *slot {
            VaultSlot::Unlocked(v) => f(v),
            VaultSlot::Locked(_) => Err(IpcError::locked()),
        }
    }

    /// Opens the vault in `slot` (whose mutex the caller holds). The unlock counts as activity,
    /// set before the vault is open: the idle timer, which decides under the same mutex, can
    /// never see the new unlock as idle (a keychain that took seconds to answer included).
    pub fn set_unlocked(&self, slot: &mut VaultSlot, vault: Vault) {
        self.touch();
        *slot = VaultSlot::Unlocked(Box::new(vault));
    }

    /// The idle timer's look: locks when `idle::decide` says so, deciding and locking under the
    /// vault mutex so that no unlock can slip in between. Returns what was decided.
    pub fn lock_if_idle(&self, limit: Duration) -> crate::idle::Step {
        let fallback = crate::idle::Step {
            lock: false,
            sleep: crate::idle::MAX_SLEEP,
        };
        let Ok(mut slot) = self.vault.lock() else {
            return fallback;
        };
        let (Ok(last_activity), Ok(mut locked_for)) = (
            self.last_activity.lock().map(|t| *t),
            self.idle_locked_for.lock(),
        ) else {
            return fallback;
        };
        let step = crate::idle::decide(crate::idle::Seen {
            now: Instant::now(),
            last_activity,
            locked_for: *locked_for,
            unlocked: matches!(&*slot, VaultSlot::Unlocked(_)),
            limit,
        });
        if step.lock {
            *locked_for = Some(last_activity);
            drop(locked_for);
            self.lock_epoch.fetch_add(1, Ordering::SeqCst);
            Self::lock_slot(&mut slot);
            drop(slot);
            self.forget_pending();
        }
        step
    }

    /// Wakes the idle timer so it looks again now (the auto-lock time changed).
    pub fn wake_idle_timer(&self) {
        if let Some(t) = self.idle_thread.get() {
            t.unpark();
        }
    }

    /// Drops the vault key and every decrypted record (zeroized on drop), forgets scans and
    /// chosen files, and clears the clipboard if it still holds what Keydeck copied there.
    /// Returns whether anything was unlocked.
    pub fn lock(&self) -> bool {
        self.lock_epoch.fetch_add(1, Ordering::SeqCst);
        let was = match self.vault.lock() {
            Ok(mut slot) => Self::lock_slot(&mut slot),
            Err(_) => false,
        };
        self.forget_pending();
        was
    }

    /// Locks the vault in `slot`; whether it was unlocked.
    fn lock_slot(slot: &mut VaultSlot) -> bool {
        let old = std::mem::replace(slot, VaultSlot::Locked(None));
        if let VaultSlot::Unlocked(v) = old {
            *slot = VaultSlot::Locked(Some(v.lock()));
            true
        } else {
            *slot = old;
            false
        }
    }

    /// Forgets what a lock must not leave behind besides the vault: scans, a pending import,
    /// chosen files, and a copied secret still on the clipboard. Both lock paths (`lock` and
    /// the idle timer's `lock_if_idle`) come through here.
    fn forget_pending(&self) {
        if let Ok(mut s) = self.scanned.lock() {
            s.clear();
        }
        if let Ok(mut p) = self.pending_import.lock() {
            *p = None;
        }
        if let Ok(mut p) = self.picks.lock() {
            p.forget_unlocked();
        }
        // A failure here (no display) leaves nothing to clear.
        let _ = self.clipboard.clear_if_ours();
    }

    /// Gets Argon2's memory ready for the next password unlock (64 MiB for the default
    /// parameters; a vault with larger ones falls back to allocating during the unlock).
    /// Blocks while it faults the pages in (~40 ms); does nothing when unlocked.
    pub fn prepare_kdf_memory(&self) {
        if matches!(self.vault.lock().as_deref(), Ok(VaultSlot::Unlocked(_))) {
            return;
        }
        let Ok(mut held) = self.kdf_memory.lock() else {
            return;
        };
        match &mut *held {
            Some((_, at)) => *at = Instant::now(),
            None => *held = Some((KdfMemory::for_params(&KdfParams::default()), Instant::now())),
        }
    }

    /// The prepared memory, if any (waits for a preparation under way).
    pub fn take_kdf_memory(&self) -> Option<KdfMemory> {
        self.kdf_memory.lock().ok()?.take().map(|(m, _)| m)
    }

    /// Gives back memory prepared at least `kept` ago (`KDF_MEMORY_KEPT` in the app).
    pub fn expire_kdf_memory(&self, kept: Duration) {
        let stale = match self.kdf_memory.try_lock() {
            Ok(mut held) if held.as_ref().is_some_and(|(_, at)| at.elapsed() >= kept) => {
                held.take()
            }
            _ => None,
        };
        // Zeroizing 64 MiB happens here, after the lock above was released.
        drop(stale);
    }

    pub fn epoch(&self) -> u64 {
        self.lock_epoch.load(Ordering::SeqCst)
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keydeck_core::SecretText;

    fn state(dir: &std::path::Path) -> AppState {
        AppState::new(dir.join("vault.sqlite"), dir.join("settings.json"))
    }

    #[test]
    fn kdf_memory_is_prepared_once_taken_once_and_given_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = state(dir.path());
        assert!(
            s.take_kdf_memory().is_none(),
            "nothing before the user types"
        );
        s.prepare_kdf_memory();
        s.prepare_kdf_memory(); // a second call keeps the same memory, refreshed
        let m = s.take_kdf_memory().expect("prepared");
        assert_eq!(m.len_bytes(), 64 * 1024 * 1024);
        assert!(s.take_kdf_memory().is_none(), "an unlock uses it up");

        s.prepare_kdf_memory();
        s.expire_kdf_memory(KDF_MEMORY_KEPT);
        assert!(s.kdf_memory.lock().unwrap().is_some(), "kept while fresh");
        s.expire_kdf_memory(Duration::ZERO);
        assert!(s.take_kdf_memory().is_none(), "given back once stale");
    }

    #[test]
    fn nothing_is_prepared_while_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let s = state(dir.path());
        let v = Vault::create(
            &s.vault_path,
            &SecretText::new("correct horse battery staple"),
            KdfParams::FLOOR,
        )
        .unwrap();
        *s.vault.lock().unwrap() = VaultSlot::Unlocked(Box::new(v));
        s.prepare_kdf_memory();
        assert!(s.take_kdf_memory().is_none());
    }
}
