//! Every file of other apps in the shared test data, through `import::read` as a user would
//! give it: the format recognised from the content alone, the file's password where it has one.
//! Each file either imports (with the number of accounts its app's own tests expect) or is
//! refused with a reason — never a panic, never a silent empty import. The table printed by
//! `cargo test corpus -- --nocapture` is the "N of M" of the issue note.
//!
//! Passwords come from the upstream tests named beside each (Aegis DatabaseImporterTest.java,
//! Stratum.Test, KeePassXC's tests, proton-pass-common's password files).

use std::path::{Path, PathBuf};

use keydeck_core::import::{self, FileKey};
use keydeck_core::{ErrorKind, SecretBytes, SecretText};

/// What a file must give.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Want {
    /// Imports as this format with this many accounts (and no problems unless said).
    Ok(&'static str, usize),
    /// Imports, with some entries listed as problems (count of accounts, count of problems).
    OkWithProblems(&'static str, usize, usize),
    /// Refused with this kind of error (the message is printed in the table).
    Refused(ErrorKind),
}

/// (path under the test data, password, key file, what it must give)
type Case = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Want,
);

/// Files that are not exports of an app (documentation, expected values, key files, parts of
/// a folder format) and are not fed to the importer.
fn not_an_export(rel: &str) -> bool {
    rel.ends_with(".md")
        || rel.ends_with("/password")
        || rel.ends_with(".key")
        || rel.starts_with("aegis/expected/")
        || rel.starts_with("aegis/docs/")
        || rel.contains(".opvault/")
        || rel.ends_with("_expected.json")
        || rel.ends_with("google_migration_cases.json")
        || rel.starts_with("qr_images/")
        || rel.starts_with("rfc_vectors/")
        || rel.starts_with("otpauth_uri/")
        || rel.starts_with("2fa_directory/")
        || rel.ends_with("example_output.json")
        || rel.ends_with("example_output.csv")
        || rel.ends_with("url_list_output.txt")
        || rel.ends_with("encrypted_decrypted.txt")
}

const FOLDERS: [&str; 5] = [
    "aegis",
    "gnome_authenticator",
    "stratum_authenticatorpro",
    "more_imports",
    "google_migration",
];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn cases() -> Vec<Case> {
    crate::corpus_cases::CASES.to_vec()
}

#[test]
fn every_export_in_the_shared_test_data() {
    let root = crate::util::testdata_dir();
    let mut files = Vec::new();
    for f in FOLDERS {
        walk(&root.join(f), &mut files);
    }
    let table = cases();
    let mut passed = 0;
    let mut failed = Vec::new();
    let mut rows = Vec::new();
    let mut total = 0;
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if not_an_export(&rel) {
            continue;
        }
        total += 1;
        let case = table.iter().find(|c| c.0 == rel);
        let key = FileKey {
            password: case.and_then(|c| c.1).map(SecretText::new),
            keyfile: case
                .and_then(|c| c.2)
                .map(|k| SecretBytes::new(std::fs::read(root.join(k)).unwrap())),
        };
        let bytes = std::fs::read(path).unwrap();
        let got = import::read(bytes, None, &key);
        let (summary, ok) = match (&got, case.map(|c| c.3)) {
            (Ok(f), want) => {
                let s = format!(
                    "{} ({}): {} account(s), {} problem(s)",
                    f.format.name(),
                    if f.encrypted { "encrypted" } else { "plain" },
                    f.accounts.len(),
                    f.problems.len()
                );
                let ok = match want {
                    Some(Want::Ok(name, n)) => {
                        f.format.name() == name && f.accounts.len() == n && f.problems.is_empty()
                    }
                    Some(Want::OkWithProblems(name, n, p)) => {
                        f.format.name() == name && f.accounts.len() == n && f.problems.len() == p
                    }
                    _ => false,
                };
                (s, ok)
            }
            (Err(e), want) => {
                let s = format!("refused ({:?}): {e}", e.kind());
                let ok = matches!(want, Some(Want::Refused(k)) if k == e.kind())
                    && !e.to_string().is_empty();
                (s, ok)
            }
        };
        if ok {
            passed += 1;
        } else {
            failed.push(format!(
                "{rel}: want {:?}, got {summary}",
                case.map(|c| c.3)
            ));
        }
        rows.push(format!("{} {rel}: {summary}", if ok { "✓" } else { "✗" }));
    }
    println!("{}", rows.join("\n"));
    println!("corpus: {passed} of {total} files as expected");
    assert!(
        failed.is_empty(),
        "{} of {total} files not as expected:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
