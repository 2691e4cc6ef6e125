//! How WebKit draws the window on a machine without a GPU.
//!
//! WebKitGTK rasterizes through Skia on the GPU by default. With no GPU, "the GPU" is Mesa's
//! llvmpipe, a GPU emulated on the CPU, and its textures live in ordinary memory. Measured here
//! (Xvfb, 2 cores, 1,000 accounts, `make bench`): Skia's own CPU rasterizer gives the same
//! unlock-to-paint time (253–259 vs 273 ms) with 74 MB less RSS (495 vs 569 MB; PSS 274–309 vs
//! 383).
//! With a GPU the default stays. Turning compositing or the DMA-BUF renderer off saved more
//! memory but made the first paint after unlocking 150–300 ms slower, so neither is done.

use std::path::Path;

/// The variable WebKitGTK (2.46+) reads for CPU rasterization.
const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

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

/// Chooses CPU rasterization when there is no GPU, unless the user set the variable already.
/// Must run before any thread exists (it sets an environment variable, which the WebKit
/// processes inherit).
pub fn choose() {
    if std::env::var_os(CPU_RENDERING).is_none() && !has_render_node(Path::new("/dev/dri")) {
        std::env::set_var(CPU_RENDERING, "1");
    }
}

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
