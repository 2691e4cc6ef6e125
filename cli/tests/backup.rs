//! The backup contract of the CLI: `keydeck backup [--dir]`, `backup config|list|status`,
//! `keydeck restore FILE [--yes]`, and the automatic backup after every change command.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const PW: &str = "cli backup test password";

struct Env {
    dir: tempfile::TempDir,
    vault: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("data").join("vault.sqlite");
        let e = Env { dir, vault };
        e.ok(&[
            "init",
            "--kdf-memory",
            "19",
            "--kdf-iterations",
            "2",
            "--kdf-parallelism",
            "1",
        ]);
        e
    }

    fn backups(&self) -> PathBuf {
        self.vault.parent().unwrap().join("backups")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keydeck"));
        c.args(args)
            .env("KEYDECK_VAULT", &self.vault)
            .env("KEYDECK_PASSWORD", PW)
            .env_remove("KEYDECK_BACKUP_MIN_INTERVAL")
            .env_remove("KEYDECK_TEST_BACKUP_PAUSE_MS")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }

    fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = self
            .json(&["list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect();
        n.sort();
        n
    }

    fn listed(&self) -> Vec<String> {
        self.json(&["backup", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["path"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_change_makes_a_backup_at_most_once_a_minute() {
    let e = Env::new();
    assert!(e.listed().is_empty(), "init alone is no change");
    e.ok(&["add", "GitHub", "--username", "octo"]);
    let first = e.listed();
    assert_eq!(first.len(), 1, "the first change is backed up at once");
    assert!(!e.json(&["backup", "status"])["pending"].as_bool().unwrap());
    // Reading is not a change.
    e.ok(&["list"]);
    e.ok(&["show", "GitHub"]);
    assert_eq!(e.listed().len(), 1);
    // A second change within the minute waits (pending), without a warning.
    let o = e.run(&["add", "GitLab"]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    assert_eq!(e.listed().len(), 1);
    let st = e.json(&["backup", "status"]);
    assert!(st["pending"].as_bool().unwrap());
    assert_eq!(st["backups"], 1);
    assert_eq!(st["keep"], 10);
    assert_eq!(st["auto"], true);
    // Once the interval has passed (0 here), the next change is backed up.
    let o = e
        .cmd(&["rm", "GitLab"])
        .env("KEYDECK_BACKUP_MIN_INTERVAL", "0")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(e.listed().len(), 2);
    // Every kind of change counts: an HOTP code, recovery codes, passwd.
    for args in [
        vec![
            "add",
            "Counter",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--type",
            "hotp",
        ],
        vec!["code", "Counter"],
        vec!["recovery", "add", "Counter"],
    ] {
        let before = e.listed().len();
        let mut c = e.cmd(&args);
        c.env("KEYDECK_BACKUP_MIN_INTERVAL", "0");
        let o = if args[0] == "recovery" {
            c.stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = c.spawn().unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"aaaa-1111\nbbbb-2222\n")
                .unwrap();
            child.wait_with_output().unwrap()
        } else {
            c.output().unwrap()
        };
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(e.listed().len(), before + 1, "{args:?} made a backup");
    }
    // The backup opens with the master password and holds exactly the accounts.
    let newest = e.listed()[0].clone();
    let names = e.names();
    let o = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args(["--vault", &newest, "list", "--json"])
        .env("KEYDECK_PASSWORD", PW)
        .env_remove("KEYDECK_VAULT")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut in_backup: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    in_backup.sort();
    assert_eq!(in_backup, names);
}

#[test]
fn backup_now_config_and_pruning() {
    let e = Env::new();
    e.ok(&["add", "A"]);
    let cfg = e.json(&["backup", "config"]);
    assert_eq!(
        cfg["folder"].as_str().unwrap(),
        e.backups().to_str().unwrap()
    );
    assert_eq!(
        (cfg["keep"].as_u64(), cfg["auto"].as_bool()),
        (Some(10), Some(true))
    );
    let elsewhere = e.dir.path().join("elsewhere").join("kd");
    let cfg = e.json(&[
        "backup",
        "config",
        "--dir",
        elsewhere.to_str().unwrap(),
        "--keep",
        "2",
        "--auto",
        "off",
    ]);
    assert_eq!(cfg["keep"], 2);
    assert_eq!(cfg["auto"], false);
    assert!(elsewhere.is_dir());
    for _ in 0..4 {
        e.ok(&["backup"]);
    }
    let listed = e.listed();
    assert_eq!(listed.len(), 2, "pruned to keep 2");
    assert!(listed
        .iter()
        .all(|p| Path::new(p).parent() == Some(&elsewhere)));
    // Auto off: a change makes no backup.
    e.cmd(&["add", "B"])
        .env("KEYDECK_BACKUP_MIN_INTERVAL", "0")
        .output()
        .unwrap();
    assert_eq!(e.listed(), listed);
    // --dir: a one-off backup elsewhere.
    let once = e.dir.path().join("once");
    let made = e.json(&["backup", "--dir", once.to_str().unwrap()]);
    assert!(made["path"]
        .as_str()
        .unwrap()
        .starts_with(once.to_str().unwrap()));
    assert_eq!(
        files(&once)
            .iter()
            .filter(|f| f.ends_with(".sqlite"))
            .count(),
        1
    );
    // Out-of-range keep is refused.
    let o = e.run(&["backup", "config", "--keep", "0"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn restore_brings_back_the_backup_and_keeps_the_replaced_vault() {
    let e = Env::new();
    e.ok(&["add", "One"]);
    e.ok(&["add", "Two"]);
    let made = e.json(&["backup"]);
    let file = made["path"].as_str().unwrap().to_owned();
    e.ok(&["add", "Three"]);
    e.ok(&["rm", "One"]);
    let before = e.names();

    // Not on a terminal and no --yes: refused (exit 2), nothing replaced.
    let o = e.run(&["restore", &file]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"));
    assert_eq!(e.names(), before);

    // Wrong master password: exit 3, nothing replaced.
    let o = e
        .cmd(&["restore", &file, "--yes"])
        .env("KEYDECK_PASSWORD", "wrong")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(e.names(), before);
    let dir = e.vault.parent().unwrap();
    assert!(files(dir).iter().all(|f| !f.contains(".replaced-")));

    // Not a vault: exit 2.
    let junk = e.dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database at all, not even close").unwrap();
    let o = e.run(&["restore", junk.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    let out = e.ok(&["restore", &file, "--yes"]);
    assert!(out.contains("2 account(s)"), "{out}");
    assert_eq!(e.names(), vec!["One".to_owned(), "Two".to_owned()]);
    let replaced: Vec<String> = files(dir)
        .into_iter()
        .filter(|f| f.starts_with("vault.sqlite.replaced-"))
        .collect();
    assert_eq!(replaced.len(), 1);
    let o = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args(["list", "--json"])
        .env("KEYDECK_VAULT", dir.join(&replaced[0]))
        .env("KEYDECK_PASSWORD", PW)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), before.len());
}

#[test]
fn a_failing_backup_warns_and_keeps_the_change() {
    let e = Env::new();
    let usb = e.dir.path().join("usb");
    let folder = usb.join("backups");
    e.ok(&["backup", "config", "--dir", folder.to_str().unwrap()]);
    std::fs::remove_dir_all(&usb).unwrap();
    let o = e
        .cmd(&["add", "Kept"])
        .env("KEYDECK_BACKUP_MIN_INTERVAL", "0")
        .output()
        .unwrap();
    assert!(o.status.success(), "the change succeeds: {}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: the automatic backup failed"),
        "{err}"
    );
    assert!(!err.contains(PW));
    assert_eq!(e.names(), vec!["Kept".to_owned()]);
    assert!(!usb.exists(), "a missing drive's folder is not made");
    let st = e.json(&["backup", "status"]);
    assert!(st["last_error"].as_str().unwrap().contains("usb"), "{st}");
    assert!(st["pending"].as_bool().unwrap());
    // A backup by hand to that folder fails with exit 1 and a clear reason.
    let o = e.run(&["backup"]);
    assert_eq!(o.status.code(), Some(1));
    // The folder back: the next change is backed up and the error is cleared.
    std::fs::create_dir_all(&folder).unwrap();
    e.cmd(&["add", "Later"])
        .env("KEYDECK_BACKUP_MIN_INTERVAL", "0")
        .output()
        .unwrap();
    let st = e.json(&["backup", "status"]);
    assert!(st["last_error"].is_null(), "{st}");
    assert_eq!(st["backups"], 1);
}

#[test]
fn kill_9_during_a_backup_leaves_no_broken_backup() {
    let e = Env::new();
    // A vault of a few thousand accounts.
    let src = e.dir.path().join("many.txt");
    let lines: String = (0..3000)
        .map(|i| {
            format!("otpauth://totp/Service{i}:user{i}?secret=JBSWY3DPEHPK3PXP&issuer=Service{i}\n")
        })
        .collect();
    std::fs::write(&src, lines).unwrap();
    e.ok(&["backup", "config", "--auto", "off"]);
    e.ok(&["import", src.to_str().unwrap()]);
    assert!(e.listed().is_empty());

    let mut child = e
        .cmd(&["backup"])
        .env("KEYDECK_TEST_BACKUP_PAUSE_MS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the snapshot to be written (the hook then sleeps before the rename).
    let deadline = Instant::now() + Duration::from_secs(60);
    let partial = loop {
        let p: Vec<String> = files(&e.backups())
            .into_iter()
            .filter(|f| f.ends_with(".partial"))
            .collect();
        if let Some(f) = p.first() {
            let size = std::fs::metadata(e.backups().join(f))
                .map(|m| m.len())
                .unwrap_or(0);
            if size > 100_000 {
                break f.clone();
            }
        }
        assert!(Instant::now() < deadline, "no snapshot appeared");
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(e.backups().join(&partial).exists());
    assert!(e.listed().is_empty(), "a killed backup is not counted");
    assert_eq!(
        e.json(&["backup", "status"])["backups"],
        0,
        "nor in the status"
    );

    // The next backup cleans up and works; it holds every account.
    e.ok(&["backup"]);
    let listed = e.listed();
    assert_eq!(listed.len(), 1);
    assert!(files(&e.backups()).iter().all(|f| !f.ends_with(".partial")));
    let o = e.cmd(&["restore", &listed[0], "--yes"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(e.json(&["list"]).as_array().unwrap().len(), 3000);
}
