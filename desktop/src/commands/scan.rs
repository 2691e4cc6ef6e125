//! "Scan QR code" in the Save Code dialog: image files, dropped files, the clipboard, the
//! screen. The web view learns what was found (names, kinds); the secrets stay in the app until
//! the user saves one.

use keydeck_core::qr::{self, PayloadKind, ScanItem};
use keydeck_core::{capture, Result as CoreResult};
use tauri::{AppHandle, State};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::{kind_w, ScanFound, ScanResult};

fn remember(
    state: &AppState,
    source: &str,
    items: CoreResult<Vec<ScanItem>>,
) -> IpcResult<ScanResult> {
    state.touch();
    let items = items?;
    let mut result = ScanResult {
        source: source.to_owned(),
        found: Vec::new(),
        other: Vec::new(),
        problems: Vec::new(),
    };
    let mut scanned = state.scanned.lock().map_err(|_| IpcError::internal())?;
    scanned.clear();
    for it in items {
        if it.kind == PayloadKind::Other {
            result.other.push(it.text.expose().to_owned());
            continue;
        }
        if let Some(p) = it.problem {
            result.problems.push(p);
        }
        for e in it.entries {
            result.found.push(ScanFound {
                index: scanned.len() as u32,
                name: e.display_name(),
                issuer: e.issuer.clone(),
                account: e.account.clone(),
                kind: kind_w(e.otp.kind),
                digits: e.otp.digits,
                period: (e.otp.kind != keydeck_core::OtpKind::Hotp).then_some(e.otp.period),
            });
            scanned.push(e);
        }
    }
    Ok(result)
}

#[tauri::command]
pub async fn scan_file(state: State<'_, AppState>, path: String) -> IpcResult<ScanResult> {
    let items = qr::scan_file(std::path::Path::new(&path));
    remember(&state, &path, items)
}

#[tauri::command]
pub async fn scan_bytes(
    state: State<'_, AppState>,
    name: String,
    bytes: Vec<u8>,
) -> IpcResult<ScanResult> {
    let items = qr::scan_bytes(&name, &bytes);
    remember(&state, &name, items)
}

#[tauri::command]
pub async fn scan_clipboard(state: State<'_, AppState>) -> IpcResult<ScanResult> {
    let items = capture::clipboard_image().map(|g| qr::scan_gray(&g));
    remember(&state, "clipboard", items)
}

/// Keydeck's own windows are hidden while the screen is captured (and come back even if the
/// capture fails), so they cannot cover the QR code.
#[tauri::command]
pub async fn scan_screen(app: AppHandle, state: State<'_, AppState>) -> IpcResult<ScanResult> {
    let shot = crate::shell::without_windows(&app, capture::capture_screen);
    let items = shot.map(|g| qr::scan_gray(&g));
    remember(&state, "screen", items)
}
