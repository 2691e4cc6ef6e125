// SPDX-License-Identifier: GPL-3.0-or-later
//! The Trash (`keydeck trash list|restore|purge|empty`) and favourites (`keydeck favourite`).

use std::process::ExitCode;

use keydeck_core::{fmt_time, AccountPatch, Result, TRASH_DAYS};
use serde_json::json;

use crate::args::TrashCommand;
use crate::input;
use crate::output::print_json;
use crate::Ctx;

const DAY: i64 = 86_400;

pub fn trash(ctx: &mut Ctx, command: TrashCommand) -> Result<ExitCode> {
    match command {
        TrashCommand::List => list(ctx),
        TrashCommand::Restore { name } => restore(ctx, &name),
        TrashCommand::Purge { name, yes } => purge(ctx, &name, yes),
        TrashCommand::Empty { yes } => empty(ctx, yes),
    }
}

fn list(ctx: &mut Ctx) -> Result<ExitCode> {
    let vault = ctx.unlock()?;
    let items = vault.trash();
    if ctx.json {
        let arr: Vec<_> = items
            .iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "name": t.name,
                    "issuer": t.issuer,
                    "username": t.username,
                    "deleted_at": t.deleted_at,
                    "purge_at": t.deleted_at + TRASH_DAYS * DAY,
                })
            })
            .collect();
        print_json(&serde_json::Value::Array(arr))?;
    } else if items.is_empty() {
        outln!("The Trash is empty.");
    } else {
        outln!(
            "{:<24} {:<28} {:<21} {:<21} ID",
            "NAME",
            "USERNAME",
            "REMOVED",
            "DELETED FOR GOOD"
        );
        for t in &items {
            outln!(
                "{:<24} {:<28} {:<21} {:<21} {}",
                crate::accounts::clip(&t.name, 24),
                crate::accounts::clip(&t.username, 28),
                fmt_time(t.deleted_at),
                fmt_time(t.deleted_at + TRASH_DAYS * DAY),
                t.id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn restore(ctx: &mut Ctx, name: &str) -> Result<ExitCode> {
    let mut vault = ctx.unlock()?;
    let id = vault.resolve_trashed(name)?;
    vault.restore_account(id)?;
    let label = vault.account(id)?.label();
    if ctx.json {
        print_json(&json!({"restored": id, "name": label}))?;
    } else {
        outln!("Restored {label}");
    }
    Ok(ExitCode::SUCCESS)
}

fn purge(ctx: &mut Ctx, name: &str, yes: bool) -> Result<ExitCode> {
    if !yes {
        input::can_confirm("trash purge")?;
    }
    let mut vault = ctx.unlock()?;
    let id = vault.resolve_trashed(name)?;
    let label = vault.trashed_account(id)?.label();
    if !yes && !input::confirm("trash purge", &format!("Delete {label} forever?"))? {
        outln!("Nothing was changed.");
        return Ok(ExitCode::from(1));
    }
    vault.delete_forever(id)?;
    if ctx.json {
        print_json(&json!({"deleted": id, "name": label}))?;
    } else {
        outln!("Deleted {label} forever");
    }
    Ok(ExitCode::SUCCESS)
}

fn empty(ctx: &mut Ctx, yes: bool) -> Result<ExitCode> {
    if !yes {
        input::can_confirm("trash empty")?;
    }
    let mut vault = ctx.unlock()?;
    let n = vault.trash_len();
    if n > 0 && !yes {
        let question = format!("Delete {} in the Trash forever?", accounts(n));
        if !input::confirm("trash empty", &question)? {
            outln!("Nothing was changed.");
            return Ok(ExitCode::from(1));
        }
    }
    let deleted = vault.empty_trash()?;
    if ctx.json {
        print_json(&json!({ "deleted": deleted }))?;
    } else if deleted == 0 {
        outln!("The Trash is already empty.");
    } else {
        outln!("Deleted {} forever", accounts(deleted));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn favourite(ctx: &mut Ctx, name: &str, on: bool) -> Result<ExitCode> {
    let mut vault = ctx.unlock()?;
    let id = vault.resolve(name)?;
    let a = vault.account(id)?;
    let name = a.name.clone();
    let changed = a.favourite != on;
    if changed {
        vault.update_account(
            id,
            AccountPatch {
                favourite: Some(on),
                ..Default::default()
            },
        )?;
    }
    if ctx.json {
        print_json(&json!({"id": id, "name": name, "favourite": on, "changed": changed}))?;
    } else {
        outln!(
            "{}",
            match (on, changed) {
                (true, true) => format!("Added {name} to favourites"),
                (false, true) => format!("Removed {name} from favourites"),
                (true, false) => format!("{name} is already in favourites"),
                (false, false) => format!("{name} is not in favourites"),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn accounts(n: usize) -> String {
    if n == 1 {
        "1 account".to_owned()
    } else {
        format!("{n} accounts")
    }
}
