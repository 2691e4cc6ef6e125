//! Settings (kept in a small JSON file beside the app's config: they are needed before unlock,
//! e.g. the theme, and hold nothing secret) and the activity log. Import and export are in
//! `transfer`.

use tauri::State;

use crate::commands::accounts::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::{EventView, Settings};

#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command]
pub fn settings_set(state: State<'_, AppState>, settings: Settings) -> IpcResult<()> {
    if let Some(why) = crate::settings_file::refusal(&settings) {
        return Err(IpcError::bad_input(why));
    }
    if let Some(dir) = state.settings_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            IpcError::other(format!(
                "Keydeck could not create the folder {} ({e}).",
                dir.display()
            ))
        })?;
    }
    let json = serde_json::to_vec_pretty(&settings).map_err(|e| IpcError::other(e.to_string()))?;
    std::fs::write(&state.settings_path, json).map_err(|e| {
        IpcError::other(format!(
            "Keydeck could not save the settings to {} ({e}).",
            state.settings_path.display()
        ))
    })?;
    *state.settings.lock().map_err(|_| IpcError::internal())? = settings;
    // A new auto-lock time counts from now, not from the old deadline.
    state.wake_idle_timer();
    Ok(())
}

/// Which settings were out of range when the app started and were reset (one sentence per
/// value), the first time it is asked; `None` after that or when all were fine.
#[tauri::command]
pub fn settings_notice_take(state: State<'_, AppState>) -> Option<String> {
    state.settings_notice.lock().ok()?.take()
}

#[tauri::command]
pub fn events_list(state: State<'_, AppState>, id: Option<String>) -> IpcResult<Vec<EventView>> {
    let filter = id.as_deref().map(parse_id).transpose()?;
    state.with_vault(|v| {
        let (events, _damaged) = v.events()?;
        Ok(events
            .into_iter()
            .rev()
            .filter(|e| filter.is_none() || e.account_id == filter)
            .map(|e| EventView {
                id: e.id.to_string(),
                at: e.at,
                what: serde_json::to_value(e.what)
                    .ok()
                    .and_then(|w| w.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                description: e.what.describe().to_owned(),
                account_id: e.account_id.map(|i| i.to_string()),
                account: e.account,
                detail: e.detail,
            })
            .collect())
    })
}
