//! Pictures from the desktop: the screen (every monitor) and an image on the clipboard, as
//! grayscale for the QR reader.

mod clipboard;
#[cfg(target_os = "linux")]
mod portal;
mod screen;

pub use clipboard::clipboard_image;
pub use screen::capture_screen;
