//! The SQLite file: opening it safely, its pragmas, and the plain `meta` values.

use std::fs::OpenOptions;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};
use crate::migrate;

/// Format version of the crypto layout (slots, AAD, records). Independent of the schema version.
pub const FORMAT_VERSION: i64 = 1;
/// How long a second process waits for another's write to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// Opens an existing vault file, refusing anything that is not one.
pub fn open_existing(path: &Path) -> Result<Connection> {
    let mut conn = open_checked(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    configure(&conn)?;
    migrate::migrate(&mut conn)?;
    Ok(conn)
}

/// Opens a vault file (a backup) read-only: no pragma that writes, no migration, nothing
/// created beside it (a backup is written in rollback-journal mode).
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = open_checked(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.execute_batch("PRAGMA query_only=ON;")?;
    Ok(conn)
}

/// Opens `path` with `mode` and checks that it is a Keydeck vault this version can read.
fn open_checked(path: &Path, mode: OpenFlags) -> Result<Connection> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::VaultNotFound {
            path: path.to_owned(),
        },
        _ => Error::Io {
            path: path.to_owned(),
            source: e,
        },
    })?;
    if !meta.is_file() {
        return Err(not_a_vault(path, "not a regular file"));
    }
    if meta.len() == 0 {
        return Err(not_a_vault(path, "the file is empty"));
    }
    let conn = Connection::open_with_flags(path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| not_a_vault(path, &e.to_string()))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The first read of the header is where SQLite notices a file that is not a database.
    let version = migrate::schema_version(&conn).map_err(|e| match e {
        Error::Integrity { .. } => not_a_vault(path, "not an SQLite database"),
        other => other,
    })?;
    if version == 0 {
        return Err(not_a_vault(
            path,
            "an SQLite database without Keydeck's tables",
        ));
    }
    if version > migrate::SCHEMA_VERSION {
        return Err(Error::UnsupportedVersion {
            found: version,
            supported: migrate::SCHEMA_VERSION,
        });
    }
    let format: Option<i64> = conn
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|_| not_a_vault(path, "its meta table is unreadable"))?;
    match format {
        None => return Err(not_a_vault(path, "no format version in its meta table")),
        Some(f) if f > FORMAT_VERSION => {
            return Err(Error::UnsupportedVersion {
                found: f,
                supported: FORMAT_VERSION,
            })
        }
        Some(_) => {}
    }
    Ok(conn)
}

/// Creates a new, empty vault file (mode 0600) with the current schema. Fails if `path` exists.
pub fn create_new(path: &Path) -> Result<Connection> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // SQLite gives the -wal and -shm files the same mode as the database.
        opts.mode(0o600);
    }
    opts.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::VaultExists {
            path: path.to_owned(),
        },
        _ => Error::Io {
            path: path.to_owned(),
            source: e,
        },
    })?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure(&conn)?;
    migrate::migrate(&mut conn)?;
    Ok(conn)
}

/// WAL so readers never block the writer; `synchronous=FULL` so a commit is on disk before it
/// is acknowledged; `secure_delete` so removed rows are overwritten, not left in free pages.
fn configure(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Database(format!(
            "could not switch the vault to WAL mode (got {mode})"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
    )?;
    Ok(())
}

fn not_a_vault(path: &Path, reason: &str) -> Error {
    Error::NotAVault {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

pub fn meta_i64(conn: &Connection, key: &str) -> Result<i64> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .map_err(|_| Error::integrity(format!("vault header (meta '{key}')")))
}

pub fn vault_id(conn: &Connection) -> Result<[u8; 16]> {
    let v: Vec<u8> = conn
        .query_row("SELECT value FROM meta WHERE key = 'vault_id'", [], |r| {
            r.get(0)
        })
        .map_err(|_| Error::integrity("vault header (meta 'vault_id')"))?;
    v.try_into()
        .map_err(|_| Error::integrity("vault header (vault id is not 16 bytes)"))
}
