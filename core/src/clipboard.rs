//! Copying a secret to the clipboard the careful way: marked for clipboard-history managers to
//! skip (`x-kde-passwordManagerHint=secret` on X11, the nspasteboard.org types on macOS, the
//! history/cloud exclusion formats on Windows; through arboard), and cleared later only if the
//! clipboard still holds that value, so whatever the user copied since is left alone.
//!
//! The owner of this value must stay alive while the copy should be pasteable: on X11 and
//! Wayland the clipboard is served by the process that set it.

use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::secret::SecretText;

pub struct SecretClipboard {
    inner: Mutex<Option<arboard::Clipboard>>,
}

impl Default for SecretClipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretClipboard {
    /// Opens the clipboard lazily, on the first copy (no display yet is not an error here).
    pub fn new() -> Self {
        SecretClipboard {
            inner: Mutex::new(None),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut arboard::Clipboard) -> Result<T>) -> Result<T> {
        let mut guard = self
            .inner
            .lock()
            .map_err(|_| Error::invalid("clipboard", "internal state poisoned"))?;
        if guard.is_none() {
            let cb = arboard::Clipboard::new().map_err(|e| {
                Error::invalid("clipboard", format!("cannot open the clipboard: {e}"))
            })?;
            *guard = Some(cb);
        }
        match guard.as_mut() {
            Some(cb) => f(cb),
            None => Err(Error::invalid("clipboard", "cannot open the clipboard")),
        }
    }

    /// Puts `secret` on the clipboard, excluded from clipboard history where the OS has a way.
    pub fn copy(&self, secret: &SecretText) -> Result<()> {
        self.with(|cb| {
            let set = cb.set();
            #[cfg(all(
                unix,
                not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
            ))]
            let set = {
                use arboard::SetExtLinux;
                set.exclude_from_history()
            };
            #[cfg(target_os = "macos")]
            let set = {
                use arboard::SetExtApple;
                set.exclude_from_history()
            };
            #[cfg(windows)]
            let set = {
                use arboard::SetExtWindows;
                set.exclude_from_history()
            };
            set.text(secret.expose().to_owned())
                .map_err(|e| Error::invalid("clipboard", format!("could not copy: {e}")))
        })
    }

    /// Clears the clipboard if it still holds `secret`; returns whether it did.
    pub fn clear_if_holds(&self, secret: &SecretText) -> Result<bool> {
        self.with(|cb| {
            let holds = cb
                .get_text()
                .map(|t| zeroize::Zeroizing::new(t).as_str() == secret.expose())
                .unwrap_or(false);
            if holds {
                cb.clear()
                    .map_err(|e| Error::invalid("clipboard", format!("could not clear: {e}")))?;
            }
            Ok(holds)
        })
    }
}
