//! Emergency controls: recovery codes, each used once.

use keydeck_core::SecretText;
use tauri::{AppHandle, State};

use crate::clipboard;
use crate::commands::accounts::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::RecoveryAdded;

#[tauri::command]
pub fn recovery_add(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> IpcResult<RecoveryAdded> {
    let uid = parse_id(&id)?;
    let text = SecretText::new(text);
    state.with_vault(|v| {
        let r = v.add_recovery_codes(uid, text.expose())?;
        Ok(RecoveryAdded {
            added: r.added as u32,
            duplicates: r.duplicates as u32,
            ignored_lines: r.ignored_lines.iter().map(|l| *l as u32).collect(),
            unused: r.unused as u32,
            used: r.used as u32,
        })
    })
}

fn code_at(state: &AppState, id: &str, index: u32) -> IpcResult<(uuid::Uuid, SecretText)> {
    let uid = parse_id(id)?;
    state.with_vault(|v| {
        let a = v.account(uid)?;
        let c = a.recovery.get(index as usize).ok_or_else(|| {
            IpcError::bad_input(format!("{} has no recovery code #{}", a.label(), index + 1))
        })?;
        Ok((uid, c.code.duplicate()))
    })
}

#[tauri::command]
pub fn recovery_reveal(state: State<'_, AppState>, id: String, index: u32) -> IpcResult<String> {
    Ok(code_at(&state, &id, index)?.1.expose().to_owned())
}

#[tauri::command]
pub fn recovery_copy(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    index: u32,
) -> IpcResult<()> {
    let (_, code) = code_at(&state, &id, index)?;
    clipboard::copy_secret(&app, &state, code)
}

#[tauri::command]
pub fn recovery_mark_used(state: State<'_, AppState>, id: String, index: u32) -> IpcResult<u32> {
    let (uid, code) = code_at(&state, &id, index)?;
    state.with_vault(|v| Ok(v.use_recovery_code(uid, &code)? as u32))
}
