//! The vault: a locked handle (`LockedVault`, the open file) and an unlocked one (`Vault`, the
//! vault key and the decrypted accounts). Every mutation is one SQLite transaction that writes
//! the record(s) and the activity-log entry together; the in-memory copy changes only after the
//! commit returned, so what the caller is told is what is on disk.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::crypto;
use crate::error::{Error, Result};
use crate::kdf::{KdfMemory, KdfParams, SALT_LEN};
use crate::model::{
    self, Account, AccountDraft, AccountPatch, Event, EventWhat, Otp, OtpKind,
    PasswordHistoryEntry, RecoveryCode,
};
use crate::otp::{self, Code};
use crate::record::{self, KIND_ACCOUNT, KIND_BACKUP_STATUS, KIND_EVENT, KIND_SETTINGS};
use crate::recovery;
use crate::secret::{Kek, Key32, SecretText};
use crate::security::{self, ReuseIndex, SecurityLevel};
use crate::slot::{self, SlotRow, KIND_PASSWORD};
use crate::store;

mod activity;
mod lookup;
mod rekey;
mod trash;
pub use activity::{set_client, Client, DEFAULT_LOG_KEEP_DAYS, MAX_LOG_KEEP_DAYS};
pub use rekey::RekeyReport;
pub use trash::{TrashItem, TRASH_DAYS};

/// Random 96-bit nonces stay safe up to 2^32 encryptions under one key (NIST SP 800-38D §8.3).
/// Keydeck warns from 2^30 on, leaving three quarters of the budget for the user to act.
pub const NONCE_WARNING_THRESHOLD: u64 = 1 << 30;
const NONCE_LIMIT: u64 = 1 << 32;

/// An open vault file whose key is not in memory.
pub struct LockedVault {
    conn: Connection,
    path: PathBuf,
    vault_id: [u8; 16],
    reading: Reading,
}

/// What an unlock is for (see [`LockedVault::for_reading`]).
#[derive(Default)]
enum Reading {
    /// Writes may follow: the unlock is logged and the Trash purged.
    #[default]
    No,
    /// Nothing is written by unlocking.
    All,
    /// Nothing is written, and only the accounts this name or issuer points to are decrypted.
    One(String),
}

/// What a caller may know about a slot: no key material.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SlotInfo {
    pub id: Uuid,
    pub kind: String,
    pub params: String,
    pub created_at: i64,
}

impl LockedVault {
    pub fn open(path: &Path) -> Result<LockedVault> {
        let conn = store::open_existing(path)?;
        let vault_id = store::vault_id(&conn)?;
        Ok(LockedVault {
            conn,
            path: path.to_owned(),
            vault_id,
            reading: Reading::No,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn vault_id(&self) -> Uuid {
        Uuid::from_bytes(self.vault_id)
    }

    pub fn slots(&self) -> Result<Vec<SlotInfo>> {
        slot_infos(&self.conn)
    }

    /// For a command that only reads (list, show, a TOTP code): unlocking then writes nothing
    /// at all, not even its entry in the activity log (README "Activity log").
    pub fn for_reading(mut self) -> LockedVault {
        self.reading = Reading::All;
        self
    }

    /// [`for_reading`](Self::for_reading), decrypting only the accounts whose name or issuer is
    /// `query` when the lookup index can tell which (see `vault/lookup.rs`); every account
    /// otherwise. Only [`resolve`](Vault::resolve) of that same query and what is done with the
    /// one account it names are meaningful on such a vault: lists, search, security levels and
    /// imports need a full unlock.
    pub fn for_reading_one(mut self, query: &str) -> LockedVault {
        self.reading = Reading::One(query.to_owned());
        self
    }

    /// Derives the KEK from the password for each password slot and unwraps the vault key.
    pub fn unlock_with_password(self, password: &SecretText) -> Result<Vault> {
        self.unlock_with_password_in(password, None)
    }

    /// [`unlock_with_password`](Self::unlock_with_password) with Argon2 working in memory that
    /// was prepared ahead of time (see [`KdfMemory`]).
    pub fn unlock_with_password_in(
        self,
        password: &SecretText,
        memory: Option<&mut KdfMemory>,
    ) -> Result<Vault> {
        let vk = password_key(&self.conn, &self.vault_id, password, memory)?;
        Vault::unlocked(self, vk, "password")
    }

    /// Opens the vault with the password without writing anything (no "unlocked" entry): for
    /// looking into a backup opened read-only.
    pub(crate) fn peek_with_password(self, password: &SecretText) -> Result<Vault> {
        let vk = password_key(&self.conn, &self.vault_id, password, None)?;
        Vault::unlocked_quiet(self, vk)
    }

    /// A locked handle on a read-only connection (a backup being inspected).
    pub(crate) fn open_read_only(path: &Path) -> Result<LockedVault> {
        let conn = store::open_read_only(path)?;
        let vault_id = store::vault_id(&conn)?;
        Ok(LockedVault {
            conn,
            path: path.to_owned(),
            vault_id,
            reading: Reading::No,
        })
    }

    /// Unlocks with a key-encryption key held outside the vault (the OS keychain). No KDF runs.
    /// A KEK that opens no slot of `kind` is an integrity failure of that slot: unlike a typed
    /// password it cannot be "mistyped", only stale or tampered with.
    pub fn unlock_with_kek(self, kind: &str, kek: &Kek) -> Result<Vault> {
        let slots = slot::load_all(&self.conn)?;
        let mut any = false;
        for s in slots.iter().filter(|s| s.kind == kind) {
            any = true;
            if let Ok(vk) = s.unwrap(&self.vault_id, &kek.0) {
                return Vault::unlocked(self, vk, kind);
            }
        }
        if any {
            Err(Error::integrity(format!(
                "the {kind} slot (the key does not open it)"
            )))
        } else {
            Err(Error::invalid(
                "unlock",
                format!("the vault has no {kind} slot"),
            ))
        }
    }
}

impl LockedVault {
    /// Whether `kek` opens a slot of `kind`, without unlocking (no record is decrypted).
    pub fn kek_opens(&self, kind: &str, kek: &Kek) -> Result<bool> {
        kek_opens(&self.conn, &self.vault_id, kind, kek)
    }
}

impl Vault {
    /// Whether `kek` opens a slot of `kind` of this vault.
    pub fn kek_opens(&self, kind: &str, kek: &Kek) -> Result<bool> {
        kek_opens(&self.conn, &self.vault_id, kind, kek)
    }
}

fn kek_opens(conn: &Connection, vault_id: &[u8; 16], kind: &str, kek: &Kek) -> Result<bool> {
    Ok(slot::load_all(conn)?
        .iter()
        .filter(|s| s.kind == kind)
        .any(|s| s.unwrap(vault_id, &kek.0).is_ok()))
}

/// An account row as read, before decryption.
struct SealedRow {
    id: Uuid,
    nonce: Vec<u8>,
    ct: Vec<u8>,
    created_at: i64,
    updated_at: i64,
}

impl SealedRow {
    /// From a row of `SELECT id, kind, nonce, ciphertext, created_at, updated_at FROM items`.
    fn read(id: Uuid, r: &rusqlite::Row<'_>) -> rusqlite::Result<SealedRow> {
        Ok(SealedRow {
            id,
            nonce: r.get(2)?,
            ct: r.get(3)?,
            created_at: r.get(4)?,
            updated_at: r.get(5)?,
        })
    }

    /// Decrypts and decodes; any failure is reported by id only.
    fn open(
        &self,
        vault_id: &[u8; 16],
        cipher: &crypto::Cipher,
    ) -> std::result::Result<Cached, Uuid> {
        let aad = crypto::item_aad(vault_id, self.id.as_bytes(), KIND_ACCOUNT);
        let pt = crypto::open_with(cipher, &aad, &self.nonce, &self.ct).map_err(|_| self.id)?;
        let account = record::decode_account(self.id, self.created_at, self.updated_at, &pt)
            .map_err(|_| self.id)?;
        Ok(Cached {
            haystack: Zeroizing::new(account.haystack()),
            account,
            nonce: self.nonce.clone(),
        })
    }
}

struct Cached {
    account: Account,
    /// The nonce of the row this copy was read from: a write only replaces that exact row
    /// version (optimistic concurrency), so two processes never silently undo each other.
    nonce: Vec<u8>,
    /// Lower-case searchable text, starting with the name: also the sort key.
    haystack: Zeroizing<String>,
}

/// An unlocked vault. Dropping it (or `lock()`) zeroes the vault key and every decrypted record.
pub struct Vault {
    conn: Connection,
    path: PathBuf,
    vault_id: [u8; 16],
    key: Key32,
    cipher: crypto::Cipher,
    accounts: Vec<Cached>,
    /// Accounts moved to the Trash (`deleted_at` set): kept encrypted in the file and here, but
    /// outside everything that reads `accounts`.
    trash: Vec<Cached>,
    damaged: Vec<Uuid>,
    /// The key of the lookup tags beside each account record (`vault/lookup.rs`).
    lookup: lookup::LookupKey,
    /// Only the accounts one name points to were decrypted ([`LockedVault::for_reading_one`]).
    partial: bool,
    /// Whether this session already made sure the lookup index is complete.
    index_checked: bool,
    writes: u64,
    /// `meta.vk_check` as read at unlock (see `rekey.rs`): proves the key is the vault's current
    /// one, and tells this handle when another process re-keyed the vault under it.
    vk_check: Option<Vec<u8>>,
    /// Whether this handle committed a change (not a log entry or the backup status) since it
    /// was unlocked: what makes an automatic backup worth a try.
    session_changed: bool,
}

/// The outcome of an import: labels of what was (or, in a dry run, would be) added.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub duplicates: Vec<String>,
    pub warnings: Vec<String>,
    /// Ids of the new accounts (empty in a dry run).
    pub ids: Vec<Uuid>,
}

/// A pasted block with at least one code in it.
fn parse_codes(block: &str) -> Result<recovery::ParsedCodes> {
    let parsed = recovery::parse_block(block);
    if parsed.codes.is_empty() {
        return Err(Error::invalid(
            "recovery codes",
            "No recovery codes were found in that text. Paste them one per line, or separated by \
             spaces or commas.",
        ));
    }
    Ok(parsed)
}

/// The outcome of pasting a block of recovery codes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecoveryAdded {
    pub added: usize,
    pub duplicates: usize,
    pub ignored_lines: Vec<usize>,
    pub unused: usize,
    pub used: usize,
}

impl Vault {
    /// Creates a vault at `path` (which must not exist) protected by `password`.
    pub fn create(path: &Path, password: &SecretText, kdf: KdfParams) -> Result<Vault> {
        if password.is_empty() {
            return Err(Error::invalid(
                "master password",
                "Enter a master password.",
            ));
        }
        kdf.check()?;
        let conn = store::create_new(path)?;
        let result = Self::initialise(conn, path, password, kdf);
        if result.is_err() {
            // Leave nothing half-made behind.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        result
    }

    fn initialise(
        mut conn: Connection,
        path: &Path,
        password: &SecretText,
        kdf: KdfParams,
    ) -> Result<Vault> {
        let vault_id = *Uuid::new_v4().as_bytes();
        let vk = Key32::random();
        let mut salt = vec![0u8; SALT_LEN];
        crypto::fill_random(&mut salt);
        let kek = kdf.derive(password.expose().as_bytes(), &salt)?;
        let slot = SlotRow::wrap(&vault_id, KIND_PASSWORD, kdf.canonical(), salt, &kek, &vk);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = crate::now();
        for (k, v) in [
            ("format", store::FORMAT_VERSION),
            ("created_at", now),
            ("vk_writes", 0),
        ] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![k, v],
            )?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('vault_id', ?1)",
            [&vault_id[..]],
        )?;
        rekey::put_vk_check(&tx, &rekey::vk_check(&vault_id, &vk))?;
        slot.insert(&tx)?;
        tx.commit()?;
        let locked = LockedVault {
            conn,
            path: path.to_owned(),
            vault_id,
            reading: Reading::No,
        };
        let mut vault = Vault::unlocked_quiet(locked, vk)?;
        vault.log(EventWhat::VaultCreated, None, "")?;
        Ok(vault)
    }

    fn unlocked(locked: LockedVault, key: Key32, method: &str) -> Result<Vault> {
        if !matches!(locked.reading, Reading::No) {
            // Reads write nothing: no log entry, no purge (README "Activity log").
            return Self::unlocked_quiet(locked, key);
        }
        let mut v = Self::unlocked_quiet(locked, key)?;
        v.log_unlock(method)?;
        // Best effort: a vault that is busy now is purged at the next unlock.
        let _ = v.purge_trash(crate::now());
        Ok(v)
    }

    fn unlocked_quiet(locked: LockedVault, key: Key32) -> Result<Vault> {
        let LockedVault {
            conn,
            path,
            vault_id,
            reading,
        } = locked;
        let writes = store::meta_i64(&conn, "vk_writes")?.max(0) as u64;
        let vk_check = rekey::read_vk_check(&conn)?;
        rekey::verify_vk_check(&vault_id, &key, vk_check.as_deref())?;
        let mut v = Vault {
            conn,
            path,
            vault_id,
            cipher: crypto::Cipher::new(&key),
            lookup: lookup::LookupKey::derive(&key, &vault_id),
            key,
            accounts: Vec::new(),
            trash: Vec::new(),
            damaged: Vec::new(),
            writes,
            vk_check,
            session_changed: false,
            partial: false,
            index_checked: false,
        };
        if let Reading::One(query) = &reading {
            v.partial = v.load_matching(query)?;
        }
        if !v.partial {
            v.load_accounts()?;
        }
        Ok(v)
    }

    /// Decrypts every account. An item that fails its tag is set aside as damaged, by id; the
    /// rest of the vault stays usable.
    fn load_accounts(&mut self) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, nonce, ciphertext, created_at, updated_at FROM items
             WHERE kind <> ?1",
        )?;
        let mut rows = stmt.query([KIND_EVENT])?;
        let mut sealed = Vec::new();
        let mut damaged = Vec::new();
        while let Some(r) = rows.next()? {
            let Some(id) = item_id(r.get_ref(0)?.as_bytes().unwrap_or(&[])) else {
                continue;
            };
            let kind = slot::text_lossy(r, 1)?;
            if kind == KIND_SETTINGS || kind == KIND_BACKUP_STATUS {
                // One-of-a-kind records, read when asked for; here only their tag is checked.
                let (nonce, ct): (Vec<u8>, Vec<u8>) = (r.get(2)?, r.get(3)?);
                let aad = crypto::item_aad(&self.vault_id, id.as_bytes(), &kind);
                if crypto::open_with(&self.cipher, &aad, &nonce, &ct).is_err() {
                    damaged.push(id);
                }
                continue;
            }
            if kind != KIND_ACCOUNT {
                // Not a kind this version writes into this table: a changed kind column.
                damaged.push(id);
                continue;
            }
            sealed.push(SealedRow::read(id, r)?);
        }
        drop(rows);
        drop(stmt);
        self.take_opened(sealed, damaged);
        Ok(())
    }

    /// Decrypts `sealed` into the accounts, the Trash and (with `damaged`) the damaged ids.
    fn take_opened(&mut self, sealed: Vec<SealedRow>, mut damaged: Vec<Uuid>) {
        // Decrypting and parsing dominate unlocking a large vault: spread them over the cores.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let chunk = sealed.len().div_ceil(threads).max(256);
        let (vault_id, cipher) = (&self.vault_id, &self.cipher);
        let opened: Vec<std::result::Result<Cached, Uuid>> = std::thread::scope(|s| {
            let handles: Vec<_> = sealed
                .chunks(chunk)
                .map(|rows| {
                    s.spawn(move || {
                        rows.iter()
                            .map(|r| r.open(vault_id, cipher))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut accounts = Vec::with_capacity(opened.len());
        let mut trash = Vec::new();
        for o in opened {
            match o {
                Ok(c) if c.account.deleted_at.is_some() => trash.push(c),
                Ok(c) => accounts.push(c),
                Err(id) => damaged.push(id),
            }
        }
        accounts.sort_by(|a, b| (&*a.haystack, a.account.id).cmp(&(&*b.haystack, b.account.id)));
        self.accounts = accounts;
        self.trash = trash;
        self.damaged = damaged;
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn vault_id(&self) -> Uuid {
        Uuid::from_bytes(self.vault_id)
    }

    /// Drops the vault key and every decrypted record (zeroized on drop), keeping the file open.
    pub fn lock(self) -> LockedVault {
        let Vault {
            conn,
            path,
            vault_id,
            ..
        } = self;
        LockedVault {
            conn,
            path,
            vault_id,
            reading: Reading::No,
        }
    }

    // ---- reading ---------------------------------------------------------------------------

    /// All readable accounts, sorted by name (case-insensitive).
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.iter().map(|c| &c.account)
    }

    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// Ids of items that failed their integrity check when the vault was unlocked.
    pub fn damaged(&self) -> &[Uuid] {
        &self.damaged
    }

    pub fn account(&self, id: Uuid) -> Result<&Account> {
        if let Some(c) = self.accounts.iter().find(|c| c.account.id == id) {
            return Ok(&c.account);
        }
        if self.damaged.contains(&id) {
            return Err(Error::integrity(format!("item {id}")));
        }
        Err(Error::AccountNotFound {
            query: id.to_string(),
        })
    }

    /// Finds one account by id (or an unambiguous id prefix of ≥ 6 characters), else by
    /// name or issuer, case-insensitively. Several matches are an error listing them.
    /// Accounts in the Trash never match.
    pub fn resolve(&self, query: &str) -> Result<Uuid> {
        resolve_in(&self.accounts, &self.damaged, query, |id| {
            self.account(id).map(|a| a.id)
        })
    }

    /// Case-insensitive substring search over name, issuer, username, URL and tags.
    pub fn search(&self, query: &str) -> Vec<&Account> {
        let q = query.trim().to_lowercase();
        self.accounts
            .iter()
            .filter(|c| q.is_empty() || c.haystack.contains(&q))
            .map(|c| &c.account)
            .collect()
    }

    pub fn security_level(&self, id: Uuid) -> Result<SecurityLevel> {
        let a = self.account(id)?;
        let reuse = ReuseIndex::new(self.accounts());
        Ok(security::assess(a, &reuse, crate::now()))
    }

    /// Rates a password the way the checklist does, with reuse inside this vault. `password`
    /// `None` rates the saved password of `account` (e.g. one just generated in Rust). The
    /// other accounts' passwords are compared here and never leave the core; only their labels
    /// are returned. `user_inputs` add to the account's own username and name (a new account's
    /// form fields).
    pub fn password_strength(
        &self,
        password: Option<&SecretText>,
        account: Option<Uuid>,
        user_inputs: &[&str],
    ) -> Result<security::Strength> {
        let current = account.map(|id| self.account(id)).transpose()?;
        let password = match (password, current) {
            (Some(p), _) => p.expose(),
            (None, Some(a)) => a.password.expose(),
            (None, None) => "",
        };
        let mut inputs: Vec<&str> = user_inputs.to_vec();
        if let Some(a) = current {
            inputs.extend([a.username.as_str(), a.name.as_str()]);
        }
        let reused_by: Vec<String> = if password.is_empty() {
            Vec::new()
        } else {
            self.accounts()
                .filter(|o| Some(o.id) != account && o.password.expose() == password)
                .map(|o| o.label())
                .collect()
        };
        Ok(security::strength(
            password,
            &inputs,
            security::PasswordPurpose::Account,
            &reused_by,
        ))
    }

    /// Levels of every account, sharing one password-reuse index.
    pub fn security_levels(&self) -> Vec<(Uuid, SecurityLevel)> {
        let reuse = ReuseIndex::new(self.accounts());
        let now = crate::now();
        self.accounts()
            .map(|a| (a.id, security::assess(a, &reuse, now)))
            .collect()
    }

    pub fn slots(&self) -> Result<Vec<SlotInfo>> {
        slot_infos(&self.conn)
    }

    /// The activity log, oldest first. Entries that fail their tag are returned by id.
    pub fn events(&self) -> Result<(Vec<Event>, Vec<Uuid>)> {
        let mut stmt = self.conn.prepare(
            "SELECT id, nonce, ciphertext, created_at FROM items WHERE kind = ?1
             ORDER BY created_at, rowid",
        )?;
        let mut rows = stmt.query([KIND_EVENT])?;
        let (mut events, mut damaged) = (Vec::new(), Vec::new());
        while let Some(r) = rows.next()? {
            let Some(id) = item_id(r.get_ref(0)?.as_bytes().unwrap_or(&[])) else {
                continue;
            };
            let nonce: Vec<u8> = r.get(1)?;
            let ct: Vec<u8> = r.get(2)?;
            let at: i64 = r.get(3)?;
            let aad = crypto::item_aad(&self.vault_id, id.as_bytes(), KIND_EVENT);
            match crypto::open_with(&self.cipher, &aad, &nonce, &ct)
                .ok()
                .and_then(|pt| record::decode_event(id, at, &pt).ok())
            {
                Some(e) => events.push(e),
                None => damaged.push(id),
            }
        }
        Ok((events, damaged))
    }

    /// Encryptions made under the vault key so far.
    pub fn writes(&self) -> u64 {
        self.writes
    }

    /// A warning once the vault key has been used for 2^30 encryptions.
    pub fn nonce_warning(&self) -> Option<String> {
        (self.writes >= NONCE_WARNING_THRESHOLD).then(|| {
            format!(
                "the vault key has encrypted {} records; random nonces are safe to {} — \
                 export and re-import into a new vault to get a fresh key",
                self.writes, NONCE_LIMIT
            )
        })
    }

    /// SQLite's own consistency check of the file.
    pub fn integrity_check(&self) -> Result<()> {
        let res: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if res == "ok" {
            Ok(())
        } else {
            Err(Error::integrity(format!("the database file ({res})")))
        }
    }

    // ---- writing ---------------------------------------------------------------------------

    pub fn add_account(&mut self, draft: AccountDraft) -> Result<Uuid> {
        let mut ids = self.add_accounts(vec![draft])?;
        Ok(ids.remove(0))
    }

    /// Adds several accounts in one transaction: all of them or, on any error, none.
    pub fn add_accounts(&mut self, drafts: Vec<AccountDraft>) -> Result<Vec<Uuid>> {
        self.add_accounts_logged(drafts, None)
    }

    /// Adds accounts, and an event of its own (an import) in the same transaction.
    pub(crate) fn add_accounts_logged(
        &mut self,
        drafts: Vec<AccountDraft>,
        extra: Option<(EventWhat, String)>,
    ) -> Result<Vec<Uuid>> {
        let now = crate::now();
        let accounts = drafts
            .into_iter()
            .map(|d| new_account(d, now))
            .collect::<Result<Vec<Account>>>()?;
        let events: Vec<Event> = accounts
            .iter()
            .map(|a| {
                self.event(
                    EventWhat::AccountAdded,
                    Some(a.id),
                    a.label(),
                    String::new(),
                )
            })
            .collect();
        let extra = extra.map(|(what, detail)| self.event(what, None, String::new(), detail));
        let mut w = self.writer()?;
        let mut nonces = Vec::with_capacity(accounts.len());
        for (a, ev) in accounts.iter().zip(&events) {
            nonces.push(w.put_account(a, None)?);
            w.put_event(ev)?;
        }
        if let Some(ev) = &extra {
            w.put_event(ev)?;
        }
        let c = w.commit()?;
        self.note(c);
        let ids = accounts.iter().map(|a| a.id).collect();
        self.cache_many(accounts.into_iter().zip(nonces));
        Ok(ids)
    }

    pub fn update_account(&mut self, id: Uuid, patch: AccountPatch) -> Result<()> {
        if self.update_account_if_changed(id, patch)? {
            Ok(())
        } else {
            Err(Error::invalid(
                "edit",
                "Nothing changed: these are the values already saved.",
            ))
        }
    }

    /// As [`update_account`](Self::update_account), but values equal to the saved ones are not
    /// an error: nothing is written (no event, no change counter) and the answer is `false`.
    /// What a script re-running the same `keydeck edit` needs.
    pub fn update_account_if_changed(&mut self, id: Uuid, patch: AccountPatch) -> Result<bool> {
        if patch.is_empty() {
            return Err(Error::invalid("edit", "There is nothing to change."));
        }
        let now = crate::now();
        let mut a = self.account(id)?.duplicate();
        let mut changed: Vec<&str> = Vec::new();
        let mut set = |field: &'static str, slot: &mut String, new: String| {
            if *slot != new {
                *slot = new;
                changed.push(field);
            }
        };
        if let Some(n) = &patch.name {
            set("name", &mut a.name, model::clean_name(n)?);
        }
        if let Some(v) = &patch.issuer {
            set(
                "issuer",
                &mut a.issuer,
                model::clean_line("issuer", v, model::MAX_FIELD)?,
            );
        }
        if let Some(v) = &patch.username {
            set(
                "username",
                &mut a.username,
                model::clean_line("username", v, model::MAX_FIELD)?,
            );
        }
        if let Some(v) = &patch.url {
            set(
                "url",
                &mut a.url,
                model::clean_line("url", v, model::MAX_FIELD)?,
            );
        }
        if let Some(v) = &patch.notes {
            set("notes", &mut a.notes, model::clean_notes(v)?);
        }
        if let Some(v) = &patch.icon {
            set(
                "icon",
                &mut a.icon,
                model::clean_line("icon", v, model::MAX_FIELD)?,
            );
        }
        if let Some(t) = &patch.tags {
            let t = model::clean_tags(t)?;
            if t != a.tags {
                a.tags = t;
                changed.push("tags");
            }
        }
        if let Some(f) = patch.favourite {
            if f != a.favourite {
                a.favourite = f;
                changed.push("favourite");
            }
        }
        let mut what = EventWhat::AccountChanged;
        if let Some(p) = patch.password {
            model::check_password(&p)?;
            if p.expose() != a.password.expose() {
                let old = std::mem::replace(&mut a.password, p);
                if !old.is_empty() {
                    // "Rotate": the old password stays in the history with the date it retired.
                    a.password_history.push(PasswordHistoryEntry {
                        password: old,
                        retired_at: now,
                    });
                    what = EventWhat::PasswordRotated;
                }
                a.password_changed_at = (!a.password.is_empty()).then_some(now);
                changed.push("password");
            }
        }
        if let Some(new_otp) = patch.otp {
            if let Some(o) = &new_otp {
                otp::validate(o)?;
            }
            match (&a.otp, &new_otp) {
                (None, None) => {}
                (Some(old), Some(new)) if otp::same(old, new) => {}
                (_, Some(_)) => {
                    what = EventWhat::MfaOn;
                    changed.push("authenticator");
                }
                (Some(_), None) => {
                    what = EventWhat::MfaOff;
                    changed.push("authenticator");
                }
            }
            a.otp = new_otp;
        }
        if !a.password.is_empty() {
            a.password_score = Some(security::password_score(
                a.password.expose(),
                &[&a.username, &a.name],
            ));
        } else {
            a.password_score = None;
        }
        if changed.is_empty() {
            return Ok(false);
        }
        a.updated_at = now;
        let detail = changed.join(", ");
        self.commit_account(a, false, what, &detail)?;
        Ok(true)
    }

    /// Moves the account to the Trash (see [`restore_account`](Self::restore_account)); it is
    /// deleted for good after [`TRASH_DAYS`] days, or by [`delete_forever`](Self::delete_forever).
    pub fn remove_account(&mut self, id: Uuid) -> Result<()> {
        self.trash_at(id, crate::now())
    }

    /// Sets (or with `None` removes) the account's authenticator.
    pub fn set_otp(&mut self, id: Uuid, otp: Option<Otp>) -> Result<()> {
        if let Some(o) = &otp {
            otp::validate(o)?;
        }
        let mut a = self.account(id)?.duplicate();
        let what = if otp.is_some() {
            EventWhat::MfaOn
        } else {
            EventWhat::MfaOff
        };
        a.otp = otp;
        a.updated_at = crate::now();
        self.commit_account(a, false, what, "")
    }

    /// The current code of a TOTP/Steam authenticator at `unix`; for HOTP the code of the stored
    /// counter, without using it up (see `next_hotp`).
    pub fn code(&self, id: Uuid, unix: u64) -> Result<Code> {
        let a = self.account(id)?;
        let o = a.otp.as_ref().ok_or_else(|| {
            Error::invalid(
                "code",
                format!(
                    "{} has no authenticator (set one with --secret or --uri)",
                    a.label()
                ),
            )
        })?;
        Ok(otp::code_at(o, unix))
    }

    /// Uses the next HOTP code: the advanced counter is committed before the code is returned,
    /// so a crash can skip a code but never hand out the same one twice.
    pub fn next_hotp(&mut self, id: Uuid) -> Result<Code> {
        let mut a = self.account(id)?.duplicate();
        let Some(o) = a.otp.as_mut().filter(|o| o.kind == OtpKind::Hotp) else {
            return Err(Error::invalid(
                "code",
                format!("{} has no counter-based (HOTP) authenticator.", a.label()),
            ));
        };
        let code = otp::code_at(o, 0);
        o.counter = o.counter.checked_add(1).ok_or_else(|| {
            Error::invalid(
                "counter",
                "This authenticator's counter has run out; set it up again.",
            )
        })?;
        a.updated_at = crate::now();
        let detail = format!("counter {}", o.counter - 1);
        self.commit_account(a, false, EventWhat::HotpUsed, &detail)?;
        Ok(code)
    }

    /// Adds the codes found in a pasted block; codes already saved are not added twice.
    pub fn add_recovery_codes(&mut self, id: Uuid, block: &str) -> Result<RecoveryAdded> {
        let parsed = parse_codes(block)?;
        let mut a = self.account(id)?.duplicate();
        let (mut added, mut duplicates) = (0, 0);
        for c in parsed.codes {
            let n = recovery::normalize(&c);
            if a.recovery
                .iter()
                .any(|r| recovery::normalize(r.code.expose()) == n)
            {
                duplicates += 1;
            } else {
                a.recovery.push(RecoveryCode {
                    code: SecretText::new(c),
                    used_at: None,
                    note: String::new(),
                });
                added += 1;
            }
        }
        let (unused, used) = a.recovery_counts();
        if added > 0 {
            a.updated_at = crate::now();
            self.commit_account(
                a,
                false,
                EventWhat::RecoveryCodesAdded,
                &format!("{added} added"),
            )?;
        }
        Ok(RecoveryAdded {
            added,
            duplicates,
            ignored_lines: parsed.ignored_lines,
            unused,
            used,
        })
    }

    /// Marks exactly one unused code matching `code` as used; returns how many remain unused.
    pub fn use_recovery_code(&mut self, id: Uuid, code: &SecretText) -> Result<usize> {
        let mut a = self.account(id)?.duplicate();
        let n = recovery::normalize(code.expose());
        if n.is_empty() {
            return Err(Error::invalid("recovery code", "Enter the recovery code."));
        }
        let now = crate::now();
        let matching: Vec<usize> = (0..a.recovery.len())
            .filter(|&i| recovery::normalize(a.recovery[i].code.expose()) == n)
            .collect();
        let Some(&i) = matching.iter().find(|&&i| a.recovery[i].used_at.is_none()) else {
            return Err(match matching.first() {
                Some(&i) => Error::RecoveryCodeUsed {
                    account: a.label(),
                    used_at: fmt_time(a.recovery[i].used_at.unwrap_or_default()),
                },
                None => Error::RecoveryCodeUnknown { account: a.label() },
            });
        };
        a.recovery[i].used_at = Some(now);
        a.updated_at = now;
        let remaining = a.recovery_counts().0;
        self.commit_account(
            a,
            false,
            EventWhat::RecoveryCodeUsed,
            &format!("{remaining} unused left"),
        )?;
        Ok(remaining)
    }

    /// Undoes a Mark used: the code at `index` (0-based, in saved order) is unused again.
    /// Returns how many codes are unused now.
    pub fn unmark_recovery_code(&mut self, id: Uuid, index: usize) -> Result<usize> {
        let mut a = self.account(id)?.duplicate();
        let label = a.label();
        let Some(c) = a.recovery.get_mut(index) else {
            return Err(Error::invalid(
                "recovery code",
                format!("{label} has no recovery code number {}.", index + 1),
            ));
        };
        if c.used_at.is_none() {
            return Err(Error::invalid(
                "recovery code",
                format!(
                    "Recovery code number {} of {label} is not marked used.",
                    index + 1
                ),
            ));
        }
        c.used_at = None;
        a.updated_at = crate::now();
        let remaining = a.recovery_counts().0;
        self.commit_account(
            a,
            false,
            EventWhat::RecoveryCodeUnmarked,
            &format!("code {}; {remaining} unused left", index + 1),
        )?;
        Ok(remaining)
    }

    /// Replaces every saved code (used or not) with the codes in a pasted block: what a service
    /// does when it issues a new set, which voids the old one. One transaction.
    pub fn replace_recovery_codes(&mut self, id: Uuid, block: &str) -> Result<RecoveryAdded> {
        let parsed = parse_codes(block)?;
        let mut a = self.account(id)?.duplicate();
        let before = a.recovery.len();
        a.recovery = parsed
            .codes
            .into_iter()
            .map(|c| RecoveryCode {
                code: SecretText::new(c),
                used_at: None,
                note: String::new(),
            })
            .collect();
        let added = a.recovery.len();
        a.updated_at = crate::now();
        self.commit_account(
            a,
            false,
            EventWhat::RecoveryCodesReplaced,
            &format!("{before} replaced by {added}"),
        )?;
        Ok(RecoveryAdded {
            added,
            duplicates: 0,
            ignored_lines: parsed.ignored_lines,
            unused: added,
            used: 0,
        })
    }

    /// Adds a slot wrapping the vault key under `kek` (e.g. `"keychain"`), replacing any slot of
    /// that kind. The password slot is never touched here.
    pub fn add_kek_slot(&mut self, kind: &str, kek: &Kek) -> Result<Uuid> {
        self.add_kek_slot_with_id(kind, Uuid::new_v4(), kek)
    }

    /// [`add_kek_slot`](Self::add_kek_slot) with the new slot's id chosen by the caller (the
    /// keychain names its entry after it before the slot is written). One transaction: on
    /// failure the old slots of `kind` are still there.
    pub fn add_kek_slot_with_id(&mut self, kind: &str, id: Uuid, kek: &Kek) -> Result<Uuid> {
        if kind == KIND_PASSWORD {
            return Err(Error::invalid(
                "slot kind",
                "use change_password for the password slot",
            ));
        }
        let slot = SlotRow::wrap_with_id(
            *id.as_bytes(),
            &self.vault_id,
            kind,
            String::new(),
            Vec::new(),
            &kek.0,
            &self.key,
        );
        let ev = self.event(
            EventWhat::UnlockMethodAdded,
            None,
            String::new(),
            kind.to_owned(),
        );
        let mut w = self.writer()?;
        w.changed = true;
        w.tx.execute("DELETE FROM slots WHERE kind = ?1", [kind])?;
        slot.insert(&w.tx)?;
        w.put_event(&ev)?;
        let c = w.commit()?;
        self.note(c);
        Ok(Uuid::from_bytes(slot.id))
    }

    /// Removes every slot of `kind`; returns how many there were.
    pub fn remove_slots(&mut self, kind: &str) -> Result<usize> {
        if kind == KIND_PASSWORD {
            return Err(Error::invalid(
                "slot kind",
                "the password slot cannot be removed",
            ));
        }
        let ev = self.event(
            EventWhat::UnlockMethodRemoved,
            None,
            String::new(),
            kind.to_owned(),
        );
        let mut w = self.writer()?;
        let n = w.tx.execute("DELETE FROM slots WHERE kind = ?1", [kind])?;
        if n > 0 {
            w.changed = true;
            w.put_event(&ev)?;
        }
        let c = w.commit()?;
        self.note(c);
        Ok(n)
    }

    /// Records an activity-log entry on its own (e.g. "code copied" from the app).
    pub fn log(&mut self, what: EventWhat, account: Option<Uuid>, detail: &str) -> Result<()> {
        let label = match account {
            Some(id) => self.account(id)?.label(),
            None => String::new(),
        };
        let ev = self.event(what, account, label, detail.to_owned());
        let mut w = self.writer()?;
        w.put_event(&ev)?;
        let c = w.commit()?;
        self.note(c);
        Ok(())
    }

    fn event(
        &self,
        what: EventWhat,
        account_id: Option<Uuid>,
        account: String,
        detail: String,
    ) -> Event {
        Event {
            id: Uuid::new_v4(),
            at: crate::now(),
            what,
            account_id,
            account,
            detail,
            count: 1,
        }
    }

    /// Writes `a` and its log entry in one transaction, then (only then) updates the cache.
    fn commit_account(
        &mut self,
        a: Account,
        is_new: bool,
        what: EventWhat,
        detail: &str,
    ) -> Result<()> {
        let ev = self.event(what, Some(a.id), a.label(), detail.to_owned());
        let expected = if is_new {
            None
        } else {
            self.accounts
                .iter()
                .find(|c| c.account.id == a.id)
                .map(|c| c.nonce.clone())
        };
        let nonce = self.write_account(&a, expected.as_deref(), &ev)?;
        self.cache(a, nonce);
        Ok(())
    }

    /// Writes `a` over the row whose nonce is `expected` (or inserts it) with its log entry, in
    /// one transaction. On a conflict the cache is reloaded so that a retry starts from it.
    fn write_account(
        &mut self,
        a: &Account,
        expected: Option<&[u8]>,
        ev: &Event,
    ) -> Result<[u8; 12]> {
        let mut w = self.writer()?;
        let put = w.put_account(a, expected);
        let nonce = match put {
            Ok(n) => n,
            Err(e) => {
                drop(w);
                if matches!(e, Error::Conflict { .. }) {
                    // Pick up the other process's version so that a retry starts from it.
                    self.load_accounts()?;
                }
                return Err(e);
            }
        };
        w.put_event(ev)?;
        let c = w.commit()?;
        self.note(c);
        Ok(nonce)
    }

    /// Puts a just-committed account into the in-memory copy, in name order.
    fn cache(&mut self, a: Account, nonce: [u8; 12]) {
        let cached = Cached {
            haystack: Zeroizing::new(a.haystack()),
            account: a,
            nonce: nonce.to_vec(),
        };
        self.accounts.retain(|c| c.account.id != cached.account.id);
        let pos = self.accounts.partition_point(|c| {
            (&*c.haystack, c.account.id) < (&*cached.haystack, cached.account.id)
        });
        self.accounts.insert(pos, cached);
    }

    /// Caches many new records at once: appended, then sorted once (inserting 10,000 imported
    /// accounts one by one into the sorted list was quadratic).
    fn cache_many(&mut self, records: impl Iterator<Item = (Account, [u8; 12])>) {
        for (a, nonce) in records {
            self.accounts.push(Cached {
                haystack: Zeroizing::new(a.haystack()),
                account: a,
                nonce: nonce.to_vec(),
            });
        }
        self.accounts
            .sort_by(|x, y| (&*x.haystack, x.account.id).cmp(&(&*y.haystack, y.account.id)));
    }

    fn writer(&mut self) -> Result<Writer<'_>> {
        let keep_days = self.log_keep_days();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Inside the write lock: a vault re-keyed by another process since this one unlocked
        // must not get records sealed under the old key (they would open for nobody).
        if rekey::read_vk_check(&tx)? != self.vk_check {
            return Err(Error::KeyChanged);
        }
        // A vault that decrypted everything can (re)build the lookup index; a partial one cannot.
        if !self.partial && !self.index_checked {
            // Lookups fall back to decrypting everything: a failed rebuild costs time, not data.
            let cached = self.accounts.iter().chain(&self.trash);
            let _ = lookup::reindex_if_needed(&tx, &self.lookup, cached, &self.damaged);
            self.index_checked = true;
        }
        Ok(Writer {
            tx,
            cipher: &self.cipher,
            lookup: &self.lookup,
            vault_id: self.vault_id,
            sealed: 0,
            changed: false,
            keep_days,
        })
    }

    /// Keeps what a commit returned: the encryption count, and whether it was a change.
    fn note(&mut self, (writes, changed): (u64, bool)) {
        self.writes = writes;
        self.session_changed |= changed;
    }

    // ---- one-of-a-kind records (settings, backup status) -----------------------------------

    /// Whether this handle committed a change since it was unlocked (log entries and the backup
    /// status do not count).
    pub fn changed_this_session(&self) -> bool {
        self.session_changed
    }

    /// The live connection (for a snapshot of it).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// How many changes were ever committed to this vault (`meta.changes`; 0 when absent).
    pub(crate) fn change_counter(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'changes'", [], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .unwrap_or(0))
    }

    /// The decrypted plaintext of the one record `id` of `kind`, if there is one.
    pub(crate) fn read_record(&self, id: Uuid, kind: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let row: Option<(Vec<u8>, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT nonce, ciphertext FROM items WHERE id = ?1 AND kind = ?2",
                params![&id.as_bytes()[..], kind],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((nonce, ct)) = row else {
            return Ok(None);
        };
        let aad = crypto::item_aad(&self.vault_id, id.as_bytes(), kind);
        crypto::open_with(&self.cipher, &aad, &nonce, &ct)
            .map(Some)
            .map_err(|_| Error::integrity(format!("item {id}")))
    }

    /// Writes (inserts or replaces) the one record `id` of `kind`. `is_change`: whether this
    /// counts as a change of the vault for the backups.
    pub(crate) fn write_record(
        &mut self,
        id: Uuid,
        kind: &str,
        plaintext: &[u8],
        is_change: bool,
    ) -> Result<()> {
        let mut w = self.writer()?;
        w.put_record(id, kind, plaintext)?;
        w.changed = is_change;
        let c = w.commit()?;
        self.note(c);
        Ok(())
    }
}

/// One write transaction: seals records under the vault key and counts the encryptions.
struct Writer<'a> {
    tx: Transaction<'a>,
    cipher: &'a crypto::Cipher,
    lookup: &'a lookup::LookupKey,
    vault_id: [u8; 16],
    sealed: u64,
    /// Set by writes that change what the vault holds (accounts, slots, settings).
    changed: bool,
    /// Activity-log entries older than this many days are deleted by the commit (0: none).
    keep_days: u32,
}

impl Writer<'_> {
    fn seal(&mut self, id: &Uuid, kind: &str, plaintext: &[u8]) -> ([u8; 12], Vec<u8>) {
        self.sealed += 1;
        crypto::seal_with(
            self.cipher,
            &crypto::item_aad(&self.vault_id, id.as_bytes(), kind),
            plaintext,
        )
    }

    /// Inserts `a` (when `expected` is `None`) or replaces the row whose nonce is `expected`.
    fn put_account(&mut self, a: &Account, expected: Option<&[u8]>) -> Result<[u8; 12]> {
        self.changed = true;
        let pt = record::encode_account(a);
        let (nonce, ct) = self.seal(&a.id, KIND_ACCOUNT, &pt);
        let (name_tag, issuer_tag) = self.lookup.tags(a);
        let issuer_tag = issuer_tag.as_ref().map(|t| &t[..]);
        let n = if let Some(expected) = expected {
            self.tx
                .prepare_cached(
                    "UPDATE items SET nonce = ?2, ciphertext = ?3, updated_at = ?4, name_tag = ?6,
                     issuer_tag = ?7
                 WHERE id = ?1 AND kind = 'account' AND nonce = ?5",
                )?
                .execute(params![
                    &a.id.as_bytes()[..],
                    &nonce[..],
                    ct,
                    a.updated_at,
                    expected,
                    &name_tag[..],
                    issuer_tag
                ])?
        } else {
            self.tx.prepare_cached(
                "INSERT INTO items (id, kind, nonce, ciphertext, created_at, updated_at, name_tag,
                     issuer_tag)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?.execute(
                params![
                    &a.id.as_bytes()[..],
                    KIND_ACCOUNT,
                    &nonce[..],
                    ct,
                    a.created_at,
                    a.updated_at,
                    &name_tag[..],
                    issuer_tag
                ],
            )?
        };
        if n != 1 {
            // Changed or removed by another process since we read it: refuse, never overwrite.
            return Err(Error::Conflict {
                what: format!("account {}", a.label()),
            });
        }
        Ok(nonce)
    }

    /// Writes (inserts or replaces) the one record `id` of `kind`.
    fn put_record(&mut self, id: Uuid, kind: &str, plaintext: &[u8]) -> Result<()> {
        let (nonce, ct) = self.seal(&id, kind, plaintext);
        let n = self.tx.execute(
            "INSERT INTO items (id, kind, nonce, ciphertext, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (id) DO UPDATE SET nonce = excluded.nonce,
                 ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
             WHERE items.kind = excluded.kind",
            params![&id.as_bytes()[..], kind, &nonce[..], ct, crate::now()],
        )?;
        if n != 1 {
            return Err(Error::integrity(format!(
                "item {id} (its kind was changed)"
            )));
        }
        Ok(())
    }

    fn put_event(&mut self, e: &Event) -> Result<()> {
        let pt = record::encode_event(e);
        let (nonce, ct) = self.seal(&e.id, KIND_EVENT, &pt);
        self.tx.execute(
            "INSERT INTO items (id, kind, nonce, ciphertext, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![&e.id.as_bytes()[..], KIND_EVENT, &nonce[..], ct, e.at],
        )?;
        Ok(())
    }

    /// Deletes the account row whose nonce is `expected` (the version this handle read).
    fn delete(&mut self, a: &Account, expected: &[u8]) -> Result<()> {
        self.changed = true;
        let n = self.tx.execute(
            "DELETE FROM items WHERE id = ?1 AND kind = 'account' AND nonce = ?2",
            params![&a.id.as_bytes()[..], expected],
        )?;
        if n != 1 {
            return Err(Error::Conflict {
                what: format!("account {}", a.label()),
            });
        }
        Ok(())
    }

    /// Adds this transaction's encryptions to the vault key's counter, and commits. Returns the
    /// new count and whether the transaction changed what the vault holds.
    fn commit(self) -> Result<(u64, bool)> {
        let total: i64 = self
            .tx
            .query_row(
                "UPDATE meta SET value = value + ?1 WHERE key = 'vk_writes' RETURNING value",
                [self.sealed as i64],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::integrity("vault header (meta 'vk_writes')"))?;
        if self.keep_days > 0 {
            // The activity log's retention, applied with every write (README "Activity log").
            let cutoff = crate::now().saturating_sub(i64::from(self.keep_days) * 86_400);
            self.tx.execute(
                "DELETE FROM items WHERE kind = ?1 AND created_at < ?2",
                params![KIND_EVENT, cutoff],
            )?;
        }
        if self.changed {
            // Counted for the backups ("changed since the last one?"); absent in older vaults.
            self.tx.execute(
                "INSERT INTO meta (key, value) VALUES ('changes', 1)
                 ON CONFLICT (key) DO UPDATE SET value = value + 1",
                [],
            )?;
        }
        self.tx.commit()?;
        Ok((total.max(0) as u64, self.changed))
    }
}

/// A validated new account from a draft.
fn new_account(draft: AccountDraft, now: i64) -> Result<Account> {
    let mut a = Account {
        id: Uuid::new_v4(),
        name: model::clean_name(&draft.name)?,
        issuer: model::clean_line("issuer", &draft.issuer, model::MAX_FIELD)?,
        username: model::clean_line("username", &draft.username, model::MAX_FIELD)?,
        password: SecretText::default(),
        url: model::clean_line("url", &draft.url, model::MAX_FIELD)?,
        notes: model::clean_notes(&draft.notes)?,
        tags: model::clean_tags(&draft.tags)?,
        icon: model::clean_line("icon", &draft.icon, model::MAX_FIELD)?,
        otp: None,
        recovery: Vec::new(),
        password_changed_at: None,
        password_score: None,
        password_history: Vec::new(),
        favourite: false,
        deleted_at: None,
        created_at: now,
        updated_at: now,
    };
    if let Some(o) = draft.otp {
        otp::validate(&o)?;
        a.otp = Some(o);
    }
    if let Some(p) = draft.password {
        model::check_password(&p)?;
        if !p.is_empty() {
            a.password_score = Some(security::password_score(
                p.expose(),
                &[&a.username, &a.name],
            ));
            a.password = p;
            a.password_changed_at = Some(draft.password_changed_at.unwrap_or(now));
        }
    }
    for h in &draft.password_history {
        model::check_password(&h.password)?;
    }
    a.password_history = draft.password_history;
    a.recovery = draft.recovery;
    Ok(a)
}

/// Derives the KEK from the password for each password slot and unwraps the vault key.
fn password_key(
    conn: &Connection,
    vault_id: &[u8; 16],
    password: &SecretText,
    mut memory: Option<&mut KdfMemory>,
) -> Result<Key32> {
    let slots = slot::load_all(conn)?;
    let mut tried = false;
    for s in slots.iter().filter(|s| s.kind == KIND_PASSWORD) {
        let params = KdfParams::parse(&s.params)
            .ok_or_else(|| Error::integrity("the password slot (its parameters are unreadable)"))?;
        params.check().map_err(|e| match e {
            // Out-of-range values in a stored slot were not chosen by anyone: tampering.
            Error::InvalidInput { reason, .. } => {
                Error::integrity(format!("the password slot (parameters {reason})"))
            }
            other => other,
        })?;
        let kek = params
            .derive_in(password.expose().as_bytes(), &s.salt, memory.as_deref_mut())
            .map_err(|_| Error::integrity("the password slot (its salt is unusable)"))?;
        tried = true;
        if let Ok(vk) = s.unwrap(vault_id, &kek) {
            return Ok(vk);
        }
    }
    if !tried {
        return Err(Error::integrity(
            "the vault header (it has no password slot)",
        ));
    }
    // AES-GCM cannot tell a wrong password from a tampered slot; the password is likelier.
    Err(Error::WrongPassword)
}

fn item_id(bytes: &[u8]) -> Option<Uuid> {
    Uuid::from_slice(bytes).ok()
}

fn slot_infos(conn: &Connection) -> Result<Vec<SlotInfo>> {
    Ok(slot::load_all(conn)?
        .into_iter()
        .map(|s| SlotInfo {
            id: Uuid::from_bytes(s.id),
            kind: s.kind,
            params: s.params,
            created_at: s.created_at,
        })
        .collect())
}

/// `2026-11-23 06:42 UTC`
pub fn fmt_time(unix: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Finds one account of `list` by id (or an unambiguous id prefix of ≥ 6 characters), else by
/// name or issuer, case-insensitively. `by_id` looks an exact id up (and tells damaged items).
fn resolve_in(
    list: &[Cached],
    damaged: &[Uuid],
    query: &str,
    by_id: impl Fn(Uuid) -> Result<Uuid>,
) -> Result<Uuid> {
    let q = query.trim();
    if q.is_empty() {
        return Err(Error::invalid("account", "no name or id given"));
    }
    if let Ok(id) = Uuid::parse_str(q) {
        return by_id(id);
    }
    let ql = q.to_lowercase();
    if ql.len() >= 6 && ql.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        let hits: Vec<Uuid> = list
            .iter()
            .map(|c| c.account.id)
            .chain(damaged.iter().copied())
            .filter(|id| id.to_string().starts_with(&ql))
            .collect();
        if hits.len() == 1 {
            return by_id(hits[0]);
        }
    }
    let hits: Vec<&Account> = list
        .iter()
        .map(|c| &c.account)
        .filter(|a| a.name.to_lowercase() == ql || a.issuer.to_lowercase() == ql)
        .collect();
    match hits.as_slice() {
        [] => Err(Error::AccountNotFound {
            query: q.to_owned(),
        }),
        [one] => Ok(one.id),
        many => Err(Error::Ambiguous {
            query: q.to_owned(),
            candidates: many
                .iter()
                .map(|a| format!("{} {}", a.label(), a.id))
                .collect(),
        }),
    }
}
