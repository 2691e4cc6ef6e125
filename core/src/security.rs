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
    estimate(password, user_inputs).score().into()
}

/// zxcvbn with blank user inputs left out, so that every caller ranks the same inputs alike.
fn estimate(password: &str, user_inputs: &[&str]) -> zxcvbn::Entropy {
    let inputs: Vec<&str> = user_inputs
        .iter()
        .copied()
        .filter(|s| !s.trim().is_empty())
        .collect();
    zxcvbn::zxcvbn(password, &inputs)
}

/// Labels of the zxcvbn scores 0–4, the words the strength meter and the checklist both use.
pub const STRENGTH_LABELS: [&str; 5] = ["Very weak", "Weak", "Fair", "Good", "Strong"];

/// What a password is for: a master password protects everything else, so it is held to a
/// higher bar (only score 4 counts as good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordPurpose {
    #[default]
    Account,
    Master,
}

/// The one strength estimate of the app: the meter, the checklist and the CLI all come here.
#[derive(Debug, Clone, Serialize)]
pub struct Strength {
    /// zxcvbn score, 0–4.
    pub score: u8,
    /// "Very weak" … "Strong" (for a master password, score 3 reads "Fair").
    pub label: &'static str,
    /// Whether the password is good enough for its purpose.
    pub good: bool,
    /// Plain-language reasons and tips: zxcvbn's warning and suggestions, then reuse.
    pub reasons: Vec<String>,
}

/// Rates `password` for `purpose`. `user_inputs` are the account's own fields (a password that
/// contains the name is weak); `reused_by` are labels of accounts that already use it (the
/// caller computes them inside the unlocked vault; empty while locked).
pub fn strength(
    password: &str,
    user_inputs: &[&str],
    purpose: PasswordPurpose,
    reused_by: &[String],
) -> Strength {
    let mut reasons = Vec::new();
    if password.is_empty() {
        return Strength {
            score: 0,
            label: STRENGTH_LABELS[0],
            good: false,
            reasons,
        };
    }
    let entropy = estimate(password, user_inputs);
    let score: u8 = entropy.score().into();
    if let Some(f) = entropy.feedback() {
        if let Some(w) = f.warning() {
            reasons.push(w.to_string());
        }
        reasons.extend(f.suggestions().iter().map(|s| s.to_string()));
    }
    let (label, good) = match purpose {
        PasswordPurpose::Account => (STRENGTH_LABELS[score as usize], score >= STRONG_SCORE),
        PasswordPurpose::Master => {
            // Score 3 is good for one site, not for the key to all of them.
            let label = if score == 3 {
                STRENGTH_LABELS[2]
            } else {
                STRENGTH_LABELS[score as usize]
            };
            if score < 4 {
                reasons.push(
                    "A master password guards every other password, so it needs the top \
                     score: try four or five random words."
                        .to_owned(),
                );
            }
            (label, score >= 4)
        }
    };
    if !reused_by.is_empty() {
        let n = reused_by.len();
        let who = if n == 1 {
            "1 other account".to_owned()
        } else {
            format!("{n} other accounts")
        };
        reasons.push(format!("Used by {who}: {}.", reused_by.join(", ")));
    }
    Strength {
        score,
        label,
        good,
        reasons,
    }
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
                "The password is rated {} ({score} of 4); it needs to be {} or better.",
                STRENGTH_LABELS[score as usize].to_lowercase(),
                STRENGTH_LABELS[STRONG_SCORE as usize].to_lowercase()
            ))
        } else if !others.is_empty() {
            Some(format!(
                "The same password is used by {}: {}.",
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

#[cfg(test)]
mod strength_tests {
    use super::*;

    fn rate(p: &str, purpose: PasswordPurpose) -> Strength {
        strength(p, &[], purpose, &[])
    }

    #[test]
    fn common_passwords_are_weak() {
        let s = rate("password123", PasswordPurpose::Account);
        assert!(s.score <= 1, "{}", s.score);
        assert!(matches!(s.label, "Very weak" | "Weak"));
        assert!(!s.good);
        // zxcvbn's own words say why.
        assert!(!s.reasons.is_empty());
    }

    #[test]
    fn a_decorated_word_is_not_a_good_master_password() {
        let s = rate("Password123!", PasswordPurpose::Master);
        assert_ne!(s.label, "Good");
        assert_ne!(s.label, "Strong");
        assert!(!s.good);
        assert!(
            s.reasons.iter().any(|r| r.contains("master password")),
            "{:?}",
            s.reasons
        );
    }

    #[test]
    fn a_five_word_passphrase_is_strong() {
        for purpose in [PasswordPurpose::Account, PasswordPurpose::Master] {
            let s = rate("correct horse battery staple orbit", purpose);
            assert_eq!((s.score, s.label, s.good), (4, "Strong", true));
        }
    }

    #[test]
    fn score_three_is_good_for_an_account_and_fair_for_the_master_password() {
        let p = "horse battery";
        assert_eq!(password_score(p, &[]), 3);
        assert_eq!(rate(p, PasswordPurpose::Account).label, "Good");
        assert!(rate(p, PasswordPurpose::Account).good);
        assert_eq!(rate(p, PasswordPurpose::Master).label, "Fair");
    }

    #[test]
    fn reuse_names_the_other_accounts() {
        let s = strength(
            "correct horse battery staple orbit",
            &[],
            PasswordPurpose::Account,
            &["GitHub".to_owned(), "Gmail".to_owned()],
        );
        assert!(s
            .reasons
            .contains(&"Used by 2 other accounts: GitHub, Gmail.".to_owned()));
    }

    #[test]
    fn the_account_name_counts_against_it() {
        let alone = strength("maryjones1990", &[], PasswordPurpose::Account, &[]).score;
        let named = strength(
            "maryjones1990",
            &["mary.jones", "Mary Jones"],
            PasswordPurpose::Account,
            &[],
        )
        .score;
        assert!(named <= alone);
        assert_eq!(strength("", &[], PasswordPurpose::Account, &[]).score, 0);
    }
}
