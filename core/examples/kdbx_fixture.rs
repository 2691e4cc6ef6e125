// SPDX-License-Identifier: GPL-3.0-or-later
//! For bench/cli_vs_keepassxc.py: writes the accounts of a Keydeck vault as a KeePass 4 file
//! with the same Argon2id costs as Keydeck's default (64 MiB, 3 passes, 4 lanes), so that
//! keepassxc-cli and keydeck are timed on the same accounts behind the same key derivation.
//!
//! `kdbx_fixture VAULT OUT.kdbx` (the password of both in KEYDECK_PASSWORD). Give it a copy of
//! the vault: opening it brings the copy to this version's schema.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keydeck_core::export::kdbx;
use keydeck_core::{KdfParams, LockedVault, SecretText};

fn main() {
    let mut args = std::env::args().skip(1);
    let (vault, out) = match (args.next(), args.next()) {
        (Some(v), Some(o)) => (v, o),
        _ => panic!("usage: kdbx_fixture VAULT OUT.kdbx"),
    };
    let pw = SecretText::new(std::env::var("KEYDECK_PASSWORD").expect("KEYDECK_PASSWORD"));
    let v = LockedVault::open(std::path::Path::new(&vault))
        .unwrap()
        .for_reading()
        .unlock_with_password(&pw)
        .unwrap();
    let accounts: Vec<_> = v.accounts().collect();
    let k = KdfParams::default();
    let bytes = kdbx::write_with(
        &accounts,
        &pw,
        u64::from(k.m_kib) * 1024,
        u64::from(k.t),
        k.p,
    )
    .unwrap();
    std::fs::write(out, &bytes[..]).unwrap();
}
