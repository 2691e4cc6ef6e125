//! Accounts: the card grid, details, credentials.

use keydeck_core::{generate_password, AccountDraft, AccountPatch, PasswordPolicy, SecretText};
use tauri::{AppHandle, State};
use uuid::Uuid;

use crate::clipboard;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::{
    card, AccountCard, AccountDetail, AccountInput, HistoryItem, Milestone, PasswordOptions,
};

pub fn parse_id(id: &str) -> IpcResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| IpcError::bad_input(format!("“{id}” is not an account id.")))
}

#[tauri::command]
pub fn accounts_list(state: State<'_, AppState>) -> IpcResult<Vec<AccountCard>> {
    state.with_vault(|v| {
        let levels = v.security_levels();
        Ok(v.accounts()
            .zip(levels.iter())
            .map(|(a, (_, l))| card(a, l))
            .collect())
    })
}

#[tauri::command]
pub fn account_get(state: State<'_, AppState>, id: String) -> IpcResult<AccountDetail> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        let level = v.security_level(id)?;
        let a = v.account(id)?;
        Ok(AccountDetail {
            card: card(a, &level),
            notes: a.notes.clone(),
            password_changed_at: a.password_changed_at,
            password_history: a
                .password_history
                .iter()
                .map(|h| HistoryItem {
                    retired_at: h.retired_at,
                })
                .collect(),
            milestones: level
                .milestones
                .iter()
                .map(|m| Milestone {
                    id: m.id.to_owned(),
                    label: m.label.to_owned(),
                    met: m.met,
                    reason: m.reason.clone(),
                })
                .collect(),
            recovery: crate::commands::recovery::items(a),
            created_at: a.created_at,
        })
    })
}

#[tauri::command]
pub fn account_add(state: State<'_, AppState>, input: AccountInput) -> IpcResult<String> {
    state.with_vault(|v| {
        let id = v.add_account(AccountDraft {
            name: input.name,
            issuer: input.issuer,
            username: input.username,
            url: input.url,
            notes: input.notes,
            tags: input.tags,
            ..Default::default()
        })?;
        Ok(id.to_string())
    })
}

#[tauri::command]
pub fn account_update(
    state: State<'_, AppState>,
    id: String,
    input: AccountInput,
) -> IpcResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| {
        let a = v.account(id)?;
        // Send only what changed: an unchanged form is not an error in the app.
        let changed = |old: &str, new: &str| (old != new.trim()).then(|| new.to_owned());
        let patch = AccountPatch {
            name: changed(&a.name, &input.name),
            issuer: changed(&a.issuer, &input.issuer),
            username: changed(&a.username, &input.username),
            url: changed(&a.url, &input.url),
            notes: (a.notes != input.notes).then(|| input.notes.clone()),
            tags: (a.tags != input.tags).then(|| input.tags.clone()),
            ..Default::default()
        };
        if patch.is_empty() {
            return Ok(());
        }
        Ok(v.update_account(id, patch)?)
    })
}

#[tauri::command]
pub fn account_remove(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let id = parse_id(&id)?;
    state.with_vault(|v| Ok(v.remove_account(id)?))
}

/// Sets a new password; the old one moves to the history ("rotate").
fn rotate(state: &AppState, id: &str, password: SecretText) -> IpcResult<()> {
    let id = parse_id(id)?;
    state.with_vault(|v| {
        Ok(v.update_account(
            id,
            AccountPatch {
                password: Some(password),
                ..Default::default()
            },
        )?)
    })
}

#[tauri::command]
pub fn password_set(state: State<'_, AppState>, id: String, password: String) -> IpcResult<()> {
    rotate(&state, &id, SecretText::new(password))
}

/// Generates in Rust and stores directly: the new password never passes through the web view.
#[tauri::command]
pub fn password_generate_and_set(
    state: State<'_, AppState>,
    id: String,
    options: PasswordOptions,
) -> IpcResult<()> {
    let password = generate_password(&PasswordPolicy {
        length: options.length as usize,
        lowercase: options.lowercase,
        uppercase: options.uppercase,
        digits: options.digits,
        symbols: options.symbols,
        avoid_ambiguous: options.avoid_ambiguous,
    })?;
    rotate(&state, &id, password)
}

/// The user clicked "Reveal".
#[tauri::command]
pub fn password_reveal(state: State<'_, AppState>, id: String) -> IpcResult<String> {
    let id = parse_id(&id)?;
    state.with_vault(|v| Ok(v.account(id)?.password.expose().to_owned()))
}

#[tauri::command]
pub fn password_copy(app: AppHandle, state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let id = parse_id(&id)?;
    let secret = state.with_vault(|v| {
        let a = v.account(id)?;
        if a.password.is_empty() {
            return Err(IpcError::bad_input(format!(
                "{} has no password saved.",
                a.label()
            )));
        }
        Ok(a.password.duplicate())
    })?;
    clipboard::copy_secret(&app, &state, secret)
}
