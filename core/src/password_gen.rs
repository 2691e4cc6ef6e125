//! Password generator: uniform choice from the selected character classes (rejection sampling
//! on OS random bytes, so no class is favoured by modulo bias), at least one of each class.

use crate::crypto::fill_random;
use crate::error::{Error, Result};
use crate::secret::SecretText;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub length: usize,
    pub lowercase: bool,
    pub uppercase: bool,
    pub digits: bool,
    pub symbols: bool,
    /// Leave out look-alikes (`l 1 I O 0`), for passwords that are read aloud or typed.
    pub avoid_ambiguous: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            length: 20,
            lowercase: true,
            uppercase: true,
            digits: true,
            symbols: true,
            avoid_ambiguous: false,
        }
    }
}

pub const MIN_LENGTH: usize = 8;
pub const MAX_LENGTH: usize = 128;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const SYMBOLS: &str = "!#$%&()*+,-./:;<=>?@[]^_{|}~";
const AMBIGUOUS: &str = "lI1O0";

pub fn generate_password(policy: &PasswordPolicy) -> Result<SecretText> {
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&policy.length) {
        return Err(Error::invalid(
            "password length",
            format!("{} is outside {MIN_LENGTH}..={MAX_LENGTH}", policy.length),
        ));
    }
    let classes: Vec<Vec<u8>> = [
        (policy.lowercase, LOWER),
        (policy.uppercase, UPPER),
        (policy.digits, DIGITS),
        (policy.symbols, SYMBOLS),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, set)| {
        set.bytes()
            .filter(|b| !(policy.avoid_ambiguous && AMBIGUOUS.as_bytes().contains(b)))
            .collect()
    })
    .collect();
    if classes.is_empty() {
        return Err(Error::invalid(
            "password generator",
            "choose at least one character class",
        ));
    }
    let all: Vec<u8> = classes.iter().flatten().copied().collect();
    loop {
        let pw: Vec<u8> = (0..policy.length)
            .map(|_| all[uniform(all.len())])
            .collect();
        // Retrying until every class appears keeps the distribution uniform over the valid set.
        if classes.iter().all(|c| pw.iter().any(|b| c.contains(b))) {
            // Bytes are all ASCII, so this is valid UTF-8.
            return Ok(SecretText::new(String::from_utf8_lossy(&pw).into_owned()));
        }
    }
}

/// A uniform index in `0..n` (n ≤ 256) by rejection sampling.
fn uniform(n: usize) -> usize {
    let limit = 256 - (256 % n);
    loop {
        let mut b = [0u8; 1];
        fill_random(&mut b);
        if (b[0] as usize) < limit {
            return b[0] as usize % n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_classes() {
        for _ in 0..50 {
            let p = generate_password(&PasswordPolicy::default()).unwrap();
            let s = p.expose();
            assert_eq!(s.len(), 20);
            assert!(s.chars().any(|c| c.is_ascii_lowercase()));
            assert!(s.chars().any(|c| c.is_ascii_uppercase()));
            assert!(s.chars().any(|c| c.is_ascii_digit()));
            assert!(s.chars().any(|c| SYMBOLS.contains(c)));
        }
    }

    #[test]
    fn options_are_respected() {
        let p = generate_password(&PasswordPolicy {
            length: 64,
            symbols: false,
            avoid_ambiguous: true,
            ..Default::default()
        })
        .unwrap();
        assert!(p.expose().chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(!p.expose().chars().any(|c| AMBIGUOUS.contains(c)));
        assert!(generate_password(&PasswordPolicy {
            length: 4,
            ..Default::default()
        })
        .is_err());
        assert!(generate_password(&PasswordPolicy {
            lowercase: false,
            uppercase: false,
            digits: false,
            symbols: false,
            ..Default::default()
        })
        .is_err());
    }
}
