//! Writing files that hold secrets (exports, QR images): created readable by the owner only,
//! never over an existing file, and synced before success is reported. Reading files a user
//! names (imports, images to scan, key files, notes, backups): regular files only, under a cap.

use std::io::{Read, Write};
use std::path::Path;

use crate::error::{Error, Result};

pub fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let io = |e| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    let mut f = o.open(path).map_err(io)?;
    f.write_all(data).map_err(io)?;
    f.sync_all().map_err(io)
}

/// `1.5 MiB`, `64 MiB`, `12 KiB`: a size as a person reads it.
fn human_size(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        format!("{} MiB", n.div_ceil(MIB))
    } else if n >= KIB {
        format!("{} KiB", n.div_ceil(KIB))
    } else {
        format!("{n} bytes")
    }
}

/// "<What> <path> cannot be read: <reason>." — `what` names the kind of file ("the import
/// file", "the image", "the key file"…).
fn refuse(path: &Path, what: &str, reason: &str) -> Error {
    Error::invalid(
        what,
        format!(
            "{} {} cannot be read: {reason}.",
            capitalised(what),
            path.display()
        ),
    )
}

/// `the image` → `The image`: a name put at the start of a sentence.
pub(crate) fn capitalised(what: &str) -> String {
    let mut c = what.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Checks, without reading a byte, that `path` is a regular file of at most `max` bytes; returns
/// its size. A directory, a device (`/dev/zero`, `/dev/random`), a FIFO or a socket is refused
/// with a sentence naming it: reading one would never end or would read without limit.
pub fn check_regular_file(path: &Path, max: u64, what: &str) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Io {
        path: path.to_owned(),
        source: e,
    })?;
    check_meta(path, &meta, max, what)
}

fn check_meta(path: &Path, meta: &std::fs::Metadata, max: u64, what: &str) -> Result<u64> {
    let ft = meta.file_type();
    if ft.is_dir() {
        return Err(refuse(path, what, "it is a folder, not a file"));
    }
    if !ft.is_file() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let kind = if ft.is_fifo() {
                "it is a pipe (FIFO), not a file"
            } else if ft.is_char_device() || ft.is_block_device() {
                "it is a device, not a file"
            } else if ft.is_socket() {
                "it is a socket, not a file"
            } else {
                "it is not a regular file"
            };
            return Err(refuse(path, what, kind));
        }
        #[cfg(not(unix))]
        return Err(refuse(path, what, "it is not a regular file"));
    }
    if meta.len() > max {
        return Err(refuse(
            path,
            what,
            &format!(
                "it is {}, and Keydeck reads at most {} for this",
                human_size(meta.len()),
                human_size(max)
            ),
        ));
    }
    Ok(meta.len())
}

/// Reads a file a user named, bounded: a regular file only (checked on the opened file, so a
/// swap between the check and the read changes nothing), at most `max` bytes (checked before
/// reading, and the read itself stops at `max + 1` in case the file grows meanwhile). `what`
/// names the kind of file in errors ("the import file", "the image", "the key file").
///
/// The bytes may be secret (an export, a key file): the caller keeps them in zeroizing memory.
pub fn read_bounded(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let io = |e| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    // A FIFO would block in open() until a writer comes: check the type first, then again on
    // the opened file.
    check_regular_file(path, max, what)?;
    let f = std::fs::File::open(path).map_err(io)?;
    let len = check_meta(path, &f.metadata().map_err(io)?, max, what)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    f.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(refuse(
            path,
            what,
            &format!("it grew past {} while being read", human_size(max)),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_devices_fifos_and_big_files() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_bounded(dir.path(), 100, "the import file").unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        let e = read_bounded(Path::new("/dev/zero"), 100, "the import file").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The import file /dev/zero cannot be read: it is a device, not a file."
        );
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2 * 1024 * 1024 + 1]).unwrap();
        let e = read_bounded(&big, 1024 * 1024, "the image").unwrap_err();
        assert!(
            e.to_string().ends_with(
                "cannot be read: it is 3 MiB, and Keydeck reads at most 1 MiB for this."
            ),
            "{e}"
        );
        let ok = dir.path().join("ok");
        std::fs::write(&ok, b"hello").unwrap();
        assert_eq!(read_bounded(&ok, 5, "the image").unwrap(), b"hello");
        assert!(read_bounded(&ok, 4, "the image").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let st = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(st.success());
        let e = read_bounded(&fifo, 100, "the import file").unwrap_err();
        assert!(e.to_string().contains("is a pipe (FIFO)"), "{e}");
    }
}
