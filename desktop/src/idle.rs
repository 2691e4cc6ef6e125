// SPDX-License-Identifier: GPL-3.0-or-later
//! When the idle timer locks the vault, and how long it may sleep before it looks again.
//!
//! The rules: the vault locks once per idle period (the timer never locks a vault it already
//! locked for the same stretch of inactivity, nor a locked one: locking a locked vault would also
//! cancel a keychain unlock under way); every unlock counts as activity (set in Rust before the
//! vault becomes unlocked, so a slow keychain answer is never locked again at once); and the
//! timer sleeps until the next moment a lock could be due instead of ticking, so an idle app
//! does not wake twice a second.

use std::time::{Duration, Instant};

/// The timer never sleeps longer than this, so memory prepared for a password unlock is given
/// back on time (see `state::KDF_MEMORY_KEPT`) even with a long auto-lock time.
pub const MAX_SLEEP: Duration = Duration::from_secs(30);
/// Nor shorter than this: a deadline a few milliseconds away is met by the next look.
pub const MIN_SLEEP: Duration = Duration::from_millis(50);

/// What the timer sees.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub now: Instant,
    /// The last activity (input in the window, a command, an unlock).
    pub last_activity: Instant,
    /// The `last_activity` the timer last locked for: the same value means the same idle period.
    pub locked_for: Option<Instant>,
    pub unlocked: bool,
    pub limit: Duration,
}

/// What the timer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub lock: bool,
    /// How long to sleep before the next look.
    pub sleep: Duration,
}

pub fn decide(s: Seen) -> Step {
    let idle = s.now.saturating_duration_since(s.last_activity);
    let same_period = s.locked_for == Some(s.last_activity);
    let (lock, sleep) = if !s.unlocked || same_period {
        // Nothing can be due before the next activity, which is at least now: a full limit.
        (false, s.limit)
    } else if idle >= s.limit {
        (true, s.limit)
    } else {
        (false, s.limit - idle)
    };
    Step {
        lock,
        sleep: sleep.clamp(MIN_SLEEP, MAX_SLEEP),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Duration = Duration::from_secs(2);

    fn seen(idle_ms: u64, unlocked: bool, locked_for_this_period: bool) -> Seen {
        let last_activity = Instant::now();
        Seen {
            now: last_activity + Duration::from_millis(idle_ms),
            last_activity,
            locked_for: locked_for_this_period.then_some(last_activity),
            unlocked,
            limit: LIMIT,
        }
    }

    #[test]
    fn locks_once_the_limit_is_reached_not_before() {
        assert_eq!(
            decide(seen(1_999, true, false)),
            Step {
                lock: false,
                sleep: Duration::from_millis(1)
            }
            .max_sleep()
        );
        assert!(decide(seen(2_000, true, false)).lock);
        assert!(decide(seen(60_000, true, false)).lock);
    }

    #[test]
    fn sleeps_until_the_deadline_not_a_fixed_tick() {
        assert_eq!(
            decide(seen(500, true, false)).sleep,
            Duration::from_millis(1_500)
        );
        assert_eq!(decide(seen(0, true, false)).sleep, LIMIT);
    }

    #[test]
    fn locks_once_per_idle_period() {
        // Already locked for this stretch of inactivity and unlocked again without any activity
        // (cannot happen in the app, whose unlocks count as activity): no second lock.
        let s = decide(seen(10_000, true, true));
        assert!(!s.lock);
        assert_eq!(s.sleep, LIMIT);
    }

    #[test]
    fn never_locks_a_locked_vault_and_sleeps_a_whole_limit_meanwhile() {
        let s = decide(seen(10_000, false, false));
        assert!(
            !s.lock,
            "locking again would cancel a keychain unlock under way"
        );
        assert_eq!(s.sleep, LIMIT);
    }

    #[test]
    fn an_unlock_resets_idleness() {
        // Locked at the deadline, then unlocked: the unlock is the new last activity.
        let first = seen(2_000, true, false);
        assert!(decide(first).lock);
        let unlocked_at = first.now + Duration::from_millis(700);
        let after = Seen {
            now: unlocked_at + Duration::from_millis(10),
            last_activity: unlocked_at,
            locked_for: Some(first.last_activity),
            unlocked: true,
            limit: LIMIT,
        };
        assert_eq!(
            decide(after),
            Step {
                lock: false,
                sleep: Duration::from_millis(1_990)
            }
        );
    }

    #[test]
    fn sleeps_are_bounded() {
        let mut long = seen(0, false, false);
        long.limit = Duration::from_secs(15 * 60);
        assert_eq!(decide(long).sleep, MAX_SLEEP);
    }

    impl Step {
        /// The same step with its sleep clamped as `decide` clamps it.
        fn max_sleep(self) -> Step {
            Step {
                sleep: self.sleep.clamp(MIN_SLEEP, MAX_SLEEP),
                ..self
            }
        }
    }
}
