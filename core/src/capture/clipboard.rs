//! An image on the clipboard (Ctrl+V of a screenshot), via arboard: X11, Wayland
//! (data-control protocol), macOS and Windows.

use image::GrayImage;

use crate::error::{Error, Result};

pub fn clipboard_image() -> Result<GrayImage> {
    let mut cb = arboard::Clipboard::new()
        .map_err(|e| Error::invalid("clipboard", format!("cannot open the clipboard: {e}")))?;
    let img = match cb.get_image() {
        Ok(img) => img,
        Err(e) => {
            // Text (or nothing) on the clipboard is the common case: say that, not arboard's words.
            let holds_text = cb.get_text().is_ok();
            return Err(match e {
                _ if holds_text => Error::invalid(
                    "clipboard",
                    "there is no image on the clipboard, only text (copy a screenshot first)",
                ),
                arboard::Error::ContentNotAvailable | arboard::Error::ConversionFailure => {
                    Error::invalid(
                        "clipboard",
                        "there is no image on the clipboard (copy a screenshot first)",
                    )
                }
                other => Error::invalid(
                    "clipboard",
                    format!("cannot read the clipboard image: {other}"),
                ),
            });
        }
    };
    crate::qr::load::from_rgba(
        "the clipboard image",
        img.width as u32,
        img.height as u32,
        &img.bytes,
    )
}
