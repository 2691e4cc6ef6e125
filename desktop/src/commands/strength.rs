//! The one password strength estimate of the app (core `security::strength`), for every meter.

use keydeck_core::security::{strength, PasswordPurpose};
use keydeck_core::SecretText;
use tauri::State;

use crate::commands::accounts::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::types::PasswordStrength;

/// Rates `password` (or, without one, the saved password of `account_id`, e.g. one generated in
/// Rust). With `master`, rates a master password: no vault access (it works while locked) and
/// score 4 is needed. Otherwise, while unlocked, warns about reuse by naming the other
/// accounts; their passwords stay in Rust.
#[tauri::command]
pub fn password_strength(
    state: State<'_, AppState>,
    password: Option<String>,
    account_id: Option<String>,
    user_inputs: Option<Vec<String>>,
    master: Option<bool>,
) -> IpcResult<PasswordStrength> {
    let password = password.map(SecretText::new);
    let inputs: Vec<&str> = user_inputs.iter().flatten().map(String::as_str).collect();
    let s = if master.unwrap_or(false) {
        let p = password.as_ref().map(|p| p.expose()).unwrap_or("");
        strength(p, &inputs, PasswordPurpose::Master, &[])
    } else {
        let account = account_id.as_deref().map(parse_id).transpose()?;
        match state.with_vault(|v| Ok(v.password_strength(password.as_ref(), account, &inputs)?)) {
            Ok(s) => s,
            // Locked (no vault to compare with): the estimate alone.
            Err(IpcError {
                kind: crate::error::IpcErrorKind::Locked,
                ..
            }) => {
                let p = password.as_ref().map(|p| p.expose()).unwrap_or("");
                strength(p, &inputs, PasswordPurpose::Account, &[])
            }
            Err(e) => return Err(e),
        }
    };
    Ok(PasswordStrength {
        score: s.score,
        label: s.label.to_owned(),
        good: s.good,
        reasons: s.reasons,
    })
}
