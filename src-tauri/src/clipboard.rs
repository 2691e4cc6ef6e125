//! Copying secrets: the value goes to the clipboard from Rust (the web view never sees it) and is
//! cleared after the configured seconds — only if the clipboard still holds that value, so
//! something the user copied since is left alone.

use std::time::Duration;

use keydeck_core::SecretText;
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

pub fn copy_secret(app: &AppHandle, state: &AppState, secret: SecretText) -> IpcResult<()> {
    app.clipboard()
        .write_text(secret.expose().to_owned())
        .map_err(|e| IpcError::other(format!("could not copy: {e}")))?;
    let generation = {
        let mut g = state
            .clipboard_generation
            .lock()
            .map_err(|_| IpcError::other("internal state poisoned"))?;
        *g += 1;
        *g
    };
    let secs = u64::from(state.settings().clipboard_clear_seconds);
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(secs));
        let state = app.state::<AppState>();
        let still_ours = state
            .clipboard_generation
            .lock()
            .map(|g| *g == generation)
            .unwrap_or(false);
        if !still_ours {
            return; // a later copy owns the clipboard and its own timer
        }
        if let Ok(current) = app.clipboard().read_text() {
            if current == secret.expose() {
                let _ = app.clipboard().write_text(String::new());
            }
        }
    });
    Ok(())
}
