//! AES-256-GCM with 96-bit random nonces, and the associated-data layouts of format v1
//! (`docs/vault-format.md` §3). Every AEAD failure becomes one opaque `TagMismatch`: callers
//! decide whether that means "wrong password" or "integrity", and nothing else leaks.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use zeroize::Zeroizing;

use crate::secret::Key32;

pub const NONCE_LEN: usize = 12;

/// The only AEAD failure there is.
#[derive(Debug)]
pub struct TagMismatch;

/// Fills `buf` from the OS CSPRNG. Failure to read the OS RNG leaves us with no safe way to
/// make keys or nonces at all, so it aborts the operation loudly rather than continuing.
pub fn fill_random(buf: &mut [u8]) {
    #[allow(clippy::expect_used)]
    getrandom::fill(buf).expect("the operating system's random number generator failed");
}

pub fn random_nonce() -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    fill_random(&mut n);
    n
}

/// An expanded AES-256-GCM key. The vault keeps one for its key instead of re-running the key
/// schedule per item (a measurable share of decrypting 10,000 accounts). Its round keys are
/// zeroed on drop (the crates' `zeroize` feature).
pub struct Cipher(Aes256Gcm);

impl Cipher {
    pub fn new(key: &Key32) -> Cipher {
        // A 32-byte key always fits AES-256.
        #[allow(clippy::expect_used)]
        Cipher(Aes256Gcm::new_from_slice(key.as_bytes()).expect("32-byte key"))
    }
}

/// Encrypts under a fresh random nonce; returns `(nonce, ciphertext‖tag)`.
pub fn seal(key: &Key32, aad: &[u8], plaintext: &[u8]) -> ([u8; NONCE_LEN], Vec<u8>) {
    seal_with(&Cipher::new(key), aad, plaintext)
}

pub fn seal_with(cipher: &Cipher, aad: &[u8], plaintext: &[u8]) -> ([u8; NONCE_LEN], Vec<u8>) {
    let nonce = random_nonce();
    #[allow(clippy::expect_used)]
    let ct = cipher
        .0
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("AES-GCM encryption cannot fail for inputs under 64 GiB");
    (nonce, ct)
}

/// Decrypts `ciphertext‖tag`. A nonce of the wrong length is a mismatch like any other.
pub fn open(
    key: &Key32,
    aad: &[u8],
    nonce: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, TagMismatch> {
    open_with(&Cipher::new(key), aad, nonce, ciphertext)
}

pub fn open_with(
    cipher: &Cipher,
    aad: &[u8],
    nonce: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, TagMismatch> {
    let nonce: &[u8; NONCE_LEN] = nonce.try_into().map_err(|_| TagMismatch)?;
    cipher
        .0
        .decrypt(
            nonce.into(),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| TagMismatch)
}

/// Appends `u32be(len) ‖ bytes`: every variable-length AAD field is length-prefixed so that no
/// two different field tuples can produce the same AAD.
fn push_lp(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

pub const SLOT_AAD_PREFIX: &[u8] = b"keydeck/v1/slot";
pub const ITEM_AAD_PREFIX: &[u8] = b"keydeck/v1/item";

/// `"keydeck/v1/slot" ‖ vault_id ‖ slot_id ‖ lp(kind) ‖ lp(params) ‖ lp(salt)`
pub fn slot_aad(
    vault_id: &[u8; 16],
    slot_id: &[u8; 16],
    kind: &str,
    params: &str,
    salt: &[u8],
) -> Vec<u8> {
    let mut aad = Vec::with_capacity(96 + params.len());
    aad.extend_from_slice(SLOT_AAD_PREFIX);
    aad.extend_from_slice(vault_id);
    aad.extend_from_slice(slot_id);
    push_lp(&mut aad, kind.as_bytes());
    push_lp(&mut aad, params.as_bytes());
    push_lp(&mut aad, salt);
    aad
}

/// `"keydeck/v1/item" ‖ vault_id ‖ item_id ‖ lp(kind)`
pub fn item_aad(vault_id: &[u8; 16], item_id: &[u8; 16], kind: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(64);
    aad.extend_from_slice(ITEM_AAD_PREFIX);
    aad.extend_from_slice(vault_id);
    aad.extend_from_slice(item_id);
    push_lp(&mut aad, kind.as_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_aad_binding() {
        let k = Key32::random();
        let (n, ct) = seal(&k, b"aad", b"hello");
        assert_eq!(&open(&k, b"aad", &n, &ct).unwrap()[..], b"hello");
        assert!(open(&k, b"aad2", &n, &ct).is_err());
        assert!(open(&k, b"aad", &n[..11], &ct).is_err());
        assert!(open(&Key32::random(), b"aad", &n, &ct).is_err());
    }

    #[test]
    fn nonces_are_fresh() {
        let k = Key32::random();
        let (n1, c1) = seal(&k, b"", b"same");
        let (n2, c2) = seal(&k, b"", b"same");
        assert_ne!(n1, n2);
        assert_ne!(c1, c2);
    }

    #[test]
    fn aad_fields_are_unambiguous() {
        let v = [1u8; 16];
        let s = [2u8; 16];
        assert_ne!(
            slot_aad(&v, &s, "ab", "c", b""),
            slot_aad(&v, &s, "a", "bc", b"")
        );
        assert_ne!(item_aad(&v, &s, "account"), item_aad(&v, &s, "event"));
    }
}
