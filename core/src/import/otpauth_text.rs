//! A text file of `otpauth://` links, one per line: what Aegis, Ente Auth, Authenticator Pro
//! ("URI list"), WinAuth and 2FAS export as plain text, and what `zbarimg` prints for a folder
//! of QR codes. Google Authenticator's `otpauth-migration://` lines are read here too (a
//! transfer split over several QR codes is put back together). The line parser is
//! `otp::import::parse_text`; a bad line is a problem naming its line number.

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::Result;
use crate::otp::import::parse_text;

pub struct OtpauthText;

/// How far into a text file to look for a first link before calling it something else.
const SNIFF_LINES: usize = 50;

impl Format for OtpauthText {
    fn name(&self) -> &'static str {
        "otpauth"
    }
    fn app(&self) -> &'static str {
        "otpauth:// links"
    }
    fn title(&self) -> &'static str {
        "Text file of otpauth:// links (Aegis, Ente Auth, Authenticator Pro, WinAuth, Google Authenticator transfer)"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let text = input.text()?;
        let first = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .take(SNIFF_LINES)
            .any(|l| {
                let l = l.strip_prefix("QR-Code:").unwrap_or(l).to_ascii_lowercase();
                l.starts_with("otpauth://")
                    || l.starts_with("otpauth-migration://")
                    || l.starts_with("steam://")
            });
        if first {
            Detected::PLAIN
        } else {
            None
        }
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let text = input.text().unwrap_or_default();
        let parsed = parse_text(text);
        Ok(Read {
            accounts: parsed
                .entries
                .into_iter()
                .map(|(_, e)| Imported::from_entry(e))
                .collect(),
            problems: parsed.problems,
        })
    }
}
