//! The bytes of a file being imported, with the cheap views detection needs (text, the keys of
//! a JSON object, the names in a zip) and the guarded ways to parse it: size limits, a nesting
//! limit for JSON (serde_json's own, 128), no DTD in XML (no entity expansion at all), and zip
//! entries read through a size cap so a zip bomb stops at the cap, not at the disk.

use std::cell::OnceCell;
use std::io::Read as _;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The largest file Keydeck imports. The biggest real exports (10,000 KeePass entries with
/// history) are a few MiB; a gigabyte is a mistake or an attack, refused before it is read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest entry read out of a zip archive (1Password's `.1pux`, Proton Pass, WinAuth).
pub const MAX_ZIP_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

pub struct Input {
    bytes: Zeroizing<Vec<u8>>,
    keys: OnceCell<Option<Vec<String>>>,
}

impl Input {
    pub fn new(bytes: Vec<u8>) -> Result<Input> {
        let bytes = Zeroizing::new(bytes);
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_big(bytes.len() as u64));
        }
        Ok(Input {
            bytes,
            keys: OnceCell::new(),
        })
    }

    /// Reads a file (a regular file of at most `MAX_FILE_BYTES`: anything else is refused
    /// before it is read, see [`crate::files::read_bounded`]).
    pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
        crate::files::read_bounded(path, MAX_FILE_BYTES, "the import file")
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file as UTF-8 text (a byte-order mark dropped), or `None` when it is not text.
    pub fn text(&self) -> Option<&str> {
        let b = self
            .bytes
            .strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(&self.bytes);
        std::str::from_utf8(b).ok()
    }

    /// The keys of the top-level JSON object, or `None` when the file is not a JSON object.
    /// Values are skipped without being kept (`IgnoredAny`), so detection holds no secret.
    pub fn json_keys(&self) -> Option<&[String]> {
        self.keys
            .get_or_init(|| {
                let text = self.text()?.trim_start();
                if !text.starts_with('{') {
                    return None;
                }
                let map: std::collections::BTreeMap<String, serde::de::IgnoredAny> =
                    serde_json::from_str(text).ok()?;
                Some(map.into_keys().collect())
            })
            .as_deref()
    }

    /// Whether the top-level JSON object has every one of `keys`.
    pub fn json_has(&self, keys: &[&str]) -> bool {
        self.json_keys()
            .is_some_and(|k| keys.iter().all(|want| k.iter().any(|have| have == want)))
    }

    /// Parses the file as JSON into `T` (whose secret fields should be zeroizing types).
    /// `what` names the format in the error ("Aegis backup").
    pub fn json<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T> {
        let text = self
            .text()
            .ok_or_else(|| Error::invalid(what, "the file is not UTF-8 text"))?;
        parse_json(what, text.as_bytes())
    }

    /// Whether the file is a zip archive.
    pub fn is_zip(&self) -> bool {
        self.bytes.starts_with(b"PK\x03\x04") || self.bytes.starts_with(b"PK\x05\x06")
    }

    /// The names of the entries of a zip archive (`None` when it is not a readable zip).
    pub fn zip_names(&self) -> Option<Vec<String>> {
        if !self.is_zip() {
            return None;
        }
        let z = zip::ZipArchive::new(std::io::Cursor::new(&self.bytes[..])).ok()?;
        z.file_names()
            .map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// One entry of a zip archive, read through the size cap. `Ok(None)` when absent.
    pub fn zip_entry(&self, what: &str, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&self.bytes[..]))
            .map_err(|e| Error::invalid(what, format!("not a readable zip archive ({e})")))?;
        let mut f = match z.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(Error::invalid(what, format!("{name} in the archive: {e}"))),
        };
        if f.encrypted() {
            return Err(Error::invalid(
                what,
                format!("{name} in the archive is zip-encrypted, which Keydeck does not read"),
            ));
        }
        let mut out = Zeroizing::new(Vec::new());
        (&mut f)
            .take(MAX_ZIP_ENTRY_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| Error::invalid(what, format!("{name} in the archive: {e}")))?;
        if out.len() as u64 > MAX_ZIP_ENTRY_BYTES {
            return Err(Error::invalid(
                what,
                format!(
                    "{name} in the archive unpacks to more than {} MiB; refused (a zip bomb?)",
                    MAX_ZIP_ENTRY_BYTES / (1024 * 1024)
                ),
            ));
        }
        Ok(Some(out))
    }
}

/// JSON into `T`, with the parser's error position (never its content) in the message.
pub fn parse_json<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        let reason = match e.classify() {
            serde_json::error::Category::Eof => format!(
                "the file is truncated (it ends at line {}, column {})",
                e.line(),
                e.column()
            ),
            serde_json::error::Category::Syntax => format!(
                "not valid JSON at line {}, column {}{}",
                e.line(),
                e.column(),
                if e.to_string().contains("recursion limit") {
                    " (nested too deeply)"
                } else {
                    ""
                }
            ),
            // Data errors name a field or type ("missing field `secret`"), never a value.
            _ => format!("missing or wrong fields: {e}"),
        };
        Error::invalid(what, reason)
    })
}

/// An XML document with no DTD allowed: entities, external or not, are refused outright.
pub fn parse_xml<'a>(what: &str, text: &'a str) -> Result<roxmltree::Document<'a>> {
    let opt = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, opt).map_err(|e| match e {
        roxmltree::Error::DtdDetected => Error::invalid(
            what,
            "the XML declares a DTD (entities); Keydeck refuses such files",
        ),
        e => Error::invalid(what, format!("not valid XML: {e}")),
    })
}

fn too_big(len: u64) -> Error {
    Error::invalid(
        "import",
        format!(
            "the file is {} MiB; Keydeck imports files up to {} MiB",
            len / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}
