//! The CLI contract (README "CLI reference"): commands, JSON fields and exit codes, on real
//! vault files, each command a separate process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const PW: &str = "cli test master password";

struct Env {
    _dir: tempfile::TempDir,
    vault: PathBuf,
}

impl Env {
    /// A vault with cheap (floor) KDF parameters.
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("sub").join("vault.sqlite");
        let e = Env { _dir: dir, vault };
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

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keydeck"));
        c.args(args)
            .env("KEYDECK_VAULT", &self.vault)
            .env("KEYDECK_PASSWORD", PW)
            .env_remove("KEYDECK_NEW_PASSWORD")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn run_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        with_stdin(self.cmd(args), input)
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
}

/// Runs the command with `input` on its standard input.
fn with_stdin(mut c: Command, input: &[u8]) -> Output {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Exit code and the single stderr line.
fn failure(o: &Output) -> (i32, String) {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "one error line expected: {err}");
    (o.status.code().unwrap(), lines[0].to_owned())
}

#[test]
fn every_field_survives_restart() {
    let e = Env::new();
    let out = e
        .cmd(&[
            "add",
            "GitHub",
            "--issuer",
            "GitHub Inc",
            "--username",
            "octo",
            "--url",
            "https://github.com",
            "--notes",
            "one line",
            "--tag",
            "work",
            "--tag",
            "dev",
            "--password-env",
            "ACCOUNT_PW",
        ])
        .env("ACCOUNT_PW", "S3cret-Account-Pw!")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    e.run_stdin(&["recovery", "add", "github"], b"1111-aaaa\n2222-bbbb\n");
    e.run_stdin(&["edit", "github", "--notes-file", "-"], b"two\nlines");
    // Each call below is a new process: the data came back from the file.
    let v = e.json(&["show", "GitHub", "--reveal"]);
    assert_eq!(v["name"], "GitHub");
    assert_eq!(v["issuer"], "GitHub Inc");
    assert_eq!(v["username"], "octo");
    assert_eq!(v["url"], "https://github.com");
    assert_eq!(v["notes"], "two\nlines");
    assert_eq!(v["tags"], serde_json::json!(["work", "dev"]));
    assert_eq!(v["password"], "S3cret-Account-Pw!");
    assert_eq!(v["recovery"][0]["code"], "1111-aaaa");
    assert_eq!(v["recovery"][1]["used_at"], Value::Null);
    assert_eq!(v["otp"], Value::Null);

    // Without --reveal: no secret in show or list output, text or JSON.
    let masked = e.json(&["show", "github"]);
    assert!(masked.get("password").is_none() && masked.get("recovery").is_none());
    assert_eq!(masked["has_password"], true);
    assert_eq!(masked["recovery_unused"], 2);
    let text = e.ok(&["show", "github"]) + &e.ok(&["list"]) + &e.ok(&["list", "--json"]);
    for s in ["S3cret-Account-Pw!", "1111-aaaa", "2222-bbbb"] {
        assert!(!text.contains(s), "{s} leaked");
    }
    assert!(text.contains("Security level 4/5"), "{text}");
}

#[test]
fn list_search_tag_and_edit_rm() {
    let e = Env::new();
    e.ok(&[
        "add",
        "GitHub",
        "--username",
        "octo",
        "--tag",
        "work",
        "--generate-password",
    ]);
    e.ok(&[
        "add",
        "Bank",
        "--username",
        "jane",
        "--generate-password",
        "32",
        "--no-symbols",
    ]);
    let all = e.json(&["list"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["name"], "Bank");
    assert_eq!(
        e.json(&["list", "--tag", "WORK"]).as_array().unwrap().len(),
        1
    );
    assert_eq!(e.json(&["list", "--search", "jan"])[0]["name"], "Bank");
    let bank = e.json(&["show", "bank", "--reveal"]);
    let pw = bank["password"].as_str().unwrap();
    assert_eq!(pw.len(), 32);
    assert!(pw.chars().all(|c| c.is_ascii_alphanumeric()));

    e.ok(&[
        "edit",
        "bank",
        "--name",
        "My Bank",
        "--clear-tags",
        "--generate-password",
    ]);
    let b = e.json(&["show", "my bank", "--reveal"]);
    assert_eq!(b["password_history"][0]["password"], pw);
    let id = b["id"].as_str().unwrap().to_owned();
    e.ok(&["rm", &id[..8]]);
    assert_eq!(e.json(&["list"]).as_array().unwrap().len(), 1);
    let log = e.json(&["log"]);
    let whats: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["what"].as_str().unwrap())
        .collect();
    for w in [
        "vault_created",
        "unlocked",
        "account_added",
        "password_rotated",
        "account_removed",
    ] {
        assert!(whats.contains(&w), "{w}: {whats:?}");
    }
    assert!(e.ok(&["log"]).contains("account removed"));
}

#[test]
fn recovery_codes_each_used_once() {
    let e = Env::new();
    e.ok(&["add", "Google", "--username", "me"]);
    let out = e.run_stdin(
        &["recovery", "add", "google"],
        b"SAVE YOUR BACKUP CODES\n1. 8312 7790    2. 2405 3512\n3. 1111 2222\n",
    );
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Added 3 recovery codes"), "{stdout}");
    // Masked means no characters at all: position and state only, in text and JSON.
    let list = e.json(&["recovery", "list", "google"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["position"], 1);
    assert_eq!(list[0]["state"], "unused");
    assert!(list[0].get("code").is_none(), "{list}");
    let text = e.ok(&["recovery", "list", "google"]);
    for digits in ["8312", "7790", "2405", "3512", "1111", "2222"] {
        assert!(!text.contains(digits), "{digits} in {text}");
    }
    assert!(text.contains("  1. unused"), "{text}");
    assert_eq!(
        e.json(&["recovery", "list", "google", "--reveal"])[0]["code"],
        "8312 7790"
    );
    let used = e.json(&["recovery", "use", "google", "83127790"]);
    assert_eq!(used["remaining"], 2);
    let (code, msg) = failure(&e.run(&["recovery", "use", "google", "8312-7790"]));
    assert_eq!(code, 2);
    assert!(msg.contains("already used"), "{msg}");
    let (code, msg) = failure(&e.run(&["recovery", "use", "google", "0000 0000"]));
    assert_eq!(code, 2);
    assert!(!msg.contains("0000"), "{msg}");
    let list = e.json(&["recovery", "list", "google"]);
    let used: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["used_at"].is_null())
        .collect();
    assert_eq!(used.len(), 1);
    assert_eq!(used[0]["state"], "used");
    let text = e.ok(&["recovery", "list", "google"]);
    assert!(text.contains("  1. used "), "{text}");
    assert!(text.contains("1 used"), "{text}");
}

#[test]
fn passwords_from_stdin_and_passwd() {
    let e = Env::new();
    e.ok(&["add", "X"]);
    // --password-stdin: the first line is the master password, the rest is the command's input.
    let out = e
        .cmd(&["--password-stdin", "recovery", "add", "x"])
        .env_remove("KEYDECK_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(format!("{PW}\nqqqq-1234\n").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let o = e
        .cmd(&["passwd", "--kdf-memory", "19", "--kdf-iterations", "2"])
        .env("KEYDECK_NEW_PASSWORD", "brand new")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (code, msg) = failure(&e.run(&["list"]));
    assert_eq!(
        (code, msg.as_str()),
        (3, "error: That password is not correct.")
    );
    let o = e
        .cmd(&["list"])
        .env("KEYDECK_PASSWORD", "brand new")
        .output()
        .unwrap();
    assert!(o.status.success());

    // No password at all, no terminal: a clear error, exit 2.
    let (code, msg) = failure(
        &e.cmd(&["list"])
            .env_remove("KEYDECK_PASSWORD")
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2);
    assert!(msg.contains("KEYDECK_PASSWORD"), "{msg}");
}

#[test]
fn bad_input_exit_codes() {
    let e = Env::new();
    e.ok(&["add", "Google", "--username", "a"]);
    e.ok(&["add", "Google", "--username", "b"]);

    let (code, msg) = failure(&e.run(&["add", " "]));
    assert_eq!(
        (code, msg.as_str()),
        (
            2,
            "error: Give the account a name, for example the service: “GitHub”."
        )
    );
    let big = "n".repeat(1 << 20);
    let (code, msg) = failure(&e.run_stdin(&["add", "Big", "--notes-file", "-"], big.as_bytes()));
    assert_eq!(code, 2);
    assert!(msg.contains("The notes are too long"), "{msg}");
    let (code, msg) = failure(&e.run(&["show", "google"]));
    assert_eq!(code, 2);
    assert!(
        msg.contains("matches 2 accounts")
            && msg.contains("Google (a)")
            && msg.contains("Google (b)"),
        "{msg}"
    );
    let (code, _) = failure(&e.run(&["show", "nothing"]));
    assert_eq!(code, 2);
    let (code, msg) = failure(&e.run_stdin(&["recovery", "add", "nothing"], b"x"));
    assert_eq!(code, 2, "{msg}");

    // Invalid UTF-8 on stdin.
    let id = e.json(&["list"])[0]["id"].as_str().unwrap().to_owned();
    let (code, msg) = failure(&e.run_stdin(&["recovery", "add", &id], b"abcd-1234\n\xff\xfe\n"));
    assert_eq!(code, 2);
    assert!(msg.contains("stdin: not valid UTF-8"), "{msg}");

    // Usage errors are one line too.
    let (code, msg) = failure(&e.run(&["add"]));
    assert_eq!(code, 2);
    assert!(msg.contains("keydeck --help"), "{msg}");
    let (code, _) = failure(&e.run(&["frobnicate"]));
    assert_eq!(code, 2);

    // Wrong password.
    let (code, msg) = failure(
        &e.cmd(&["list"])
            .env("KEYDECK_PASSWORD", "nope")
            .output()
            .unwrap(),
    );
    assert_eq!(
        (code, msg.as_str()),
        (3, "error: That password is not correct.")
    );

    // init over an existing vault.
    let (code, msg) = failure(&e.run(&["init"]));
    assert_eq!(code, 2);
    assert!(msg.contains("already exists"), "{msg}");
    // Too weak a KDF for a new vault is refused as an integrity-class error (4).
    let d = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args(["init", "--kdf-memory", "8"])
        .env("KEYDECK_VAULT", d.path().join("v"))
        .env("KEYDECK_PASSWORD", PW)
        .output()
        .unwrap();
    assert_eq!(failure(&o).0, 4);
}

#[test]
fn vault_file_problems() {
    let d = tempfile::tempdir().unwrap();
    let run = |vault: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_keydeck"))
            .arg("list")
            .env("KEYDECK_VAULT", vault)
            .env("KEYDECK_PASSWORD", PW)
            .output()
            .unwrap()
    };
    let (code, msg) = failure(&run(&d.path().join("missing.sqlite")));
    assert_eq!(code, 2);
    assert!(
        msg.contains("no vault at") && msg.contains("keydeck init"),
        "{msg}"
    );

    let junk = d.path().join("junk.sqlite");
    std::fs::write(&junk, vec![b'x'; 8192]).unwrap();
    let (code, msg) = failure(&run(&junk));
    assert_eq!(code, 2);
    assert!(
        msg.contains("is not a Keydeck vault (not an SQLite database"),
        "{msg}"
    );

    let e = Env::new();
    e.ok(&["add", "A"]);
    let c = rusqlite_free_sql(&e.vault, "PRAGMA user_version = 7;");
    assert!(c, "sqlite3 CLI or python3 needed to edit the header");
    let (code, msg) = failure(&e.run(&["list"]));
    assert_eq!(code, 1);
    assert!(msg.contains("saved by a newer Keydeck"), "{msg}");
}

#[test]
fn damaged_items_exit_4_and_the_rest_still_reads() {
    let e = Env::new();
    e.ok(&["add", "Alpha"]);
    e.ok(&["add", "Beta"]);
    let alpha = e.json(&["show", "alpha"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let hex: String = uuid_hex(&alpha);
    assert!(rusqlite_free_sql(
        &e.vault,
        &format!("UPDATE items SET ciphertext = zeroblob(length(ciphertext)) WHERE id = x'{hex}';")
    ));
    let o = e.run(&["list", "--json"]);
    assert_eq!(o.status.code(), Some(4));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "Beta is still listed");
    assert!(String::from_utf8_lossy(&o.stderr).contains(&alpha));
    let (code, msg) = failure(&e.run(&["show", &alpha]));
    assert_eq!(code, 4);
    assert!(
        msg.contains("failed its integrity check") && msg.contains(&alpha),
        "{msg}"
    );
    assert!(e.ok(&["show", "beta"]).contains("Beta"));
    assert_eq!(e.run(&["check"]).status.code(), Some(4));
}

fn uuid_hex(id: &str) -> String {
    id.replace('-', "")
}

/// Edits the file with Python's sqlite3 (the test crate has no SQLite of its own).
fn rusqlite_free_sql(path: &std::path::Path, sql: &str) -> bool {
    let script = "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()\nc.close()\n";
    Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .arg(sql)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn authenticator_codes() {
    let e = Env::new();
    // A secret pasted the way sites show it: spaces, lower case.
    let out = e.ok(&[
        "add",
        "GitHub",
        "--username",
        "octo",
        "--secret",
        "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
    ]);
    assert!(out.contains("Authenticator saved. Current code"), "{out}");
    let c = e.json(&["code", "github", "--at", "59"]);
    assert_eq!(c["code"], "287082");
    assert_eq!(c["next"], "359152");
    assert_eq!(
        (c["remaining"].as_u64(), c["period"].as_u64()),
        (Some(1), Some(30))
    );
    assert_eq!(
        e.ok(&["code", "github", "--at", "1111111109"]).trim(),
        "081804"
    );

    // A URI fills issuer and username; 8 digits SHA256.
    e.ok(&["add", "Work", "--uri", "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&algorithm=SHA256&digits=8&issuer=ACME"]);
    let w = e.json(&["show", "acme"]);
    assert_eq!(
        (w["issuer"].as_str(), w["username"].as_str()),
        (Some("ACME"), Some("alice"))
    );
    assert_eq!(e.json(&["code", "acme", "--at", "59"])["code"], "46119246");
    let uri = e.json(&["show", "acme", "--reveal"])["otp"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        uri.starts_with("otpauth://totp/ACME:alice?secret=GEZDGNBV"),
        "{uri}"
    );

    // HOTP: each `code` uses the next counter, durably.
    e.ok(&[
        "add",
        "Bank",
        "--secret",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "--type",
        "hotp",
    ]);
    assert_eq!(e.ok(&["code", "bank"]).trim(), "755224");
    assert_eq!(e.json(&["code", "bank"])["code"], "287082");
    assert_eq!(e.json(&["code", "bank"])["counter"], 2);

    // Without a vault.
    let o = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args([
            "code",
            "--secret",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "--digits",
            "8",
            "--at",
            "59",
        ])
        .env("KEYDECK_VAULT", "/nonexistent/nowhere.sqlite")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "94287082");
    let o = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args([
            "code",
            "--uri",
            "otpauth://totp/x?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&encoder=steam",
            "--at",
            "90",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "JG3T3");

    // Bad keys name the problem; short keys warn.
    let (code, msg) = failure(&e.run(&["edit", "github", "--secret", "ABCD1FGH"]));
    assert_eq!(code, 2);
    assert!(
        msg.contains("should contain only the letters A–Z and digits 2–7, but character 5 is '1'"),
        "{msg}"
    );
    let o = e.run(&["edit", "github", "--secret", "ABCDEFG"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("only 32 bits"));
    let (code, _) = failure(&e.run(&["code", "github", "--secret", "ABCDEFGH"]));
    assert_eq!(code, 2);

    // Turn MFA off.
    e.ok(&["edit", "github", "--no-mfa"]);
    let (code, msg) = failure(&e.run(&["code", "github"]));
    assert_eq!(code, 2);
    assert!(msg.contains("has no authenticator"), "{msg}");
}

#[test]
fn import_export_round_trip() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("uris.txt");
    std::fs::write(
        &src,
        "# exported by hand\n\
         otpauth://totp/ACME%20Co:john@example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co\n\
         \n\
         otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air+Canada&algorithm=SHA256&digits=7&counter=50\n\
         otpauth://totp/Steam:gabe?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&encoder=steam\n",
    )
    .unwrap();
    let dry = e.json(&["import", src.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry["added"].as_array().unwrap().len(), 3);
    assert!(
        e.json(&["list"]).as_array().unwrap().is_empty(),
        "dry run changes nothing"
    );
    let r = e.json(&["import", src.to_str().unwrap()]);
    assert_eq!(r["ids"].as_array().unwrap().len(), 3);
    let again = e.json(&["import", src.to_str().unwrap()]);
    assert_eq!(
        (
            again["added"].as_array().unwrap().len(),
            again["duplicates"].as_array().unwrap().len()
        ),
        (0, 3)
    );
    assert_eq!(
        e.json(&["code", "acme co", "--at", "1697590260"])["code"],
        "064946"
    );

    // A file with a bad line is refused whole.
    let bad = dir.path().join("bad.txt");
    std::fs::write(
        &bad,
        "otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\notpauth://totp/B?digits=7\n",
    )
    .unwrap();
    let (code, msg) = failure(&e.run(&["import", bad.to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(
        msg.contains("nothing imported") && msg.contains("line 2"),
        "{msg}"
    );

    // Export both ways; Google's format cannot hold Steam or 7 digits and says so.
    let out = dir.path().join("out.txt");
    e.ok(&[
        "export",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "otpauth",
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let g = dir.path().join("google.txt");
    let o = e.run(&[
        "export",
        "--out",
        g.to_str().unwrap(),
        "--format",
        "google-migration",
    ]);
    assert!(o.status.success());
    let warn = String::from_utf8_lossy(&o.stderr);
    assert!(
        warn.contains("Steam Guard codes cannot be expressed") && warn.contains("7 digits"),
        "{warn}"
    );
    let gtext = std::fs::read_to_string(&g).unwrap();
    assert!(gtext.starts_with("otpauth-migration://offline?data="));

    // Into a fresh vault: the otpauth export brings back all three, with working codes.
    let e2 = Env::new();
    e2.ok(&["import", out.to_str().unwrap()]);
    assert_eq!(e2.json(&["list"]).as_array().unwrap().len(), 3);
    assert_eq!(
        e2.json(&["code", "acme co", "--at", "1697590289"])["code"],
        "064946"
    );
    assert_eq!(e2.json(&["code", "steam", "--at", "90"])["code"], "JG3T3");
    // And the Google export brings back the one it could hold.
    let e3 = Env::new();
    e3.ok(&["import", g.to_str().unwrap()]);
    assert_eq!(e3.json(&["list"]).as_array().unwrap().len(), 1);
    // Exports refuse to overwrite a file.
    let (code, _) = failure(&e.run(&[
        "export",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "otpauth",
    ]));
    assert_eq!(code, 1);
}

#[test]
fn google_authenticator_exports_from_extract_otp_secrets() {
    let e = Env::new();
    let fixtures = std::path::PathBuf::from(testdata("google_migration/extract_otp_secrets"));
    let r = e.json(&[
        "import",
        fixtures.join("example_export.txt").to_str().unwrap(),
    ]);
    // Six entries, two of them exact repeats (same secret, type, issuer and name).
    assert_eq!(r["added"].as_array().unwrap().len(), 4, "{r}");
    assert_eq!(r["duplicates"].as_array().unwrap().len(), 2, "{r}");
    let list = e.json(&["list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // Without an issuer field, Google's name is kept whole (its prefix may be part of it).
    assert!(names.contains(&"encoding: ¿äÄéÉ? (demo)"), "{names:?}");
    // extract_otp_secrets' own expected output: the same secret, so the same code.
    let c = e.json(&["code", "encoding: ¿äÄéÉ? (demo)", "--at", "1697590260"]);
    let again = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args([
            "code",
            "--secret",
            "7KSQL2JTUDIS5EF65KLMRQIIGY",
            "--at",
            "1697590260",
        ])
        .output()
        .unwrap();
    assert_eq!(
        c["code"].as_str().unwrap(),
        String::from_utf8_lossy(&again.stdout).trim()
    );
    let (code, _) = failure(
        &e.run(&[
            "import",
            fixtures
                .join("test_export_wrong_data.txt")
                .to_str()
                .unwrap(),
        ]),
    );
    assert_eq!(code, 2);
    let (code, _) = failure(&e.run(&["import", fixtures.join("empty_file.txt").to_str().unwrap()]));
    assert_eq!(code, 2);
}

/// A file of the shared public test data (`KEYDECK_TESTDATA`, else `../shared/testdata` beside
/// the project), read in place; missing, the test fails by name.
fn testdata(rel: &str) -> String {
    let dir = match std::env::var_os("KEYDECK_TESTDATA") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata"),
    };
    assert!(
        dir.is_dir(),
        "the shared test data is missing: {} (set KEYDECK_TESTDATA to its folder)",
        dir.display()
    );
    let p = dir.join(rel);
    assert!(p.exists(), "missing shared test data {}", p.display());
    p.to_string_lossy().into_owned()
}

/// Keydeck's own fixtures (tests/fixtures: screenshots, vaults, vectors).
fn fixture(rel: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn scan_images_and_add() {
    let e = Env::new();
    let shots = [
        fixture("screenshots/light_1x_1920x1080_single.png"),
        fixture("screenshots/multi_migration_light_2x_2560x1440_3codes.png"),
        testdata("qr_images/rqrr_images/github.gif"),
    ];
    let args: Vec<&str> = ["scan"]
        .into_iter()
        .chain(shots.iter().map(String::as_str))
        .collect();
    let v = e.json(&args[..args.len()]);
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 5, "1 + 3 + 1 codes");
    let other = items.iter().find(|i| i["kind"] == "other").unwrap();
    assert_eq!(other["text"], "https://github.com/WanzenBug/rqrr");
    assert_eq!(other["problem"], "not an authenticator QR code");
    // Secrets are masked unless --reveal.
    let first = &items[0];
    assert_eq!(first["kind"], "otpauth");
    assert!(
        first["text"].as_str().unwrap().contains("secret=••••••••"),
        "{first}"
    );
    assert!(first["accounts"][0].get("secret").is_none());
    let revealed = e.json(&["scan", &shots[0], "--reveal"]);
    assert!(!revealed[0]["text"].as_str().unwrap().contains('•'));
    assert!(revealed[0]["accounts"][0]["secret"].as_str().unwrap().len() >= 16);

    // --add: the otpauth code and the whole three-part Google export (8 accounts).
    let o = e.run(&["scan", &shots[0], &shots[1], "--add"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(e.json(&["list"]).as_array().unwrap().len(), 9);
    // Scanning again adds nothing twice.
    let o = e.run(&["scan", &shots[0], "--add"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("Added 0 account(s); 1 already"));

    // No code: exit 1 and a message; not an image: exit 2, naming the file.
    let o = e.run(&["scan", &fixture("screenshots/none_light_1x_1920x1080.png")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no QR code found"));
    let (code, msg) = failure(&e.run(&[
        "scan",
        &testdata("google_migration/extract_otp_secrets/images/text_masquerading_as_image.jpeg"),
    ]));
    assert_eq!(code, 2);
    assert!(msg.contains("not an image Keydeck can read"), "{msg}");
}

#[test]
fn qr_out_round_trips_through_scan() {
    let e = Env::new();
    e.ok(&["add", "Bank", "--username", "jane", "--uri", "otpauth://hotp/Bank:jane?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank&counter=7&digits=8&algorithm=SHA256"]);
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("bank.png");
    let o = e.run(&["qr", "bank", "--out", png.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let back = e.json(&["scan", png.to_str().unwrap(), "--reveal"]);
    let uri = e.json(&["show", "bank", "--reveal"])["otp"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(back[0]["text"], uri);
    assert_eq!(back[0]["accounts"][0]["counter"], 7);
    assert_eq!(back[0]["accounts"][0]["digits"], 8);
    let svg = dir.path().join("bank.svg");
    e.ok(&["qr", "bank", "--out", svg.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let (code, _) = failure(&e.run(&["qr", "bank", "--out", png.to_str().unwrap()]));
    assert_eq!(code, 1, "never overwrites");
}

/// Issue 10's CLI contract: another app's encrypted file in (recognised from its content, the
/// password from a variable, exit 3 when wrong or missing), the dry-run JSON, `--formats`, and
/// encrypted exports that come back whole.
#[test]
fn imports_from_other_apps_and_encrypted_exports() {
    let e = Env::new();
    // Aegis's own encrypted test file (DatabaseImporterTest.java: password "test").
    let aegis = testdata("aegis/importers/aegis_encrypted.json");
    let o = e.run(&["import", &aegis]);
    let (code, msg) = failure(&o);
    assert_eq!(code, 3, "{msg}");
    assert!(msg.contains("is protected by a password"), "{msg}");
    let o = e
        .cmd(&["import", &aegis, "--file-password-env", "FILE_PW"])
        .env("FILE_PW", "wrong")
        .output()
        .unwrap();
    let (code, msg) = failure(&o);
    assert_eq!(code, 3, "{msg}");
    assert!(
        msg.contains("That password does not open this Aegis backup"),
        "{msg}"
    );
    assert!(e.json(&["list"]).as_array().unwrap().is_empty());

    let o = e
        .cmd(&[
            "import",
            &aegis,
            "--file-password-env",
            "FILE_PW",
            "--dry-run",
            "--json",
            "--reveal",
        ])
        .env("FILE_PW", "test")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dry: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(dry["format"], "aegis");
    assert_eq!(dry["to_add"].as_array().unwrap().len(), 7);
    assert!(dry["problems"].as_array().unwrap().is_empty());
    let deno = dry["to_add"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["issuer"] == "Deno")
        .unwrap();
    // Aegis VaultEntries.java: Deno / Mason, 4SJHB4GSD43FZBAI7C2HLRJGPQ, SHA1, 6 digits, 30 s.
    assert_eq!(deno["username"], "Mason");
    assert!(
        deno["otp"]
            .as_str()
            .unwrap()
            .contains("secret=4SJHB4GSD43FZBAI7C2HLRJGPQ"),
        "{deno}"
    );
    assert!(e.json(&["list"]).as_array().unwrap().is_empty(), "dry run");
    let o = e
        .cmd(&["import", &aegis, "--file-password-env", "FILE_PW", "--json"])
        .env("FILE_PW", "test")
        .output()
        .unwrap();
    assert!(o.status.success());
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["ids"].as_array().unwrap().len(), 7);
    // The code of an imported account is Aegis's vector's (aegis_importer_expected.json).
    assert_eq!(
        e.json(&["code", "Deno", "--at", "1234567890"])["code"],
        "001580"
    );

    // --formats lists every format with its app.
    let formats = e.json(&["import", "--formats"]);
    let names: Vec<&str> = formats
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for n in [
        "aegis",
        "2fas",
        "andotp",
        "kdbx",
        "bitwarden",
        "1pux",
        "proton-pass",
        "otpauth",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }

    // An unknown file lists what Keydeck reads (exit 2).
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, b"\x00\x01 not an export").unwrap();
    let (code, msg) = failure(&e.run(&["import", junk.to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(msg.contains("Aegis") && msg.contains("KeePass"), "{msg}");

    // Export: the default is an encrypted Aegis vault, which needs a password for the file.
    let out = dir.path().join("out.json");
    let (code, msg) = failure(&e.run(&["export", "--out", out.to_str().unwrap()]));
    assert_eq!(code, 2, "{msg}");
    assert!(msg.contains("--file-password-env"), "{msg}");
    for (format, file) in [("aegis-encrypted", "a.json"), ("kdbx", "a.kdbx")] {
        let path = dir.path().join(file);
        let o = e
            .cmd(&[
                "export",
                "--out",
                path.to_str().unwrap(),
                "--format",
                format,
                "--file-password-env",
                "OUT_PW",
            ])
            .env("OUT_PW", "export pass")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stderr).contains("Wrote 7 account(s)"));
        // Into a fresh vault: the same seven, with the same codes.
        let e2 = Env::new();
        let o = e2
            .cmd(&[
                "import",
                path.to_str().unwrap(),
                "--file-password-env",
                "OUT_PW",
            ])
            .env("OUT_PW", "export pass")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(e2.json(&["list"]).as_array().unwrap().len(), 7, "{format}");
        assert_eq!(
            e2.json(&["code", "Deno", "--at", "1234567890"])["code"],
            "001580",
            "{format}"
        );
    }
    // The emergency kit is a PDF (its QR codes are scanned back in core's tests).
    let pdf = dir.path().join("kit.pdf");
    e.ok(&["export", "--out", pdf.to_str().unwrap(), "--format", "pdf"]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}

/// The string `key` of every object in a JSON array.
fn field_of_each(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn rm_moves_to_the_trash_and_trash_commands_undo_or_delete() {
    let e = Env::new();
    e.ok(&[
        "add",
        "GitHub",
        "--username",
        "octo",
        "--secret",
        "JBSWY3DPEHPK3PXP",
    ]);
    e.ok(&["add", "Bank", "--username", "jane"]);
    e.ok(&["add", "Mail"]);
    let code = e.json(&["code", "github", "--at", "59"])["code"].clone();
    let said = e.ok(&["rm", "GitHub"]);
    assert!(
        said.starts_with("Moved GitHub (octo) to the Trash."),
        "{said}"
    );
    assert_eq!(
        field_of_each(&e.json(&["list"]), "name"),
        vec!["Bank", "Mail"]
    );
    // Gone from every command that names an account, with exit 2.
    let (code_rc, _) = failure(&e.run(&["code", "github"]));
    assert_eq!(code_rc, 2);

    let trash = e.json(&["trash", "list"]);
    assert_eq!(trash.as_array().unwrap().len(), 1);
    assert_eq!(trash[0]["name"], "GitHub");
    let at = trash[0]["deleted_at"].as_i64().unwrap();
    assert_eq!(trash[0]["purge_at"].as_i64().unwrap(), at + 30 * 86_400);
    assert!(e.ok(&["trash", "list"]).contains("GitHub"));

    let r = e.json(&["trash", "restore", "github"]);
    assert_eq!(r["name"], "GitHub (octo)");
    assert_eq!(e.json(&["code", "github", "--at", "59"])["code"], code);
    assert_eq!(e.ok(&["trash", "list"]).trim(), "The Trash is empty.");

    // Delete forever: refused without --yes off a terminal, nothing changed.
    e.ok(&["rm", "Bank"]);
    e.ok(&["rm", "Mail"]);
    let (rc, msg) = failure(&e.run(&["trash", "purge", "bank"]));
    assert_eq!(rc, 2);
    assert!(msg.contains("--yes"), "{msg}");
    let (rc, _) = failure(&e.run(&["trash", "empty"]));
    assert_eq!(rc, 2);
    assert_eq!(e.json(&["trash", "list"]).as_array().unwrap().len(), 2);
    assert_eq!(
        e.ok(&["trash", "purge", "bank", "--yes"]).trim(),
        "Deleted Bank (jane) forever"
    );
    let (rc, _) = failure(&e.run(&["trash", "restore", "bank"]));
    assert_eq!(rc, 2, "deleted forever is gone");
    assert_eq!(e.json(&["trash", "empty", "--yes"])["deleted"], 1);
    assert_eq!(
        e.ok(&["trash", "empty", "--yes"]).trim(),
        "The Trash is already empty."
    );
    let whats = field_of_each(&e.json(&["log"]), "what");
    for w in ["account_removed", "account_restored", "account_deleted"] {
        assert!(whats.iter().any(|x| x == w), "{w}: {whats:?}");
    }
}

#[test]
fn favourite_on_and_off() {
    let e = Env::new();
    e.ok(&["add", "GitHub"]);
    assert_eq!(e.json(&["list"])[0]["favourite"], false);
    assert_eq!(
        e.ok(&["favourite", "github"]).trim(),
        "Added GitHub to favourites"
    );
    assert_eq!(e.json(&["list"])[0]["favourite"], true);
    assert_eq!(
        e.ok(&["favourite", "github"]).trim(),
        "GitHub is already in favourites"
    );
    let off = e.json(&["favourite", "github", "--off"]);
    assert_eq!(
        (off["favourite"].clone(), off["changed"].clone()),
        (false.into(), true.into())
    );
    assert_eq!(e.json(&["list"])[0]["favourite"], false);
    let (rc, _) = failure(&e.run(&["favourite", "nope"]));
    assert_eq!(rc, 2);
}

// ---- Issue 12: inputs kept out of argv, input bounds, a CLI scripts can lean on ----

/// `-` reads `--uri`, `--secret`, `--notes` and `recovery use`'s CODE from standard input:
/// one value, one trailing line ending stripped, an empty value refused naming the option.
#[test]
fn dash_reads_secret_values_from_stdin() {
    let e = Env::new();
    let uri = "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQ&issuer=ACME";
    let o = e.run_stdin(
        &["add", "Work", "--uri", "-", "--notes", "x"],
        format!("{uri}\n").as_bytes(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = e.json(&["show", "Work", "--reveal"]);
    assert!(
        v["otp"]
            .as_str()
            .unwrap()
            .contains("secret=GEZDGNBVGY3TQOJQ"),
        "{v}"
    );
    assert_eq!(v["issuer"], "ACME");
    let o = e.run_stdin(&["edit", "Work", "--notes", "-"], b"first\nsecond\n");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(e.json(&["show", "Work"])["notes"], "first\nsecond");
    // The value is read before the master password: with --password-stdin it is line one.
    let mut c = e.cmd(&["add", "Home", "--secret", "-", "--password-stdin"]);
    c.env_remove("KEYDECK_PASSWORD");
    let o = with_stdin(c, format!("JBSWY3DPEHPK3PXP\n{PW}\n").as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // code --uri - needs no vault.
    let o = e.run_stdin(
        &["code", "--uri", "-", "--at", "59"],
        b"otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8\n",
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "94287082");
    // recovery use NAME -
    e.run_stdin(
        &["recovery", "add", "Work"],
        b"1111-aaaa\n2222-bbbb\n3333-cccc\n",
    );
    let o = e.run_stdin(&["recovery", "use", "Work", "-", "--json"], b"2222-BBBB\n");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["remaining"], 2);
    // Empty values: refused, naming the option; nothing added.
    for (args, option) in [
        (vec!["add", "Empty", "--uri", "-"], "--uri -"),
        (vec!["add", "Empty", "--secret", "-"], "--secret -"),
        (vec!["add", "Empty", "--notes", "-"], "--notes -"),
        (vec!["recovery", "use", "Work", "-"], "recovery use CODE -"),
    ] {
        for input in [&b""[..], b"\n"] {
            let (code, msg) = failure(&e.run_stdin(&args, input));
            assert_eq!(code, 2, "{args:?}");
            assert!(
                msg.contains(&format!(
                    "{option} reads the value from standard input, which is empty"
                )),
                "{args:?}: {msg}"
            );
        }
    }
    assert_eq!(e.json(&["list"]).as_array().unwrap().len(), 2);
}

/// `import`, `scan`, `restore`, `--notes-file` and `--keyfile` read regular files only, under
/// a cap: a device, a folder or a FIFO is refused with a sentence, before a byte is read.
#[test]
fn user_files_are_bounded_and_regular() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap().to_owned();
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let fifo = fifo.to_str().unwrap().to_owned();
    let plain = dir.path().join("uris.txt");
    std::fs::write(&plain, "otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\n").unwrap();
    let plain = plain.to_str().unwrap().to_owned();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["import", "/dev/zero"],
            "The import file /dev/zero cannot be read: it is a device, not a file.",
        ),
        (vec!["import", &folder], "it is a folder, not a file."),
        (vec!["import", &fifo], "it is a pipe (FIFO), not a file."),
        (
            vec!["scan", "/dev/zero"],
            "The image /dev/zero cannot be read: it is a device, not a file.",
        ),
        (vec!["scan", &fifo], "it is a pipe (FIFO), not a file."),
        (
            vec!["restore", "/dev/zero", "--yes"],
            "The backup /dev/zero cannot be read: it is a device, not a file.",
        ),
        (
            vec!["add", "X", "--notes-file", "/dev/urandom"],
            "The notes file /dev/urandom cannot be read: it is a device",
        ),
        (
            vec!["import", &plain, "--keyfile", "/dev/zero"],
            "The key file /dev/zero cannot be read: it is a device",
        ),
    ];
    for (args, want) in cases {
        let started = std::time::Instant::now();
        let (code, msg) = failure(&e.run(&args));
        assert_eq!(code, 2, "{args:?}: {msg}");
        assert!(msg.contains(want), "{args:?}: {msg}");
        assert!(started.elapsed().as_secs() < 10, "{args:?} took too long");
    }
    // Over the cap: refused from the size, naming both sizes.
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let (code, msg) = failure(&e.run(&["import", big.to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(
        msg.contains("it is 65 MiB, and Keydeck reads at most 64 MiB"),
        "{msg}"
    );
}

/// A QR image written for the test (with keydeck-core's encoder, as `keydeck qr` does).
fn qr_png(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, &*keydeck_core::qr::encode::png(text, 6).unwrap()).unwrap();
    p.to_str().unwrap().to_owned()
}

/// Finding 10: `scan` masks from the parsed URI: no spelling of the parameter shows the secret.
#[test]
fn scan_masks_every_spelling_of_the_secret() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let secret = "JBSWY3DPEHPK3PXP";
    let texts = [
        format!("otpauth://totp/ACME:me?%73ecret={secret}&issuer=ACME"),
        format!("otpauth://totp/ACME:me?SECRET={secret}&issuer=ACME"),
        format!("otpauth://totp/secret:secret?issuer=secret&Secret={secret}"),
    ];
    for (i, t) in texts.iter().enumerate() {
        let img = qr_png(dir.path(), &format!("{i}.png"), t);
        let o = e.run(&["scan", &img, "--json"]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{t}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!out.contains(secret), "{t}: {out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert!(
            v[0]["text"].as_str().unwrap().contains("secret=••••••••"),
            "{v}"
        );
        assert_eq!(v[0]["accounts"].as_array().unwrap().len(), 1);
        let o = e.run(&["scan", &img]);
        assert!(!String::from_utf8_lossy(&o.stdout).contains(secret));
        // --reveal still shows it.
        assert!(e.ok(&["scan", &img, "--json", "--reveal"]).contains(secret));
    }
}

/// Finding 10: images are decoded in a child process. A decoder that panics (injected at the
/// boundary in debug builds: no real image is known to panic the decoders) costs that image
/// only: a clear error, the other images scanned, no panic text, the usual exit code.
#[test]
fn a_panicking_decoder_ends_only_its_image() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let good = qr_png(
        dir.path(),
        "good.png",
        "otpauth://totp/A:me?secret=JBSWY3DPEHPK3PXP",
    );
    let bad = qr_png(
        dir.path(),
        "crafted.png",
        "otpauth://totp/B:me?secret=JBSWY3DPEHPK3PXP",
    );
    let o = e
        .cmd(&["scan", &good, &bad, "--json"])
        .env("KEYDECK_TEST_DECODER_PANIC", "crafted")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("crafted.png cannot be scanned: the image decoder crashed on it"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        1,
        "the good image still scanned: {v}"
    );
    assert_eq!(v[0]["accounts"][0]["name"], "A");
    // One image alone: the same sentence as the only error line, exit 2.
    let o = e
        .cmd(&["scan", &bad])
        .env("KEYDECK_TEST_DECODER_PANIC", "crafted")
        .output()
        .unwrap();
    let (code, msg) = failure(&o);
    assert_eq!(code, 2);
    assert!(msg.contains("the image decoder crashed on it"), "{msg}");
    // And `import` of a QR image goes through the same boundary.
    let o = e
        .cmd(&["import", &bad])
        .env("KEYDECK_TEST_DECODER_PANIC", "image")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    assert_ne!(o.status.code(), Some(101));
}

/// CLI 12: `keydeck list | head -1`: the reader goes away after the first line. The command
/// ends quietly (141, as a shell reports SIGPIPE), no panic, and the vault is closed: no -wal.
#[test]
fn closed_pipe_ends_quietly_and_closes_the_vault() {
    let e = Env::new();
    // Enough rows to overflow a 64 KiB pipe buffer, so the write after the close fails.
    let mut uris = String::new();
    for i in 0..1200 {
        uris.push_str(&format!(
            "otpauth://totp/Service{i}:user{i}@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Service{i}\n"
        ));
    }
    let o = e.run_stdin(&["import", "-"], uris.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for args in [vec!["list"], vec!["list", "--json"]] {
        let mut child = e
            .cmd(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut first = [0u8; 1];
        std::io::Read::read_exact(&mut out, &mut first).unwrap();
        drop(out); // head -1 is done
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("error"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(141), "{args:?}: {err}");
        let wal = format!("{}-wal", e.vault.display());
        assert!(
            !std::path::Path::new(&wal).exists(),
            "{args:?}: {wal} left behind"
        );
    }
}

/// CLI 14: `edit` with the values already saved exits 0, says nothing changed, writes nothing.
#[test]
fn edit_with_saved_values_is_a_no_op() {
    let e = Env::new();
    let uri = "otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQ&issuer=ACME";
    let fields = ["--username", "alice", "--tag", "a", "--uri", uri];
    e.ok(&[&["add", "Work"][..], &fields].concat());
    let args = [&["edit", "Work"][..], &fields].concat();
    let before = e.json(&["show", "Work"]);
    let events = |e: &Env| {
        e.json(&["log", "--account", "Work"])
            .as_array()
            .unwrap()
            .len()
    };
    let n = events(&e);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = e.ok(&args);
    assert!(
        out.contains("Nothing changed: Work [ACME] (alice) already has these values."),
        "{out}"
    );
    let v = e.json(&args);
    assert_eq!(v["changed"], false);
    assert_eq!(
        e.json(&["show", "Work"])["updated_at"],
        before["updated_at"]
    );
    assert_eq!(events(&e), n, "no event for an edit that changed nothing");
    // A real change still is one.
    let v = e.json(&["edit", "Work", "--username", "bob"]);
    assert_eq!(v["changed"], true);
    assert_eq!(events(&e), n + 1);
}

/// CLI 15: `--json` is compact when stdout is not a terminal (here a pipe).
#[test]
fn json_is_compact_off_a_terminal() {
    let e = Env::new();
    e.ok(&["add", "A", "--username", "a", "--tag", "t"]);
    for args in [
        vec!["list", "--json"],
        vec!["show", "A", "--json"],
        vec!["import", "--formats", "--json"],
    ] {
        let out = e.ok(&args);
        assert_eq!(out.lines().count(), 1, "{args:?}: {out}");
        assert!(!out.contains(": ") && !out.contains("\n "), "{args:?}");
        serde_json::from_str::<Value>(&out).unwrap();
    }
}

/// The long options `keydeck [SUBCOMMAND…] --help` lists, and its subcommands.
fn help_of(path: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut args = path.to_vec();
    args.push("--help");
    let o = Command::new(env!("CARGO_BIN_EXE_keydeck"))
        .args(&args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{args:?}");
    let text = String::from_utf8(o.stdout).unwrap();
    let (mut options, mut commands) = (Vec::new(), Vec::new());
    let mut section = "";
    for line in text.lines() {
        if !line.starts_with(' ') {
            section = line;
            continue;
        }
        let t = line.trim_start();
        if section.starts_with("Commands:") && line.starts_with("  ") && !line.starts_with("   ") {
            let name = t.split_whitespace().next().unwrap_or("");
            if name != "help" && !name.is_empty() {
                commands.push(name.to_owned());
            }
        }
        // The option's own name: the first `--name` of its line (the description may name
        // others, "With --secret: …").
        if section.starts_with("Options:") && t.starts_with('-') {
            if let Some(word) = t
                .split([' ', ',', '=', '[', '<'])
                .find(|w| w.starts_with("--") && w.len() > 2)
            {
                options.push(word.to_owned());
            }
        }
    }
    (options, commands)
}

/// README's CLI reference block: the global line, and each command's lines (a line indented by
/// two spaces starts a command, deeper lines continue it) keyed by the command's first word.
fn readme_reference() -> (String, Vec<(String, String)>) {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .unwrap();
    let start = readme
        .find("## CLI reference")
        .expect("README has a CLI reference");
    let block = readme[start..].split("```").nth(1).expect("a code block");
    let mut lines = block.lines().filter(|l| !l.trim().is_empty());
    let global = lines.next().unwrap().to_owned();
    let mut entries: Vec<(String, String)> = Vec::new();
    for l in lines {
        if l.starts_with("  ") && !l.starts_with("   ") {
            let word = l.split_whitespace().next().unwrap().to_owned();
            entries.push((word, l.to_owned()));
        } else if let Some(last) = entries.last_mut() {
            last.1.push_str(l);
        }
    }
    (global, entries)
}

/// CLI 15: README's CLI reference lists every long option `--help` shows, on the command's own
/// lines (or the global line), for every command and subcommand, so the two cannot drift.
#[test]
fn readme_cli_reference_lists_every_option() {
    let (global, entries) = readme_reference();
    let mut missing = Vec::new();
    let mut queue: Vec<Vec<String>> = vec![vec![]];
    let mut seen = 0;
    while let Some(path) = queue.pop() {
        seen += 1;
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let (options, commands) = help_of(&p);
        // Where this command's options may be listed: its lines (edit: "same options as add").
        let mut text = global.clone();
        for (word, line) in &entries {
            let first = p.first().copied().unwrap_or("");
            if word == first || (first == "edit" && word == "add") {
                text.push_str(line);
            }
        }
        for o in options {
            if o == "--help" || o == "--version" {
                continue;
            }
            // Listed: the option followed by a character that cannot continue its name.
            let listed = text.match_indices(&o).any(|(i, _)| {
                !text[i + o.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            });
            if !listed {
                missing.push(format!("keydeck {} {o}", p.join(" ")));
            }
        }
        for c in commands {
            let mut next = path.clone();
            next.push(c);
            queue.push(next);
        }
    }
    assert!(seen > 30, "only {seen} help pages read");
    assert!(
        missing.is_empty(),
        "missing from README's CLI reference: {missing:#?}"
    );
}

/// Finding 11: a Steam URI's `period`/`digits` are ignored (Steam Guard: 30 s, 5 characters);
/// the code is the one Steam's app showed (KeePassXC and Stratum test vectors).
#[test]
fn steam_code_ignores_period_and_digits() {
    let e = Env::new();
    for uri in [
        "otpauth://totp/Steam:gabe?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Steam&period=15&digits=7",
        "otpauth://totp/gabe?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&encoder=steam&period=15&digits=7",
    ] {
        let out = e.ok(&["code", "--uri", uri, "--at", "1511200518"]);
        assert_eq!(out.trim(), "FR8RV", "{uri}");
        let v = e.json(&["code", "--uri", uri, "--at", "1511200714"]);
        assert_eq!((v["code"].as_str(), v["period"].as_u64()), (Some("9P3VP"), Some(30)), "{uri}");
    }
}

/// Bytes and modification time of the vault file and its -wal (absent: `None`).
fn file_state(vault: &std::path::Path) -> Vec<Option<(Vec<u8>, std::time::SystemTime)>> {
    ["", "-wal"]
        .iter()
        .map(|s| {
            let p = PathBuf::from(format!("{}{s}", vault.display()));
            let m = std::fs::metadata(&p).ok()?;
            Some((std::fs::read(&p).unwrap(), m.modified().unwrap()))
        })
        .collect()
}

/// Issue 12, CLI 13: `list`, `code` and `show` write nothing to the vault; the unlocks of write
/// commands share one log entry a day; `log --keep-days` sets the log's retention.
#[test]
fn reads_leave_the_vault_file_as_it_was() {
    let e = Env::new();
    e.ok(&[
        "add",
        "GitHub",
        "--issuer",
        "GitHub",
        "--secret",
        "JBSWY3DPEHPK3PXP",
    ]);
    e.ok(&["add", "Bank", "--username", "me"]);
    let before = file_state(&e.vault);
    let first = e.ok(&["code", "github", "--at", "59"]);
    assert_eq!(first.trim(), "996554");
    for _ in 0..100 {
        assert_eq!(e.ok(&["code", "github", "--at", "59"]), first);
    }
    e.ok(&["list"]);
    e.ok(&["show", "bank"]);
    e.ok(&["log"]);
    assert!(
        before == file_state(&e.vault),
        "a read command changed the vault file or its -wal"
    );

    // The unlocks of the two `add`s are one entry with a count.
    let log = e.json(&["log"]);
    let unlocks: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["what"] == "unlocked")
        .collect();
    assert_eq!(unlocks.len(), 1, "{log}");
    assert_eq!(unlocks[0]["count"], 2);
    assert!(unlocks[0]["detail"]
        .as_str()
        .unwrap()
        .contains("from the command line"));

    assert_eq!(e.json(&["log", "--keep-days", "30"])["keep_days"], 30);
    assert!(e.ok(&["log", "--keep-days", "1"]).contains("for 1 day;"));
}

#[test]
fn passwd_keeps_custom_kdf_settings_and_rekey_keeps_the_password() {
    let e = Env::new();
    e.ok(&["add", "GitHub", "--username", "octo"]);
    // No KDF option: the vault's own settings (19 MiB, 2 passes, 1 lane), not the defaults.
    let passwd = |args: &[&str], new: &str| -> Value {
        let o = e
            .cmd(&[&["passwd", "--json"], args].concat())
            .env("KEYDECK_NEW_PASSWORD", new)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let out = passwd(&[], PW);
    assert_eq!(out["kdf"], "argon2id:v=19,m=19456,t=2,p=1");
    assert!(out["items"].as_u64().unwrap() >= 3);
    // One option given: only that one changes.
    let out = passwd(&["--kdf-iterations", "3"], PW);
    assert_eq!(out["kdf"], "argon2id:v=19,m=19456,t=3,p=1");

    let out = e.json(&["rekey"]);
    assert_eq!(out["rekeyed"], true);
    assert!(out["items"].as_u64().unwrap() >= 3);
    assert_eq!(e.json(&["list"])[0]["name"], "GitHub");
    let plain = e.ok(&["rekey"]);
    assert_eq!(plain.lines().count(), 1, "{plain}");
    assert!(plain.starts_with("The vault has a new key: "), "{plain}");
    let log = e.ok(&["log"]);
    assert!(log.contains("vault key renewed"), "{log}");

    let (code, _) = failure(
        &e.cmd(&["rekey"])
            .env("KEYDECK_PASSWORD", "wrong")
            .output()
            .unwrap(),
    );
    assert_eq!(code, 3);
}
