//! What a decoded QR code means to Keydeck: an authenticator (`otpauth://`), a Google
//! Authenticator export part (`otpauth-migration://`), or something else.

use serde::Serialize;

use crate::otp::migration::{self, MigrationPayload};
use crate::otp::{format_uri_masked, import::from_migration, parse_uri, OtpEntry, SECRET_MASK};
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

impl ScanItem {
    /// The payload as shown without `--reveal`: an authenticator re-written from its parsed
    /// fields with the secret masked (several accounts of one code: one URI a line); a Google
    /// export or an unreadable authenticator payload as its scheme only. The scanned text is
    /// never edited in place: `%73ecret=`, `SECRET=` or "secret" in the label would defeat a
    /// search for `secret=`. Text that is no authenticator is shown as it is.
    pub fn masked_text(&self) -> String {
        match self.kind {
            PayloadKind::Other => self.text.expose().to_owned(),
            PayloadKind::OtpauthMigration => {
                format!("otpauth-migration://offline?data={SECRET_MASK}")
            }
            PayloadKind::Otpauth if self.entries.is_empty() => format!("otpauth://{SECRET_MASK}"),
            PayloadKind::Otpauth => self
                .entries
                .iter()
                .map(|e| format_uri_masked(&e.issuer, &e.account, &e.otp))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
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
