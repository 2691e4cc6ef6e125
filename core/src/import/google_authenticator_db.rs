//! Google Authenticator's app database, taken from a rooted Android phone:
//! `/data/data/com.google.android.apps.authenticator2/databases/databases`.
//!
//! A SQLite file whose table `accounts` has one row per authenticator: `email` (the label,
//! "Issuer:Name"), `secret` (base32), `counter`, `type` (0 TOTP, 1 HOTP) and, in newer versions,
//! `issuer`. The app stores no algorithm, digits or period: they are SHA-1, 6 digits, 30 s (as
//! Aegis's `GoogleAuthImporter` reads them).
//!
//! The database is opened in memory from the file's bytes (rusqlite's `serialize` feature),
//! read-only; it is never written to disk. [`open`] is shared with the Microsoft Authenticator
//! format.

use rusqlite::{Connection, OpenFlags};

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind};
use crate::secret::SecretBytes;

pub struct GoogleAuthenticatorDb;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Whether the bytes start like a SQLite database.
pub(super) fn is_sqlite(input: &Input) -> bool {
    input.bytes().starts_with(SQLITE_MAGIC)
}

/// The database in the file, opened read-only in memory.
pub(super) fn open(what: &str, input: &Input) -> Result<Connection> {
    let bytes = input.bytes();
    if !bytes.starts_with(SQLITE_MAGIC) || bytes.len() < 100 {
        return Err(Error::invalid(what, "the file is not a SQLite database"));
    }
    let damaged = |e: rusqlite::Error| {
        Error::invalid(
            what,
            format!("the database cannot be read; it is damaged ({e})"),
        )
    };
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(damaged)?;
    // A database left in WAL mode (header bytes 18 and 19 = 2) cannot be opened from memory; in
    // the copy handed to SQLite they say "rollback journal" (1). The WAL file is not part of an
    // export anyway.
    let wal = bytes.get(18..20) == Some(&[2, 2]);
    let reader: Box<dyn std::io::Read> = if wal {
        let (head, tail) = bytes.split_at(18);
        Box::new(std::io::Read::chain(
            std::io::Read::chain(head, &[1u8, 1][..]),
            tail.get(2..).unwrap_or(&[]),
        ))
    } else {
        Box::new(bytes)
    };
    conn.deserialize_read_exact(rusqlite::MAIN_DB, reader, bytes.len(), true)
        .map_err(damaged)?;
    // Reading every page once finds a truncated or bit-flipped file before any row is used.
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(damaged)?;
    if check != "ok" {
        return Err(Error::invalid(
            what,
            "the database is damaged (SQLite's integrity check fails)",
        ));
    }
    Ok(conn)
}

/// The column names of `table` (empty when there is no such table or the file is not a
/// database). For detection: never fails.
pub(super) fn columns(input: &Input, table: &str) -> Vec<String> {
    let Ok(conn) = open("database", input) else {
        return Vec::new();
    };
    let Ok(mut st) = conn.prepare("SELECT name FROM pragma_table_info(?1)") else {
        return Vec::new();
    };
    st.query_map([table], |r| r.get::<_, String>(0))
        .map(|rows| rows.filter_map(|r| r.ok()).collect())
        .unwrap_or_default()
}

/// Whether the database has `table` with every one of `wanted` columns.
pub(super) fn has_columns(input: &Input, table: &str, wanted: &[&str]) -> bool {
    if !is_sqlite(input) {
        return false;
    }
    let cols = columns(input, table);
    wanted.iter().all(|w| cols.iter().any(|c| c == w))
}

const COLUMNS: [&str; 4] = ["email", "secret", "counter", "type"];

impl Format for GoogleAuthenticatorDb {
    fn name(&self) -> &'static str {
        "google-authenticator-db"
    }
    fn app(&self) -> &'static str {
        "Google Authenticator"
    }
    fn title(&self) -> &'static str {
        "Google Authenticator app database (Android)"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        has_columns(input, "accounts", &COLUMNS).then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let what = self.title();
        let conn = open(what, input)?;
        let cols = columns(input, "accounts");
        let has_issuer = cols.iter().any(|c| c == "issuer");
        let sql = format!(
            "SELECT email, secret, counter, type, {} FROM accounts ORDER BY _id",
            if has_issuer { "issuer" } else { "NULL" }
        );
        let bad = |e: rusqlite::Error| Error::invalid(what, format!("the accounts table: {e}"));
        let mut st = conn.prepare(&sql).map_err(bad)?;
        let rows = st
            .query_map([], |r| {
                Ok(Row {
                    email: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    secret: zeroize::Zeroizing::new(
                        r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    ),
                    counter: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    kind: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                    issuer: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                })
            })
            .map_err(bad)?;
        let mut read = Read::default();
        for (i, row) in rows.enumerate() {
            let row = row.map_err(bad)?;
            let (issuer, username) = match row.email.split_once(':') {
                Some((i, n)) if row.issuer.is_empty() || row.issuer == i.trim() => {
                    (i.trim().to_owned(), n.trim().to_owned())
                }
                _ => (row.issuer.clone(), row.email.trim().to_owned()),
            };
            let problem = |reason: String| {
                let label = if issuer.is_empty() {
                    username.clone()
                } else {
                    format!("{issuer} / {username}")
                };
                format!("entry {} ({label}): {reason}", i + 1)
            };
            let kind = match row.kind {
                0 => OtpKind::Totp,
                1 => OtpKind::Hotp,
                k => {
                    read.problems
                        .push(problem(format!("unknown authenticator type {k}")));
                    continue;
                }
            };
            let parsed = match crate::otp::parse_secret(&row.secret) {
                Ok(p) => p,
                Err(e) => {
                    read.problems.push(problem(e.to_string()));
                    continue;
                }
            };
            let otp = Otp {
                kind,
                secret: SecretBytes::new(parsed.bytes),
                algorithm: Algorithm::Sha1,
                digits: 6,
                period: 30,
                counter: u64::try_from(row.counter).unwrap_or(0),
            };
            read.accounts.push(Imported {
                issuer,
                username,
                otp: Some(otp),
                warnings: parsed.warnings,
                ..Default::default()
            });
        }
        Ok(read)
    }
}

struct Row {
    email: String,
    secret: zeroize::Zeroizing<String>,
    counter: i64,
    kind: i64,
    issuer: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::otp::encode_secret;

    const FILE: &str = "aegis/importers/google_authenticator.sqlite";

    #[test]
    fn database_is_read() {
        // Aegis VaultEntries.java vectors 0..5; the GA database keeps no algorithm, digits or
        // period, so they are SHA-1/6/30 (Aegis DatabaseImporterTest adjusts the same way).
        let expected: [(&str, &str, &str, OtpKind, u64); 6] = [
            (
                "Deno",
                "Mason",
                "4SJHB4GSD43FZBAI7C2HLRJGPQ",
                OtpKind::Totp,
                0,
            ),
            (
                "SPDX",
                "James",
                "5OM4WOOGPLQEF6UGN3CPEOOLWU",
                OtpKind::Totp,
                0,
            ),
            (
                "Airbnb",
                "Elijah",
                "7ELGJSGXNCCTV3O6LKJWYFV2RA",
                OtpKind::Totp,
                0,
            ),
            (
                "Issuu",
                "James",
                "YOOMIXWS5GN6RTBPUFFWKTW5M4",
                OtpKind::Hotp,
                1,
            ),
            (
                "Air Canada",
                "Benjamin",
                "KUVJJOM753IHTNDSZVCNKL7GII",
                OtpKind::Hotp,
                50,
            ),
            (
                "WWE",
                "Mason",
                "5VAML3X35THCEBVRLV24CGBKOY",
                OtpKind::Hotp,
                10300,
            ),
        ];
        let f = crate::import::read(testdata::bytes(FILE), None, &FileKey::default()).unwrap();
        assert_eq!(f.format.name(), "google-authenticator-db");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.accounts.len(), 6);
        for (a, (issuer, name, secret, kind, counter)) in f.accounts.iter().zip(expected) {
            assert_eq!((a.issuer.as_str(), a.username.as_str()), (issuer, name));
            let otp = a.otp.as_ref().unwrap();
            assert_eq!(encode_secret(otp.secret.expose()), secret);
            assert_eq!(otp.kind, kind);
            assert_eq!(otp.algorithm, Algorithm::Sha1);
            assert_eq!((otp.digits, otp.period), (6, 30));
            if kind == OtpKind::Hotp {
                assert_eq!(otp.counter, counter);
            }
        }
    }

    #[test]
    fn other_databases_are_not_claimed() {
        let ms = Input::new(testdata::bytes(
            "aegis/importers/microsoft_authenticator.sqlite",
        ))
        .unwrap();
        assert!(GoogleAuthenticatorDb.detect(&ms).is_none());
        let stratum = Input::new(testdata::bytes("aegis/importers/stratum_internal.db")).unwrap();
        assert!(GoogleAuthenticatorDb.detect(&stratum).is_none());
    }

    #[test]
    fn damaged_database_is_refused() {
        let bytes = testdata::bytes(FILE);
        let cut = Input::new(bytes[..bytes.len() / 2].to_vec()).unwrap();
        let e = GoogleAuthenticatorDb
            .read(&cut, &FileKey::default())
            .err()
            .unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::BadInput);
        assert!(e.to_string().contains("damaged"), "{e}");
        // A flipped byte in a page's header.
        let mut flipped = bytes.clone();
        if let Some(b) = flipped.get_mut(4096) {
            *b ^= 0xff;
        }
        let i = Input::new(flipped).unwrap();
        if let Err(e) = GoogleAuthenticatorDb.read(&i, &FileKey::default()) {
            assert_eq!(e.kind(), crate::ErrorKind::BadInput, "{e}");
        }
        // Only the magic: not a database at all.
        let i = Input::new(SQLITE_MAGIC.to_vec()).unwrap();
        assert!(GoogleAuthenticatorDb.detect(&i).is_none());
        assert!(GoogleAuthenticatorDb.read(&i, &FileKey::default()).is_err());
    }
}
