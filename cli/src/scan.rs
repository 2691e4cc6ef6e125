//! `scan` (QR codes from images, the screen, the clipboard) and `qr` (an account as a QR code).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use keydeck_core::otp::migration::BatchSet;
use keydeck_core::otp::{import::from_migration, OtpEntry};
use keydeck_core::qr::{self, PayloadKind, ScanItem};
use keydeck_core::{capture, Algorithm, Error, EventWhat, OtpKind, Result};
use serde_json::{json, Value};

use crate::codes;
use crate::output::print_json;
use crate::Ctx;

fn entry_json(e: &OtpEntry, reveal: bool) -> Value {
    let o = &e.otp;
    let mut v = json!({
        "name": e.display_name(),
        "issuer": e.issuer,
        "account": e.account,
        "type": match o.kind { OtpKind::Totp => "totp", OtpKind::Hotp => "hotp", OtpKind::Steam => "steam" },
        "algorithm": match o.algorithm { Algorithm::Sha1 => "SHA1", Algorithm::Sha256 => "SHA256", Algorithm::Sha512 => "SHA512" },
        "digits": o.digits,
        "period": (o.kind != OtpKind::Hotp).then_some(o.period),
        "counter": (o.kind == OtpKind::Hotp).then_some(o.counter),
        "warnings": e.warnings,
    });
    if reveal {
        v["secret"] = json!(keydeck_core::otp::encode_secret(o.secret.expose()));
    }
    v
}

fn describe(e: &OtpEntry) -> String {
    let o = &e.otp;
    let kind = match o.kind {
        OtpKind::Totp => format!("TOTP, {} digits, every {} s", o.digits, o.period),
        OtpKind::Hotp => format!("HOTP, {} digits, counter {}", o.digits, o.counter),
        OtpKind::Steam => "Steam Guard".to_owned(),
    };
    if e.account.is_empty() {
        format!("{} — {kind}", e.display_name())
    } else {
        format!("{} ({}) — {kind}", e.display_name(), e.account)
    }
}

pub fn scan(
    ctx: &mut Ctx,
    images: &[PathBuf],
    screen: bool,
    clipboard: bool,
    reveal: bool,
    add: bool,
) -> Result<ExitCode> {
    let sources: Vec<(String, Result<Vec<ScanItem>>)> = if screen {
        vec![(
            "screen".into(),
            capture::capture_screen().and_then(|g| qr::try_scan_gray("the screen", &g)),
        )]
    } else if clipboard {
        vec![(
            "clipboard".into(),
            capture::clipboard_image().and_then(|g| qr::try_scan_gray("the clipboard image", &g)),
        )]
    } else if images.is_empty() {
        return Err(Error::invalid(
            "scan",
            "give image files, --screen or --clipboard",
        ));
    } else {
        images
            .iter()
            .map(|p| (p.display().to_string(), qr::scan_file(p)))
            .collect()
    };
    let mut json_out = Vec::new();
    let mut found_any = false;
    let mut entries: Vec<OtpEntry> = Vec::new();
    let mut batches = BatchSet::new();
    let mut has_migration = false;
    let several = sources.len() > 1;
    let mut unreadable = 0;
    for (source, result) in sources {
        let items = match result {
            Ok(items) => items,
            // With several images, one unreadable file does not hide the others' codes.
            Err(e) if several => {
                eprintln!("error: {e}");
                unreadable += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        if items.is_empty() {
            eprintln!("{source}: no QR code found");
            continue;
        }
        found_any = true;
        if !ctx.json {
            outln!("{source}: {} QR code(s)", items.len());
        }
        for (i, it) in items.into_iter().enumerate() {
            let text = if reveal {
                it.text.expose().to_owned()
            } else {
                it.masked_text()
            };
            if ctx.json {
                json_out.push(json!({
                    "image": source,
                    "text": text,
                    "kind": it.kind,
                    "accounts": it.entries.iter().map(|e| entry_json(e, reveal)).collect::<Vec<_>>(),
                    "problem": it.problem,
                    "part": it.migration.as_ref().map(|m| json!({"index": m.batch_index + 1, "of": m.batch_size.max(1)})),
                }));
            } else {
                match (&it.kind, &it.problem) {
                    (PayloadKind::Other, _) => {
                        outln!("  {}. not an authenticator QR code: {text}", i + 1)
                    }
                    (_, Some(p)) => outln!("  {}. unusable authenticator code: {p}", i + 1),
                    (PayloadKind::OtpauthMigration, None) => {
                        let part = it
                            .migration
                            .as_ref()
                            .map(|m| {
                                format!(" (part {} of {})", m.batch_index + 1, m.batch_size.max(1))
                            })
                            .unwrap_or_default();
                        outln!(
                            "  {}. Google Authenticator export{part}: {} account(s)",
                            i + 1,
                            it.entries.len()
                        );
                        for e in &it.entries {
                            outln!("       {}", describe(e));
                        }
                    }
                    (PayloadKind::Otpauth, None) => {
                        for e in &it.entries {
                            outln!("  {}. {}", i + 1, describe(e));
                        }
                    }
                }
                if reveal && it.kind != PayloadKind::Other {
                    outln!("     {text}");
                }
            }
            match it.kind {
                PayloadKind::Otpauth => entries.extend(it.entries),
                PayloadKind::OtpauthMigration => {
                    if let Some(m) = it.migration {
                        has_migration = true;
                        batches.add(m).map_err(|e| {
                            Error::invalid("Google Authenticator export", e.to_string())
                        })?;
                    }
                }
                PayloadKind::Other => {}
            }
        }
    }
    if ctx.json {
        print_json(&Value::Array(json_out))?;
    }
    if add {
        if has_migration {
            let list = batches.finish().map_err(|e| {
                Error::invalid("Google Authenticator export", format!("{e}; nothing added"))
            })?;
            entries.extend(list.into_iter().map(from_migration));
        }
        if entries.is_empty() {
            return Err(Error::invalid(
                "scan --add",
                "no authenticator QR code found; nothing added",
            ));
        }
        let mut vault = ctx.unlock()?;
        let report = vault.import(entries, false)?;
        eprintln!(
            "Added {} account(s); {} already in the vault.",
            report.added.len(),
            report.duplicates.len()
        );
        for l in &report.added {
            eprintln!("  + {l}");
        }
        codes::warn_all(&report.warnings);
    }
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if found_any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn qr(ctx: &mut Ctx, name: &str, out: &Path, scale: u32) -> Result<ExitCode> {
    let mut vault = ctx.unlock()?;
    let id = vault.resolve(name)?;
    let a = vault.account(id)?;
    let uri = keydeck_core::otpauth_uri(a)
        .ok_or_else(|| Error::invalid("qr", format!("{} has no authenticator", a.label())))?;
    let label = a.label();
    let svg = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if svg {
        codes::write_private(out, qr::encode::svg(&uri, 320)?.as_bytes())?;
    } else {
        codes::write_private(out, &qr::encode::png(&uri, scale)?)?;
    }
    vault.log(EventWhat::Exported, Some(id), "as a QR code")?;
    eprintln!(
        "Wrote the QR code of {label} to {}. Anyone who sees it can make your codes: scan it, then delete the file.",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
