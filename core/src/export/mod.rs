//! Taking accounts out of Keydeck (issue 10): encrypted by default. One module per format.
//!
//! - `aegis-encrypted` / `aegis`: Aegis's documented vault (scrypt + AES-256-GCM), which
//!   Aegis, Ente Auth, 2FAS, Stratum, Proton Authenticator and GNOME Authenticator read;
//! - `kdbx`: a KeePass 4 database (Argon2id) with every field, for KeePassXC and friends;
//! - `pdf`: the emergency kit, for printing;
//! - `otpauth` and `google-migration`: text, unencrypted (the user is warned).
//!
//! Everything returned here holds secrets and zeroizes when dropped. Writing the file (0600,
//! never over an existing one) is `files::write_private`.

pub mod aegis;
pub mod kdbx;
pub mod pdf;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::model::Account;
use crate::otp::import::{export_text, ExportFormat as TextFormat};
use crate::secret::SecretText;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Otpauth,
    GoogleMigration,
    Aegis,
    AegisEncrypted,
    Kdbx,
    Pdf,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::AegisEncrypted,
        ExportFormat::Kdbx,
        ExportFormat::Pdf,
        ExportFormat::Aegis,
        ExportFormat::Otpauth,
        ExportFormat::GoogleMigration,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Otpauth => "otpauth",
            ExportFormat::GoogleMigration => "google-migration",
            ExportFormat::Aegis => "aegis",
            ExportFormat::AegisEncrypted => "aegis-encrypted",
            ExportFormat::Kdbx => "kdbx",
            ExportFormat::Pdf => "pdf",
        }
    }

    pub fn parse(name: &str) -> Result<ExportFormat> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| {
                Error::invalid(
                    "--format",
                    format!(
                        "unknown export format '{name}'; one of {}",
                        Self::ALL.map(|f| f.name()).join(", ")
                    ),
                )
            })
    }

    /// Whether the file is encrypted with a password of its own (which must then be given).
    pub fn encrypted(self) -> bool {
        matches!(self, ExportFormat::AegisEncrypted | ExportFormat::Kdbx)
    }

    /// What the file holds, for the confirmation and the warning ("unencrypted: anyone who
    /// reads it has your codes").
    pub fn describe(self) -> &'static str {
        match self {
            ExportFormat::AegisEncrypted => "an encrypted Aegis vault of your authenticators",
            ExportFormat::Aegis => "an UNENCRYPTED Aegis vault of your authenticators",
            ExportFormat::Kdbx => "an encrypted KeePass database of every account",
            ExportFormat::Pdf => {
                "an UNENCRYPTED emergency kit: authenticator QR codes and recovery codes, to print"
            }
            ExportFormat::Otpauth => "UNENCRYPTED otpauth:// links of your authenticators",
            ExportFormat::GoogleMigration => {
                "UNENCRYPTED Google Authenticator transfer links of your authenticators"
            }
        }
    }
}

/// An export, ready to be written.
pub struct Exported {
    pub bytes: Zeroizing<Vec<u8>>,
    /// How many accounts it holds.
    pub accounts: usize,
    /// Accounts left out, with the reason (a format that cannot express them).
    pub skipped: Vec<(String, String)>,
}

/// Writes `accounts` in `format`. Encrypted formats need `file_password` (not empty).
pub fn export(
    accounts: &[&Account],
    format: ExportFormat,
    file_password: Option<&SecretText>,
) -> Result<Exported> {
    let password = || -> Result<&SecretText> {
        file_password.filter(|p| !p.is_empty()).ok_or_else(|| {
            Error::invalid(
                "export",
                format!(
                    "The {} export is encrypted: choose a password for the file.",
                    format.name()
                ),
            )
        })
    };
    match format {
        ExportFormat::Otpauth | ExportFormat::GoogleMigration => {
            let tf = if format == ExportFormat::Otpauth {
                TextFormat::Otpauth
            } else {
                TextFormat::GoogleMigration
            };
            let (mut text, _lines, skipped) = export_text(accounts.iter().copied(), tf);
            let n = accounts.iter().filter(|a| a.otp.is_some()).count() - skipped.len();
            Ok(Exported {
                // The zeroizing String's buffer becomes the bytes: no second copy to forget.
                bytes: Zeroizing::new(std::mem::take(&mut *text).into_bytes()),
                accounts: n,
                skipped,
            })
        }
        ExportFormat::Pdf => Ok(Exported {
            bytes: pdf::write(accounts, crate::now())?,
            accounts: accounts.len(),
            skipped: Vec::new(),
        }),
        ExportFormat::Kdbx => Ok(Exported {
            bytes: kdbx::write(accounts, password()?)?,
            accounts: accounts.len(),
            skipped: Vec::new(),
        }),
        ExportFormat::Aegis | ExportFormat::AegisEncrypted => {
            let pw = if format == ExportFormat::AegisEncrypted {
                Some(password()?)
            } else {
                None
            };
            let bytes = aegis::write(accounts, pw)?;
            Ok(Exported {
                bytes,
                accounts: accounts.iter().filter(|a| a.otp.is_some()).count(),
                skipped: Vec::new(),
            })
        }
    }
}
