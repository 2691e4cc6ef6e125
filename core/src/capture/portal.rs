//! Screen capture on Wayland through xdg-desktop-portal (`org.freedesktop.portal.Screenshot`):
//! the compositor takes the picture (and may ask the user), the portal answers with a file URI.
//! Spec: https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.Screenshot.html

use std::collections::HashMap;

use image::GrayImage;
use zbus::zvariant::{OwnedValue, Value};

use crate::error::{Error, Result};

/// "Keydeck could not capture the screen: <reason>." — a sentence for the person scanning.
fn unavailable(reason: impl Into<String>) -> Error {
    Error::invalid(
        "screen capture",
        format!("Keydeck could not capture the screen: {}.", reason.into()),
    )
}

pub fn screenshot() -> Result<GrayImage> {
    let fail = |e: zbus::Error| {
        unavailable(format!(
            "the desktop's screenshot portal is not available ({e}); take a screenshot and scan the file, or copy it to the clipboard"
        ))
    };
    let conn = zbus::blocking::Connection::session().map_err(fail)?;
    let sender = conn
        .unique_name()
        .map(|n| n.trim_start_matches(':').replace('.', "_"))
        .unwrap_or_default();
    let token = format!("keydeck{}", std::process::id());
    let request_path = format!("/org/freedesktop/portal/desktop/request/{sender}/{token}");
    // Subscribe before calling, so the answer cannot be missed.
    let request = zbus::blocking::Proxy::new(
        &conn,
        "org.freedesktop.portal.Desktop",
        request_path.as_str(),
        "org.freedesktop.portal.Request",
    )
    .map_err(fail)?;
    let mut responses = request.receive_signal("Response").map_err(fail)?;
    let portal = zbus::blocking::Proxy::new(
        &conn,
        "org.freedesktop.portal.Desktop",
        "/org/freedesktop/portal/desktop",
        "org.freedesktop.portal.Screenshot",
    )
    .map_err(fail)?;
    let mut options: HashMap<&str, Value<'_>> = HashMap::new();
    options.insert("handle_token", Value::from(token.as_str()));
    options.insert("interactive", Value::from(false));
    let _: zbus::zvariant::OwnedObjectPath =
        portal.call("Screenshot", &("", options)).map_err(fail)?;
    let msg = responses
        .next()
        .ok_or_else(|| unavailable("the screenshot portal gave no answer"))?;
    let (code, results): (u32, HashMap<String, OwnedValue>) = msg
        .body()
        .deserialize()
        .map_err(|e| unavailable(format!("unexpected answer from the screenshot portal: {e}")))?;
    if code != 0 {
        return Err(unavailable("the screenshot was cancelled or refused"));
    }
    let uri: String = results
        .get("uri")
        .and_then(|v| String::try_from(v.clone()).ok())
        .ok_or_else(|| unavailable("the screenshot portal returned no file"))?;
    let path = uri.strip_prefix("file://").unwrap_or(&uri);
    let path = crate::otp::percent_decode_path(path);
    let img = crate::qr::load::load_file(std::path::Path::new(&path));
    // The portal's file is ours to clean up; a screenshot may show secrets.
    let _ = std::fs::remove_file(&path);
    img
}
