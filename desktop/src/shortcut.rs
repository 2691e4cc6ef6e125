// SPDX-License-Identifier: GPL-3.0-or-later
//! The quick-access shortcut as the user writes it ("Ctrl+Alt+K"): checked, written back in one
//! canonical form, and the sentence Settings shows when the desktop does not let Keydeck have it.
//! Parsing is the global-shortcut plugin's own (`Shortcut: FromStr`, from the global-hotkey
//! crate), so what Settings accepts is exactly what can be registered.

use std::str::FromStr;

use tauri_plugin_global_shortcut::{Code, Modifiers, Shortcut};

/// The shortcut a new installation uses.
pub const DEFAULT: &str = "Ctrl+Alt+K";

/// A shortcut that may be registered, with the text Settings shows for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    pub shortcut: Shortcut,
}

impl Parsed {
    /// "Ctrl+Alt+K": modifiers in a fixed order, then the key as printed on it.
    pub fn label(&self) -> String {
        let mods = self.shortcut.mods;
        let mut out = String::new();
        for (m, name) in [
            (Modifiers::CONTROL, "Ctrl"),
            (Modifiers::ALT, "Alt"),
            (Modifiers::SHIFT, "Shift"),
            (Modifiers::SUPER, "Super"),
        ] {
            if mods.contains(m) {
                out.push_str(name);
                out.push('+');
            }
        }
        out.push_str(&key_label(self.shortcut.key));
        out
    }
}

/// "KeyK" → "K", "Digit1" → "1"; other keys keep their name ("F5", "Space", "ArrowUp"), which
/// the parser reads back.
fn key_label(key: Code) -> String {
    let name = key.to_string();
    for prefix in ["Key", "Digit"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            if rest.chars().count() == 1 {
                return rest.to_owned();
            }
        }
    }
    name
}

/// Reads what the user typed. `Ok(None)` means no shortcut (an empty field turns it off).
/// Errors are one sentence for a person.
pub fn parse(input: &str) -> Result<Option<Parsed>, String> {
    let text: String = input.split_whitespace().collect();
    if text.is_empty() {
        return Ok(None);
    }
    let shortcut = Shortcut::from_str(&text).map_err(|_| {
        format!(
            "Keydeck cannot read “{}” as a shortcut. Write it like Ctrl+Alt+K: modifiers, then one key, joined with +.",
            input.trim()
        )
    })?;
    // Shift alone (or nothing) would take a key away from typing in every other app.
    if !shortcut
        .mods
        .intersects(Modifiers::CONTROL | Modifiers::ALT | Modifiers::SUPER)
    {
        return Err(format!(
            "“{}” needs Ctrl, Alt or Super too, or it would stop that key from working in other apps.",
            input.trim()
        ));
    }
    Ok(Some(Parsed { shortcut }))
}

/// Why the desktop refused the shortcut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Wayland gives global keys only to the compositor's own settings.
    Wayland { quick_command: String },
    /// No display to listen on.
    NoDisplay,
    /// Another program holds the combination.
    Taken,
    /// Anything else the platform said.
    Other(String),
}

/// The one plain sentence Settings shows.
pub fn refusal_sentence(label: &str, why: &Refusal) -> String {
    let first = format!("Your desktop did not allow Keydeck to use {label}");
    match why {
        Refusal::Wayland { quick_command } => format!(
            "{first}: on Wayland apps cannot listen for keys pressed in other windows. Add a shortcut in your desktop's keyboard settings that runs “{quick_command}” instead."
        ),
        Refusal::NoDisplay => {
            format!("{first}: there is no desktop session to listen on.")
        }
        Refusal::Taken => {
            format!("{first}: another app already uses it. Choose another combination.")
        }
        Refusal::Other(detail) => format!("{first} ({detail})."),
    }
}

/// Whether global shortcuts can work in this session at all (checked before registering: the
/// X11 backend says "registered" even when it has no display, and under Wayland an X11 grab
/// only sees keys typed into X11 windows).
pub fn session_refusal(
    wayland_display: Option<&str>,
    session_type: Option<&str>,
    x_display: Option<&str>,
    quick_command: &str,
) -> Option<Refusal> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    if wayland_display.is_some_and(|s| !s.is_empty()) || session_type == Some("wayland") {
        return Some(Refusal::Wayland {
            quick_command: quick_command.to_owned(),
        });
    }
    if x_display.is_none_or(str::is_empty) {
        return Some(Refusal::NoDisplay);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(s: &str) -> String {
        parse(s).unwrap().unwrap().label()
    }

    #[test]
    fn the_default_parses_to_ctrl_alt_k() {
        let p = parse(DEFAULT).unwrap().unwrap();
        assert_eq!(p.shortcut.mods, Modifiers::CONTROL | Modifiers::ALT);
        assert_eq!(p.shortcut.key, Code::KeyK);
        assert_eq!(p.label(), "Ctrl+Alt+K");
    }

    #[test]
    fn any_spelling_comes_back_in_one_form() {
        assert_eq!(label("ctrl+alt+k"), "Ctrl+Alt+K");
        assert_eq!(label(" Control + Alt + k "), "Ctrl+Alt+K");
        assert_eq!(label("alt+ctrl+K"), "Ctrl+Alt+K");
        assert_eq!(label("super+shift+1"), "Shift+Super+1");
        assert_eq!(label("Ctrl+Shift+F5"), "Ctrl+Shift+F5");
        assert_eq!(label("Alt+Space"), "Alt+Space");
        assert_eq!(label("Ctrl+Alt+Up"), "Ctrl+Alt+ArrowUp");
    }

    #[test]
    fn labels_parse_back_to_the_same_shortcut() {
        for s in [
            "Ctrl+Alt+K",
            "Super+Digit7",
            "Ctrl+Backquote",
            "Alt+Shift+ArrowLeft",
            "Ctrl+F12",
        ] {
            let p = parse(s).unwrap().unwrap();
            assert_eq!(parse(&p.label()).unwrap(), Some(p), "{s}");
        }
    }

    #[test]
    fn empty_turns_the_shortcut_off() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn a_key_without_ctrl_alt_or_super_is_refused() {
        for s in ["K", "Shift+K", "F5"] {
            let e = parse(s).unwrap_err();
            assert!(e.contains("needs Ctrl, Alt or Super"), "{s}: {e}");
        }
    }

    #[test]
    fn nonsense_is_explained_not_panicked_on() {
        for s in ["Ctrl+Alt", "Ctrl+Foo", "Ctrl++K", "Ctrl+K+L", "K+Ctrl", "+"] {
            let e = parse(s).unwrap_err();
            assert!(e.starts_with("Keydeck cannot read"), "{s}: {e}");
            assert!(e.contains("Ctrl+Alt+K"), "{e}");
        }
    }

    #[test]
    fn refusals_read_as_one_sentence_naming_the_shortcut() {
        let w = refusal_sentence(
            "Ctrl+Alt+K",
            &Refusal::Wayland {
                quick_command: "keydeck-app --quick".into(),
            },
        );
        assert!(
            w.starts_with("Your desktop did not allow Keydeck to use Ctrl+Alt+K"),
            "{w}"
        );
        assert!(w.contains("keydeck-app --quick"), "{w}");
        let t = refusal_sentence("Ctrl+Alt+K", &Refusal::Taken);
        assert!(t.contains("another app already uses it"), "{t}");
        assert!(t.ends_with('.'));
    }

    #[test]
    fn wayland_and_missing_displays_are_known_before_registering() {
        let q = "keydeck-app --quick";
        if !cfg!(target_os = "linux") {
            assert_eq!(session_refusal(Some("wayland-0"), None, None, q), None);
            return;
        }
        assert!(matches!(
            session_refusal(Some("wayland-0"), Some("wayland"), Some(":0"), q),
            Some(Refusal::Wayland { .. })
        ));
        assert!(matches!(
            session_refusal(None, Some("wayland"), Some(":0"), q),
            Some(Refusal::Wayland { .. })
        ));
        assert_eq!(
            session_refusal(None, Some("x11"), None, q),
            Some(Refusal::NoDisplay)
        );
        assert_eq!(session_refusal(None, Some("x11"), Some(":99"), q), None);
        assert_eq!(session_refusal(Some(""), None, Some(":99"), q), None);
    }
}
