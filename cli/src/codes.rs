//! One-time codes from the command line: `code`, `import`, `export`, and reading an
//! authenticator from `--secret`/`--uri`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use keydeck_core::otp::{self, Code, OtpEntry, OtpSettings};
use keydeck_core::{Error, Otp, OtpKind, Result};
use serde_json::json;
use zeroize::Zeroizing;

use crate::args::OtpArgs;
use crate::output::print_json;
use crate::Ctx;

/// The authenticator described by `--secret` (+ settings) or `--uri`, if either was given.
/// For a URI, its issuer and account name come along.
pub fn entry_from_args(ctx: &mut Ctx, a: &OtpArgs) -> Result<Option<OtpEntry>> {
    if let Some(uri) = &a.uri {
        if uri == "-" {
            let uri = ctx.stdin.value("--uri")?;
            return otp::parse_uri(uri.expose()).map(Some);
        }
        return otp::parse_uri(uri).map(Some);
    }
    let Some(secret) = &a.secret else {
        if a.otp_type.is_some()
            || a.algorithm.is_some()
            || a.digits.is_some()
            || a.period.is_some()
            || a.counter.is_some()
        {
            return Err(Error::invalid(
                "authenticator",
                "--type/--algorithm/--digits/--period/--counter need --secret",
            ));
        }
        return Ok(None);
    };
    let secret = if secret == "-" {
        Zeroizing::new(ctx.stdin.value("--secret")?.expose().to_owned())
    } else {
        Zeroizing::new(secret.clone())
    };
    let d = OtpSettings::default();
    let settings = OtpSettings {
        kind: match a.otp_type.as_deref() {
            Some("hotp") => OtpKind::Hotp,
            Some("steam") => OtpKind::Steam,
            _ => OtpKind::Totp,
        },
        algorithm: match &a.algorithm {
            Some(x) => otp::parse_algorithm(x)?,
            None => d.algorithm,
        },
        digits: a.digits.unwrap_or(d.digits),
        period: a.period.unwrap_or(d.period),
        counter: a.counter.unwrap_or(d.counter),
    };
    let (otp, warnings) = otp::from_input(&secret, settings)?;
    Ok(Some(OtpEntry {
        issuer: String::new(),
        account: String::new(),
        otp,
        warnings,
    }))
}

pub fn warn_all(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Prints a code: the bare code on stdout (for scripts), the countdown on stderr for people.
pub fn print_code(c: &Code, json_out: bool) -> Result<()> {
    if json_out {
        return print_json(&json!(c));
    }
    outln!("{}", c.code);
    if std::io::stderr().is_terminal() {
        match c.remaining {
            Some(r) => eprintln!("({r} s left; next {})", c.next),
            None => eprintln!("(counter {}; next {})", c.counter.unwrap_or(0), c.next),
        }
    }
    Ok(())
}

/// What `add`/`edit` print after saving an authenticator: the code it makes now.
pub fn describe_saved(otp: &Otp) -> String {
    let c = otp::code_at(otp, otp::unix_now());
    match c.remaining {
        Some(r) => format!(
            "Authenticator saved. Current code {} ({r} s left; next {}).",
            group(&c.code),
            group(&c.next)
        ),
        None => format!(
            "Authenticator saved (HOTP, counter {}). First code {}.",
            c.counter.unwrap_or(0),
            group(&c.code)
        ),
    }
}

/// `123456` → `123 456`, `12345678` → `1234 5678`: how codes are read aloud.
pub fn group(code: &str) -> String {
    let n = code.chars().count();
    if n < 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return code.to_owned();
    }
    let cut = n / 2;
    format!("{} {}", &code[..cut], &code[cut..])
}

pub fn code(ctx: &mut Ctx, name: Option<&str>, a: OtpArgs, at: Option<u64>) -> Result<ExitCode> {
    let now = at.unwrap_or_else(otp::unix_now);
    let Some(name) = name else {
        let entry = entry_from_args(ctx, &a)?.ok_or_else(|| {
            Error::invalid("code", "give an account NAME, or --secret KEY or --uri URI")
        })?;
        warn_all(&entry.warnings);
        print_code(&otp::code_at(&entry.otp, now), ctx.json)?;
        return Ok(ExitCode::SUCCESS);
    };
    if a.secret.is_some() || a.uri.is_some() {
        return Err(Error::invalid(
            "code",
            "give either an account NAME or --secret/--uri, not both",
        ));
    }
    let mut vault = ctx.unlock_to_read_one(name)?;
    let id = vault.resolve(name)?;
    let is_hotp = vault
        .account(id)?
        .otp
        .as_ref()
        .is_some_and(|o| o.kind == OtpKind::Hotp);
    let c = if is_hotp {
        if at.is_some() {
            return Err(Error::invalid(
                "--at",
                "HOTP codes depend on a counter, not on time",
            ));
        }
        vault.next_hotp(id)?
    } else {
        vault.code(id, now)?
    };
    print_code(&c, ctx.json)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a file readable by its owner only (or stdout for "-"); refuses to overwrite.
pub fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    if path.as_os_str() == "-" {
        return crate::output::bytes(data);
    }
    keydeck_core::write_private(path, data)
}
