//! Vault-wide commands: init, passwd, log, check, keychain.

use std::process::ExitCode;

use keydeck_core::{fmt_time, Error, KdfParams, LockedVault, RekeyReport, Result, Vault};
use serde_json::json;

use crate::args::{KdfArgs, KeychainCommand};
use crate::output::print_json;
use crate::Ctx;

/// The parameters `a` asks for; those not given come from `d`.
fn kdf_params_over(a: KdfArgs, d: KdfParams) -> KdfParams {
    KdfParams {
        m_kib: a
            .kdf_memory
            .map(|m| m.saturating_mul(1024))
            .unwrap_or(d.m_kib),
        t: a.kdf_iterations.unwrap_or(d.t),
        p: a.kdf_parallelism.unwrap_or(d.p),
    }
}

fn kdf_params(a: KdfArgs) -> KdfParams {
    kdf_params_over(a, KdfParams::default())
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
        print_json(&json!({"vault": path, "id": vault.vault_id(), "kdf": params.canonical()}))?;
    } else {
        outln!("Created a vault at {}", path.display());
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
    let given =
        kdf.kdf_memory.is_some() || kdf.kdf_iterations.is_some() || kdf.kdf_parallelism.is_some();
    if given {
        // Refuse bad settings before asking for any password.
        kdf_params(kdf).check()?;
    }
    let mut vault = ctx.unlock_with_password()?;
    // Settings not given are the vault's own, not the defaults.
    let params = kdf_params_over(kdf, vault.kdf_params()?);
    params.check()?;
    let new = ctx.passwords().new_password("KEYDECK_NEW_PASSWORD")?;
    let report = vault.change_password(&new, Some(params))?;
    warn_rekey(&report);
    if ctx.json {
        print_json(
            &json!({"changed": true, "kdf": params.canonical(), "items": report.items,
            "dropped_slots": dropped(&report)}),
        )?;
    } else {
        outln!(
            "Master password changed; the vault has a new key ({} records re-encrypted).",
            report.items
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Re-encrypts every record under a new vault key; the master password stays.
pub fn rekey(ctx: &mut Ctx) -> Result<ExitCode> {
    let locked = LockedVault::open(&ctx.vault_path)?;
    let password = ctx.passwords().current()?;
    let mut vault = ctx.opened(locked.unlock_with_password(&password)?)?;
    let report = vault.rekey(&password)?;
    warn_rekey(&report);
    if ctx.json {
        print_json(&json!({"rekeyed": true, "items": report.items,
            "dropped_slots": dropped(&report)}))?;
    } else {
        outln!(
            "The vault has a new key: {} records re-encrypted.",
            report.items
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn dropped(report: &RekeyReport) -> Vec<serde_json::Value> {
    report
        .dropped_slots
        .iter()
        .map(|(kind, why)| json!({"kind": kind, "problem": why}))
        .collect()
}

/// What a re-key could not do, on stderr.
fn warn_rekey(report: &RekeyReport) {
    for (kind, why) in &report.dropped_slots {
        if kind == keydeck_core::KIND_KEYCHAIN {
            eprintln!(
                "warning: keychain unlock was turned off ({why}); turn it on again with \
                 `keydeck keychain enable`"
            );
        } else {
            eprintln!("warning: the {kind} unlock method was removed ({why})");
        }
    }
    if report.damaged > 0 {
        eprintln!(
            "warning: {} damaged record(s) were left as they were; run `keydeck check`",
            report.damaged
        );
    }
    if !report.wal_cleared {
        eprintln!(
            "note: another Keydeck process is reading the vault; the old key's bytes leave the \
             -wal file when it closes"
        );
    }
}

pub fn log(ctx: &mut Ctx, account: Option<&str>, keep_days: Option<u32>) -> Result<ExitCode> {
    if let Some(days) = keep_days {
        if account.is_some() {
            return Err(Error::invalid(
                "log",
                "--keep-days applies to the whole log; leave out --account",
            ));
        }
        let mut vault = ctx.unlock()?;
        vault.set_log_keep_days(days)?;
        if ctx.json {
            print_json(&json!({ "keep_days": days }))?;
        } else {
            let unit = if days == 1 { "day" } else { "days" };
            outln!("The activity log keeps entries for {days} {unit}; older ones were deleted.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let vault = ctx.unlock_to_read()?;
    let filter = account.map(|a| vault.resolve(a)).transpose()?;
    let (events, damaged) = vault.events()?;
    let events: Vec<_> = events
        .into_iter()
        .filter(|e| filter.is_none() || e.account_id == filter)
        .collect();
    if ctx.json {
        print_json(&json!(events))?;
    } else {
        for e in &events {
            let mut line = format!("{}  {:<24}", fmt_time(e.at), e.what.describe());
            if !e.account.is_empty() {
                line.push_str(&format!("  {}", e.account));
            }
            if !e.detail.is_empty() {
                line.push_str(&format!("  ({})", e.detail));
            }
            outln!("{}", line.trim_end());
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
    let vault = ctx.unlock_to_read()?;
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
        }))?;
    } else {
        outln!(
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

pub fn keychain(ctx: &mut Ctx, command: KeychainCommand) -> Result<ExitCode> {
    match command {
        KeychainCommand::Status => {
            let locked = LockedVault::open(&ctx.vault_path)?;
            let status = locked.keychain_status()?;
            if ctx.json {
                // vault_id is the keychain entry's user name (service "keydeck").
                print_json(&json!({
                    "enabled": status.enabled,
                    "works": status.works,
                    "problem": status.problem,
                    "vault_id": locked.vault_id(),
                }))?;
            } else if !status.enabled {
                outln!("Keychain unlock is off (turn it on with `keydeck keychain enable`).");
            } else if status.works {
                outln!("Keychain unlock is on and works.");
            } else {
                outln!(
                    "Keychain unlock is on but does not work now: {}",
                    status.problem.as_deref().unwrap_or("unknown reason")
                );
            }
        }
        KeychainCommand::Enable => {
            // Turning it on is proven with the master password, like changing it.
            let mut vault = ctx.unlock_with_password()?;
            vault.enable_keychain()?;
            if ctx.json {
                print_json(&json!({"enabled": true}))?;
            } else {
                outln!(
                    "Keychain unlock is on: this vault now opens with the key in your OS keychain."
                );
            }
        }
        KeychainCommand::Disable => {
            let mut vault = ctx.unlock()?;
            let done = vault.disable_keychain()?;
            let (entry_removed, entry_problem) = match &done.entry {
                Ok(removed) => (*removed, None),
                Err(e) => (false, Some(e.to_string())),
            };
            if ctx.json {
                print_json(&json!({
                    "enabled": false,
                    "slot_removed": done.slot_removed,
                    "entry_removed": entry_removed,
                    "entry_problem": entry_problem,
                }))?;
            } else {
                outln!("Keychain unlock is off: the vault opens with the master password only.");
                if let Some(p) = entry_problem {
                    eprintln!(
                        "warning: the key could not be removed from the OS keychain ({p}); \
                         it no longer opens the vault"
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
