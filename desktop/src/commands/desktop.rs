// SPDX-License-Identifier: GPL-3.0-or-later
//! Settings → Desktop (tray, shortcut, autostart) and the quick-access window's two ways out.
//! The work is in `crate::shell`.

use tauri::AppHandle;

use crate::error::IpcResult;
use crate::shell;
use crate::types::{DesktopSettings, DesktopView};

#[tauri::command]
pub fn desktop_settings_get(app: AppHandle) -> DesktopView {
    shell::view(&app)
}

#[tauri::command]
pub fn desktop_settings_set(app: AppHandle, settings: DesktopSettings) -> IpcResult<DesktopView> {
    shell::update(&app, settings)
}

/// Esc, or a code copied: the quick window goes away.
#[tauri::command]
pub fn quick_hide(app: AppHandle) {
    shell::hide_quick(&app);
}

/// "Open Keydeck" in the quick window (e.g. to unlock): the main window comes forward.
#[tauri::command]
pub fn main_show(app: AppHandle) {
    shell::hide_quick(&app);
    shell::show_main(&app);
}
