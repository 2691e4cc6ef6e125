//! Creating, unlocking and locking the vault; changing the master password.

use keydeck_core::{KdfParams, LockedVault, SecretText, Vault};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, VaultSlot};
use crate::types::VaultStatus;

#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    let unlocked = matches!(state.vault.lock().as_deref(), Ok(VaultSlot::Unlocked(_)));
    let exists = state.vault_path.exists();
    // Reading the slot table needs no key; a vault that cannot be opened shows no keychain
    // button, and the password path reports what is wrong with it.
    let keychain = exists
        && LockedVault::open(&state.vault_path)
            .and_then(|l| l.keychain_enabled())
            .unwrap_or(false);
    VaultStatus {
        exists,
        unlocked,
        path: state.vault_path.display().to_string(),
        keychain,
    }
}

// Argon2id takes ~0.1 s and ~64 MiB: async commands run off the main thread, so the window
// stays responsive while it runs.
#[tauri::command]
pub async fn vault_create(state: State<'_, AppState>, password: String) -> IpcResult<()> {
    let password = SecretText::new(password);
    if let Some(dir) = state.vault_path.parent() {
        crate::vault_folder::prepare(dir, crate::vault_folder::is_ours(dir)).map_err(|e| {
            IpcError::other(format!(
                "Keydeck could not create the folder {} ({e}).",
                dir.display()
            ))
        })?;
    }
    let v = Vault::create(&state.vault_path, &password, KdfParams::default())?;
    let mut slot = state.vault.lock().map_err(|_| IpcError::internal())?;
    state.set_unlocked(&mut slot, v);
    Ok(())
}

#[tauri::command]
pub async fn vault_unlock(state: State<'_, AppState>, password: String) -> IpcResult<()> {
    let password = SecretText::new(password);
    let mut slot = state.vault.lock().map_err(|_| IpcError::internal())?;
    if matches!(&*slot, VaultSlot::Unlocked(_)) {
        return Ok(());
    }
    // Re-open the file each time: a failed attempt drops the handle (see LockedVault).
    let locked = match std::mem::replace(&mut *slot, VaultSlot::Locked(None)) {
        VaultSlot::Locked(Some(l)) => l,
        _ => LockedVault::open(&state.vault_path)?,
    };
    let mut memory = state.take_kdf_memory();
    let opened = locked.unlock_with_password_in(&password, memory.as_mut());
    // Clearing 64 MiB of Argon2 state takes a few milliseconds: not on the unlock's path.
    if let Some(m) = memory {
        std::thread::spawn(move || drop(m));
    }
    state.set_unlocked(&mut slot, opened?);
    Ok(())
}

/// The lock screen calls this when the user starts typing the master password: Argon2's
/// memory is faulted in meanwhile, so pressing Enter pays only for Argon2 itself.
#[tauri::command]
pub async fn vault_unlock_prepare(state: State<'_, AppState>) -> IpcResult<()> {
    state.prepare_kdf_memory();
    Ok(())
}

#[tauri::command]
pub fn vault_lock(state: State<'_, AppState>) {
    state.lock();
}

#[tauri::command]
pub async fn master_password_change(
    state: State<'_, AppState>,
    current: String,
    next: String,
) -> IpcResult<()> {
    let current = SecretText::new(current);
    let next = SecretText::new(next);
    verify_master_password(&state, &current)?;
    // The vault's own KDF settings are kept; the vault gets a new key (issue 12, finding 1).
    state.with_vault(|v| {
        v.change_password(&next, None)?;
        Ok(())
    })
}

/// Re-authentication before something that takes secrets out at once (reveal or copy all
/// recovery codes, print, change the master password): the password must open the vault file
/// again. Argon2id's cost is the rate limit; a wrong one is `wrong_password`.
pub fn verify_master_password(state: &AppState, password: &SecretText) -> IpcResult<()> {
    LockedVault::open(&state.vault_path)?.unlock_with_password(password)?;
    Ok(())
}
