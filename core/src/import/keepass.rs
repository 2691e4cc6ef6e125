//! KeePass and KeePassXC databases (`.kdbx`, KDBX 3.1 and 4.x; KeePass 1 `.kdb` too, as the
//! `keepass` crate reads it). The crate decrypts (AES-KDF, Argon2d, Argon2id; AES, ChaCha20,
//! Twofish; password and/or key file); this module bounds the key derivation the file asks for
//! before the crate runs it, and turns entries into accounts:
//!
//! - Title → name, UserName, Password, URL, Notes, the entry's tags, and the path of its group
//!   ("Internet/Mail") as one more tag; the root group gives no tag, and the Recycle Bin is
//!   skipped with everything in it (said in the problems, with the count);
//! - history: the versions of an entry, oldest first, grouped into runs of the same password;
//!   each earlier password becomes a history entry retired when the next password was set (the
//!   modification time of the first version holding it). The current password was set at the
//!   first version holding it, or at the entry's creation when every version holds it;
//! - TOTP: KeePassXC's `otp` attribute (an `otpauth://` URI, or KeeOtp's `key=…&step=…`),
//!   the older KeeOtp/TrayTOTP pair `TOTP Seed` + `TOTP Settings` ("30;6", "30;S" for Steam),
//!   and KeePass 2.47+'s own `TimeOtp-*` / `HmacOtp-*` fields;
//! - recovery codes: the protected `Recovery codes` attribute Keydeck's own export writes (one
//!   per line; `USED <RFC 3339 time> <code>` for a used one; a tab, then the code's note).
//!
//! KDBX 2.0 (KeePass 2.0 betas, 2007) is refused with the way out: open and save the file in
//! KeePass or KeePassXC, which writes KDBX 3.1 or 4.

use keepass::db::{Entry, GroupRef};
use keepass::{Database, DatabaseKey};

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind, PasswordHistoryEntry, RecoveryCode, MAX_TAG};
use crate::otp::{parse_algorithm, parse_secret, parse_uri, validate};
use crate::secret::{SecretBytes, SecretText};

pub struct Kdbx;

/// The attribute Keydeck's export writes recovery codes to (protected).
pub const RECOVERY_ATTRIBUTE: &str = "Recovery codes";
/// Written by the export for an account whose issuer has nowhere else to go (no TOTP).
pub const ISSUER_ATTRIBUTE: &str = "Issuer";

const SIGNATURE: [u8; 4] = [0x03, 0xd9, 0xa2, 0x9a];
const KEEPASS_1: u32 = 0xb54b_fb65;
const KEEPASS_2_PRE: u32 = 0xb54b_fb66;
const KEEPASS_2: u32 = 0xb54b_fb67;

/// Limits on the key derivation a file may ask for. KeePassXC's "1 second" defaults are
/// Argon2 64 MiB × a few dozen passes or AES-KDF a few million rounds; these allow ten times
/// that and more, and stop a hostile file from making Keydeck allocate gigabytes or spin for
/// an hour before the password is even checked.
pub const MAX_ARGON2_MEMORY: u64 = 1024 * 1024 * 1024;
pub const MAX_ARGON2_ITERATIONS: u64 = 1000;
/// Memory × passes, in MiB: 1 GiB × 10, or 64 MiB × 160.
pub const MAX_ARGON2_WORK_MIB: u64 = 10 * 1024;
pub const MAX_ARGON2_LANES: u64 = 64;
pub const MAX_AES_ROUNDS: u64 = 100_000_000;

impl Format for Kdbx {
    fn name(&self) -> &'static str {
        "kdbx"
    }
    fn app(&self) -> &'static str {
        "KeePass / KeePassXC"
    }
    fn title(&self) -> &'static str {
        "KeePass database"
    }
    fn encryptable(&self) -> bool {
        true
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let b = input.bytes();
        if b.get(..4)? != SIGNATURE {
            return None;
        }
        match le_u32(b, 4)? {
            KEEPASS_1 | KEEPASS_2_PRE | KEEPASS_2 => Detected::ENCRYPTED,
            _ => None,
        }
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let what = super::describe(self, true);
        let bytes = input.bytes();
        let header_end = check_header(bytes).map_err(|r| Error::invalid(&what, r))?;
        let major = le_u16(bytes, 10).unwrap_or(0);
        let minor = le_u16(bytes, 8).unwrap_or(0);
        let mut dbkey = DatabaseKey::new();
        if let Some(p) = &key.password {
            dbkey = dbkey.with_password(p.expose());
        }
        if let Some(k) = &key.keyfile {
            dbkey = dbkey
                .with_keyfile(&mut k.expose())
                .map_err(|_| Error::invalid(&what, "the key file could not be read"))?;
        }
        if dbkey.is_empty() {
            return Err(Error::FilePasswordNeeded { what });
        }
        if major == 3 && minor >= 1 {
            // KDBX 3.1 keeps the header's SHA-256 inside the encrypted XML; the crate does not
            // check it, so a changed header (the protected-stream key, say) would give garbage
            // passwords instead of an error. Checked here, at the cost of a second KDF run.
            let xml = Database::get_xml(&mut &bytes[..], dbkey.clone())
                .map_err(|e| open_error(&what, major, e))?;
            let xml = zeroize::Zeroizing::new(xml);
            check_header_hash(bytes.get(..header_end).unwrap_or_default(), &xml)
                .map_err(|r| Error::invalid(&what, r))?;
        }
        let db = Database::parse(bytes, dbkey).map_err(|e| open_error(&what, major, e))?;
        Ok(read_db(&db))
    }
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn le_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// KDBX 3.1: `<Meta><HeaderHash>` (base64 of the header's SHA-256), when present, must match.
fn check_header_hash(header: &[u8], xml: &[u8]) -> Result<(), String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let Some(start) = find(xml, b"<HeaderHash>") else {
        return Ok(());
    };
    let from = start + b"<HeaderHash>".len();
    let rest = xml.get(from..).unwrap_or_default();
    let len = find(rest, b"</HeaderHash>").ok_or("the database's header checksum is damaged")?;
    let stored = rest.get(..len).unwrap_or_default();
    let stored = std::str::from_utf8(stored).unwrap_or("").trim();
    let want = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(header));
    if stored != want {
        return Err(
            "the header is damaged (it does not match the checksum stored in the database)".into(),
        );
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads the outer header (before anything is decrypted) to refuse what the crate would choke
/// on or take forever over: an unsupported version, fields of the wrong size, and a key
/// derivation beyond the limits above. Returns where the header ends, or the reason.
pub(crate) fn check_header(b: &[u8]) -> Result<usize, String> {
    let trunc = || "the file is truncated (its header is incomplete)".to_owned();
    let sig = le_u32(b, 4).ok_or_else(trunc)?;
    let minor = le_u16(b, 8).ok_or_else(trunc)?;
    let major = le_u16(b, 10).ok_or_else(trunc)?;
    match (sig, major) {
        (KEEPASS_1, _) => {
            // KeePass 1 .kdb: a fixed 124-byte header, the AES-KDF rounds (u32) at 120.
            aes_rounds(u64::from(le_u32(b, 120).ok_or_else(trunc)?))?;
            return Ok(124);
        }
        (KEEPASS_2_PRE, _) | (KEEPASS_2, 2) => {
            return Err(
                "this is a KDBX 2 database (KeePass 2.0 beta), which Keydeck does not read; \
                 open it in KeePass or KeePassXC and save it to convert it to KDBX 4"
                    .into(),
            )
        }
        (KEEPASS_2, 3 | 4) => {}
        (KEEPASS_2, v) => {
            return Err(format!(
                "KDBX version {v}.{minor} is newer than Keydeck reads (3.1 and 4.x)"
            ))
        }
        _ => return Err("not a KeePass database (unknown signature)".into()),
    }
    let wide = major >= 4; // KDBX 4 header fields have 32-bit lengths, KDBX 3 16-bit
    let mut pos = 12usize;
    loop {
        let typ = *b.get(pos).ok_or_else(trunc)?;
        let (len, head) = if wide {
            (le_u32(b, pos + 1).ok_or_else(trunc)? as usize, 5)
        } else {
            (usize::from(le_u16(b, pos + 1).ok_or_else(trunc)?), 3)
        };
        let start = pos + head;
        let field = b
            .get(start..start.checked_add(len).ok_or_else(trunc)?)
            .ok_or_else(trunc)?;
        pos = start + len;
        let need = |n: usize, name: &str| {
            if field.len() == n {
                Ok(())
            } else {
                Err(format!("the header's {name} field is damaged"))
            }
        };
        match typ {
            0 => return Ok(pos),
            3 => need(4, "compression")?,
            6 if !wide => {
                need(8, "key derivation rounds")?;
                aes_rounds(le_u64(field, 0).unwrap_or(0))?;
            }
            10 if !wide => need(4, "inner stream")?,
            11 if wide => kdf_params(field)?,
            _ => {}
        }
    }
}

fn aes_rounds(r: u64) -> Result<(), String> {
    if r > MAX_AES_ROUNDS {
        return Err(format!(
            "the file asks for {r} AES-KDF rounds; Keydeck allows up to {MAX_AES_ROUNDS} \
             (lower the key derivation settings in KeePass or KeePassXC and save again)"
        ));
    }
    Ok(())
}

/// The KDBX 4 KDF parameters: a KeePass "variant dictionary" (version u16, then items of
/// type u8, name u32+bytes, value u32+bytes, ended by type 0).
fn kdf_params(d: &[u8]) -> Result<(), String> {
    let bad = || "the header's key derivation parameters are damaged".to_owned();
    let version = le_u16(d, 0).ok_or_else(bad)?;
    if version >> 8 > 1 {
        return Err(bad());
    }
    let (mut memory, mut iterations, mut lanes, mut rounds) = (None, None, None, None);
    let mut uuid: Option<&[u8]> = None;
    let mut pos = 2usize;
    loop {
        let typ = *d.get(pos).ok_or_else(bad)?;
        if typ == 0 {
            break;
        }
        let nlen = le_u32(d, pos + 1).ok_or_else(bad)? as usize;
        let name = d
            .get(pos + 5..(pos + 5).saturating_add(nlen))
            .ok_or_else(bad)?;
        let vpos = pos + 5 + nlen;
        let vlen = le_u32(d, vpos).ok_or_else(bad)? as usize;
        let value = d
            .get(vpos + 4..(vpos + 4).saturating_add(vlen))
            .ok_or_else(bad)?;
        pos = vpos + 4 + vlen;
        let num = || -> Option<u64> {
            match (typ, value.len()) {
                (0x04, 4) => le_u32(value, 0).map(u64::from),
                (0x05, 8) => le_u64(value, 0),
                _ => None,
            }
        };
        match name {
            b"$UUID" => uuid = Some(value),
            b"M" => memory = Some(num().ok_or_else(bad)?),
            b"I" => iterations = Some(num().ok_or_else(bad)?),
            b"P" => lanes = Some(num().ok_or_else(bad)?),
            b"R" => rounds = Some(num().ok_or_else(bad)?),
            _ => {}
        }
    }
    const AES_KDBX3: [u8; 16] = [
        0xc9, 0xd9, 0xf3, 0x9a, 0x62, 0x8a, 0x44, 0x60, 0xbf, 0x74, 0x0d, 0x08, 0xc1, 0x8a, 0x4f,
        0xea,
    ];
    const AES_KDBX4: [u8; 16] = [
        0x7c, 0x02, 0xbb, 0x82, 0x79, 0xa7, 0x4a, 0xc0, 0x92, 0x7d, 0x11, 0x4a, 0x00, 0x64, 0x82,
        0x38,
    ];
    let uuid = uuid.ok_or_else(bad)?;
    if uuid == AES_KDBX3 || uuid == AES_KDBX4 {
        return aes_rounds(rounds.ok_or_else(bad)?);
    }
    // Argon2d or Argon2id (anything else the crate refuses by name).
    if let (Some(m), Some(i), Some(p)) = (memory, iterations, lanes) {
        if m > MAX_ARGON2_MEMORY {
            return Err(format!(
                "the file asks for Argon2 with {} MiB of memory; Keydeck allows up to {} MiB",
                m / (1024 * 1024),
                MAX_ARGON2_MEMORY / (1024 * 1024)
            ));
        }
        if i > MAX_ARGON2_ITERATIONS || (m / (1024 * 1024)).saturating_mul(i) > MAX_ARGON2_WORK_MIB
        {
            return Err(format!(
                "the file asks for Argon2 with {i} passes over {} MiB, more work than Keydeck \
                 allows (memory × passes up to {MAX_ARGON2_WORK_MIB} MiB)",
                m / (1024 * 1024)
            ));
        }
        if p == 0 || p > MAX_ARGON2_LANES {
            return Err(format!(
                "the file asks for Argon2 with {p} lanes; Keydeck allows 1 to {MAX_ARGON2_LANES}"
            ));
        }
    }
    Ok(())
}

fn open_error(what: &str, major: u16, e: keepass::error::DatabaseOpenError) -> Error {
    use keepass::error::{
        DatabaseFormatError as F, DatabaseKeyError as K, DatabaseOpenError as O,
        Kdbx3OpenError as K3, Kdbx4OpenError as K4,
    };
    let invalid = |r: String| Error::invalid(what, r);
    match e {
        O::Key(K::IncorrectKey) => Error::WrongFilePassword { what: what.into() },
        O::Key(K::EmptyKey) => Error::FilePasswordNeeded { what: what.into() },
        O::Key(_) => invalid("the key file could not be read".into()),
        O::UnexpectedEof | O::Io(_) => invalid("the file is truncated".into()),
        O::UnsupportedVersion | O::VersionParse(_) => {
            invalid("this KeePass file version is not supported".into())
        }
        // KDBX 3 has no authenticated header: a wrong key shows only as a decryption that
        // fails (bad padding) or starts with the wrong bytes. KeePass says the same: "wrong key
        // or damaged file".
        O::Cryptography(_) if major == 3 => Error::WrongFilePassword { what: what.into() },
        O::Cryptography(e) => invalid(format!("the data could not be decrypted ({e})")),
        O::Format(F::Kdbx4(K4::HeaderHashMismatch)) => {
            invalid("the header is damaged (its checksum does not match)".into())
        }
        O::Format(F::Kdbx4(K4::BlockStream(_))) | O::Format(F::Kdbx3(K3::BlockHashMismatch(_))) => {
            invalid("the data is damaged (a block's checksum does not match)".into())
        }
        O::Format(F::Kdbx4(K4::Xml(_))) | O::Format(F::Kdbx3(K3::Xml(_))) => {
            invalid("the decrypted database is damaged (not valid KeePass XML)".into())
        }
        O::Format(e) => invalid(format!("the file is damaged ({e})")),
        _ => invalid("the file could not be opened".into()),
    }
}

/// Every entry outside the Recycle Bin, in the order of the groups.
fn read_db(db: &Database) -> Read {
    let mut read = Read::default();
    let bin = db.recycle_bin().map(|g| g.id());
    let mut binned = 0usize;
    let mut n = 0usize;
    // (group, its path without the root, inside the Recycle Bin); depth-first, the file's order.
    let mut stack: Vec<(GroupRef<'_>, String, bool)> = vec![(db.root(), String::new(), false)];
    let mut visits: Vec<(GroupRef<'_>, String, bool)> = Vec::new();
    while let Some((g, path, binned_group)) = stack.pop() {
        let children: Vec<_> = g
            .groups()
            .map(|c| {
                let p = if path.is_empty() {
                    c.name.trim().to_owned()
                } else {
                    format!("{path}/{}", c.name.trim())
                };
                let b = binned_group || Some(c.id()) == bin;
                (db.group(c.id()), p, b)
            })
            .filter_map(|(c, p, b)| Some((c?, p, b)))
            .collect();
        visits.push((g, path, binned_group));
        stack.extend(children.into_iter().rev());
    }
    for (g, path, in_bin) in &visits {
        let in_bin = *in_bin;
        for e in g.entries() {
            if in_bin {
                binned += 1;
                continue;
            }
            n += 1;
            let (imported, problem) = entry(&e, path);
            if let Some(p) = problem {
                read.problems
                    .push(format!("entry {n} ({}): {p}", imported.label()));
            }
            read.accounts.push(imported);
        }
    }
    if binned > 0 {
        read.problems.push(format!(
            "{binned} entr{} in the Recycle Bin {} not imported",
            if binned == 1 { "y" } else { "ies" },
            if binned == 1 { "was" } else { "were" }
        ));
    }
    read
}

fn field<'a>(e: &'a Entry, name: &str) -> &'a str {
    e.get(name).unwrap_or("")
}

/// Unix seconds of one of the crate's times (a chrono `NaiveDateTime`, UTC by KeePass's rule).
macro_rules! unix {
    ($t:expr) => {
        $t.as_ref().map(|t| t.and_utc().timestamp())
    };
}

fn entry(e: &Entry, group_path: &str) -> (Imported, Option<String>) {
    let mut i = Imported {
        name: field(e, "Title").trim().to_owned(),
        username: field(e, "UserName").trim().to_owned(),
        url: field(e, "URL").trim().to_owned(),
        notes: field(e, "Notes").to_owned(),
        ..Default::default()
    };
    let password = field(e, "Password");
    if !password.is_empty() {
        i.password = Some(SecretText::new(password));
    }
    i.issuer = field(e, ISSUER_ATTRIBUTE).trim().to_owned();
    for t in &e.tags {
        let t = t.trim();
        if !t.is_empty() && !i.tags.iter().any(|h| h.eq_ignore_ascii_case(t)) {
            i.tags.push(t.to_owned());
        }
    }
    if let Some(tag) = group_tag(group_path) {
        if !i.tags.iter().any(|h| h.eq_ignore_ascii_case(&tag)) {
            i.tags.push(tag);
        }
    }
    history(e, &mut i);
    let mut problem = None;
    match totp(e) {
        Ok(Some((otp, issuer, account))) => {
            if i.issuer.is_empty() {
                i.issuer = issuer;
            }
            if i.username.is_empty() {
                i.username = account;
            }
            i.otp = Some(otp);
        }
        Ok(None) => {}
        Err(reason) => {
            i.warnings.push(format!("its TOTP was left out: {reason}"));
            problem = Some(format!("TOTP not imported: {reason}"));
        }
    }
    let codes = field(e, RECOVERY_ATTRIBUTE);
    i.recovery = recovery_codes(codes);
    (i, problem)
}

/// The group path as a tag ("Internet/Mail"); the leaf name alone when the path is too long.
fn group_tag(path: &str) -> Option<String> {
    let clean = |s: &str| -> String { s.chars().filter(|c| !c.is_control()).collect() };
    let p = clean(path);
    let p = p.trim();
    if p.is_empty() {
        return None;
    }
    if p.chars().count() <= MAX_TAG {
        return Some(p.to_owned());
    }
    let leaf = p.rsplit('/').next().unwrap_or(p).trim();
    Some(
        leaf.chars()
            .take(MAX_TAG)
            .collect::<String>()
            .trim()
            .to_owned(),
    )
    .filter(|s| !s.is_empty())
}

/// Password history from the entry's versions (see the module comment).
fn history(e: &Entry, i: &mut Imported) {
    let current = field(e, "Password");
    let mut versions: Vec<(Option<i64>, &str)> = e
        .history
        .as_ref()
        .map(|h| {
            h.get_entries()
                .iter()
                .map(|v| (unix!(v.times.last_modification), field(v, "Password")))
                .collect()
        })
        .unwrap_or_default();
    // Oldest first; versions without a time keep their place at the front.
    versions.sort_by_key(|(t, _)| t.unwrap_or(i64::MIN));
    versions.push((unix!(e.times.last_modification), current));
    // Runs of one password: (password, time its first version was written).
    let mut runs: Vec<(&str, Option<i64>, usize)> = Vec::new();
    for (idx, (t, p)) in versions.iter().enumerate() {
        match runs.last() {
            Some((last, _, _)) if last == p => {}
            _ => runs.push((p, *t, idx)),
        }
    }
    let created = unix!(e.times.creation);
    for w in runs.windows(2) {
        let [(old, _, _), (_, set_at, _)] = w else {
            continue;
        };
        if old.is_empty() {
            continue;
        }
        if let Some(at) = set_at.or(created) {
            i.password_history.push(PasswordHistoryEntry {
                password: SecretText::new(*old),
                retired_at: at,
            });
        }
    }
    if !current.is_empty() {
        i.password_changed_at = match runs.last() {
            Some((_, t, idx)) if *idx > 0 => t.or(created),
            _ => created,
        };
    }
}

type Totp = (Otp, String, String);

/// The entry's TOTP, if it has one: `Ok(None)` when none of the known fields is there.
fn totp(e: &Entry) -> Result<Option<Totp>, String> {
    let otp = field(e, "otp").trim();
    if !otp.is_empty() {
        let lower = otp.to_ascii_lowercase();
        if lower.starts_with("otpauth://") || lower.starts_with("steam://") {
            let p = parse_uri(otp).map_err(|e| e.to_string())?;
            return Ok(Some((p.otp, p.issuer, p.account)));
        }
        if lower.contains("key=") {
            return keeotp(otp).map(|o| Some((o, String::new(), String::new())));
        }
        return Err("the otp field is neither an otpauth:// link nor KeeOtp settings".into());
    }
    let seed = field(e, "TOTP Seed").trim();
    if !seed.is_empty() {
        return traytotp(seed, field(e, "TOTP Settings"))
            .map(|o| Some((o, String::new(), String::new())));
    }
    if let Some(o) = keepass_otp(e, "TimeOtp")? {
        return Ok(Some((o, String::new(), String::new())));
    }
    if let Some(o) = keepass_otp(e, "HmacOtp")? {
        return Ok(Some((o, String::new(), String::new())));
    }
    Ok(None)
}

fn totp_default(secret: Vec<u8>) -> Otp {
    Otp {
        kind: OtpKind::Totp,
        secret: SecretBytes::new(secret),
        algorithm: Algorithm::Sha1,
        digits: 6,
        period: 30,
        counter: 0,
    }
}

fn number<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("{name} is not a number ('{}')", v.trim()))
}

/// KeeOtp's `key=BASE32&step=30&size=6&type=Totp&otpHashMode=Sha256` (also `counter` for
/// `type=Hotp`).
fn keeotp(s: &str) -> Result<Otp, String> {
    let mut otp = None;
    let (mut step, mut size, mut kind, mut alg, mut counter) = (None, None, None, None, None);
    for part in s.split('&') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let v = crate::otp::percent_decode_path(v);
        match k.trim().to_ascii_lowercase().as_str() {
            "key" => {
                otp = Some(totp_default(
                    parse_secret(&v).map_err(|e| e.to_string())?.bytes,
                ))
            }
            "step" => step = Some(number::<u32>("step", &v)?),
            "size" => size = Some(number::<u8>("size", &v)?),
            "type" => kind = Some(v.trim().to_ascii_lowercase()),
            "otphashmode" => alg = Some(parse_algorithm(&v).map_err(|e| e.to_string())?),
            "counter" => counter = Some(number::<u64>("counter", &v)?),
            _ => {}
        }
    }
    let mut otp = otp.ok_or("the KeeOtp settings have no key")?;
    match kind.as_deref() {
        None | Some("totp") => {}
        Some("hotp") => otp.kind = OtpKind::Hotp,
        Some(other) => return Err(format!("KeeOtp type '{other}' is not supported")),
    }
    if let Some(s) = step {
        otp.period = s;
    }
    if let Some(s) = size {
        otp.digits = s;
    }
    if let Some(a) = alg {
        otp.algorithm = a;
    }
    if let Some(c) = counter {
        otp.counter = c;
    }
    validate(&otp).map_err(|e| e.to_string())?;
    Ok(otp)
}

/// TrayTOTP / KeePassXC 2.5's `TOTP Seed` with `TOTP Settings` "period;digits" ("30;S" is
/// Steam; a third part, a URL, is ignored).
fn traytotp(seed: &str, settings: &str) -> Result<Otp, String> {
    let seed_l = seed.to_ascii_lowercase();
    if seed_l.starts_with("otpauth://") {
        return parse_uri(seed).map(|p| p.otp).map_err(|e| e.to_string());
    }
    let mut otp = totp_default(parse_secret(seed).map_err(|e| e.to_string())?.bytes);
    let mut parts = settings.split(';');
    if let Some(p) = parts.next().filter(|p| !p.trim().is_empty()) {
        otp.period = number("TOTP Settings period", p)?;
    }
    if let Some(d) = parts.next().filter(|d| !d.trim().is_empty()) {
        if d.trim().eq_ignore_ascii_case("s") {
            otp.kind = OtpKind::Steam;
            otp.digits = 5;
        } else {
            otp.digits = number("TOTP Settings digits", d)?;
        }
    }
    validate(&otp).map_err(|e| e.to_string())?;
    Ok(otp)
}

/// KeePass 2.47+: `TimeOtp-Secret-Base32` (or `-Secret`, `-Secret-Hex`, `-Secret-Base64`),
/// `TimeOtp-Period`, `TimeOtp-Length`, `TimeOtp-Algorithm` ("HMAC-SHA-256"); `HmacOtp-*` with
/// `HmacOtp-Counter` for HOTP.
fn keepass_otp(e: &Entry, prefix: &str) -> Result<Option<Otp>, String> {
    use base64::Engine as _;
    let get = |s: &str| field(e, &format!("{prefix}-{s}")).trim().to_owned();
    let (b32, raw, hex, b64) = (
        get("Secret-Base32"),
        get("Secret"),
        get("Secret-Hex"),
        get("Secret-Base64"),
    );
    let secret = if !b32.is_empty() {
        parse_secret(&b32).map_err(|e| e.to_string())?.bytes
    } else if !raw.is_empty() {
        raw.into_bytes()
    } else if !hex.is_empty() {
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(hex.replace(' ', "").as_bytes())
            .map_err(|_| format!("{prefix}-Secret-Hex is not hexadecimal"))?
    } else if !b64.is_empty() {
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|_| format!("{prefix}-Secret-Base64 is not base64"))?
    } else {
        return Ok(None);
    };
    let mut otp = totp_default(secret);
    if prefix == "HmacOtp" {
        otp.kind = OtpKind::Hotp;
        let c = get("Counter");
        if !c.is_empty() {
            otp.counter = number("HmacOtp-Counter", &c)?;
        }
    } else {
        let p = get("Period");
        if !p.is_empty() {
            otp.period = number("TimeOtp-Period", &p)?;
        }
        let a = get("Algorithm");
        if !a.is_empty() {
            let a = a.to_ascii_uppercase().replace("HMAC-", "").replace('-', "");
            otp.algorithm = parse_algorithm(&a).map_err(|e| e.to_string())?;
        }
    }
    let l = get("Length");
    if !l.is_empty() {
        otp.digits = number(&format!("{prefix}-Length"), &l)?;
    }
    validate(&otp).map_err(|e| e.to_string())?;
    Ok(Some(otp))
}

/// Keydeck's `Recovery codes` attribute: one code a line, `USED <RFC 3339 time> ` before a used
/// one, and a tab before the code's note.
fn recovery_codes(text: &str) -> Vec<RecoveryCode> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (body, note) = line.split_once('\t').unwrap_or((line, ""));
        let mut used_at = None;
        let mut code = body.trim();
        if let Some(rest) = code.strip_prefix("USED ") {
            if let Some((when, c)) = rest.split_once(' ') {
                if let Some(t) = parse_utc(when) {
                    used_at = Some(t);
                    code = c.trim();
                }
            }
        }
        if code.is_empty() {
            continue;
        }
        out.push(RecoveryCode {
            code: SecretText::new(code),
            used_at,
            note: note.trim().to_owned(),
        });
    }
    out
}

/// `USED <time> ` as the export writes it.
pub(crate) fn used_prefix(at: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    format!("USED {t} ")
}

/// "2024-05-01T12:00:00Z" (what `used_prefix` writes) as Unix seconds.
fn parse_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let month = time::Month::try_from(u8::try_from(n(5..7)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(n(0..4)?).ok()?,
        month,
        u8::try_from(n(8..10)?).ok()?,
    )
    .ok()?;
    let t = time::Time::from_hms(
        u8::try_from(n(11..13)?).ok()?,
        u8::try_from(n(14..16)?).ok()?,
        u8::try_from(n(17..19)?).ok()?,
    )
    .ok()?;
    Some(
        time::PrimitiveDateTime::new(date, t)
            .assume_utc()
            .unix_timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{read as import, testdata, ImportFile};
    use super::*;
    use crate::ErrorKind;

    const STRATUM: &str = "more_imports/stratum_more/";
    const KPXC: &str = "more_imports/keepassxc/";

    fn open(rel: &str, key: FileKey) -> Result<ImportFile> {
        import(testdata::bytes(rel), None, &key)
    }

    fn with_keyfile(password: Option<&str>, keyfile: &str) -> FileKey {
        FileKey {
            password: password.map(SecretText::new),
            keyfile: Some(SecretBytes::new(testdata::bytes(keyfile))),
        }
    }

    fn otp_of(a: &Imported) -> (OtpKind, String, Algorithm, u8, u32) {
        let o = a.otp.as_ref().expect("has a TOTP");
        (
            o.kind,
            crate::otp::encode_secret(o.secret.expose()),
            o.algorithm,
            o.digits,
            o.period,
        )
    }

    /// Stratum.Test KeePassBackupConverterTest: password "test", 7 authenticators in every
    /// variant (9 entries: two have no TOTP), "testing" is a wrong password; the recycle-bin
    /// file has all its entries in the Recycle Bin. Values from the files themselves
    /// (keepassxc-cli export).
    #[test]
    fn stratum_variants_read_with_every_field() {
        for f in [
            "keepass.aes256.aeskdf.kdbx",
            "keepass.aes256.argon2d.kdbx",
            "keepass.aes256.argon2id.kdbx",
            "keepass.chacha20.argon2d.kdbx",
            "keepass.twofish.argon2d.kdbx",
            "keepass.nocompression.kdbx",
            "keepass.norecyclebin.kdbx",
            "keepass.groups.kdbx",
            "keepass.big.kdbx",
        ] {
            let rel = format!("{STRATUM}{f}");
            let input = Input::new(testdata::bytes(&rel)).unwrap();
            assert_eq!(
                super::super::detect(&input).unwrap().0.name(),
                "kdbx",
                "{f}"
            );
            let r = open(&rel, FileKey::password("test")).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert!(r.problems.is_empty(), "{f}: {:?}", r.problems);
            assert_eq!(r.accounts.len(), 9, "{f}");
            assert_eq!(
                r.accounts.iter().filter(|a| a.otp.is_some()).count(),
                7,
                "{f}"
            );
            let by = |name: &str, user: &str| {
                r.accounts
                    .iter()
                    .find(|a| a.name == name && a.username == user)
                    .unwrap_or_else(|| panic!("{f}: {name}/{user}"))
            };
            let steam = by("Steam", "steam");
            assert_eq!(
                otp_of(steam),
                (
                    OtpKind::Steam,
                    "Y2PO2DPO4AGBS2KQPO5ONQPEBAR2VKMF".into(),
                    Algorithm::Sha1,
                    5,
                    30
                )
            );
            assert_eq!(steam.issuer, "Steam");
            assert_eq!(
                otp_of(by("Sha", "512")),
                (
                    OtpKind::Totp,
                    "UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH".into(),
                    Algorithm::Sha512,
                    6,
                    30
                )
            );
            assert_eq!(otp_of(by("Long", "Period")).4, 60);
            assert_eq!(otp_of(by("Many", "Digits")).3, 9);
            let std = by("Standard", "Totp");
            assert_eq!(std.password.as_ref().map(|p| p.expose()), Some("totp"));
            assert_eq!(otp_of(std).1, "54VEGZFJHM3BGDONFERMPUOKNGDJETGM");
            assert!(by("No otp", "No otp").otp.is_none());
            if f == "keepass.groups.kdbx" {
                assert_eq!(std.tags, vec!["Group A/Group B"]);
                assert_eq!(by("Many", "Digits").tags, vec!["Group A"]);
                assert!(by("No otp", "No otp").tags.is_empty());
            }
        }
    }

    #[test]
    fn stratum_wrong_password_says_so() {
        for f in ["keepass.aes256.aeskdf.kdbx", "keepass.twofish.argon2d.kdbx"] {
            let e = open(&format!("{STRATUM}{f}"), FileKey::password("testing"))
                .err()
                .expect(f);
            assert!(matches!(e, Error::WrongFilePassword { .. }), "{f}: {e}");
        }
    }

    #[test]
    fn recycle_bin_is_skipped_and_said() {
        let r = open(
            &format!("{STRATUM}keepass.recyclebin.kdbx"),
            FileKey::password("test"),
        )
        .unwrap();
        assert!(r.accounts.is_empty());
        assert_eq!(
            r.problems,
            vec!["9 entries in the Recycle Bin were not imported"]
        );
    }

    #[test]
    fn stratum_kdbx3_is_read_and_is_empty() {
        // Stratum refuses KDBX 3 (its library); Keydeck reads it: the file has no entries.
        let e = open(
            &format!("{STRATUM}keepass.kdbx3.kdbx"),
            FileKey::password("test"),
        )
        .err()
        .expect("empty");
        assert!(e.to_string().contains("holds no accounts"), "{e}");
    }

    /// KeePassXC tests/TestKdbx3.cpp, TestKdbx4.cpp, TestKeys.cpp, TestCli.cpp: passwords and
    /// the values they assert.
    #[test]
    fn keepassxc_files() {
        let r = open(&format!("{KPXC}Format400.kdbx"), FileKey::password("t")).unwrap();
        assert_eq!(r.accounts.len(), 1);
        assert_eq!(r.accounts[0].name, "Format400");
        assert_eq!(r.accounts[0].username, "Format400");

        let r = open(
            &format!("{KPXC}ProtectedStrings.kdbx"),
            FileKey::password("masterpw"),
        )
        .unwrap();
        let a = r
            .accounts
            .iter()
            .find(|a| a.name == "Sample Entry")
            .unwrap();
        assert_eq!(a.username, "Protected User Name");
        assert_eq!(a.password.as_ref().unwrap().expose(), "ProtectedPassword");

        let pw = "\u{394}\u{f6}\u{636}"; // "Δöض"
        let r = open(&format!("{KPXC}NonAscii.kdbx"), FileKey::password(pw)).unwrap();
        let a = r
            .accounts
            .iter()
            .find(|a| a.name == "\u{79d8}\u{5bc6}")
            .unwrap(); // "秘密"
        assert_eq!(
            a.password.as_ref().unwrap().expose(),
            "\u{1f697}\u{1f40e}\u{1f50b}\u{1f4ce}"
        );
        // TestKdbx3::testCompressed: the empty password.
        let r = open(&format!("{KPXC}Compressed.kdbx"), FileKey::password("")).unwrap();
        let a = r
            .accounts
            .iter()
            .find(|a| a.name == "Sample Entry")
            .unwrap();
        assert_eq!(
            (a.username.as_str(), a.url.as_str(), a.notes.as_str()),
            ("User Name", "http://www.somesite.com/", "Notes")
        );
        assert_eq!(a.password.as_ref().unwrap().expose(), "Password");
        // TestCli: SyncDatabaseDifferentPassword.kdbx opens with "b".
        let f = format!("{KPXC}SyncDatabaseDifferentPassword.kdbx");
        assert!(open(&f, FileKey::password("b")).is_ok());

        for f in [
            "Format300.kdbx",
            "NewDatabase.kdbx",
            "NewDatabase2.kdbx",
            "NewDatabaseBrowser.kdbx",
            "NewDatabaseMulti.kdbx",
            "SyncDatabase.kdbx",
        ] {
            let r = open(&format!("{KPXC}{f}"), FileKey::password("a"))
                .unwrap_or_else(|e| panic!("{f}: {e}"));
            assert!(
                r.accounts
                    .iter()
                    .any(|a| a.name == "Sample Entry" || a.name == "Single Entry"),
                "{f}"
            );
        }
        let r = open(&format!("{KPXC}NewDatabase.kdbx"), FileKey::password("a")).unwrap();
        let sub = r
            .accounts
            .iter()
            .find(|a| a.name == "Subgroup Entry")
            .unwrap();
        assert_eq!(sub.tags, vec!["Homebanking/Subgroup"]);

        // Key files: with a password, and alone.
        let r = open(
            &format!("{KPXC}KeyFileProtected.kdbx"),
            with_keyfile(Some("a"), &format!("{KPXC}KeyFileProtected.key")),
        )
        .unwrap();
        assert_eq!(r.accounts.len(), 2);
        let r = open(
            &format!("{KPXC}KeyFileProtectedNoPassword.kdbx"),
            with_keyfile(None, &format!("{KPXC}KeyFileProtectedNoPassword.key")),
        )
        .unwrap();
        assert_eq!(r.accounts.len(), 2);
        // The wrong key file is a wrong key.
        let e = open(
            &format!("{KPXC}KeyFileProtected.kdbx"),
            with_keyfile(Some("a"), &format!("{KPXC}KeyFileProtectedNoPassword.key")),
        )
        .err()
        .unwrap();
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        let e = open(
            &format!("{KPXC}SyncDatabaseDifferentPassword.kdbx"),
            FileKey::password("a"),
        )
        .err()
        .unwrap();
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
    }

    #[test]
    fn keepassxc_files_that_must_fail() {
        // TestKdbx3::testBrokenHeaderHash: the protected stream key was changed in the header.
        let e = open(
            &format!("{KPXC}BrokenHeaderHash.kdbx"),
            FileKey::password(""),
        )
        .err()
        .expect("refused");
        assert_eq!(e.kind(), ErrorKind::BadInput, "{e}");
        // KDBX 2.0 is refused with the way out.
        let e = open(&format!("{KPXC}Format200.kdbx"), FileKey::password("a"))
            .err()
            .expect("refused");
        assert!(e.to_string().contains("KDBX 2"), "{e}");
    }

    #[test]
    fn damaged_files_are_refused_clearly() {
        let good = testdata::bytes(&format!("{STRATUM}keepass.aes256.aeskdf.kdbx"));
        let key = || FileKey::password("test");
        for cut in [6usize, 40, 200, good.len() / 2, good.len() - 10] {
            let e = import(good[..cut].to_vec(), None, &key())
                .err()
                .expect("truncated");
            assert!(matches!(e.kind(), ErrorKind::BadInput), "cut {cut}: {e}");
        }
        // A flipped bit in the encrypted data: the block HMAC fails.
        let mut flipped = good.clone();
        let at = good.len() - 100;
        flipped[at] ^= 0x10;
        let e = import(flipped, None, &key()).err().expect("flipped");
        assert_eq!(e.kind(), ErrorKind::BadInput, "{e}");
        assert!(e.to_string().contains("damaged"), "{e}");
        // A flipped bit in the header: its checksum fails.
        let mut flipped = good.clone();
        flipped[30] ^= 0x01;
        let e = import(flipped, None, &key()).err().expect("flipped header");
        assert!(
            matches!(e.kind(), ErrorKind::BadInput | ErrorKind::WrongPassword),
            "{e}"
        );
    }

    #[test]
    fn absurd_key_derivation_is_refused_before_it_runs() {
        let mut db = keepass::Database::new();
        db.config.kdf_config = keepass::config::KdfConfig::Aes { rounds: 1 };
        db.root_mut().add_entry();
        let mut buf = Vec::new();
        db.save(&mut buf, keepass::DatabaseKey::new().with_password("x"))
            .unwrap();
        assert!(check_header(&buf).is_ok());
        // Rewrite the rounds in the variant dictionary ("R", u64) to 10^12.
        let pos = buf
            .windows(6)
            .position(|w| w == [0x05, 1, 0, 0, 0, b'R'])
            .unwrap();
        let v = pos + 6 + 4;
        buf[v..v + 8].copy_from_slice(&1_000_000_000_000u64.to_le_bytes());
        let e = check_header(&buf).err().unwrap();
        assert!(e.contains("AES-KDF rounds"), "{e}");
        let e = import(buf, None, &FileKey::password("x")).err().unwrap();
        assert!(e.to_string().contains("AES-KDF rounds"), "{e}");

        let mut vd = vec![0u8, 1];
        let mut item = |t: u8, name: &[u8], value: &[u8]| {
            vd.push(t);
            vd.extend((name.len() as u32).to_le_bytes());
            vd.extend(name);
            vd.extend((value.len() as u32).to_le_bytes());
            vd.extend(value);
        };
        item(
            0x42,
            b"$UUID",
            &[
                0x9e, 0x29, 0x8b, 0x19, 0x56, 0xdb, 0x47, 0x73, 0xb2, 0x3d, 0xfc, 0x3e, 0xc6, 0xf0,
                0xa1, 0xe6,
            ],
        );
        item(0x05, b"M", &(64u64 << 30).to_le_bytes());
        item(0x05, b"I", &2u64.to_le_bytes());
        item(0x04, b"P", &2u32.to_le_bytes());
        vd.push(0);
        let e = kdf_params(&vd).err().unwrap();
        assert!(e.contains("65536 MiB of memory"), "{e}");
    }

    #[test]
    fn totp_fields_of_other_plugins() {
        let o = keeotp("key=JBSWY3DPEHPK3PXP&step=60&size=8&type=Totp&otpHashMode=Sha256").unwrap();
        assert_eq!(
            (o.period, o.digits, o.algorithm),
            (60, 8, Algorithm::Sha256)
        );
        let o = traytotp("JBSWY3DPEHPK3PXP", "30;S").unwrap();
        assert_eq!((o.kind, o.digits), (OtpKind::Steam, 5));
        let o = traytotp("JBSWY3DPEHPK3PXP", "45;7").unwrap();
        assert_eq!((o.period, o.digits), (45, 7));
        assert!(keeotp("step=30").is_err());
    }

    #[test]
    fn recovery_code_lines() {
        let text = format!(
            "aaaa-bbbb\n{}cccc dddd\tused at the bank\n\n",
            used_prefix(1_700_000_000)
        );
        let codes = recovery_codes(&text);
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[0].code.expose(), "aaaa-bbbb");
        assert_eq!(codes[0].used_at, None);
        assert_eq!(codes[1].code.expose(), "cccc dddd");
        assert_eq!(codes[1].used_at, Some(1_700_000_000));
        assert_eq!(codes[1].note, "used at the bank");
    }
}
