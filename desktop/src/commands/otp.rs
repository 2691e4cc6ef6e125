//! Authenticators: live codes, the Save Code dialog, the QR code for a phone.

use keydeck_core::otp::{self, unix_now};
use keydeck_core::{AccountPatch, LockedVault, OtpKind, SecretText};
use tauri::{AppHandle, State};

use crate::clipboard;
use crate::commands::accounts::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::{code_view, CodeView, OtpSettings, SavedCode};

/// Current and next code of every TOTP/Steam account, for the grid. HOTP codes are only made
/// on request (`hotp_next`): making one uses it up.
#[tauri::command]
pub fn codes_now(state: State<'_, AppState>) -> IpcResult<Vec<CodeView>> {
    let now = unix_now();
    // Polled every second: not user activity, so it must not hold off auto-lock.
    let slot = state.vault.lock().map_err(|_| {
        IpcError::other("Keydeck hit an internal error. Restart the app and try again.")
    })?;
    let crate::state::VaultSlot::Unlocked(v) = &*slot else {
        return Err(IpcError::locked());
    };
    Ok(v.accounts()
        .filter_map(|a| {
            let o = a.otp.as_ref().filter(|o| o.kind != OtpKind::Hotp)?;
            Some(code_view(&a.id.to_string(), otp::code_at(o, now)))
        })
        .collect())
}

#[tauri::command]
pub fn code_copy(app: AppHandle, state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let uid = parse_id(&id)?;
    let code = state.with_vault(|v| {
        let c = v.code(uid, unix_now())?;
        v.log(keydeck_core::EventWhat::CodeCopied, Some(uid), "")?;
        Ok(c.code)
    })?;
    clipboard::copy_secret(&app, &state, SecretText::new(code))
}

#[tauri::command]
pub fn hotp_next(state: State<'_, AppState>, id: String) -> IpcResult<CodeView> {
    let uid = parse_id(&id)?;
    state.with_vault(|v| Ok(code_view(&id, v.next_hotp(uid)?)))
}

/// "Save Code": `input` is what was typed in the Secret Key field (base32 or an otpauth URI).
#[tauri::command]
pub fn otp_save(
    state: State<'_, AppState>,
    id: String,
    input: String,
    settings: OtpSettings,
) -> IpcResult<SavedCode> {
    let uid = parse_id(&id)?;
    let input = SecretText::new(input);
    let (o, warnings) = otp::from_input(input.expose(), settings.to_core())?;
    save(&state, &id, uid, o, warnings)
}

fn save(
    state: &AppState,
    id: &str,
    uid: uuid::Uuid,
    o: keydeck_core::Otp,
    warnings: Vec<String>,
) -> IpcResult<SavedCode> {
    let code = otp::code_at(&o, unix_now());
    state.with_vault(|v| {
        v.update_account(
            uid,
            AccountPatch {
                otp: Some(Some(o)),
                ..Default::default()
            },
        )?;
        Ok(SavedCode {
            code: code_view(id, code),
            warnings,
        })
    })
}

/// Saves the `index`-th authenticator of the last scan onto the account.
#[tauri::command]
pub fn otp_save_scanned(
    state: State<'_, AppState>,
    id: String,
    index: u32,
) -> IpcResult<SavedCode> {
    let uid = parse_id(&id)?;
    let entry = {
        let mut scanned = state.scanned.lock().map_err(|_| {
            IpcError::other("Keydeck hit an internal error. Restart the app and try again.")
        })?;
        if index as usize >= scanned.len() {
            return Err(IpcError::bad_input(
                "That scan result is no longer available. Scan again.",
            ));
        }
        let e = scanned.swap_remove(index as usize);
        scanned.clear();
        e
    };
    save(&state, &id, uid, entry.otp, entry.warnings)
}

#[tauri::command]
pub fn otp_remove(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let uid = parse_id(&id)?;
    state.with_vault(|v| {
        Ok(v.update_account(
            uid,
            AccountPatch {
                otp: Some(None),
                ..Default::default()
            },
        )?)
    })
}

/// The account's otpauth URI as an SVG QR code, after the master password was given again.
#[tauri::command]
pub async fn otp_qr_svg(
    state: State<'_, AppState>,
    id: String,
    password: String,
) -> IpcResult<String> {
    let uid = parse_id(&id)?;
    let password = SecretText::new(password);
    LockedVault::open(&state.vault_path)?.unlock_with_password(&password)?;
    state.with_vault(|v| {
        let a = v.account(uid)?;
        let uri = keydeck_core::otpauth_uri(a)
            .ok_or_else(|| IpcError::bad_input(format!("{} has no authenticator.", a.label())))?;
        let svg = keydeck_core::qr::encode::svg(&uri, 240)?;
        v.log(
            keydeck_core::EventWhat::Exported,
            Some(uid),
            "shown as a QR code",
        )?;
        Ok(svg.to_string())
    })
}
