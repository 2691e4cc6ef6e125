//! Settings → Import and Export (issue 10). An import is three steps: inspect (what the file is,
//! from its content), preview (read with its password; what would be added, what is already
//! saved, every problem: nothing changes), confirm (one transaction). The file read at preview
//! waits in the app state, so the password is typed once; a lock forgets it.

use keydeck_core::export::{export, ExportFormat};
use keydeck_core::import::{self, FileKey, Imported, Input};
use keydeck_core::{EventWhat, ImportPlan, LockedVault, OtpKind, SecretBytes, SecretText};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::{ExportFormatInfo, ExportSummary, ImportInspect, ImportItem, ImportPreview};

/// A previewed import waiting for the user's yes.
pub struct PendingImport {
    path: String,
    description: String,
    plan: ImportPlan,
    epoch: u64,
}

fn read_bytes(path: &str) -> IpcResult<Vec<u8>> {
    Ok(Input::read_file(std::path::Path::new(path))?)
}

#[tauri::command]
pub fn import_inspect(state: State<'_, AppState>, path: String) -> IpcResult<ImportInspect> {
    state.touch();
    let input = Input::new(read_bytes(&path)?)?;
    let (format, detected) = import::detect(&input)?;
    Ok(ImportInspect {
        format: format.name().to_owned(),
        description: import::describe(format, detected.encrypted),
        encrypted: detected.encrypted,
        takes_keyfile: format.name() == "kdbx",
    })
}

fn item(i: &Imported) -> ImportItem {
    ImportItem {
        label: i.label(),
        name: i.display_name(),
        issuer: i.issuer.clone(),
        username: i.username.clone(),
        url: i.url.clone(),
        tags: i.tags.clone(),
        has_password: i.password.as_ref().is_some_and(|p| !p.is_empty()),
        otp: i.otp.as_ref().map(|o| {
            match o.kind {
                OtpKind::Totp => "totp",
                OtpKind::Hotp => "hotp",
                OtpKind::Steam => "steam",
            }
            .to_owned()
        }),
        recovery_codes: i.recovery.len() as u32,
    }
}

/// Reads the file (with its password and key file when it has them) and says what an import
/// would do. A wrong password is a `wrong_password` error; the dialog keeps asking.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    path: String,
    file_password: Option<String>,
    keyfile: Option<String>,
) -> IpcResult<ImportPreview> {
    let epoch = state.epoch();
    let key = FileKey {
        password: file_password.filter(|p| !p.is_empty()).map(SecretText::new),
        keyfile: keyfile
            .filter(|k| !k.is_empty())
            .map(|k| read_bytes(&k).map(SecretBytes::new))
            .transpose()?,
    };
    let file = import::read(read_bytes(&path)?, None, &key)?;
    let description = file.describe();
    let file_problems = file.problems;
    let accounts = file.accounts;
    state.with_vault(|v| {
        let plan = v.plan_import(accounts);
        let mut problems = file_problems;
        problems.extend(plan.problems.iter().cloned());
        let preview = ImportPreview {
            description: description.clone(),
            to_add: plan.to_add.iter().map(item).collect(),
            duplicates: plan.duplicates.iter().map(item).collect(),
            problems,
            warnings: plan
                .to_add
                .iter()
                .flat_map(|i| {
                    let l = i.label();
                    i.warnings.iter().map(move |w| format!("{l}: {w}"))
                })
                .collect(),
        };
        *state
            .pending_import
            .lock()
            .map_err(|_| IpcError::internal())? = Some(PendingImport {
            path,
            description,
            plan,
            epoch,
        });
        Ok(preview)
    })
}

/// Adds what the preview listed under "to add", in one transaction. Returns how many.
#[tauri::command]
pub fn import_confirm(state: State<'_, AppState>, path: String) -> IpcResult<u32> {
    let pending = state
        .pending_import
        .lock()
        .map_err(|_| IpcError::internal())?
        .take()
        .filter(|p| p.path == path && p.epoch == state.epoch())
        .ok_or_else(|| IpcError::bad_input("There is nothing to import. Choose the file again."))?;
    state.with_vault(|v| {
        let ids = v.import_accounts(pending.plan.to_add, &pending.description)?;
        Ok(ids.len() as u32)
    })
}

#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) {
    if let Ok(mut p) = state.pending_import.lock() {
        *p = None;
    }
}

fn label(f: ExportFormat) -> &'static str {
    match f {
        ExportFormat::AegisEncrypted => "Aegis vault, encrypted",
        ExportFormat::Kdbx => "KeePass database (KDBX 4)",
        ExportFormat::Pdf => "Emergency kit (PDF, to print)",
        ExportFormat::Aegis => "Aegis vault, unencrypted",
        ExportFormat::Otpauth => "otpauth:// links, unencrypted",
        ExportFormat::GoogleMigration => "Google Authenticator transfer links, unencrypted",
    }
}

fn extension(f: ExportFormat) -> &'static str {
    match f {
        ExportFormat::AegisEncrypted | ExportFormat::Aegis => "json",
        ExportFormat::Kdbx => "kdbx",
        ExportFormat::Pdf => "pdf",
        ExportFormat::Otpauth | ExportFormat::GoogleMigration => "txt",
    }
}

#[tauri::command]
pub fn export_formats() -> Vec<ExportFormatInfo> {
    ExportFormat::ALL
        .into_iter()
        .map(|f| ExportFormatInfo {
            name: f.name().to_owned(),
            label: label(f).to_owned(),
            description: f.describe().to_owned(),
            encrypted: f.encrypted(),
            extension: extension(f).to_owned(),
        })
        .collect()
}

/// Writes the export (0600, never over an existing file) after the master password was given
/// again: exporting takes every secret out at once, so the keychain alone is not enough.
#[tauri::command]
pub async fn export_file(
    state: State<'_, AppState>,
    path: String,
    format: String,
    master_password: String,
    file_password: Option<String>,
) -> IpcResult<ExportSummary> {
    let format = ExportFormat::parse(&format)?;
    let master = SecretText::new(master_password);
    LockedVault::open(&state.vault_path)?.unlock_with_password(&master)?;
    let file_password = file_password.filter(|p| !p.is_empty()).map(SecretText::new);
    state.with_vault(|v| {
        let accounts: Vec<&keydeck_core::Account> = v.accounts().collect();
        let out = export(&accounts, format, file_password.as_ref())?;
        drop(accounts);
        keydeck_core::write_private(std::path::Path::new(&path), &out.bytes)?;
        v.log(
            EventWhat::Exported,
            None,
            &format!(
                "{} {}, {}",
                out.accounts,
                if out.accounts == 1 {
                    "account"
                } else {
                    "accounts"
                },
                format.name()
            ),
        )?;
        Ok(ExportSummary {
            accounts: out.accounts as u32,
            skipped: out
                .skipped
                .into_iter()
                .map(|(label, reason)| format!("{label}: {reason}"))
                .collect(),
            description: format.describe().to_owned(),
        })
    })
}
