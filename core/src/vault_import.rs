//! Accounts from other apps' files into the vault: what is new, what is already saved, what
//! cannot be stored, then the new ones in one transaction (all or nothing).

use uuid::Uuid;
use zeroize::Zeroize;

use crate::error::Result;
use crate::import::Imported;
use crate::model::{self, Account, AccountDraft, EventWhat, OtpKind};
use crate::otp::OtpEntry;
use crate::vault::{ImportReport, Vault};

/// What an import would do, before anything changes.
#[derive(Default)]
pub struct ImportPlan {
    pub to_add: Vec<Imported>,
    /// Already in the vault, or earlier in the same file.
    pub duplicates: Vec<Imported>,
    /// Entries the vault cannot store as they are ("GitHub: notes: longer than 65536 bytes").
    pub problems: Vec<String>,
}

/// The identity of an account for duplicate detection. With an authenticator: its secret,
/// type, issuer and account name (demo exports reuse one secret for several entries, and
/// skipping a real account would lose it). Without: name, username, URL and password.
struct Fingerprint(Vec<u8>);

impl Drop for Fingerprint {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl PartialEq for Fingerprint {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Fingerprint {}

impl std::hash::Hash for Fingerprint {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

fn fingerprint(
    otp: Option<(&[u8], OtpKind)>,
    name: &str,
    issuer: &str,
    username: &str,
    url: &str,
    password: &str,
) -> Fingerprint {
    let mut k = Vec::with_capacity(64);
    match otp {
        Some((secret, kind)) => {
            let issuer = if issuer.is_empty() { name } else { issuer };
            k.extend_from_slice(secret);
            k.extend_from_slice(
                format!(
                    "\0{kind:?}\0{}\0{}",
                    issuer.to_lowercase(),
                    username.to_lowercase()
                )
                .as_bytes(),
            );
        }
        None => {
            k.extend_from_slice(
                format!(
                    "\u{1}{}\0{}\0{}\0",
                    name.to_lowercase(),
                    username.to_lowercase(),
                    url
                )
                .as_bytes(),
            );
            k.extend_from_slice(password.as_bytes());
        }
    }
    Fingerprint(k)
}

fn of_account(a: &Account) -> Fingerprint {
    fingerprint(
        a.otp.as_ref().map(|o| (o.secret.expose(), o.kind)),
        &a.name,
        &a.issuer,
        &a.username,
        &a.url,
        a.password.expose(),
    )
}

fn of_imported(i: &Imported) -> Fingerprint {
    fingerprint(
        i.otp.as_ref().map(|o| (o.secret.expose(), o.kind)),
        &i.display_name(),
        &i.issuer,
        &i.username,
        &i.url,
        i.password.as_ref().map(|p| p.expose()).unwrap_or_default(),
    )
}

/// Whether the vault can store this entry as it is: the same checks as adding an account.
fn check(i: &Imported) -> Result<()> {
    model::clean_name(&i.display_name())?;
    model::clean_line("issuer", &i.issuer, model::MAX_FIELD)?;
    model::clean_line("username", &i.username, model::MAX_FIELD)?;
    model::clean_line("url", &i.url, model::MAX_FIELD)?;
    model::clean_notes(&i.notes)?;
    model::clean_tags(&i.tags)?;
    if let Some(p) = &i.password {
        model::check_password(p)?;
    }
    for h in &i.password_history {
        model::check_password(&h.password)?;
    }
    if let Some(o) = &i.otp {
        crate::otp::validate(o)?;
    }
    Ok(())
}

impl Vault {
    /// Sorts what a file holds into new accounts, duplicates and entries that cannot be stored.
    pub fn plan_import(&self, accounts: Vec<Imported>) -> ImportPlan {
        // A set, not a list: 10,000 imported against 10,000 saved is 10^8 comparisons otherwise.
        let mut seen: std::collections::HashSet<Fingerprint> =
            self.accounts().map(of_account).collect();
        let mut plan = ImportPlan::default();
        for i in accounts {
            if let Err(e) = check(&i) {
                plan.problems.push(format!("{}: {e}", i.label()));
                continue;
            }
            if seen.insert(of_imported(&i)) {
                plan.to_add.push(i);
            } else {
                plan.duplicates.push(i);
            }
        }
        plan
    }

    /// Adds the accounts in one transaction, with an "imported" event naming `source`.
    pub fn import_accounts(&mut self, to_add: Vec<Imported>, source: &str) -> Result<Vec<Uuid>> {
        if to_add.is_empty() {
            return Ok(Vec::new());
        }
        let n = to_add.len();
        let drafts = to_add
            .into_iter()
            .map(|mut i| AccountDraft {
                name: i.display_name(),
                issuer: std::mem::take(&mut i.issuer),
                username: std::mem::take(&mut i.username),
                password: i.password.take().filter(|p| !p.is_empty()),
                url: std::mem::take(&mut i.url),
                notes: std::mem::take(&mut i.notes),
                tags: std::mem::take(&mut i.tags),
                icon: String::new(),
                otp: i.otp.take(),
                recovery: std::mem::take(&mut i.recovery),
                password_history: std::mem::take(&mut i.password_history),
                password_changed_at: i.password_changed_at,
            })
            .collect();
        self.add_accounts_logged(
            drafts,
            Some((
                EventWhat::Imported,
                format!(
                    "{n} {} from {source}",
                    if n == 1 { "account" } else { "accounts" }
                ),
            )),
        )
    }

    /// Adds authenticators read from URIs, QR codes or exports (the scanner's path): the
    /// duplicates are skipped; with `dry_run` nothing is written.
    pub fn import(&mut self, entries: Vec<OtpEntry>, dry_run: bool) -> Result<ImportReport> {
        let plan = self.plan_import(entries.into_iter().map(Imported::from_entry).collect());
        let mut report = ImportReport {
            added: plan.to_add.iter().map(Imported::label).collect(),
            duplicates: plan.duplicates.iter().map(Imported::label).collect(),
            warnings: plan.problems,
            ids: Vec::new(),
        };
        for i in &plan.to_add {
            let label = i.label();
            report
                .warnings
                .extend(i.warnings.iter().map(|w| format!("{label}: {w}")));
        }
        if !dry_run {
            report.ids = self.import_accounts(plan.to_add, "a scan or a file of links")?;
        }
        Ok(report)
    }
}
