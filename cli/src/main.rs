//! keydeck: the Keydeck vault from a terminal. A thin client of keydeck-core; see README.md
//! for the contract (commands, JSON fields, exit codes) that scripts rely on.
#![forbid(unsafe_code)]

/// `println!` for command output, returning the write error (a closed pipe) to the caller with
/// `?` instead of panicking: see `output::line`.
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::output::line(format_args!($($t)*))?
    };
}

mod accounts;
mod args;
mod backup;
mod codes;
mod input;
mod output;
mod scan;
mod transfer;
mod trash;
mod vaultcmd;

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use keydeck_core::{Error, ErrorKind, LockedVault, Result, Vault};

use args::{Cli, Command, RecoveryCommand};
use input::{PasswordSource, Stdin};

/// What every command gets: the parsed flags, the vault path and standard input.
pub struct Ctx {
    pub vault_path: PathBuf,
    pub json: bool,
    pub password_stdin: bool,
    pub no_keychain: bool,
    pub stdin: Stdin,
}

impl Ctx {
    pub fn passwords(&mut self) -> PasswordSource<'_> {
        PasswordSource {
            from_stdin: self.password_stdin,
            stdin: &mut self.stdin,
        }
    }

    /// Opens and unlocks the vault; warns about damaged items. When keychain unlock is on (and
    /// --no-keychain is not given) the OS keychain goes first; if it fails, the reason goes to
    /// stderr and the master password is taken as usual (KEYDECK_PASSWORD, --password-stdin, or
    /// the terminal), so scripts that pass a password keep working either way.
    pub fn unlock(&mut self) -> Result<Session> {
        self.unlock_for(Access::Write)
    }

    /// [`unlock`](Self::unlock) for a command that only reads: nothing is written, not even the
    /// unlock's entry in the activity log (README "Activity log").
    pub fn unlock_to_read(&mut self) -> Result<Session> {
        self.unlock_for(Access::Read)
    }

    /// [`unlock_to_read`](Self::unlock_to_read) for a command about the one account `name`
    /// points to: only the records that name can match are decrypted (when the vault's lookup
    /// index allows it), so `code NAME` costs the key derivation and little else.
    pub fn unlock_to_read_one(&mut self, name: &str) -> Result<Session> {
        self.unlock_for(Access::One(name))
    }

    fn unlock_for(&mut self, access: Access<'_>) -> Result<Session> {
        let open = |path: &std::path::Path| -> Result<LockedVault> {
            let locked = LockedVault::open(path)?;
            Ok(match access {
                Access::Write => locked,
                Access::Read => locked.for_reading(),
                Access::One(name) => locked.for_reading_one(name),
            })
        };
        let locked = open(&self.vault_path)?;
        let locked = if !self.no_keychain && locked.keychain_enabled()? {
            match locked.unlock_with_keychain() {
                Ok(v) => return self.opened(v),
                Err(e) => {
                    eprintln!("note: keychain unlock failed: {e}; using the master password");
                    open(&self.vault_path)?
                }
            }
        } else {
            locked
        };
        let password = self.passwords().current()?;
        let vault = locked.unlock_with_password(&password)?;
        self.opened(vault)
    }

    /// Unlocks with the master password only: changing it asks for the current one even when
    /// the keychain could open the vault.
    pub fn unlock_with_password(&mut self) -> Result<Session> {
        let locked = LockedVault::open(&self.vault_path)?;
        let password = self.passwords().current()?;
        let vault = locked.unlock_with_password(&password)?;
        self.opened(vault)
    }

    /// Warnings every command shows about a freshly unlocked vault.
    pub fn opened(&self, vault: Vault) -> Result<Session> {
        if !vault.damaged().is_empty() {
            let ids: Vec<String> = vault.damaged().iter().map(|i| i.to_string()).collect();
            eprintln!(
                "warning: {} item(s) failed the integrity check and are left out: {}",
                ids.len(),
                ids.join(", ")
            );
        }
        if let Some(w) = vault.nonce_warning() {
            eprintln!("warning: {w}");
        }
        Ok(Session { vault })
    }
}

#[derive(Clone, Copy)]
enum Access<'a> {
    Write,
    Read,
    One(&'a str),
}

/// An unlocked vault as a command holds it. The one place where a change made by any command
/// (add, edit, rm, import, recovery, passwd, an HOTP code, scan --add, backup config…) is
/// followed by the automatic backup: when the session is dropped, after the command's output.
/// A failed backup is a warning on stderr; the change is kept either way.
pub struct Session {
    vault: Vault,
}

impl Deref for Session {
    type Target = Vault;
    fn deref(&self) -> &Vault {
        &self.vault
    }
}

impl DerefMut for Session {
    fn deref_mut(&mut self) -> &mut Vault {
        &mut self.vault
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.vault.changed_this_session() {
            return;
        }
        let outcome = self.vault.auto_backup_if_due_after(backup_min_interval());
        if let Some(w) = outcome.warning() {
            eprintln!("warning: {w}");
        }
    }
}

/// At most one automatic backup a minute; `KEYDECK_BACKUP_MIN_INTERVAL` (seconds) sets
/// another spacing (tests use 0).
fn backup_min_interval() -> Duration {
    std::env::var("KEYDECK_BACKUP_MIN_INTERVAL")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(keydeck_core::backup::MIN_INTERVAL, Duration::from_secs)
}

fn main() -> ExitCode {
    // The image decoder child (see keydeck_core::qr::isolate): this binary started again by a
    // `scan` or `import` to decode one image out of process.
    if std::env::args_os().nth(1).as_deref() == Some(keydeck_core::qr::isolate::CHILD_ARG.as_ref())
    {
        return ExitCode::from(keydeck_core::qr::isolate::child_main());
    }
    keydeck_core::set_client(keydeck_core::Client::Cli);
    for problem in keydeck_core::hardening::disable_core_dumps() {
        eprintln!("warning: {problem}");
    }
    // Images a user hands us are decoded in a child process of this binary: a decoder that
    // panics, loops or eats memory on a crafted image ends the child, not this command.
    match std::env::current_exe() {
        Ok(exe) => keydeck_core::qr::isolate::use_child_process(exe),
        Err(e) => eprintln!("warning: images will be decoded in process ({e})"),
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    let vault_path = match cli.vault.clone().map(Ok).unwrap_or_else(default_vault_path) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let mut ctx = Ctx {
        vault_path,
        json: cli.json,
        password_stdin: cli.password_stdin,
        no_keychain: cli.no_keychain,
        stdin: Stdin::new(),
    };
    match run(&mut ctx, cli.command) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn run(ctx: &mut Ctx, command: Command) -> Result<ExitCode> {
    match command {
        Command::Init(kdf) => vaultcmd::init(ctx, kdf),
        Command::Passwd(kdf) => vaultcmd::passwd(ctx, kdf),
        Command::Rekey => vaultcmd::rekey(ctx),
        Command::Log { account, keep_days } => vaultcmd::log(ctx, account.as_deref(), keep_days),
        Command::Check => vaultcmd::check(ctx),
        Command::Keychain { command } => vaultcmd::keychain(ctx, command),
        Command::Add { name, fields } => accounts::add(ctx, &name, fields),
        Command::Edit {
            name,
            new_name,
            fields,
            clear_tags,
            no_mfa,
        } => accounts::edit(ctx, &name, new_name, fields, clear_tags, no_mfa),
        Command::Code { name, otp, at } => codes::code(ctx, name.as_deref(), otp, at),
        Command::Import { formats: true, .. } => transfer::formats(ctx),
        Command::Import {
            file,
            format,
            file_password_env,
            keyfile,
            dry_run,
            reveal,
            skip_problems,
            formats: false,
        } => transfer::import(
            ctx,
            transfer::ImportArgs {
                file: file.as_deref(),
                format: format.as_deref(),
                file_password_env: file_password_env.as_deref(),
                keyfile: keyfile.as_deref(),
                dry_run,
                reveal,
                skip_problems,
            },
        ),
        Command::Export {
            out,
            format,
            file_password_env,
        } => transfer::export(ctx, &out, &format, file_password_env.as_deref()),
        Command::Scan {
            images,
            screen,
            clipboard,
            reveal,
            add,
        } => scan::scan(ctx, &images, screen, clipboard, reveal, add),
        Command::Qr { name, out, scale } => scan::qr(ctx, &name, &out, scale),
        Command::Rm { name } => accounts::rm(ctx, &name),
        Command::Trash { command } => trash::trash(ctx, command),
        Command::Favourite { name, off } => trash::favourite(ctx, &name, !off),
        Command::List { search, tag } => accounts::list(ctx, search.as_deref(), tag.as_deref()),
        Command::Show { name, reveal } => accounts::show(ctx, &name, reveal),
        Command::Backup { command, dir } => backup::backup(ctx, command, dir),
        Command::Restore { file, yes } => backup::restore(ctx, &file, yes),
        Command::Recovery { command } => match command {
            RecoveryCommand::Add { name } => accounts::recovery_add(ctx, &name),
            RecoveryCommand::List { name, reveal } => accounts::recovery_list(ctx, &name, reveal),
            RecoveryCommand::Use { name, code } => accounts::recovery_use(ctx, &name, code),
        },
    }
}

fn default_vault_path() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("keydeck").join("vault.sqlite"))
        .ok_or_else(|| {
            Error::invalid(
                "vault",
                "no data directory is known here; pass --vault PATH or set KEYDECK_VAULT",
            )
        })
}

pub fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::BadInput => 2,
        ErrorKind::WrongPassword => 3,
        ErrorKind::Integrity => 4,
        ErrorKind::Keychain | ErrorKind::Other => 1,
    }
}

/// Exit status when the reader of standard output went away (`keydeck list | head -1`): 141,
/// what a shell reports for a tool killed by SIGPIPE (128 + 13), so `set -o pipefail` scripts
/// see the same as with `cat` or `grep`; but reached by returning, not by the signal, so the
/// vault is closed on the way out (no `-wal` left behind) and nothing is printed.
const CLOSED_PIPE: u8 = 141;

fn fail(e: &Error) -> ExitCode {
    if output::is_closed_pipe(e) {
        return ExitCode::from(CLOSED_PIPE);
    }
    eprintln!("error: {e}");
    ExitCode::from(exit_code(e.kind()))
}

/// clap's own errors, on one line (help and version are printed as they are).
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    if matches!(
        e.kind(),
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == K::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("error: {first} (see keydeck --help)");
    ExitCode::from(2)
}
