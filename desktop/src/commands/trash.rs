// SPDX-License-Identifier: GPL-3.0-or-later
//! The Trash (removed accounts: restore, delete forever, empty) and favourites.

use keydeck_core::{AccountPatch, TRASH_DAYS};
use tauri::State;

use crate::commands::accounts::parse_id;
use crate::error::IpcResult;
use crate::state::AppState;
use crate::types::TrashEntry;

const DAY: i64 = 86_400;

#[tauri::command]
pub fn trash_list(state: State<'_, AppState>) -> IpcResult<Vec<TrashEntry>> {
    state.with_vault(|v| {
        Ok(v.trash()
            .into_iter()
            .map(|t| TrashEntry {
                id: t.id.to_string(),
                purge_at: t.deleted_at + TRASH_DAYS * DAY,
                name: t.name,
                issuer: t.issuer,
                username: t.username,
                deleted_at: t.deleted_at,
            })
            .collect())
    })
}

#[tauri::command]
pub fn trash_restore(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| Ok(v.restore_account(id)?))
}

/// Deletes one account in the Trash for good.
#[tauri::command]
pub fn trash_delete(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| Ok(v.delete_forever(id)?))
}

/// Deletes everything in the Trash for good; returns how many accounts that was.
#[tauri::command]
pub fn trash_empty(state: State<'_, AppState>) -> IpcResult<u32> {
    state.with_vault(|v| Ok(v.empty_trash()? as u32))
}

/// Pins the account on top of the grid (`on`), or unpins it. Setting what is already set is
/// not an error.
#[tauri::command]
pub fn account_favourite(state: State<'_, AppState>, id: String, on: bool) -> IpcResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        if v.account(id)?.favourite == on {
            return Ok(());
        }
        Ok(v.update_account(
            id,
            AccountPatch {
                favourite: Some(on),
                ..Default::default()
            },
        )?)
    })
}
