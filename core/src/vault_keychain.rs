//! Keychain unlock for a vault: turning it on and off, unlocking with it, and telling whether it
//! works. Built only on the vault's public slot operations; the keychain itself is `keychain.rs`.
//!
//! Order of writes, so that a failure half-way never leaves the user locked out: enabling stores
//! the new key under a new entry name (the new slot's id) first, then replaces the keychain slot in
//! one transaction, and only then deletes the old entry: a failed slot write leaves the old slot
//! and its key working (and deletes the new, inert key). Disabling removes the slot first (the
//! vault is the authority) and the keychain entry second.
//!
//! Entries are per vault *and* slot (see `keychain.rs`). An entry from an earlier version (per
//! vault only) still unlocks; it is deleted when keychain unlock is turned on again or off, but
//! only if its key opens this file's keychain slot: otherwise it belongs to another copy of the
//! vault and is left alone. A byte-for-byte copy taken after keychain unlock was turned on holds
//! the same slot, and so shares its entry until one of the copies turns keychain unlock on again.

use uuid::Uuid;

use crate::error::{Error, Result};
use crate::keychain::{self, KeychainError};
use crate::secret::Kek;
use crate::slot::KIND_KEYCHAIN;
use crate::vault::{LockedVault, SlotInfo, Vault};

/// The ids of the keychain slots among `slots`.
fn keychain_slot_ids(slots: &[SlotInfo]) -> Vec<Uuid> {
    slots
        .iter()
        .filter(|s| s.kind == KIND_KEYCHAIN)
        .map(|s| s.id)
        .collect()
}

/// What `keydeck keychain status` and the app's settings show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeychainStatus {
    /// The vault has a keychain slot.
    pub enabled: bool,
    /// Keychain unlock would work right now (the key is there and opens the slot).
    pub works: bool,
    /// Why it would not, when enabled but not working; one line, no secret.
    pub problem: Option<String>,
}

impl LockedVault {
    /// Whether keychain unlock is turned on for this vault (it has a keychain slot).
    pub fn keychain_enabled(&self) -> Result<bool> {
        Ok(self.slots()?.iter().any(|s| s.kind == KIND_KEYCHAIN))
    }

    /// Unlocks with the key kept in the OS keychain: no key derivation runs.
    pub fn unlock_with_keychain(self) -> Result<Vault> {
        if !self.keychain_enabled()? {
            return Err(Error::invalid(
                "keychain",
                "Keychain unlock is not turned on for this vault.",
            ));
        }
        let kek = keychain_key(&self)?;
        self.unlock_with_kek(KIND_KEYCHAIN, &kek)
            .map_err(|e| match e {
                Error::Integrity { .. } => Error::KeychainKeyRejected,
                other => other,
            })
    }

    /// Checks, without unlocking, whether keychain unlock would work now.
    pub fn keychain_status(&self) -> Result<KeychainStatus> {
        if !self.keychain_enabled()? {
            return Ok(KeychainStatus {
                enabled: false,
                works: false,
                problem: None,
            });
        }
        let verdict = keychain_key(self).and_then(|kek| {
            if self.kek_opens(KIND_KEYCHAIN, &kek)? {
                Ok(())
            } else {
                Err(Error::KeychainKeyRejected)
            }
        });
        let problem = match verdict {
            Ok(()) => None,
            Err(e @ (Error::Keychain(_) | Error::KeychainKeyRejected)) => Some(e.to_string()),
            Err(e) => return Err(e),
        };
        Ok(KeychainStatus {
            enabled: true,
            works: problem.is_none(),
            problem,
        })
    }
}

/// The vault's key from the keychain: the entry of its keychain slot, else an entry an earlier
/// version stored for the whole vault. Bytes that are not a key at all count as a rejected key.
fn keychain_key(locked: &LockedVault) -> Result<Kek> {
    keychain_kek(locked.vault_id(), &locked.slots()?)
}

/// The key kept in the OS keychain for a vault with these slots (a re-key wraps the new vault
/// key under it, so keychain unlock keeps working).
pub(crate) fn keychain_kek(vault_id: Uuid, slots: &[SlotInfo]) -> Result<Kek> {
    for slot_id in keychain_slot_ids(slots) {
        match keychain::load(vault_id, slot_id) {
            Err(KeychainError::Missing) => continue,
            found => return found?.ok_or(Error::KeychainKeyRejected),
        }
    }
    keychain::load_legacy(vault_id)?.ok_or(Error::KeychainKeyRejected)
}

/// What turning keychain unlock off did.
#[derive(Debug)]
pub struct KeychainDisabled {
    /// A keychain slot was removed from the vault.
    pub slot_removed: bool,
    /// The keychain entry: deleted (`Ok(true)`), not there (`Ok(false)`), or could not be
    /// reached. In the last case the entry left behind opens nothing any more: its slot is gone.
    pub entry: std::result::Result<bool, KeychainError>,
}

impl Vault {
    /// Turns keychain unlock on (or renews its key): a fresh random KEK goes into the OS
    /// keychain under a new entry name, then a slot with that id replaces any keychain slot in
    /// one transaction; only then are the old entries deleted.
    pub fn enable_keychain(&mut self) -> Result<()> {
        let vault_id = self.vault_id();
        let old = keychain_slot_ids(&self.slots()?);
        let legacy_is_ours = self.legacy_entry_is_ours();
        let kek = Kek::random();
        let slot_id = Uuid::new_v4();
        keychain::store(vault_id, slot_id, &kek)?;
        if let Err(e) = self.add_kek_slot_with_id(KIND_KEYCHAIN, slot_id, &kek) {
            // The old slot and its key still work; the new key opens nothing: do not keep it.
            let _ = keychain::delete(vault_id, slot_id);
            return Err(e);
        }
        // The old keys open nothing any more (their slots are gone): best effort.
        for id in old {
            let _ = keychain::delete(vault_id, id);
        }
        if legacy_is_ours {
            let _ = keychain::delete_legacy(vault_id);
        }
        Ok(())
    }

    /// Turns keychain unlock off: removes the slot, then its keychain entry. The password slot
    /// is never touched, nor the entry of another copy of the vault.
    pub fn disable_keychain(&mut self) -> Result<KeychainDisabled> {
        let vault_id = self.vault_id();
        let old = keychain_slot_ids(&self.slots()?);
        let legacy_is_ours = self.legacy_entry_is_ours();
        let removed = self.remove_slots(KIND_KEYCHAIN)?;
        let mut entry = Ok(false);
        for id in old {
            match keychain::delete(vault_id, id) {
                Ok(deleted) => entry = entry.map(|any| any || deleted),
                Err(e) => entry = Err(e),
            }
        }
        if legacy_is_ours {
            match keychain::delete_legacy(vault_id) {
                Ok(deleted) => entry = entry.map(|any| any || deleted),
                Err(e) => entry = Err(e),
            }
        }
        Ok(KeychainDisabled {
            slot_removed: removed > 0,
            entry,
        })
    }

    /// Whether an entry from an earlier version (per vault only) holds the key of this file's
    /// keychain slot. False when there is none, it cannot be read, or it opens another copy.
    fn legacy_entry_is_ours(&self) -> bool {
        if keychain_slot_ids(&self.slots().unwrap_or_default()).is_empty() {
            return false;
        }
        match keychain::load_legacy(self.vault_id()) {
            Ok(Some(kek)) => self.kek_opens(KIND_KEYCHAIN, &kek).unwrap_or(false),
            _ => false,
        }
    }
}
