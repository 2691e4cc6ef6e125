//! Copying a secret to the clipboard the careful way: marked for clipboard-history managers to
//! skip (`x-kde-passwordManagerHint=secret` on X11, the nspasteboard.org types on macOS, the
//! history/cloud exclusion formats on Windows; through arboard), and cleared later only if the
//! clipboard still holds that value, so whatever the user copied since is left alone.
//!
//! The owner of this value must stay alive while the copy should be pasteable: on X11 and
//! Wayland the clipboard is served by the process that set it.
//!
//! What "ours" means on lock and quit (`clear_if_ours`): the clipboard holds the last value
//! copied here, known by a salted SHA-256 digest (the value itself is not kept for this).

use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::secret::SecretText;

pub struct SecretClipboard {
    inner: Mutex<Option<arboard::Clipboard>>,
    /// The digest of the last value copied, until it is cleared or replaced by someone else.
    last: Mutex<Option<[u8; 32]>>,
    /// Random per process: a digest of a 6-digit code is not a lookup away from the code.
    salt: [u8; 32],
}

impl Default for SecretClipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretClipboard {
    /// Opens the clipboard lazily, on the first copy (no display yet is not an error here).
    pub fn new() -> Self {
        let mut salt = [0u8; 32];
        crate::crypto::fill_random(&mut salt);
        SecretClipboard {
            inner: Mutex::new(None),
            last: Mutex::new(None),
            salt,
        }
    }

    fn digest(&self, text: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(text.as_bytes());
        h.finalize().into()
    }

    fn set_last(&self, digest: Option<[u8; 32]>) {
        if let Ok(mut last) = self.last.lock() {
            *last = digest;
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
        })?;
        self.set_last(Some(self.digest(secret.expose())));
        Ok(())
    }

    /// Clears the clipboard if it still holds the last value copied here (lock, suspend, quit);
    /// returns whether it did. Without a copy since the last clear, the clipboard is not even
    /// opened. Something the user copied since is left alone.
    pub fn clear_if_ours(&self) -> Result<bool> {
        let Some(ours) = self.last.lock().ok().and_then(|l| *l) else {
            return Ok(false);
        };
        let cleared = self.clear_when(|t| self.digest(t) == ours)?;
        // Cleared, or replaced by the user: either way nothing of ours is left to clear.
        self.set_last(None);
        Ok(cleared)
    }

    /// Clears the clipboard if it still holds `secret`; returns whether it did.
    pub fn clear_if_holds(&self, secret: &SecretText) -> Result<bool> {
        let cleared = self.clear_when(|t| t == secret.expose())?;
        if cleared {
            self.set_last(None);
        }
        Ok(cleared)
    }

    /// Clears the clipboard if its text passes `holds`; returns whether it did.
    fn clear_when(&self, holds: impl FnOnce(&str) -> bool) -> Result<bool> {
        self.with(|cb| {
            let held = cb
                .get_text()
                .map(|t| holds(zeroize::Zeroizing::new(t).as_str()))
                .unwrap_or(false);
            if held {
                cb.clear()
                    .map_err(|e| Error::invalid("clipboard", format!("could not clear: {e}")))?;
            }
            Ok(held)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_copied_means_nothing_to_clear_and_no_clipboard_opened() {
        let cb = SecretClipboard::new();
        assert!(!cb.clear_if_ours().unwrap());
        assert!(
            cb.inner.lock().unwrap().is_none(),
            "the clipboard was not opened"
        );
    }

    /// Needs a display (the e2e run has one: `xvfb-run cargo test … clipboard::`); skipped
    /// without.
    #[test]
    fn clears_its_own_copy_and_leaves_a_later_one() {
        if std::env::var_os("DISPLAY").is_none() {
            return;
        }
        let cb = SecretClipboard::new();
        cb.copy(&SecretText::new("314159")).unwrap();
        assert!(cb.clear_if_ours().unwrap(), "its own copy is cleared");
        assert!(!cb.clear_if_ours().unwrap(), "and only once");

        cb.copy(&SecretText::new("271828")).unwrap();
        let mut other = arboard::Clipboard::new().unwrap();
        other.set_text("the user's own").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(
            !cb.clear_if_ours().unwrap(),
            "something copied since is left alone"
        );
        assert_eq!(other.get_text().unwrap(), "the user's own");
    }

    #[test]
    fn digests_are_salted_per_clipboard() {
        let (a, b) = (SecretClipboard::new(), SecretClipboard::new());
        assert_eq!(a.digest("123456"), a.digest("123456"));
        assert_ne!(a.digest("123456"), a.digest("123457"));
        assert_ne!(a.digest("123456"), b.digest("123456"));
    }
}
