// SPDX-License-Identifier: GPL-3.0-or-later
//! Re-keying: a new vault key (VK), every item re-encrypted under it and every slot re-wrapped,
//! in ONE transaction; then the WAL is checkpointed and truncated so the old slot bytes are not
//! left in `-wal`. A master-password change always re-keys (issue 12, finding 1): otherwise an
//! old copy of the file plus the old password would read every current and future record, and
//! putting the old password slot back would make the old password open the live file again.
//!
//! `meta.vk_check` (docs/vault-format.md §2) is `nonce ‖ AES-GCM(VK, "", aad)`: an empty message
//! sealed under the current VK. Unlocking verifies it, so a slot that unwraps an *older* VK (one
//! put back from an old copy) no longer opens the vault; and since its random nonce is new on
//! every re-key, a process that unlocked before a re-key sees that the value changed and refuses
//! to write under its stale key ([`Error::KeyChanged`]).
//!
//! Cost: one key derivation (the new password slot), then one AEAD open + seal and one
//! `UPDATE` per item through a cached prepared statement. Records are not parsed: their
//! plaintext moves from the old key to the new one as bytes, in zeroizing buffers.

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::{lookup::LookupKey, Vault, Writer};
use crate::crypto::{self, NONCE_LEN};
use crate::error::{Error, Result};
use crate::kdf::{KdfParams, SALT_LEN};
use crate::model::EventWhat;
use crate::secret::{Kek, Key32, SecretText};
use crate::slot::{self, SlotRow, KIND_KEYCHAIN, KIND_PASSWORD};

const VK_CHECK_AAD: &[u8] = b"keydeck/v1/vk_check";

/// `(kind, why)` of slots a re-key could not carry over.
type Problems = Vec<(String, String)>;
/// An item row as read: id, kind, nonce, ciphertext.
type ItemRow = (Vec<u8>, String, Vec<u8>, Vec<u8>);

/// What a re-key did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RekeyReport {
    /// Items (accounts, Trash, log entries, settings) re-encrypted under the new key.
    pub items: usize,
    /// Items that already failed their integrity check: left as they were (nothing can read
    /// them), still reported by `check`.
    pub damaged: usize,
    /// Slots that could not be carried over to the new key (kind, why): removed. Keychain
    /// unlock is off afterwards when the keychain could not be read; turn it on again.
    pub dropped_slots: Vec<(String, String)>,
    /// Whether the WAL was checkpointed and truncated. `false` when another process was reading
    /// the vault at that moment: the old bytes leave `-wal` at its next checkpoint.
    pub wal_cleared: bool,
}

/// `nonce ‖ tag` of an empty message under `vk`.
pub(super) fn vk_check(vault_id: &[u8; 16], vk: &Key32) -> Vec<u8> {
    let (nonce, tag) = crypto::seal(vk, &vk_check_aad(vault_id), b"");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&tag);
    out
}

fn vk_check_aad(vault_id: &[u8; 16]) -> Vec<u8> {
    let mut aad = VK_CHECK_AAD.to_vec();
    aad.extend_from_slice(vault_id);
    aad
}

pub(super) fn read_vk_check(conn: &Connection) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = 'vk_check'", [], |r| {
            r.get(0)
        })
        .optional()?)
}

pub(super) fn put_vk_check(conn: &Connection, value: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('vk_check', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [value],
    )?;
    Ok(())
}

/// A vault written before `vk_check` existed has none (it gets one at its first re-key).
pub(super) fn verify_vk_check(vault_id: &[u8; 16], vk: &Key32, check: Option<&[u8]>) -> Result<()> {
    let Some(check) = check else {
        return Ok(());
    };
    let ok = check.len() > NONCE_LEN
        && crypto::open(
            vk,
            &vk_check_aad(vault_id),
            &check[..NONCE_LEN],
            &check[NONCE_LEN..],
        )
        .is_ok();
    if ok {
        Ok(())
    } else {
        Err(Error::integrity(
            "the key slot (it holds an older vault key than the vault's records: a slot from an \
             old copy was put back)",
        ))
    }
}

/// The new password slot's ingredients: its key is derived once, before the transaction.
struct PasswordWrap {
    params: KdfParams,
    salt: Vec<u8>,
    kek: Key32,
}

impl Vault {
    /// The key-derivation parameters of the password slot (what a password change keeps when
    /// no new ones are given).
    pub fn kdf_params(&self) -> Result<KdfParams> {
        slot::load_all(&self.conn)?
            .iter()
            .filter(|s| s.kind == KIND_PASSWORD)
            .find_map(|s| KdfParams::parse(&s.params))
            .ok_or_else(|| Error::integrity("the password slot (its parameters are unreadable)"))
    }

    /// Changes the master password and re-keys the vault. `kdf`: new Argon2id parameters, or
    /// `None` to keep the current ones. The keychain slot, when there is one, keeps working:
    /// its key is read from the OS keychain and wraps the new vault key (if the keychain cannot
    /// be read, keychain unlock is turned off and the report says why).
    pub fn change_password(
        &mut self,
        new: &SecretText,
        kdf: Option<KdfParams>,
    ) -> Result<RekeyReport> {
        let (keks, problems) = self.held_keks()?;
        let keks: Vec<(&str, &Kek)> = keks.iter().map(|(k, kek)| (*k, kek)).collect();
        let mut report = self.change_password_with(new, kdf, &keks)?;
        merge_problems(&mut report, problems);
        Ok(report)
    }

    /// [`change_password`](Self::change_password) with the keys of the other slots given by
    /// the caller (`(kind, key)`), instead of read from the OS keychain.
    pub fn change_password_with(
        &mut self,
        new: &SecretText,
        kdf: Option<KdfParams>,
        keks: &[(&str, &Kek)],
    ) -> Result<RekeyReport> {
        if new.is_empty() {
            return Err(Error::invalid(
                "master password",
                "Enter the new master password.",
            ));
        }
        let params = match kdf {
            Some(p) => p,
            None => self.kdf_params()?,
        };
        params.check()?;
        let mut salt = vec![0u8; SALT_LEN];
        crypto::fill_random(&mut salt);
        let kek = params.derive(new.expose().as_bytes(), &salt)?;
        let pw = PasswordWrap { params, salt, kek };
        self.rekey_into(
            pw,
            keks,
            EventWhat::MasterPasswordChanged,
            "vault key renewed",
        )
    }

    /// Gives the vault a new key and keeps the master password (`keydeck rekey`): `password`
    /// must be the current one (it re-wraps the new key). The keychain slot keeps working as
    /// for [`change_password`](Self::change_password).
    pub fn rekey(&mut self, password: &SecretText) -> Result<RekeyReport> {
        let (keks, problems) = self.held_keks()?;
        let keks: Vec<(&str, &Kek)> = keks.iter().map(|(k, kek)| (*k, kek)).collect();
        let mut report = self.rekey_with(password, &keks)?;
        merge_problems(&mut report, problems);
        Ok(report)
    }

    /// [`rekey`](Self::rekey) with the keys of the other slots given by the caller.
    pub fn rekey_with(
        &mut self,
        password: &SecretText,
        keks: &[(&str, &Kek)],
    ) -> Result<RekeyReport> {
        // The same salt and parameters: the password's key is derived once and checked against
        // the slot, so a wrong password changes nothing.
        let slots = slot::load_all(&self.conn)?;
        let mut found = None;
        for s in slots.iter().filter(|s| s.kind == KIND_PASSWORD) {
            let Some(params) = KdfParams::parse(&s.params) else {
                continue;
            };
            let kek = params.derive(password.expose().as_bytes(), &s.salt)?;
            if s.unwrap(&self.vault_id, &kek)
                .is_ok_and(|vk| vk.as_bytes() == self.key.as_bytes())
            {
                found = Some(PasswordWrap {
                    params,
                    salt: s.salt.clone(),
                    kek,
                });
                break;
            }
        }
        let pw = found.ok_or(Error::WrongPassword)?;
        self.rekey_into(pw, keks, EventWhat::KeyRenewed, "")
    }

    /// The keys of this vault's non-password slots that Keydeck can fetch itself (the OS
    /// keychain's), and why any could not be fetched.
    fn held_keks(&self) -> Result<(Vec<(&'static str, Kek)>, Problems)> {
        let has_keychain = slot::load_all(&self.conn)?
            .iter()
            .any(|s| s.kind == KIND_KEYCHAIN);
        if !has_keychain {
            return Ok((Vec::new(), Vec::new()));
        }
        Ok(
            match crate::vault_keychain::keychain_kek(self.vault_id(), &self.slots()?) {
                Ok(kek) => (vec![(KIND_KEYCHAIN, kek)], Vec::new()),
                Err(e) => (Vec::new(), vec![(KIND_KEYCHAIN.to_owned(), e.to_string())]),
            },
        )
    }

    /// The re-key itself: one transaction, then the WAL checkpoint.
    fn rekey_into(
        &mut self,
        pw: PasswordWrap,
        keks: &[(&str, &Kek)],
        what: EventWhat,
        detail: &str,
    ) -> Result<RekeyReport> {
        let new_vk = Key32::random();
        let new_cipher = crypto::Cipher::new(&new_vk);
        let new_check = vk_check(&self.vault_id, &new_vk);
        // The lookup tags are keyed by the vault key too. The stored index stays under the old
        // key's check value, so lookups decrypt every record until the next write rebuilds it
        // under the new one (lookup::reindex_if_needed).
        let new_lookup = LookupKey::derive(&new_vk, &self.vault_id);
        let mut report = RekeyReport::default();
        let ev = self.event(what, None, String::new(), detail.to_owned());

        // Every slot, re-wrapped (same id and kind, fresh nonce) or dropped.
        let mut new_slots = Vec::new();
        let mut have_password = false;
        for s in slot::load_all(&self.conn)? {
            if s.kind == KIND_PASSWORD {
                if !have_password {
                    have_password = true;
                    new_slots.push(rewrap(
                        &self.vault_id,
                        &s,
                        pw.params.canonical(),
                        pw.salt.clone(),
                        &pw.kek,
                        &new_vk,
                    ));
                }
                continue;
            }
            // A key is carried over only if it opens this slot to the current key.
            let kek = keks.iter().find(|(kind, kek)| {
                *kind == s.kind
                    && s.unwrap(&self.vault_id, &kek.0)
                        .is_ok_and(|vk| vk.as_bytes() == self.key.as_bytes())
            });
            match kek {
                Some((_, kek)) => new_slots.push(rewrap(
                    &self.vault_id,
                    &s,
                    s.params.clone(),
                    s.salt.clone(),
                    &kek.0,
                    &new_vk,
                )),
                None => {
                    if !keks.iter().any(|(k, _)| *k == s.kind) {
                        report
                            .dropped_slots
                            .push((s.kind.clone(), "its key was not available".into()));
                    } else {
                        report
                            .dropped_slots
                            .push((s.kind.clone(), "its key does not open it any more".into()));
                    }
                }
            }
        }
        if !have_password {
            new_slots.push(SlotRow::wrap(
                &self.vault_id,
                KIND_PASSWORD,
                pw.params.canonical(),
                pw.salt.clone(),
                &pw.kek,
                &new_vk,
            ));
        }

        let vault_id = self.vault_id;
        let keep_days = self.log_keep_days();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if read_vk_check(&tx)? != self.vk_check {
            return Err(Error::KeyChanged);
        }
        // Read every item first (the statement must end before the updates run).
        let rows: Vec<ItemRow> = {
            let mut stmt = tx.prepare("SELECT id, kind, nonce, ciphertext FROM items")?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get(0)?, slot::text_lossy(r, 1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // Old nonce → new nonce, for the in-memory copy's optimistic-concurrency checks.
        let mut renewed: Vec<(Vec<u8>, [u8; NONCE_LEN])> = Vec::with_capacity(rows.len());
        let mut w = Writer {
            tx,
            cipher: &new_cipher,
            lookup: &new_lookup,
            vault_id,
            sealed: 0,
            changed: true,
            keep_days,
        };
        w.tx.execute("UPDATE meta SET value = 0 WHERE key = 'vk_writes'", [])?;
        {
            let mut update =
                w.tx.prepare_cached("UPDATE items SET nonce = ?2, ciphertext = ?3 WHERE id = ?1")?;
            for (id, kind, nonce, ct) in &rows {
                let Ok(uuid) = Uuid::from_slice(id) else {
                    report.damaged += 1;
                    continue;
                };
                let aad = crypto::item_aad(&vault_id, uuid.as_bytes(), kind);
                let Ok(pt) = crypto::open_with(&self.cipher, &aad, nonce, ct) else {
                    report.damaged += 1;
                    continue;
                };
                w.sealed += 1;
                let (new_nonce, new_ct) = crypto::seal_with(&new_cipher, &aad, &pt);
                update.execute(params![id, &new_nonce[..], new_ct])?;
                renewed.push((nonce.clone(), new_nonce));
                report.items += 1;
            }
        }
        w.tx.execute("DELETE FROM slots", [])?;
        for s in &new_slots {
            s.insert(&w.tx)?;
        }
        put_vk_check(&w.tx, &new_check)?;
        w.put_event(&ev)?;
        let c = w.commit()?;

        // Committed: from here on the new key is the key.
        self.key = new_vk;
        self.cipher = new_cipher;
        self.lookup = new_lookup;
        self.index_checked = false;
        self.vk_check = Some(new_check);
        self.note(c);
        renewed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for cached in self.accounts.iter_mut().chain(self.trash.iter_mut()) {
            if let Ok(i) = renewed.binary_search_by(|(old, _)| old.as_slice().cmp(&cached.nonce)) {
                cached.nonce = renewed[i].1.to_vec();
            }
        }
        report.wal_cleared = checkpoint(&self.conn);
        Ok(report)
    }
}

/// `slot`'s id, kind and creation time with `vk` wrapped under `kek` (fresh nonce).
fn rewrap(
    vault_id: &[u8; 16],
    slot: &SlotRow,
    params: String,
    salt: Vec<u8>,
    kek: &Key32,
    vk: &Key32,
) -> SlotRow {
    // The id is bound by the AAD and kept (the keychain entry may be named after it).
    let mut s = SlotRow::wrap_with_id(slot.id, vault_id, &slot.kind, params, salt, kek, vk);
    s.created_at = slot.created_at;
    s
}

fn merge_problems(report: &mut RekeyReport, problems: Problems) {
    for (kind, why) in problems {
        if let Some(d) = report.dropped_slots.iter_mut().find(|(k, _)| *k == kind) {
            d.1 = why;
        }
    }
}

/// `PRAGMA wal_checkpoint(TRUNCATE)`: copies the WAL into the file and truncates it to zero
/// bytes. `false` when a reader in another process kept it from completing.
fn checkpoint(conn: &Connection) -> bool {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok_and(|busy| busy == 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::model::AccountDraft;
    use crate::LockedVault;

    const OLD: &str = "old master password";
    const NEW: &str = "new master password";

    fn vault_with(kdf: KdfParams) -> (tempfile::TempDir, PathBuf, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.sqlite");
        let v = Vault::create(&path, &SecretText::new(OLD), kdf).unwrap();
        (dir, path, v)
    }

    fn add(v: &mut Vault, name: &str) -> Uuid {
        v.add_account(AccountDraft {
            name: name.into(),
            password: Some(SecretText::new(format!("{name}-secret-Pa55!"))),
            ..Default::default()
        })
        .unwrap()
    }

    fn unlock(path: &Path, pw: &str) -> Result<Vault> {
        LockedVault::open(path)?.unlock_with_password(&SecretText::new(pw))
    }

    /// A consistent copy of the file as it is now (what an attacker kept).
    fn snapshot(path: &Path, to: &Path) {
        let c = Connection::open(path).unwrap();
        c.execute("VACUUM INTO ?1", [to.to_str().unwrap()]).unwrap();
    }

    /// The vault key the old copy's password slot gives with the old password.
    fn old_key(copy: &Path) -> Key32 {
        let locked = LockedVault::open(copy).unwrap();
        super::super::password_key(&locked.conn, &locked.vault_id, &SecretText::new(OLD), None)
            .unwrap()
    }

    /// How many items of the file at `path` `key` opens.
    fn items_opened_by(path: &Path, key: &Key32) -> usize {
        let c = Connection::open(path).unwrap();
        let vault_id = crate::store::vault_id(&c).unwrap();
        let mut stmt = c
            .prepare("SELECT id, kind, nonce, ciphertext FROM items")
            .unwrap();
        let rows: Vec<ItemRow> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(!rows.is_empty());
        rows.iter()
            .filter(|(id, kind, nonce, ct)| {
                let id: [u8; 16] = id.as_slice().try_into().unwrap();
                crypto::open(key, &crypto::item_aad(&vault_id, &id, kind), nonce, ct).is_ok()
            })
            .count()
    }

    #[test]
    fn an_old_copy_and_the_old_password_read_nothing_after_a_password_change() {
        let (dir, path, mut v) = vault_with(KdfParams::FLOOR);
        add(&mut v, "Before");
        let copy = dir.path().join("old-copy.sqlite");
        snapshot(&path, &copy);
        let old = old_key(&copy);
        assert!(
            items_opened_by(&path, &old) > 0,
            "the old key opens the file before"
        );

        let report = v.change_password(&SecretText::new(NEW), None).unwrap();
        assert!(report.items >= 3, "accounts and log entries re-encrypted");
        assert!(report.dropped_slots.is_empty());
        add(&mut v, "After");
        drop(v);

        // No record of the live file (old or new) opens under the old key.
        assert_eq!(items_opened_by(&path, &old), 0);

        // The new password sees everything; the old one is wrong.
        let v = unlock(&path, NEW).unwrap();
        assert_eq!(v.len(), 2);
        assert!(v.damaged().is_empty());
        let (events, damaged) = v.events().unwrap();
        assert!(damaged.is_empty());
        assert!(events
            .iter()
            .any(|e| e.what == EventWhat::MasterPasswordChanged));
        drop(v);
        assert!(matches!(unlock(&path, OLD), Err(Error::WrongPassword)));

        // The old slot row put back: the old password still does not open the live file.
        let live = Connection::open(&path).unwrap();
        live.execute("DELETE FROM slots", []).unwrap();
        live.execute("ATTACH DATABASE ?1 AS old", [copy.to_str().unwrap()])
            .unwrap();
        live.execute("INSERT INTO slots SELECT * FROM old.slots", [])
            .unwrap();
        assert!(matches!(unlock(&path, OLD), Err(Error::Integrity { .. })));
        // Even with the old key check put back too, nothing is readable under that key.
        live.execute(
            "UPDATE meta SET value = (SELECT value FROM old.meta WHERE key = 'vk_check')
             WHERE key = 'vk_check'",
            [],
        )
        .unwrap();
        let v = unlock(&path, OLD).unwrap();
        assert_eq!(v.len(), 0);
        assert_eq!(v.damaged().len(), 2);
    }

    #[test]
    fn custom_kdf_parameters_survive_a_password_change_unless_new_ones_are_given() {
        let custom = KdfParams {
            m_kib: 20 * 1024,
            t: 2,
            p: 1,
        };
        let (_d, path, mut v) = vault_with(custom);
        v.change_password(&SecretText::new(NEW), None).unwrap();
        assert_eq!(v.kdf_params().unwrap(), custom);
        drop(v);
        let mut v = unlock(&path, NEW).unwrap();
        assert_eq!(v.kdf_params().unwrap(), custom);
        let other = KdfParams { t: 3, ..custom };
        v.change_password(&SecretText::new(OLD), Some(other))
            .unwrap();
        assert_eq!(v.kdf_params().unwrap(), other);
        v.rekey(&SecretText::new(OLD)).unwrap();
        assert_eq!(v.kdf_params().unwrap(), other);
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn the_wal_and_the_file_keep_no_old_slot_bytes() {
        let (_d, path, mut v) = vault_with(KdfParams::FLOOR);
        add(&mut v, "GitHub");
        let old_wrapped = slot::load_all(&v.conn).unwrap()[0].wrapped.clone();
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        assert!(contains(&std::fs::read(&wal).unwrap(), &old_wrapped));
        let report = v.change_password(&SecretText::new(NEW), None).unwrap();
        assert!(report.wal_cleared);
        let wal_bytes = std::fs::read(&wal).unwrap_or_default();
        assert!(!contains(&wal_bytes, &old_wrapped), "old slot in -wal");
        assert!(!contains(&std::fs::read(&path).unwrap(), &old_wrapped));
    }

    #[test]
    fn the_keychain_slot_keeps_working_after_a_password_change_and_a_rekey() {
        let (_d, path, mut v) = vault_with(KdfParams::FLOOR);
        add(&mut v, "GitHub");
        let kek = Kek::from_bytes(&[9u8; 32]).unwrap();
        let slot_id = v.add_kek_slot(KIND_KEYCHAIN, &kek).unwrap();
        let keks = [(KIND_KEYCHAIN, &kek)];
        let r = v
            .change_password_with(&SecretText::new(NEW), None, &keks)
            .unwrap();
        assert!(r.dropped_slots.is_empty());
        let kc = |path: &Path| {
            LockedVault::open(path)
                .unwrap()
                .unlock_with_kek(KIND_KEYCHAIN, &kek)
                .unwrap()
        };
        let mut v2 = kc(&path);
        assert_eq!(v2.len(), 1);
        // Same slot id (the keychain entry may be named after it).
        assert!(v2.slots().unwrap().iter().any(|s| s.id == slot_id));
        v2.rekey_with(&SecretText::new(NEW), &keks).unwrap();
        drop(v2);
        assert_eq!(kc(&path).len(), 1);
        assert_eq!(unlock(&path, NEW).unwrap().len(), 1);

        // Without its key the keychain slot cannot follow: it is removed, and said so.
        drop(v);
        let mut v = unlock(&path, NEW).unwrap();
        let r = v.rekey_with(&SecretText::new(NEW), &[]).unwrap();
        assert_eq!(r.dropped_slots.len(), 1);
        assert_eq!(r.dropped_slots[0].0, KIND_KEYCHAIN);
        assert!(!v.slots().unwrap().iter().any(|s| s.kind == KIND_KEYCHAIN));
    }

    #[test]
    fn rekey_with_a_wrong_password_changes_nothing() {
        let (_d, path, mut v) = vault_with(KdfParams::FLOOR);
        add(&mut v, "GitHub");
        let before = read_vk_check(&v.conn).unwrap();
        assert!(matches!(
            v.rekey(&SecretText::new("nope")),
            Err(Error::WrongPassword)
        ));
        assert_eq!(read_vk_check(&v.conn).unwrap(), before);
        v.rekey(&SecretText::new(OLD)).unwrap();
        assert_ne!(read_vk_check(&v.conn).unwrap(), before);
        // The handle goes on writing under the new key, and edits still find their rows.
        let id = add(&mut v, "GitLab");
        v.update_account(
            id,
            crate::model::AccountPatch {
                favourite: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
        drop(v);
        assert_eq!(unlock(&path, OLD).unwrap().len(), 2);
    }

    #[test]
    fn a_handle_holding_the_old_key_writes_nothing_after_another_rekeys() {
        let (_d, path, mut a) = vault_with(KdfParams::FLOOR);
        add(&mut a, "GitHub");
        let mut b = unlock(&path, OLD).unwrap();
        a.change_password(&SecretText::new(NEW), None).unwrap();
        let err = b
            .add_account(AccountDraft {
                name: "Stale".into(),
                ..Default::default()
            })
            .unwrap_err();
        assert!(matches!(err, Error::KeyChanged));
        drop((a, b));
        let v = unlock(&path, NEW).unwrap();
        assert_eq!(v.len(), 1);
        assert!(v.damaged().is_empty());
    }

    #[test]
    fn trash_settings_and_log_are_re_encrypted_too() {
        let (_d, path, mut v) = vault_with(KdfParams::FLOOR);
        let id = add(&mut v, "Old one");
        add(&mut v, "Kept");
        v.remove_account(id).unwrap();
        let mut s = v.backup_settings();
        s.keep = 3;
        v.set_backup_settings(&s).unwrap();
        let (events_before, _) = v.events().unwrap();
        v.rekey(&SecretText::new(OLD)).unwrap();
        drop(v);
        let v = unlock(&path, OLD).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v.trash_len(), 1);
        assert_eq!(v.backup_settings().keep, 3);
        let (events, damaged) = v.events().unwrap();
        assert!(damaged.is_empty());
        assert!(events.len() > events_before.len());
        assert!(v.damaged().is_empty());
    }
}
