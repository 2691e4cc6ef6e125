//! KDBX benchmarks (issue 10): import of a 10,000-entry KeePass 4 database (Argon2id 64 MiB,
//! made by Keydeck's export) end to end — read and plan — next to the time of its key
//! derivation alone (opening an empty database with the same KDF) and `keepassxc-cli ls` on the
//! same file. The figures are also printed once, outside criterion, for the release note.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use keydeck_core::export::{export, ExportFormat};
use keydeck_core::import::{self, FileKey};
use keydeck_core::{AccountDraft, KdfParams, SecretText, Vault};

const PW: &str = "bench kdbx password";

fn vault(path: &Path, n: usize) -> Vault {
    let mut v =
        Vault::create(path, &SecretText::new("bench master"), KdfParams::default()).unwrap();
    let drafts: Vec<AccountDraft> = (0..n)
        .map(|i| AccountDraft {
            name: format!("Service {i}"),
            issuer: format!("Issuer {}", i % 50),
            username: format!("user{i}@example.com"),
            password: Some(SecretText::new(format!("pw-{i}-Xq7!vR2#kL9"))),
            url: format!("https://service{i}.example.com/login"),
            notes: "Recovery e-mail on the other address.".to_owned(),
            tags: vec!["work".into(), format!("group{}", i % 10)],
            otp: if i % 2 == 0 {
                Some(
                    keydeck_core::otp::from_input(
                        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                        Default::default(),
                    )
                    .unwrap()
                    .0,
                )
            } else {
                None
            },
            ..Default::default()
        })
        .collect();
    v.add_accounts(drafts).unwrap();
    v
}

fn import_and_plan(bytes: &[u8], into: &Vault) -> usize {
    let f = import::read(bytes.to_vec(), None, &FileKey::password(PW)).unwrap();
    let plan = into.plan_import(f.accounts);
    plan.to_add.len() + plan.duplicates.len()
}

fn kdf_only(empty: &[u8]) {
    // The crate runs the KDF, then finds an empty database: the time is the KDF's.
    let _ = keepass::Database::parse(empty, keepass::DatabaseKey::new().with_password(PW)).unwrap();
}

fn keepassxc_ls(path: &Path) -> Option<Duration> {
    let start = Instant::now();
    let mut c = Command::new("keepassxc-cli")
        .args(["ls", "-q", "-R", "-f"])
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    use std::io::Write as _;
    c.stdin
        .take()?
        .write_all(format!("{PW}\n").as_bytes())
        .ok()?;
    let ok = c.wait().ok()?.success();
    ok.then(|| start.elapsed())
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let src = vault(&dir.path().join("src.sqlite"), 10_000);
    let dst = vault(&dir.path().join("dst.sqlite"), 0);
    let pw = SecretText::new(PW);
    let refs: Vec<_> = src.accounts().collect();
    let t = Instant::now();
    let big = export(&refs, ExportFormat::Kdbx, Some(&pw)).unwrap().bytes;
    let export_time = t.elapsed();
    let empty = export(&[], ExportFormat::Kdbx, Some(&pw)).unwrap().bytes;
    let file = dir.path().join("big.kdbx");
    std::fs::write(&file, &*big).unwrap();

    // Once, printed: median of 5.
    let median = |f: &mut dyn FnMut() -> Duration| {
        let mut v: Vec<Duration> = (0..5).map(|_| f()).collect();
        v.sort();
        v[2]
    };
    let kdf = median(&mut || {
        let t = Instant::now();
        kdf_only(&empty);
        t.elapsed()
    });
    let full = median(&mut || {
        let t = Instant::now();
        assert_eq!(import_and_plan(&big, &dst), 10_000);
        t.elapsed()
    });
    let cli = keepassxc_ls(&file).map(|_| median(&mut || keepassxc_ls(&file).unwrap()));
    eprintln!(
        "kdbx 10,000 entries ({} KiB, Argon2id 64 MiB x10, 2 lanes): export {:.3} s; \
         import read+plan {:.3} s; KDF alone {:.3} s (import - KDF = {:.3} s); keepassxc-cli ls {}",
        big.len() / 1024,
        export_time.as_secs_f64(),
        full.as_secs_f64(),
        kdf.as_secs_f64(),
        full.as_secs_f64() - kdf.as_secs_f64(),
        cli.map_or(
            "not installed (apt-get install keepassxc)".into(),
            |d| format!("{:.3} s", d.as_secs_f64())
        ),
    );

    let mut g = c.benchmark_group("kdbx");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("import_10000_read_and_plan", |b| {
        b.iter(|| import_and_plan(&big, &dst))
    });
    g.bench_function("kdf_alone_empty_db", |b| b.iter(|| kdf_only(&empty)));
    if cli.is_some() {
        g.bench_function("keepassxc_cli_ls_10000", |b| {
            b.iter(|| keepassxc_ls(&file).unwrap())
        });
    }
    g.finish();
}

criterion_group!(kdbx, benches);
criterion_main!(kdbx);
