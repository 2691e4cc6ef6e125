//! Emergency controls: recovery codes, each used once. The web view sees each code's position
//! and state only; a code's characters cross only when the user reveals or copies it, and all
//! of them at once only after the master password was given again.

use keydeck_core::export::{export, ExportFormat};
use keydeck_core::{Account, EventWhat, SecretText};
use tauri::{AppHandle, State};

use crate::clipboard;
use crate::commands::accounts::parse_id;
use crate::commands::vault::verify_master_password;
use crate::error::{IpcError, IpcResult};
use crate::picker::{self, Ask};
use crate::state::AppState;
use crate::types::{RecoveryAdded, RecoveryItem, RevealedCode};

/// Position and state of each code: unused ones first, then used ones, each in saved order.
pub fn items(a: &Account) -> Vec<RecoveryItem> {
    let mut items: Vec<RecoveryItem> = a
        .recovery
        .iter()
        .enumerate()
        .map(|(i, r)| RecoveryItem {
            index: i as u32,
            used_at: r.used_at,
        })
        .collect();
    items.sort_by_key(|r| r.used_at.is_some());
    items
}

fn added(r: keydeck_core::RecoveryAdded) -> RecoveryAdded {
    RecoveryAdded {
        added: r.added as u32,
        duplicates: r.duplicates as u32,
        ignored_lines: r.ignored_lines.iter().map(|l| *l as u32).collect(),
        unused: r.unused as u32,
        used: r.used as u32,
    }
}

/// Runs a vault write that takes a pasted block of codes (kept in a `SecretText`).
fn with_block(
    state: &AppState,
    id: &str,
    text: String,
    write: impl FnOnce(
        &mut keydeck_core::Vault,
        uuid::Uuid,
        &str,
    ) -> keydeck_core::Result<keydeck_core::RecoveryAdded>,
) -> IpcResult<RecoveryAdded> {
    let uid = parse_id(id)?;
    let text = SecretText::new(text);
    state.with_vault(|v| Ok(added(write(v, uid, text.expose())?)))
}

#[tauri::command]
pub fn recovery_add(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> IpcResult<RecoveryAdded> {
    with_block(&state, &id, text, |v, uid, t| v.add_recovery_codes(uid, t))
}

/// "Replace all": the service issued a new set; the old codes (used or not) are gone.
#[tauri::command]
pub fn recovery_replace(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> IpcResult<RecoveryAdded> {
    with_block(&state, &id, text, |v, uid, t| {
        v.replace_recovery_codes(uid, t)
    })
}

fn code_at(state: &AppState, id: &str, index: u32) -> IpcResult<(uuid::Uuid, SecretText)> {
    let uid = parse_id(id)?;
    state.with_vault(|v| {
        let a = v.account(uid)?;
        let c = a.recovery.get(index as usize).ok_or_else(|| {
            IpcError::bad_input(format!(
                "{} has no recovery code number {}.",
                a.label(),
                index + 1
            ))
        })?;
        Ok((uid, c.code.duplicate()))
    })
}

/// The unused codes (or all of them with `include_used`), in the order the list shows them.
fn codes_of(state: &AppState, id: &str, include_used: bool) -> IpcResult<Vec<(u32, SecretText)>> {
    let uid = parse_id(id)?;
    state.with_vault(|v| {
        let a = v.account(uid)?;
        let codes: Vec<(u32, SecretText)> = items(a)
            .into_iter()
            .filter(|it| include_used || it.used_at.is_none())
            .map(|it| (it.index, a.recovery[it.index as usize].code.duplicate()))
            .collect();
        if codes.is_empty() {
            return Err(IpcError::bad_input(format!(
                "{} has no unused recovery codes.",
                a.label()
            )));
        }
        Ok(codes)
    })
}

#[tauri::command]
pub fn recovery_reveal(state: State<'_, AppState>, id: String, index: u32) -> IpcResult<String> {
    Ok(code_at(&state, &id, index)?.1.expose().to_owned())
}

/// "Reveal all": every unused code (used ones too if asked), after the master password.
#[tauri::command]
pub async fn recovery_reveal_all(
    state: State<'_, AppState>,
    id: String,
    master_password: String,
    include_used: Option<bool>,
) -> IpcResult<Vec<RevealedCode>> {
    verify_master_password(&state, &SecretText::new(master_password))?;
    Ok(codes_of(&state, &id, include_used.unwrap_or(false))?
        .into_iter()
        .map(|(index, code)| RevealedCode {
            index,
            code: code.expose().to_owned(),
        })
        .collect())
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

/// "Copy all": the unused codes, one per line, after the master password. Returns how many.
#[tauri::command]
pub async fn recovery_copy_all(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    master_password: String,
) -> IpcResult<u32> {
    verify_master_password(&state, &SecretText::new(master_password))?;
    let codes = codes_of(&state, &id, false)?;
    let n = codes.len() as u32;
    let joined: Vec<&str> = codes.iter().map(|(_, c)| c.expose()).collect();
    let text = SecretText::new(joined.join("\n"));
    drop(joined);
    clipboard::copy_secret(&app, &state, text)?;
    Ok(n)
}

#[tauri::command]
pub fn recovery_mark_used(state: State<'_, AppState>, id: String, index: u32) -> IpcResult<u32> {
    let (uid, code) = code_at(&state, &id, index)?;
    state.with_vault(|v| Ok(v.use_recovery_code(uid, &code)? as u32))
}

/// Undo of Mark used. Returns how many codes are unused now.
#[tauri::command]
pub fn recovery_unmark(state: State<'_, AppState>, id: String, index: u32) -> IpcResult<u32> {
    let uid = parse_id(&id)?;
    state.with_vault(|v| Ok(v.unmark_recovery_code(uid, index as usize)? as u32))
}

/// "Print": the account's page of the PDF emergency kit, after the master password, written
/// where the user says in the native save dialog (0600, never over an existing file). Returns
/// the path written, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn recovery_print(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    master_password: String,
) -> IpcResult<Option<String>> {
    let uid = parse_id(&id)?;
    verify_master_password(&state, &SecretText::new(master_password))?;
    // The service's name only: a user name has no place in a file name.
    let name = state.with_vault(|v| Ok(v.account(uid)?.name.clone()))?;
    let ask = Ask {
        filter: Some(("PDF", &["pdf"])),
        file_name: Some(format!(
            "keydeck-kit-{}-{}.pdf",
            safe_file_part(&name),
            picker::today()
        )),
        ..Ask::titled("Save emergency kit")
    };
    let Some(path) = picker::save_file(&app, ask)? else {
        return Ok(None);
    };
    state.with_vault(|v| {
        let out = export(&[v.account(uid)?], ExportFormat::Pdf, None)?;
        keydeck_core::write_private(&path, &out.bytes)?;
        v.log(
            EventWhat::Exported,
            Some(uid),
            "emergency kit (pdf) of this account",
        )?;
        Ok(Some(path.to_string_lossy().into_owned()))
    })
}

/// An account's name as part of a file name: letters, digits, `.`, `_` and `-`, runs of anything
/// else as one `-` ("account" when nothing is left).
fn safe_file_part(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-');
    if t.is_empty() {
        "account".to_owned()
    } else {
        t.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_file_part;

    #[test]
    fn kit_file_names_keep_safe_characters_only() {
        assert_eq!(safe_file_part("My Bank (old)"), "My-Bank-old");
        assert_eq!(safe_file_part("../../etc"), "..-..-etc");
        assert_eq!(safe_file_part("★"), "account");
    }
}
