//! Import and export of authenticators as text: one `otpauth://` or `otpauth-migration://` URI
//! per line (what `zbarimg` prints for a folder of QR codes, or what Aegis/Ente export as
//! "plain text"), and Google Authenticator's export format.
//!
//! A file with any unreadable line is refused whole, with every problem listed: importing part
//! of a file silently is how accounts get lost.

use crate::model::{Account, Algorithm, Otp, OtpKind};
use crate::otp::migration::{self, BatchSet, MigrationAlgorithm, MigrationEntry, MigrationKind};
use crate::otp::uri::{parse_uri, OtpEntry};
use crate::secret::SecretBytes;

/// What a file holds: entries in file order (with their line), or the problems found.
pub struct ParsedFile {
    pub entries: Vec<(usize, OtpEntry)>,
    pub problems: Vec<String>,
}

pub fn parse_text(text: &str) -> ParsedFile {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut batches = BatchSet::new();
    let mut migration_line: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // zbarimg prints "QR-Code:otpauth://…".
        let line = line.strip_prefix("QR-Code:").unwrap_or(line);
        if line.to_ascii_lowercase().starts_with("otpauth-migration:") {
            migration_line.get_or_insert(n);
            match migration::decode_uri(line).and_then(|p| batches.add(p)) {
                Ok(()) => {}
                Err(e) => problems.push(format!("line {n}: {e}")),
            }
            continue;
        }
        match parse_uri(line) {
            Ok(e) => entries.push((n, e)),
            Err(e) => problems.push(format!("line {n}: {e}")),
        }
    }
    if let Some(first) = migration_line {
        match batches.finish() {
            Ok(list) => entries.extend(list.into_iter().map(|m| (first, from_migration(m)))),
            Err(e) => problems.push(format!("Google Authenticator export: {e}")),
        }
    }
    ParsedFile { entries, problems }
}

/// A Google Authenticator entry as an authenticator. Its `name` is often `issuer:account`.
pub fn from_migration(mut m: MigrationEntry) -> OtpEntry {
    let issuer = m.issuer.trim().to_owned();
    let name = m.name.trim();
    let account = match name.split_once(':') {
        Some((i, a)) if issuer.is_empty() || i.trim().eq_ignore_ascii_case(&issuer) => {
            if issuer.is_empty() {
                // Keep the name whole: without an issuer field the prefix may be part of it.
                name.to_owned()
            } else {
                a.trim().to_owned()
            }
        }
        _ => name.to_owned(),
    };
    OtpEntry {
        issuer,
        account,
        otp: Otp {
            kind: match m.kind {
                MigrationKind::Totp => OtpKind::Totp,
                MigrationKind::Hotp => OtpKind::Hotp,
            },
            secret: SecretBytes::new(std::mem::take(&mut m.secret)),
            algorithm: match m.algorithm {
                MigrationAlgorithm::Sha1 => Algorithm::Sha1,
                MigrationAlgorithm::Sha256 => Algorithm::Sha256,
                MigrationAlgorithm::Sha512 => Algorithm::Sha512,
            },
            digits: m.digits,
            // The format has no period: Google Authenticator only makes 30-second codes.
            period: 30,
            counter: m.counter,
        },
        warnings: Vec::new(),
    }
}

/// Accounts as Google Authenticator entries. Google's format has no period, no 7/9/10 digits and
/// no Steam: such accounts are left out, each with the reason.
pub fn to_migration<'a>(
    accounts: impl IntoIterator<Item = &'a Account>,
) -> (Vec<MigrationEntry>, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for a in accounts {
        let Some(otp) = &a.otp else { continue };
        let reason = match otp.kind {
            OtpKind::Steam => Some("Steam Guard codes cannot be expressed".to_owned()),
            OtpKind::Totp if otp.period != 30 => {
                Some(format!("period {} s (only 30 s exists there)", otp.period))
            }
            _ if !matches!(otp.digits, 6 | 8) => {
                Some(format!("{} digits (only 6 or 8 exist there)", otp.digits))
            }
            _ => None,
        };
        if let Some(r) = reason {
            skipped.push((a.label(), r));
            continue;
        }
        out.push(MigrationEntry {
            secret: otp.secret.expose().to_vec(),
            name: if a.username.is_empty() {
                a.name.clone()
            } else {
                a.username.clone()
            },
            issuer: if a.issuer.is_empty() {
                a.name.clone()
            } else {
                a.issuer.clone()
            },
            algorithm: match otp.algorithm {
                Algorithm::Sha1 => MigrationAlgorithm::Sha1,
                Algorithm::Sha256 => MigrationAlgorithm::Sha256,
                Algorithm::Sha512 => MigrationAlgorithm::Sha512,
            },
            digits: otp.digits,
            kind: if otp.kind == OtpKind::Hotp {
                MigrationKind::Hotp
            } else {
                MigrationKind::Totp
            },
            counter: otp.counter,
        });
    }
    (out, skipped)
}

/// The export formats: one `otpauth://` URI per line, or Google Authenticator export URIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Otpauth,
    GoogleMigration,
}

/// The text of an export (it holds the secrets: zeroized when dropped), how many lines, and the
/// accounts left out with the reason.
pub fn export_text<'a>(
    accounts: impl IntoIterator<Item = &'a Account>,
    format: ExportFormat,
) -> (zeroize::Zeroizing<String>, usize, Vec<(String, String)>) {
    let mut lines: Vec<zeroize::Zeroizing<String>> = Vec::new();
    let mut skipped = Vec::new();
    match format {
        ExportFormat::GoogleMigration => {
            let (entries, s) = to_migration(accounts);
            skipped = s;
            // Google Authenticator puts about ten accounts in each QR code.
            lines.extend(
                migration::encode_uris(&entries, 10)
                    .into_iter()
                    .map(zeroize::Zeroizing::new),
            );
        }
        ExportFormat::Otpauth => {
            lines.extend(accounts.into_iter().filter_map(crate::otp::account_uri))
        }
    }
    // Sized up front: a growing String would free partial copies of the secrets as it goes.
    let size = lines.iter().map(|l| l.len() + 1).sum();
    let mut text = zeroize::Zeroizing::new(String::with_capacity(size));
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    (text, lines.len(), skipped)
}
