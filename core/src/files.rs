//! Files that hold secrets. Written (exports, QR images): created readable by the owner only,
//! never over an existing file, and synced before success is reported. Read (imports, images,
//! key files the user chose): regular files only, under a cap, checked before reading.

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

/// Reads a file the user chose (an import, an image to scan, a key file) with a cap: `what`
/// names it in errors ("the import file", "the image"). A folder, a device (`/dev/zero`), a
/// pipe or a socket is refused before anything is read or opened; a file over `max` bytes is
/// refused from its size, and one that grows while read stops at `max + 1` bytes.
pub fn read_bounded(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let io = |e| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    // `stat` first: opening a FIFO would block until a writer comes.
    check_regular_file(path, max, what)?;
    let f = std::fs::File::open(path).map_err(io)?;
    // Again on what was opened, in case the path was swapped in between.
    let len = check_regular(&f.metadata().map_err(io)?, max, what)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    f.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(too_big(what, bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// The length of a regular file of at most `max` bytes, from `stat` (nothing is opened): the
/// same checks as [`read_bounded`] for a file another library opens itself (a backup, which
/// SQLite opens).
pub fn check_regular_file(path: &Path, max: u64, what: &str) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Io {
        path: path.to_owned(),
        source: e,
    })?;
    check_regular(&meta, max, what)
}

/// A regular file of at most `max` bytes: its length.
fn check_regular(meta: &std::fs::Metadata, max: u64, what: &str) -> Result<u64> {
    if meta.is_dir() {
        return Err(Error::invalid(
            what,
            format!("{} is a folder. Choose a file.", capitalised(what)),
        ));
    }
    if !meta.is_file() {
        return Err(Error::invalid(
            what,
            format!(
                "{} is not a regular file (a device, pipe or socket). Choose a file.",
                capitalised(what)
            ),
        ));
    }
    if meta.len() > max {
        return Err(too_big(what, meta.len(), max));
    }
    Ok(meta.len())
}

fn too_big(what: &str, len: u64, max: u64) -> Error {
    let mib = |n: u64| n.div_ceil(1024 * 1024);
    Error::invalid(
        what,
        format!(
            "{} is {} MiB; Keydeck reads at most {} MiB here.",
            capitalised(what),
            mib(len),
            mib(max)
        ),
    )
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read_bounded(&p, 5, "the import file").unwrap(), b"hello");
    }

    #[test]
    fn refuses_a_file_over_the_cap_from_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.bin");
        std::fs::write(&p, vec![0u8; 2 * 1024 * 1024 + 1]).unwrap();
        let e = read_bounded(&p, 2 * 1024 * 1024, "the image").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The image is 3 MiB; Keydeck reads at most 2 MiB here."
        );
    }

    #[test]
    fn refuses_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_bounded(dir.path(), 1024, "the import file").unwrap_err();
        assert_eq!(e.to_string(), "The import file is a folder. Choose a file.");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_dev_zero_without_reading_it() {
        let t = std::time::Instant::now();
        let e = read_bounded(Path::new("/dev/zero"), u64::MAX, "the import file").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(t.elapsed() < std::time::Duration::from_secs(1));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_fifo_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&p).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine: nothing to test with
        }
        let e = read_bounded(&p, 1024, "the image").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }
}
