//! QR codes out: an account's otpauth:// URI as a PNG (to show a phone) or an SVG (for the app
//! and the printable emergency sheet). Error correction M, a 4-module quiet zone (ISO 18004).

use image::{GrayImage, ImageFormat};
use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

const QUIET: usize = 4;

fn code(text: &str) -> Result<QrCode> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
        Error::invalid(
            "QR code",
            format!("the text does not fit in a QR code ({e})"),
        )
    })
}

/// PNG bytes, `module_px` pixels per module (8 makes a ~330 px code for a typical URI).
pub fn png(text: &str, module_px: u32) -> Result<Zeroizing<Vec<u8>>> {
    let qr = code(text)?;
    let n = qr.width();
    let colors = qr.to_colors();
    let m = module_px.clamp(1, 64) as usize;
    let side = (n + 2 * QUIET) * m;
    let mut img = GrayImage::from_pixel(side as u32, side as u32, image::Luma([255]));
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            let (mx, my) = (i % n + QUIET, i / n + QUIET);
            for y in my * m..(my + 1) * m {
                for x in mx * m..(mx + 1) * m {
                    img.put_pixel(x as u32, y as u32, image::Luma([0]));
                }
            }
        }
    }
    let mut out = Zeroizing::new(Vec::new());
    img.write_to(&mut std::io::Cursor::new(&mut *out), ImageFormat::Png)
        .map_err(|e| Error::invalid("QR code", format!("PNG encoding failed: {e}")))?;
    Ok(out)
}

/// A standalone SVG document, at least `min_px` wide.
pub fn svg(text: &str, min_px: u32) -> Result<Zeroizing<String>> {
    let qr = code(text)?;
    Ok(Zeroizing::new(
        qr.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(min_px, min_px)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    ))
}
