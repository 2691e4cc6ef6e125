// SPDX-License-Identifier: GPL-3.0-or-later
//! The folder that holds the vault file. Keydeck creates it readable by its owner only (0700),
//! as the CLI does. An existing folder is the user's and is left as it is, except Keydeck's own
//! default folder (`<data dir>/keydeck`), which earlier versions of the app created 0755: that one
//! is tightened to 0700 (it holds nothing but Keydeck's files).

use std::path::{Path, PathBuf};

/// Keydeck's own default folder for the vault, whatever `KEYDECK_VAULT` says.
fn default_folder() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("keydeck"))
}

/// Whether `dir` is Keydeck's own default folder.
pub fn is_ours(dir: &Path) -> bool {
    default_folder().is_some_and(|d| d == dir)
}

/// Makes `dir` (and missing parents) 0700 when it does not exist; tightens it to 0700 when it
/// exists and `ours` is true; leaves any other existing folder alone.
pub fn prepare(dir: &Path, ours: bool) -> std::io::Result<()> {
    if !dir.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        return b.create(dir);
    }
    if ours {
        tighten(dir)?;
    }
    Ok(())
}

/// At start: an existing default folder left 0755 by an earlier version becomes 0700.
pub fn tighten_default() {
    if let Some(dir) = default_folder().filter(|d| d.is_dir()) {
        if let Err(e) = tighten(&dir) {
            eprintln!(
                "note: Keydeck could not make {} private to you ({e})",
                dir.display()
            );
        }
    }
}

#[cfg(unix)]
fn tighten(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn a_new_folder_is_private_parents_included() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("a").join("keydeck");
        prepare(&dir, false).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&base.path().join("a")), 0o700);
    }

    #[test]
    fn an_existing_folder_is_left_alone_unless_it_is_ours() {
        let base = tempfile::tempdir().unwrap();
        let users = base.path().join("shared");
        std::fs::create_dir(&users).unwrap();
        std::fs::set_permissions(&users, std::fs::Permissions::from_mode(0o755)).unwrap();
        prepare(&users, false).unwrap();
        assert_eq!(
            mode(&users),
            0o755,
            "the user's folder is not changed silently"
        );
        prepare(&users, true).unwrap();
        assert_eq!(mode(&users), 0o700, "Keydeck's own folder is tightened");
    }
}
