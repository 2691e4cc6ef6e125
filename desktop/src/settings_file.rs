// SPDX-License-Identifier: GPL-3.0-or-later
//! `settings.json`, read at start and never trusted as loaded: anyone (or any program) that can
//! write the file could otherwise turn auto-lock off (`autoLockMinutes: 4294967295`), make it
//! lock every half second (`0`), or keep a copied secret on the clipboard for ever. Each value is
//! checked against the same range `settings_set` enforces; one out of range (or of the wrong
//! type) goes back to its default, the file is rewritten with the corrected values, and the user
//! is told once which value was reset (`settings_notice_take`, shown as a toast at start).

use std::ops::RangeInclusive;
use std::path::Path;

use serde_json::Value;

use crate::types::{Settings, Theme};

/// Minutes of inactivity before the vault locks by itself.
pub const AUTO_LOCK_MINUTES: RangeInclusive<u32> = 1..=1440;
/// Seconds a copied secret stays on the clipboard.
pub const CLIPBOARD_CLEAR_SECONDS: RangeInclusive<u32> = 5..=600;

/// Why `settings` cannot be saved, as one sentence for the user; `None` when every value fits.
pub fn refusal(settings: &Settings) -> Option<&'static str> {
    if !AUTO_LOCK_MINUTES.contains(&settings.auto_lock_minutes) {
        return Some("Auto-lock takes 1 to 1440 minutes.");
    }
    if !CLIPBOARD_CLEAR_SECONDS.contains(&settings.clipboard_clear_seconds) {
        return Some("Clipboard clearing takes 5 to 600 seconds.");
    }
    None
}

/// The settings in `bytes`, each value checked, and one sentence per value that was reset.
/// Unreadable JSON (or no file) is the defaults; a value missing from the file is its default
/// without a word (an older file), a value present but unusable is reset and said.
pub fn parse(bytes: &[u8]) -> (Settings, Vec<String>) {
    let defaults = Settings::default();
    let mut reset = Vec::new();
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else {
        if !bytes.iter().all(u8::is_ascii_whitespace) {
            reset.push(
                "The settings file could not be read, so every setting is back to its default."
                    .to_owned(),
            );
        }
        return (defaults, reset);
    };
    let auto_lock_minutes = ranged(
        map.get("autoLockMinutes"),
        AUTO_LOCK_MINUTES,
        defaults.auto_lock_minutes,
        "Auto-lock",
        "minutes",
        &mut reset,
    );
    let clipboard_clear_seconds = ranged(
        map.get("clipboardClearSeconds"),
        CLIPBOARD_CLEAR_SECONDS,
        defaults.clipboard_clear_seconds,
        "Clipboard clearing",
        "seconds",
        &mut reset,
    );
    let theme = match map.get("theme") {
        None => defaults.theme,
        Some(v) => serde_json::from_value::<Theme>(v.clone()).unwrap_or_else(|_| {
            reset.push(format!(
                "The theme was set to {}, which Keydeck does not know; it is back to the system theme.",
                shown(v)
            ));
            defaults.theme
        }),
    };
    (
        Settings {
            auto_lock_minutes,
            clipboard_clear_seconds,
            theme,
        },
        reset,
    )
}

/// A whole number inside `range`, else `default` and a sentence saying so.
fn ranged(
    value: Option<&Value>,
    range: RangeInclusive<u32>,
    default: u32,
    what: &str,
    unit: &str,
    reset: &mut Vec<String>,
) -> u32 {
    let Some(v) = value else { return default };
    match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
        Some(n) if range.contains(&n) => n,
        _ => {
            reset.push(format!(
                "{what} was set to {} {unit}, outside {} to {}; it is back to {default} {unit}.",
                shown(v),
                range.start(),
                range.end(),
            ));
            default
        }
    }
}

/// A loaded value as the user would have written it, kept short.
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        s.chars().take(40).collect::<String>() + "…"
    } else {
        s
    }
}

/// Reads the file at `path`. When a value was reset, the corrected settings are written back (so
/// the user hears about it once) and the sentence to show is returned.
pub fn load(path: &Path) -> (Settings, Option<String>) {
    let bytes = std::fs::read(path).unwrap_or_default();
    let (settings, reset) = parse(&bytes);
    if reset.is_empty() {
        return (settings, None);
    }
    if let Ok(json) = serde_json::to_vec_pretty(&settings) {
        // Best effort: if it cannot be written, the same sentence is shown at the next start.
        let _ = std::fs::write(path, json);
    }
    (settings, Some(reset.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(json: &str) -> (Settings, Vec<String>) {
        parse(json.as_bytes())
    }

    #[test]
    fn values_in_range_are_kept_without_a_word() {
        let (s, reset) =
            parsed(r#"{"autoLockMinutes":1440,"clipboardClearSeconds":5,"theme":"dark"}"#);
        assert_eq!(s.auto_lock_minutes, 1440);
        assert_eq!(s.clipboard_clear_seconds, 5);
        assert!(s.theme == Theme::Dark);
        assert!(reset.is_empty(), "{reset:?}");
        let (s, reset) = parsed(r#"{"autoLockMinutes":1,"clipboardClearSeconds":600}"#);
        assert_eq!((s.auto_lock_minutes, s.clipboard_clear_seconds), (1, 600));
        assert!(reset.is_empty(), "a missing theme is its default, silently");
    }

    #[test]
    fn auto_lock_outside_1_to_1440_minutes_is_reset_and_said() {
        for bad in [
            "0",
            "1441",
            "4294967295",
            "99999999999",
            "-1",
            "2.5",
            "\"5\"",
            "null",
        ] {
            let (s, reset) = parsed(&format!(r#"{{"autoLockMinutes":{bad}}}"#));
            assert_eq!(s.auto_lock_minutes, 5, "{bad}");
            assert_eq!(reset.len(), 1, "{bad}: {reset:?}");
            assert!(
                reset[0].starts_with(&format!("Auto-lock was set to {bad} minutes, outside 1 to 1440; it is back to 5 minutes.")),
                "{reset:?}"
            );
        }
    }

    #[test]
    fn clipboard_clearing_outside_5_to_600_seconds_is_reset_and_said() {
        for bad in ["0", "4", "601", "4294967295"] {
            let (s, reset) = parsed(&format!(
                r#"{{"autoLockMinutes":10,"clipboardClearSeconds":{bad}}}"#
            ));
            assert_eq!(s.auto_lock_minutes, 10, "the valid value is kept");
            assert_eq!(s.clipboard_clear_seconds, 30, "{bad}");
            assert_eq!(
                reset,
                vec![format!("Clipboard clearing was set to {bad} seconds, outside 5 to 600; it is back to 30 seconds.")]
            );
        }
    }

    #[test]
    fn an_unknown_theme_and_a_broken_file_are_reset_and_said() {
        let (s, reset) = parsed(r#"{"theme":"neon"}"#);
        assert!(s.theme == Theme::System);
        assert_eq!(reset.len(), 1);
        assert!(reset[0].contains("\"neon\""), "{reset:?}");
        let (s, reset) = parsed("{not json");
        assert_eq!(s.auto_lock_minutes, 5);
        assert_eq!(reset.len(), 1);
        let (_, reset) = parsed("");
        assert!(reset.is_empty(), "no file is not a problem");
    }

    #[test]
    fn refusal_uses_the_same_ranges() {
        let mut s = Settings::default();
        assert_eq!(refusal(&s), None);
        s.auto_lock_minutes = 0;
        assert!(refusal(&s).is_some());
        s.auto_lock_minutes = 1440;
        s.clipboard_clear_seconds = 601;
        assert!(refusal(&s).is_some());
    }

    #[test]
    fn load_rewrites_the_file_so_the_message_is_shown_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(
            &path,
            r#"{"autoLockMinutes":4294967295,"clipboardClearSeconds":30,"theme":"light"}"#,
        )
        .unwrap();
        let (s, notice) = load(&path);
        assert_eq!(s.auto_lock_minutes, 5);
        assert!(notice
            .unwrap()
            .starts_with("Auto-lock was set to 4294967295 minutes"));
        let (again, notice) = load(&path);
        assert_eq!(again.auto_lock_minutes, 5);
        assert!(
            again.theme == Theme::Light,
            "valid values survive the rewrite"
        );
        assert_eq!(notice, None, "said once");
    }
}
