//! Google Authenticator "Transfer accounts" export links:
//! `otpauth-migration://offline?data=<base64 of a protobuf MigrationPayload>`.
//!
//! One export may span several QR codes ("batches"); every code carries the same random
//! `batch_id`, its 0-based `batch_index` and the total `batch_size`. [`BatchSet`] reassembles
//! them; [`encode_uris`] writes exports the same way Google does.
//!
//! Decoding is deliberately forgiving, because these links pass through QR scanners, clipboards
//! and chat apps before they reach us:
//! - the scheme, the `offline` host and the `data` key are matched case-insensitively; a trailing
//!   `/` after the host, other query parameters, a `#fragment` and surrounding whitespace are
//!   ignored;
//! - `data` may be percent-encoded (`%2B %2F %3D`, either hex case), not encoded at all (raw
//!   `+ / =`), a mix of both, or percent-encoded twice (`%252B`);
//! - padding may be missing, a `+` that some form decoder turned into a space (or `%20`) is read
//!   back as `+`, the URL-safe alphabet (`-`, `_`) is accepted, and line breaks/tabs inside the
//!   data are skipped;
//! - unknown protobuf fields (newer app versions add e.g. a `unique_id`) are skipped, and a name
//!   or issuer that is not valid UTF-8 is repaired lossily instead of failing the whole export;
//! - unspecified enum values (0, or the field absent) get the Key Uri Format defaults: algorithm
//!   SHA-1, 6 digits; an unspecified type is read as TOTP, by far the common kind.
//!
//! What is *not* forgiven: an algorithm the format can name but we cannot compute (MD5), enum
//! values outside the format, an entry without a secret, or a negative HOTP counter. These fail
//! with [`MigrationError::Unsupported`] naming the entry, so nothing is imported half-right.
//!
//! Error messages never contain the `data` text or secret bytes. Buffers holding decoded secrets
//! are zeroized; [`MigrationEntry`] zeroizes itself on drop and has no `Debug` or `Clone`.

use std::collections::BTreeMap;
use std::fmt;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use prost::Message as _;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

const SCHEME: &str = "otpauth-migration://";
const HOST: &str = "offline";

/// Largest `batch_size` [`BatchSet`] accepts. A QR code carries about ten accounts, so this
/// allows thousands of accounts while keeping a hostile `batch_size` from costing memory.
const MAX_BATCH_PARTS: i32 = 1000;

/// Longest `data` value accepted. One QR code holds under 3 KB of binary, i.e. about 4 KB of
/// base64 or 12 KB fully percent-encoded; anything far larger is not a scanned export, and
/// capping it bounds the per-byte bookkeeping below.
const MAX_DATA_LEN: usize = 64 * 1024;

/// How many times `data` is percent-decoded at most (handles double encoding).
const MAX_PERCENT_PASSES: usize = 3;

/// How many missing part numbers [`MigrationError::MissingParts`] spells out before "N more".
const MAX_LISTED_PARTS: usize = 10;

/// Standard alphabet; encodes with padding, decodes with or without it, and tolerates non-zero
/// trailing bits (some encoders leave them).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The wire format, written by hand (no build script, no protoc).
mod proto {
    use zeroize::{Zeroize, ZeroizeOnDrop};

    /// Enum fields are kept as raw `i32` so values this code does not know survive decoding and
    /// can be reported instead of silently becoming a default. `name` and `issuer` are declared
    /// `bytes` (wire-identical to `string`) so invalid UTF-8 can be repaired lossily.
    /// No `Debug` (`skip_debug`): these structs hold secrets.
    #[derive(prost::Message, Zeroize, ZeroizeOnDrop)]
    #[prost(skip_debug)]
    pub(super) struct MigrationPayload {
        #[prost(message, repeated, tag = "1")]
        pub otp_parameters: Vec<OtpParameters>,
        #[prost(int32, tag = "2")]
        pub version: i32,
        #[prost(int32, tag = "3")]
        pub batch_size: i32,
        #[prost(int32, tag = "4")]
        pub batch_index: i32,
        #[prost(int32, tag = "5")]
        pub batch_id: i32,
    }

    #[derive(prost::Message, Zeroize, ZeroizeOnDrop)]
    #[prost(skip_debug)]
    pub(super) struct OtpParameters {
        #[prost(bytes = "vec", tag = "1")]
        pub secret: Vec<u8>,
        #[prost(bytes = "vec", tag = "2")]
        pub name: Vec<u8>,
        #[prost(bytes = "vec", tag = "3")]
        pub issuer: Vec<u8>,
        #[prost(int32, tag = "4")]
        pub algorithm: i32,
        #[prost(int32, tag = "5")]
        pub digits: i32,
        #[prost(int32, tag = "6")]
        pub otp_type: i32,
        #[prost(int64, tag = "7")]
        pub counter: i64,
    }

    // MigrationPayload.Algorithm
    pub(super) const ALGORITHM_UNSPECIFIED: i32 = 0;
    pub(super) const ALGORITHM_SHA1: i32 = 1;
    pub(super) const ALGORITHM_SHA256: i32 = 2;
    pub(super) const ALGORITHM_SHA512: i32 = 3;
    pub(super) const ALGORITHM_MD5: i32 = 4;
    // MigrationPayload.DigitCount
    pub(super) const DIGIT_COUNT_UNSPECIFIED: i32 = 0;
    pub(super) const DIGIT_COUNT_SIX: i32 = 1;
    pub(super) const DIGIT_COUNT_EIGHT: i32 = 2;
    // MigrationPayload.OtpType
    pub(super) const OTP_TYPE_UNSPECIFIED: i32 = 0;
    pub(super) const OTP_TYPE_HOTP: i32 = 1;
    pub(super) const OTP_TYPE_TOTP: i32 = 2;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationAlgorithm {
    Sha1,
    Sha256,
    Sha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationKind {
    Totp,
    Hotp,
}

/// One account from an export. Holds a secret: no `Debug`, `Clone` or `Serialize`, and it is
/// zeroized on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct MigrationEntry {
    pub secret: Vec<u8>,
    pub name: String,
    pub issuer: String,
    #[zeroize(skip)]
    pub algorithm: MigrationAlgorithm,
    /// 6 or 8: the only lengths the format can express.
    pub digits: u8,
    #[zeroize(skip)]
    pub kind: MigrationKind,
    /// HOTP counter; Google leaves it 0 for TOTP.
    pub counter: u64,
}

/// One decoded QR code. `batch_size`/`batch_index`/`batch_id` are as found (0 when absent);
/// feed several into a [`BatchSet`] to reassemble a multi-code export.
pub struct MigrationPayload {
    pub entries: Vec<MigrationEntry>,
    pub version: i32,
    pub batch_size: i32,
    pub batch_index: i32,
    pub batch_id: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationError {
    /// Not an `otpauth-migration://offline` link at all.
    NotMigrationUri,
    /// The link has no (or an empty) `data` parameter.
    MissingData,
    /// `data` is not base64. `position` is the 0-based byte offset within the `data` value as it
    /// appears in the link (before percent-decoding).
    BadBase64 { position: usize },
    /// The base64 decoded, but not to a MigrationPayload (truncated or corrupt).
    BadProtobuf(String),
    /// Entry `index` (0-based, within this QR code) uses something we cannot import.
    Unsupported { index: usize, reason: String },
    /// [`BatchSet::finish`]: the export `batch_id` lacks these 1-based part numbers of `total`.
    MissingParts {
        batch_id: i32,
        missing: Vec<i32>,
        total: i32,
    },
    /// [`BatchSet::add`]: QR codes that claim to belong together disagree, or batch fields are
    /// out of range.
    MixedBatch(String),
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotMigrationUri => f.write_str(
                "not a Google Authenticator export link (expected otpauth-migration://offline?data=…)",
            ),
            Self::MissingData => {
                f.write_str("the Google Authenticator export link has no data parameter")
            }
            Self::BadBase64 { position } => write!(
                f,
                "the export link's data is not valid base64 (problem at byte {position} of the data parameter)"
            ),
            Self::BadProtobuf(why) => {
                write!(f, "the export data is corrupt or truncated ({why})")
            }
            Self::Unsupported { index, reason } => write!(
                f,
                "account #{} in this QR code cannot be imported: {reason}",
                index.saturating_add(1)
            ),
            Self::MissingParts { missing, total, .. } => {
                f.write_str("the Google Authenticator export is incomplete: ")?;
                match missing.as_slice() {
                    [] => write!(f, "no part of {total} is missing"),
                    [one] => write!(f, "part {one} of {total} is missing"),
                    many => {
                        f.write_str("parts ")?;
                        if many.len() > MAX_LISTED_PARTS {
                            let (listed, rest) = many.split_at(MAX_LISTED_PARTS);
                            write!(f, "{} and {} more", join(listed), rest.len())?;
                        } else if let Some((last, init)) = many.split_last() {
                            write!(f, "{} and {last}", join(init))?;
                        }
                        write!(f, " of {total} are missing")
                    }
                }
            }
            Self::MixedBatch(why) => {
                write!(f, "these QR codes do not form one export: {why}")
            }
        }
    }
}

fn join(parts: &[i32]) -> String {
    parts
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::error::Error for MigrationError {}

/// Decodes one `otpauth-migration://offline?data=…` link (one QR code).
pub fn decode_uri(uri: &str) -> Result<MigrationPayload, MigrationError> {
    let data = data_param(uri)?;
    let bytes = decode_data(data)?;
    let mut raw = proto::MigrationPayload::decode(bytes.as_slice())
        .map_err(|e| MigrationError::BadProtobuf(describe_decode_error(&e)))?;
    let mut entries = Vec::with_capacity(raw.otp_parameters.len());
    for (index, params) in raw.otp_parameters.iter_mut().enumerate() {
        entries.push(entry_from_proto(index, params)?);
    }
    Ok(MigrationPayload {
        entries,
        version: raw.version,
        batch_size: raw.batch_size,
        batch_index: raw.batch_index,
        batch_id: raw.batch_id,
    })
}

/// Writes `entries` as Google does: `per_batch` accounts per link (0 is treated as 1), all links
/// sharing one fresh random `batch_id`, `batch_size` = number of links, 0-based `batch_index`,
/// `version` 1. No entries give no links.
///
/// The format can only say 6 or 8 digits: any `digits` other than 8 is written as 6. Counters
/// above `i64::MAX` are clamped (the wire type is int64). The returned links contain the secrets.
pub fn encode_uris(entries: &[MigrationEntry], per_batch: usize) -> Vec<String> {
    let chunks: Vec<&[MigrationEntry]> = entries.chunks(per_batch.max(1)).collect();
    let batch_size = i32::try_from(chunks.len()).unwrap_or(i32::MAX);
    let batch_id = new_batch_id();
    chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| {
            let raw = proto::MigrationPayload {
                otp_parameters: chunk.iter().map(entry_to_proto).collect(),
                version: 1,
                batch_size,
                batch_index: i32::try_from(index).unwrap_or(i32::MAX),
                batch_id,
            };
            let bytes = Zeroizing::new(raw.encode_to_vec());
            let b64 = Zeroizing::new(BASE64.encode(bytes.as_slice()));
            uri_for(&b64)
        })
        .collect()
}

/// Collects decoded payloads (e.g. from several scanned QR codes) and hands back the accounts of
/// complete exports.
///
/// Payloads with `batch_size` > 1 are grouped by `batch_id` into one export. A single-code
/// payload with a non-zero `batch_id` is a one-part export, so scanning it twice imports it once;
/// with `batch_id` 0 (hand-made payloads) each one stands alone. Scanning the same part twice is
/// fine. A rejected [`add`](Self::add) leaves the set unchanged.
#[derive(Default)]
pub struct BatchSet {
    /// Exports in the order their first part arrived.
    groups: Vec<Group>,
}

struct Group {
    /// `None`: a standalone payload without a usable batch id.
    batch_id: Option<i32>,
    total: i32,
    /// 0-based part index → that part's entries.
    parts: BTreeMap<i32, Vec<MigrationEntry>>,
}

impl BatchSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, p: MigrationPayload) -> Result<(), MigrationError> {
        let id = p.batch_id;
        // batch_size 0 means the field was absent: a one-code export.
        let total = p.batch_size.max(1);
        if total > MAX_BATCH_PARTS {
            return Err(MigrationError::MixedBatch(format!(
                "batch {id} claims {total} parts; at most {MAX_BATCH_PARTS} are accepted"
            )));
        }
        let index = if total == 1 { 0 } else { p.batch_index };
        if !(0..total).contains(&index) {
            return Err(MigrationError::MixedBatch(format!(
                "batch {id} has a part numbered {} but only {total} parts",
                i64::from(index) + 1
            )));
        }
        let key = (total > 1 || id != 0).then_some(id);
        let entries = p.entries;
        let Some(group) = self
            .groups
            .iter_mut()
            .find(|g| key.is_some() && g.batch_id == key)
        else {
            self.groups.push(Group {
                batch_id: key,
                total,
                parts: BTreeMap::from([(index, entries)]),
            });
            return Ok(());
        };
        if group.total != total {
            return Err(MigrationError::MixedBatch(format!(
                "QR codes with batch id {id} disagree on the number of parts ({} vs {total})",
                group.total
            )));
        }
        match group.parts.get(&index) {
            None => {
                group.parts.insert(index, entries);
                Ok(())
            }
            Some(seen) if same_entries(seen, &entries) => Ok(()),
            Some(_) => Err(MigrationError::MixedBatch(format!(
                "two different QR codes claim to be part {} of {total} of batch {id}",
                index + 1
            ))),
        }
    }

    /// All entries, export by export (in the order each export was first seen), part by part.
    /// Fails with [`MigrationError::MissingParts`] for the first export that is incomplete.
    pub fn finish(self) -> Result<Vec<MigrationEntry>, MigrationError> {
        for g in &self.groups {
            let missing: Vec<i32> = (0..g.total)
                .filter(|i| !g.parts.contains_key(i))
                .map(|i| i + 1)
                .collect();
            if !missing.is_empty() {
                return Err(MigrationError::MissingParts {
                    batch_id: g.batch_id.unwrap_or(0),
                    missing,
                    total: g.total,
                });
            }
        }
        Ok(self
            .groups
            .into_iter()
            .flat_map(|g| g.parts.into_values().flatten())
            .collect())
    }
}

fn same_entries(a: &[MigrationEntry], b: &[MigrationEntry]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.secret == y.secret
                && x.name == y.name
                && x.issuer == y.issuer
                && x.algorithm == y.algorithm
                && x.digits == y.digits
                && x.kind == y.kind
                && x.counter == y.counter
        })
}

// ---------------------------------------------------------------------------------------------
// Decoding helpers

/// The raw (still encoded) value of the `data` query parameter.
fn data_param(uri: &str) -> Result<&str, MigrationError> {
    let uri = uri.trim();
    let rest = uri
        .get(..SCHEME.len())
        .filter(|s| s.eq_ignore_ascii_case(SCHEME))
        .and_then(|_| uri.get(SCHEME.len()..))
        .ok_or(MigrationError::NotMigrationUri)?;
    let rest = rest.split('#').next().unwrap_or_default();
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    if !rest[..host_end].eq_ignore_ascii_case(HOST) {
        return Err(MigrationError::NotMigrationUri);
    }
    let query = rest[host_end..]
        .split_once('?')
        .map(|(_, q)| q)
        .ok_or(MigrationError::MissingData)?;
    query
        .split('&')
        .filter_map(|param| param.split_once('='))
        .find(|(key, value)| key.trim().eq_ignore_ascii_case("data") && !value.trim().is_empty())
        .map(|(_, value)| value)
        .ok_or(MigrationError::MissingData)
}

/// Percent-decodes, normalises and base64-decodes `data`, tracking where each byte came from so
/// an error can point into the original text.
fn decode_data(data: &str) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    if data.len() > MAX_DATA_LEN {
        return Err(MigrationError::BadProtobuf(format!(
            "the data parameter is {} bytes, far more than one QR code holds",
            data.len()
        )));
    }
    let mut buf = Zeroizing::new(data.as_bytes().to_vec());
    let mut origin: Vec<usize> = (0..buf.len()).collect();
    for _ in 0..MAX_PERCENT_PASSES {
        if !percent_decode_pass(&mut buf, &mut origin) || !buf.contains(&b'%') {
            break;
        }
    }

    // Undo the usual manglings: '+' turned into a space, URL-safe alphabet, line wrapping.
    let mut w = 0;
    for r in 0..buf.len() {
        let c = match buf[r] {
            b' ' | b'-' => b'+',
            b'_' => b'/',
            b'\r' | b'\n' | b'\t' => continue,
            c => c,
        };
        buf[w] = c;
        origin[w] = origin[r];
        w += 1;
    }
    buf.truncate(w);
    origin.truncate(w);
    while buf.last() == Some(&b'=') {
        buf.pop();
        origin.pop();
    }
    if buf.is_empty() {
        return Err(MigrationError::MissingData);
    }
    if let Some(i) = buf
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'+' || c == b'/'))
    {
        return Err(MigrationError::BadBase64 {
            position: origin[i],
        });
    }
    let last = origin.last().copied().unwrap_or(0);
    if buf.len() % 4 == 1 {
        // One dangling character cannot encode a byte: the data was cut off.
        return Err(MigrationError::BadBase64 { position: last });
    }
    BASE64
        .decode(buf.as_slice())
        .map(Zeroizing::new)
        .map_err(|e| {
            let at = match e {
                base64::DecodeError::InvalidByte(i, _)
                | base64::DecodeError::InvalidLastSymbol(i, _) => origin.get(i).copied(),
                _ => None,
            };
            MigrationError::BadBase64 {
                position: at.unwrap_or(last),
            }
        })
}

/// One in-place pass of `%XX` decoding; malformed escapes are left as they are (and later
/// rejected as non-base64). Returns whether anything was decoded.
fn percent_decode_pass(buf: &mut Vec<u8>, origin: &mut Vec<usize>) -> bool {
    fn hex(b: &u8) -> Option<u8> {
        (*b as char).to_digit(16).map(|d| d as u8)
    }
    let mut changed = false;
    let (mut r, mut w) = (0, 0);
    while r < buf.len() {
        let mut byte = buf[r];
        let from = origin[r];
        r += 1;
        if byte == b'%' {
            if let (Some(hi), Some(lo)) = (buf.get(r).and_then(hex), buf.get(r + 1).and_then(hex)) {
                byte = hi << 4 | lo;
                r += 2;
                changed = true;
            }
        }
        buf[w] = byte;
        origin[w] = from;
        w += 1;
    }
    // The dropped tail stays in the capacity, which `Zeroizing<Vec<u8>>` wipes on drop.
    buf.truncate(w);
    origin.truncate(w);
    changed
}

/// prost's message, minus its boilerplate prefix and minus the one detail that quotes data
/// (an invalid key's numeric value, which in a corrupt stream may be read from secret bytes).
fn describe_decode_error(e: &prost::DecodeError) -> String {
    let text = e.to_string();
    let text = text
        .strip_prefix("failed to decode Protobuf message: ")
        .unwrap_or(&text);
    match text.find("invalid key value") {
        Some(i) => format!("{}invalid field key", &text[..i]),
        None => text.to_owned(),
    }
}

fn entry_from_proto(
    index: usize,
    p: &mut proto::OtpParameters,
) -> Result<MigrationEntry, MigrationError> {
    let unsupported = |reason: String| MigrationError::Unsupported { index, reason };
    let algorithm = match p.algorithm {
        // Unspecified → SHA-1, the default of RFC 6238 and of the Key Uri Format.
        proto::ALGORITHM_UNSPECIFIED | proto::ALGORITHM_SHA1 => MigrationAlgorithm::Sha1,
        proto::ALGORITHM_SHA256 => MigrationAlgorithm::Sha256,
        proto::ALGORITHM_SHA512 => MigrationAlgorithm::Sha512,
        proto::ALGORITHM_MD5 => {
            return Err(unsupported("the MD5 algorithm is not supported".into()))
        }
        other => return Err(unsupported(format!("unknown algorithm (value {other})"))),
    };
    let digits = match p.digits {
        // Unspecified → 6 digits, likewise the Key Uri Format default.
        proto::DIGIT_COUNT_UNSPECIFIED | proto::DIGIT_COUNT_SIX => 6,
        proto::DIGIT_COUNT_EIGHT => 8,
        other => return Err(unsupported(format!("unknown digit count (value {other})"))),
    };
    let kind = match p.otp_type {
        // Unspecified → TOTP: by far the common kind, and unlike HOTP it needs no counter that
        // we would have to trust.
        proto::OTP_TYPE_UNSPECIFIED | proto::OTP_TYPE_TOTP => MigrationKind::Totp,
        proto::OTP_TYPE_HOTP => MigrationKind::Hotp,
        other => return Err(unsupported(format!("unknown OTP type (value {other})"))),
    };
    let counter = match (u64::try_from(p.counter), kind) {
        (Ok(c), _) => c,
        // A TOTP entry never uses its counter: don't reject it over garbage there.
        (Err(_), MigrationKind::Totp) => 0,
        (Err(_), MigrationKind::Hotp) => {
            return Err(unsupported("the HOTP counter is negative".into()))
        }
    };
    if p.secret.is_empty() {
        return Err(unsupported("the account has no secret".into()));
    }
    Ok(MigrationEntry {
        secret: std::mem::take(&mut p.secret),
        name: lossy_string(std::mem::take(&mut p.name)),
        issuer: lossy_string(std::mem::take(&mut p.issuer)),
        algorithm,
        digits,
        kind,
        counter,
    })
}

fn lossy_string(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let mut bytes = e.into_bytes();
            let s = String::from_utf8_lossy(&bytes).into_owned();
            bytes.zeroize();
            s
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers

fn entry_to_proto(e: &MigrationEntry) -> proto::OtpParameters {
    proto::OtpParameters {
        secret: e.secret.clone(),
        name: e.name.as_bytes().to_vec(),
        issuer: e.issuer.as_bytes().to_vec(),
        algorithm: match e.algorithm {
            MigrationAlgorithm::Sha1 => proto::ALGORITHM_SHA1,
            MigrationAlgorithm::Sha256 => proto::ALGORITHM_SHA256,
            MigrationAlgorithm::Sha512 => proto::ALGORITHM_SHA512,
        },
        digits: if e.digits == 8 {
            proto::DIGIT_COUNT_EIGHT
        } else {
            proto::DIGIT_COUNT_SIX
        },
        otp_type: match e.kind {
            MigrationKind::Totp => proto::OTP_TYPE_TOTP,
            MigrationKind::Hotp => proto::OTP_TYPE_HOTP,
        },
        counter: i64::try_from(e.counter).unwrap_or(i64::MAX),
    }
}

/// `otpauth-migration://offline?data=` + `b64` with `+ / =` percent-encoded, allocated once at
/// its final size so no partial copy of the secret is left behind by a reallocation.
fn uri_for(b64: &str) -> String {
    let prefix = "otpauth-migration://offline?data=";
    let escaped = b64
        .bytes()
        .filter(|b| matches!(b, b'+' | b'/' | b'='))
        .count();
    let mut uri = String::with_capacity(prefix.len() + b64.len() + 2 * escaped);
    uri.push_str(prefix);
    for c in b64.chars() {
        match c {
            '+' => uri.push_str("%2B"),
            '/' => uri.push_str("%2F"),
            '=' => uri.push_str("%3D"),
            c => uri.push(c),
        }
    }
    uri
}

/// A random non-zero batch id (0 reads as "absent"), from the OS CSPRNG.
fn new_batch_id() -> i32 {
    loop {
        let mut b = [0u8; 4];
        crate::crypto::fill_random(&mut b);
        let id = i32::from_le_bytes(b);
        if id != 0 {
            return id;
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;
    use std::path::PathBuf;

    /// The shared public test data (`../shared/testdata`, or `KEYDECK_TESTDATA`), read in place.
    fn fixtures() -> PathBuf {
        crate::import::testdata::dir()
    }

    fn read_fixture(rel: &str) -> String {
        let path = crate::import::testdata::path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// `unwrap_err` needs `T: Debug`, which entries deliberately lack.
    fn expect_err(r: Result<MigrationPayload, MigrationError>) -> MigrationError {
        match r {
            Ok(p) => panic!("expected an error, got {} entries", p.entries.len()),
            Err(e) => e,
        }
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 4648 base32, unpadded (what the fixtures print secrets as).
    fn base32(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut out = String::new();
        let (mut acc, mut bits) = (0u32, 0);
        for &b in bytes {
            acc = acc << 8 | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(ALPHABET[(acc >> bits & 31) as usize] as char);
            }
        }
        if bits > 0 {
            out.push(ALPHABET[(acc << (5 - bits) & 31) as usize] as char);
        }
        out
    }

    /// "SHA1", or "UNSPECIFIED(->SHA1)" as the fixture writes unset fields.
    fn unwrap_unspecified(v: &Value) -> String {
        match v {
            Value::String(s) => s
                .strip_prefix("UNSPECIFIED(->")
                .and_then(|s| s.strip_suffix(')'))
                .unwrap_or(s)
                .to_owned(),
            other => other.to_string(),
        }
    }

    fn algorithm_named(s: &str) -> MigrationAlgorithm {
        match s {
            "SHA1" => MigrationAlgorithm::Sha1,
            "SHA256" => MigrationAlgorithm::Sha256,
            "SHA512" => MigrationAlgorithm::Sha512,
            other => panic!("fixture algorithm {other}"),
        }
    }

    fn kind_named(s: &str) -> MigrationKind {
        match s {
            "totp" => MigrationKind::Totp,
            "hotp" => MigrationKind::Hotp,
            other => panic!("fixture type {other}"),
        }
    }

    fn uri_from_proto(p: &proto::MigrationPayload) -> String {
        uri_for(&BASE64.encode(p.encode_to_vec()))
    }

    fn proto_entry(
        secret: &[u8],
        algorithm: i32,
        digits: i32,
        otp_type: i32,
    ) -> proto::OtpParameters {
        proto::OtpParameters {
            secret: secret.to_vec(),
            name: b"alice@example.com".to_vec(),
            issuer: b"Example".to_vec(),
            algorithm,
            digits,
            otp_type,
            counter: 0,
        }
    }

    /// (Struct-update syntax is out: the proto structs implement `Drop`.)
    fn with_counter(mut p: proto::OtpParameters, counter: i64) -> proto::OtpParameters {
        p.counter = counter;
        p
    }

    fn payload_of(entries: Vec<proto::OtpParameters>) -> proto::MigrationPayload {
        proto::MigrationPayload {
            otp_parameters: entries,
            version: 1,
            batch_size: 1,
            batch_index: 0,
            batch_id: 42,
        }
    }

    fn entry(i: usize) -> MigrationEntry {
        MigrationEntry {
            secret: format!("secret-{i:03}").into_bytes(),
            name: format!("acct-{i}"),
            issuer: if i.is_multiple_of(3) {
                String::new()
            } else {
                format!("Issuer {i}")
            },
            algorithm: [
                MigrationAlgorithm::Sha1,
                MigrationAlgorithm::Sha256,
                MigrationAlgorithm::Sha512,
            ][i % 3],
            digits: if i.is_multiple_of(2) { 6 } else { 8 },
            kind: if i.is_multiple_of(5) {
                MigrationKind::Hotp
            } else {
                MigrationKind::Totp
            },
            counter: if i.is_multiple_of(5) {
                i as u64 * 1000
            } else {
                0
            },
        }
    }

    fn assert_same(got: &[MigrationEntry], want: &[MigrationEntry]) {
        assert_eq!(got.len(), want.len(), "entry count");
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                same_entries(std::slice::from_ref(g), std::slice::from_ref(w)),
                "entry {i} ({}) differs",
                w.name
            );
        }
    }

    // --- the shared data set -----------------------------------------------------------------

    #[test]
    fn json_cases_decode_as_expected() {
        let doc: Value = serde_json::from_str(&read_fixture(
            "google_migration/google_migration_cases.json",
        ))
        .unwrap();
        let cases = doc["cases"].as_array().unwrap();
        let (mut ok_cases, mut err_cases, mut cross_checked) = (0, 0, 0);
        for (n, case) in cases.iter().enumerate() {
            let uri = case["uri"]
                .as_str()
                .unwrap_or_else(|| panic!("case {n} has no uri"));
            let label = format!("case {n} ({})", case["note"].as_str().unwrap_or(""));

            // Where the case names a text file we have, the URI must really be in it.
            let file = case["file"].as_str().unwrap_or("");
            if file.ends_with(".txt") && fixtures().join(file).exists() {
                let uris: Vec<String> = read_fixture(file)
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned)
                    .collect();
                let at = case["line_index"].as_u64().unwrap_or(0) as usize;
                assert_eq!(
                    uris.get(at).map(String::as_str),
                    Some(uri),
                    "{label}: file/JSON mismatch"
                );
                cross_checked += 1;
            }

            if case["decoded"].is_null() {
                let err = expect_err(decode_uri(uri));
                if uri.to_ascii_lowercase().starts_with(SCHEME) {
                    assert!(
                        matches!(
                            err,
                            MigrationError::BadBase64 { .. } | MigrationError::BadProtobuf(_)
                        ),
                        "{label}: {err:?}"
                    );
                } else {
                    assert_eq!(err, MigrationError::NotMigrationUri, "{label}");
                }
                if let Some((_, data)) = uri.split_once("data=") {
                    assert!(
                        !err.to_string().contains(data),
                        "{label}: message quotes the data"
                    );
                }
                err_cases += 1;
                continue;
            }

            let want = &case["decoded"];
            let p = decode_uri(uri).unwrap_or_else(|e| panic!("{label}: {e}"));
            for (field, got) in [
                ("version", p.version),
                ("batch_size", p.batch_size),
                ("batch_index", p.batch_index),
                ("batch_id", p.batch_id),
            ] {
                // null = field absent on the wire = proto3 default 0.
                assert_eq!(
                    i64::from(got),
                    want[field].as_i64().unwrap_or(0),
                    "{label}: {field}"
                );
            }
            let params = want["otp_parameters"].as_array().unwrap();
            assert_eq!(p.entries.len(), params.len(), "{label}: entry count");
            for (e, w) in p.entries.iter().zip(params) {
                assert_eq!(
                    e.secret,
                    hex(w["secret_hex"].as_str().unwrap()),
                    "{label}: secret"
                );
                assert_eq!(
                    base32(&e.secret),
                    w["secret_base32"].as_str().unwrap(),
                    "{label}"
                );
                assert_eq!(e.name, w["name"].as_str().unwrap(), "{label}: name");
                assert_eq!(e.issuer, w["issuer"].as_str().unwrap(), "{label}: issuer");
                assert_eq!(
                    e.algorithm,
                    algorithm_named(&unwrap_unspecified(&w["algorithm"])),
                    "{label}"
                );
                assert_eq!(
                    e.digits.to_string(),
                    unwrap_unspecified(&w["digits"]),
                    "{label}: digits"
                );
                assert_eq!(
                    e.kind,
                    kind_named(w["type"].as_str().unwrap()),
                    "{label}: type"
                );
                assert_eq!(
                    e.counter,
                    w["counter"].as_u64().unwrap(),
                    "{label}: counter"
                );
            }
            ok_cases += 1;
        }
        eprintln!(
            "google_migration_cases.json: {} cases, {ok_cases} decoded + {err_cases} rejected, \
             {cross_checked} cross-checked against their .txt file",
            cases.len()
        );
        assert_eq!(ok_cases + err_cases, cases.len());
        assert_eq!((ok_cases, err_cases), (8, 3));
    }

    fn export_lines(rel: &str) -> Vec<String> {
        read_fixture(rel)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn extract_otp_secrets_example_matches_its_expected_outputs() {
        let dir = "google_migration/extract_otp_secrets";
        let entries: Vec<MigrationEntry> = export_lines(&format!("{dir}/example_export.txt"))
            .iter()
            .flat_map(|uri| decode_uri(uri).unwrap().entries)
            .collect();
        let want: Value =
            serde_json::from_str(&read_fixture(&format!("{dir}/example_output.json"))).unwrap();
        let want = want.as_array().unwrap();
        let urls: Vec<String> = read_fixture(&format!("{dir}/url_list_output.txt"))
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(entries.len(), want.len());
        assert_eq!(entries.len(), urls.len());
        for ((e, w), url) in entries.iter().zip(want).zip(&urls) {
            assert_eq!(e.name, w["name"].as_str().unwrap());
            assert_eq!(e.issuer, w["issuer"].as_str().unwrap());
            assert_eq!(base32(&e.secret), w["secret"].as_str().unwrap());
            assert_eq!(e.kind, kind_named(w["type"].as_str().unwrap()));
            // upstream prints counter only for HOTP
            assert_eq!(
                w["counter"].as_u64(),
                (e.kind == MigrationKind::Hotp).then_some(e.counter)
            );
            assert_eq!(w["url"].as_str().unwrap(), url);
            assert!(url.contains(&format!("secret={}", base32(&e.secret))));
            assert_eq!((e.algorithm, e.digits), (MigrationAlgorithm::Sha1, 6));
        }

        // The TOTP-only file is the same export minus the HOTP line.
        let totp: Vec<MigrationEntry> =
            export_lines(&format!("{dir}/example_export_only_totp.txt"))
                .iter()
                .flat_map(|uri| decode_uri(uri).unwrap().entries)
                .collect();
        let non_hotp: Vec<&MigrationEntry> = entries
            .iter()
            .filter(|e| e.kind == MigrationKind::Totp)
            .collect();
        assert_eq!(totp.len(), non_hotp.len());
        for (a, b) in totp.iter().zip(non_hotp) {
            assert!(same_entries(
                std::slice::from_ref(a),
                std::slice::from_ref(b)
            ));
        }
    }

    #[test]
    fn extract_otp_secrets_bad_inputs_fail_cleanly() {
        let dir = "google_migration/extract_otp_secrets";
        let wrong_data = read_fixture(&format!("{dir}/test_export_wrong_data.txt"));
        assert!(matches!(
            expect_err(decode_uri(&wrong_data)),
            MigrationError::BadProtobuf(_)
        ));
        // "QR-Code:" in front (zbarimg output): upstream rejects it, so do we.
        let wrong_prefix = read_fixture(&format!("{dir}/test_export_wrong_prefix.txt"));
        assert_eq!(
            expect_err(decode_uri(&wrong_prefix)),
            MigrationError::NotMigrationUri
        );
        let empty = read_fixture(&format!("{dir}/empty_file.txt"));
        assert_eq!(
            expect_err(decode_uri(&empty)),
            MigrationError::NotMigrationUri
        );
    }

    // --- forgiving input -----------------------------------------------------------------------

    #[test]
    fn forgiving_spellings_of_data_decode_identically() {
        let lines = export_lines("google_migration/extract_otp_secrets/example_export.txt");
        for canonical in [&lines[0], &lines[4]] {
            let want = decode_uri(canonical).unwrap();
            let data = canonical.split_once("data=").unwrap().1;
            let b64 = data
                .replace("%2B", "+")
                .replace("%2F", "/")
                .replace("%3D", "=");
            assert!(b64.contains('+') || b64.contains('/') || b64.contains('='));
            let unpadded = b64.trim_end_matches('=');
            let (head, tail) = b64.split_at(b64.len() / 2);
            let variants = [
                format!("otpauth-migration://offline?data={b64}"),
                format!(
                    "otpauth-migration://offline?data={}",
                    data.replace("%3D", "%3d")
                ),
                format!(
                    "otpauth-migration://offline?data={}",
                    data.replace("%2B", "%2b").replace("%2F", "%2f")
                ),
                format!(
                    "otpauth-migration://offline?data={}",
                    b64.replace('/', "%2F")
                ),
                format!("otpauth-migration://offline?data={unpadded}"),
                format!("otpauth-migration://offline?data={}", b64.replace('+', " ")),
                format!(
                    "otpauth-migration://offline?data={}",
                    b64.replace('+', "%20")
                ),
                format!(
                    "otpauth-migration://offline?data={}",
                    unpadded.replace('+', "-").replace('/', "_")
                ),
                format!(
                    "otpauth-migration://offline?data={}",
                    data.replace('%', "%25")
                ),
                format!("OTPAUTH-MIGRATION://OFFLINE?DATA={data}"),
                format!("Otpauth-Migration://Offline/?foo=bar&data={data}&baz=1#frag"),
                format!("otpauth-migration://offline?data=&data={data}"),
                format!("  \n otpauth-migration://offline?data={data}\r\n"),
                format!("otpauth-migration://offline?data={head}\n{tail}"),
            ];
            for v in &variants {
                let got = decode_uri(v).unwrap_or_else(|e| panic!("{v:?}: {e}"));
                assert_same(&got.entries, &want.entries);
                assert_eq!((got.batch_id, got.version), (want.batch_id, want.version));
            }
        }
    }

    #[test]
    fn unspecified_enums_get_defaults() {
        let p = payload_of(vec![proto_entry(b"0123456789", 0, 0, 0)]);
        let got = decode_uri(&uri_from_proto(&p)).unwrap();
        let e = &got.entries[0];
        assert_eq!(
            (e.algorithm, e.digits, e.kind),
            (MigrationAlgorithm::Sha1, 6, MigrationKind::Totp)
        );
    }

    #[test]
    fn unknown_fields_and_bad_utf8_are_tolerated() {
        let mut e = proto_entry(b"0123456789", 2, 2, 1);
        e.name = vec![b'a', 0xff, b'b'];
        e.counter = 7;
        let mut entry_bytes = e.encode_to_vec();
        entry_bytes.extend([0x40, 0x07]); // field 8 (unique_id in newer apps), varint 7
        entry_bytes.extend([0x4a, 0x02, b'h', b'i']); // field 9, bytes "hi"
        let mut payload = vec![0x0a, entry_bytes.len() as u8];
        payload.extend(entry_bytes);
        payload.extend([0x10, 0x01, 0x30, 0x05]); // version 1, unknown field 6 = 5
        let got = decode_uri(&uri_for(&BASE64.encode(&payload))).unwrap();
        let e = &got.entries[0];
        assert_eq!(e.name, "a\u{FFFD}b");
        assert_eq!(
            (e.algorithm, e.digits, e.kind, e.counter),
            (MigrationAlgorithm::Sha256, 8, MigrationKind::Hotp, 7)
        );
        assert_eq!(got.version, 1);
    }

    #[test]
    fn unsupported_entries_name_their_index() {
        let secret = b"\x01\x02\x03SECRETBYTES";
        let cases: [(proto::OtpParameters, &str); 6] = [
            (proto_entry(secret, 4, 1, 2), "MD5"),
            (proto_entry(secret, 9, 1, 2), "algorithm"),
            (proto_entry(secret, 1, 3, 2), "digit"),
            (proto_entry(secret, 1, 1, 5), "type"),
            (with_counter(proto_entry(secret, 1, 1, 1), -1), "counter"),
            (proto_entry(b"", 1, 1, 2), "secret"),
        ];
        for (bad, word) in cases {
            let p = payload_of(vec![proto_entry(secret, 1, 1, 2), bad]);
            let uri = uri_from_proto(&p);
            let err = expect_err(decode_uri(&uri));
            let MigrationError::Unsupported { index, reason } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(*index, 1);
            assert!(reason.contains(word), "{reason}");
            let msg = err.to_string();
            assert!(msg.contains("account #2"), "{msg}");
            assert!(
                !msg.contains("SECRETBYTES") && !msg.contains(uri.split_once("data=").unwrap().1)
            );
        }
        // A negative counter on a TOTP entry is irrelevant, not fatal.
        let p = payload_of(vec![with_counter(proto_entry(secret, 1, 1, 2), -5)]);
        assert_eq!(
            decode_uri(&uri_from_proto(&p)).unwrap().entries[0].counter,
            0
        );
    }

    #[test]
    fn garbage_gives_the_right_error() {
        for uri in [
            "",
            "   ",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
            "https://example.com/?data=CjEK",
            "otpauth-migration:/offline?data=CjEK",
            "otpauth-migration://online?data=CjEK",
            "otpauth-migrationX://offline?data=CjEK",
            "éééééééééééééééééééé",
            "xéééééééééééééééééééé",
            "NOT A otpauth-migration:// URL",
        ] {
            assert_eq!(
                expect_err(decode_uri(uri)),
                MigrationError::NotMigrationUri,
                "{uri:?}"
            );
        }
        for uri in [
            "otpauth-migration://offline",
            "otpauth-migration://offline?",
            "otpauth-migration://offline?data=",
            "otpauth-migration://offline?data",
            "otpauth-migration://offline?foo=bar",
            "otpauth-migration://offline?data=%3D%3D",
            "otpauth-migration://offline#?data=CjEK",
        ] {
            assert_eq!(
                expect_err(decode_uri(uri)),
                MigrationError::MissingData,
                "{uri:?}"
            );
        }
        for (data, position) in [
            ("abc!defg", 3),
            ("%ZZabcd", 0),
            ("ab%C3%A9cd", 2),
            ("abécd", 2),
            ("abcd=efg", 4),
            ("A", 0),
            ("abcdE%3D%3D", 4),
        ] {
            let uri = format!("otpauth-migration://offline?data={data}");
            assert_eq!(
                expect_err(decode_uri(&uri)),
                MigrationError::BadBase64 { position },
                "{data:?}"
            );
        }
        let huge = format!(
            "otpauth-migration://offline?data={}",
            "A".repeat(MAX_DATA_LEN + 4)
        );
        assert!(matches!(
            expect_err(decode_uri(&huge)),
            MigrationError::BadProtobuf(_)
        ));
        // Truncated protobuf.
        let lines = export_lines("google_migration/extract_otp_secrets/example_export.txt");
        let full = decode_data(lines[0].split_once("data=").unwrap().1).unwrap();
        let cut = uri_for(&BASE64.encode(&full[..full.len() / 2]));
        let err = expect_err(decode_uri(&cut));
        assert!(matches!(err, MigrationError::BadProtobuf(_)), "{err:?}");
        let msg = err.to_string();
        assert!(!msg.contains("failed to decode Protobuf message:"), "{msg}");
        assert!(!msg.contains(cut.split_once("data=").unwrap().1));
    }

    #[test]
    fn messages_for_missing_parts() {
        let msg = |missing: Vec<i32>, total| {
            MigrationError::MissingParts {
                batch_id: 7,
                missing,
                total,
            }
            .to_string()
        };
        assert!(msg(vec![2], 3).ends_with("part 2 of 3 is missing"));
        assert!(msg(vec![2, 3], 4).ends_with("parts 2 and 3 of 4 are missing"));
        assert!(msg(vec![1, 2, 4], 5).ends_with("parts 1, 2 and 4 of 5 are missing"));
        assert!(msg((2..=20).collect(), 20)
            .ends_with("parts 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 9 more of 20 are missing"));
        for e in [
            MigrationError::NotMigrationUri,
            MigrationError::MissingData,
            MigrationError::BadBase64 { position: 3 },
            MigrationError::BadProtobuf("x".into()),
            MigrationError::Unsupported {
                index: 0,
                reason: "r".into(),
            },
            MigrationError::MixedBatch("m".into()),
        ] {
            let s = e.to_string();
            assert!(!s.is_empty() && !s.contains('\n'), "{s}");
        }
    }

    // --- encoding and batches ------------------------------------------------------------------

    #[test]
    fn encoded_uris_look_like_googles() {
        let entries: Vec<MigrationEntry> = (0..3).map(entry).collect();
        let uris = encode_uris(&entries, 10);
        assert_eq!(uris.len(), 1);
        let data = uris[0]
            .strip_prefix("otpauth-migration://offline?data=")
            .unwrap();
        assert!(
            data.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'%'),
            "{data}"
        );
        let p = decode_uri(&uris[0]).unwrap();
        assert_eq!((p.version, p.batch_size, p.batch_index), (1, 1, 0));
        assert_ne!(p.batch_id, 0);
        assert_same(&p.entries, &entries);

        assert!(encode_uris(&[], 10).is_empty());
        assert_eq!(encode_uris(&entries, 0).len(), 3, "per_batch 0 acts as 1");
        let ids: std::collections::HashSet<i32> = (0..20)
            .map(|_| decode_uri(&encode_uris(&entries, 10)[0]).unwrap().batch_id)
            .collect();
        assert!(ids.len() > 15, "batch ids should vary: {ids:?}");
    }

    #[test]
    fn batches_split_and_reassemble() {
        let entries: Vec<MigrationEntry> = (0..25).map(entry).collect();
        let uris = encode_uris(&entries, 10);
        assert_eq!(uris.len(), 3);
        let parts: Vec<MigrationPayload> = uris.iter().map(|u| decode_uri(u).unwrap()).collect();
        let id = parts[0].batch_id;
        for (i, p) in parts.iter().enumerate() {
            assert_eq!(
                (p.version, p.batch_size, p.batch_index, p.batch_id),
                (1, 3, i as i32, id)
            );
            assert_eq!(p.entries.len(), [10, 10, 5][i]);
        }

        // Out of order, with a part scanned twice.
        let mut set = BatchSet::new();
        for i in [2, 0, 0, 1, 2] {
            set.add(decode_uri(&uris[i]).unwrap()).unwrap();
        }
        assert_same(&set.finish().unwrap(), &entries);

        // Middle part never scanned.
        let mut set = BatchSet::new();
        set.add(decode_uri(&uris[0]).unwrap()).unwrap();
        set.add(decode_uri(&uris[2]).unwrap()).unwrap();
        let err = set.finish().err().unwrap();
        assert_eq!(
            err,
            MigrationError::MissingParts {
                batch_id: id,
                missing: vec![2],
                total: 3
            }
        );
        assert!(err.to_string().contains("part 2 of 3 is missing"), "{err}");

        let mut set = BatchSet::new();
        set.add(decode_uri(&uris[1]).unwrap()).unwrap();
        let err = set.finish().err().unwrap();
        assert!(
            err.to_string().contains("parts 1 and 3 of 3 are missing"),
            "{err}"
        );
    }

    #[test]
    fn batch_set_keeps_exports_apart() {
        let a: Vec<MigrationEntry> = (0..4).map(entry).collect();
        let b: Vec<MigrationEntry> = (10..13).map(entry).collect();
        let ua = encode_uris(&a, 2);
        let ub = encode_uris(&b, 2);
        let lines = export_lines("google_migration/extract_otp_secrets/example_export.txt");
        let dim13 = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

        let mut set = BatchSet::new();
        for uri in [
            &ua[1], &ub[0], &lines[0], &ua[0], dim13, &lines[0], dim13, &ub[1],
        ] {
            set.add(decode_uri(uri).unwrap()).unwrap();
        }
        let got = set.finish().unwrap();
        // a (first seen), b, the single export once (rescanned), dim13 twice (no batch id).
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "acct-0",
                "acct-1",
                "acct-2",
                "acct-3",
                "acct-10",
                "acct-11",
                "acct-12",
                "pi@raspberrypi",
                "Example:alice@google.com",
                "Example:alice@google.com"
            ]
        );
    }

    #[test]
    fn inconsistent_batches_are_rejected() {
        let mk = |size, index, id, secret: &[u8]| {
            let mut p = payload_of(vec![proto_entry(secret, 1, 1, 2)]);
            p.batch_size = size;
            p.batch_index = index;
            p.batch_id = id;
            decode_uri(&uri_from_proto(&p)).unwrap()
        };
        let mut set = BatchSet::new();
        set.add(mk(3, 0, 5, b"one")).unwrap();
        let is_mixed =
            |r: Result<(), MigrationError>| matches!(r, Err(MigrationError::MixedBatch(_)));
        assert!(is_mixed(set.add(mk(4, 1, 5, b"two"))), "size disagrees");
        assert!(is_mixed(set.add(mk(3, 0, 5, b"other"))), "different part 1");
        assert!(is_mixed(set.add(mk(3, 3, 5, b"two"))), "index out of range");
        assert!(is_mixed(set.add(mk(3, -1, 5, b"two"))), "negative index");
        assert!(
            is_mixed(set.add(mk(i32::MAX, 0, 6, b"two"))),
            "absurd batch size"
        );
        // Rejections left the set as it was: part 1 of 3 only.
        let err = set.finish().err().unwrap();
        assert_eq!(
            err,
            MigrationError::MissingParts {
                batch_id: 5,
                missing: vec![2, 3],
                total: 3
            }
        );
    }

    #[test]
    fn entry_zeroizes_on_drop() {
        fn assert_zeroize_on_drop<T: ZeroizeOnDrop>() {}
        assert_zeroize_on_drop::<MigrationEntry>();
        let mut e = entry(1);
        e.zeroize();
        assert!(e.secret.is_empty() && e.name.is_empty() && e.counter == 0);
    }

    // --- properties ----------------------------------------------------------------------------

    type RawEntry = (Vec<u8>, String, String, u8, bool, bool, u64);

    fn raw_entry() -> impl Strategy<Value = RawEntry> {
        (
            prop::collection::vec(any::<u8>(), 1..48),
            "(?s).{0,24}",
            prop_oneof![Just(String::new()), "(?s).{0,16}"],
            0u8..3,
            any::<bool>(),
            any::<bool>(),
            0..=i64::MAX as u64,
        )
    }

    fn build(raw: &RawEntry) -> MigrationEntry {
        let (secret, name, issuer, alg, eight, hotp, counter) = raw;
        MigrationEntry {
            secret: secret.clone(),
            name: name.clone(),
            issuer: issuer.clone(),
            algorithm: [
                MigrationAlgorithm::Sha1,
                MigrationAlgorithm::Sha256,
                MigrationAlgorithm::Sha512,
            ][*alg as usize],
            digits: if *eight { 8 } else { 6 },
            kind: if *hotp {
                MigrationKind::Hotp
            } else {
                MigrationKind::Totp
            },
            counter: *counter,
        }
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(raws in prop::collection::vec(raw_entry(), 1..25), per_batch in 1usize..12) {
            let entries: Vec<MigrationEntry> = raws.iter().map(build).collect();
            let uris = encode_uris(&entries, per_batch);
            prop_assert_eq!(uris.len(), entries.len().div_ceil(per_batch));
            let mut set = BatchSet::new();
            for uri in uris.iter().rev() {
                set.add(decode_uri(uri).unwrap()).unwrap();
            }
            let got = set.finish().unwrap();
            prop_assert_eq!(got.len(), entries.len());
            for (g, w) in got.iter().zip(&entries) {
                prop_assert!(same_entries(std::slice::from_ref(g), std::slice::from_ref(w)));
            }
        }

        #[test]
        fn random_strings_never_panic(s in "(?s).{0,200}") {
            let _ = decode_uri(&s);
            let _ = decode_uri(&format!("otpauth-migration://offline?data={s}"));
        }

        #[test]
        fn random_bytes_as_data_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let b64 = BASE64.encode(&bytes);
            for uri in [uri_for(&b64), format!("otpauth-migration://offline?data={b64}")] {
                match decode_uri(&uri) {
                    Ok(p) => { let _ = BatchSet::new().add(p); }
                    Err(e) => if b64.len() >= 12 {
                        prop_assert!(!e.to_string().contains(&b64[..12]));
                    },
                }
            }
        }

        #[test]
        fn corrupted_exports_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6), cut in any::<prop::sample::Index>()) {
            let lines = export_lines("google_migration/extract_otp_secrets/example_export.txt");
            let mut bytes = decode_data(lines[2].split_once("data=").unwrap().1).unwrap();
            for (at, value) in flips {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
            let keep = cut.index(bytes.len() + 1);
            let _ = decode_uri(&uri_for(&BASE64.encode(&bytes[..keep])));
        }
    }
}
