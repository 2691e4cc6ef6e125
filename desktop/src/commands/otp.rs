//! Authenticators: live codes, the Save Code dialog, the QR code for a phone.

use keydeck_core::otp::{self, unix_now, OtpEntry};
use keydeck_core::{AccountDraft, AccountPatch, LockedVault, OtpKind, SecretText};
use tauri::{AppHandle, State};

use crate::clipboard;
use crate::commands::accounts::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::{
    code_view, AccountInput, CodeCopied, CodeView, OtpSettings, SavedAccount, SavedCode,
};

/// Current and next code of every TOTP/Steam account, for the grid. HOTP codes are only made
/// on request (`hotp_next`): making one uses it up.
#[tauri::command]
pub fn codes_now(state: State<'_, AppState>) -> IpcResult<Vec<CodeView>> {
    let now = unix_now();
    // Polled every second: not user activity, so it must not hold off auto-lock.
    let slot = state.vault.lock().map_err(|_| IpcError::internal())?;
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

/// Below this many seconds a copied TOTP code would likely expire before it is pasted and sent,
/// so the copy takes the next one (which the server accepts from the next step on; most accept
/// one step either side).
pub const NEXT_CODE_BELOW_SECS: u64 = 5;

/// Which code a copy takes: the current one, or the next when the current has almost run out.
pub fn code_to_copy(c: keydeck_core::otp::Code) -> (String, CodeCopied) {
    match c.remaining {
        Some(left) if left < NEXT_CODE_BELOW_SECS && !c.next.is_empty() => (
            c.next,
            CodeCopied {
                next: true,
                remaining: Some(left),
            },
        ),
        left => (
            c.code,
            CodeCopied {
                next: false,
                remaining: left,
            },
        ),
    }
}

#[tauri::command]
pub fn code_copy(app: AppHandle, state: State<'_, AppState>, id: String) -> IpcResult<CodeCopied> {
    let uid = parse_id(&id)?;
    let (code, copied) = state.with_vault(|v| {
        let c = code_to_copy(v.code(uid, unix_now())?);
        v.log(keydeck_core::EventWhat::CodeCopied, Some(uid), "")?;
        Ok(c)
    })?;
    clipboard::copy_secret(&app, &state, SecretText::new(code))?;
    Ok(copied)
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

/// Add account in one step: the account and its authenticator — a secret key or `otpauth://`
/// link typed in the Add account dialog (`secret`, with `settings` for a bare key), or the
/// `scan_index`-th result of the last QR scan — in one transaction, so a bad key adds nothing.
/// An empty name is taken from the link's or QR code's issuer.
#[tauri::command]
pub fn account_add_with_otp(
    state: State<'_, AppState>,
    input: AccountInput,
    secret: Option<String>,
    settings: Option<OtpSettings>,
    scan_index: Option<u32>,
) -> IpcResult<SavedAccount> {
    let entry = match (secret, scan_index) {
        (Some(text), None) => {
            let text = SecretText::new(text);
            let settings =
                settings.ok_or_else(|| IpcError::bad_input("the code settings are missing"))?;
            otp::entry_from_input(text.expose(), settings.to_core())?
        }
        (None, Some(index)) => take_scanned(&state, index)?,
        _ => {
            return Err(IpcError::bad_input(
                "Give either a secret key or a scanned QR code, not both.",
            ))
        }
    };
    let OtpEntry {
        issuer: entry_issuer,
        account: entry_account,
        otp: o,
        warnings,
    } = entry;
    let name = match input.name.trim() {
        "" if !entry_issuer.is_empty() => entry_issuer.clone(),
        "" => {
            return Err(IpcError::bad_input(
                "Give the account a name, for example the service: \u{201c}GitHub\u{201d}.",
            ))
        }
        n => n.to_owned(),
    };
    let username = if input.username.trim().is_empty() {
        entry_account
    } else {
        input.username
    };
    let issuer = if input.issuer.trim().is_empty() {
        entry_issuer
    } else {
        input.issuer
    };
    let id = state.with_vault(|v| {
        v.add_account(AccountDraft {
            name: name.clone(),
            issuer,
            username,
            url: input.url,
            notes: input.notes,
            tags: input.tags,
            otp: Some(o),
            ..Default::default()
        })
        .map_err(Into::into)
    })?;
    Ok(SavedAccount {
        id: id.to_string(),
        name,
        warnings,
    })
}

/// Takes the `index`-th authenticator of the last scan; the scan's other secrets are dropped
/// with it (they are kept only until one of them is saved).
fn take_scanned(state: &AppState, index: u32) -> IpcResult<OtpEntry> {
    let mut scanned = state.scanned.lock().map_err(|_| IpcError::internal())?;
    if index as usize >= scanned.len() {
        return Err(IpcError::bad_input(
            "That scan result is no longer available. Scan again.",
        ));
    }
    let e = scanned.swap_remove(index as usize);
    scanned.clear();
    Ok(e)
}

/// Saves the `index`-th authenticator of the last scan onto the account.
#[tauri::command]
pub fn otp_save_scanned(
    state: State<'_, AppState>,
    id: String,
    index: u32,
) -> IpcResult<SavedCode> {
    let uid = parse_id(&id)?;
    let entry = take_scanned(&state, index)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use keydeck_core::otp::Code;

    fn code(remaining: Option<u64>) -> Code {
        Code {
            code: "111111".into(),
            remaining,
            period: remaining.map(|_| 30),
            next: "222222".into(),
            counter: None,
        }
    }

    #[test]
    fn a_copy_in_the_last_seconds_takes_the_next_code() {
        let (c, copied) = code_to_copy(code(Some(4)));
        assert_eq!(
            (c.as_str(), copied.next, copied.remaining),
            ("222222", true, Some(4))
        );
        let (c, copied) = code_to_copy(code(Some(5)));
        assert_eq!((c.as_str(), copied.next), ("111111", false));
        // HOTP has no countdown: always the stored counter's code.
        let (c, copied) = code_to_copy(code(None));
        assert_eq!(
            (c.as_str(), copied.next, copied.remaining),
            ("111111", false, None)
        );
    }
}
