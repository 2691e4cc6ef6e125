//! One-time codes: reading secrets and `otpauth://` / `otpauth-migration://` URIs, making
//! HOTP/TOTP/Steam codes, and writing URIs back out.

mod base32;
mod generate;
pub mod import;
pub mod migration;
mod uri;

pub use base32::{encode_secret, parse_secret, ParsedSecret, WEAK_SECRET_BYTES};
pub use generate::{code_at, codes_at, decimal, steam, truncated, unix_now, Code, STEAM_PERIOD};
pub use uri::{format_uri, format_uri_masked, parse_algorithm, parse_uri, OtpEntry, SECRET_MASK};

use crate::error::{Error, Result};
use crate::model::{Account, Algorithm, Otp, OtpKind};
use crate::secret::SecretBytes;
use zeroize::Zeroizing;

/// The account's authenticator as an `otpauth://` URI, or `None` without one. Issuer falls back
/// to the account name, the account part to the username, else the name.
pub fn account_uri(a: &Account) -> Option<Zeroizing<String>> {
    let otp = a.otp.as_ref()?;
    let issuer = if a.issuer.is_empty() {
        &a.name
    } else {
        &a.issuer
    };
    let account = if a.username.is_empty() {
        &a.name
    } else {
        &a.username
    };
    Some(format_uri(issuer, account, otp))
}

/// Percent-decodes a path from a `file://` URI (spaces and non-ASCII names are escaped).
pub fn percent_decode_path(s: &str) -> String {
    uri::percent_decode(s, false).unwrap_or_else(|_| s.to_owned())
}

/// Settings for an authenticator entered by hand (the "Advanced" part of Save Code).
#[derive(Debug, Clone, Copy)]
pub struct OtpSettings {
    pub kind: OtpKind,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub period: u32,
    pub counter: u64,
}

impl Default for OtpSettings {
    fn default() -> Self {
        OtpSettings {
            kind: OtpKind::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            counter: 0,
        }
    }
}

/// A secret key typed or pasted by hand, with settings; or, if the text is a whole
/// `otpauth://` URI, that URI (the Save Code dialog accepts both in one field).
pub fn from_input(input: &str, settings: OtpSettings) -> Result<(Otp, Vec<String>)> {
    entry_from_input(input, settings).map(|e| (e.otp, e.warnings))
}

/// As `from_input`, keeping the issuer and account name a URI carries (empty for a bare key):
/// Add account takes the name from them when none was typed.
pub fn entry_from_input(input: &str, settings: OtpSettings) -> Result<OtpEntry> {
    let t = input.trim();
    if t.to_ascii_lowercase().starts_with("otpauth")
        || t.to_ascii_lowercase().starts_with("steam://")
    {
        return parse_uri(t);
    }
    let parsed = parse_secret(t)?;
    let otp = Otp {
        kind: settings.kind,
        secret: SecretBytes::new(parsed.bytes),
        digits: if settings.kind == OtpKind::Steam {
            5
        } else {
            settings.digits
        },
        period: if settings.kind == OtpKind::Steam {
            generate::STEAM_PERIOD
        } else {
            settings.period
        },
        algorithm: if settings.kind == OtpKind::Steam {
            Algorithm::Sha1
        } else {
            settings.algorithm
        },
        counter: settings.counter,
    };
    validate(&otp)?;
    Ok(OtpEntry {
        issuer: String::new(),
        account: String::new(),
        otp,
        warnings: parsed.warnings,
    })
}

/// Whether two authenticators make the same codes from the same state: same kind, secret,
/// algorithm, digits, period and (HOTP) counter.
pub fn same(a: &Otp, b: &Otp) -> bool {
    a.kind == b.kind
        && a.secret.expose() == b.secret.expose()
        && a.algorithm == b.algorithm
        && a.digits == b.digits
        && a.period == b.period
        && a.counter == b.counter
}

/// The limits every stored authenticator satisfies.
pub fn validate(otp: &Otp) -> Result<()> {
    if otp.secret.expose().is_empty() {
        return Err(Error::invalid("secret key", "Enter the secret key."));
    }
    match otp.kind {
        OtpKind::Steam if otp.digits != 5 => {
            return Err(Error::invalid(
                "digits",
                "Steam Guard codes always have 5 characters.",
            ))
        }
        OtpKind::Totp | OtpKind::Hotp if !(6..=10).contains(&otp.digits) => {
            return Err(Error::invalid(
                "digits",
                format!("Codes can have 6 to 10 digits, not {}.", otp.digits),
            ))
        }
        _ => {}
    }
    if otp.period == 0 && otp.kind != OtpKind::Hotp {
        return Err(Error::invalid(
            "period",
            "The code period must be at least 1 second.",
        ));
    }
    Ok(())
}
