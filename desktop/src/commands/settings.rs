//! Settings (kept in a small JSON file beside the app's config: they are needed before unlock,
//! e.g. the theme, and hold nothing secret) and the activity log.

use tauri::State;

use crate::commands::accounts::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::{EventView, ExportSummary, ImportSummary, Settings};

#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command]
pub fn settings_set(state: State<'_, AppState>, settings: Settings) -> IpcResult<()> {
    if !(1..=1440).contains(&settings.auto_lock_minutes) {
        return Err(IpcError::bad_input("auto-lock: between 1 and 1440 minutes"));
    }
    if !(5..=600).contains(&settings.clipboard_clear_seconds) {
        return Err(IpcError::bad_input("clipboard: between 5 and 600 seconds"));
    }
    if let Some(dir) = state.settings_path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| IpcError::other(format!("{}: {e}", dir.display())))?;
    }
    let json = serde_json::to_vec_pretty(&settings).map_err(|e| IpcError::other(e.to_string()))?;
    std::fs::write(&state.settings_path, json)
        .map_err(|e| IpcError::other(format!("{}: {e}", state.settings_path.display())))?;
    *state
        .settings
        .lock()
        .map_err(|_| IpcError::other("internal state poisoned"))? = settings;
    Ok(())
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

/// Settings → Import: reads a text file of otpauth:// and otpauth-migration:// lines. With
/// `dry_run` it only says what would be added; a file with any bad line imports nothing.
#[tauri::command]
pub fn import_file(
    state: State<'_, AppState>,
    path: String,
    dry_run: bool,
) -> IpcResult<ImportSummary> {
    let bytes = std::fs::read(&path).map_err(|e| IpcError::bad_input(format!("{path}: {e}")))?;
    let text = zeroize::Zeroizing::new(
        String::from_utf8(bytes)
            .map_err(|_| IpcError::bad_input(format!("{path} is not a text file")))?,
    );
    let parsed = keydeck_core::otp::import::parse_text(&text);
    if !parsed.problems.is_empty() {
        return Ok(ImportSummary {
            added: Vec::new(),
            duplicates: Vec::new(),
            warnings: Vec::new(),
            problems: parsed.problems,
        });
    }
    if parsed.entries.is_empty() {
        return Err(IpcError::bad_input(
            "no otpauth:// or otpauth-migration:// lines in the file",
        ));
    }
    state.with_vault(|v| {
        let r = v.import(
            parsed.entries.into_iter().map(|(_, e)| e).collect(),
            dry_run,
        )?;
        Ok(ImportSummary {
            added: r.added,
            duplicates: r.duplicates,
            warnings: r.warnings,
            problems: Vec::new(),
        })
    })
}

/// Settings → Export: writes the authenticators to `path` (0600, never over an existing file).
/// The file holds the secrets unencrypted; the UI says so before asking for the path.
#[tauri::command]
pub fn export_file(
    state: State<'_, AppState>,
    path: String,
    google: bool,
) -> IpcResult<ExportSummary> {
    use keydeck_core::otp::import::{export_text, ExportFormat};
    let format = if google {
        ExportFormat::GoogleMigration
    } else {
        ExportFormat::Otpauth
    };
    state.with_vault(|v| {
        let (text, lines, skipped) = export_text(v.accounts(), format);
        keydeck_core::write_private(std::path::Path::new(&path), text.as_bytes())?;
        v.log(
            keydeck_core::EventWhat::Exported,
            None,
            &format!("{lines} line(s) to a file"),
        )?;
        Ok(ExportSummary {
            lines: lines as u32,
            skipped: skipped
                .into_iter()
                .map(|(label, reason)| format!("{label}: {reason}"))
                .collect(),
        })
    })
}
