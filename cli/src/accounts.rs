//! Account commands: add, edit, rm, list, show, and recovery codes.

use std::process::ExitCode;

use keydeck_core::{
    fmt_time, generate_password, AccountDraft, AccountPatch, Error, PasswordPolicy, Result,
    SecretText,
};
use serde_json::json;

use crate::args::FieldArgs;
use crate::codes;
use crate::output::{self, print_json};
use crate::Ctx;

/// The account's own password: from the named environment variable, or generated.
fn account_password(f: &FieldArgs) -> Result<Option<SecretText>> {
    if let Some(var) = &f.password_env {
        let v = std::env::var_os(var)
            .ok_or_else(|| {
                Error::invalid(
                    "--password-env",
                    format!("environment variable {var} is not set"),
                )
            })?
            .into_string()
            .map_err(|_| Error::invalid("--password-env", format!("{var} is not valid UTF-8")))?;
        return Ok(Some(SecretText::new(v)));
    }
    if let Some(length) = f.generate_password {
        return generate_password(&PasswordPolicy {
            length,
            symbols: !f.no_symbols,
            ..Default::default()
        })
        .map(Some);
    }
    Ok(None)
}

/// `--notes TEXT|-` or `--notes-file PATH|-`: long, multi-line or private notes do not fit argv.
/// `--notes -` is one value (a trailing line ending dropped, empty refused); `--notes-file -`
/// takes standard input as it is.
fn notes(ctx: &mut Ctx, f: &mut FieldArgs) -> Result<Option<String>> {
    match f.notes_file.take() {
        None => match f.notes.take() {
            Some(n) if n == "-" => Ok(Some(ctx.stdin.text_value("--notes")?.to_string())),
            other => Ok(other),
        },
        Some(p) if p.as_os_str() == "-" => Ok(Some(ctx.stdin.rest()?.to_string())),
        Some(p) => {
            // Notes are at most 64 KiB; up to 1 MiB is read so that their own limit explains a
            // long file, anything larger is refused before it is read.
            let bytes = keydeck_core::read_bounded(&p, 1024 * 1024, "the notes file")?;
            String::from_utf8(bytes).map(Some).map_err(|e| {
                Error::invalid(
                    "--notes-file",
                    format!(
                        "{} is not valid UTF-8 (bad byte at offset {})",
                        p.display(),
                        e.utf8_error().valid_up_to()
                    ),
                )
            })
        }
    }
}

pub fn add(ctx: &mut Ctx, name: &str, mut f: FieldArgs) -> Result<ExitCode> {
    let password = account_password(&f)?;
    let notes = notes(ctx, &mut f)?;
    let entry = codes::entry_from_args(ctx, &f.otp)?;
    if let Some(e) = &entry {
        codes::warn_all(&e.warnings);
        // A URI knows whom it is for: use that unless told otherwise.
        if f.issuer.is_none() && !e.issuer.is_empty() {
            f.issuer = Some(e.issuer.clone());
        }
        if f.username.is_none() && !e.account.is_empty() {
            f.username = Some(e.account.clone());
        }
    }
    let generated = f.generate_password.is_some();
    let draft = AccountDraft {
        name: name.to_owned(),
        issuer: f.issuer.unwrap_or_default(),
        username: f.username.unwrap_or_default(),
        password,
        url: f.url.unwrap_or_default(),
        notes: notes.unwrap_or_default(),
        tags: f.tag,
        icon: f.icon.unwrap_or_default(),
        otp: entry.map(|e| e.otp),
        ..Default::default()
    };
    let mut vault = ctx.unlock()?;
    let id = vault.add_account(draft)?;
    let a = vault.account(id)?;
    if ctx.json {
        let level = vault.security_level(id)?;
        print_json(&output::summary_json(a, &level))?;
    } else {
        outln!("Added {} (id {id})", a.label());
        if let Some(o) = &a.otp {
            outln!("{}", codes::describe_saved(o));
        }
        if generated {
            outln!(
                "Generated a {}-character password; `keydeck show {id} --reveal` shows it.",
                a.password.expose().chars().count()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn edit(
    ctx: &mut Ctx,
    name: &str,
    new_name: Option<String>,
    mut f: FieldArgs,
    clear_tags: bool,
    no_mfa: bool,
) -> Result<ExitCode> {
    let password = account_password(&f)?;
    let notes = notes(ctx, &mut f)?;
    let entry = codes::entry_from_args(ctx, &f.otp)?;
    if let Some(e) = &entry {
        codes::warn_all(&e.warnings);
    }
    let otp = match (entry, no_mfa) {
        (Some(e), _) => Some(Some(e.otp)),
        (None, true) => Some(None),
        (None, false) => None,
    };
    let patch = AccountPatch {
        name: new_name,
        issuer: f.issuer,
        username: f.username,
        password,
        url: f.url,
        notes,
        tags: if clear_tags {
            Some(Vec::new())
        } else {
            (!f.tag.is_empty()).then_some(f.tag)
        },
        icon: f.icon,
        otp,
        favourite: None,
    };
    if patch.is_empty() {
        return Err(Error::invalid(
            "edit",
            "nothing to change (give at least one option, see keydeck edit --help)",
        ));
    }
    let mut vault = ctx.unlock()?;
    let id = vault.resolve(name)?;
    // Values equal to the saved ones are no error: a script re-running the same edit gets
    // exit 0, "nothing changed", and nothing is written.
    let changed = vault.update_account_if_changed(id, patch)?;
    let a = vault.account(id)?;
    if ctx.json {
        let level = vault.security_level(id)?;
        let mut v = output::summary_json(a, &level);
        v["changed"] = json!(changed);
        print_json(&v)?;
    } else if !changed {
        outln!("Nothing changed: {} already has these values.", a.label());
    } else {
        outln!("Updated {}", a.label());
        if let (Some(o), true) = (&a.otp, f.otp.secret.is_some() || f.otp.uri.is_some()) {
            outln!("{}", codes::describe_saved(o));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn rm(ctx: &mut Ctx, name: &str) -> Result<ExitCode> {
    let mut vault = ctx.unlock()?;
    let id = vault.resolve(name)?;
    let label = vault.account(id)?.label();
    vault.remove_account(id)?;
    if ctx.json {
        print_json(&json!({"removed": id, "name": label, "trash": true}))?;
    } else {
        outln!("Moved {label} to the Trash. Undo with: keydeck trash restore {id}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn list(ctx: &mut Ctx, search: Option<&str>, tag: Option<&str>) -> Result<ExitCode> {
    let vault = ctx.unlock_to_read()?;
    let levels = vault.security_levels();
    let shown: Vec<_> = vault
        .search(search.unwrap_or(""))
        .into_iter()
        .filter(|a| tag.is_none_or(|t| a.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
        .collect();
    let level_of = |id| levels.iter().find(|(i, _)| *i == id).map(|(_, l)| l);
    if ctx.json {
        let arr: Vec<_> = shown
            .iter()
            .filter_map(|a| level_of(a.id).map(|l| output::summary_json(a, l)))
            .collect();
        print_json(&serde_json::Value::Array(arr))?;
    } else if shown.is_empty() {
        if vault.is_empty() {
            outln!(
                "No accounts yet. Add one with: keydeck add NAME --username U --generate-password"
            );
        } else {
            outln!("No account matches.");
        }
    } else {
        outln!(
            "{:<24} {:<28} {:<5} {:<9} {:<6} ID",
            "NAME",
            "USERNAME",
            "MFA",
            "RECOVERY",
            "LEVEL"
        );
        for a in &shown {
            let (unused, used) = a.recovery_counts();
            let level = level_of(a.id)
                .map(|l| format!("{}/{}", l.level, l.max))
                .unwrap_or_default();
            outln!(
                "{:<24} {:<28} {:<5} {:<9} {:<6} {}",
                clip(&a.name, 24),
                clip(&a.username, 28),
                if a.otp.is_some() { "on" } else { "off" },
                if unused + used > 0 {
                    format!("{unused}/{}", unused + used)
                } else {
                    "-".into()
                },
                level,
                &a.id.to_string()[..8]
            );
        }
    }
    // Damaged items were reported on stderr; a listing that leaves some out must not look clean.
    Ok(if vault.damaged().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}

pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

pub fn show(ctx: &mut Ctx, name: &str, reveal: bool) -> Result<ExitCode> {
    let vault = ctx.unlock_to_read()?;
    let id = vault.resolve(name)?;
    let a = vault.account(id)?;
    let level = vault.security_level(id)?;
    if ctx.json {
        print_json(&output::detail_json(a, &level, reveal))?;
    } else {
        output::print_detail(a, &level, reveal)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn recovery_add(ctx: &mut Ctx, name: &str) -> Result<ExitCode> {
    let mut vault = ctx.unlock()?;
    let id = vault.resolve(name)?;
    let block = ctx.stdin.rest()?;
    let r = vault.add_recovery_codes(id, &block)?;
    if ctx.json {
        print_json(&json!(r))?;
    } else {
        outln!(
            "Added {} to {}; {} unused, {} used.",
            plural(r.added, "recovery code", "recovery codes"),
            vault.account(id)?.label(),
            r.unused,
            r.used
        );
        if r.duplicates > 0 {
            outln!(
                "{} already saved and not added again.",
                plural(r.duplicates, "code was", "codes were")
            );
        }
        if !r.ignored_lines.is_empty() {
            let lines: Vec<String> = r.ignored_lines.iter().map(|l| l.to_string()).collect();
            let what = if lines.len() == 1 { "line" } else { "lines" };
            outln!("Ignored {what} without codes: {}", lines.join(", "));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn recovery_list(ctx: &mut Ctx, name: &str, reveal: bool) -> Result<ExitCode> {
    let vault = ctx.unlock_to_read()?;
    let id = vault.resolve(name)?;
    let a = vault.account(id)?;
    // Without --reveal, no character of a code is shown: position and state only.
    if ctx.json {
        let arr: Vec<_> = a
            .recovery
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut o = json!({
                    "position": i + 1,
                    "state": if r.used_at.is_some() { "used" } else { "unused" },
                    "used_at": r.used_at,
                    "note": r.note,
                });
                if reveal {
                    o["code"] = json!(r.code.expose());
                }
                o
            })
            .collect();
        print_json(&serde_json::Value::Array(arr))?;
    } else {
        let (unused, used) = a.recovery_counts();
        outln!("{}: {unused} unused, {used} used", a.label());
        for (i, r) in a.recovery.iter().enumerate() {
            let state = r
                .used_at
                .map(|t| format!("used {}", fmt_time(t)))
                .unwrap_or_else(|| "unused".into());
            if reveal {
                outln!("{:>3}. {:<24} {state}", i + 1, r.code.expose());
            } else {
                outln!("{:>3}. {state}", i + 1);
            }
        }
        if unused <= 2 && unused + used > 0 {
            outln!(
                "warning: only {} left; generate new ones at the service",
                plural(unused, "unused code", "unused codes")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `recovery use NAME CODE`, or `CODE` = `-`: the code from standard input (kept out of argv).
pub fn recovery_use(ctx: &mut Ctx, name: &str, code: String) -> Result<ExitCode> {
    let code = if code == "-" {
        ctx.stdin.value("recovery use CODE")?
    } else {
        SecretText::new(code)
    };
    let mut vault = ctx.unlock()?;
    let id = vault.resolve(name)?;
    let remaining = vault.use_recovery_code(id, &code)?;
    if ctx.json {
        print_json(&json!({"used": true, "remaining": remaining}))?;
    } else {
        outln!(
            "Marked as used. {} left for {}.",
            plural(remaining, "unused recovery code", "unused recovery codes"),
            vault.account(id)?.label()
        );
        if remaining <= 2 {
            outln!("warning: only {remaining} left; generate new ones at the service");
        }
    }
    Ok(ExitCode::SUCCESS)
}
