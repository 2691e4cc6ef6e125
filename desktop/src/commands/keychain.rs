//! Keychain unlock: unlocking with the key in the OS keychain, turning it on and off, and its
//! status for the settings page. Keychain calls can wait on an OS prompt, so they are async
//! (off the main thread) and unlocking does not hold the vault mutex while the keychain answers.

use keydeck_core::{LockedVault, SecretText};
use tauri::State;

use crate::commands::vault::verify_master_password;
use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, VaultSlot};
use crate::types::KeychainState;

#[tauri::command]
pub async fn vault_unlock_keychain(state: State<'_, AppState>) -> IpcResult<()> {
    if matches!(state.vault.lock().as_deref(), Ok(VaultSlot::Unlocked(_))) {
        return Ok(());
    }
    let epoch = state.epoch();
    let v = LockedVault::open(&state.vault_path)?.unlock_with_keychain()?;
    let mut slot = state.vault.lock().map_err(|_| IpcError::internal())?;
    if matches!(&*slot, VaultSlot::Unlocked(_)) {
        return Ok(()); // the password was faster; `v` is dropped (zeroized)
    }
    if state.epoch() != epoch {
        // Locked again while the keychain answered: a late answer must not undo that lock.
        return Err(IpcError::other(
            "The vault was locked again while the system keychain answered. Try again.",
        ));
    }
    state.set_unlocked(&mut slot, v);
    Ok(())
}

/// Whether keychain unlock is on and would work now. Needs the vault unlocked (it is shown in
/// settings) but reads the file's slots, so it does not hold the vault while the keychain answers.
#[tauri::command]
pub async fn keychain_status(state: State<'_, AppState>) -> IpcResult<KeychainState> {
    state.with_vault(|_| Ok(()))?;
    let s = LockedVault::open(&state.vault_path)?.keychain_status()?;
    Ok(KeychainState {
        enabled: s.enabled,
        works: s.works,
        problem: s.problem,
    })
}

/// Turns on password-less unlock: only after the master password, checked here against the vault
/// file (Argon2id's cost is the rate limit), as the CLI asks for it. The web view's word that the
/// user confirmed is never taken.
#[tauri::command]
pub async fn keychain_enable(state: State<'_, AppState>, master_password: String) -> IpcResult<()> {
    verify_master_password(&state, &SecretText::new(master_password))?;
    state.with_vault(|v| Ok(v.enable_keychain()?))
}

/// Turns keychain unlock off. Returns a warning when the keychain entry could not be deleted
/// (the slot is gone, so that leftover key opens nothing).
#[tauri::command]
pub async fn keychain_disable(state: State<'_, AppState>) -> IpcResult<Option<String>> {
    let done = state.with_vault(|v| Ok(v.disable_keychain()?))?;
    Ok(done.entry.err().map(|e| {
        format!("The key could not be removed from the system keychain ({e}); it no longer opens the vault.")
    }))
}
