//! Secret containers. None of them implements `Debug`, `Clone`, `Display` or `Serialize`: a
//! secret can only be read through `expose()`, and its memory is zeroed when it is dropped.

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A 256-bit key: the vault key (VK) or a key-encryption key (KEK).
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Key32([u8; 32]);

impl Key32 {
    pub(crate) fn zeroed() -> Self {
        Key32([0; 32])
    }
    pub(crate) fn random() -> Self {
        let mut k = Self::zeroed();
        crate::crypto::fill_random(&mut k.0);
        k
    }
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(Key32(arr))
    }
    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8; 32] {
        &mut self.0
    }
}

/// A key-encryption key handed in from outside (e.g. read from the OS keychain).
pub struct Kek(pub(crate) Key32);

impl Kek {
    /// A fresh random KEK, for a new keychain slot.
    pub fn random() -> Self {
        Kek(Key32::random())
    }
    /// Takes exactly 32 bytes; anything else is `None`.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Key32::from_slice(bytes).map(Kek)
    }
    pub fn expose(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }
}

/// Secret text: a password, a master password, a recovery code.
#[derive(Default, Zeroize, ZeroizeOnDrop)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(s: impl Into<String>) -> Self {
        SecretText(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// An explicit copy; named so that a copy of a secret is never made by accident.
    pub fn duplicate(&self) -> Self {
        SecretText(self.0.clone())
    }
}

impl From<String> for SecretText {
    fn from(s: String) -> Self {
        SecretText(s)
    }
}

impl From<Zeroizing<String>> for SecretText {
    fn from(mut s: Zeroizing<String>) -> Self {
        SecretText(std::mem::take(&mut *s))
    }
}

/// Secret bytes: an OTP shared secret.
#[derive(Default, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    pub fn new(v: Vec<u8>) -> Self {
        SecretBytes(v)
    }
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
    pub fn duplicate(&self) -> Self {
        SecretBytes(self.0.clone())
    }
}
