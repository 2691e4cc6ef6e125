//! Errors as the web view sees them: `{ kind, message }`, from the core's error kinds. Messages
//! come from keydeck-core, which never puts a secret in one.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub kind: IpcErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename_all = "snake_case")]
pub enum IpcErrorKind {
    BadInput,
    WrongPassword,
    Integrity,
    Locked,
    /// The OS keychain could not unlock; the message says why. The password still works.
    Keychain,
    Other,
}

pub type IpcResult<T> = Result<T, IpcError>;

impl From<keydeck_core::Error> for IpcError {
    fn from(e: keydeck_core::Error) -> Self {
        let kind = match e.kind() {
            keydeck_core::ErrorKind::BadInput => IpcErrorKind::BadInput,
            keydeck_core::ErrorKind::WrongPassword => IpcErrorKind::WrongPassword,
            keydeck_core::ErrorKind::Integrity => IpcErrorKind::Integrity,
            keydeck_core::ErrorKind::Keychain => IpcErrorKind::Keychain,
            keydeck_core::ErrorKind::Other => IpcErrorKind::Other,
        };
        IpcError {
            kind,
            message: e.to_string(),
        }
    }
}

impl IpcError {
    pub fn bad_input(message: impl Into<String>) -> Self {
        IpcError {
            kind: IpcErrorKind::BadInput,
            message: message.into(),
        }
    }

    pub fn locked() -> Self {
        IpcError {
            kind: IpcErrorKind::Locked,
            message: "The vault is locked. Unlock it and try again.".to_owned(),
        }
    }

    pub fn other(message: impl Into<String>) -> Self {
        IpcError {
            kind: IpcErrorKind::Other,
            message: message.into(),
        }
    }

    /// A lock poisoned by a panic elsewhere: nothing the user did, nothing they can fix but a
    /// restart.
    pub fn internal() -> Self {
        Self::other("Keydeck hit an internal error. Restart the app and try again.")
    }
}
