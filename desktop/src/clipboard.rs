//! Copying secrets: the value goes to the clipboard from Rust (the web view never sees it),
//! marked for clipboard-history managers to skip, and is cleared after the configured seconds —
//! only if the clipboard still holds that value, so something the user copied since is left
//! alone. The clipboard itself is `keydeck_core::SecretClipboard`, kept in the app state so this
//! process keeps serving the copy (X11/Wayland) until it is cleared or replaced.

use std::time::Duration;

use keydeck_core::SecretText;
use tauri::{AppHandle, Manager};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

pub fn copy_secret(app: &AppHandle, state: &AppState, secret: SecretText) -> IpcResult<()> {
    state.clipboard.copy(&secret)?;
    let generation = {
        let mut g = state
            .clipboard_generation
            .lock()
            .map_err(|_| IpcError::internal())?;
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
        if still_ours {
            // A failure here (display gone) leaves nothing to clear.
            let _ = state.clipboard.clear_if_holds(&secret);
        }
    });
    Ok(())
}
