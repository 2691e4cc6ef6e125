//! Writing files that hold secrets (exports, QR images): created readable by the owner only,
//! never over an existing file, and synced before success is reported.

use std::io::Write;
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
