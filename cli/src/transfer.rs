//! `import` and `export`: other apps' files in, Keydeck's accounts out (issue 10).
//!
//! The file's password comes from the variable `--file-password-env` names, else a prompt on a
//! terminal (asked again after a wrong one), never from argv. Exports always ask for the master
//! password, even when the keychain could open the vault: they take every secret out at once.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use keydeck_core::export::{export as export_accounts, ExportFormat};
use keydeck_core::import::{self, FileKey, Imported, Input};
use keydeck_core::{otp, Error, EventWhat, Result, SecretBytes, SecretText};
use serde_json::{json, Value};

use crate::codes::write_private;
use crate::output::{otp_json, print_json};
use crate::Ctx;

pub struct ImportArgs<'a> {
    pub file: Option<&'a Path>,
    pub format: Option<&'a str>,
    pub file_password_env: Option<&'a str>,
    pub keyfile: Option<&'a Path>,
    pub dry_run: bool,
    pub reveal: bool,
    pub skip_problems: bool,
}

/// `import --formats`: every format, its app and whether the app encrypts it.
pub fn formats(ctx: &Ctx) -> Result<ExitCode> {
    let all = import::formats();
    if ctx.json {
        print_json(&Value::Array(
            all.iter()
                .map(|f| json!({"name": f.name(), "app": f.app(), "title": f.title(), "encrypted": f.encryptable()}))
                .collect(),
        ))?;
    } else {
        for f in all {
            let enc = if f.encryptable() {
                "plain or encrypted"
            } else {
                "plain"
            };
            outln!("{:<26} {} ({enc})", f.name(), f.title());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn import(ctx: &mut Ctx, a: ImportArgs<'_>) -> Result<ExitCode> {
    let Some(file) = a.file else {
        return Err(Error::invalid(
            "import",
            "give a FILE (or - for standard input), or --formats",
        ));
    };
    let bytes = if file.as_os_str() == "-" {
        ctx.stdin.rest()?.as_bytes().to_vec()
    } else {
        Input::read_file(file)?
    };
    let keyfile = a
        .keyfile
        .map(|p| {
            // KeePass key files are a few hundred bytes (any file can be one): 1 MiB is plenty.
            keydeck_core::read_bounded(p, 1024 * 1024, "the key file")
                .map(SecretBytes::new)
                .map_err(|e| match e {
                    Error::Io { .. } => Error::invalid("--keyfile", e.to_string()),
                    e => e,
                })
        })
        .transpose()?;
    let read = read_with_password(bytes, &a, keyfile)?;
    let description = read.describe();
    let format = read.format.name();
    if !read.problems.is_empty() && !a.dry_run && !a.skip_problems {
        return Err(Error::invalid(
            "import",
            format!(
                "nothing imported: {} entr{} of this {description} cannot be imported: {} \
                 (--skip-problems imports the rest)",
                read.problems.len(),
                if read.problems.len() == 1 { "y" } else { "ies" },
                read.problems.join("; ")
            ),
        ));
    }
    let mut vault = ctx.unlock()?;
    let plan = vault.plan_import(read.accounts);
    let mut problems = read.problems;
    problems.extend(plan.problems.iter().cloned());
    if !plan.problems.is_empty() && !a.dry_run && !a.skip_problems {
        return Err(Error::invalid(
            "import",
            format!(
                "nothing imported: {} (--skip-problems imports the rest)",
                plan.problems.join("; ")
            ),
        ));
    }
    let warnings: Vec<String> = plan
        .to_add
        .iter()
        .flat_map(|i| {
            let l = i.label();
            i.warnings.iter().map(move |w| format!("{l}: {w}"))
        })
        .collect();
    let to_add_json: Vec<Value> = plan
        .to_add
        .iter()
        .map(|i| imported_json(i, a.reveal))
        .collect();
    let dup_json: Vec<Value> = plan
        .duplicates
        .iter()
        .map(|i| imported_json(i, a.reveal))
        .collect();
    let added: Vec<String> = plan.to_add.iter().map(Imported::label).collect();
    let dups: Vec<String> = plan.duplicates.iter().map(Imported::label).collect();
    let ids = if a.dry_run {
        Vec::new()
    } else {
        vault.import_accounts(plan.to_add, &description)?
    };
    if ctx.json {
        print_json(&json!({
            "format": format,
            "description": description,
            "encrypted": read.encrypted,
            "dry_run": a.dry_run,
            "to_add": to_add_json,
            "duplicates": dup_json,
            "problems": problems,
            "warnings": warnings,
            "added": added,
            "ids": ids,
        }))?;
    } else {
        let verb = if a.dry_run { "Would add" } else { "Added" };
        outln!(
            "{description}: {verb} {} account(s); {} already in the vault.",
            added.len(),
            dups.len()
        );
        for l in &added {
            outln!("  + {l}");
        }
        for l in &dups {
            outln!("  = {l} (already saved)");
        }
        for p in &problems {
            outln!("  ! {p}");
        }
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the file; when it needs a password and none came from the environment, asks on the
/// terminal, and asks again after a wrong one (three tries).
fn read_with_password(
    bytes: Vec<u8>,
    a: &ImportArgs<'_>,
    keyfile: Option<SecretBytes>,
) -> Result<import::ImportFile> {
    let mut key = FileKey {
        password: None,
        keyfile,
    };
    if let Some(var) = a.file_password_env {
        key.password = Some(env_password(var)?);
        return import::read(bytes, a.format, &key);
    }
    let input_for_retry = zeroize::Zeroizing::new(bytes);
    let mut tries = 0;
    loop {
        match import::read(input_for_retry.to_vec(), a.format, &key) {
            Err(Error::FilePasswordNeeded { what }) | Err(Error::WrongFilePassword { what })
                if std::io::stdin().is_terminal() && tries < 3 =>
            {
                if tries > 0 {
                    eprintln!("Wrong password for this {what}.");
                }
                tries += 1;
                key.password = Some(prompt(&format!("Password of this {what}: "))?);
            }
            Err(Error::FilePasswordNeeded { what }) if !std::io::stdin().is_terminal() => {
                return Err(Error::FilePasswordNeeded {
                    what: format!("{what} (give it with --file-password-env VAR)"),
                })
            }
            other => return other,
        }
    }
}

fn env_password(var: &str) -> Result<SecretText> {
    let v = std::env::var_os(var)
        .ok_or_else(|| Error::invalid("--file-password-env", format!("{var} is not set")))?
        .into_string()
        .map_err(|_| Error::invalid(var, "not valid UTF-8"))?;
    if v.is_empty() {
        return Err(Error::invalid(var, "the password is empty"));
    }
    Ok(SecretText::new(v))
}

fn prompt(text: &str) -> Result<SecretText> {
    rpassword::prompt_password(text)
        .map(SecretText::from)
        .map_err(|e| Error::invalid("file password", format!("could not read the terminal: {e}")))
}

/// An imported account as `show --json` prints one; secrets only with `reveal`.
fn imported_json(i: &Imported, reveal: bool) -> Value {
    let mut v = json!({
        "name": i.display_name(),
        "issuer": i.issuer,
        "username": i.username,
        "url": i.url,
        "notes": i.notes,
        "tags": i.tags,
        "has_password": i.password.as_ref().is_some_and(|p| !p.is_empty()),
        "mfa": otp_json(i.otp.as_ref()),
        "recovery_count": i.recovery.len(),
        "password_history_count": i.password_history.len(),
    });
    if reveal {
        v["password"] = json!(i.password.as_ref().map(|p| p.expose()).unwrap_or_default());
        v["otp"] = match &i.otp {
            Some(o) => {
                let issuer = if i.issuer.is_empty() {
                    i.display_name()
                } else {
                    i.issuer.clone()
                };
                let account = if i.username.is_empty() {
                    i.display_name()
                } else {
                    i.username.clone()
                };
                json!(otp::format_uri(&issuer, &account, o).as_str())
            }
            None => Value::Null,
        };
        v["recovery"] = Value::Array(
            i.recovery
                .iter()
                .map(|r| json!({"code": r.code.expose(), "used_at": r.used_at}))
                .collect(),
        );
    }
    v
}

pub fn export(
    ctx: &mut Ctx,
    out: &Path,
    format: &str,
    file_password_env: Option<&str>,
) -> Result<ExitCode> {
    let format = ExportFormat::parse(format)?;
    if out.as_os_str() != "-" && out.exists() {
        return Err(Error::Io {
            path: out.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the file exists; Keydeck never overwrites a file",
            ),
        });
    }
    let file_password = if format.encrypted() {
        Some(match file_password_env {
            Some(var) => env_password(var)?,
            None => new_file_password()?,
        })
    } else {
        None
    };
    // Every secret leaves at once: the master password, even when the keychain could unlock.
    let mut vault = ctx.unlock_with_password()?;
    let accounts: Vec<&keydeck_core::Account> = vault.accounts().collect();
    let exported = export_accounts(&accounts, format, file_password.as_ref())?;
    drop(accounts);
    write_private(out, &exported.bytes)?;
    vault.log(
        EventWhat::Exported,
        None,
        &format!("{} account(s), {}", exported.accounts, format.name()),
    )?;
    for (label, reason) in &exported.skipped {
        eprintln!("warning: {label} left out: {reason}");
    }
    if out.as_os_str() != "-" {
        let care = if format.encrypted() {
            "Keep its password safe: without it the file cannot be opened."
        } else {
            "Anyone who reads it has these secrets: keep it safe, delete it when done."
        };
        eprintln!(
            "Wrote {} account(s) to {}: {}. {care}",
            exported.accounts,
            out.display(),
            format.describe()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A new password for an encrypted export: asked twice on a terminal.
fn new_file_password() -> Result<SecretText> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "export",
            "this format is encrypted: give the file's password with --file-password-env VAR",
        ));
    }
    let first = prompt("Password for the exported file: ")?;
    let again = prompt("Repeat it: ")?;
    if first.expose() != again.expose() {
        return Err(Error::invalid("file password", "the two entries differ"));
    }
    if first.is_empty() {
        return Err(Error::invalid("file password", "the password is empty"));
    }
    Ok(first)
}
