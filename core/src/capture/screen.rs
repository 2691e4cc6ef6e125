//! Capturing the whole screen.
//!
//! - X11 (and XWayland-less X sessions): `GetImage` of the root window, which spans every
//!   monitor; pure Rust (x11rb), no X libraries needed.
//! - Wayland: the xdg-desktop-portal Screenshot interface (the compositor may ask the user).
//! - Elsewhere, or with neither available: a clear error that says what to do instead.

use image::GrayImage;

use crate::error::{Error, Result};

/// "Keydeck could not capture the screen: <reason>." — a sentence for the person scanning.
fn unavailable(reason: impl Into<String>) -> Error {
    Error::invalid(
        "screen capture",
        format!("Keydeck could not capture the screen: {}.", reason.into()),
    )
}

/// The screen as one grayscale image (all monitors).
pub fn capture_screen() -> Result<GrayImage> {
    #[cfg(target_os = "linux")]
    {
        let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some()
            || std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland");
        if wayland {
            // Under Wayland, X11's root window holds only XWayland clients: ask the portal.
            return super::portal::screenshot();
        }
        if std::env::var_os("DISPLAY").is_some() {
            return x11::capture();
        }
        Err(unavailable(
            "no graphical session here (neither DISPLAY nor WAYLAND_DISPLAY is set); scan a screenshot file instead",
        ))
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(unavailable(
            "not supported on this system yet; scan a screenshot file or the clipboard instead",
        ))
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use image::GrayImage;
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, ImageOrder};

    use super::unavailable;
    use crate::error::Result;
    use crate::qr::load::luma;

    pub fn capture() -> Result<GrayImage> {
        let (conn, screen_num) = x11rb::connect(None)
            .map_err(|e| unavailable(format!("cannot connect to the X display: {e}")))?;
        let setup = conn.setup();
        let screen = &setup.roots[screen_num];
        let (w, h) = (screen.width_in_pixels, screen.height_in_pixels);
        let reply = conn
            .get_image(ImageFormat::Z_PIXMAP, screen.root, 0, 0, w, h, u32::MAX)
            .map_err(|e| unavailable(format!("the X server refused the capture: {e}")))?
            .reply()
            .map_err(|e| unavailable(format!("the X server refused the capture: {e}")))?;
        let depth = reply.depth;
        let bpp = setup
            .pixmap_formats
            .iter()
            .find(|f| f.depth == depth)
            .map(|f| f.bits_per_pixel)
            .unwrap_or(0);
        let lsb = setup.image_byte_order == ImageOrder::LSB_FIRST;
        let data = &reply.data;
        let (w, h) = (usize::from(w), usize::from(h));
        let stride = match bpp {
            32 => 4,
            24 => 3,
            other => {
                return Err(unavailable(format!(
                    "screen depth {depth} ({other} bits per pixel) is not supported"
                )))
            }
        };
        // Rows are padded to the scanline pad; derive the row length from the data.
        let row = data.len() / h.max(1);
        if row < w * stride {
            return Err(unavailable("the X server sent a short image"));
        }
        let mut gray = Vec::with_capacity(w * h);
        for y in 0..h {
            let line = &data[y * row..y * row + w * stride];
            for px in line.chunks_exact(stride) {
                // 24-bit TrueColor: B,G,R in memory on little-endian servers.
                let (r, g, b) = if lsb {
                    (px[2], px[1], px[0])
                } else if stride == 4 {
                    (px[1], px[2], px[3])
                } else {
                    (px[0], px[1], px[2])
                };
                gray.push(luma(r, g, b));
            }
        }
        GrayImage::from_raw(w as u32, h as u32, gray)
            .ok_or_else(|| unavailable("inconsistent image size"))
    }
}
