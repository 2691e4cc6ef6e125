//! The security level of an account (DESIGN.md "Model"): five milestones towards the highest
//! level, each with the reason it is missing. Computed here so the CLI and the app agree.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::Account;

/// Passwords older than this are due for rotation.
pub const ROTATION_DAYS: i64 = 180;
/// zxcvbn score (0–4) from which a password counts as strong: ≥ 10^10 guesses.
pub const STRONG_SCORE: u8 = 3;

#[derive(Debug, Clone, Serialize)]
pub struct SecurityLevel {
    /// Milestones met, 0..=max.
    pub level: u8,
    pub max: u8,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// Stable identifier: `credentials`, `mfa`, `recovery`, `strong_password`, `fresh_password`.
    pub id: &'static str,
    pub label: &'static str,
    pub met: bool,
    /// Why it is not met (`None` when met).
    pub reason: Option<String>,
}

impl SecurityLevel {
    pub fn missing(&self) -> impl Iterator<Item = &Milestone> {
        self.milestones.iter().filter(|m| !m.met)
    }
}

/// Which accounts share a password: built once per vault, then asked per account.
pub struct ReuseIndex<'a> {
    by_password: HashMap<&'a str, Vec<&'a Account>>,
}

impl<'a> ReuseIndex<'a> {
    pub fn new(accounts: impl IntoIterator<Item = &'a Account>) -> Self {
        let mut by_password: HashMap<&str, Vec<&Account>> = HashMap::new();
        for a in accounts {
            if !a.password.is_empty() {
                by_password.entry(a.password.expose()).or_default().push(a);
            }
        }
        ReuseIndex { by_password }
    }

    /// Labels of the other accounts that use the same password as `a`.
    pub fn others(&self, a: &Account) -> Vec<String> {
        self.by_password
            .get(a.password.expose())
            .map(|v| {
                v.iter()
                    .filter(|o| o.id != a.id)
                    .map(|o| o.label())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// zxcvbn score of a password, with the account's own fields as user inputs (a password that
/// contains the username is weak).
pub fn password_score(password: &str, user_inputs: &[&str]) -> u8 {
    if password.is_empty() {
        return 0;
    }
    zxcvbn::zxcvbn(password, user_inputs).score().into()
}

pub fn assess(a: &Account, reuse: &ReuseIndex<'_>, now: i64) -> SecurityLevel {
    let mut ms = Vec::with_capacity(5);

    let cred_reason = match (a.username.is_empty(), a.password.is_empty()) {
        (false, false) => None,
        (true, true) => Some("no username or password saved".to_owned()),
        (true, false) => Some("no username saved".to_owned()),
        (false, true) => Some("no password saved".to_owned()),
    };
    ms.push(milestone("credentials", "Credentials saved", cred_reason));

    let mfa_reason = a
        .otp
        .is_none()
        .then(|| "no authenticator (TOTP/HOTP/Steam) secret saved".to_owned());
    ms.push(milestone(
        "mfa",
        "MFA on with an authenticator app",
        mfa_reason,
    ));

    let (unused, used) = a.recovery_counts();
    let rec_reason = match (unused, used) {
        (0, 0) => Some("no recovery codes saved".to_owned()),
        (0, n) => Some(format!("all {n} recovery codes are used; save new ones")),
        _ => None,
    };
    ms.push(milestone("recovery", "Recovery codes saved", rec_reason));

    let strong_reason = if a.password.is_empty() {
        Some("no password saved".to_owned())
    } else {
        let score = a
            .password_score
            .unwrap_or_else(|| password_score(a.password.expose(), &[&a.username, &a.name]));
        let others = reuse.others(a);
        if score < STRONG_SCORE {
            Some(format!(
                "password is weak (strength {score}/4; {STRONG_SCORE} needed)"
            ))
        } else if !others.is_empty() {
            Some(format!(
                "password is also used by {}: {}",
                plural(others.len(), "other account"),
                others.join(", ")
            ))
        } else {
            None
        }
    };
    ms.push(milestone(
        "strong_password",
        "Strong password, not reused",
        strong_reason,
    ));

    let fresh_reason = if a.password.is_empty() {
        Some("no password saved".to_owned())
    } else {
        let since = a.password_changed_at.unwrap_or(a.created_at);
        let days = (now - since).max(0) / 86_400;
        (days >= ROTATION_DAYS)
            .then(|| format!("password is {days} days old (rotate every {ROTATION_DAYS} days)"))
    };
    ms.push(milestone(
        "fresh_password",
        "Password changed in the last 180 days",
        fresh_reason,
    ));

    SecurityLevel {
        level: ms.iter().filter(|m| m.met).count() as u8,
        max: ms.len() as u8,
        milestones: ms,
    }
}

fn milestone(id: &'static str, label: &'static str, reason: Option<String>) -> Milestone {
    Milestone {
        id,
        label,
        met: reason.is_none(),
        reason,
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
