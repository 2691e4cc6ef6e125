// SPDX-License-Identifier: GPL-3.0-or-later
//! Keydeck on the desktop, outside its window: the tray icon (show/hide, lock, quit), the global
//! shortcut that opens the quick-access window, closing to the tray, starting with the desktop
//! (hidden), and getting out of the way while the screen is captured for a QR scan.
//!
//! Its settings live in `desktop.json` beside `settings.json` in the app's config dir, not in the
//! vault: like the theme they are needed before any unlock (at start the shortcut is registered
//! and the window is hidden or not while the vault is still locked) and hold nothing secret. They
//! are a file of their own so that `settings_set` and `desktop_settings_set` can never write
//! back each other's stale fields. Whether Keydeck starts with the desktop is not stored here at
//! all: the desktop's own autostart entry (written by the autostart plugin) is that setting, so
//! removing the entry by hand is seen as the setting being off.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, Wry};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_global_shortcut::{GlobalShortcutExt as _, ShortcutEvent, ShortcutState};

use crate::error::{IpcError, IpcResult};
use crate::shortcut::{self, Parsed, Refusal};
use crate::types::{DesktopSettings, DesktopView};

pub const MAIN: &str = "main";
pub const QUICK: &str = "quick";
/// Start flag: the main window stays hidden (the autostart entry passes it).
pub const HIDDEN_FLAG: &str = "--hidden";
/// Start flag: open the quick-access window (also sent to a running Keydeck, so a desktop
/// keyboard shortcut can run `keydeck-app --quick` where global shortcuts are not allowed).
pub const QUICK_FLAG: &str = "--quick";
/// The quick window learns it was shown (refresh, clear the search, focus it).
pub const QUICK_SHOWN_EVENT: &str = "quick-shown";

/// What `desktop.json` holds.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct Stored {
    pub close_to_tray: bool,
    /// As the user wrote it, in the canonical form; empty = no shortcut.
    pub shortcut: String,
}

impl Default for Stored {
    fn default() -> Self {
        Stored {
            close_to_tray: false,
            shortcut: shortcut::DEFAULT.to_owned(),
        }
    }
}

impl Stored {
    fn load(path: &std::path::Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn save(&self, path: &std::path::Path) -> Result<(), String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The desktop integration's state, managed beside `AppState`.
pub struct DesktopState {
    path: PathBuf,
    stored: Mutex<Stored>,
    /// The shortcut held now, if any.
    registered: Mutex<Option<Parsed>>,
    /// Why the stored shortcut is not held (one sentence), if it is not.
    shortcut_problem: Mutex<Option<String>>,
    /// The tray's first item, whose text says what it does now ("Show…" or "Hide Keydeck").
    toggle_item: Mutex<Option<MenuItem<Wry>>>,
}

impl DesktopState {
    pub fn new(path: PathBuf) -> Self {
        DesktopState {
            stored: Mutex::new(Stored::load(&path)),
            path,
            registered: Mutex::new(None),
            shortcut_problem: Mutex::new(None),
            toggle_item: Mutex::new(None),
        }
    }

    pub fn stored(&self) -> Stored {
        self.stored.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

// ---- windows ---------------------------------------------------------------------------------

fn window(app: &AppHandle, label: &str) -> Option<WebviewWindow> {
    app.get_webview_window(label)
}

pub fn show_main(app: &AppHandle) {
    if let Some(w) = window(app, MAIN) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
    sync_tray(app, true);
}

pub fn hide_main(app: &AppHandle) {
    if let Some(w) = window(app, MAIN) {
        let _ = w.hide();
    }
    sync_tray(app, false);
}

fn main_visible(app: &AppHandle) -> bool {
    window(app, MAIN).is_some_and(|w| w.is_visible().unwrap_or(false))
}

fn toggle_main(app: &AppHandle) {
    if main_visible(app) {
        hide_main(app);
    } else {
        show_main(app);
    }
}

/// The quick window, made the first time it is needed: a second web view costs memory, and most
/// sessions never open it. It is hidden, never closed, afterwards.
fn quick_window(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    if let Some(w) = window(app, QUICK) {
        return Ok(w);
    }
    WebviewWindowBuilder::new(app, QUICK, WebviewUrl::App("quick.html".into()))
        .title("Keydeck quick access")
        .inner_size(440.0, 380.0)
        .resizable(false)
        .decorations(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .center()
        .visible(false)
        .build()
}

pub fn show_quick(app: &AppHandle) {
    match quick_window(app) {
        Ok(w) => {
            let _ = w.center();
            let _ = w.show();
            let _ = w.set_focus();
            let _ = w.emit_to(QUICK, QUICK_SHOWN_EVENT, ());
        }
        Err(e) => eprintln!("note: the quick-access window could not open: {e}"),
    }
}

pub fn hide_quick(app: &AppHandle) {
    if let Some(w) = window(app, QUICK) {
        let _ = w.hide();
    }
}

/// The shortcut opens the quick window, or closes it when it is already up.
pub fn toggle_quick(app: &AppHandle) {
    let up = window(app, QUICK).is_some_and(|w| w.is_visible().unwrap_or(false));
    if up {
        hide_quick(app);
    } else {
        show_quick(app);
    }
}

/// The main window's close button: hides to the tray when the user chose that; otherwise the
/// app ends (the hidden quick window must not keep it running).
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    if window.label() != MAIN {
        return;
    }
    let app = window.app_handle();
    match event {
        tauri::WindowEvent::CloseRequested { api, .. }
            if app.state::<DesktopState>().stored().close_to_tray =>
        {
            api.prevent_close();
            hide_main(app);
        }
        tauri::WindowEvent::Destroyed => app.exit(0),
        _ => {}
    }
}

// ---- hiding while the screen is captured ----------------------------------------------------

/// A window that can be hidden and shown again (the app's windows; a fake in tests).
pub trait Showable {
    fn is_shown(&self) -> bool;
    fn set_shown(&self, shown: bool);
}

impl Showable for WebviewWindow {
    fn is_shown(&self) -> bool {
        self.is_visible().unwrap_or(false)
    }
    fn set_shown(&self, shown: bool) {
        let _ = if shown { self.show() } else { self.hide() };
    }
}

/// Windows hidden for a while: shown again when this is dropped, so they come back whatever
/// happens in between (an error, a panic unwinding).
pub struct HiddenWhile<W: Showable> {
    windows: Vec<W>,
}

impl<W: Showable> HiddenWhile<W> {
    /// Hides the windows that are shown; remembers only those.
    pub fn hide(windows: impl IntoIterator<Item = W>) -> Self {
        let windows: Vec<W> = windows.into_iter().filter(|w| w.is_shown()).collect();
        for w in &windows {
            w.set_shown(false);
        }
        HiddenWhile { windows }
    }

    pub fn any(&self) -> bool {
        !self.windows.is_empty()
    }
}

impl<W: Showable> Drop for HiddenWhile<W> {
    fn drop(&mut self) {
        for w in &self.windows {
            w.set_shown(true);
        }
    }
}

/// How long the windows below need to repaint what Keydeck covered, once it is hidden.
const REPAINT_WAIT: Duration = Duration::from_millis(350);

/// Runs `capture` with Keydeck's windows hidden, so a scan of the screen sees what is behind
/// them; the windows come back afterwards even if the capture fails.
pub fn without_windows<T>(app: &AppHandle, capture: impl FnOnce() -> T) -> T {
    let hidden = HiddenWhile::hide([MAIN, QUICK].into_iter().filter_map(|l| window(app, l)));
    if hidden.any() {
        // hide() only queues the request for the event loop: wait until the windows are gone,
        // then give what was under them a moment to repaint.
        for _ in 0..40 {
            if !hidden.windows.iter().any(Showable::is_shown) {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        std::thread::sleep(REPAINT_WAIT);
    }
    let out = capture();
    drop(hidden);
    if let Some(w) = window(app, MAIN) {
        let _ = w.set_focus();
    }
    out
}

// ---- tray ------------------------------------------------------------------------------------

/// What a tray menu item does. The menu event handler and the tests go through `from_id`, so the
/// ids in the menu and the actions cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    ShowHide,
    Lock,
    Quit,
}

impl TrayAction {
    pub const ALL: [TrayAction; 3] = [TrayAction::ShowHide, TrayAction::Lock, TrayAction::Quit];

    pub fn id(self) -> &'static str {
        match self {
            TrayAction::ShowHide => "show-hide",
            TrayAction::Lock => "lock",
            TrayAction::Quit => "quit",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// The tray's "Lock" and everything else that locks use one path: `lock_now` (key zeroized in
/// Rust, then the `vault-locked` event tells both windows).
pub fn tray_action(app: &AppHandle, action: TrayAction) {
    match action {
        TrayAction::ShowHide => toggle_main(app),
        TrayAction::Lock => crate::lock_now(app),
        TrayAction::Quit => app.exit(0),
    }
}

fn toggle_label(main_shown: bool) -> &'static str {
    if main_shown {
        "Hide Keydeck"
    } else {
        "Show Keydeck"
    }
}

/// `shown` is passed in, not asked of the window: show() and hide() are only queued for the
/// event loop, so the window may not say so yet.
fn sync_tray(app: &AppHandle, shown: bool) {
    if let Ok(item) = app.state::<DesktopState>().toggle_item.lock() {
        if let Some(item) = item.as_ref() {
            let _ = item.set_text(toggle_label(shown));
        }
    }
}

fn build_tray(app: &AppHandle, main_shown: bool) -> tauri::Result<()> {
    let toggle = MenuItem::with_id(
        app,
        TrayAction::ShowHide.id(),
        toggle_label(main_shown),
        true,
        None::<&str>,
    )?;
    let lock = MenuItem::with_id(app, TrayAction::Lock.id(), "Lock", true, None::<&str>)?;
    let quit = MenuItem::with_id(
        app,
        TrayAction::Quit.id(),
        "Quit Keydeck",
        true,
        None::<&str>,
    )?;
    let sep = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&toggle, &lock, &sep, &quit])?;
    let mut tray = TrayIconBuilder::with_id("keydeck")
        .tooltip("Keydeck")
        .menu(&menu)
        .on_menu_event(|app, event| {
            if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                tray_action(app, action);
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    if let Ok(mut slot) = app.state::<DesktopState>().toggle_item.lock() {
        *slot = Some(toggle);
    }
    Ok(())
}

// ---- the global shortcut ---------------------------------------------------------------------

/// The plugin's handler: every shortcut Keydeck holds opens the quick window.
pub fn on_shortcut(
    app: &AppHandle,
    _shortcut: &tauri_plugin_global_shortcut::Shortcut,
    event: ShortcutEvent,
) {
    if event.state == ShortcutState::Pressed {
        toggle_quick(app);
    }
}

/// The command a desktop keyboard shortcut can run instead (shown on Wayland).
fn quick_command() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "keydeck-app".to_owned());
    format!("{exe} {QUICK_FLAG}")
}

/// Lets go of the shortcut held now and takes `wanted` (nothing for `None`). Returns why the
/// desktop refused it, as the sentence Settings shows.
fn hold_shortcut(app: &AppHandle, wanted: Option<Parsed>) -> Option<String> {
    let state = app.state::<DesktopState>();
    let gs = app.global_shortcut();
    if let Ok(mut held) = state.registered.lock() {
        if let Some(old) = held.take() {
            let _ = gs.unregister(old.shortcut);
        }
    }
    let wanted = wanted?;
    let env = |k: &str| std::env::var(k).ok();
    let refusal = match shortcut::session_refusal(
        env("WAYLAND_DISPLAY").as_deref(),
        env("XDG_SESSION_TYPE").as_deref(),
        env("DISPLAY").as_deref(),
        &quick_command(),
    ) {
        Some(r) => Some(r),
        None => match gs.register(wanted.shortcut) {
            Ok(()) => {
                if let Ok(mut held) = state.registered.lock() {
                    *held = Some(wanted);
                }
                None
            }
            Err(e) if e.to_string().contains("already registered") => Some(Refusal::Taken),
            Err(e) => Some(Refusal::Other(e.to_string())),
        },
    };
    refusal.map(|r| shortcut::refusal_sentence(&wanted.label(), &r))
}

fn apply_shortcut(app: &AppHandle, text: &str) {
    // A stored shortcut that no longer parses (edited by hand) is reported like a refusal.
    let problem = match shortcut::parse(text) {
        Ok(p) => hold_shortcut(app, p),
        Err(e) => {
            hold_shortcut(app, None);
            Some(e)
        }
    };
    if let Ok(mut slot) = app.state::<DesktopState>().shortcut_problem.lock() {
        *slot = problem;
    }
}

// ---- settings --------------------------------------------------------------------------------

fn autostart_enabled(app: &AppHandle) -> bool {
    app.autolaunch().is_enabled().unwrap_or(false)
}

/// What Settings shows.
pub fn view(app: &AppHandle) -> DesktopView {
    let state = app.state::<DesktopState>();
    let stored = state.stored();
    DesktopView {
        close_to_tray: stored.close_to_tray,
        autostart: autostart_enabled(app),
        shortcut: stored.shortcut,
        shortcut_problem: state.shortcut_problem.lock().ok().and_then(|p| p.clone()),
        autostart_problem: None,
    }
}

/// Checks, applies at once (the shortcut is re-registered, the autostart entry written or
/// removed) and saves. A bad shortcut is an error and changes nothing; a refused one is saved
/// and reported in the view, as at start.
pub fn update(app: &AppHandle, wanted: DesktopSettings) -> IpcResult<DesktopView> {
    let parsed = shortcut::parse(&wanted.shortcut).map_err(IpcError::bad_input)?;
    let state = app.state::<DesktopState>();
    let next = Stored {
        close_to_tray: wanted.close_to_tray,
        shortcut: parsed.map(|p| p.label()).unwrap_or_default(),
    };
    let before = state.stored();
    next.save(&state.path).map_err(|e| {
        IpcError::other(format!("Keydeck could not save the desktop settings: {e}"))
    })?;
    if let Ok(mut s) = state.stored.lock() {
        *s = next.clone();
    }
    let held = state.registered.lock().ok().and_then(|h| *h);
    if before.shortcut != next.shortcut || held.is_none() {
        apply_shortcut(app, &next.shortcut);
    }
    let mut autostart_problem = None;
    if wanted.autostart != autostart_enabled(app) {
        let al = app.autolaunch();
        let done = if wanted.autostart {
            al.enable()
        } else {
            al.disable()
        };
        if let Err(e) = done {
            autostart_problem = Some(format!(
                "Keydeck could not change the desktop's startup programs: {e}"
            ));
        }
    }
    Ok(DesktopView {
        autostart_problem,
        ..view(app)
    })
}

/// At start: tray, shortcut, hidden start, `--quick`.
pub fn setup(app: &AppHandle, args: &[String]) {
    let hidden = args.iter().any(|a| a == HIDDEN_FLAG);
    if hidden {
        if let Some(w) = window(app, MAIN) {
            let _ = w.hide();
        }
    }
    if let Err(e) = build_tray(app, !hidden) {
        // Not fatal: without a tray the window and the shortcut still work.
        eprintln!("note: no tray icon: {e}");
    }
    apply_shortcut(app, &app.state::<DesktopState>().stored().shortcut);
    if args.iter().any(|a| a == QUICK_FLAG) {
        show_quick(app);
    }
}

/// A second start of Keydeck (the desktop's shortcut, the menu entry) reaches the running one.
pub fn on_second_start(app: &AppHandle, args: &[String]) {
    if args.iter().any(|a| a == QUICK_FLAG) {
        toggle_quick(app);
    } else {
        show_main(app);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    #[derive(Clone)]
    struct FakeWindow(Rc<Cell<bool>>);

    impl Showable for FakeWindow {
        fn is_shown(&self) -> bool {
            self.0.get()
        }
        fn set_shown(&self, shown: bool) {
            self.0.set(shown);
        }
    }

    fn fake(shown: bool) -> FakeWindow {
        FakeWindow(Rc::new(Cell::new(shown)))
    }

    #[test]
    fn windows_are_hidden_during_and_back_after() {
        let (main, quick) = (fake(true), fake(true));
        let seen = {
            let _h = HiddenWhile::hide([main.clone(), quick.clone()]);
            (main.is_shown(), quick.is_shown())
        };
        assert_eq!(seen, (false, false), "hidden while capturing");
        assert!(main.is_shown() && quick.is_shown(), "shown again after");
    }

    #[test]
    fn a_window_that_was_hidden_stays_hidden() {
        let (main, quick) = (fake(true), fake(false));
        let h = HiddenWhile::hide([main.clone(), quick.clone()]);
        assert!(h.any());
        drop(h);
        assert!(main.is_shown());
        assert!(
            !quick.is_shown(),
            "the quick window was not up: it is not shown by a scan"
        );
        assert!(!HiddenWhile::hide([fake(false)]).any());
    }

    #[test]
    fn windows_come_back_when_the_capture_fails_or_panics() {
        let main = fake(true);
        let failed: Result<(), &str> = {
            let _h = HiddenWhile::hide([main.clone()]);
            Err("the X server refused the capture")
        };
        assert!(failed.is_err());
        assert!(main.is_shown());

        let m = main.clone();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let _h = HiddenWhile::hide([m]);
            panic!("capture crashed");
        }));
        assert!(r.is_err());
        assert!(main.is_shown(), "shown again while unwinding");
    }

    #[test]
    fn tray_ids_map_to_their_actions_and_nothing_else() {
        for a in TrayAction::ALL {
            assert_eq!(TrayAction::from_id(a.id()), Some(a));
        }
        assert_eq!(TrayAction::from_id("lock"), Some(TrayAction::Lock));
        assert_eq!(TrayAction::from_id("quit"), Some(TrayAction::Quit));
        assert_eq!(TrayAction::from_id("unlock"), None);
        assert_eq!(TrayAction::from_id(""), None);
    }

    #[test]
    fn the_first_tray_item_says_what_it_will_do() {
        assert_eq!(toggle_label(true), "Hide Keydeck");
        assert_eq!(toggle_label(false), "Show Keydeck");
    }

    #[test]
    fn desktop_settings_default_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config").join("desktop.json");
        let fresh = Stored::load(&path);
        assert_eq!(fresh, Stored::default());
        assert!(
            !fresh.close_to_tray,
            "closing quits unless the user asks otherwise"
        );
        assert_eq!(fresh.shortcut, "Ctrl+Alt+K");

        let mine = Stored {
            close_to_tray: true,
            shortcut: String::new(),
        };
        mine.save(&path).unwrap();
        assert_eq!(Stored::load(&path), mine, "an empty shortcut stays off");

        // A file from an older version (or edited by hand) keeps what it has and defaults the rest.
        std::fs::write(&path, r#"{"closeToTray": true}"#).unwrap();
        let partial = Stored::load(&path);
        assert!(partial.close_to_tray);
        assert_eq!(partial.shortcut, "Ctrl+Alt+K");
        std::fs::write(&path, "not json").unwrap();
        assert_eq!(Stored::load(&path), Stored::default());
    }
}
