// SPDX-License-Identifier: GPL-3.0-or-later
//! Files the user chooses, chosen on the Rust side: the native dialogs are opened from here and
//! files dropped on the window are taken from the OS event, so the web view never sends a path.
//! It learns a file's name (to show) and asks for "the file the user chose"; the paths wait in
//! [`Picks`], in the app state. What is read is checked first (`keydeck_core::read_bounded`:
//! regular files only, a cap per kind).

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// The largest image scanned for a QR code (a 4K screenshot as PNG is ~10 MiB).
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;
/// The largest KeePass key file (a real one is under a kilobyte; any file may serve as one).
pub const MAX_KEYFILE_BYTES: u64 = 16 * 1024 * 1024;
/// The largest backup restored (a vault of 10,000 accounts is a few MiB).
pub const MAX_BACKUP_BYTES: u64 = 1024 * 1024 * 1024;

/// Paths the user chose, per use. Only Rust writes them: a dialog's answer or a drop.
#[derive(Default)]
pub struct Picks {
    pub import: Option<PathBuf>,
    pub keyfile: Option<PathBuf>,
    pub backup: Option<PathBuf>,
    pub dropped: Option<PathBuf>,
}

impl Picks {
    /// A lock forgets what was chosen for the open vault (a backup to restore stays: the lock
    /// screen restores).
    pub fn forget_unlocked(&mut self) {
        self.import = None;
        self.keyfile = None;
        self.dropped = None;
    }
}

/// Runs `f` on the chosen paths.
pub fn with_picks<T>(state: &AppState, f: impl FnOnce(&mut Picks) -> T) -> IpcResult<T> {
    let mut p = state.picks.lock().map_err(|_| IpcError::internal())?;
    Ok(f(&mut p))
}

/// A file's name, to show (never its folder).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// Today's date as `YYYY-MM-DD` (UTC), for suggested file names.
pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// What a native dialog asks for.
pub struct Ask<'a> {
    pub title: &'a str,
    /// A filter's name and extensions; none shows every file.
    pub filter: Option<(&'a str, &'a [&'a str])>,
    /// The folder the dialog starts in.
    pub start: Option<&'a Path>,
    /// A save dialog's suggested name.
    pub file_name: Option<String>,
}

impl<'a> Ask<'a> {
    pub fn titled(title: &'a str) -> Self {
        Ask {
            title,
            filter: None,
            start: None,
            file_name: None,
        }
    }
}

enum Mode {
    Open,
    Folder,
    Save,
}

/// Shows the dialog over the main window and waits for the answer (`None`: cancelled). Blocks:
/// call it from an async command (a worker thread), never from the main thread.
fn show<R: Runtime>(app: &AppHandle<R>, ask: Ask<'_>, mode: Mode) -> IpcResult<Option<PathBuf>> {
    let mut d = app.dialog().file().set_title(ask.title);
    if let Some(w) = app.get_webview_window(crate::shell::MAIN) {
        d = d.set_parent(&w);
    }
    if let Some((name, ext)) = ask.filter {
        d = d.add_filter(name, ext);
    }
    if let Some(dir) = ask.start.filter(|p| p.is_dir()) {
        d = d.set_directory(dir);
    }
    if let Some(n) = ask.file_name {
        d = d.set_file_name(n);
    }
    let picked = match mode {
        Mode::Open => d.blocking_pick_file(),
        Mode::Folder => d.blocking_pick_folder(),
        Mode::Save => d.blocking_save_file(),
    };
    picked
        .map(|p| {
            p.into_path()
                .map_err(|_| IpcError::bad_input("That location is not a file on this computer."))
        })
        .transpose()
}

pub fn open_file<R: Runtime>(app: &AppHandle<R>, ask: Ask<'_>) -> IpcResult<Option<PathBuf>> {
    show(app, ask, Mode::Open)
}

/// A file dialog whose answer is kept with `keep`: the file's name (to show), or `None` when
/// the user cancelled (and nothing was kept).
pub fn choose_file<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    ask: Ask<'_>,
    keep: impl FnOnce(&mut Picks, PathBuf),
) -> IpcResult<Option<String>> {
    state.touch();
    let Some(path) = open_file(app, ask)? else {
        return Ok(None);
    };
    let name = file_name(&path);
    with_picks(state, |p| keep(p, path))?;
    Ok(Some(name))
}

pub fn open_folder<R: Runtime>(app: &AppHandle<R>, ask: Ask<'_>) -> IpcResult<Option<PathBuf>> {
    show(app, ask, Mode::Folder)
}

pub fn save_file<R: Runtime>(app: &AppHandle<R>, ask: Ask<'_>) -> IpcResult<Option<PathBuf>> {
    show(app, ask, Mode::Save)
}

/// Files dragged over the main window: the path of a drop is kept here and the UI is told the
/// file's name only (`file-dropped`); `file-drag` says whether something hovers.
pub fn on_drag_drop<R: Runtime>(app: &AppHandle<R>, event: &tauri::DragDropEvent) {
    match event {
        tauri::DragDropEvent::Enter { .. } | tauri::DragDropEvent::Over { .. } => {
            let _ = app.emit("file-drag", true);
        }
        tauri::DragDropEvent::Leave => {
            let _ = app.emit("file-drag", false);
        }
        tauri::DragDropEvent::Drop { paths, .. } => {
            let _ = app.emit("file-drag", false);
            let Some(path) = paths.first() else { return };
            let name = file_name(path);
            if let Ok(mut p) = app.state::<AppState>().picks.lock() {
                p.dropped = Some(path.clone());
            }
            let _ = app.emit("file-dropped", name);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_forgets_the_unlocked_picks_only() {
        let mut p = Picks {
            import: Some("a".into()),
            keyfile: Some("b".into()),
            backup: Some("c".into()),
            dropped: Some("d".into()),
        };
        p.forget_unlocked();
        assert!(p.import.is_none() && p.keyfile.is_none() && p.dropped.is_none());
        assert_eq!(p.backup.as_deref(), Some(Path::new("c")));
    }

    #[test]
    fn names_are_shown_without_their_folder() {
        assert_eq!(file_name(Path::new("/home/a/secret dir/x.png")), "x.png");
    }
}
