//! Argon2id (RFC 9106) for the password slot. Parameters are stored in the slot as one canonical
//! ASCII string, `argon2id:v=19,m=<KiB>,t=<passes>,p=<lanes>`, which is also what the slot's AAD
//! binds: change any digit and the unwrap fails.

use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};
use crate::secret::Key32;

/// OWASP's minimum for Argon2id: 19 MiB and 2 passes. Below it a slot is refused (KdfTooWeak).
pub const FLOOR_M_KIB: u32 = 19 * 1024;
pub const FLOOR_T: u32 = 2;
/// Ceilings: a tampered slot must not make us allocate 40 GiB or spin for an hour.
pub const MAX_M_KIB: u32 = 4 * 1024 * 1024;
pub const MAX_T: u32 = 64;
pub const MAX_P: u32 = 64;
pub const SALT_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Default for KdfParams {
    /// RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes.
    fn default() -> Self {
        KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 4,
        }
    }
}

impl KdfParams {
    /// The cheapest parameters Keydeck accepts; for tests and very slow machines.
    pub const FLOOR: KdfParams = KdfParams {
        m_kib: FLOOR_M_KIB,
        t: FLOOR_T,
        p: 1,
    };

    pub fn canonical(&self) -> String {
        format!("argon2id:v=19,m={},t={},p={}", self.m_kib, self.t, self.p)
    }

    /// Parses the canonical form exactly; anything else (a flipped byte, say) is `None`.
    pub fn parse(s: &str) -> Option<KdfParams> {
        let rest = s.strip_prefix("argon2id:v=19,")?;
        let mut it = rest.split(',');
        let m = num(it.next()?.strip_prefix("m=")?)?;
        let t = num(it.next()?.strip_prefix("t=")?)?;
        let p = num(it.next()?.strip_prefix("p=")?)?;
        if it.next().is_some() {
            return None;
        }
        let params = KdfParams { m_kib: m, t, p };
        // Only the exact canonical spelling is accepted ("m=065536" is not).
        (params.canonical() == s).then_some(params)
    }

    /// The floor and ceiling checks, done before any work is spent on derivation.
    pub fn check(&self) -> Result<()> {
        if self.m_kib < FLOOR_M_KIB || self.t < FLOOR_T {
            return Err(Error::KdfTooWeak {
                m_kib: self.m_kib,
                t: self.t,
            });
        }
        if self.m_kib > MAX_M_KIB || self.t > MAX_T || self.p == 0 || self.p > MAX_P {
            return Err(Error::invalid(
                "key derivation parameters",
                format!(
                    "out of range ({}); Keydeck accepts m ≤ {MAX_M_KIB} KiB, t ≤ {MAX_T}, \
                     1 ≤ p ≤ {MAX_P}",
                    self.canonical()
                ),
            ));
        }
        Ok(())
    }

    /// Derives the 32-byte KEK straight into its zeroizing buffer.
    pub fn derive(&self, password: &[u8], salt: &[u8]) -> Result<Key32> {
        self.check()?;
        let params = Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| Error::invalid("key derivation parameters", e.to_string()))?;
        let mut kek = Key32::zeroed();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(password, salt, kek.as_mut_bytes())
            .map_err(|e| Error::invalid("key derivation", e.to_string()))?;
        Ok(kek)
    }
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_round_trip() {
        let p = KdfParams::default();
        assert_eq!(p.canonical(), "argon2id:v=19,m=65536,t=3,p=4");
        assert_eq!(KdfParams::parse(&p.canonical()), Some(p));
        assert_eq!(KdfParams::parse("argon2id:v=19,m=065536,t=3,p=4"), None);
        assert_eq!(KdfParams::parse("argon2id:v=19,m=65536,t=3,p=4,x=1"), None);
        assert_eq!(KdfParams::parse("argon2i:v=19,m=65536,t=3,p=4"), None);
    }

    #[test]
    fn floor_and_ceiling() {
        let weak = KdfParams {
            m_kib: 8192,
            t: 3,
            p: 4,
        };
        assert!(matches!(weak.check(), Err(Error::KdfTooWeak { .. })));
        let one_pass = KdfParams {
            t: 1,
            ..KdfParams::default()
        };
        assert!(matches!(one_pass.check(), Err(Error::KdfTooWeak { .. })));
        let huge = KdfParams {
            m_kib: u32::MAX,
            ..KdfParams::default()
        };
        assert!(matches!(huge.check(), Err(Error::InvalidInput { .. })));
        assert!(KdfParams::FLOOR.check().is_ok());
    }

    #[test]
    fn rfc9106_argon2id_shape() {
        // Same inputs, same key; different salt, different key.
        let p = KdfParams::FLOOR;
        let a = p.derive(b"pw", &[1; 32]).unwrap();
        let b = p.derive(b"pw", &[1; 32]).unwrap();
        let c = p.derive(b"pw", &[2; 32]).unwrap();
        assert_eq!(a.as_bytes(), b.as_bytes());
        assert_ne!(a.as_bytes(), c.as_bytes());
    }
}
