//! Rendering accounts for people (aligned text) and for scripts (JSON). Secrets appear only
//! where the caller passed `reveal`.

use std::io::{IsTerminal, Write};

use keydeck_core::security::SecurityLevel;
use keydeck_core::{fmt_time, otpauth_uri, Account, Error, Otp, OtpKind, Result};
use serde_json::{json, Value};

pub const MASK: &str = "••••••••";

/// Writes one line of a command's output to standard output. Every result line goes through
/// here (the `outln!` macro), never `println!`: `println!` panics when the reader has gone
/// (`keydeck list | head -1`), and the panic (an abort in release) would skip closing the
/// vault. Here a closed pipe is an error the command returns through the normal path, so the
/// vault is dropped and closed (no `-wal` left behind) and `main` exits quietly; see
/// [`is_closed_pipe`].
pub fn line(args: std::fmt::Arguments<'_>) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_fmt(args)
        .and_then(|()| o.write_all(b"\n"))
        .map_err(stdout_error)
}

/// Raw bytes to standard output (`export --out -`), same error handling as [`line`].
pub fn bytes(data: &[u8]) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(data)
        .and_then(|()| o.flush())
        .map_err(stdout_error)
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::Io {
        path: "standard output".into(),
        source: e,
    }
}

/// Whether the error is the reader of standard output having gone away.
pub fn is_closed_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// `--json` output: compact (one line) when standard output is a pipe or a file, where a
/// program reads it (10,000 accounts: 5 MB pretty, a third of that compact); indented on a
/// terminal, where a person does. Every `--json` output goes through here.
pub fn print_json(v: &Value) -> Result<()> {
    let text = if std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    };
    let text = text.map_err(|e| Error::invalid("json", e.to_string()))?;
    outln!("{text}");
    Ok(())
}

fn time_or_null(t: Option<i64>) -> Value {
    t.map(|t| json!(t)).unwrap_or(Value::Null)
}

pub fn mfa_json(a: &Account) -> Value {
    otp_json(a.otp.as_ref())
}

/// An authenticator's settings (never its secret), or null: for accounts and imported entries.
pub fn otp_json(otp: Option<&Otp>) -> Value {
    match otp {
        None => Value::Null,
        Some(o) => json!({
            "kind": o.kind,
            "algorithm": o.algorithm,
            "digits": o.digits,
            "period": (o.kind != OtpKind::Hotp).then_some(o.period),
            "counter": (o.kind == OtpKind::Hotp).then_some(o.counter),
        }),
    }
}

/// The fields of `list --json`: everything but secrets.
pub fn summary_json(a: &Account, level: &SecurityLevel) -> Value {
    let (unused, used) = a.recovery_counts();
    json!({
        "id": a.id,
        "name": a.name,
        "issuer": a.issuer,
        "username": a.username,
        "url": a.url,
        "tags": a.tags,
        "favourite": a.favourite,
        "has_password": !a.password.is_empty(),
        "mfa": mfa_json(a),
        "recovery_unused": unused,
        "recovery_used": used,
        "security_level": level.level,
        "security_level_max": level.max,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    })
}

/// `show --json`: the summary plus notes and the level's checklist; with `reveal`, the
/// password, the authenticator as an otpauth:// URI, the recovery codes and password history.
pub fn detail_json(a: &Account, level: &SecurityLevel, reveal: bool) -> Value {
    let mut v = summary_json(a, level);
    v["notes"] = json!(a.notes);
    v["icon"] = json!(a.icon);
    v["password_changed_at"] = time_or_null(a.password_changed_at);
    v["password_history_count"] = json!(a.password_history.len());
    v["security"] = json!(level);
    if reveal {
        v["password"] = json!(a.password.expose());
        v["otp"] = match otpauth_uri(a) {
            Some(uri) => json!(uri.as_str()),
            None => Value::Null,
        };
        v["recovery"] = Value::Array(
            a.recovery
                .iter()
                .map(|r| json!({"code": r.code.expose(), "used_at": time_or_null(r.used_at), "note": r.note}))
                .collect(),
        );
        v["password_history"] = Value::Array(
            a.password_history
                .iter()
                .map(|h| json!({"password": h.password.expose(), "retired_at": h.retired_at}))
                .collect(),
        );
    }
    v
}

pub fn print_detail(a: &Account, level: &SecurityLevel, reveal: bool) -> Result<()> {
    outln!("{}", a.label());
    let row = |k: &str, v: &str| -> Result<()> {
        if !v.is_empty() {
            outln!("  {k:<11}{v}");
        }
        Ok(())
    };
    row("id", &a.id.to_string())?;
    row("name", &a.name)?;
    row("issuer", &a.issuer)?;
    row("username", &a.username)?;
    if !a.password.is_empty() {
        let when = a
            .password_changed_at
            .map(|t| format!("  (set {})", fmt_time(t)))
            .unwrap_or_default();
        let shown = if reveal { a.password.expose() } else { MASK };
        row("password", &format!("{shown}{when}"))?;
    }
    row("url", &a.url)?;
    row("tags", &a.tags.join(", "))?;
    row("icon", &a.icon)?;
    match &a.otp {
        None => row("MFA", "off")?,
        Some(o) => {
            let alg = match o.algorithm {
                keydeck_core::Algorithm::Sha1 => "SHA-1",
                keydeck_core::Algorithm::Sha256 => "SHA-256",
                keydeck_core::Algorithm::Sha512 => "SHA-512",
            };
            let what = match o.kind {
                OtpKind::Hotp => {
                    format!("HOTP · {alg} · {} digits · counter {}", o.digits, o.counter)
                }
                OtpKind::Totp => {
                    format!("TOTP · {alg} · {} digits · every {} s", o.digits, o.period)
                }
                OtpKind::Steam => "Steam Guard".to_owned(),
            };
            row("MFA", &what)?;
            if reveal {
                if let Some(uri) = otpauth_uri(a) {
                    row("otpauth", &uri)?;
                }
            }
        }
    }
    let (unused, used) = a.recovery_counts();
    if unused + used > 0 {
        row("recovery", &format!("{unused} unused, {used} used"))?;
        if reveal {
            for r in &a.recovery {
                let state = r
                    .used_at
                    .map(|t| format!("  used {}", fmt_time(t)))
                    .unwrap_or_default();
                outln!("  {:<11}{}{state}", "", r.code.expose());
            }
        }
    }
    if reveal && !a.password_history.is_empty() {
        row("history", "")?;
        for h in &a.password_history {
            outln!(
                "  {:<11}{}  (retired {})",
                "",
                h.password.expose(),
                fmt_time(h.retired_at)
            );
        }
    }
    row("created", &fmt_time(a.created_at))?;
    row("updated", &fmt_time(a.updated_at))?;
    if !a.notes.is_empty() {
        outln!("  notes");
        for l in a.notes.lines() {
            outln!("    {l}");
        }
    }
    outln!("Security level {}/{}", level.level, level.max);
    for m in &level.milestones {
        match &m.reason {
            None => outln!("  [x] {}", m.label),
            Some(r) => outln!("  [ ] {} — {r}", m.label),
        }
    }
    Ok(())
}
