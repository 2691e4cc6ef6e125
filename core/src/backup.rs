//! Backups of the vault: settings kept inside the vault, consistent snapshots taken from the
//! live connection with SQLite's `VACUUM INTO`, pruning, automatic backups after changes, and
//! restoring a backup over the vault.
//!
//! A backup is a complete vault file (same vault id, slots and items), so it opens with the
//! same master password and keychain entry as the vault it came from. It is written as
//! `.keydeck-<time>-<random>.sqlite.partial`, synced, then renamed to
//! `keydeck-backup-YYYYMMDDTHHMMSSZ.sqlite`; only names of that pattern are ever listed, counted
//! or pruned, so a run killed half-way leaves nothing that looks like a backup.
//!
//! A backup that fails never fails the change that asked for it: `auto_backup_if_due` returns
//! the reason as a warning and records it in the vault's `backup_status` record.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use uuid::Uuid;

use crate::error::{Error, Result};
use crate::record::{
    self, BackupStatusRecord, SettingsRecord, BACKUP_STATUS_ID, KIND_BACKUP_STATUS, KIND_SETTINGS,
    SETTINGS_ID,
};
use crate::secret::SecretText;
use crate::store;
use crate::vault::{LockedVault, Vault};

/// Backups kept when nothing else is set.
pub const DEFAULT_KEEP: u32 = 10;
/// The most backups one may ask to keep.
pub const MAX_KEEP: u32 = 10_000;
/// Automatic backups are at most this often.
pub const MIN_INTERVAL: Duration = Duration::from_secs(60);
/// The folder, beside the vault file, that holds backups unless another is set.
pub const DEFAULT_FOLDER_NAME: &str = "backups";

const PREFIX: &str = "keydeck-backup-";
const SUFFIX: &str = ".sqlite";
const PARTIAL_PREFIX: &str = ".keydeck-";
const PARTIAL_SUFFIX: &str = ".sqlite.partial";
const LOCK_NAME: &str = ".keydeck-backup.lock";
/// Test hook: milliseconds to sleep between the snapshot and its rename (at most 60 s), so a
/// test can kill the process in between.
const PAUSE_ENV: &str = "KEYDECK_TEST_BACKUP_PAUSE_MS";

/// Where backups go, how many are kept, and whether they happen by themselves.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupSettings {
    /// `None`: the `backups` folder beside the vault file.
    pub folder: Option<PathBuf>,
    pub keep: u32,
    pub auto: bool,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            folder: None,
            keep: DEFAULT_KEEP,
            auto: true,
        }
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// When it was taken (Unix seconds, from its name).
    pub at: i64,
    pub size: u64,
}

/// How the backups are doing, for `keydeck backup status` and the app's Settings → Backups.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupStatus {
    pub auto: bool,
    pub folder: PathBuf,
    pub keep: u32,
    pub last_ok_at: Option<i64>,
    pub last_ok_file: Option<PathBuf>,
    pub last_attempt_at: Option<i64>,
    /// The last failure's reason, until a backup succeeds again.
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
    /// The vault holds changes that no backup in the folder has.
    pub pending: bool,
}

/// What an automatic backup did.
#[derive(Debug, Clone)]
pub enum AutoBackup {
    /// Automatic backups are off.
    Off,
    /// Nothing changed since the last backup.
    UpToDate,
    /// A backup was made.
    Done(BackupInfo),
    /// Changes wait: the last attempt is too recent. Call again at or after `due_at`.
    Pending {
        due_at: i64,
        last_error: Option<String>,
    },
    /// The backup failed (the change itself is kept); the reason, without secrets.
    Failed(String),
}

impl AutoBackup {
    /// A warning to show, if any.
    pub fn warning(&self) -> Option<String> {
        match self {
            AutoBackup::Failed(e) => Some(format!("the automatic backup failed: {e}")),
            AutoBackup::Pending {
                last_error: Some(e),
                due_at,
            } => Some(format!(
                "the last automatic backup failed: {e} (next try after {})",
                crate::vault::fmt_time(*due_at)
            )),
            _ => None,
        }
    }
}

/// What is in a backup, checked with the master password.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupSummary {
    pub path: PathBuf,
    /// When it was taken: from its name, else the file's modification time.
    pub at: i64,
    pub accounts: usize,
    /// Items that failed their integrity check.
    pub damaged: usize,
    pub vault_id: Uuid,
}

/// What a restore did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RestoreInfo {
    pub backup: BackupSummary,
    /// Where the vault that was replaced now is (`None` when there was none).
    pub replaced: Option<PathBuf>,
}

impl Vault {
    /// The backup settings stored in the vault; the defaults when there are none (or when the
    /// record cannot be read: a damaged record is reported by unlock and `check`).
    pub fn backup_settings(&self) -> BackupSettings {
        let Ok(Some(pt)) = self.read_record(SETTINGS_ID, KIND_SETTINGS) else {
            return BackupSettings::default();
        };
        let Ok(rec) = record::decode_settings(SETTINGS_ID, &pt) else {
            return BackupSettings::default();
        };
        BackupSettings {
            folder: rec.backup.folder.clone().map(PathBuf::from),
            keep: rec.backup.keep.clamp(1, MAX_KEEP),
            auto: rec.backup.auto,
        }
    }

    /// Stores the backup settings (a change of the vault like any other).
    pub fn set_backup_settings(&mut self, settings: &BackupSettings) -> Result<()> {
        if settings.keep == 0 || settings.keep > MAX_KEEP {
            return Err(Error::invalid(
                "keep",
                format!("Keep between 1 and {MAX_KEEP} backups."),
            ));
        }
        let folder = match &settings.folder {
            None => None,
            Some(f) => {
                let abs = std::path::absolute(f).map_err(|e| Error::Io {
                    path: f.clone(),
                    source: e,
                })?;
                Some(
                    abs.to_str()
                        .ok_or_else(|| {
                            Error::invalid("backup folder", "the path is not valid UTF-8")
                        })?
                        .to_owned(),
                )
            }
        };
        let mut rec = match self.read_record(SETTINGS_ID, KIND_SETTINGS)? {
            Some(pt) => record::decode_settings(SETTINGS_ID, &pt)?,
            None => SettingsRecord::default(),
        };
        rec.backup.folder = folder;
        rec.backup.keep = settings.keep;
        rec.backup.auto = settings.auto;
        let pt = record::encode_settings(&rec);
        self.write_record(SETTINGS_ID, KIND_SETTINGS, &pt, true)
    }

    /// The folder backups go to under `settings`.
    pub fn backup_folder(&self, settings: &BackupSettings) -> PathBuf {
        match &settings.folder {
            Some(f) => f.clone(),
            None => default_folder(self.path()),
        }
    }

    /// How the backups are doing.
    pub fn backup_status(&self) -> BackupStatus {
        let settings = self.backup_settings();
        let rec = self.status_record();
        let pending = self.change_counter().is_ok_and(|c| self.is_due(&rec, c));
        BackupStatus {
            auto: settings.auto,
            folder: self.backup_folder(&settings),
            keep: settings.keep,
            last_ok_at: rec.last_ok_at,
            last_ok_file: rec.last_ok_file.clone().map(PathBuf::from),
            last_attempt_at: rec.last_attempt_at,
            last_error: rec.last_error.clone(),
            last_error_at: rec.last_error_at,
            pending,
        }
    }

    /// One backup now, into `dir` or else the configured folder, then prunes that folder to
    /// the number to keep. A backup into the configured folder is recorded in the status.
    pub fn backup_now(&mut self, dir: Option<&Path>) -> Result<BackupInfo> {
        let settings = self.backup_settings();
        let configured = self.backup_folder(&settings);
        let target = dir.map_or_else(|| configured.clone(), Path::to_owned);
        let into_configured = dir.is_none() || same_folder(&target, &configured);
        // Read before the snapshot: the snapshot holds at least this many changes.
        let change = self.change_counter();
        let result =
            change.and_then(|c| write_backup(self, &target, settings.keep).map(|i| (i, c)));
        if into_configured {
            // The backup status is bookkeeping: failing to record it changes nothing else.
            let _ = self.record_attempt(result.as_ref().map(|(i, c)| (i, *c)));
        }
        result.map(|(i, _)| i)
    }

    /// [`auto_backup_if_due_after`](Self::auto_backup_if_due_after) with the usual minute.
    pub fn auto_backup_if_due(&mut self) -> AutoBackup {
        self.auto_backup_if_due_after(MIN_INTERVAL)
    }

    /// Backs up when automatic backups are on, the vault changed since the last backup, and
    /// the last attempt is at least `min_interval` old; else leaves the backup due. Never fails:
    /// a failure is returned (and recorded) as a warning.
    pub fn auto_backup_if_due_after(&mut self, min_interval: Duration) -> AutoBackup {
        let settings = self.backup_settings();
        if !settings.auto {
            return AutoBackup::Off;
        }
        let rec = self.status_record();
        let change = match self.change_counter() {
            Ok(c) => c,
            Err(e) => return AutoBackup::Failed(e.to_string()),
        };
        if !self.is_due(&rec, change) {
            return AutoBackup::UpToDate;
        }
        let now = crate::now();
        let interval = i64::try_from(min_interval.as_secs()).unwrap_or(i64::MAX);
        if let Some(t) = rec.last_attempt_at {
            // A clock set back makes the last attempt look future: then it is not "too recent".
            if t <= now && now - t < interval {
                return AutoBackup::Pending {
                    due_at: t.saturating_add(interval),
                    last_error: rec.last_error.clone(),
                };
            }
        }
        match self.backup_now(None) {
            Ok(info) => AutoBackup::Done(info),
            Err(e) => AutoBackup::Failed(e.to_string()),
        }
    }

    fn status_record(&self) -> BackupStatusRecord {
        self.read_record(BACKUP_STATUS_ID, KIND_BACKUP_STATUS)
            .ok()
            .flatten()
            .and_then(|pt| record::decode_backup_status(BACKUP_STATUS_ID, &pt).ok())
            .unwrap_or_default()
    }

    /// Changes not in any backup: some since the last one, or none ever made of a vault that
    /// holds accounts.
    fn is_due(&self, rec: &BackupStatusRecord, change: i64) -> bool {
        match rec.backed_up_change {
            Some(done) => change > done,
            None => change > 0 || !self.is_empty(),
        }
    }

    fn record_attempt(
        &mut self,
        result: std::result::Result<(&BackupInfo, i64), &Error>,
    ) -> Result<()> {
        let mut rec = self.status_record();
        let now = crate::now();
        rec.last_attempt_at = Some(now);
        match result {
            Ok((info, change)) => {
                rec.last_ok_at = Some(info.at);
                rec.last_ok_file = Some(info.path.to_string_lossy().into_owned());
                rec.backed_up_change = Some(change);
                rec.last_error = None;
                rec.last_error_at = None;
            }
            Err(e) => {
                rec.last_error = Some(e.to_string());
                rec.last_error_at = Some(now);
            }
        }
        let pt = record::encode_backup_status(&rec);
        self.write_record(BACKUP_STATUS_ID, KIND_BACKUP_STATUS, &pt, false)
    }
}

/// `<the vault's folder>/backups`.
pub fn default_folder(vault_path: &Path) -> PathBuf {
    vault_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(DEFAULT_FOLDER_NAME)
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Makes the folder if it is missing (mode 0700), but not its parents: a folder on a drive
/// that is not mounted must fail, not appear on the disk below the mount point.
fn ensure_folder(dir: &Path) -> Result<()> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => {
            return Err(Error::Io {
                path: dir.to_owned(),
                source: io::Error::new(io::ErrorKind::NotADirectory, "not a folder"),
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(dir)(e)),
    }
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(io_err(dir))
}

/// Makes `dir` and its missing parents (0700): for a folder the user just chose.
pub fn create_folder(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(io_err(dir))
}

fn sync_folder(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io_err(dir))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Holds the folder's lock file (an advisory lock, released when the process ends however it
/// ends): one backup at a time per folder, so cleaning up `.partial` files never removes
/// another process's backup in the making.
fn lock_folder(dir: &Path) -> Result<Option<File>> {
    let path = dir.join(LOCK_NAME);
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(&path).map_err(io_err(&path))?;
    let deadline = std::time::Instant::now() + store::BUSY_TIMEOUT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Busy(
                    "another Keydeck process is writing a backup to this folder".into(),
                ))
            }
            // A file system without locks: go on unlocked rather than never back up.
            Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                return Ok(None)
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
        }
    }
}

fn stamp(unix: i64) -> String {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// `keydeck-backup-YYYYMMDDTHHMMSSZ.sqlite` or `…Z-N.sqlite` (N ≥ 2): (time, N).
fn parse_name(name: &str) -> Option<(i64, u32)> {
    let mid = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (ts, n) = match mid.split_once('-') {
        None => (mid, 1),
        Some((ts, n)) => {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.starts_with('0') {
                return None;
            }
            let n: u32 = n.parse().ok()?;
            if n < 2 {
                return None;
            }
            (ts, n)
        }
    };
    let b = ts.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = ts.get(r)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(num(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(num(6..8)?).ok()?).ok()?;
    let t = time::Time::from_hms(
        u8::try_from(num(9..11)?).ok()?,
        u8::try_from(num(11..13)?).ok()?,
        u8::try_from(num(13..15)?).ok()?,
    )
    .ok()?;
    Some((date.with_time(t).assume_utc().unix_timestamp(), n))
}

/// The backups in `dir`, newest first. Only files named like a finished backup count; a
/// missing folder has none.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupInfo>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err(dir)(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_err(dir))?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let Some((at, n)) = parse_name(&name) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        found.push((
            n,
            BackupInfo {
                path: entry.path(),
                at,
                size: meta.len(),
            },
        ));
    }
    found.sort_by(|(n1, a), (n2, b)| (b.at, n2).cmp(&(a.at, n1)));
    Ok(found.into_iter().map(|(_, i)| i).collect())
}

/// The highest suffix among this folder's backups named for second `at`.
fn last_suffix(dir: &Path, at: i64) -> Option<u32> {
    fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(parse_name))
        .filter(|(t, _)| *t == at)
        .map(|(_, n)| n)
        .max()
}

/// Removes all but the newest `keep` backups; returns how many were removed.
fn prune(dir: &Path, keep: u32) -> usize {
    let Ok(all) = list_backups(dir) else {
        return 0;
    };
    all.iter()
        .skip(keep.max(1) as usize)
        .filter(|b| fs::remove_file(&b.path).is_ok())
        .count()
}

/// Removes `.partial` files left by a backup that was killed (only under the folder lock).
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(PARTIAL_PREFIX) && name.ends_with(PARTIAL_SUFFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn test_pause() {
    if let Some(ms) = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms.min(60_000)));
    }
}

/// Snapshot → `.partial` → fsync → rename → fsync folder → prune.
fn write_backup(vault: &Vault, dir: &Path, keep: u32) -> Result<BackupInfo> {
    ensure_folder(dir)?;
    let _lock = lock_folder(dir)?;
    remove_leftovers(dir);
    let now = crate::now();
    let ts = stamp(now);
    let partial = dir.join(format!(
        "{PARTIAL_PREFIX}{ts}-{}{PARTIAL_SUFFIX}",
        &Uuid::new_v4().simple().to_string()[..8]
    ));
    let target = partial
        .to_str()
        .ok_or_else(|| Error::invalid("backup folder", "the path is not valid UTF-8"))?
        .to_owned();
    // Made empty by us, so it is 0600 from the start; VACUUM INTO accepts an empty file.
    create_private(&partial).map_err(io_err(&partial))?;
    let made = (|| -> Result<BackupInfo> {
        vault.conn().execute("VACUUM INTO ?1", [&target])?;
        File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io_err(&partial))?;
        test_pause();
        // After the newest of this second, never in a gap pruning left: a reused lower
        // suffix would sort as older than the backups it follows.
        let mut n = last_suffix(dir, now).map_or(1, |m| m.saturating_add(1));
        let final_path = loop {
            let name = if n == 1 {
                format!("{PREFIX}{ts}{SUFFIX}")
            } else {
                format!("{PREFIX}{ts}-{n}{SUFFIX}")
            };
            let p = dir.join(name);
            // Under the folder lock only this process adds backups here.
            if fs::symlink_metadata(&p).is_err() {
                break p;
            }
            n += 1;
        };
        fs::rename(&partial, &final_path).map_err(io_err(&final_path))?;
        sync_folder(dir)?;
        let size = fs::metadata(&final_path).map(|m| m.len()).unwrap_or(0);
        Ok(BackupInfo {
            path: final_path,
            at: now,
            size,
        })
    })();
    match made {
        Ok(info) => {
            prune(dir, keep);
            Ok(info)
        }
        Err(e) => {
            let _ = fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn file_time(path: &Path) -> i64 {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}

/// Opens a backup read-only with the master password (nothing is written to it) and says
/// what it holds. A wrong password is [`Error::WrongPassword`]; a file that is not a vault,
/// [`Error::NotAVault`].
pub fn inspect_backup(path: &Path, password: &SecretText) -> Result<BackupSummary> {
    let locked = LockedVault::open_read_only(path)?;
    let vault = locked.peek_with_password(password)?;
    let at = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(parse_name)
        .map_or_else(|| file_time(path), |(t, _)| t);
    Ok(BackupSummary {
        path: path.to_owned(),
        at,
        accounts: vault.len(),
        damaged: vault.damaged().len(),
        vault_id: vault.vault_id(),
    })
}

fn sibling(vault_path: &Path, suffix: &str) -> PathBuf {
    let mut s = vault_path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Replaces the vault at `vault_path` with the backup, atomically, keeping the vault it
/// replaces beside it as `<vault>.replaced-<time>`.
///
/// The backup is copied beside the vault (synced) and the copy is checked with the master
/// password; then the current vault's WAL is folded in, the vault is hard-linked (or copied)
/// to its `.replaced-` name, and the copy is renamed over the vault path.
///
/// No connection to the vault may be open in this process (the app locks and closes the vault
/// first). Another process that has it open makes the restore fail with [`Error::Busy`].
pub fn restore_backup(
    backup: &Path,
    vault_path: &Path,
    password: &SecretText,
) -> Result<RestoreInfo> {
    if same_file(backup, vault_path) {
        return Err(Error::invalid(
            "restore",
            "That file is the vault itself, not a backup of it. Choose a backup file.",
        ));
    }
    let dir = vault_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
        .to_owned();
    create_folder(&dir)?;
    let now = crate::now();
    let ts = stamp(now);
    let name = vault_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("vault.sqlite");
    let temp = dir.join(format!(
        ".{name}.restore-{ts}-{}.partial",
        &Uuid::new_v4().simple().to_string()[..8]
    ));
    let result = (|| -> Result<RestoreInfo> {
        copy_synced(backup, &temp)?;
        // Check what will actually be installed, with the master password.
        let mut summary = inspect_backup(&temp, password)?;
        summary.path = backup.to_owned();
        if let Some((t, _)) = backup
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(parse_name)
        {
            summary.at = t;
        } else {
            summary.at = file_time(backup);
        }
        let replaced = if fs::symlink_metadata(vault_path).is_ok() {
            Some(set_aside(vault_path, &ts)?)
        } else {
            None
        };
        fs::rename(&temp, vault_path).map_err(io_err(vault_path))?;
        // The old vault's shared-memory index must not be taken for the new file's.
        let _ = fs::remove_file(sibling(vault_path, "-shm"));
        sync_folder(&dir)?;
        Ok(RestoreInfo {
            backup: summary,
            replaced,
        })
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn copy_synced(from: &Path, to: &Path) -> Result<()> {
    let mut src = File::open(from).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::invalid(
            "restore",
            format!("There is no backup at {}.", from.display()),
        ),
        _ => io_err(from)(e),
    })?;
    let mut dst = create_private(to).map_err(io_err(to))?;
    io::copy(&mut src, &mut dst).map_err(io_err(to))?;
    dst.sync_all().map_err(io_err(to))
}

/// Folds the vault's WAL into it, makes sure no other process has it open, and keeps it as
/// `<vault>.replaced-<time>`.
fn set_aside(vault_path: &Path, ts: &str) -> Result<PathBuf> {
    {
        let conn = rusqlite::Connection::open_with_flags(
            vault_path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(store::BUSY_TIMEOUT)?;
        let busy: i64 = conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .unwrap_or(0);
        if busy != 0 {
            return Err(in_use());
        }
        conn.close().map_err(|(_, e)| Error::from(e))?;
    }
    // The last connection to close removes the WAL: if it is still there, someone else has
    // the vault open, and renaming over it would leave that process writing into the wrong file.
    if sibling(vault_path, "-wal").exists() {
        return Err(in_use());
    }
    let mut n = 1u32;
    let kept = loop {
        let p = if n == 1 {
            sibling(vault_path, &format!(".replaced-{ts}"))
        } else {
            sibling(vault_path, &format!(".replaced-{ts}-{n}"))
        };
        if fs::symlink_metadata(&p).is_err() {
            break p;
        }
        n += 1;
    };
    if fs::hard_link(vault_path, &kept).is_err() {
        copy_synced(vault_path, &kept)?;
    }
    Ok(kept)
}

fn in_use() -> Error {
    Error::Busy(
        "the vault is open in another Keydeck process (the app?); lock or close it, then restore"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            parse_name("keydeck-backup-20260102T030405Z.sqlite"),
            Some((1_767_323_045, 1))
        );
        assert_eq!(
            parse_name("keydeck-backup-20260102T030405Z-3.sqlite"),
            Some((1_767_323_045, 3))
        );
        for bad in [
            "keydeck-backup-20260102T030405Z-1.sqlite",
            "keydeck-backup-20260102T030405Z-03.sqlite",
            "keydeck-backup-20260102T030405Z-.sqlite",
            "keydeck-backup-20261302T030405Z.sqlite",
            "keydeck-backup-20260102T030405Z.sqlite.partial",
            ".keydeck-20260102T030405Z-abcd.sqlite.partial",
            "vault.sqlite",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
        assert_eq!(stamp(1_767_323_045), "20260102T030405Z");
    }
}
