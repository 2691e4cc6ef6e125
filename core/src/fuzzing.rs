// SPDX-License-Identifier: GPL-3.0-or-later
//! The entry points of the fuzz targets (`fuzz/fuzz_targets/`), kept here so that the targets
//! (nightly, libFuzzer) and the replay of their seeds and regressions (`core/tests/fuzz_replay.rs`,
//! stable, part of `make test`) feed the very same functions.
//!
//! Every function takes arbitrary bytes and must return normally: an error for bad input is the
//! expected outcome, a panic is a bug. Not part of Keydeck's API.

use uuid::Uuid;

use crate::import::{self, FileKey};
use crate::model::Otp;
use crate::otp::{self, migration};
use crate::{qr, record, recovery};

/// The password every encrypted-import target tries: the shared test data's Aegis and 2FAS
/// files use it, so the fuzzer gets past their key derivation and reaches the decrypted content.
pub const FIXED_PASSWORD: &str = "test";

/// The formats that get a fuzz target of their own (`import_<name>`, `-` as `_`): the encrypted
/// ones, whose framing (headers, KDF parameters, slots) comes before their content, and the
/// containers (zip, KDBX, SQLite).
pub const OWN_TARGET_FORMATS: &[&str] = &[
    "aegis",
    "2fas",
    "ente-encrypted",
    "andotp",
    "authenticator-pro",
    "bitwarden",
    "kdbx",
    "totp-authenticator",
    "authy",
    "freeotp",
    "winauth",
    "1pux",
    "proton-pass",
    "google-authenticator-db",
    "microsoft-authenticator",
];

/// Every fuzz target, by the name of its file in `fuzz/fuzz_targets/`.
pub fn targets() -> Vec<String> {
    let mut t: Vec<String> = [
        "otpauth_uri",
        "migration",
        "recovery_block",
        "base32",
        "record",
        "qr_image",
        "import_detect",
        "import_small",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    t.extend(OWN_TARGET_FORMATS.iter().map(|f| format_target(f)));
    t
}

/// `import_2fas` for "2fas", `import_totp_authenticator` for "totp-authenticator".
pub fn format_target(format: &str) -> String {
    format!("import_{}", format.replace('-', "_"))
}

/// Runs target `name` on `data`. `false` when there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "otpauth_uri" => otpauth_uri(data),
        "migration" => migration(data),
        "recovery_block" => recovery_block(data),
        "base32" => base32(data),
        "record" => record(data),
        "qr_image" => qr_image(data),
        "import_detect" => import_detect(data),
        "import_small" => import_small(data),
        other => match OWN_TARGET_FORMATS
            .iter()
            .find(|f| format_target(f) == other)
        {
            Some(f) => import_format(f, data),
            None => return false,
        },
    }
    true
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// What the app does with an authenticator once it has one: check it, then make codes.
fn use_otp(otp: &Otp) {
    if otp::validate(otp).is_ok() {
        // Now, and the last second of 2105 (a clock can be wrong; not beyond u32 seconds).
        let _ = otp::code_at(otp, 1_700_000_000);
        let _ = otp::code_at(otp, u64::from(u32::MAX));
    }
}

/// An `otpauth://` URI (or a pasted secret), and the URI Keydeck writes back for it.
pub fn otpauth_uri(data: &[u8]) {
    let t = text(data);
    if let Ok(e) = otp::parse_uri(&t) {
        use_otp(&e.otp);
        let _ = e.display_name();
        let again = otp::format_uri(&e.issuer, &e.account, &e.otp);
        let _ = otp::parse_uri(&again);
    }
    if let Ok(e) = otp::entry_from_input(&t, otp::OtpSettings::default()) {
        use_otp(&e.otp);
    }
}

/// A Google Authenticator export: the link as text, or (when the input is not a link) the
/// input as the protobuf payload inside one, so the fuzzer reaches the decoder directly.
pub fn migration(data: &[u8]) {
    let t = text(data);
    let uri = if t.to_ascii_lowercase().starts_with("otpauth-migration:") {
        t.into_owned()
    } else {
        use base64::Engine as _;
        // The URL-safe alphabet needs no percent-encoding; Keydeck reads it like the standard one.
        let b64 = base64::engine::general_purpose::URL_SAFE.encode(data);
        format!("otpauth-migration://offline?data={b64}")
    };
    if let Ok(p) = migration::decode_uri(&uri) {
        let mut set = migration::BatchSet::new();
        if set.add(p).is_ok() {
            if let Ok(entries) = set.finish() {
                for e in entries {
                    use_otp(&otp::import::from_migration(e).otp);
                }
            }
        }
    }
    // Several links in a text file, as `keydeck import` reads them.
    for (_, e) in crate::otp::import::parse_text(&text(data)).entries {
        use_otp(&e.otp);
    }
}

/// A pasted block of recovery codes.
pub fn recovery_block(data: &[u8]) {
    let parsed = recovery::parse_block(&text(data));
    for c in &parsed.codes {
        let _ = recovery::normalize(c);
    }
}

/// A secret key as typed: base32, forgivingly; what it decodes to must encode back to itself.
pub fn base32(data: &[u8]) {
    if let Ok(s) = otp::parse_secret(&text(data)) {
        let again = otp::encode_secret(&s.bytes);
        let back = otp::parse_secret(&again).map(|p| p.bytes);
        assert!(
            back.as_deref().ok() == Some(&s.bytes[..]),
            "base32 does not round-trip"
        );
    }
}

/// The plaintext of a vault record, as every kind of record; an account that decodes is
/// encoded and decoded again and must come back the same, and its authenticator makes codes.
pub fn record(data: &[u8]) {
    let id = Uuid::from_u128(7);
    if let Ok(a) = record::decode_account(id, 1, 2, data) {
        if let Some(o) = &a.otp {
            use_otp(o);
            let _ = otp::code_at(o, 1_700_000_000);
        }
        let again = record::encode_account(&a);
        let b = record::decode_account(id, 1, 2, &again);
        assert!(
            b.is_ok(),
            "a decoded account does not decode after encoding"
        );
    }
    let _ = record::decode_event(id, 1, data);
    let _ = record::decode_settings(id, data);
    let _ = record::decode_backup_status(id, data);
}

/// Image bytes through the QR path: decode the image, find the codes, classify them.
pub fn qr_image(data: &[u8]) {
    if let Ok(items) = qr::scan_bytes("fuzz input", data) {
        for i in items {
            for e in &i.entries {
                use_otp(&e.otp);
            }
        }
    }
}

fn use_import(read: crate::Result<import::ImportFile>) {
    if let Ok(f) = read {
        let _ = f.describe();
        for a in &f.accounts {
            if let Some(o) = &a.otp {
                use_otp(o);
            }
        }
    }
}

fn key() -> FileKey {
    FileKey::password(FIXED_PASSWORD)
}

/// A file as `keydeck import` reads it: the format recognised from the content.
pub fn import_detect(data: &[u8]) {
    use_import(import::read(data.to_vec(), None, &key()));
}

/// One format, forced (`--format`), with the fixed password.
pub fn import_format(format: &str, data: &[u8]) {
    use_import(import::read(data.to_vec(), Some(format), &key()));
}

/// The formats without a target of their own, each tried in turn (forced, as `--format` does:
/// recognition first, then reading), so the seeds are the plain files.
pub fn import_small(data: &[u8]) {
    for f in small_formats() {
        import_format(f, data);
    }
}

/// The formats `import_small` covers.
pub fn small_formats() -> Vec<&'static str> {
    import::formats()
        .iter()
        .map(|f| f.name())
        .filter(|n| !OWN_TARGET_FORMATS.contains(n))
        .collect()
}
