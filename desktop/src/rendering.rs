//! How WebKit draws the window on a machine without a GPU.
//!
//! WebKitGTK rasterizes through Skia on the GPU by default. With no GPU, "the GPU" is Mesa's
//! llvmpipe, a GPU emulated on the CPU, and its textures live in ordinary memory. Measured here
//! (Xvfb, 2 cores, 1,000 accounts, `make bench`): Skia's own CPU rasterizer gives the same
//! unlock-to-paint time (253–259 vs 273 ms) with 74 MB less RSS (495 vs 569 MB; PSS 274–309 vs
//! 383).
//!
//! Without a GPU, accelerated compositing is turned off too. Composited, every frame — a caret
//! blink, a countdown's tick — is composited through llvmpipe: idle with the accounts grid open
//! the WebKit process used 13 % of a core against 2.9 % without compositing (issue 11, Xvfb, 2
//! cores, 30 s, debug app), the lock screen 3.5 % against 0.5 %; it also saves ~70 MB RSS. The
//! price is the first paint: unlock to first card with 1,000 accounts took ~130 ms longer there,
//! because the viewport is painted on one thread instead of by the compositor's tile workers.
//! An app left open all day pays the idle cost for hours and the paint once per unlock.
//! With a GPU the defaults stay: compositing is what the GPU is for.

use std::path::Path;

/// The variable WebKitGTK (2.46+) reads for CPU rasterization.
const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
/// The variable WebKitGTK reads to paint without accelerated compositing.
const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether the machine has a GPU render node (`/dev/dri/renderD*`): real GPUs and virtual ones
/// (virtio-gpu) have one; a machine that would fall back to llvmpipe has none.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Chooses CPU rasterization without compositing when there is no GPU; a variable the user set
/// already is left alone. Must run before any thread exists (it sets environment variables,
/// which the WebKit processes inherit).
pub fn choose() {
    if has_render_node(Path::new("/dev/dri")) {
        return;
    }
    for var in [CPU_RENDERING, NO_COMPOSITING] {
        if std::env::var_os(var).is_none() {
            std::env::set_var(var, "1");
        }
    }
}

/// A text caret that stays on instead of blinking, in every Keydeck window.
///
/// WebKitGTK blinks the caret at GTK's `gtk-cursor-blink-time` and, unlike GTK's own text
/// fields, never stops (GTK's fields stop after `gtk-cursor-blink-timeout`, 10 s). Each blink
/// repaints and keeps WebKit's frame clock running between blinks: with the search field
/// focused after unlock — where search-to-code wants it — the app and WebKit used 3.6 % of a
/// core idle against 1.2 % with a caret that does not blink (issue 11, Xvfb, debug app, 15 s).
/// WebKit reads the blink period when a caret (re)starts, so "stop after 10 s" cannot be
/// imitated; a period of a day is "steady" (a caret starts visible). `gtk-cursor-blink` stays
/// on: with it off, WebKit kept its frame clock running continuously (3.1 % + 1.0 %, measured
/// the same way). A steady caret is also what many people choose for readability.
/// Must run on the GTK main thread after GTK started (the setup hook).
#[cfg(target_os = "linux")]
pub fn steady_caret() {
    use gtk::prelude::GtkSettingsExt as _;
    const A_DAY_MS: i32 = 24 * 60 * 60 * 1000;
    if let Some(settings) = gtk::Settings::default() {
        settings.set_gtk_cursor_blink(true);
        settings.set_gtk_cursor_blink_time(A_DAY_MS);
    }
}

/// Elsewhere the platform's caret is cheap enough.
#[cfg(not(target_os = "linux"))]
pub fn steady_caret() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_is_recognised() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert!(!has_render_node(&dir.join("missing")));
        assert!(!has_render_node(dir));
        std::fs::write(dir.join("card0"), b"").unwrap();
        assert!(
            !has_render_node(dir),
            "a display node alone is not a render node"
        );
        std::fs::write(dir.join("renderD128"), b"").unwrap();
        assert!(has_render_node(dir));
    }
}
