// SPDX-License-Identifier: GPL-3.0-or-later
//! The activity log kept small: unlocks are counted, not listed, and old entries expire.
//!
//! - An unlock that may be followed by writes (the app, a CLI command that changes something)
//!   adds one to the day's entry for its kind of program: at most one "vault unlocked" entry per
//!   day for the app and one for the command line, however often a script runs. The entry's id is
//!   derived from the lookup key, the program kind and the day, so it is found again without
//!   decrypting the log, and two entries of a day are not linkable to their kind from outside.
//! - Commands that only read ([`LockedVault::for_reading`](super::LockedVault::for_reading))
//!   write nothing, not even that count: reads are read-only.
//! - Every write transaction deletes entries older than the retention setting (default a year).

use std::sync::atomic::{AtomicU8, Ordering};

use rusqlite::{params, OptionalExtension};

use super::Vault;
use crate::crypto;
use crate::error::{Error, Result};
use crate::model::{Event, EventWhat};
use crate::record::{self, SettingsRecord, KIND_EVENT, KIND_SETTINGS, SETTINGS_ID};

/// How long activity-log entries are kept unless set otherwise.
pub const DEFAULT_LOG_KEEP_DAYS: u32 = 365;
/// The longest retention that can be set (about a hundred years: "keep everything").
pub const MAX_LOG_KEEP_DAYS: u32 = 36_500;

/// The kind of program that unlocks, for the day's unlock count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    App,
    Cli,
}

static CLIENT: AtomicU8 = AtomicU8::new(0);

/// Tells the core which kind of program this process is (the app unless said otherwise).
pub fn set_client(client: Client) {
    CLIENT.store(client as u8, Ordering::Relaxed);
}

fn client() -> Client {
    if CLIENT.load(Ordering::Relaxed) == Client::Cli as u8 {
        Client::Cli
    } else {
        Client::App
    }
}

impl Vault {
    /// How many days activity-log entries are kept.
    pub fn log_keep_days(&self) -> u32 {
        self.settings_record()
            .map_or(DEFAULT_LOG_KEEP_DAYS, |s| s.activity.keep_days)
            .clamp(1, MAX_LOG_KEEP_DAYS)
    }

    /// Sets the retention of the activity log, and applies it in the same transaction.
    pub fn set_log_keep_days(&mut self, days: u32) -> Result<()> {
        if !(1..=MAX_LOG_KEEP_DAYS).contains(&days) {
            return Err(Error::invalid(
                "keep days",
                format!("Keep the activity log between 1 and {MAX_LOG_KEEP_DAYS} days."),
            ));
        }
        let mut rec = match self.read_record(SETTINGS_ID, KIND_SETTINGS)? {
            Some(pt) => record::decode_settings(SETTINGS_ID, &pt)?,
            None => SettingsRecord::default(),
        };
        rec.activity.keep_days = days;
        let pt = record::encode_settings(&rec);
        let mut w = self.writer()?;
        w.keep_days = days;
        w.put_record(SETTINGS_ID, KIND_SETTINGS, &pt)?;
        w.changed = true;
        let c = w.commit()?;
        self.note(c);
        Ok(())
    }

    fn settings_record(&self) -> Option<SettingsRecord> {
        let pt = self.read_record(SETTINGS_ID, KIND_SETTINGS).ok()??;
        record::decode_settings(SETTINGS_ID, &pt).ok()
    }

    /// Counts this unlock in the day's entry for this kind of program (one upsert).
    pub(super) fn log_unlock(&mut self, method: &str) -> Result<()> {
        let now = crate::now();
        let kind = client();
        let day = now.div_euclid(86_400);
        let id = self.lookup.derived_id(&format!("unlocked/{kind:?}/{day}"));
        let mut w = self.writer()?;
        let row: Option<(Vec<u8>, Vec<u8>, i64)> =
            w.tx.query_row(
                "SELECT nonce, ciphertext, created_at FROM items WHERE id = ?1 AND kind = ?2",
                params![&id.as_bytes()[..], KIND_EVENT],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (count, at) = match row {
            None => (1, now),
            Some((nonce, ct, at)) => {
                let aad = crypto::item_aad(&w.vault_id, id.as_bytes(), KIND_EVENT);
                let Some(e) = crypto::open_with(w.cipher, &aad, &nonce, &ct)
                    .ok()
                    .and_then(|pt| record::decode_event(id, at, &pt).ok())
                else {
                    // A damaged entry is left as it is, for `check` and the log to report.
                    return Ok(());
                };
                (e.count.saturating_add(1), at)
            }
        };
        let ev = Event {
            id,
            at,
            what: EventWhat::Unlocked,
            account_id: None,
            account: String::new(),
            detail: unlock_detail(kind, count, method, now),
            count,
        };
        let pt = record::encode_event(&ev);
        let (nonce, ct) = w.seal(&id, KIND_EVENT, &pt);
        w.tx.execute(
            "INSERT INTO items (id, kind, nonce, ciphertext, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET nonce = excluded.nonce,
                 ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
             WHERE items.kind = excluded.kind",
            params![&id.as_bytes()[..], KIND_EVENT, &nonce[..], ct, at, now],
        )?;
        let c = w.commit()?;
        self.note(c);
        Ok(())
    }
}

/// `3 times today from the command line, last at 14:02 UTC with password`
fn unlock_detail(kind: Client, count: u32, method: &str, now: i64) -> String {
    let from = match kind {
        Client::App => "the app",
        Client::Cli => "the command line",
    };
    let times = if count == 1 {
        "once".to_owned()
    } else {
        format!("{count} times")
    };
    let last = super::fmt_time(now);
    let hhmm = last.get(11..).unwrap_or(&last);
    format!("{times} that day from {from}, last at {hhmm} with {method}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_reads_as_a_sentence() {
        assert_eq!(
            unlock_detail(Client::Cli, 3, "password", 86_400 + 3_600 + 120),
            "3 times that day from the command line, last at 01:02 UTC with password"
        );
        assert_eq!(
            unlock_detail(Client::App, 1, "keychain", 0),
            "once that day from the app, last at 00:00 UTC with keychain"
        );
    }
}
