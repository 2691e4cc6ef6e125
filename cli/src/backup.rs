//! Backups: `keydeck backup [--dir DIR]`, `backup config`, `backup list`, `backup status`, and
//! `keydeck restore FILE`. Automatic backups after a change happen where the unlocked vault is
//! dropped (`Session` in main.rs), not here.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use keydeck_core::{
    backup::create_folder, fmt_time, inspect_backup, list_backups, restore_backup, Error, Result,
};
use serde_json::json;

use crate::args::BackupCommand;
use crate::output::print_json;
use crate::Ctx;

pub fn backup(
    ctx: &mut Ctx,
    command: Option<BackupCommand>,
    dir: Option<PathBuf>,
) -> Result<ExitCode> {
    match command {
        None => now(ctx, dir.as_deref()),
        Some(BackupCommand::Config { dir, keep, auto }) => config(ctx, dir, keep, auto),
        Some(BackupCommand::List) => list(ctx),
        Some(BackupCommand::Status) => status(ctx),
    }
}

fn now(ctx: &mut Ctx, dir: Option<&Path>) -> Result<ExitCode> {
    let mut vault = ctx.unlock()?;
    let info = vault.backup_now(dir)?;
    if ctx.json {
        print_json(&json!(info))?;
    } else {
        outln!(
            "Backed up {} account(s) to {} ({} bytes).",
            vault.len(),
            info.path.display(),
            info.size
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn config(
    ctx: &mut Ctx,
    dir: Option<PathBuf>,
    keep: Option<u32>,
    auto: Option<String>,
) -> Result<ExitCode> {
    let mut vault = ctx.unlock()?;
    let mut s = vault.backup_settings();
    let changing = dir.is_some() || keep.is_some() || auto.is_some();
    if let Some(d) = dir {
        // A folder the user chose is made now (0700), parents included; later backups make
        // only the last component, so a drive that is not mounted fails instead.
        create_folder(&d)?;
        s.folder = Some(d);
    }
    if let Some(k) = keep {
        s.keep = k;
    }
    if let Some(a) = auto {
        s.auto = a == "on";
    }
    if changing {
        vault.set_backup_settings(&s)?;
        s = vault.backup_settings();
    }
    let folder = vault.backup_folder(&s);
    if ctx.json {
        print_json(&json!({"folder": folder, "keep": s.keep, "auto": s.auto}))?;
    } else {
        outln!(
            "Backups: {}; keep the newest {}; automatic backups {}.",
            folder.display(),
            s.keep,
            if s.auto { "on" } else { "off" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &mut Ctx) -> Result<ExitCode> {
    let vault = ctx.unlock_to_read()?;
    let folder = vault.backup_folder(&vault.backup_settings());
    let backups = list_backups(&folder)?;
    if ctx.json {
        print_json(&json!(backups))?;
    } else if backups.is_empty() {
        outln!("No backups in {} yet.", folder.display());
    } else {
        outln!("{} backup(s) in {}:", backups.len(), folder.display());
        for b in &backups {
            outln!(
                "{}  {:>10} bytes  {}",
                fmt_time(b.at),
                b.size,
                b.path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn status(ctx: &mut Ctx) -> Result<ExitCode> {
    let vault = ctx.unlock_to_read()?;
    let st = vault.backup_status();
    let count = list_backups(&st.folder).map(|b| b.len()).ok();
    if ctx.json {
        print_json(&json!({
            "auto": st.auto,
            "folder": st.folder,
            "keep": st.keep,
            "backups": count,
            "last_ok_at": st.last_ok_at,
            "last_ok_file": st.last_ok_file,
            "last_attempt_at": st.last_attempt_at,
            "last_error": st.last_error,
            "last_error_at": st.last_error_at,
            "pending": st.pending,
        }))?;
    } else {
        outln!(
            "Automatic backups {} to {} (keeping {}).",
            if st.auto { "on" } else { "off" },
            st.folder.display(),
            st.keep
        );
        match count {
            Some(n) => outln!("{n} backup(s) in the folder."),
            None => outln!("The folder cannot be read."),
        }
        match (st.last_ok_at, &st.last_ok_file) {
            (Some(t), Some(f)) => outln!("Last backup: {} ({})", fmt_time(t), f.display()),
            (Some(t), None) => outln!("Last backup: {}", fmt_time(t)),
            _ => outln!("Last backup: never"),
        }
        if st.pending {
            outln!("Changes since the last backup: yes (a backup is due)");
        } else {
            outln!("Changes since the last backup: none");
        }
    }
    if let Some(e) = &st.last_error {
        let at = st.last_error_at.map(fmt_time).unwrap_or_default();
        eprintln!("warning: the last backup failed ({at}): {e}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The largest backup `restore` opens: a 10,000-account vault is a few tens of MiB.
const MAX_BACKUP_BYTES: u64 = 4 * 1024 * 1024 * 1024;

pub fn restore(ctx: &mut Ctx, file: &Path, yes: bool) -> Result<ExitCode> {
    let interactive = std::io::stdin().is_terminal();
    if !yes && !interactive {
        return Err(Error::invalid(
            "restore",
            "replacing the vault needs a confirmation: run in a terminal, or pass --yes",
        ));
    }
    // A backup is a SQLite file: a device or a FIFO is refused before SQLite opens it.
    keydeck_core::check_regular_file(file, MAX_BACKUP_BYTES, "the backup")?;
    let password = ctx.passwords().current()?;
    let summary = inspect_backup(file, &password)?;
    if !ctx.json {
        outln!(
            "Backup of {}: {} account(s).",
            fmt_time(summary.at),
            summary.accounts
        );
    }
    if summary.damaged > 0 {
        eprintln!(
            "warning: {} item(s) of the backup failed the integrity check",
            summary.damaged
        );
    }
    if !yes {
        let question = format!(
            "Replace the vault at {} with this backup? The current vault is kept beside it.",
            ctx.vault_path.display()
        );
        if !crate::input::confirm("restore", &question)? {
            outln!("Nothing was changed.");
            return Ok(ExitCode::from(1));
        }
    }
    let done = restore_backup(file, &ctx.vault_path, &password)?;
    if ctx.json {
        print_json(&json!({
            "restored": ctx.vault_path,
            "from": done.backup.path,
            "at": done.backup.at,
            "accounts": done.backup.accounts,
            "replaced": done.replaced,
        }))?;
    } else {
        outln!(
            "Restored {} account(s) from the backup of {}.",
            done.backup.accounts,
            fmt_time(done.backup.at)
        );
        if let Some(r) = &done.replaced {
            outln!("The vault it replaced is kept at {}", r.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
