// SPDX-License-Identifier: GPL-3.0-or-later
//! The Trash: removing an account sets `deleted_at` inside its encrypted record instead of
//! deleting the row, so removal can be undone. A trashed account stays encrypted in the vault but
//! is outside `accounts()`, search, codes, security levels, exports and backup counts. It is
//! deleted for good by the user (one account or the whole Trash) or [`TRASH_DAYS`] days after it
//! was trashed, at the next unlock.
//!
//! Imports do not compare against the Trash: an account that was removed does not block
//! importing it again (the trashed copy still expires on its own).

use uuid::Uuid;

use super::{resolve_in, Vault};
use crate::error::{Error, Result};
use crate::model::{Account, EventWhat};

/// How long an account stays in the Trash before it is deleted for good.
pub const TRASH_DAYS: i64 = 30;
const DAY: i64 = 86_400;

/// What the Trash screen and `keydeck trash list` show of a trashed account: no secret.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrashItem {
    pub id: Uuid,
    pub name: String,
    pub issuer: String,
    pub username: String,
    pub deleted_at: i64,
}

impl Vault {
    /// The Trash, most recently removed first.
    pub fn trash(&self) -> Vec<TrashItem> {
        let mut items: Vec<TrashItem> = self
            .trash
            .iter()
            .map(|c| TrashItem {
                id: c.account.id,
                name: c.account.name.clone(),
                issuer: c.account.issuer.clone(),
                username: c.account.username.clone(),
                deleted_at: c.account.deleted_at.unwrap_or_default(),
            })
            .collect();
        items.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at).then(a.name.cmp(&b.name)));
        items
    }

    pub fn trash_len(&self) -> usize {
        self.trash.len()
    }

    /// A trashed account, read-only (to show what a restore brings back).
    pub fn trashed_account(&self, id: Uuid) -> Result<&Account> {
        self.trash
            .iter()
            .find(|c| c.account.id == id)
            .map(|c| &c.account)
            .ok_or_else(|| Error::AccountNotFound {
                query: id.to_string(),
            })
    }

    /// Finds one account in the Trash, as [`resolve`](Self::resolve) does among live ones.
    pub fn resolve_trashed(&self, query: &str) -> Result<Uuid> {
        resolve_in(&self.trash, &[], query, |id| {
            self.trashed_account(id).map(|a| a.id)
        })
    }

    /// Moves a live account to the Trash as of `at`: one transaction with its log entry.
    pub(super) fn trash_at(&mut self, id: Uuid, at: i64) -> Result<()> {
        let pos = self.live_pos(id)?;
        let mut a = self.accounts[pos].account.duplicate();
        a.deleted_at = Some(at);
        let ev = self.event(
            EventWhat::AccountRemoved,
            Some(id),
            a.label(),
            "moved to the Trash".to_owned(),
        );
        let expected = self.accounts[pos].nonce.clone();
        let nonce = self.write_account(&a, Some(&expected), &ev)?;
        self.accounts.retain(|c| c.account.id != id);
        self.trash.push(super::Cached {
            haystack: zeroize::Zeroizing::new(a.haystack()),
            account: a,
            nonce: nonce.to_vec(),
        });
        Ok(())
    }

    /// Brings an account back from the Trash, with its password, authenticator and recovery
    /// codes as they were: one transaction with its log entry.
    pub fn restore_account(&mut self, id: Uuid) -> Result<()> {
        let pos = self.trash_pos(id)?;
        let mut a = self.trash[pos].account.duplicate();
        a.deleted_at = None;
        let ev = self.event(
            EventWhat::AccountRestored,
            Some(id),
            a.label(),
            String::new(),
        );
        let expected = self.trash[pos].nonce.clone();
        let nonce = self.write_account(&a, Some(&expected), &ev)?;
        self.trash.retain(|c| c.account.id != id);
        self.cache(a, nonce);
        Ok(())
    }

    /// Deletes one trashed account for good: one transaction with its log entry.
    pub fn delete_forever(&mut self, id: Uuid) -> Result<()> {
        self.trash_pos(id)?;
        self.delete_trashed(&[id], "")
    }

    /// Deletes everything in the Trash for good; returns how many accounts that was.
    pub fn empty_trash(&mut self) -> Result<usize> {
        let ids: Vec<Uuid> = self.trash.iter().map(|c| c.account.id).collect();
        self.delete_trashed(&ids, "")?;
        Ok(ids.len())
    }

    /// Deletes for good what has been in the Trash for [`TRASH_DAYS`] days or more at `now`
    /// (run at every unlock); returns how many accounts that was.
    pub fn purge_trash(&mut self, now: i64) -> Result<usize> {
        let cutoff = now.saturating_sub(TRASH_DAYS * DAY);
        let ids: Vec<Uuid> = self
            .trash
            .iter()
            .filter(|c| c.account.deleted_at.is_some_and(|at| at <= cutoff))
            .map(|c| c.account.id)
            .collect();
        self.delete_trashed(&ids, &format!("after {TRASH_DAYS} days in the Trash"))?;
        Ok(ids.len())
    }

    /// Deletes the trashed accounts `ids`, each with an "deleted forever" entry, in one
    /// transaction; the cache changes only after the commit.
    fn delete_trashed(&mut self, ids: &[Uuid], detail: &str) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let events: Vec<_> = ids
            .iter()
            .filter_map(|id| self.trash.iter().find(|c| c.account.id == *id))
            .map(|c| {
                self.event(
                    EventWhat::AccountDeleted,
                    Some(c.account.id),
                    c.account.label(),
                    detail.to_owned(),
                )
            })
            .collect();
        let trash = std::mem::take(&mut self.trash);
        let result = (|| {
            let mut w = self.writer()?;
            for c in trash.iter().filter(|c| ids.contains(&c.account.id)) {
                w.delete(&c.account, &c.nonce)?;
            }
            for ev in &events {
                w.put_event(ev)?;
            }
            w.commit()
        })();
        self.trash = trash;
        match result {
            Ok(c) => {
                self.note(c);
                self.trash.retain(|c| !ids.contains(&c.account.id));
                Ok(())
            }
            Err(e) => {
                if matches!(e, Error::Conflict { .. }) {
                    self.load_accounts()?;
                }
                Err(e)
            }
        }
    }

    fn live_pos(&self, id: Uuid) -> Result<usize> {
        match self.accounts.iter().position(|c| c.account.id == id) {
            Some(p) => Ok(p),
            // The usual "not found" / "damaged" answer.
            None => self.account(id).map(|_| 0),
        }
    }

    fn trash_pos(&self, id: Uuid) -> Result<usize> {
        self.trash
            .iter()
            .position(|c| c.account.id == id)
            .ok_or_else(|| Error::AccountNotFound {
                query: id.to_string(),
            })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::kdf::KdfParams;
    use crate::model::{AccountDraft, AccountPatch};
    use crate::secret::SecretText;
    use crate::LockedVault;

    fn vault() -> (tempfile::TempDir, std::path::PathBuf, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.sqlite");
        let v = Vault::create(&path, &SecretText::new("pw"), KdfParams::FLOOR).unwrap();
        (dir, path, v)
    }

    fn add(v: &mut Vault, name: &str) -> Uuid {
        v.add_account(AccountDraft {
            name: name.into(),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn purge_uses_the_clock_it_is_given() {
        let (_d, _p, mut v) = vault();
        let id = add(&mut v, "GitHub");
        v.trash_at(id, 1_000_000).unwrap();
        assert_eq!(v.purge_trash(1_000_000 + 29 * DAY).unwrap(), 0);
        assert_eq!(v.trash_len(), 1);
        assert_eq!(v.purge_trash(1_000_000 + 30 * DAY).unwrap(), 1);
        assert_eq!(v.trash_len(), 0);
        let (events, _) = v.events().unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.what, EventWhat::AccountDeleted);
        assert_eq!(last.detail, "after 30 days in the Trash");
    }

    #[test]
    fn unlock_purges_what_is_older_than_30_days() {
        let (_d, path, mut v) = vault();
        let old = add(&mut v, "Old");
        let recent = add(&mut v, "Recent");
        let now = crate::now();
        v.trash_at(old, now - 31 * DAY).unwrap();
        v.trash_at(recent, now - 2 * DAY).unwrap();
        drop(v);
        let v = LockedVault::open(&path)
            .unwrap()
            .unlock_with_password(&SecretText::new("pw"))
            .unwrap();
        let left: Vec<String> = v.trash().into_iter().map(|t| t.name).collect();
        assert_eq!(left, vec!["Recent"]);
        let n: i64 = v
            .conn
            .query_row(
                "SELECT count(*) FROM items WHERE kind = 'account'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "the purged row is gone from the file");
    }

    #[test]
    fn favourite_is_patchable_and_kept_encrypted() {
        let (_d, path, mut v) = vault();
        let id = add(&mut v, "GitHub");
        v.update_account(
            id,
            AccountPatch {
                favourite: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(v.account(id).unwrap().favourite);
        drop(v);
        let v = LockedVault::open(&path)
            .unwrap()
            .unlock_with_password(&SecretText::new("pw"))
            .unwrap();
        assert!(v.account(id).unwrap().favourite);
    }
}
