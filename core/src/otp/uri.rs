//! `otpauth://` URIs (Google's Key Uri Format): parse and format.
//!
//! `otpauth://TYPE/LABEL?secret=…&issuer=…&algorithm=…&digits=…&period=…&counter=…`
//!
//! Where the format is silent or apps disagree, Keydeck decides as follows (README "otpauth
//! URIs"; each is a case in tests/fixtures/otpauth_uri):
//! - scheme, type and parameter names are case-insensitive; algorithm values too (`sha1`);
//! - the label is split at the first `:` (literal or `%3A`), spaces around it trimmed; when the
//!   `issuer` parameter is given and the label starts with `<issuer>:`, that prefix is the issuer
//!   even if it contains a colon (`Text%3A%20More%20Text:Secret&issuer=Text%3A%20More%20Text`);
//! - label prefix and `issuer` parameter both present and different: the parameter wins (newer
//!   Google Authenticator behaviour) and a warning says so;
//! - `+` in a query value is a space (form encoding), `+` in the label is a `+`;
//! - a parameter given twice with the same value is fine; with different values it is an error
//!   (silently picking one would produce wrong codes);
//! - unknown parameters (`image`, `icon`, …) are ignored, never fatal;
//! - `hotp` without `counter` starts at 0, with a warning;
//! - any period ≥ 1 s is kept as given (no clamping);
//! - Steam Guard: `encoder=steam`, the Aegis type `otpauth://steam/…`, Bitwarden's
//!   `steam://SECRET`, or issuer "Steam" (Steam issues no RFC 6238 codes); `period`, `digits`
//!   and `algorithm` are ignored for it (always 30 s, 5 characters, SHA-1, as Steam's app);
//! - Yandex (`yaotp`) and mOTP (`motp://`) are refused as unsupported, by name;
//! - an empty label is accepted (the account is then named after the issuer).

use std::fmt::Write as _;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind};
use crate::otp::base32::{encode_secret, parse_secret};
use crate::otp::generate::STEAM_PERIOD;
use crate::secret::SecretBytes;

/// What a URI (or a pasted secret) describes: an authenticator and whom it is for.
pub struct OtpEntry {
    pub issuer: String,
    /// The account name at the issuer (usually the user name or e-mail).
    pub account: String,
    pub otp: Otp,
    pub warnings: Vec<String>,
}

impl OtpEntry {
    /// The name an account made from this entry gets: the issuer, else the account name.
    pub fn display_name(&self) -> String {
        match (self.issuer.is_empty(), self.account.is_empty()) {
            (false, _) => self.issuer.clone(),
            (true, false) => self.account.clone(),
            (true, true) => "Unnamed authenticator".to_owned(),
        }
    }
}

fn bad(reason: impl Into<String>) -> Error {
    Error::invalid("otpauth URI", reason)
}

pub fn parse_uri(input: &str) -> Result<OtpEntry> {
    let s = input.trim();
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("otpauth-migration:") {
        return Err(bad(
            "this is a Google Authenticator export (otpauth-migration://); import it with `keydeck import`",
        ));
    }
    if let Some(secret) = strip_ci(s, "steam://") {
        return steam_entry(secret);
    }
    if lower.starts_with("motp://") {
        return Err(bad("mOTP codes are not supported"));
    }
    let Some(rest) = strip_ci(s, "otpauth://") else {
        return Err(bad(if s.is_empty() {
            "empty".to_owned()
        } else {
            "it does not start with otpauth://".to_owned()
        }));
    };
    let rest = rest.split('#').next().unwrap_or("");
    let type_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let typ = rest[..type_end].to_ascii_lowercase();
    let after = &rest[type_end..];
    let (label_raw, query) = match after.find('?') {
        Some(q) => (&after[..q], &after[q + 1..]),
        None => (after, ""),
    };
    let label_raw = label_raw.strip_prefix('/').unwrap_or(label_raw);
    let mut kind = match typ.as_str() {
        "totp" => OtpKind::Totp,
        "hotp" => OtpKind::Hotp,
        "steam" => OtpKind::Steam,
        "yaotp" => return Err(bad("Yandex.Key (yaotp) codes are not supported")),
        "" => {
            return Err(bad(
                "no type (expected otpauth://totp/… or otpauth://hotp/…)",
            ))
        }
        other => {
            return Err(bad(format!(
                "unknown type '{other}' (expected totp or hotp)"
            )))
        }
    };
    let params = Params::parse(query)?;
    let label = percent_decode(label_raw, false).map_err(|e| bad(format!("label: {e}")))?;
    let issuer_param = params.get("issuer").map(str::trim).unwrap_or("").to_owned();
    let (label_issuer, account) = split_label(&label, &issuer_param);
    let mut warnings = Vec::new();
    let issuer = if issuer_param.is_empty() {
        label_issuer
    } else {
        if !label_issuer.is_empty() && !label_issuer.eq_ignore_ascii_case(&issuer_param) {
            warnings.push(format!(
                "the label says issuer '{label_issuer}' but the issuer parameter says '{issuer_param}'; using '{issuer_param}'"
            ));
        }
        issuer_param
    };
    let secret_text = params
        .get("secret")
        .ok_or_else(|| bad("no secret parameter"))?;
    let secret = parse_secret(secret_text)?;
    warnings.extend(secret.warnings);

    if params
        .get("encoder")
        .is_some_and(|e| e.eq_ignore_ascii_case("steam"))
        || (kind == OtpKind::Totp && issuer.eq_ignore_ascii_case("steam"))
    {
        kind = OtpKind::Steam;
    }
    let algorithm = match params.get("algorithm") {
        None => Algorithm::Sha1,
        Some(a) => parse_algorithm(a)?,
    };
    let digits = match (kind, params.get("digits")) {
        (OtpKind::Steam, _) => 5,
        (_, None) => 6,
        (_, Some(d)) => parse_num::<u8>("digits", d)
            .filter(|d| (6..=10).contains(d))
            .ok_or_else(|| bad(format!("digits must be 6 to 10, not '{d}'")))?,
    };
    // Steam Guard is always 30 s and 5 characters, whatever the URI says: a `period=15` or
    // `digits=7` next to `encoder=steam` would make codes Steam never accepts.
    let period = match (kind, params.get("period")) {
        (OtpKind::Steam, _) => STEAM_PERIOD,
        (_, None) => 30,
        (_, Some(p)) => parse_num::<u32>("period", p)
            .filter(|p| *p >= 1)
            .ok_or_else(|| {
                bad(format!(
                    "period must be a whole number of seconds ≥ 1, not '{p}'"
                ))
            })?,
    };
    let counter = match (kind, params.get("counter")) {
        (OtpKind::Hotp, None) => {
            warnings.push("the URI has no counter; starting at 0".to_owned());
            0
        }
        (OtpKind::Hotp, Some(c)) => parse_num::<u64>("counter", c)
            .ok_or_else(|| bad(format!("counter must be a whole number ≥ 0, not '{c}'")))?,
        _ => 0,
    };
    Ok(OtpEntry {
        issuer,
        account,
        otp: Otp {
            kind,
            secret: SecretBytes::new(secret.bytes),
            algorithm: if kind == OtpKind::Steam {
                Algorithm::Sha1
            } else {
                algorithm
            },
            digits,
            period,
            counter,
        },
        warnings,
    })
}

fn steam_entry(secret: &str) -> Result<OtpEntry> {
    let parsed = parse_secret(secret)?;
    Ok(OtpEntry {
        issuer: "Steam".to_owned(),
        account: String::new(),
        otp: Otp {
            kind: OtpKind::Steam,
            secret: SecretBytes::new(parsed.bytes),
            algorithm: Algorithm::Sha1,
            digits: 5,
            period: STEAM_PERIOD,
            counter: 0,
        },
        warnings: parsed.warnings,
    })
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes()))
    .then(|| &s[prefix.len()..])
}

fn split_label(label: &str, issuer_param: &str) -> (String, String) {
    let label = label.trim();
    if !issuer_param.is_empty() {
        if let Some(rest) = label
            .strip_prefix(issuer_param)
            .and_then(|r| r.strip_prefix(':'))
        {
            return (issuer_param.to_owned(), rest.trim().to_owned());
        }
    }
    match label.split_once(':') {
        Some((i, a)) => (i.trim().to_owned(), a.trim().to_owned()),
        None => (String::new(), label.to_owned()),
    }
}

/// `SHA1`, `sha256`, `SHA-512` … → the algorithm; anything else is an error naming it.
pub fn parse_algorithm(a: &str) -> Result<Algorithm> {
    match a.trim().to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        other => Err(bad(format!(
            "algorithm '{other}' is not supported (SHA1, SHA256 or SHA512)"
        ))),
    }
}

fn parse_num<T: std::str::FromStr>(_what: &str, s: &str) -> Option<T> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The query's known parameters, lower-cased names, decoded values.
struct Params(Vec<(String, String)>);

const KNOWN: [&str; 7] = [
    "secret",
    "issuer",
    "algorithm",
    "digits",
    "period",
    "counter",
    "encoder",
];

impl Params {
    fn parse(query: &str) -> Result<Params> {
        let mut out: Vec<(String, String)> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = percent_decode(k, true)
                .map_err(|e| bad(format!("parameter name: {e}")))?
                .to_ascii_lowercase();
            if !KNOWN.contains(&k.as_str()) {
                continue; // image, icon, color, …: not ours, never fatal
            }
            let v = percent_decode(v, true).map_err(|e| bad(format!("{k}: {e}")))?;
            if let Some((_, old)) = out.iter().find(|(ok, _)| *ok == k) {
                // Base32 and the other values compare case-insensitively.
                let same = old.eq_ignore_ascii_case(&v);
                if !same {
                    // Name the parameter, never the values (one may be the secret).
                    return Err(bad(format!(
                        "parameter '{k}' is given twice with different values"
                    )));
                }
                continue;
            }
            out.push((k, v));
        }
        Ok(Params(out))
    }

    fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(ok, _)| ok == k)
            .map(|(_, v)| v.as_str())
    }
}

impl Drop for Params {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for (_, v) in &mut self.0 {
            v.zeroize();
        }
    }
}

/// RFC 3986 percent-decoding; with `plus_as_space` also form-style `+`. A `%` that does not start
/// a valid escape is kept as it is.
pub(crate) fn percent_decode(s: &str, plus_as_space: bool) -> std::result::Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len()
                && b[i + 1].is_ascii_hexdigit()
                && b[i + 2].is_ascii_hexdigit() =>
            {
                let h = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                out.push(h(b[i + 1]) * 16 + h(b[i + 2]));
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| {
        format!(
            "not UTF-8 after percent-decoding (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…&digits=…&period=…`. Holds the
/// secret, so it comes back in a zeroizing string.
pub fn format_uri(issuer: &str, account: &str, otp: &Otp) -> Zeroizing<String> {
    let secret = Zeroizing::new(encode_secret(otp.secret.expose()));
    uri_with_secret(issuer, account, otp, &secret)
}

/// What a masked URI shows in place of the secret.
pub const SECRET_MASK: &str = "••••••••";

/// The URI as [`format_uri`] writes it, with the secret replaced by [`SECRET_MASK`]: what
/// `scan` shows without `--reveal`. Built from the parsed fields, never by editing the scanned
/// text, so no spelling of the parameter (`%73ecret=`, `SECRET=`, a label saying "secret")
/// lets the secret through.
pub fn format_uri_masked(issuer: &str, account: &str, otp: &Otp) -> String {
    uri_with_secret(issuer, account, otp, SECRET_MASK).to_string()
}

fn uri_with_secret(issuer: &str, account: &str, otp: &Otp, secret: &str) -> Zeroizing<String> {
    let typ = match otp.kind {
        OtpKind::Hotp => "hotp",
        OtpKind::Totp | OtpKind::Steam => "totp",
    };
    // An empty issuer is written as a leading ':' so that a colon inside the account name is not
    // read back as a separator.
    let label = if issuer.is_empty() && !account.contains(':') {
        percent_encode(account)
    } else {
        format!("{}:{}", percent_encode(issuer), percent_encode(account))
    };
    let alg = match otp.algorithm {
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
    };
    let issuer_enc = percent_encode(issuer);
    // Sized up front (the fixed parts and numbers fit in 96 bytes): `write!` into a String that
    // grows would free partial copies of the secret with each reallocation.
    let mut uri = Zeroizing::new(String::with_capacity(
        32 + label.len() + secret.len() + issuer_enc.len() + 96,
    ));
    let _ = write!(uri, "otpauth://{typ}/{label}?secret={secret}");
    if !issuer.is_empty() {
        let _ = write!(uri, "&issuer={issuer_enc}");
    }
    let _ = write!(uri, "&algorithm={alg}&digits={}", otp.digits);
    let _ = match otp.kind {
        OtpKind::Hotp => write!(uri, "&counter={}", otp.counter),
        OtpKind::Totp => write!(uri, "&period={}", otp.period),
        // Not in the Key Uri Format; the de-facto form KeePassXC, Aegis and Stratum read.
        OtpKind::Steam => write!(uri, "&period={}&encoder=steam", otp.period),
    };
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_round_trip() {
        assert_eq!(percent_encode("ACME Co:x@y"), "ACME%20Co%3Ax%40y");
        assert_eq!(
            percent_decode("ACME%20Co%3ax%40y", false).unwrap(),
            "ACME Co:x@y"
        );
        assert_eq!(percent_decode("Air+Canada", true).unwrap(), "Air Canada");
        assert_eq!(percent_decode("a+b", false).unwrap(), "a+b");
        assert_eq!(percent_decode("100%", false).unwrap(), "100%");
        assert!(percent_decode("%FF", false).is_err());
    }

    #[test]
    fn errors_never_hold_the_secret() {
        let e = parse_uri("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&secret=GEZDGNBVGEZDGNBV")
            .err()
            .unwrap()
            .to_string();
        assert!(!e.contains("JBSW") && !e.contains("GEZD"), "{e}");
    }
}
