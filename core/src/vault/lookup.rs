// SPDX-License-Identifier: GPL-3.0-or-later
//! The lookup index: finding the account a name points to without decrypting every record.
//!
//! Why: `keydeck code NAME` needs one account, but a name is inside each record's ciphertext,
//! so finding it meant decrypting and parsing all of them (+45 % over a one-account vault at
//! 10,000 accounts, on top of the Argon2id that dominates both).
//!
//! How: each account row carries two keyed tags, `name_tag = HMAC-SHA-256(LK, "name" 0x00
//! lowercase(name))[..16]` and `issuer_tag` the same over the issuer (NULL when empty), where
//! `LK = HMAC-SHA-256(VK, "keydeck/v1/lookup" ‖ vault_id)`. A query's tags select the candidate
//! rows; only those are decrypted, and the ordinary name/issuer comparison runs on the
//! decrypted records, so a wrong or planted tag can hide an account but never return another.
//!
//! What it leaks (to someone holding the file but not the key): which accounts share the same
//! name, and which share the same issuer (equality only: the tags are keyed, so a guessed name
//! cannot be tested without the vault key, and a name is not linkable to an issuer). Nothing
//! else: counts, ids and timestamps were already plain.
//!
//! The index is a hint. It is used only when `meta.lookup_check` matches this vault key and no
//! account row lacks a tag; otherwise every record is decrypted as before, and the next write by
//! a fully unlocked vault (the app's unlock, any CLI change) rebuilds it in its transaction.
//! Vaults from before schema 2 (no tags yet) and vaults re-keyed by code that did not re-tag
//! take that path once.

use hmac::{Hmac, KeyInit, Mac};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::Sha256;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{Cached, SealedRow, Vault};
use crate::error::Result;
use crate::model::Account;
use crate::record::KIND_ACCOUNT;
use crate::secret::Key32;

pub(super) const TAG_LEN: usize = 16;
const CHECK_KEY: &str = "lookup_check";

/// The key of the lookup tags, derived from the vault key (zeroed on drop).
pub(crate) struct LookupKey(Zeroizing<[u8; 32]>);

impl LookupKey {
    pub(crate) fn derive(vk: &Key32, vault_id: &[u8; 16]) -> LookupKey {
        let mut m = mac(vk.as_bytes());
        m.update(b"keydeck/v1/lookup");
        m.update(vault_id);
        let mut k = Zeroizing::new([0u8; 32]);
        k.copy_from_slice(&m.finalize().into_bytes());
        LookupKey(k)
    }

    fn tag(&self, field: &str, value: &str) -> [u8; TAG_LEN] {
        let mut m = mac(&self.0[..]);
        m.update(field.as_bytes());
        m.update(&[0]);
        m.update(value.to_lowercase().as_bytes());
        let mut t = [0u8; TAG_LEN];
        t.copy_from_slice(&m.finalize().into_bytes()[..TAG_LEN]);
        t
    }

    /// The tags of an account's name and issuer, as stored beside its record.
    pub(super) fn tags(&self, a: &Account) -> ([u8; TAG_LEN], Option<[u8; TAG_LEN]>) {
        (
            self.tag("name", &a.name),
            (!a.issuer.is_empty()).then(|| self.tag("issuer", &a.issuer)),
        )
    }

    /// `meta.lookup_check`: tells whether the tags in the file were made with this key.
    fn check(&self) -> [u8; TAG_LEN] {
        self.tag("check", "")
    }

    /// A stable id for a record found again by meaning (e.g. the day's unlock count), not
    /// linkable to its inputs without the key.
    pub(super) fn derived_id(&self, what: &str) -> Uuid {
        Uuid::from_bytes(self.tag("id", what))
    }
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    #[allow(clippy::expect_used)]
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts any key length")
}

/// Whether the tags in the file can be trusted to be complete for this key.
fn index_usable(conn: &Connection, key: &LookupKey) -> Result<bool> {
    let check: Option<Vec<u8>> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [CHECK_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    if check.as_deref() != Some(&key.check()[..]) {
        return Ok(false);
    }
    let untagged: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM items WHERE kind = ?1 AND name_tag IS NULL)",
        [KIND_ACCOUNT],
        |r| r.get(0),
    )?;
    Ok(!untagged)
}

/// Whether `query` is looked up by name/issuer only (not an id or an id prefix), so that the
/// index can answer it exactly as `resolve` would.
fn by_name_only(query: &str) -> bool {
    let q = query.trim();
    if q.is_empty() || Uuid::parse_str(q).is_ok() {
        return false;
    }
    !(q.len() >= 6 && q.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
}

impl Vault {
    /// Decrypts only the accounts whose name or issuer is `query` (case-insensitively). Returns
    /// false, having loaded nothing, when the index cannot answer (see the module comment).
    pub(super) fn load_matching(&mut self, query: &str) -> Result<bool> {
        if !by_name_only(query) || !index_usable(&self.conn, &self.lookup).unwrap_or(false) {
            return Ok(false);
        }
        let q = query.trim();
        let (name, issuer) = (self.lookup.tag("name", q), self.lookup.tag("issuer", q));
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, nonce, ciphertext, created_at, updated_at FROM items
             WHERE kind = ?1 AND (name_tag = ?2 OR issuer_tag = ?3)",
        )?;
        let mut rows = stmt.query(params![KIND_ACCOUNT, &name[..], &issuer[..]])?;
        let mut sealed = Vec::new();
        while let Some(r) = rows.next()? {
            let Some(id) = super::item_id(r.get_ref(0)?.as_bytes().unwrap_or(&[])) else {
                continue;
            };
            sealed.push(SealedRow::read(id, r)?);
        }
        drop(rows);
        drop(stmt);
        self.take_opened(sealed, Vec::new());
        Ok(true)
    }
}

/// Before the first write of a fully unlocked session: re-tags every account the handle read
/// (`cached`: id, nonce and record; rows changed since by another process keep the tags their
/// writer gave them) when the index is incomplete or from another key, and records the key's
/// check value. Returns whether it rebuilt.
pub(super) fn reindex_if_needed<'a>(
    tx: &Transaction<'_>,
    key: &LookupKey,
    cached: impl Iterator<Item = &'a Cached>,
    damaged: &[Uuid],
) -> Result<bool> {
    if index_usable(tx, key)? {
        return Ok(false);
    }
    let mut tag = tx.prepare_cached(
        "UPDATE items SET name_tag = ?2, issuer_tag = ?3
         WHERE id = ?1 AND kind = 'account' AND nonce = ?4",
    )?;
    for c in cached {
        let (n, i) = key.tags(&c.account);
        tag.execute(params![
            &c.account.id.as_bytes()[..],
            &n[..],
            i.as_ref().map(|t| &t[..]),
            &c.nonce
        ])?;
    }
    // A record that does not open cannot be named; an empty tag keeps the index complete.
    let mut none = tx.prepare_cached(
        "UPDATE items SET name_tag = x'' WHERE id = ?1 AND kind = 'account' AND name_tag IS NULL",
    )?;
    for id in damaged {
        none.execute([&id.as_bytes()[..]])?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![CHECK_KEY, &key.check()[..]],
    )?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_prefixes_are_not_looked_up_by_name() {
        assert!(by_name_only("GitHub"));
        assert!(by_name_only("deadbeef cafe"));
        assert!(!by_name_only("deadbeef"));
        assert!(!by_name_only("  "));
        assert!(!by_name_only("67e55044-10b1-426f-9247-bb680e5fe0c8"));
    }

    #[test]
    fn tags_are_keyed_case_insensitive_and_per_field() {
        let vk = Key32::random();
        let k = LookupKey::derive(&vk, &[1; 16]);
        assert_eq!(k.tag("name", "GitHub"), k.tag("name", "github"));
        assert_ne!(k.tag("name", "github"), k.tag("issuer", "github"));
        let other = LookupKey::derive(&Key32::random(), &[1; 16]);
        assert_ne!(k.tag("name", "github"), other.tag("name", "github"));
        assert_ne!(k.check(), other.check());
    }
}
