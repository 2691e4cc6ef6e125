//! The Keydeck desktop binary. Everything of the app is in `keydeck-desktop` (desktop/): this
//! crate holds only what has to be in the binary's own crate — the Tauri context (config,
//! embedded UI, command permissions) that build.rs prepares. Keeping it this small lets it be
//! compiled at opt-level 3 without growing the binary (see the release profile in Cargo.toml).
#![forbid(unsafe_code)]
// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    keydeck_desktop::run(tauri::generate_context!());
}
