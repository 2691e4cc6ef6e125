//! `kdbx`: every account as a KeePass 4 database (Argon2id, AES-256, inner stream ChaCha20),
//! written with the `keepass` crate and read by KeePass, KeePassXC and Keydeck's own import.
//!
//! One entry per account, in the root group: Title, UserName, Password (protected), URL,
//! Notes, Tags; the TOTP as KeePassXC's `otp` attribute (an `otpauth://` URI, protected); the
//! recovery codes in the protected attribute `Recovery codes` (one a line, `USED <time> ` before
//! a used one, a tab before a note); the issuer in `Issuer` when the account has one.
//!
//! Password history becomes KeePass history the way KeePass itself records it: each older
//! password is a version written when that password was set (the previous one's retirement,
//! or the account's creation for the first), and, when the current password was set after the
//! last other change, one more version with the current password at that time. Keydeck's
//! import reads it back to the same history (see `import::keepass`).

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::import::{ISSUER_ATTRIBUTE, RECOVERY_ATTRIBUTE};
use crate::model::Account;
use crate::secret::SecretText;
use keepass::config::{DatabaseConfig, InnerCipherConfig, KdfConfig, OuterCipherConfig};
use keepass::db::{fields, Entry};
use keepass::{Database, DatabaseKey};

/// KeePassXC's defaults for a new database: Argon2 with 64 MiB and 10 passes, 2 lanes (here
/// Argon2id, as the issue asks).
pub const ARGON2_MEMORY: u64 = 64 * 1024 * 1024;
pub const ARGON2_ITERATIONS: u64 = 10;
pub const ARGON2_LANES: u32 = 2;

/// A KeePass 4 database of `accounts`, opened by `password`.
pub fn write(accounts: &[&Account], password: &SecretText) -> Result<Zeroizing<Vec<u8>>> {
    write_with(
        accounts,
        password,
        ARGON2_MEMORY,
        ARGON2_ITERATIONS,
        ARGON2_LANES,
    )
}

/// As `write`, with other Argon2id costs (tests and benchmarks use cheaper ones).
pub fn write_with(
    accounts: &[&Account],
    password: &SecretText,
    memory: u64,
    iterations: u64,
    lanes: u32,
) -> Result<Zeroizing<Vec<u8>>> {
    if password.is_empty() {
        return Err(Error::invalid("export", "the kdbx export needs a password"));
    }
    let mut config = DatabaseConfig::default();
    // The Argon2 version type is the crate's own dependency's; take it from its default.
    let version = match &config.kdf_config {
        KdfConfig::Argon2 { version, .. } | KdfConfig::Argon2id { version, .. } => *version,
        _ => return Err(Error::invalid("export", "the KeePass library has no Argon2")),
    };
    config.kdf_config = KdfConfig::Argon2id {
        iterations,
        memory,
        parallelism: lanes,
        version,
    };
    config.outer_cipher_config = OuterCipherConfig::AES256;
    config.inner_cipher_config = InnerCipherConfig::ChaCha20;
    let mut db = Database::with_config(config);
    db.meta.database_name = Some("Keydeck export".into());
    db.meta.generator = Some("Keydeck".into());
    db.meta.recyclebin_enabled = Some(false);
    for a in accounts {
        let mut root = db.root_mut();
        let mut e = root.add_entry();
        fill(&mut e, a);
    }
    let mut out = Zeroizing::new(Vec::new());
    db.save(
        &mut *out,
        DatabaseKey::new().with_password(password.expose()),
    )
    .map_err(|e| Error::invalid("export", format!("the KeePass database could not be written ({e})")))?;
    Ok(out)
}

fn fill(e: &mut Entry, a: &Account) {
    e.set_unprotected(fields::TITLE, a.name.as_str());
    e.set_unprotected(fields::USERNAME, a.username.as_str());
    e.set_protected(fields::PASSWORD, a.password.expose());
    e.set_unprotected(fields::URL, a.url.as_str());
    e.set_unprotected(fields::NOTES, a.notes.as_str());
    if !a.issuer.is_empty() {
        e.set_unprotected(ISSUER_ATTRIBUTE, a.issuer.as_str());
    }
    if let Some(uri) = crate::otp::account_uri(a) {
        e.set_protected(fields::OTP, uri.as_str());
    }
    if !a.recovery.is_empty() {
        let mut text = Zeroizing::new(String::new());
        for c in &a.recovery {
            if let Some(at) = c.used_at {
                text.push_str(&crate::import::keepass_used_prefix(at));
            }
            text.push_str(c.code.expose());
            if !c.note.is_empty() {
                text.push('\t');
                text.push_str(&c.note.replace(['\n', '\r', '\t'], " "));
            }
            text.push('\n');
        }
        e.set_protected(RECOVERY_ATTRIBUTE, text.as_str());
    }
    e.tags = a.tags.clone();
    e.times.creation = naive(a.created_at);
    e.times.last_modification = naive(a.updated_at);
    e.times.last_access = naive(a.updated_at);
    e.times.location_changed = naive(a.created_at);

    // History: one version per older password, written when it was set.
    let mut versions: Vec<Entry> = Vec::new();
    let mut set_at = a
        .password_history
        .first()
        .map_or(a.created_at, |h| a.created_at.min(h.retired_at));
    let base = {
        let mut b = e.clone();
        b.history = None;
        b
    };
    for h in &a.password_history {
        let mut v = base.clone();
        v.set_protected(fields::PASSWORD, h.password.expose());
        v.times.last_modification = naive(set_at);
        versions.push(v);
        set_at = h.retired_at;
    }
    if !a.password_history.is_empty() && set_at != a.updated_at {
        // The current password, from when it was set; the entry itself is from the last change.
        let mut v = base.clone();
        v.times.last_modification = naive(set_at);
        versions.push(v);
    }
    if let Some(h) = e.history.as_mut() {
        // `add_entry` puts each version first: newest first in, oldest first out.
        for v in versions.into_iter().rev() {
            h.add_entry(v);
        }
    }
    if a.password_history.is_empty() {
        // Without history, the import takes the creation time as the password's date.
        if let Some(p) = a.password_changed_at {
            e.times.creation = naive(p.min(a.updated_at));
        }
    }
}

/// Unix seconds as the crate's time type (chrono's `NaiveDateTime`, UTC by KeePass's rule),
/// through its text form so that Keydeck needs no chrono of its own.
fn naive<T: std::str::FromStr>(t: i64) -> Option<T> {
    let t = time::OffsetDateTime::from_unix_timestamp(t).ok()?;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
    .parse()
    .ok()
}
