//! Where the shared public test data lies: `KEYDECK_TESTDATA`, else `../shared/testdata` beside
//! the project. Tests read the files in place (they are never copied into the repository); a
//! missing folder fails the test by name, never skips it.

use std::path::PathBuf;

pub fn dir() -> PathBuf {
    let d = match std::env::var_os("KEYDECK_TESTDATA") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata"),
    };
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (set KEYDECK_TESTDATA to its folder)",
        d.display()
    );
    d
}

/// A file of the shared test data, which must exist.
pub fn path(rel: &str) -> PathBuf {
    let p = dir().join(rel);
    assert!(p.is_file(), "missing shared test data file {}", p.display());
    p
}

pub fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).expect("readable test data")
}
