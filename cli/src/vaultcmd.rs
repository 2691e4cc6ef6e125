//! Vault-wide commands: init, passwd, log, check.

use std::process::ExitCode;

use keydeck_core::{fmt_time, Error, KdfParams, Result, Vault};
use serde_json::json;

use crate::args::KdfArgs;
use crate::output::print_json;
use crate::Ctx;

fn kdf_params(a: KdfArgs) -> KdfParams {
    let d = KdfParams::default();
    KdfParams {
        m_kib: a
            .kdf_memory
            .map(|m| m.saturating_mul(1024))
            .unwrap_or(d.m_kib),
        t: a.kdf_iterations.unwrap_or(d.t),
        p: a.kdf_parallelism.unwrap_or(d.p),
    }
}

pub fn init(ctx: &mut Ctx, kdf: KdfArgs) -> Result<ExitCode> {
    let params = kdf_params(kdf);
    params.check()?;
    let path = ctx.vault_path.clone();
    if path.exists() {
        return Err(Error::VaultExists { path });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let password = ctx.passwords().new_password("KEYDECK_PASSWORD")?;
    let vault = Vault::create(&path, &password, params)?;
    if ctx.json {
        print_json(&json!({"vault": path, "id": vault.vault_id(), "kdf": params.canonical()}));
    } else {
        println!("Created a vault at {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The vault's folder, readable by its owner only when we create it.
fn create_private_dir(dir: &std::path::Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| Error::Io {
        path: dir.to_owned(),
        source: e,
    })
}

pub fn passwd(ctx: &mut Ctx, kdf: KdfArgs) -> Result<ExitCode> {
    let params = kdf_params(kdf);
    params.check()?;
    let mut vault = ctx.unlock()?;
    let new = ctx.passwords().new_password("KEYDECK_NEW_PASSWORD")?;
    vault.change_password(&new, params)?;
    if ctx.json {
        print_json(&json!({"changed": true, "kdf": params.canonical()}));
    } else {
        println!("Master password changed.");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn log(ctx: &mut Ctx, account: Option<&str>) -> Result<ExitCode> {
    let vault = ctx.unlock()?;
    let filter = account.map(|a| vault.resolve(a)).transpose()?;
    let (events, damaged) = vault.events()?;
    let events: Vec<_> = events
        .into_iter()
        .filter(|e| filter.is_none() || e.account_id == filter)
        .collect();
    if ctx.json {
        print_json(&json!(events));
    } else {
        for e in &events {
            let mut line = format!("{}  {:<24}", fmt_time(e.at), e.what.describe());
            if !e.account.is_empty() {
                line.push_str(&format!("  {}", e.account));
            }
            if !e.detail.is_empty() {
                line.push_str(&format!("  ({})", e.detail));
            }
            println!("{}", line.trim_end());
        }
    }
    if !damaged.is_empty() {
        let ids: Vec<String> = damaged.iter().map(|i| i.to_string()).collect();
        eprintln!(
            "warning: {} log entr(ies) failed the integrity check: {}",
            ids.len(),
            ids.join(", ")
        );
        return Ok(ExitCode::from(4));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(ctx: &mut Ctx) -> Result<ExitCode> {
    let vault = ctx.unlock()?;
    vault.integrity_check()?;
    let (events, damaged_events) = vault.events()?;
    let damaged: Vec<String> = vault
        .damaged()
        .iter()
        .chain(damaged_events.iter())
        .map(|i| i.to_string())
        .collect();
    if ctx.json {
        print_json(&json!({
            "accounts": vault.len(),
            "events": events.len(),
            "damaged": damaged,
            "writes": vault.writes(),
        }));
    } else {
        println!(
            "{} accounts and {} log entries verified; {} damaged; the vault key has sealed {} records.",
            vault.len(),
            events.len(),
            damaged.len(),
            vault.writes()
        );
    }
    Ok(if damaged.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}
