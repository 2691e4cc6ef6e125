//! The plaintext inside an item's ciphertext: one JSON object per record, with a `"v"` version
//! (docs/vault-format.md §5). These wire structs are private to the crate and zero themselves
//! on drop; they exist only between a model type and the AEAD.
//!
//! Fields added later get `#[serde(default)]`, so older records keep opening without a
//! migration; unknown fields from a newer Keydeck are ignored on read.

use data_encoding::BASE32_NOPAD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};
use crate::model::{
    Account, Algorithm, Event, EventWhat, Otp, OtpKind, PasswordHistoryEntry, RecoveryCode,
};
use crate::secret::{SecretBytes, SecretText};

pub const KIND_ACCOUNT: &str = "account";
pub const KIND_EVENT: &str = "event";
/// Vault settings (backups today): one record, id [`SETTINGS_ID`].
pub const KIND_SETTINGS: &str = "settings";
/// How the last backups went: one record, id [`BACKUP_STATUS_ID`]. Writing it is not a change.
pub const KIND_BACKUP_STATUS: &str = "backup_status";
/// Fixed ids of the one-of-a-kind records (not UUID v4, so never an account's id).
pub const SETTINGS_ID: uuid::Uuid = uuid::Uuid::from_u128(1);
pub const BACKUP_STATUS_ID: uuid::Uuid = uuid::Uuid::from_u128(2);
const RECORD_VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct AccountRecord {
    v: u32,
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    icon: String,
    #[serde(default)]
    otp: Option<OtpRecord>,
    #[serde(default)]
    recovery: Vec<RecoveryRecord>,
    #[serde(default)]
    password_changed_at: Option<i64>,
    #[serde(default)]
    password_score: Option<u8>,
    #[serde(default)]
    password_history: Vec<HistoryRecord>,
    #[serde(default)]
    favourite: bool,
    /// Set while the account is in the Trash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deleted_at: Option<i64>,
}

#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct OtpRecord {
    #[zeroize(skip)]
    kind: OtpKind,
    /// RFC 4648 base32, upper case, no padding.
    secret: String,
    #[zeroize(skip)]
    algorithm: Algorithm,
    digits: u8,
    #[serde(default)]
    period: u32,
    #[serde(default)]
    counter: u64,
}

#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct RecoveryRecord {
    code: String,
    used_at: Option<i64>,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct HistoryRecord {
    password: String,
    retired_at: i64,
}

pub fn encode_account(a: &Account) -> Zeroizing<Vec<u8>> {
    let rec = AccountRecord {
        v: RECORD_VERSION,
        name: a.name.clone(),
        issuer: a.issuer.clone(),
        username: a.username.clone(),
        password: a.password.expose().to_owned(),
        url: a.url.clone(),
        notes: a.notes.clone(),
        tags: a.tags.clone(),
        icon: a.icon.clone(),
        otp: a.otp.as_ref().map(|o| OtpRecord {
            kind: o.kind,
            secret: BASE32_NOPAD.encode(o.secret.expose()),
            algorithm: o.algorithm,
            digits: o.digits,
            period: o.period,
            counter: o.counter,
        }),
        recovery: a
            .recovery
            .iter()
            .map(|r| RecoveryRecord {
                code: r.code.expose().to_owned(),
                used_at: r.used_at,
                note: r.note.clone(),
            })
            .collect(),
        password_changed_at: a.password_changed_at,
        password_score: a.password_score,
        password_history: a
            .password_history
            .iter()
            .map(|h| HistoryRecord {
                password: h.password.expose().to_owned(),
                retired_at: h.retired_at,
            })
            .collect(),
        favourite: a.favourite,
        deleted_at: a.deleted_at,
    };
    to_json(&rec)
}

pub fn decode_account(
    id: Uuid,
    created_at: i64,
    updated_at: i64,
    plaintext: &[u8],
) -> Result<Account> {
    let mut rec: AccountRecord = from_json(id, plaintext)?;
    let otp = match rec.otp.take() {
        None => None,
        Some(o) => {
            let secret = BASE32_NOPAD
                .decode(o.secret.as_bytes())
                .map_err(|_| Error::integrity(format!("item {id} (OTP secret is not base32)")))?;
            Some(Otp {
                kind: o.kind,
                secret: SecretBytes::new(secret),
                algorithm: o.algorithm,
                digits: o.digits,
                period: o.period,
                counter: o.counter,
            })
        }
    };
    Ok(Account {
        id,
        name: std::mem::take(&mut rec.name),
        issuer: std::mem::take(&mut rec.issuer),
        username: std::mem::take(&mut rec.username),
        password: SecretText::new(std::mem::take(&mut rec.password)),
        url: std::mem::take(&mut rec.url),
        notes: std::mem::take(&mut rec.notes),
        tags: std::mem::take(&mut rec.tags),
        icon: std::mem::take(&mut rec.icon),
        otp,
        recovery: rec
            .recovery
            .iter_mut()
            .map(|r| RecoveryCode {
                code: SecretText::new(std::mem::take(&mut r.code)),
                used_at: r.used_at,
                note: std::mem::take(&mut r.note),
            })
            .collect(),
        password_changed_at: rec.password_changed_at,
        password_score: rec.password_score,
        password_history: rec
            .password_history
            .iter_mut()
            .map(|h| PasswordHistoryEntry {
                password: SecretText::new(std::mem::take(&mut h.password)),
                retired_at: h.retired_at,
            })
            .collect(),
        favourite: rec.favourite,
        deleted_at: rec.deleted_at,
        created_at,
        updated_at,
    })
}

#[derive(Serialize, Deserialize)]
struct EventRecord {
    v: u32,
    what: EventWhat,
    #[serde(default)]
    account_id: Option<Uuid>,
    #[serde(default)]
    account: String,
    #[serde(default)]
    detail: String,
    /// How many times it happened (a day's unlocks share one entry); absent means once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
}

pub fn encode_event(e: &Event) -> Zeroizing<Vec<u8>> {
    to_json(&EventRecord {
        v: RECORD_VERSION,
        what: e.what,
        account_id: e.account_id,
        account: e.account.clone(),
        detail: e.detail.clone(),
        count: (e.count != 1).then_some(e.count),
    })
}

pub fn decode_event(id: Uuid, at: i64, plaintext: &[u8]) -> Result<Event> {
    let r: EventRecord = from_json(id, plaintext)?;
    Ok(Event {
        id,
        at,
        what: r.what,
        account_id: r.account_id,
        account: r.account,
        detail: r.detail,
        count: r.count.unwrap_or(1),
    })
}

/// Serialises into a buffer of exactly the right size, zeroed on drop.
///
/// Why two passes: `serde_json` writing into a growing `Vec` reallocates as it goes, and every
/// reallocation frees the old block with a partial plaintext record (a password, an OTP secret)
/// still in it — `Zeroizing` only clears the final buffer. Counting the bytes first (a writer
/// that stores nothing) lets the real pass write into a `Vec` that never reallocates
/// (tests/freed_memory.rs checks this with a scanning allocator).
fn to_json<T: Serialize>(value: &T) -> Zeroizing<Vec<u8>> {
    let mut count = ByteCount(0);
    // Serialising plain structs of strings and numbers cannot fail.
    #[allow(clippy::expect_used)]
    serde_json::to_writer(&mut count, value).expect("record serialises");
    let mut buf = Zeroizing::new(Vec::with_capacity(count.0));
    #[allow(clippy::expect_used)]
    serde_json::to_writer(&mut *buf, value).expect("record serialises");
    debug_assert_eq!(buf.len(), buf.capacity().min(count.0));
    buf
}

/// A writer that only counts what it is given.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn from_json<T: for<'de> Deserialize<'de> + HasVersion>(id: Uuid, plaintext: &[u8]) -> Result<T> {
    // The tag already verified: a parse failure here means a record from a newer Keydeck or a
    // bug, never tampering. It still fails closed, naming only the item.
    let rec: T = serde_json::from_slice(plaintext).map_err(|e| {
        Error::integrity(format!(
            "item {id} (record unreadable: {})",
            e.classify_name()
        ))
    })?;
    if rec.version() > RECORD_VERSION {
        return Err(Error::UnsupportedVersion {
            found: rec.version() as i64,
            supported: RECORD_VERSION as i64,
        });
    }
    Ok(rec)
}

/// The `settings` record. Every field has a default, so a vault without the record (or with an
/// older one) reads as the defaults.
#[derive(Serialize, Deserialize, Default)]
pub struct SettingsRecord {
    pub v: u32,
    #[serde(default)]
    pub backup: BackupSettingsRecord,
    #[serde(default)]
    pub activity: ActivitySettingsRecord,
}

#[derive(Serialize, Deserialize)]
pub struct ActivitySettingsRecord {
    /// Activity-log entries older than this many days are deleted at the next write.
    #[serde(default = "default_log_keep_days")]
    pub keep_days: u32,
}

impl Default for ActivitySettingsRecord {
    fn default() -> Self {
        ActivitySettingsRecord {
            keep_days: default_log_keep_days(),
        }
    }
}

fn default_log_keep_days() -> u32 {
    crate::vault::DEFAULT_LOG_KEEP_DAYS
}

#[derive(Serialize, Deserialize)]
pub struct BackupSettingsRecord {
    /// `None`: the `backups` folder beside the vault file.
    #[serde(default)]
    pub folder: Option<String>,
    #[serde(default = "default_keep")]
    pub keep: u32,
    #[serde(default = "default_true")]
    pub auto: bool,
}

impl Default for BackupSettingsRecord {
    fn default() -> Self {
        BackupSettingsRecord {
            folder: None,
            keep: default_keep(),
            auto: true,
        }
    }
}

fn default_keep() -> u32 {
    10
}

fn default_true() -> bool {
    true
}

/// The `backup_status` record.
#[derive(Serialize, Deserialize, Default, Clone)]
pub struct BackupStatusRecord {
    pub v: u32,
    #[serde(default)]
    pub last_ok_at: Option<i64>,
    #[serde(default)]
    pub last_ok_file: Option<String>,
    #[serde(default)]
    pub last_attempt_at: Option<i64>,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub last_error_at: Option<i64>,
    /// `meta.changes` as read just before the last successful backup's snapshot.
    #[serde(default)]
    pub backed_up_change: Option<i64>,
}

pub fn encode_settings(s: &SettingsRecord) -> Zeroizing<Vec<u8>> {
    to_json(&SettingsRecord {
        v: RECORD_VERSION,
        backup: BackupSettingsRecord {
            folder: s.backup.folder.clone(),
            keep: s.backup.keep,
            auto: s.backup.auto,
        },
        activity: ActivitySettingsRecord {
            keep_days: s.activity.keep_days,
        },
    })
}

pub fn decode_settings(id: Uuid, plaintext: &[u8]) -> Result<SettingsRecord> {
    from_json(id, plaintext)
}

pub fn encode_backup_status(s: &BackupStatusRecord) -> Zeroizing<Vec<u8>> {
    let mut s = s.clone();
    s.v = RECORD_VERSION;
    to_json(&s)
}

pub fn decode_backup_status(id: Uuid, plaintext: &[u8]) -> Result<BackupStatusRecord> {
    from_json(id, plaintext)
}

trait HasVersion {
    fn version(&self) -> u32;
}
impl HasVersion for AccountRecord {
    fn version(&self) -> u32 {
        self.v
    }
}
impl HasVersion for SettingsRecord {
    fn version(&self) -> u32 {
        self.v
    }
}
impl HasVersion for BackupStatusRecord {
    fn version(&self) -> u32 {
        self.v
    }
}
impl HasVersion for EventRecord {
    fn version(&self) -> u32 {
        self.v
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}
impl ClassifyName for serde_json::Error {
    // serde_json's Display can quote input; only the category is safe to show.
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}
