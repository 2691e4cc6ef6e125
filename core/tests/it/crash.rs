//! Crash safety: a writer process is killed with SIGKILL at random moments, again and again.
//! After every kill the vault must open, pass `PRAGMA integrity_check`, and hold every write the
//! writer had reported as done.
//!
//! The writer is this same test binary, re-run with only `crash::writer_child` selected and the
//! vault path in the environment. Iterations: `KEYDECK_CRASH_ITERS` (default 200; CI-sized).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use keydeck_core::{AccountDraft, AccountPatch, Kek, LockedVault};
use uuid::Uuid;

use crate::util::{test_kek, TestVault};

const ENV_VAULT: &str = "KEYDECK_CRASH_VAULT";
const ENV_SEED: &str = "KEYDECK_CRASH_SEED";

/// xorshift64*: no dependency, reproducible from the seed printed on failure.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The child: adds and edits accounts forever, printing each one after its commit returned.
#[test]
fn writer_child() {
    let Some(path) = std::env::var_os(ENV_VAULT) else {
        return; // Only meaningful when spawned by `kill_9_during_writes`.
    };
    let seed: u64 = std::env::var(ENV_SEED).unwrap().parse().unwrap();
    let mut rng = Rng(seed | 1);
    let mut v = LockedVault::open(std::path::Path::new(&path))
        .unwrap()
        .unlock_with_kek("keychain", &test_kek())
        .unwrap();
    let mut out = std::io::stdout().lock();
    // libtest has already written "test … ... " without a newline: start report lines afresh.
    writeln!(out).unwrap();
    for n in 0.. {
        let existing: Vec<Uuid> = v.accounts().map(|a| a.id).collect();
        if existing.is_empty() || rng.below(3) == 0 {
            let id = v
                .add_account(AccountDraft {
                    name: format!("s{seed}-{n}"),
                    notes: "0".into(),
                    ..Default::default()
                })
                .unwrap();
            writeln!(out, "ADD {id}").unwrap();
        } else {
            let id = existing[rng.below(existing.len() as u64) as usize];
            let next = v.account(id).unwrap().notes.parse::<u64>().unwrap() + 1;
            v.update_account(
                id,
                AccountPatch {
                    notes: Some(next.to_string()),
                    ..Default::default()
                },
            )
            .unwrap();
            writeln!(out, "EDIT {id} {next}").unwrap();
        }
        out.flush().unwrap();
    }
}

#[test]
fn kill_9_during_writes() {
    let iters: u64 = std::env::var("KEYDECK_CRASH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let (t, mut v) = TestVault::new();
    v.add_kek_slot("keychain", &test_kek()).unwrap();
    drop(v);
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // What must be in the vault: the notes value last reported for each account.
    let mut expected: HashMap<Uuid, u64> = HashMap::new();
    let mut reported_writes = 0usize;
    for i in 0..iters {
        let mut child = Command::new(&exe)
            .args([
                "crash::writer_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ENV_VAULT, &t.path)
            .env(ENV_SEED, i.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        std::thread::sleep(Duration::from_micros(rng.below(120_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for line in reader.join().unwrap() {
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                ["ADD", id] => {
                    expected.insert(id.parse().unwrap(), 0);
                }
                ["EDIT", id, n] => {
                    expected.insert(id.parse().unwrap(), n.parse().unwrap());
                }
                _ => {} // libtest's own chatter, or a line cut by the kill
            }
            reported_writes += 1;
        }
        verify(&t, &mut expected, i);
    }
    eprintln!("crash test: {iters} kills, {reported_writes} reported writes, all present");
    // The password path still opens the vault after all that.
    t.unlock().unwrap().integrity_check().unwrap();
}

/// Checks the vault against what was reported, then takes what is on disk as the new truth:
/// a write committed but not reported before the kill is legitimately there.
fn verify(t: &TestVault, expected: &mut HashMap<Uuid, u64>, iter: u64) {
    let v = LockedVault::open(&t.path)
        .and_then(|l| l.unlock_with_kek("keychain", &Kek::from_bytes(&[7u8; 32]).unwrap()))
        .unwrap_or_else(|e| panic!("iteration {iter}: the vault does not open: {e}"));
    v.integrity_check()
        .unwrap_or_else(|e| panic!("iteration {iter}: {e}"));
    assert!(
        v.damaged().is_empty(),
        "iteration {iter}: damaged {:?}",
        v.damaged()
    );
    for (id, n) in expected.iter_mut() {
        let a = v
            .account(*id)
            .unwrap_or_else(|e| panic!("iteration {iter}: reported account {id} lost: {e}"));
        let got: u64 = a.notes.parse().unwrap();
        // The write in flight at the kill may have committed without being reported: n or n+1.
        assert!(
            got == *n || got == *n + 1,
            "iteration {iter}: account {id} has {got}, reported {n}"
        );
        *n = got;
    }
}
