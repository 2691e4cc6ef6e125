//! The app's own commands are permission-gated like plugin commands: each must be granted in
//! capabilities/default.json, so the list there is the explicit surface of the web view.
fn main() {
    const COMMANDS: &[&str] = &[
        "activity",
        "vault_status",
        "vault_create",
        "vault_unlock",
        "vault_unlock_prepare",
        "vault_lock",
        "master_password_change",
        "vault_unlock_keychain",
        "keychain_status",
        "keychain_enable",
        "keychain_disable",
        "accounts_list",
        "account_get",
        "account_add",
        "account_update",
        "account_remove",
        "password_set",
        "password_generate_and_set",
        "password_reveal",
        "password_copy",
        "codes_now",
        "code_copy",
        "hotp_next",
        "otp_save",
        "otp_save_scanned",
        "otp_remove",
        "otp_qr_svg",
        "scan_file",
        "scan_bytes",
        "scan_clipboard",
        "scan_screen",
        "recovery_add",
        "recovery_reveal",
        "recovery_copy",
        "recovery_mark_used",
        "settings_get",
        "settings_set",
        "events_list",
        "import_file",
        "export_file",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri build failed: {e}"));
}
