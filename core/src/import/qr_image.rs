//! A picture of QR codes: Google Authenticator's "Transfer accounts" screen (one
//! `otpauth-migration://` code, or several for a long list), or any screenshot of `otpauth://`
//! codes. Every code in the image is read with the scanner the app already has (`qr`), and
//! the payloads go through the same line reader as a text file, so a transfer split over
//! several codes in one image is put back together.

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::otp::import::parse_text;
use crate::qr::{scan_bytes, PayloadKind};

pub struct QrImage;

impl Format for QrImage {
    fn name(&self) -> &'static str {
        "qr-image"
    }
    fn app(&self) -> &'static str {
        "Google Authenticator"
    }
    fn title(&self) -> &'static str {
        "Image of QR codes (Google Authenticator transfer, otpauth:// codes)"
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        use image::ImageFormat::*;
        match image::guess_format(input.bytes()) {
            Ok(Png | Jpeg | WebP | Gif | Bmp) => Detected::PLAIN,
            _ => None,
        }
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let items = scan_bytes("image", input.bytes())?;
        let mut text = zeroize::Zeroizing::new(String::new());
        let mut others = 0;
        for item in &items {
            if item.kind == PayloadKind::Other {
                others += 1;
                continue;
            }
            text.push_str(item.text.expose().trim());
            text.push('\n');
        }
        if text.is_empty() {
            return Err(Error::invalid(
                "image",
                if others > 0 {
                    if others == 1 {
                        "The image has a QR code, but it holds no authenticator.".to_owned()
                    } else {
                        format!("The image has {others} QR codes, but none holds an authenticator.")
                    }
                } else {
                    "No QR code was found in the image. Try a sharper or larger picture.".to_owned()
                },
            ));
        }
        let parsed = parse_text(&text);
        Ok(Read {
            accounts: parsed
                .entries
                .into_iter()
                .map(|(_, e)| Imported::from_entry(e))
                .collect(),
            problems: parsed
                .problems
                .into_iter()
                .map(|p| p.replace("line ", "QR code "))
                .collect(),
        })
    }
}
