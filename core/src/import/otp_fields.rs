//! Building an authenticator from the separate fields 2FA apps store (type, base32 secret,
//! algorithm, digits, period, counter), with the checks every importer needs: a bad value is a
//! reason naming the field ("digits must be 6 to 10, not 0"), never a panic and never the secret.
//! Shared by the Aegis, 2FAS, andOTP, LastPass and Bitwarden Authenticator importers; the TOTP
//! field of password managers (Bitwarden, 1Password, Proton Pass) too.

use crate::model::{Algorithm, Otp, OtpKind};
use crate::otp::{parse_algorithm, parse_secret, validate};
use crate::secret::SecretBytes;

/// A password manager's TOTP field: an `otpauth://` (or `steam://`) URI, or a bare base32
/// secret, which these apps read as SHA-1, 6 digits, 30 s. Shared by the Bitwarden, 1Password
/// and Proton Pass importers.
pub fn uri_or_secret(t: &str) -> crate::error::Result<crate::otp::OtpEntry> {
    let t = t.trim();
    if t.contains("://") {
        return crate::otp::parse_uri(t);
    }
    let p = parse_secret(t)?;
    Ok(crate::otp::OtpEntry {
        issuer: String::new(),
        account: String::new(),
        otp: Otp {
            kind: OtpKind::Totp,
            secret: SecretBytes::new(p.bytes),
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            counter: 0,
        },
        warnings: p.warnings,
    })
}

/// The longest period accepted (a day): larger values are damage, not a setting.
const MAX_PERIOD: i64 = 24 * 60 * 60;

/// The fields of one entry as the file gives them; `None` takes the usual default (SHA1, 6
/// digits — 5 for Steam —, 30 seconds, counter 0).
#[derive(Default)]
pub struct Fields<'a> {
    pub secret: &'a str,
    pub algorithm: Option<&'a str>,
    pub digits: Option<i64>,
    pub period: Option<i64>,
    pub counter: Option<i64>,
}

/// An authenticator and the warnings about it (a short secret), or the reason it cannot be used.
pub fn build(kind: OtpKind, f: Fields<'_>) -> Result<(Otp, Vec<String>), String> {
    let secret = lenient_secret(f.secret).map_err(|e| match e {
        crate::error::Error::InvalidInput { reason, .. } => format!("secret key {reason}"),
        other => other.to_string(),
    })?;
    let algorithm = match f.algorithm.map(str::trim).filter(|a| !a.is_empty()) {
        None => Algorithm::Sha1,
        Some(a) => parse_algorithm(a).map_err(|_| {
            format!(
                "unsupported algorithm '{}' (SHA1, SHA256 or SHA512)",
                a.chars().take(16).collect::<String>()
            )
        })?,
    };
    let digits = match (kind, f.digits) {
        (OtpKind::Steam, _) => 5,
        (_, None) => 6,
        (_, Some(d)) if (6..=10).contains(&d) => d as u8,
        (_, Some(d)) => return Err(format!("digits must be 6 to 10, not {d}")),
    };
    let period = match f.period {
        None => 30,
        Some(p) if kind == OtpKind::Hotp => p.clamp(1, MAX_PERIOD) as u32,
        Some(p) if (1..=MAX_PERIOD).contains(&p) => p as u32,
        Some(p) => return Err(format!("period must be 1 to {MAX_PERIOD} seconds, not {p}")),
    };
    let counter = match f.counter {
        None => 0,
        Some(c) if c >= 0 => c as u64,
        Some(c) => return Err(format!("counter must not be negative ({c})")),
    };
    let otp = Otp {
        kind,
        secret: SecretBytes::new(secret.bytes),
        algorithm,
        digits,
        period,
        counter,
    };
    validate(&otp).map_err(|e| e.to_string())?;
    Ok((otp, secret.warnings))
}

/// A base32 secret as the other app decoded it. `parse_secret` refuses a length no byte string
/// can have (a character lost or added while typing); the apps exporting such a key have been
/// making codes from it by ignoring the bits of the incomplete last character, so the import
/// does the same, with a warning.
fn lenient_secret(s: &str) -> crate::error::Result<crate::otp::ParsedSecret> {
    match parse_secret(s) {
        Err(e) if e.to_string().contains("not a possible length") => {
            let clean: String = s
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-' && *c != '=')
                .collect();
            let mut chars = clean.chars();
            chars.next_back();
            let mut p = parse_secret(chars.as_str()).map_err(|_| e)?;
            p.warnings.push(
                "the secret key ends in an incomplete base32 character, which was ignored as the app that exported it does"
                    .to_owned(),
            );
            Ok(p)
        }
        other => other,
    }
}

/// "entry 3 (GitHub / octo@example.com)": how a problem names the entry it is about.
pub fn entry_label(index: usize, issuer: &str, name: &str) -> String {
    let (i, n) = (issuer.trim(), name.trim());
    match (i.is_empty(), n.is_empty()) {
        (false, false) => format!("entry {} ({i} / {n})", index + 1),
        (false, true) => format!("entry {} ({i})", index + 1),
        (true, false) => format!("entry {} ({n})", index + 1),
        (true, true) => format!("entry {}", index + 1),
    }
}

/// Hex text into bytes (Aegis writes keys, nonces and salts as hex); `None` when it is not hex.
pub fn hex(s: &str) -> Option<Vec<u8>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.trim().as_bytes())
        .ok()
}

#[cfg(test)]
pub mod check {
    //! Test helpers: compare an imported account with expected values.
    use crate::import::Imported;
    use crate::model::{Algorithm, OtpKind};
    use crate::otp::encode_secret;

    #[derive(Clone, Copy)]
    pub struct Want<'a> {
        pub issuer: &'a str,
        pub username: &'a str,
        pub secret: &'a str,
        pub algorithm: Algorithm,
        pub digits: u8,
        /// Period for TOTP/Steam, counter for HOTP.
        pub period_or_counter: u64,
        pub kind: OtpKind,
    }

    pub fn same(got: &Imported, w: &Want<'_>) {
        let otp = got.otp.as_ref().expect("an authenticator");
        let what = format!("{} / {}", w.issuer, w.username);
        assert_eq!(got.issuer, w.issuer, "{what}: issuer");
        assert_eq!(got.username, w.username, "{what}: username");
        assert_eq!(
            encode_secret(otp.secret.expose()),
            w.secret.trim_end_matches('='),
            "{what}: secret"
        );
        assert_eq!(otp.algorithm, w.algorithm, "{what}: algorithm");
        assert_eq!(otp.digits, w.digits, "{what}: digits");
        assert_eq!(otp.kind, w.kind, "{what}: kind");
        match w.kind {
            OtpKind::Hotp => assert_eq!(otp.counter, w.period_or_counter, "{what}: counter"),
            _ => assert_eq!(otp.period as u64, w.period_or_counter, "{what}: period"),
        }
    }

    /// Aegis's VaultEntries vectors (Aegis app/src/test/.../vectors/VaultEntries.java), which
    /// most of Aegis's importer test files hold.
    pub fn aegis_vectors() -> Vec<Want<'static>> {
        use Algorithm::*;
        use OtpKind::*;
        let v = |issuer, username, secret, algorithm, digits, pc, kind| Want {
            issuer,
            username,
            secret,
            algorithm,
            digits,
            period_or_counter: pc,
            kind,
        };
        vec![
            v(
                "Deno",
                "Mason",
                "4SJHB4GSD43FZBAI7C2HLRJGPQ",
                Sha1,
                6,
                30,
                Totp,
            ),
            v(
                "SPDX",
                "James",
                "5OM4WOOGPLQEF6UGN3CPEOOLWU",
                Sha256,
                7,
                20,
                Totp,
            ),
            v(
                "Airbnb",
                "Elijah",
                "7ELGJSGXNCCTV3O6LKJWYFV2RA",
                Sha512,
                8,
                50,
                Totp,
            ),
            v(
                "Issuu",
                "James",
                "YOOMIXWS5GN6RTBPUFFWKTW5M4",
                Sha1,
                6,
                1,
                Hotp,
            ),
            v(
                "Air Canada",
                "Benjamin",
                "KUVJJOM753IHTNDSZVCNKL7GII",
                Sha256,
                7,
                50,
                Hotp,
            ),
            v(
                "WWE",
                "Mason",
                "5VAML3X35THCEBVRLV24CGBKOY",
                Sha512,
                8,
                10300,
                Hotp,
            ),
            v(
                "Boeing",
                "Sophia",
                "JRZCL47CMXVOQMNPZR2F7J4RGI",
                Sha1,
                5,
                30,
                Steam,
            ),
        ]
    }
}
