//! Argon2id (RFC 9106) for the password slot. Parameters are stored in the slot as one canonical
//! ASCII string, `argon2id:v=19,m=<KiB>,t=<passes>,p=<lanes>`, which is also what the slot's AAD
//! binds: change any digit and the unwrap fails.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use zeroize::Zeroize;

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
        self.derive_in(password, salt, None)
    }

    /// Like [`derive`](Self::derive), working in `memory` when it is large enough for these
    /// parameters (else in a fresh allocation, as `derive` does).
    pub fn derive_in(
        &self,
        password: &[u8],
        salt: &[u8],
        memory: Option<&mut KdfMemory>,
    ) -> Result<Key32> {
        self.check()?;
        let params = Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| Error::invalid("key derivation parameters", e.to_string()))?;
        let needed = params.block_count();
        let mut kek = Key32::zeroed();
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let done = match memory {
            Some(m) if m.blocks.len() >= needed => argon.hash_password_into_with_memory(
                password,
                salt,
                kek.as_mut_bytes(),
                &mut m.blocks[..needed],
            ),
            _ => argon.hash_password_into(password, salt, kek.as_mut_bytes()),
        };
        done.map_err(|e| Error::invalid("key derivation", e.to_string()))?;
        Ok(kek)
    }
}

/// Argon2's working memory (m KiB), allocated and written ahead of time.
///
/// Why: on a fresh allocation about 40 % of a default unlock (64 MiB) is the kernel handing out
/// and zeroing 16,384 pages one fault at a time — measured here, 97–111 ms fresh against
/// 64–68 ms in memory that was already touched. The app prepares this while the user types the
/// master password, so the unlock pays only for Argon2 itself.
///
/// After a derivation the blocks hold state derived from the password, so they are zeroized on
/// drop (drop it off the latency path; 64 MiB take a few milliseconds to clear).
pub struct KdfMemory {
    blocks: Vec<Block>,
}

impl KdfMemory {
    /// Enough memory for `params`, every page already faulted in.
    pub fn for_params(params: &KdfParams) -> Self {
        // `vec![x; n]` writes every element (Block has no all-zero fast path), which is the point:
        // the pages are mapped now rather than during the unlock.
        KdfMemory {
            blocks: vec![Block::default(); params.m_kib as usize],
        }
    }

    /// Size in bytes (1 KiB per Argon2 block).
    pub fn len_bytes(&self) -> usize {
        self.blocks.len() * 1024
    }
}

impl Drop for KdfMemory {
    fn drop(&mut self) {
        self.blocks.iter_mut().for_each(Zeroize::zeroize);
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

    #[test]
    fn prepared_memory_gives_the_same_key_and_can_be_reused() {
        let p = KdfParams::FLOOR;
        let fresh = p.derive(b"pw", &[1; 32]).unwrap();
        // Larger than needed (the app prepares for the default parameters): only the first
        // m blocks are used, and reuse after a derivation changes nothing.
        let mut mem = KdfMemory::for_params(&KdfParams {
            m_kib: p.m_kib + 4096,
            ..p
        });
        for _ in 0..2 {
            let k = p.derive_in(b"pw", &[1; 32], Some(&mut mem)).unwrap();
            assert_eq!(k.as_bytes(), fresh.as_bytes());
        }
        // Too small for the parameters: falls back to a fresh allocation, same key.
        let mut small = KdfMemory::for_params(&KdfParams { m_kib: 1024, ..p });
        let k = p.derive_in(b"pw", &[1; 32], Some(&mut small)).unwrap();
        assert_eq!(k.as_bytes(), fresh.as_bytes());
        assert_eq!(small.len_bytes(), 1024 * 1024);
    }
}
