// SPDX-License-Identifier: GPL-3.0-or-later
//! Freed memory keeps no secret (issue 12, finding 4). This file is its own test binary, so the
//! `#[global_allocator]` below affects only it: it wraps the system allocator and, while
//! `SCANNING` is on, looks through every block being freed (and the old block of every
//! reallocation that moves) for the marker values — master password, an account password, the
//! base32 text of an OTP secret, a recovery code. A hit is counted in an atomic; the allocator
//! never panics and never allocates.
//!
//! Out of reach (said here rather than pretended): zxcvbn, the third-party password-strength
//! estimator Keydeck scores every account password with, copies the password into its own
//! Strings (lower-cased, matched substrings) and frees them unzeroed; Keydeck cannot reach
//! inside it. The test measures those copies on their own (the same call, the same inputs) and
//! requires that everything else adds none. SQLite's page cache and the bytes it writes
//! hold only ciphertext; buffers inside third-party crates that never see plaintext are not
//! scanned for; what the OS keeps in pages released to it, and the stack, are not heap blocks.
#![allow(unsafe_code, clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use keydeck_core::export::{export, ExportFormat};
use keydeck_core::{
    AccountDraft, AccountPatch, Algorithm, KdfParams, LockedVault, Otp, OtpKind, SecretBytes,
    SecretText, Vault,
};

const MASTER: &[u8] = b"Mk-master-7f3Qx9Lw";
const PASSWORD: &[u8] = b"Mk-account-pw-Zq81Vd";
const PASSWORD2: &[u8] = b"Mk-account-pw2-Hn47Tc";
/// Base32 text of the OTP secret (20 bytes).
const SECRET_B32: &[u8] = b"QK7LXW2NBM4RT6VYQK7LXW2NBM4RT6VY";
const RECOVERY: &[u8] = b"rcmark-7q2z-9xkd";
const MARKERS: [&[u8]; 5] = [MASTER, PASSWORD, PASSWORD2, SECRET_B32, RECOVERY];

static SCANNING: AtomicBool = AtomicBool::new(false);
static HITS: AtomicUsize = AtomicUsize::new(0);
/// Which marker was seen (bit i = MARKERS[i]), for the failure message.
static WHICH: AtomicUsize = AtomicUsize::new(0);

struct Scanning;

/// Whether the block holds a marker. Plain loops over the block: no allocation.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
unsafe fn scan(ptr: *const u8, len: usize) {
    if !SCANNING.load(Ordering::Relaxed) || len < 8 {
        return;
    }
    // SAFETY: the caller owns the live block [ptr, ptr + len).
    let block = unsafe { std::slice::from_raw_parts(ptr, len) };
    for (i, m) in MARKERS.iter().enumerate() {
        if block.len() >= m.len() && block.windows(m.len()).any(|w| w == *m) {
            HITS.fetch_add(1, Ordering::Relaxed);
            WHICH.fetch_or(1 << i, Ordering::Relaxed);
        }
    }
}

unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe {
            scan(ptr, layout.size());
            System.dealloc(ptr, layout)
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The old block is only freed if the block moves; it cannot be read afterwards, so
        // look first and count it only then.
        let before = HITS.load(Ordering::Relaxed);
        let which = WHICH.load(Ordering::Relaxed);
        unsafe { scan(ptr, layout.size().min(new_size.max(layout.size()))) };
        let found = HITS.load(Ordering::Relaxed) != before;
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if found && new == ptr {
            // Grown or shrunk in place: nothing was freed.
            HITS.store(before, Ordering::Relaxed);
            WHICH.store(which, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOC: Scanning = Scanning;

fn text(b: &[u8]) -> SecretText {
    SecretText::new(std::str::from_utf8(b).unwrap())
}

fn hits() -> (usize, Vec<&'static str>) {
    let which = WHICH.load(Ordering::Relaxed);
    let names = ["master", "password", "password2", "secret", "recovery"];
    let seen = (0..names.len())
        .filter(|i| which & (1 << i) != 0)
        .map(|i| names[i])
        .collect();
    (HITS.load(Ordering::Relaxed), seen)
}

/// The scanner finds what it is meant to: a plain String holding a marker, freed.
#[test]
fn the_scanner_sees_a_secret_left_in_freed_memory() {
    let _serial = LOCK.lock();
    HITS.store(0, Ordering::Relaxed);
    WHICH.store(0, Ordering::Relaxed);
    SCANNING.store(true, Ordering::SeqCst);
    let s = String::from_utf8(RECOVERY.to_vec()).unwrap();
    drop(std::hint::black_box(s));
    SCANNING.store(false, Ordering::SeqCst);
    assert!(hits().0 >= 1);
}

static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn add_edit_export_and_lock_leave_no_secret_in_freed_memory() {
    let _serial = LOCK.lock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let secret = data_encoding::BASE32_NOPAD.decode(SECRET_B32).unwrap();
    HITS.store(0, Ordering::Relaxed);
    WHICH.store(0, Ordering::Relaxed);
    SCANNING.store(true, Ordering::SeqCst);
    {
        let mut v = Vault::create(&path, &text(MASTER), KdfParams::FLOOR).unwrap();
        // add
        let id = v
            .add_account(AccountDraft {
                name: "GitHub".into(),
                username: "octo".into(),
                password: Some(text(PASSWORD)),
                otp: Some(Otp {
                    kind: OtpKind::Totp,
                    secret: SecretBytes::new(secret),
                    algorithm: Algorithm::Sha1,
                    digits: 6,
                    period: 30,
                    counter: 0,
                }),
                ..Default::default()
            })
            .unwrap();
        v.add_recovery_codes(id, std::str::from_utf8(RECOVERY).unwrap())
            .unwrap();
        // edit
        v.update_account(
            id,
            AccountPatch {
                password: Some(text(PASSWORD2)),
                notes: Some("edited".into()),
                ..Default::default()
            },
        )
        .unwrap();
        v.use_recovery_code(id, &text(RECOVERY)).unwrap();
        // export, every format
        let accounts: Vec<_> = v.accounts().collect();
        for f in ExportFormat::ALL {
            let out = export(&accounts, f, Some(&text(b"file-pass-Xy12"))).unwrap();
            assert!(!out.bytes.is_empty());
        }
        // lock, and unlock again (decrypting every record)
        let locked: LockedVault = v.lock();
        drop(locked);
        let v = LockedVault::open(&path)
            .unwrap()
            .unlock_with_password(&text(MASTER))
            .unwrap();
        assert_eq!(v.len(), 1);
        drop(v.lock());
    }
    SCANNING.store(false, Ordering::SeqCst);
    let (n, which) = hits();

    // What zxcvbn alone leaves for the two account passwords (scored once each above).
    HITS.store(0, Ordering::Relaxed);
    SCANNING.store(true, Ordering::SeqCst);
    for p in [PASSWORD, PASSWORD2] {
        let p = text(p);
        keydeck_core::security::password_score(p.expose(), &["octo", "GitHub"]);
    }
    SCANNING.store(false, Ordering::SeqCst);
    let zxcvbn = HITS.load(Ordering::Relaxed);
    assert_eq!(
        n, zxcvbn,
        "freed blocks held secrets beyond zxcvbn's own copies ({zxcvbn}): {which:?}"
    );
    assert!(
        !which.contains(&"master") && !which.contains(&"secret") && !which.contains(&"recovery"),
        "{which:?}"
    );
}
