//! Code generation: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! Own code rather than totp-rs, for three reasons: totp-rs has no HOTP (its URL parser refuses
//! `otpauth://hotp`), it panics for 10-digit codes (`digits >= 10`), and its checked builder
//! refuses secrets under 128 bits, which real services issue. What is left is ten lines of
//! RFC 4226 §5.3 over the same RustCrypto HMAC crates totp-rs uses.

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;

use crate::model::{Algorithm, Otp, OtpKind};

const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";
const STEAM_DIGITS: usize = 5;
/// Steam Guard codes change every 30 s, always: Steam's own app has no other period.
pub const STEAM_PERIOD: u32 = 30;

/// A code as the user sees it, with what is needed to show a countdown.
#[derive(Debug, Clone, Serialize)]
pub struct Code {
    pub code: String,
    /// Seconds until the code changes (TOTP/Steam); `None` for HOTP.
    pub remaining: Option<u64>,
    pub period: Option<u32>,
    /// The code after this one (next period, or next counter).
    pub next: String,
    /// The counter this code was made from (HOTP).
    pub counter: Option<u64>,
}

/// RFC 4226 §5.3 dynamic truncation of HMAC(secret, counter): a 31-bit number.
pub fn truncated(algorithm: Algorithm, secret: &[u8], counter: u64) -> u32 {
    truncated_pair(algorithm, secret, [counter, counter])[0]
}

/// Two counters under one keyed HMAC: the key schedule (two of the four hash compressions per
/// code) is done once for the current and the next code.
fn truncated_pair(algorithm: Algorithm, secret: &[u8], counters: [u64; 2]) -> [u32; 2] {
    macro_rules! pair {
        ($h:ty) => {{
            // HMAC accepts keys of any length (long ones are hashed), so this cannot fail.
            let Ok(keyed) = <Hmac<$h> as KeyInit>::new_from_slice(secret) else {
                unreachable!("HMAC takes keys of any length")
            };
            counters.map(|c| {
                let mut m = keyed.clone();
                m.update(&c.to_be_bytes());
                let h = m.finalize().into_bytes();
                let off = (h[h.len() - 1] & 0x0f) as usize;
                u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]])
            })
        }};
    }
    match algorithm {
        Algorithm::Sha1 => pair!(sha1::Sha1),
        Algorithm::Sha256 => pair!(sha2::Sha256),
        Algorithm::Sha512 => pair!(sha2::Sha512),
    }
}

/// The decimal code: the truncated value modulo 10^digits, zero-padded. Computed in u64 so that
/// 10 digits (all 31 bits, padded) work. Never panics: `digits` comes from stored records and
/// files, and beyond 19 digits 10^digits overflows u64 (the 31-bit value is then kept whole).
pub fn decimal(value: u32, digits: u8) -> String {
    let v = match 10u64.checked_pow(u32::from(digits)) {
        Some(m) => u64::from(value) % m,
        None => u64::from(value),
    };
    format!("{v:0width$}", width = digits as usize)
}

/// Steam Guard: five characters from Steam's 26-letter alphabet, least significant first.
pub fn steam(mut value: u32) -> String {
    let mut s = String::with_capacity(STEAM_DIGITS);
    for _ in 0..STEAM_DIGITS {
        s.push(STEAM_ALPHABET[(value % 26) as usize] as char);
        value /= 26;
    }
    s
}

fn render(otp: &Otp, v: u32) -> String {
    match otp.kind {
        OtpKind::Steam => steam(v),
        OtpKind::Totp | OtpKind::Hotp => decimal(v, otp.digits),
    }
}

/// The code at Unix time `unix` (TOTP, Steam), or for the stored counter (HOTP).
pub fn code_at(otp: &Otp, unix: u64) -> Code {
    let secret = otp.secret.expose();
    match otp.kind {
        OtpKind::Hotp => {
            let [now, next] = truncated_pair(
                otp.algorithm,
                secret,
                [otp.counter, otp.counter.wrapping_add(1)],
            );
            Code {
                code: render(otp, now),
                remaining: None,
                period: None,
                next: render(otp, next),
                counter: Some(otp.counter),
            }
        }
        OtpKind::Totp | OtpKind::Steam => {
            // A Steam account saved with another period (an older Keydeck kept a URI's
            // `period=15`) still makes the codes Steam accepts.
            let p = if otp.kind == OtpKind::Steam {
                STEAM_PERIOD
            } else {
                otp.period.max(1)
            };
            let period = u64::from(p);
            let t = unix / period;
            let [now, next] = truncated_pair(otp.algorithm, secret, [t, t + 1]);
            Code {
                code: render(otp, now),
                remaining: Some(period - unix % period),
                period: Some(p),
                next: render(otp, next),
                counter: None,
            }
        }
    }
}

/// Codes for many authenticators at once (the accounts grid).
pub fn codes_at<'a>(otps: impl IntoIterator<Item = &'a Otp>, unix: u64) -> Vec<Code> {
    otps.into_iter().map(|o| code_at(o, unix)).collect()
}

/// Seconds since the Unix epoch from the system clock.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4226_first_vectors() {
        let k = b"12345678901234567890";
        let want = ["755224", "287082", "359152", "969429", "338314"];
        for (c, w) in want.iter().enumerate() {
            assert_eq!(decimal(truncated(Algorithm::Sha1, k, c as u64), 6), *w);
        }
    }

    #[test]
    fn any_number_of_digits_gives_a_code_without_a_panic() {
        // Found by the `record` fuzz target's regression input: a record with 64 digits.
        assert_eq!(decimal(1_284_755_224, 20), "00000000001284755224");
        assert_eq!(decimal(7, 64).len(), 64);
        assert_eq!(decimal(7, 255).len(), 255);
        assert_eq!(decimal(7, 0), "0");
    }

    #[test]
    fn ten_digits_do_not_overflow() {
        assert_eq!(decimal(1_284_755_224, 10), "1284755224");
        assert_eq!(decimal(5, 10), "0000000005");
    }
}
