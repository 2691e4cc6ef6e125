//! FreeOTP (Android): its backups, two generations.
//!
//! - FreeOTP 1.x kept its tokens in `shared_prefs/tokens.xml`: one `<string>` per token whose
//!   text is the token as JSON (`issuerExt`, `label`, `type`, `algo`, `digits`, `period`,
//!   `counter`, and `secret` as an array of signed bytes), plus a `tokenOrder` list. FreeOTP+
//!   keeps the same file, so its internal XML is read here too.
//! - FreeOTP 2 backs up (`externalization.dat`, Android backup) a Java-serialized
//!   `java.util.HashMap<String, String>`: `<uuid>-token` → the token JSON without its secret,
//!   `<uuid>` → `{"key": "<encrypted key JSON>"}`, and `masterKey` → the master key encrypted
//!   under the backup password: PBKDF2 (`mAlgorithm`, `mIterations`, `mSalt`) gives a 256-bit
//!   key that opens `mEncryptedKey` (AES-GCM; the nonce in `mParameters`, DER
//!   `GCMParameters`; the key's algorithm name `mToken` as associated data); the master key then
//!   opens each token's key the same way. Only as much of Java serialization is read as such a
//!   map needs; anything else is refused.
//!
//! A HOTP `counter` is FreeOTP's next counter, kept as it is.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{parse_json, parse_xml, Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Otp, OtpKind};
use crate::secret::SecretBytes;

pub struct FreeOtp;

const TITLE: &str = "FreeOTP backup";
/// Java serialization's stream magic and version.
const JAVA_MAGIC: &[u8] = &[0xac, 0xed, 0x00, 0x05];
/// The most PBKDF2 iterations accepted (FreeOTP uses 100,000): a hostile file must not hang us.
const MAX_ITERATIONS: u32 = 10_000_000;

/// One FreeOTP token, as FreeOTP and FreeOTP+ write it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Token {
    #[serde(default)]
    pub algo: Option<String>,
    #[serde(default)]
    pub counter: Option<u64>,
    #[serde(default)]
    pub digits: Option<u8>,
    #[serde(default)]
    pub issuer_ext: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub period: Option<u32>,
    #[serde(default)]
    pub secret: Option<Zeroizing<Vec<i32>>>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

impl Token {
    pub(super) fn describe(&self, n: usize) -> String {
        format!(
            "entry {n} ({} / {})",
            self.issuer_ext.as_deref().unwrap_or_default(),
            self.label.as_deref().unwrap_or_default()
        )
    }

    /// The account, with the secret given (FreeOTP 2) or the token's own (signed bytes).
    pub(super) fn convert(&self, secret: Option<Zeroizing<Vec<u8>>>) -> Result<Imported> {
        let secret = match secret {
            Some(s) => s,
            None => {
                let signed = self
                    .secret
                    .as_ref()
                    .ok_or_else(|| Error::invalid("secret key", "missing"))?;
                let mut bytes = Zeroizing::new(Vec::with_capacity(signed.len()));
                for &b in signed.iter() {
                    let v = if (-128..0).contains(&b) { b + 256 } else { b };
                    bytes.push(
                        u8::try_from(v)
                            .map_err(|_| Error::invalid("secret key", "not a list of bytes"))?,
                    );
                }
                bytes
            }
        };
        let kind = match self
            .kind
            .as_deref()
            .unwrap_or("TOTP")
            .to_ascii_uppercase()
            .as_str()
        {
            "TOTP" => OtpKind::Totp,
            "HOTP" => OtpKind::Hotp,
            other => {
                return Err(Error::invalid(
                    "type",
                    format!("'{other}' is not supported"),
                ))
            }
        };
        let algorithm = match self.algo.as_deref() {
            None => crate::model::Algorithm::Sha1,
            Some(a) if a.eq_ignore_ascii_case("MD5") => {
                return Err(Error::invalid("algorithm", "MD5 is not supported"))
            }
            Some(a) => crate::otp::parse_algorithm(a)?,
        };
        let mut warnings = Vec::new();
        if secret.len() < crate::otp::WEAK_SECRET_BYTES {
            warnings.push(format!(
                "the secret key is only {} bits long; 80 or more is usual",
                secret.len() * 8
            ));
        }
        let otp = Otp {
            kind,
            secret: SecretBytes::new(secret.to_vec()),
            algorithm,
            digits: self.digits.unwrap_or(6),
            period: self.period.unwrap_or(30),
            counter: self.counter.unwrap_or(0),
        };
        crate::otp::validate(&otp)?;
        Ok(Imported {
            issuer: self.issuer_ext.clone().unwrap_or_default(),
            username: self.label.clone().unwrap_or_default(),
            otp: Some(otp),
            warnings,
            ..Default::default()
        })
    }
}

/// A token's secret when it is kept apart from the token (FreeOTP 2): opened, or why not.
pub(super) type KeptSecret = Option<Result<Zeroizing<Vec<u8>>>>;

/// Tokens into accounts and problems.
pub(super) fn convert_all(tokens: Vec<(Token, KeptSecret)>) -> Read {
    let mut read = Read::default();
    for (i, (t, secret)) in tokens.into_iter().enumerate() {
        let res = match secret {
            Some(Err(e)) => Err(e),
            Some(Ok(s)) => t.convert(Some(s)),
            None => t.convert(None),
        };
        match res {
            Ok(a) => read.accounts.push(a),
            Err(e) => read.problems.push(format!("{}: {e}", t.describe(i + 1))),
        }
    }
    read
}

impl Format for FreeOtp {
    fn name(&self) -> &'static str {
        "freeotp"
    }
    fn app(&self) -> &'static str {
        "FreeOTP"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        if input.bytes().starts_with(JAVA_MAGIC) {
            // A serialized HashMap whose strings include FreeOTP's master key.
            let head = &input.bytes()[..input.bytes().len().min(64)];
            let has = |needle: &[u8]| input.bytes().windows(needle.len()).any(|w| w == needle);
            if head.windows(17).any(|w| w == b"java.util.HashMap") && has(b"masterKey") {
                return Detected::ENCRYPTED;
            }
            return None;
        }
        let text = input.text()?;
        (text.trim_start().starts_with('<')
            && text.contains("<map")
            && text.contains("&quot;secret&quot;:[")
            && text.contains("&quot;type&quot;:"))
        .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        if input.bytes().starts_with(JAVA_MAGIC) {
            let map = java_string_map(input.bytes())?;
            return read_v2(&map, key);
        }
        let text = input
            .text()
            .ok_or_else(|| Error::invalid(TITLE, "the file is not UTF-8 text"))?;
        let doc = parse_xml(TITLE, text)?;
        let mut order: Vec<String> = Vec::new();
        let mut tokens = Vec::new();
        for n in doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("string"))
        {
            let name = n.attribute("name").unwrap_or_default();
            let value = n.text().unwrap_or_default();
            if name == "tokenOrder" {
                order = parse_json(TITLE, value.as_bytes()).unwrap_or_default();
                continue;
            }
            let t: Token = parse_json(TITLE, value.as_bytes())
                .map_err(|e| Error::invalid(TITLE, format!("token '{name}': {e}")))?;
            tokens.push((name.to_owned(), t));
        }
        // FreeOTP's own order when it is written down; tokens it does not list go last.
        tokens.sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(usize::MAX));
        Ok(convert_all(
            tokens.into_iter().map(|(_, t)| (t, None)).collect(),
        ))
    }
}

// ---- FreeOTP 2 ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MasterKey {
    m_algorithm: String,
    m_encrypted_key: EncryptedKey,
    m_iterations: u32,
    m_salt: Vec<i32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EncryptedKey {
    #[serde(default)]
    m_cipher: String,
    m_cipher_text: Vec<i32>,
    m_parameters: Vec<i32>,
    m_token: String,
}

#[derive(Deserialize)]
struct KeyHolder {
    key: String,
}

fn signed_bytes(what: &str, v: &[i32]) -> Result<Vec<u8>> {
    v.iter()
        .map(|&b| {
            let b = if (-128..0).contains(&b) { b + 256 } else { b };
            u8::try_from(b).map_err(|_| Error::invalid(TITLE, format!("{what} is not bytes")))
        })
        .collect()
}

/// The nonce out of DER `GCMParameters ::= SEQUENCE { nonce OCTET STRING, tagLen INTEGER }`,
/// or (older Android versions) the bare `OCTET STRING` of the nonce, with the usual 128-bit tag.
fn gcm_nonce(params: &[u8]) -> Result<[u8; 12]> {
    let bad = || Error::invalid(TITLE, "damaged encryption parameters");
    match params {
        [0x04, 12, nonce @ ..] => nonce.try_into().map_err(|_| bad()),
        [0x30, _, 0x04, 12, rest @ ..] => {
            let nonce = rest.get(..12).ok_or_else(bad)?;
            if rest.get(12..) != Some(&[0x02, 0x01, 0x10][..]) {
                return Err(Error::invalid(
                    TITLE,
                    "an AES-GCM tag other than 128 bits, which FreeOTP does not write",
                ));
            }
            nonce.try_into().map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

/// Opens an `EncryptedKey` with `key`; `None` when the tag does not match.
fn open(k: &[u8], e: &EncryptedKey) -> Result<Option<Zeroizing<Vec<u8>>>> {
    if !e.m_cipher.is_empty() && e.m_cipher != "AES/GCM/NoPadding" {
        return Err(Error::invalid(
            TITLE,
            format!("cipher '{}' is not one FreeOTP writes", e.m_cipher),
        ));
    }
    let nonce = gcm_nonce(&signed_bytes("the nonce", &e.m_parameters)?)?;
    let ct = signed_bytes("a key", &e.m_cipher_text)?;
    let cipher = Aes256Gcm::new_from_slice(k)
        .map_err(|_| Error::invalid(TITLE, "the master key is not 256 bits"))?;
    let payload = Payload {
        msg: &ct,
        aad: e.m_token.as_bytes(),
    };
    Ok(cipher
        .decrypt(&aes_gcm::Nonce::from(nonce), payload)
        .ok()
        .map(Zeroizing::new))
}

fn read_v2(map: &[(Zeroizing<String>, Zeroizing<String>)], key: &FileKey) -> Result<Read> {
    let what = super::describe(&FreeOtp, true);
    let get = |k: &str| map.iter().find(|(n, _)| n.as_str() == k).map(|(_, v)| v);
    let master: MasterKey = parse_json(
        TITLE,
        get("masterKey")
            .ok_or_else(|| Error::invalid(TITLE, "the master key is missing"))?
            .as_bytes(),
    )?;
    let password = key
        .password
        .as_ref()
        .ok_or_else(|| Error::FilePasswordNeeded { what: what.clone() })?;
    if master.m_iterations == 0 || master.m_iterations > MAX_ITERATIONS {
        return Err(Error::invalid(
            TITLE,
            format!(
                "{} PBKDF2 iterations is outside what FreeOTP writes (1 to {MAX_ITERATIONS})",
                master.m_iterations
            ),
        ));
    }
    let salt = signed_bytes("the salt", &master.m_salt)?;
    let mut derived = Zeroizing::new([0u8; 32]);
    let pw = password.expose().as_bytes();
    match master.m_algorithm.to_ascii_lowercase().as_str() {
        "pbkdf2withhmacsha1" => {
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pw, &salt, master.m_iterations, &mut derived[..])
        }
        "pbkdf2withhmacsha256" => {
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw, &salt, master.m_iterations, &mut derived[..])
        }
        "pbkdf2withhmacsha512" => {
            pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pw, &salt, master.m_iterations, &mut derived[..])
        }
        other => {
            return Err(Error::invalid(
                TITLE,
                format!("key derivation '{other}' is not one FreeOTP writes"),
            ))
        }
    }
    // A wrong password and a damaged master key both fail the tag.
    let master_key =
        open(&derived[..], &master.m_encrypted_key)?.ok_or(Error::WrongFilePassword { what })?;

    let mut tokens = Vec::new();
    for (name, value) in map {
        let Some(uuid) = name.strip_suffix("-token") else {
            continue;
        };
        let token: Token = parse_json(TITLE, value.as_bytes())?;
        let secret = match get(uuid) {
            None => Err(Error::invalid("secret key", "missing from the backup")),
            Some(holder) => parse_json::<KeyHolder>(TITLE, holder.as_bytes())
                .and_then(|h| parse_json::<EncryptedKey>(TITLE, h.key.as_bytes()))
                .and_then(|e| open(&master_key, &e))
                .and_then(|s| s.ok_or_else(|| Error::invalid("secret key", "damaged"))),
        };
        tokens.push((token, Some(secret)));
    }
    Ok(convert_all(tokens))
}

// ---- Java serialization: just a HashMap<String, String> -----------------------------------

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7c;
const BASE_HANDLE: u32 = 0x7e_0000;
/// More entries than any FreeOTP holds; refused rather than looped over.
const MAX_ENTRIES: usize = 100_000;

struct Stream<'a> {
    b: &'a [u8],
    pos: usize,
    /// Every handle assigned so far: `Some` for strings (they may be referenced again).
    handles: Vec<Option<Zeroizing<String>>>,
}

fn damaged(why: &str) -> Error {
    Error::invalid(
        TITLE,
        format!("not a FreeOTP backup Keydeck can read ({why})"),
    )
}

impl<'a> Stream<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or_else(|| damaged("truncated"))?;
        let s = self
            .b
            .get(self.pos..end)
            .ok_or_else(|| damaged("truncated"))?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<usize> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]) as usize)
    }
    fn u32(&mut self) -> Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn utf(&mut self, len: usize) -> Result<Zeroizing<String>> {
        let raw = self.take(len)?;
        modified_utf8(raw).ok_or_else(|| damaged("a string is not valid modified UTF-8"))
    }
    /// A string object: new, long, or a reference to one read before.
    fn string(&mut self) -> Result<Zeroizing<String>> {
        match self.u8()? {
            TC_STRING => {
                let len = self.u16()?;
                let s = self.utf(len)?;
                self.handles.push(Some(s.clone()));
                Ok(s)
            }
            TC_LONGSTRING => {
                let s = self.take(8)?;
                let len = u64::from_be_bytes(s.try_into().map_err(|_| damaged("truncated"))?);
                let len = usize::try_from(len).map_err(|_| damaged("truncated"))?;
                let s = self.utf(len)?;
                self.handles.push(Some(s.clone()));
                Ok(s)
            }
            TC_REFERENCE => {
                let h = self.u32()?;
                let i = h
                    .checked_sub(BASE_HANDLE)
                    .ok_or_else(|| damaged("bad reference"))?;
                match self.handles.get(i as usize) {
                    Some(Some(s)) => Ok(s.clone()),
                    _ => Err(damaged("a reference to something other than a string")),
                }
            }
            TC_NULL => Err(damaged("a null key or value")),
            _ => Err(damaged("a map entry that is not a string")),
        }
    }
    /// A class description; returns its name and the byte size of its primitive fields.
    fn class_desc(&mut self) -> Result<(Zeroizing<String>, usize, u8)> {
        if self.u8()? != TC_CLASSDESC {
            return Err(damaged("no class description"));
        }
        let len = self.u16()?;
        let name = self.utf(len)?;
        self.take(8)?; // serialVersionUID
        let flags = self.u8()?;
        self.handles.push(None);
        let fields = self.u16()?;
        let mut size = 0usize;
        for _ in 0..fields {
            let code = self.u8()?;
            let len = self.u16()?;
            self.take(len)?;
            size += match code {
                b'B' | b'Z' => 1,
                b'C' | b'S' => 2,
                b'I' | b'F' => 4,
                b'J' | b'D' => 8,
                _ => return Err(damaged("a map with object fields")),
            };
        }
        if self.u8()? != TC_ENDBLOCKDATA {
            return Err(damaged("class annotations"));
        }
        if self.u8()? != TC_NULL {
            return Err(damaged("a map class with a superclass"));
        }
        Ok((name, size, flags))
    }
}

/// Java's modified UTF-8 (NUL as two bytes, characters outside the BMP as surrogate pairs).
fn modified_utf8(raw: &[u8]) -> Option<Zeroizing<String>> {
    let mut units: Zeroizing<Vec<u16>> = Zeroizing::new(Vec::with_capacity(raw.len()));
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        let cont = |k: usize| raw.get(i + k).copied().filter(|c| c & 0xc0 == 0x80);
        if b < 0x80 {
            units.push(b as u16);
            i += 1;
        } else if b & 0xe0 == 0xc0 {
            units.push(((b as u16 & 0x1f) << 6) | (cont(1)? as u16 & 0x3f));
            i += 2;
        } else if b & 0xf0 == 0xe0 {
            units.push(
                ((b as u16 & 0x0f) << 12)
                    | ((cont(1)? as u16 & 0x3f) << 6)
                    | (cont(2)? as u16 & 0x3f),
            );
            i += 3;
        } else {
            return None;
        }
    }
    String::from_utf16(&units).ok().map(Zeroizing::new)
}

/// The entries of a serialized `java.util.HashMap<String, String>`, in stream order.
fn java_string_map(b: &[u8]) -> Result<Vec<(Zeroizing<String>, Zeroizing<String>)>> {
    let mut s = Stream {
        b,
        pos: JAVA_MAGIC.len(),
        handles: Vec::new(),
    };
    if b.get(..4) != Some(JAVA_MAGIC) || s.u8()? != TC_OBJECT {
        return Err(damaged("not a serialized object"));
    }
    let (name, size, flags) = s.class_desc()?;
    if name.as_str() != "java.util.HashMap" {
        return Err(damaged("not a HashMap"));
    }
    s.handles.push(None); // the map object
    s.take(size)?; // loadFactor, threshold
    if flags & 0x01 == 0 || s.u8()? != TC_BLOCKDATA || s.u8()? != 8 {
        return Err(damaged("no map header"));
    }
    s.take(4)?; // capacity
    let count = s.u32()? as usize;
    if count > MAX_ENTRIES {
        return Err(damaged("too many entries"));
    }
    let mut out = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        let k = s.string()?;
        let v = s.string()?;
        out.push((k, v));
    }
    if s.u8()? != TC_ENDBLOCKDATA {
        return Err(damaged("the map does not end"));
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::model::Algorithm;

    fn input(rel: &str) -> Input {
        Input::new(testdata::bytes(rel)).unwrap()
    }

    fn secret(a: &Imported) -> String {
        crate::otp::encode_secret(a.otp.as_ref().unwrap().secret.expose())
    }

    /// Every account equals the Aegis vector with its secret; `hotp_less` is what FreeOTP's
    /// stored counter is below the vector's (Aegis DatabaseImporterTest: FreeOTP v1 and FreeOTP+
    /// files hold counter - 1).
    pub(crate) fn check_vectors(r: &Read, n: usize, hotp_less: u64) {
        use crate::import::otp_fields::check::{aegis_vectors, same, Want};
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.accounts.len(), n);
        let vectors = aegis_vectors();
        for a in &r.accounts {
            let s = secret(a);
            let w = vectors
                .iter()
                .find(|v| v.secret == s)
                .unwrap_or_else(|| panic!("unexpected secret for {}", a.issuer));
            let less = if w.kind == OtpKind::Hotp {
                hotp_less
            } else {
                0
            };
            same(
                a,
                &Want {
                    period_or_counter: w.period_or_counter - less,
                    ..*w
                },
            );
        }
    }

    #[test]
    fn freeotp_v1_tokens_xml() {
        // Aegis: 4 tokens (WWE, Airbnb, Deno, Issuu); counters as stored.
        let i = input("aegis/importers/freeotp.xml");
        assert_eq!(FreeOtp.detect(&i), Detected::PLAIN);
        let r = FreeOtp.read(&i, &FileKey::default()).unwrap();
        check_vectors(&r, 4, 1);
    }

    #[test]
    fn freeotp_plus_internal_xml() {
        let i = input("aegis/importers/freeotp_plus_internal.xml");
        assert_eq!(FreeOtp.detect(&i), Detected::PLAIN);
        let r = FreeOtp.read(&i, &FileKey::default()).unwrap();
        check_vectors(&r, 6, 1);
        // In tokenOrder's order.
        assert_eq!(r.accounts[0].issuer, "WWE");
    }

    #[test]
    fn freeotp_v2_backups() {
        // Aegis DatabaseImporterTest: password "test", vectors[0..6] exactly.
        for api in ["23", "25", "27", "34"] {
            let rel = format!("aegis/importers/freeotp_v2_api{api}.xml");
            let i = input(&rel);
            assert_eq!(FreeOtp.detect(&i), Detected::ENCRYPTED, "{rel}");
            let r = FreeOtp
                .read(&i, &FileKey::password("test"))
                .unwrap_or_else(|e| panic!("{rel}: {e}"));
            check_vectors(&r, 6, 0);
        }
    }

    #[test]
    fn freeotp_v2_null_algorithm_is_sha1() {
        let i = input("aegis/importers/freeotp_v2_null_algo.xml");
        assert_eq!(FreeOtp.detect(&i), Detected::ENCRYPTED);
        let r = FreeOtp.read(&i, &FileKey::password("test")).unwrap();
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(!r.accounts.is_empty());
        assert!(r
            .accounts
            .iter()
            .any(|a| a.otp.as_ref().unwrap().algorithm == Algorithm::Sha1));
    }

    #[test]
    fn stratum_freeotp_bin() {
        // Stratum FreeOtpBackupConverterTest: "test" gives 7 authenticators, "test1" is wrong.
        let i = input("stratum_authenticatorpro/data/freeotp.bin");
        assert_eq!(FreeOtp.detect(&i), Detected::ENCRYPTED);
        let r = FreeOtp.read(&i, &FileKey::password("test")).unwrap();
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.accounts.len(), 7);
        // The same tokens as Stratum's backup.html / urilist.txt.
        let many = r.accounts.iter().find(|a| a.issuer == "Many").unwrap();
        assert_eq!(many.username, "Digits");
        assert_eq!(secret(many), "WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS");
        assert_eq!(many.otp.as_ref().unwrap().digits, 9);
        let hotp = r.accounts.iter().find(|a| a.username == "Hotp").unwrap();
        assert_eq!(secret(hotp), "JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB");
        assert_eq!(hotp.otp.as_ref().unwrap().counter, 10);
        let e = FreeOtp.read(&i, &FileKey::password("test1")).err().unwrap();
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
    }

    #[test]
    fn damaged_v2_backups_are_refused() {
        let bytes = testdata::bytes("aegis/importers/freeotp_v2_api34.xml");
        for cut in [10, 100, bytes.len() / 2, bytes.len() - 1] {
            let i = Input::new(bytes[..cut].to_vec()).unwrap();
            if FreeOtp.detect(&i).is_some() {
                let e = FreeOtp.read(&i, &FileKey::password("test")).err().unwrap();
                assert!(matches!(e, Error::InvalidInput { .. }), "cut {cut}: {e}");
            }
        }
        // A flipped bit inside the master key's ciphertext fails its tag.
        let at = bytes
            .windows(b"mCipherText".len())
            .position(|w| w == b"mCipherText")
            .unwrap();
        let mut flipped = bytes.clone();
        // The first digit of the first byte of the ciphertext: "[-49" → "[-59".
        let digit = at
            + flipped[at..]
                .iter()
                .position(|&c| c.is_ascii_digit())
                .unwrap();
        flipped[digit] = if flipped[digit] == b'1' { b'2' } else { b'1' };
        let i = Input::new(flipped).unwrap();
        assert!(FreeOtp.read(&i, &FileKey::password("test")).is_err());
    }

    #[test]
    fn absurd_iterations_are_refused() {
        let json = r#"{"mAlgorithm":"PBKDF2withHmacSHA1","mEncryptedKey":{"mCipherText":[],"mParameters":[],"mToken":"AES"},"mIterations":4294967295,"mSalt":[1]}"#.to_owned();
        let map = vec![(Zeroizing::new("masterKey".to_owned()), Zeroizing::new(json))];
        let e = read_v2(&map, &FileKey::password("x")).err().unwrap();
        assert!(e.to_string().contains("iterations"), "{e}");
    }
}
