//! What crosses the IPC boundary. Generated into TypeScript (`ui/src/lib/bindings/`) by ts-rs;
//! `make test` fails if the committed bindings are stale. No type here carries a secret except
//! the explicit reveal commands' plain `String` results.

use keydeck_core::security::SecurityLevel;
use keydeck_core::{Account, Algorithm, OtpKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VaultStatus {
    pub exists: bool,
    pub unlocked: bool,
    pub path: String,
    /// Keychain unlock is turned on (the vault has a keychain slot).
    pub keychain: bool,
}

/// An account added in one step with its authenticator.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedAccount {
    pub id: String,
    /// The name it was saved under (taken from the QR code's issuer when none was typed).
    pub name: String,
    /// About the key (short, unusual settings); never the key itself.
    pub warnings: Vec<String>,
}

/// What `code_copy` put on the clipboard (never the code itself).
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeCopied {
    /// The current code had under 5 s left, so the next one was copied.
    pub next: bool,
    /// Seconds the current code had left (TOTP/Steam).
    #[ts(type = "number | null")]
    pub remaining: Option<u64>,
}

/// Keychain unlock as the settings page shows it.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeychainState {
    pub enabled: bool,
    /// The key is in the keychain and opens the vault.
    pub works: bool,
    /// Why it does not work, when enabled; one line, no secret.
    pub problem: Option<String>,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MfaInfo {
    pub kind: OtpKindW,
    pub algorithm: Alg,
    pub digits: u8,
    pub period: Option<u32>,
    #[ts(type = "number | null")]
    pub counter: Option<u64>,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountCard {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub username: String,
    pub url: String,
    pub tags: Vec<String>,
    pub icon: String,
    pub has_password: bool,
    pub mfa: Option<MfaInfo>,
    pub recovery_unused: u32,
    pub recovery_used: u32,
    pub level: u8,
    pub level_max: u8,
    #[ts(type = "number")]
    pub updated_at: i64,
    /// Pinned on top of the grid.
    pub favourite: bool,
}

/// An account in the Trash, as the Trash screen lists it: no secret.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrashEntry {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub username: String,
    #[ts(type = "number")]
    pub deleted_at: i64,
    /// When it is deleted for good (Unix seconds).
    #[ts(type = "number")]
    pub purge_at: i64,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Milestone {
    pub id: String,
    pub label: String,
    pub met: bool,
    pub reason: Option<String>,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecoveryItem {
    /// Position in the saved list (0-based; the UI shows `index + 1`). No character of the
    /// code crosses to the web view until the user reveals it.
    pub index: u32,
    #[ts(type = "number | null")]
    pub used_at: Option<i64>,
}

/// A revealed recovery code, after the master password was given again.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RevealedCode {
    pub index: u32,
    pub code: String,
}

/// The one strength estimate (core `security::strength`), as the meter shows it.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordStrength {
    /// zxcvbn score, 0–4.
    pub score: u8,
    /// "Very weak" … "Strong".
    pub label: String,
    /// Good enough for its purpose (score 3+ for an account, 4 for the master password).
    pub good: bool,
    /// Why, in sentences: zxcvbn's warning and suggestions, and reuse in the vault.
    pub reasons: Vec<String>,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryItem {
    #[ts(type = "number")]
    pub retired_at: i64,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountDetail {
    #[serde(flatten)]
    #[ts(flatten)]
    pub card: AccountCard,
    pub notes: String,
    #[ts(type = "number | null")]
    pub password_changed_at: Option<i64>,
    pub password_history: Vec<HistoryItem>,
    pub milestones: Vec<Milestone>,
    pub recovery: Vec<RecoveryItem>,
    #[ts(type = "number")]
    pub created_at: i64,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CodeView {
    pub id: String,
    pub code: String,
    #[ts(type = "number | null")]
    pub remaining: Option<u64>,
    pub period: Option<u32>,
    pub next: String,
    #[ts(type = "number | null")]
    pub counter: Option<u64>,
}

#[derive(Deserialize, TS, Clone, Copy)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OtpSettings {
    pub kind: OtpKindW,
    pub algorithm: Alg,
    pub digits: u8,
    pub period: u32,
    #[ts(type = "number")]
    pub counter: u64,
}

/// `totp` | `hotp` | `steam` on the wire.
#[derive(Serialize, Deserialize, TS, Clone, Copy)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "OtpKind", rename_all = "lowercase")]
pub enum OtpKindW {
    Totp,
    Hotp,
    Steam,
}

#[derive(Serialize, Deserialize, TS, Clone, Copy)]
#[ts(export, rename = "Algorithm")]
pub enum Alg {
    #[serde(rename = "SHA1")]
    #[ts(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA256")]
    #[ts(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA512")]
    #[ts(rename = "SHA512")]
    Sha512,
}

impl OtpSettings {
    pub fn to_core(self) -> keydeck_core::otp::OtpSettings {
        keydeck_core::otp::OtpSettings {
            kind: match self.kind {
                OtpKindW::Totp => OtpKind::Totp,
                OtpKindW::Hotp => OtpKind::Hotp,
                OtpKindW::Steam => OtpKind::Steam,
            },
            algorithm: match self.algorithm {
                Alg::Sha1 => Algorithm::Sha1,
                Alg::Sha256 => Algorithm::Sha256,
                Alg::Sha512 => Algorithm::Sha512,
            },
            digits: self.digits,
            period: self.period,
            counter: self.counter,
        }
    }
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedCode {
    pub code: CodeView,
    pub warnings: Vec<String>,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScanFound {
    pub index: u32,
    pub name: String,
    pub issuer: String,
    pub account: String,
    pub kind: OtpKindW,
    pub digits: u8,
    pub period: Option<u32>,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScanResult {
    pub source: String,
    /// Authenticators found; their secrets stay in the app until one is saved.
    pub found: Vec<ScanFound>,
    /// Payloads of codes that are not authenticators.
    pub other: Vec<String>,
    /// Authenticator codes that could not be used, and why.
    pub problems: Vec<String>,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecoveryAdded {
    pub added: u32,
    pub duplicates: u32,
    pub ignored_lines: Vec<u32>,
    pub unused: u32,
    pub used: u32,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EventView {
    pub id: String,
    #[ts(type = "number")]
    pub at: i64,
    pub what: String,
    pub description: String,
    pub account_id: Option<String>,
    pub account: String,
    pub detail: String,
}

#[derive(Serialize, Deserialize, TS, Clone)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Settings {
    pub auto_lock_minutes: u32,
    pub clipboard_clear_seconds: u32,
    pub theme: Theme,
}

#[derive(Serialize, Deserialize, TS, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename_all = "lowercase")]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_lock_minutes: 5,
            clipboard_clear_seconds: 30,
            theme: Theme::System,
        }
    }
}

#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountInput {
    pub name: String,
    pub issuer: String,
    pub username: String,
    pub url: String,
    pub notes: String,
    pub tags: Vec<String>,
}

/// What a file to import is, recognised from its content (before any password).
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportInspect {
    /// The format's name, as `keydeck import --format` takes it.
    pub format: String,
    /// "Aegis backup, encrypted".
    pub description: String,
    pub encrypted: bool,
    /// KeePass files may need a key file.
    pub takes_keyfile: bool,
}

/// One account of a file to import, as the preview lists it (no secret: flags and counts).
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportItem {
    pub label: String,
    pub name: String,
    pub issuer: String,
    pub username: String,
    pub url: String,
    pub tags: Vec<String>,
    pub has_password: bool,
    /// "totp", "hotp" or "steam" when the entry has an authenticator.
    pub otp: Option<String>,
    pub recovery_codes: u32,
}

/// What an import would do. Nothing has changed yet; `import_confirm` adds `to_add`.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub description: String,
    pub to_add: Vec<ImportItem>,
    pub duplicates: Vec<ImportItem>,
    /// Entries that cannot be imported, each with the reason.
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
}

/// An export format as the export dialog offers it.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportFormatInfo {
    pub name: String,
    pub label: String,
    /// What the file holds, with "UNENCRYPTED" where it is.
    pub description: String,
    /// Needs a password of its own.
    pub encrypted: bool,
    /// The file name extension to suggest.
    pub extension: String,
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportSummary {
    pub accounts: u32,
    /// Accounts the chosen format cannot hold, with the reason.
    pub skipped: Vec<String>,
    pub description: String,
}

#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordOptions {
    pub length: u32,
    pub lowercase: bool,
    pub uppercase: bool,
    pub digits: bool,
    pub symbols: bool,
    pub avoid_ambiguous: bool,
}

pub fn kind_w(k: OtpKind) -> OtpKindW {
    match k {
        OtpKind::Totp => OtpKindW::Totp,
        OtpKind::Hotp => OtpKindW::Hotp,
        OtpKind::Steam => OtpKindW::Steam,
    }
}

pub fn alg_w(a: Algorithm) -> Alg {
    match a {
        Algorithm::Sha1 => Alg::Sha1,
        Algorithm::Sha256 => Alg::Sha256,
        Algorithm::Sha512 => Alg::Sha512,
    }
}

pub fn card(a: &Account, level: &SecurityLevel) -> AccountCard {
    let (unused, used) = a.recovery_counts();
    AccountCard {
        id: a.id.to_string(),
        name: a.name.clone(),
        issuer: a.issuer.clone(),
        username: a.username.clone(),
        url: a.url.clone(),
        tags: a.tags.clone(),
        icon: a.icon.clone(),
        has_password: !a.password.is_empty(),
        mfa: a.otp.as_ref().map(|o| MfaInfo {
            kind: kind_w(o.kind),
            algorithm: alg_w(o.algorithm),
            digits: o.digits,
            period: (o.kind != OtpKind::Hotp).then_some(o.period),
            counter: (o.kind == OtpKind::Hotp).then_some(o.counter),
        }),
        recovery_unused: unused as u32,
        recovery_used: used as u32,
        level: level.level,
        level_max: level.max,
        updated_at: a.updated_at,
        favourite: a.favourite,
    }
}

pub fn code_view(id: &str, c: keydeck_core::otp::Code) -> CodeView {
    CodeView {
        id: id.to_owned(),
        code: c.code,
        remaining: c.remaining,
        period: c.period,
        next: c.next,
        counter: c.counter,
    }
}

/// One backup file in the backup folder.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupItem {
    pub path: String,
    pub name: String,
    /// When it was made (Unix seconds, UTC).
    #[ts(type = "number")]
    pub at: i64,
    #[ts(type = "number")]
    pub size: u64,
}

/// Settings → Backups: the settings (kept inside the vault, encrypted) and the folder's state.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupView {
    pub dir: String,
    pub keep: u32,
    pub auto: bool,
    /// The last successful backup (Unix seconds).
    #[ts(type = "number | null")]
    pub last_at: Option<i64>,
    /// Why the last automatic backup failed, if it did (the change itself was kept).
    pub last_error: Option<String>,
    /// A change is not backed up yet.
    pub pending: bool,
    /// Newest first.
    pub backups: Vec<BackupItem>,
}

#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupSettingsInput {
    pub dir: String,
    pub keep: u32,
    pub auto: bool,
}

/// What a backup file holds, once its master password opened it.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreInfo {
    /// When the backup was made (Unix seconds), from its name or the file's time.
    #[ts(type = "number | null")]
    pub at: Option<i64>,
    pub accounts: u32,
}

/// Settings → Desktop, as the user sets it.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DesktopSettings {
    /// The main window's close button hides Keydeck to the tray instead of quitting.
    pub close_to_tray: bool,
    /// Start with the desktop session, hidden in the tray.
    pub autostart: bool,
    /// The quick-access shortcut ("Ctrl+Alt+K"); empty turns it off.
    pub shortcut: String,
}

/// Settings → Desktop as it is now, with what the desktop refused (one sentence each).
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DesktopView {
    pub close_to_tray: bool,
    pub autostart: bool,
    /// In one canonical form ("Ctrl+Alt+K"); empty when off.
    pub shortcut: String,
    /// Why the shortcut does not work, e.g. on Wayland or when another app holds it.
    pub shortcut_problem: Option<String>,
    /// Why the autostart entry could not be written or removed (only right after a change).
    pub autostart_problem: Option<String>,
}
