//! "Scan QR code" in the Save Code dialog: image files, dropped files, the clipboard, the
//! screen. The web view learns what was found (names, kinds); the secrets stay in the app until
//! the user saves one. Image files are chosen in a native dialog opened here or dropped on the
//! window (the path taken from the OS event): the web view never sends a path.

use std::path::Path;

use keydeck_core::qr::{self, PayloadKind, ScanItem};
use keydeck_core::{capture, read_bounded, Result as CoreResult};
use tauri::{AppHandle, State};

use crate::error::{IpcError, IpcResult};
use crate::picker::{self, with_picks, Ask};
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

/// An image file, read under the image cap, scanned; the result names the file, not its folder.
fn scan_path(state: &AppState, path: &Path) -> IpcResult<ScanResult> {
    let name = picker::file_name(path);
    let items = read_bounded(path, picker::MAX_IMAGE_BYTES, &format!("the image {name}"))
        .and_then(|bytes| qr::scan_bytes(&name, &bytes));
    remember(state, &name, items)
}

/// "Image file…": the native dialog, then the scan. `None`: the user cancelled.
#[tauri::command]
pub async fn scan_choose(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<ScanResult>> {
    state.touch();
    let exts = &["png", "jpg", "jpeg", "webp", "gif", "bmp"];
    let ask = Ask {
        filter: Some(("Images", exts)),
        ..Ask::titled("Scan a QR code from an image")
    };
    match picker::open_file(&app, ask)? {
        Some(path) => scan_path(&state, &path).map(Some),
        None => Ok(None),
    }
}

/// Scans the file last dropped on the window (its path came from the OS event).
#[tauri::command]
pub async fn scan_dropped(state: State<'_, AppState>) -> IpcResult<ScanResult> {
    let path = with_picks(&state, |p| p.dropped.take())?
        .ok_or_else(|| IpcError::bad_input("Drop the image on the window again."))?;
    scan_path(&state, &path)
}

/// Image bytes the page read itself (a paste, or a drop outside Tauri's own handling).
#[tauri::command]
pub async fn scan_bytes(
    state: State<'_, AppState>,
    name: String,
    bytes: Vec<u8>,
) -> IpcResult<ScanResult> {
    if bytes.len() as u64 > picker::MAX_IMAGE_BYTES {
        return Err(IpcError::bad_input(format!(
            "{name} is too large to scan: Keydeck reads images of at most {} MiB.",
            picker::MAX_IMAGE_BYTES >> 20
        )));
    }
    let items = qr::scan_bytes(&name, &bytes);
    remember(&state, &name, items)
}

#[tauri::command]
pub async fn scan_clipboard(state: State<'_, AppState>) -> IpcResult<ScanResult> {
    let items =
        capture::clipboard_image().and_then(|g| qr::try_scan_gray("the clipboard image", &g));
    remember(&state, "clipboard", items)
}

/// Keydeck's own windows are hidden while the screen is captured (and come back even if the
/// capture fails), so they cannot cover the QR code.
#[tauri::command]
pub async fn scan_screen(app: AppHandle, state: State<'_, AppState>) -> IpcResult<ScanResult> {
    let shot = crate::shell::without_windows(&app, capture::capture_screen);
    let items = shot.and_then(|g| qr::try_scan_gray("the screen", &g));
    remember(&state, "screen", items)
}
