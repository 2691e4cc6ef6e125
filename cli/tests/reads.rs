// SPDX-License-Identifier: GPL-3.0-or-later
//! Issue 12, CLI 13: `list`, `code` and `show` write nothing to the vault; the unlocks of write
//! commands share one log entry a day; `log --keep-days` sets the log's retention.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn keydeck(vault: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args(args)
        .env("KEYDECK_VAULT", vault)
        .env("KEYDECK_PASSWORD", "cli reads test password")
        .env("KEYDECK_BACKUP_MIN_INTERVAL", "0")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Bytes and modification time of the vault file and its -wal (absent: `None`).
fn file_state(vault: &Path) -> Vec<Option<(Vec<u8>, std::time::SystemTime)>> {
    ["", "-wal"]
        .iter()
        .map(|s| {
            let p = PathBuf::from(format!("{}{s}", vault.display()));
            let m = std::fs::metadata(&p).ok()?;
            Some((std::fs::read(&p).unwrap(), m.modified().unwrap()))
        })
        .collect()
}

#[test]
fn reads_leave_the_vault_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.sqlite");
    let floor = [
        "--kdf-memory",
        "19",
        "--kdf-iterations",
        "2",
        "--kdf-parallelism",
        "1",
    ];
    keydeck(&vault, &[&["init"][..], &floor].concat());
    keydeck(
        &vault,
        &[
            "add",
            "GitHub",
            "--issuer",
            "GitHub",
            "--secret",
            "JBSWY3DPEHPK3PXP",
        ],
    );
    keydeck(&vault, &["add", "Bank", "--username", "me"]);
    let before = file_state(&vault);
    let first = keydeck(&vault, &["code", "github", "--at", "59"]);
    assert_eq!(first.trim(), "996554");
    for _ in 0..100 {
        assert_eq!(keydeck(&vault, &["code", "github", "--at", "59"]), first);
    }
    keydeck(&vault, &["list"]);
    keydeck(&vault, &["show", "bank"]);
    keydeck(&vault, &["log"]);
    assert!(
        before == file_state(&vault),
        "a read command changed the vault file or its -wal"
    );

    // The two `add` unlocks are one entry with a count.
    let log: Value = serde_json::from_str(&keydeck(&vault, &["log", "--json"])).unwrap();
    let unlocks: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["what"] == "unlocked")
        .collect();
    assert_eq!(unlocks.len(), 1, "{log}");
    assert_eq!(unlocks[0]["count"], 2);
    assert!(unlocks[0]["detail"]
        .as_str()
        .unwrap()
        .contains("from the command line"));

    let set: Value =
        serde_json::from_str(&keydeck(&vault, &["log", "--keep-days", "30", "--json"])).unwrap();
    assert_eq!(set["keep_days"], 30);
    assert!(keydeck(&vault, &["log", "--keep-days", "1"]).contains("for 1 day;"));
}
