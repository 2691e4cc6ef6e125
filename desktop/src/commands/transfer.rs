//! Settings → Import and Export (issue 10). An import is three steps: inspect (what the file is,
//! from its content), preview (read with its password; what would be added, what is already
//! saved, every problem: nothing changes), confirm (one transaction). The file read at preview
//! waits in the app state, so the password is typed once; a lock forgets it.
//!
//! The files are chosen in native dialogs opened here (`picker`): the web view is told their
//! names and never sends a path.

use std::path::{Path, PathBuf};

use keydeck_core::export::{export, ExportFormat};
use keydeck_core::import::{self, FileKey, Imported, Input, MAX_FILE_BYTES};
use keydeck_core::{read_bounded, EventWhat, ImportPlan, OtpKind, SecretBytes, SecretText};
use tauri::{AppHandle, State};

use crate::commands::vault::verify_master_password;
use crate::error::{IpcError, IpcResult};
use crate::picker::{self, with_picks, Ask};
use crate::state::AppState;
use crate::types::{ExportFormatInfo, ExportSummary, ImportInspect, ImportItem, ImportPreview};

/// A previewed import waiting for the user's yes.
pub struct PendingImport {
    path: PathBuf,
    description: String,
    plan: ImportPlan,
    epoch: u64,
}

fn read_bytes(path: &Path) -> IpcResult<Vec<u8>> {
    Ok(read_bounded(path, MAX_FILE_BYTES, "the import file")?)
}

/// The file chosen for import, or a sentence asking to choose one.
fn chosen_import(state: &AppState) -> IpcResult<PathBuf> {
    with_picks(state, |p| p.import.clone())?
        .ok_or_else(|| IpcError::bad_input("Choose the file to import first."))
}

/// "Choose a file…": the native dialog; the file's name, or `None` when cancelled. Whatever was
/// chosen and read before is forgotten.
#[tauri::command]
pub async fn import_choose(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<String>> {
    let ask = Ask::titled("Import from another app");
    let name = picker::choose_file(&app, &state, ask, |p, path| {
        p.import = Some(path);
        p.keyfile = None;
    })?;
    if name.is_some() {
        *state
            .pending_import
            .lock()
            .map_err(|_| IpcError::internal())? = None;
    }
    Ok(name)
}

/// A KeePass key file for the chosen import (any file can be one): its name, or `None`.
#[tauri::command]
pub async fn import_choose_keyfile(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<String>> {
    let ask = Ask::titled("Choose the key file");
    picker::choose_file(&app, &state, ask, |p, path| p.keyfile = Some(path))
}

#[tauri::command]
pub fn import_inspect(state: State<'_, AppState>) -> IpcResult<ImportInspect> {
    state.touch();
    let input = Input::new(read_bytes(&chosen_import(&state)?)?)?;
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

/// Reads the chosen file (with its password, and the chosen key file when `keyfile`) and says
/// what an import would do. A wrong password is a `wrong_password` error; the dialog keeps
/// asking.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    file_password: Option<String>,
    keyfile: bool,
) -> IpcResult<ImportPreview> {
    let epoch = state.epoch();
    let path = chosen_import(&state)?;
    let keyfile = if keyfile {
        let k = with_picks(&state, |p| p.keyfile.clone())?
            .ok_or_else(|| IpcError::bad_input("Choose the key file again."))?;
        Some(SecretBytes::new(read_bounded(
            &k,
            picker::MAX_KEYFILE_BYTES,
            "the key file",
        )?))
    } else {
        None
    };
    let key = FileKey {
        password: file_password.filter(|p| !p.is_empty()).map(SecretText::new),
        keyfile,
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

/// Adds what the preview of the chosen file listed under "to add", in one transaction.
/// Returns how many.
#[tauri::command]
pub fn import_confirm(state: State<'_, AppState>) -> IpcResult<u32> {
    let path = chosen_import(&state)?;
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
    forget_import(&state);
}

/// Forgets the chosen file, its key file and what was read from them.
fn forget_import(state: &AppState) {
    if let Ok(mut p) = state.pending_import.lock() {
        *p = None;
    }
    let _ = with_picks(state, |p| {
        p.import = None;
        p.keyfile = None;
    });
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

/// Export: the master password is checked first (exporting takes every secret out at once, so
/// an open vault or the keychain is not enough), then the native save dialog asks where, then
/// the file is written (0600, never over an existing file). `None`: the user cancelled the
/// dialog and nothing was written.
#[tauri::command]
pub async fn export_choose_and_write(
    app: AppHandle,
    state: State<'_, AppState>,
    format: String,
    master_password: String,
    file_password: Option<String>,
) -> IpcResult<Option<ExportSummary>> {
    let format = ExportFormat::parse(&format)?;
    verify_master_password(&state, &SecretText::new(master_password))?;
    let file_password = file_password.filter(|p| !p.is_empty()).map(SecretText::new);
    let day = picker::today();
    let ext = extension(format);
    let Some(path) = picker::save_file(
        &app,
        Ask {
            filter: Some((label(format), &[ext])),
            file_name: Some(format!("keydeck-export-{day}.{ext}")),
            ..Ask::titled("Export to file")
        },
    )?
    else {
        return Ok(None);
    };
    state.with_vault(|v| {
        let accounts: Vec<&keydeck_core::Account> = v.accounts().collect();
        let out = export(&accounts, format, file_password.as_ref())?;
        drop(accounts);
        keydeck_core::write_private(&path, &out.bytes)?;
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
        Ok(Some(ExportSummary {
            accounts: out.accounts as u32,
            skipped: out
                .skipped
                .into_iter()
                .map(|(label, reason)| format!("{label}: {reason}"))
                .collect(),
            description: format.describe().to_owned(),
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_file_chosen_in_rust_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let s = AppState::new(dir.path().join("v.sqlite"), dir.path().join("s.json"));
        let e = chosen_import(&s).unwrap_err();
        assert_eq!(e.message, "Choose the file to import first.");
        s.picks.lock().unwrap().import = Some(PathBuf::from("/dev/zero"));
        let e = read_bytes(&chosen_import(&s).unwrap()).unwrap_err();
        assert!(
            e.message.contains("it is a device, not a file"),
            "{}",
            e.message
        );
        forget_import(&s);
        assert!(chosen_import(&s).is_err(), "cancel forgets the file");
    }
}
