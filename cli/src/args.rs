//! The command line, as documented in README.md ("CLI reference") and DESIGN.md.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "keydeck",
    version,
    about = "Keydeck: passwords, authenticator codes and recovery codes in one encrypted vault",
    after_help = "Master password: KEYDECK_PASSWORD, or --password-stdin, else the OS keychain when turned on\n\
                  (`keydeck keychain enable`), else a prompt on the terminal.\n\
                  Exit codes: 0 ok, 2 bad input, 3 wrong password, 4 integrity failure, 1 anything else."
)]
pub struct Cli {
    /// Vault file [default: the OS data dir, e.g. ~/.local/share/keydeck/vault.sqlite]
    #[arg(long, global = true, env = "KEYDECK_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,

    /// Read the master password from the first line of standard input
    #[arg(long, global = true)]
    pub password_stdin: bool,

    /// Machine-readable output
    #[arg(long, global = true)]
    pub json: bool,

    /// Do not unlock through the OS keychain even when it is turned on
    #[arg(long, global = true)]
    pub no_keychain: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new vault
    Init(KdfArgs),
    /// Add an account
    Add {
        /// The service, e.g. "GitHub"
        name: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// Change an account
    Edit {
        /// Account id, name or issuer
        name: String,
        /// Rename the account
        #[arg(long = "name", value_name = "NEW")]
        new_name: Option<String>,
        #[command(flatten)]
        fields: FieldArgs,
        /// Remove all tags
        #[arg(long, conflicts_with = "tag")]
        clear_tags: bool,
        /// Turn MFA off: forget the authenticator secret
        #[arg(long, conflicts_with_all = ["secret", "uri"])]
        no_mfa: bool,
    },
    /// Print the current one-time code (HOTP: uses the next counter)
    Code {
        /// Account id, name or issuer; omit with --secret/--uri to work without a vault
        name: Option<String>,
        #[command(flatten)]
        otp: OtpArgs,
        /// Unix time to make the code for, instead of now
        #[arg(long, value_name = "UNIX")]
        at: Option<u64>,
    },
    /// Import accounts from another app's file (Aegis, 2FAS, KeePass, Bitwarden, …; the format
    /// is recognised from the content), or list the formats with --formats
    Import {
        /// The file ("-" for standard input)
        #[arg(required_unless_present = "formats")]
        file: Option<std::path::PathBuf>,
        /// Every format Keydeck reads: name, app, whether it can be encrypted
        #[arg(long, conflicts_with_all = ["file", "format", "dry_run"])]
        formats: bool,
        /// Read the file as this format (see --formats) instead of recognising it
        #[arg(long, value_name = "NAME")]
        format: Option<String>,
        /// The environment variable holding the file's password (else asked on a terminal)
        #[arg(long, value_name = "VAR")]
        file_password_env: Option<String>,
        /// A KeePass key file
        #[arg(long, value_name = "PATH")]
        keyfile: Option<std::path::PathBuf>,
        /// Show what would be added, change nothing
        #[arg(long)]
        dry_run: bool,
        /// With --json: include passwords, otpauth URIs and recovery codes
        #[arg(long)]
        reveal: bool,
        /// Import what can be imported when some entries cannot (they are listed)
        #[arg(long)]
        skip_problems: bool,
    },
    /// Find and read every QR code in images, on the screen or on the clipboard
    Scan {
        /// Image files (PNG, JPEG, WebP, GIF, BMP)
        images: Vec<std::path::PathBuf>,
        /// Capture the whole screen (every monitor)
        #[arg(long, conflicts_with_all = ["images", "clipboard"])]
        screen: bool,
        /// Read an image from the clipboard
        #[arg(long, conflicts_with = "images")]
        clipboard: bool,
        /// Show secrets (otherwise masked)
        #[arg(long)]
        reveal: bool,
        /// Add the authenticators found to the vault (duplicates are skipped)
        #[arg(long)]
        add: bool,
    },
    /// Write an account's authenticator as a QR code image, to move it to a phone
    Qr {
        name: String,
        /// PNG file to write (".svg" writes SVG); created 0600, never overwritten
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// Pixels per module in the PNG
        #[arg(long, default_value_t = 8)]
        scale: u32,
    },
    /// Export the vault: encrypted (aegis-encrypted, kdbx) or, with a warning, unencrypted
    /// (aegis, otpauth, google-migration, pdf emergency kit). Created 0600, never overwritten;
    /// always asks for the master password
    Export {
        /// The file to write ("-" for standard output)
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        #[arg(long, default_value = "aegis-encrypted", value_parser = ["aegis-encrypted", "kdbx", "pdf", "aegis", "otpauth", "google-migration"])]
        format: String,
        /// The environment variable holding the exported file's password (encrypted formats;
        /// else asked twice on a terminal)
        #[arg(long, value_name = "VAR")]
        file_password_env: Option<String>,
    },
    /// Move an account to the Trash (undo with `keydeck trash restore NAME`)
    Rm { name: String },
    /// Removed accounts: list, restore, delete forever; they are deleted for good after 30 days
    Trash {
        #[command(subcommand)]
        command: TrashCommand,
    },
    /// Pin an account on top of the app's grid (favourite), or unpin it with --off
    Favourite {
        /// Account id, name or issuer
        name: String,
        /// Remove the account from favourites
        #[arg(long)]
        off: bool,
    },
    /// List accounts (without secrets)
    List {
        /// Only accounts whose name, issuer, username, URL or tags contain this text
        #[arg(long, short)]
        search: Option<String>,
        /// Only accounts with this tag
        #[arg(long)]
        tag: Option<String>,
    },
    /// Show one account; secrets are masked unless --reveal
    Show {
        name: String,
        /// Show the password, authenticator URI, recovery codes and password history
        #[arg(long)]
        reveal: bool,
    },
    /// Change the master password (new one from KEYDECK_NEW_PASSWORD, else a prompt); the vault
    /// gets a new key, and KDF settings not given are kept
    Passwd(KdfArgs),
    /// Give the vault a new key, keeping the master password: every record is re-encrypted
    Rekey,
    /// Recovery (backup) codes of an account
    Recovery {
        #[command(subcommand)]
        command: RecoveryCommand,
    },
    /// The activity log (reading it writes nothing); --keep-days sets how long entries are kept
    Log {
        /// Only this account's entries
        #[arg(long)]
        account: Option<String>,
        /// Keep entries this many days (default 365), deleting older ones now and at every write
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=keydeck_core::MAX_LOG_KEEP_DAYS as i64))]
        keep_days: Option<u32>,
    },
    /// Verify every record and the database file; exit 4 if anything is damaged
    Check,
    /// Unlock through the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)
    Keychain {
        #[command(subcommand)]
        command: KeychainCommand,
    },
    /// Back up the vault now; `config`, `list` and `status` set up and show the backups
    #[command(
        after_help = "After every change the CLI backs up by itself (at most once a minute) when \
                      automatic backups are on; a failed backup is a warning, never a lost change."
    )]
    Backup {
        #[command(subcommand)]
        command: Option<BackupCommand>,
        /// Write this backup to DIR instead of the configured folder
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Replace the vault with a backup; the replaced vault is kept beside it
    Restore {
        /// The backup file (keydeck-backup-….sqlite)
        file: std::path::PathBuf,
        /// Do not ask for confirmation (needed when not on a terminal)
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Set the backup folder, how many to keep and automatic on/off; without options, show them
    Config {
        /// The folder for backups [default: "backups" beside the vault file]
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
        /// How many backups to keep (default 10)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
        keep: Option<u32>,
        /// Back up by itself after changes (default on)
        #[arg(long, value_parser = ["on", "off"])]
        auto: Option<String>,
    },
    /// The backups in the folder, newest first
    List,
    /// Folder, count, last backup, last failure, and whether a backup is due
    Status,
}

#[derive(Subcommand)]
pub enum TrashCommand {
    /// What is in the Trash, most recently removed first
    List,
    /// Bring an account back from the Trash
    Restore {
        /// Account id, name or issuer (of an account in the Trash)
        name: String,
    },
    /// Delete one account in the Trash forever (asks first unless --yes)
    Purge {
        /// Account id, name or issuer (of an account in the Trash)
        name: String,
        /// Do not ask for confirmation (needed when not on a terminal)
        #[arg(long)]
        yes: bool,
    },
    /// Delete everything in the Trash forever (asks first unless --yes)
    Empty {
        /// Do not ask for confirmation (needed when not on a terminal)
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Clone, Copy)]
pub enum KeychainCommand {
    /// Keep a random key in the OS keychain that unlocks this vault without the master password
    Enable,
    /// Remove the vault's keychain slot and the key from the OS keychain
    Disable,
    /// Whether keychain unlock is on and would work now (needs no password)
    Status,
}

#[derive(Subcommand)]
pub enum RecoveryCommand {
    /// Add codes pasted on standard input (one per line, or separated by spaces or commas)
    Add { name: String },
    /// List an account's codes, masked unless --reveal
    List {
        name: String,
        #[arg(long)]
        reveal: bool,
    },
    /// Mark one code as used
    Use {
        name: String,
        /// The code ("-" reads it from standard input, keeping it out of argv)
        code: String,
    },
}

#[derive(Args, Default)]
pub struct FieldArgs {
    #[arg(long)]
    pub issuer: Option<String>,
    #[arg(long)]
    pub username: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    /// Notes ("-" reads them from standard input, keeping them out of argv)
    #[arg(long, conflicts_with = "notes_file")]
    pub notes: Option<String>,
    /// Read the notes from a file ("-" for standard input)
    #[arg(long, value_name = "PATH")]
    pub notes_file: Option<std::path::PathBuf>,
    /// A tag; repeat for several (on edit: replaces the tags)
    #[arg(long = "tag", value_name = "T")]
    pub tag: Vec<String>,
    /// Icon hint for the app (e.g. a domain)
    #[arg(long)]
    pub icon: Option<String>,
    /// Take the account's password from this environment variable (never from argv)
    #[arg(long, value_name = "VAR", conflicts_with = "generate_password")]
    pub password_env: Option<String>,
    /// Generate a password of LEN characters (default 20)
    #[arg(long, value_name = "LEN", num_args = 0..=1, default_missing_value = "20")]
    pub generate_password: Option<usize>,
    /// With --generate-password: letters and digits only
    #[arg(long, requires = "generate_password")]
    pub no_symbols: bool,
    #[command(flatten)]
    pub otp: OtpArgs,
}

/// An authenticator: a base32 secret key with settings, or a whole otpauth:// URI.
#[derive(Args, Default)]
pub struct OtpArgs {
    /// Authenticator secret key, base32 (spaces, dashes, lower case are fine; "-" reads stdin)
    #[arg(long, value_name = "KEY", conflicts_with = "uri")]
    pub secret: Option<String>,
    /// A whole otpauth:// URI (as in the QR code; "-" reads it from standard input)
    #[arg(long, value_name = "URI")]
    pub uri: Option<String>,
    /// With --secret: totp (default), hotp or steam
    #[arg(long = "type", value_name = "TYPE", value_parser = ["totp", "hotp", "steam"])]
    pub otp_type: Option<String>,
    /// With --secret: SHA1 (default), SHA256 or SHA512
    #[arg(long, value_name = "A")]
    pub algorithm: Option<String>,
    /// With --secret: 6 (default) to 10
    #[arg(long, value_name = "N")]
    pub digits: Option<u8>,
    /// With --secret: seconds per code, default 30
    #[arg(long, value_name = "S")]
    pub period: Option<u32>,
    /// With --secret --type hotp: the next counter value (default 0)
    #[arg(long, value_name = "N")]
    pub counter: Option<u64>,
}

#[derive(Args, Clone, Copy)]
pub struct KdfArgs {
    /// Argon2id memory in MiB (init: default 64; passwd: kept unless given; at least 19)
    #[arg(long, value_name = "MIB")]
    pub kdf_memory: Option<u32>,
    /// Argon2id passes (init: default 3; passwd: kept unless given; at least 2)
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
    /// Argon2id lanes (init: default 4; passwd: kept unless given)
    #[arg(long, value_name = "N")]
    pub kdf_parallelism: Option<u32>,
}
