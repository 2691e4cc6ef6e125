//! Reading a secret key the way people paste it (RFC 4648 base32, forgivingly): spaces, dashes
//! and line breaks are dropped, lower case is upper-cased, `=` padding is optional. What is left
//! must be base32; the first bad character is named with its position in what was typed.

use crate::error::{Error, Result};

/// RFC 4226 §4 asks for at least 128 bits and recommends 160; real services issue 80-bit keys,
/// and some less. Under this many bytes a key is accepted with a warning.
pub const WEAK_SECRET_BYTES: usize = 10;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A decoded secret, and what the user should know about it.
pub struct ParsedSecret {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

pub fn parse_secret(input: &str) -> Result<ParsedSecret> {
    let mut bits: u64 = 0;
    let mut nbits = 0u32;
    let mut bytes = Vec::with_capacity(input.len() * 5 / 8 + 1);
    let mut chars = 0usize;
    let mut padding = false;
    for (i, c) in input.chars().enumerate() {
        let pos = i + 1;
        if c.is_whitespace() || c == '-' {
            continue;
        }
        if c == '=' {
            padding = true;
            continue;
        }
        if padding {
            return Err(Error::invalid(
                "secret key",
                format!(
                    "That secret key isn't valid: '=' may only come at the end (character {pos})."
                ),
            ));
        }
        let up = c.to_ascii_uppercase();
        let Some(v) = ALPHABET.iter().position(|&a| a as char == up) else {
            let hint = match c {
                '0' | '1' | '8' | '9' => " (0, 1, 8 and 9 are never part of one)",
                _ => "",
            };
            return Err(Error::invalid(
                "secret key",
                format!(
                    "That secret key isn't valid: it should contain only the letters A–Z and \
                     digits 2–7, but character {pos} is '{}'{hint}.",
                    c.escape_default()
                ),
            ));
        };
        bits = (bits << 5) | v as u64;
        nbits += 5;
        chars += 1;
        if nbits >= 8 {
            nbits -= 8;
            bytes.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    if chars == 0 {
        return Err(Error::invalid("secret key", "Enter the secret key."));
    }
    // 8 characters carry 5 bytes; a group may stop after 2, 4, 5 or 7 characters. 1, 3 or 6
    // leftover characters cannot come from any byte string: a character was lost or added.
    if matches!(chars % 8, 1 | 3 | 6) {
        return Err(Error::invalid(
            "secret key",
            format!(
                "That secret key isn't valid: {chars} characters is not a possible length, so a \
                 character is missing or extra."
            ),
        ));
    }
    let mut warnings = Vec::new();
    if bytes.len() < WEAK_SECRET_BYTES {
        warnings.push(format!(
            "the secret key is only {} bits long; 80 or more is usual, so check that it was copied whole",
            bytes.len() * 8
        ));
    }
    Ok(ParsedSecret { bytes, warnings })
}

/// Upper case, no padding: the form Keydeck stores and writes into URIs.
pub fn encode_secret(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> String {
        parse_secret(s)
            .unwrap()
            .bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn forgiving_input() {
        assert_eq!(hex("JBSWY3DPEHPK3PXP"), "48656c6c6f21deadbeef");
        assert_eq!(hex("jbsw y3dp-ehpk 3pxp"), "48656c6c6f21deadbeef");
        assert_eq!(hex("JBSWY3DPEHPK3PXP======"), "48656c6c6f21deadbeef");
        assert_eq!(parse_secret("HXDMVJECJJWSRBY=").unwrap().bytes.len(), 9);
        assert_eq!(parse_secret("abcdefg==").unwrap().bytes.len(), 4);
    }

    #[test]
    fn errors_name_the_character_and_position() {
        let e = parse_secret("ABCD1FGH").err().unwrap().to_string();
        assert_eq!(
            e,
            "That secret key isn't valid: it should contain only the letters A–Z and digits \
             2–7, but character 5 is '1' (0, 1, 8 and 9 are never part of one)."
        );
        let e = parse_secret("AB CD_E").err().unwrap().to_string();
        assert!(e.contains("character 6 is '_'."), "{e}");
        assert!(parse_secret("  ").is_err());
        assert!(parse_secret("ABC")
            .err()
            .unwrap()
            .to_string()
            .contains("not a possible length"));
        assert!(parse_secret("AB=CD").is_err());
        let e = parse_secret("ABCDEFGH\u{1}").err().unwrap().to_string();
        assert!(e.contains("'\\u{1}'"), "{e}");
    }

    #[test]
    fn short_secrets_warn() {
        let p = parse_secret("ABCDEFG").unwrap();
        assert_eq!(p.bytes.len(), 4);
        assert_eq!(p.warnings.len(), 1);
        assert!(parse_secret("JBSWY3DPEHPK3PXP")
            .unwrap()
            .warnings
            .is_empty());
    }

    #[test]
    fn round_trip() {
        for n in 0..70u8 {
            let v: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            if v.is_empty() {
                continue;
            }
            assert_eq!(parse_secret(&encode_secret(&v)).unwrap().bytes, v);
        }
    }
}
