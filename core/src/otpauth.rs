//! Formatting an authenticator as an `otpauth://` URI (Google's Key Uri Format), for export and
//! for QR transfer to a phone.

use data_encoding::BASE32_NOPAD;
use zeroize::Zeroizing;

use crate::model::{Account, Algorithm, OtpKind};

/// `otpauth://totp/Issuer:user?secret=…&issuer=…&algorithm=…&digits=…&period=…`, or `None`
/// when the account has no authenticator. The URI contains the secret: it is returned in a
/// zeroizing string.
pub fn format_uri(a: &Account) -> Option<Zeroizing<String>> {
    let otp = a.otp.as_ref()?;
    let issuer = if a.issuer.is_empty() {
        &a.name
    } else {
        &a.issuer
    };
    let account_name = if a.username.is_empty() {
        &a.name
    } else {
        &a.username
    };
    let kind = match otp.kind {
        OtpKind::Hotp => "hotp",
        OtpKind::Totp | OtpKind::Steam => "totp",
    };
    let mut uri = Zeroizing::new(format!(
        "otpauth://{kind}/{}:{}?secret={}&issuer={}",
        encode(issuer),
        encode(account_name),
        &*Zeroizing::new(BASE32_NOPAD.encode(otp.secret.expose())),
        encode(issuer)
    ));
    let alg = match otp.algorithm {
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
    };
    uri.push_str(&format!("&algorithm={alg}&digits={}", otp.digits));
    match otp.kind {
        OtpKind::Hotp => uri.push_str(&format!("&counter={}", otp.counter)),
        OtpKind::Totp => uri.push_str(&format!("&period={}", otp.period)),
        // Steam has no standard URI; this is the de-facto form Aegis and others read.
        OtpKind::Steam => uri.push_str(&format!("&period={}&encoder=steam", otp.period)),
    }
    Some(uri)
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
pub(crate) fn encode(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding() {
        assert_eq!(encode("ACME Co:x@y"), "ACME%20Co%3Ax%40y");
        assert_eq!(encode("é"), "%C3%A9");
    }
}
