//! Key slots: each wraps the vault key (VK) under one key-encryption key (KEK). The slot's AAD
//! binds vault id, slot id, kind, KDF parameters and salt (docs/vault-format.md §3), so a slot
//! moved to another vault, relabelled, or given weaker parameters fails to unwrap.

use rusqlite::{params, Connection};
use uuid::Uuid;

use crate::crypto::{self, TagMismatch};
use crate::error::Result;
use crate::secret::Key32;

pub const KIND_PASSWORD: &str = "password";
pub const KIND_KEYCHAIN: &str = "keychain";

pub struct SlotRow {
    pub id: [u8; 16],
    pub kind: String,
    pub params: String,
    pub salt: Vec<u8>,
    pub nonce: Vec<u8>,
    pub wrapped: Vec<u8>,
    pub created_at: i64,
}

impl SlotRow {
    /// Wraps `vk` under `kek` into a new slot with a fresh id and nonce.
    pub fn wrap(
        vault_id: &[u8; 16],
        kind: &str,
        params: String,
        salt: Vec<u8>,
        kek: &Key32,
        vk: &Key32,
    ) -> SlotRow {
        Self::wrap_with_id(
            *Uuid::new_v4().as_bytes(),
            vault_id,
            kind,
            params,
            salt,
            kek,
            vk,
        )
    }

    /// [`wrap`](Self::wrap) into a slot whose id the caller chose (a re-key keeps every slot's
    /// id; a keychain slot's id names its keychain entry).
    pub fn wrap_with_id(
        id: [u8; 16],
        vault_id: &[u8; 16],
        kind: &str,
        params: String,
        salt: Vec<u8>,
        kek: &Key32,
        vk: &Key32,
    ) -> SlotRow {
        let aad = crypto::slot_aad(vault_id, &id, kind, &params, &salt);
        let (nonce, wrapped) = crypto::seal(kek, &aad, vk.as_bytes());
        SlotRow {
            id,
            kind: kind.to_owned(),
            params,
            salt,
            nonce: nonce.to_vec(),
            wrapped,
            created_at: crate::now(),
        }
    }

    pub fn unwrap(&self, vault_id: &[u8; 16], kek: &Key32) -> Result<Key32, TagMismatch> {
        let aad = crypto::slot_aad(vault_id, &self.id, &self.kind, &self.params, &self.salt);
        let vk = crypto::open(kek, &aad, &self.nonce, &self.wrapped)?;
        Key32::from_slice(&vk).ok_or(TagMismatch)
    }

    pub fn insert(&self, conn: &Connection) -> Result<()> {
        conn.execute(
            "INSERT INTO slots (id, kind, params, salt, nonce, wrapped_key, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                &self.id[..],
                self.kind,
                self.params,
                self.salt,
                self.nonce,
                self.wrapped,
                self.created_at
            ],
        )?;
        Ok(())
    }
}

pub fn load_all(conn: &Connection) -> Result<Vec<SlotRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, params, salt, nonce, wrapped_key, created_at FROM slots
         ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: Vec<u8> = r.get(0)?;
        Ok((
            id,
            SlotRow {
                id: [0; 16],
                kind: text_lossy(r, 1)?,
                params: text_lossy(r, 2)?,
                salt: r.get(3)?,
                nonce: r.get(4)?,
                wrapped: r.get(5)?,
                created_at: r.get(6)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, mut slot) = row?;
        // The schema's CHECK keeps ids at 16 bytes; a row that is not is skipped as unusable.
        if let Ok(id) = <[u8; 16]>::try_from(id.as_slice()) {
            slot.id = id;
            out.push(slot);
        }
    }
    Ok(out)
}

/// Reads a TEXT column without trusting it to be UTF-8: a damaged byte must surface as an
/// integrity failure further on (the AAD no longer matches), not as a database error here.
pub fn text_lossy(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(String::from_utf8_lossy(r.get_ref(i)?.as_bytes()?).into_owned())
}
