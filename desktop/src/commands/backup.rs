//! Settings → Backups and "Restore from a backup…" (issue 10). The settings live inside the
//! vault (encrypted), so the CLI and the app follow the same ones. Automatic backups run from
//! the app's timer (`lib.rs`), never blocking a change; their failures are shown, not thrown.

use std::path::{Path, PathBuf};

use keydeck_core::backup::{self, BackupSettings};
use keydeck_core::{SecretText, Vault};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, VaultSlot};
use crate::types::{BackupItem, BackupSettingsInput, BackupView, RestoreInfo};

fn view(v: &Vault) -> IpcResult<BackupView> {
    let settings = v.backup_settings();
    let status = v.backup_status();
    let folder = v.backup_folder(&settings);
    // A folder that is gone is a state to show (with the last error), not a failure here.
    let backups = backup::list_backups(&folder).unwrap_or_default();
    Ok(BackupView {
        dir: folder.to_string_lossy().into_owned(),
        keep: settings.keep,
        auto: settings.auto,
        last_at: status.last_ok_at,
        last_error: status.last_error,
        pending: status.pending,
        // Newest first, as the core lists them.
        backups: backups
            .into_iter()
            .map(|b| BackupItem {
                name: b
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path: b.path.to_string_lossy().into_owned(),
                at: b.at,
                size: b.size,
            })
            .collect(),
    })
}

#[tauri::command]
pub fn backup_get(state: State<'_, AppState>) -> IpcResult<BackupView> {
    state.with_vault(|v| view(v))
}

#[tauri::command]
pub fn backup_set(
    state: State<'_, AppState>,
    settings: BackupSettingsInput,
) -> IpcResult<BackupView> {
    if !(1..=1000).contains(&settings.keep) {
        return Err(IpcError::bad_input("Keep between 1 and 1000 backups."));
    }
    let dir = settings.dir.trim();
    state.with_vault(|v| {
        let default = backup::default_folder(v.path());
        let folder = if dir.is_empty() || Path::new(dir) == default {
            None
        } else {
            Some(PathBuf::from(dir))
        };
        v.set_backup_settings(&BackupSettings {
            folder,
            keep: settings.keep,
            auto: settings.auto,
        })?;
        view(v)
    })
}

#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> IpcResult<BackupView> {
    state.with_vault(|v| {
        v.backup_now(None)?;
        view(v)
    })
}

#[tauri::command]
pub async fn restore_inspect(path: String, password: String) -> IpcResult<RestoreInfo> {
    let s = backup::inspect_backup(Path::new(&path), &SecretText::new(password))?;
    Ok(RestoreInfo {
        at: Some(s.at),
        accounts: s.accounts as u32,
    })
}

/// Replaces the vault with the backup: the app locks and closes the vault first (a restore
/// needs the file free), then the core swaps the files atomically, keeping the old one beside.
#[tauri::command]
pub async fn restore_apply(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
    password: String,
) -> IpcResult<()> {
    crate::lock_now(&app);
    {
        let mut slot = state.vault.lock().map_err(|_| IpcError::internal())?;
        // Closes the locked vault's connection too: the file must be free to be replaced.
        *slot = VaultSlot::Locked(None);
        backup::restore_backup(
            Path::new(&path),
            &state.vault_path,
            &SecretText::new(password),
        )?;
    }
    Ok(())
}
