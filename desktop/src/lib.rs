//! Keydeck desktop app: Tauri 2 over keydeck-core. Commands are thin adapters (src/commands);
//! the web UI (ui/) talks to them through ui/src/lib/ipc.ts only. The binary (src-tauri/) calls
//! [`run`] with the Tauri context it generates.
#![forbid(unsafe_code)]

mod clipboard;
mod commands;
mod error;
mod idle;
mod picker;
mod rendering;
mod settings_file;
mod shell;
mod shortcut;
mod state;
mod types;
mod vault_folder;

use std::path::PathBuf;
use std::time::Duration;

use keydeck_core::session_lock;
use tauri::{Emitter, Manager};

use commands::{
    accounts, backup, desktop, details, keychain, otp, recovery, scan, settings, strength,
    transfer, trash, vault,
};
use state::AppState;

/// `KEYDECK_VAULT`, as for the CLI, else the OS data dir.
fn vault_path() -> PathBuf {
    std::env::var_os("KEYDECK_VAULT")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("keydeck").join("vault.sqlite")))
        .unwrap_or_else(|| PathBuf::from("keydeck-vault.sqlite"))
}

/// `KEYDECK_CONFIG_DIR` (tests), else the OS config dir.
fn settings_path() -> PathBuf {
    std::env::var_os("KEYDECK_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|d| d.join("keydeck")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("settings.json")
}

/// Tray, shortcut and autostart settings: beside settings.json (see `shell` for why).
fn desktop_settings_path() -> PathBuf {
    settings_path().with_file_name("desktop.json")
}

/// The user did something in the window (mouse, keys): postpones auto-lock.
#[tauri::command]
fn activity(state: tauri::State<'_, AppState>) {
    state.touch();
}

/// Locks after the configured idle minutes, once per idle period, and tells the UI to drop what
/// it shows. Sleeps until the next moment a lock could be due (see `idle`), not on a fixed tick.
/// `KEYDECK_AUTO_LOCK_SECONDS` overrides the setting (the end-to-end tests wait seconds, not
/// minutes).
fn auto_lock(app: tauri::AppHandle) {
    let override_secs = std::env::var("KEYDECK_AUTO_LOCK_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0);
    let handle = app.clone();
    let spawned = std::thread::Builder::new()
        .name("auto-lock".into())
        .spawn(move || loop {
            let state = app.state::<AppState>();
            state.expire_kdf_memory(state::KDF_MEMORY_KEPT);
            let secs =
                override_secs.unwrap_or_else(|| u64::from(state.settings().auto_lock_minutes) * 60);
            let step = state.lock_if_idle(Duration::from_secs(secs));
            if step.lock {
                notify_locked(&app);
            }
            std::thread::park_timeout(step.sleep);
        });
    match spawned {
        Ok(thread) => {
            let _ = handle
                .state::<AppState>()
                .idle_thread
                .set(thread.thread().clone());
        }
        Err(e) => eprintln!("warning: the auto-lock timer could not start ({e})"),
    }
}

/// Automatic backups (issue 10): a change is backed up at most once a minute, by the core's
/// rule (`Vault::auto_backup_if_due`). The check is cheap (one small record), so a few seconds
/// between checks costs nothing while idle. It never touches the idle timer, and a failure is
/// shown to the user (an event for a toast, and in Settings → Backups), never thrown.
/// `KEYDECK_BACKUP_MIN_INTERVAL` (seconds) shortens the minute for tests, as in the CLI.
fn auto_backup(app: tauri::AppHandle) {
    let min = std::env::var("KEYDECK_BACKUP_MIN_INTERVAL")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(Duration::from_secs(60), Duration::from_secs);
    std::thread::spawn(move || {
        let mut last_warning: Option<String> = None;
        loop {
            std::thread::sleep(Duration::from_secs(2));
            let state = app.state::<AppState>();
            let outcome = match state.vault.lock() {
                Ok(mut slot) => match &mut *slot {
                    state::VaultSlot::Unlocked(v) => Some(v.auto_backup_if_due_after(min)),
                    state::VaultSlot::Locked(_) => None,
                },
                Err(_) => None,
            };
            let Some(outcome) = outcome else { continue };
            if let keydeck_core::AutoBackup::Done(_) = outcome {
                last_warning = None;
                let _ = app.emit("backup-done", ());
            }
            if let Some(w) = outcome.warning() {
                // Said once per distinct problem, not every two seconds.
                if last_warning.as_deref() != Some(w.as_str()) {
                    let _ = app.emit("backup-warning", w.clone());
                    last_warning = Some(w);
                }
            }
        }
    });
}

/// Locks (key and records zeroized in Rust) and tells the UI to forget every account.
pub(crate) fn lock_now(app: &tauri::AppHandle) {
    if app.state::<AppState>().lock() {
        notify_locked(app);
    }
}

/// After a lock (by hand, by the OS or by the idle timer): the UI forgets every account.
fn notify_locked(app: &tauri::AppHandle) {
    let _ = app.emit("vault-locked", ());
}

/// Locks when the system suspends, the session locks or the screensaver starts.
fn lock_on_os_signals(app: tauri::AppHandle) {
    let problems = session_lock::watch(session_lock::Buses::default(), move |_reason| {
        lock_now(&app);
    });
    for p in problems {
        // Not fatal (e.g. no system bus in a container): the idle timer and Ctrl+L still lock.
        eprintln!("note: {p}");
    }
}

/// Runs the app until its window closes.
pub fn run(context: tauri::Context) {
    // The image decoder child (keydeck_core::qr::isolate): this binary started again to decode
    // one image out of process, so that a decoder that panics (the release build aborts), loops
    // or eats memory on a crafted image ends that child, not the app.
    if std::env::args_os().nth(1).as_deref() == Some(keydeck_core::qr::isolate::CHILD_ARG.as_ref())
    {
        std::process::exit(i32::from(keydeck_core::qr::isolate::child_main()));
    }
    match std::env::current_exe() {
        Ok(exe) => keydeck_core::qr::isolate::use_child_process(exe),
        Err(e) => eprintln!("warning: images will be decoded in process ({e})"),
    }
    // Before anything secret exists in memory: no core dump may ever hold the vault key.
    for problem in keydeck_core::hardening::disable_core_dumps() {
        eprintln!("warning: {problem}");
    }
    // Still single-threaded: the only moment an environment variable may be set.
    rendering::choose();
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            // A second start brings the running window forward instead of opening the vault
            // twice (or, with --quick, opens the quick-access window).
            shell::on_second_start(app, &args);
        }))
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_denylist(&[shell::QUICK])
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(
            tauri_plugin_global_shortcut::Builder::new()
                .with_handler(shell::on_shortcut)
                .build(),
        )
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .args([shell::HIDDEN_FLAG])
                .build(),
        )
        // Used from Rust only (open_website); the web view is granted none of its commands.
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::new(vault_path(), settings_path()))
        .manage(shell::DesktopState::new(desktop_settings_path()))
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                if window.label() == shell::MAIN {
                    picker::on_drag_drop(window.app_handle(), drop);
                }
            }
            shell::on_window_event(window, event);
        })
        .setup(|app| {
            rendering::steady_caret();
            vault_folder::tighten_default();
            shell::setup(app.handle(), &std::env::args().collect::<Vec<_>>());
            auto_lock(app.handle().clone());
            auto_backup(app.handle().clone());
            lock_on_os_signals(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            activity,
            vault::vault_status,
            vault::vault_create,
            vault::vault_unlock,
            vault::vault_unlock_prepare,
            vault::vault_lock,
            vault::master_password_change,
            keychain::vault_unlock_keychain,
            keychain::keychain_status,
            keychain::keychain_enable,
            keychain::keychain_disable,
            accounts::accounts_list,
            accounts::account_get,
            accounts::account_add,
            accounts::account_update,
            accounts::account_remove,
            accounts::password_set,
            accounts::password_generate_and_set,
            accounts::password_reveal,
            accounts::password_copy,
            details::open_website,
            details::username_copy,
            otp::codes_now,
            otp::code_copy,
            otp::hotp_next,
            otp::otp_save,
            otp::otp_save_scanned,
            otp::account_add_with_otp,
            otp::otp_remove,
            otp::otp_qr_svg,
            scan::scan_choose,
            scan::scan_dropped,
            scan::scan_bytes,
            scan::scan_clipboard,
            scan::scan_screen,
            recovery::recovery_add,
            recovery::recovery_reveal,
            recovery::recovery_copy,
            recovery::recovery_mark_used,
            recovery::recovery_unmark,
            recovery::recovery_replace,
            recovery::recovery_reveal_all,
            recovery::recovery_copy_all,
            recovery::recovery_print,
            strength::password_strength,
            settings::settings_get,
            settings::settings_set,
            settings::settings_notice_take,
            settings::events_list,
            transfer::import_choose,
            transfer::import_choose_keyfile,
            transfer::import_inspect,
            transfer::import_preview,
            transfer::import_confirm,
            transfer::import_cancel,
            transfer::export_formats,
            transfer::export_choose_and_write,
            desktop::desktop_settings_get,
            desktop::desktop_settings_set,
            desktop::quick_hide,
            desktop::main_show,
            backup::backup_get,
            backup::backup_set,
            backup::backup_now,
            backup::backup_choose_folder,
            backup::restore_choose,
            backup::restore_inspect,
            backup::restore_apply,
            trash::trash_list,
            trash::trash_restore,
            trash::trash_delete,
            trash::trash_empty,
            trash::account_favourite,
        ])
        .build(context)
        .unwrap_or_else(|e| {
            eprintln!("error: Keydeck could not start: {e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Quitting: a copied secret must not outlive the app (on X11 it would otherwise
                // be handed to a clipboard manager). Something the user copied since stays.
                let _ = app.state::<AppState>().clipboard.clear_if_ours();
            }
        });
}
