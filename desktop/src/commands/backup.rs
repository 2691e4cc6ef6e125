//! Settings → Backups and "Restore from a backup…" (issue 10). The settings live inside the
//! vault (encrypted), so the CLI and the app follow the same ones. Automatic backups run from
//! the app's timer (`lib.rs`), never blocking a change; their failures are shown, not thrown.
//! The backup to restore is chosen in a native dialog opened here, or by name from the list of
//! the backup folder: the web view never sends its path.

use std::path::{Path, PathBuf};

use keydeck_core::backup::{self, BackupSettings};
use keydeck_core::{check_regular_file, SecretText, Vault};
use tauri::{AppHandle, State};

use crate::error::{IpcError, IpcResult};
use crate::picker::{self, with_picks, Ask};
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

/// The backup folder in use: the vault's setting while unlocked, else the default beside it.
fn backup_folder(state: &AppState) -> PathBuf {
    match state.vault.lock().as_deref() {
        Ok(VaultSlot::Unlocked(v)) => v.backup_folder(&v.backup_settings()),
        _ => backup::default_folder(&state.vault_path),
    }
}

/// "Choose…" beside the backup folder: a native folder dialog; the folder chosen (to show in
/// the field, saved with the other settings), or `None` when cancelled.
#[tauri::command]
pub async fn backup_choose_folder(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<String>> {
    state.touch();
    let start = backup_folder(&state);
    let ask = Ask {
        start: Some(&start),
        ..Ask::titled("Folder for backups")
    };
    Ok(picker::open_folder(&app, ask)?.map(|p| p.to_string_lossy().into_owned()))
}

/// "Choose the backup…": a native dialog starting in the backup folder; the file's name, or
/// `None` when cancelled.
#[tauri::command]
pub async fn restore_choose(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<String>> {
    let start = backup_folder(&state);
    let ask = Ask {
        filter: Some(("Keydeck backups", &["sqlite"])),
        start: Some(&start),
        ..Ask::titled("Restore from a backup")
    };
    picker::choose_file(&app, &state, ask, |p, path| p.backup = Some(path))
}

/// The backup chosen: `name` from the backup folder's list, else the one chosen in the dialog.
/// A regular file under the cap (a pipe or device would hang SQLite).
fn chosen_backup(state: &AppState, name: Option<&str>) -> IpcResult<PathBuf> {
    let path = match name {
        Some(name) => {
            let listed = backup::list_backups(&backup_folder(state)).unwrap_or_default();
            let found = listed
                .into_iter()
                .map(|b| b.path)
                .find(|p| p.file_name().is_some_and(|n| n == name))
                .ok_or_else(|| {
                    IpcError::bad_input(format!("There is no backup named {name} any more."))
                })?;
            with_picks(state, |p| p.backup = Some(found.clone()))?;
            found
        }
        None => with_picks(state, |p| p.backup.clone())?
            .ok_or_else(|| IpcError::bad_input("Choose the backup file first."))?,
    };
    check_regular_file(&path, picker::MAX_BACKUP_BYTES, "the backup")?;
    Ok(path)
}

/// Opens the chosen backup (`name`: one from the backup folder's list) with `password` and
/// says what it holds; nothing changes.
#[tauri::command]
pub async fn restore_inspect(
    state: State<'_, AppState>,
    password: String,
    name: Option<String>,
) -> IpcResult<RestoreInfo> {
    let path = chosen_backup(&state, name.as_deref())?;
    let s = backup::inspect_backup(&path, &SecretText::new(password))?;
    Ok(RestoreInfo {
        at: Some(s.at),
        accounts: s.accounts as u32,
    })
}

/// Replaces the vault with the backup last inspected: the app locks and closes the vault first
/// (a restore needs the file free), then the core swaps the files atomically, keeping the old
/// one beside.
#[tauri::command]
pub async fn restore_apply(
    app: AppHandle,
    state: State<'_, AppState>,
    password: String,
) -> IpcResult<()> {
    let path = chosen_backup(&state, None)?;
    crate::lock_now(&app);
    {
        let mut slot = state.vault.lock().map_err(|_| IpcError::internal())?;
        // Closes the locked vault's connection too: the file must be free to be replaced.
        *slot = VaultSlot::Locked(None);
        backup::restore_backup(&path, &state.vault_path, &SecretText::new(password))?;
    }
    with_picks(&state, |p| p.backup = None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(dir: &Path) -> AppState {
        AppState::new(dir.join("vault.sqlite"), dir.join("settings.json"))
    }

    #[test]
    fn a_backup_is_found_by_name_in_the_backup_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let s = state(dir.path());
        let folder = backup::default_folder(&s.vault_path);
        std::fs::create_dir_all(&folder).unwrap();
        let name = "keydeck-backup-20260102T030405Z.sqlite";
        std::fs::write(folder.join(name), b"not opened here").unwrap();

        assert_eq!(chosen_backup(&s, Some(name)).unwrap(), folder.join(name));
        // Remembered for restore_apply, which takes no name.
        assert_eq!(chosen_backup(&s, None).unwrap(), folder.join(name));

        for other in ["../vault.sqlite", "/etc/passwd", "settings.json"] {
            let e = chosen_backup(&s, Some(other)).unwrap_err();
            assert!(
                e.message.contains("no backup named"),
                "{other}: {}",
                e.message
            );
        }
    }

    #[test]
    fn nothing_chosen_is_a_sentence_and_a_device_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let s = state(dir.path());
        let e = chosen_backup(&s, None).unwrap_err();
        assert_eq!(e.message, "Choose the backup file first.");
        s.picks.lock().unwrap().backup = Some(PathBuf::from("/dev/zero"));
        let e = chosen_backup(&s, None).unwrap_err();
        assert!(
            e.message.contains("it is a device, not a file"),
            "{}",
            e.message
        );
    }
}
