//! Keychain unlock for a vault: turning it on and off, unlocking with it, and telling whether it
//! works. Built only on the vault's public slot operations; the keychain itself is `keychain.rs`.
//!
//! Order of writes, so that a failure half-way never leaves the user locked out: enabling stores
//! the key in the keychain first and adds the slot second (a key without a slot is inert);
//! disabling removes the slot first (the vault is the authority) and the keychain entry second.

use crate::error::{Error, Result};
use crate::keychain::{self, KeychainError};
use crate::secret::Kek;
use crate::slot::KIND_KEYCHAIN;
use crate::vault::{LockedVault, Vault};

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

/// The vault's key from the keychain. Bytes that are not a key at all count as a rejected key.
fn keychain_key(locked: &LockedVault) -> Result<Kek> {
    keychain_kek(locked.vault_id())
}

/// The key kept in the OS keychain for vault `vault_id` (a re-key wraps the new vault key
/// under it, so keychain unlock keeps working).
pub(crate) fn keychain_kek(vault_id: uuid::Uuid) -> Result<Kek> {
    keychain::load(vault_id)?.ok_or(Error::KeychainKeyRejected)
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
    /// keychain, then a slot wrapping the vault key under it into the vault.
    pub fn enable_keychain(&mut self) -> Result<()> {
        let kek = Kek::random();
        keychain::store(self.vault_id(), &kek)?;
        if let Err(e) = self.add_kek_slot(KIND_KEYCHAIN, &kek) {
            // No slot, so the fresh key is useless: do not leave it behind.
            let _ = keychain::delete(self.vault_id());
            return Err(e);
        }
        Ok(())
    }

    /// Turns keychain unlock off: removes the slot, then the keychain entry. The password slot
    /// is never touched.
    pub fn disable_keychain(&mut self) -> Result<KeychainDisabled> {
        let removed = self.remove_slots(KIND_KEYCHAIN)?;
        Ok(KeychainDisabled {
            slot_removed: removed > 0,
            entry: keychain::delete(self.vault_id()),
        })
    }
}
