//! An image on the clipboard (Ctrl+V of a screenshot), via arboard: X11, Wayland
//! (data-control protocol), macOS and Windows.

use image::GrayImage;

use crate::error::{Error, Result};

pub fn clipboard_image() -> Result<GrayImage> {
    let mut cb = arboard::Clipboard::new().map_err(|e| {
        Error::invalid(
            "clipboard",
            format!("Keydeck could not open the clipboard ({e})."),
        )
    })?;
    let img = match cb.get_image() {
        Ok(img) => img,
        Err(e) => {
            // Text (or nothing) on the clipboard is the common case: say that, not arboard's words.
            let holds_text = cb.get_text().is_ok();
            return Err(match e {
                _ if holds_text => Error::invalid(
                    "clipboard",
                    "There is only text on the clipboard, no image. Copy a screenshot of the QR \
                     code first.",
                ),
                arboard::Error::ContentNotAvailable | arboard::Error::ConversionFailure => {
                    Error::invalid(
                        "clipboard",
                        "There is no image on the clipboard. Copy a screenshot of the QR code first.",
                    )
                }
                other => Error::invalid(
                    "clipboard",
                    format!("Keydeck could not read the image on the clipboard ({other})."),
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
