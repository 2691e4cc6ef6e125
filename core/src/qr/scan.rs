//! What a decoded QR code means to Keydeck: an authenticator (`otpauth://`), a Google
//! Authenticator export part (`otpauth-migration://`), or something else.

use serde::Serialize;

use crate::otp::migration::{self, MigrationPayload};
use crate::otp::{import::from_migration, parse_uri, OtpEntry};
use crate::secret::SecretText;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayloadKind {
    Otpauth,
    OtpauthMigration,
    Other,
}

/// One code found in one image.
pub struct ScanItem {
    pub text: SecretText,
    pub kind: PayloadKind,
    /// The accounts it describes (empty for `Other`, or when unreadable: see `problem`).
    pub entries: Vec<OtpEntry>,
    /// A Google export part, kept whole so several images can be put back together.
    pub migration: Option<MigrationPayload>,
    /// Why an authenticator-looking payload could not be used, or "not an authenticator QR code".
    pub problem: Option<String>,
}

pub fn classify(text: SecretText) -> ScanItem {
    let t = text.expose().trim().to_owned();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("otpauth-migration:") {
        return match migration::decode_uri(&t) {
            Ok(p) => {
                let entries = p
                    .entries
                    .iter()
                    .map(|e| {
                        from_migration(migration::MigrationEntry {
                            secret: e.secret.clone(),
                            name: e.name.clone(),
                            issuer: e.issuer.clone(),
                            algorithm: e.algorithm,
                            digits: e.digits,
                            kind: e.kind,
                            counter: e.counter,
                        })
                    })
                    .collect();
                ScanItem {
                    text,
                    kind: PayloadKind::OtpauthMigration,
                    entries,
                    migration: Some(p),
                    problem: None,
                }
            }
            Err(e) => ScanItem {
                text,
                kind: PayloadKind::OtpauthMigration,
                entries: Vec::new(),
                migration: None,
                problem: Some(e.to_string()),
            },
        };
    }
    if lower.starts_with("otpauth:") || lower.starts_with("steam://") {
        return match parse_uri(&t) {
            Ok(e) => ScanItem {
                text,
                kind: PayloadKind::Otpauth,
                entries: vec![e],
                migration: None,
                problem: None,
            },
            Err(e) => ScanItem {
                text,
                kind: PayloadKind::Otpauth,
                entries: Vec::new(),
                migration: None,
                problem: Some(e.to_string()),
            },
        };
    }
    ScanItem {
        text,
        kind: PayloadKind::Other,
        entries: Vec::new(),
        migration: None,
        problem: Some("not an authenticator QR code".to_owned()),
    }
}
