// SPDX-License-Identifier: GPL-3.0-or-later
//! The details page's small actions: copy the username, open the website. The web view names
//! an account, never a URL: `open_website` opens the address stored with that account, only when
//! it is a web address (http or https), so a compromised page cannot make Keydeck launch other
//! handlers (file:, smb:, custom schemes).

use keydeck_core::SecretText;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use url::Url;

use crate::commands::accounts::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// The stored website as an address to open: "github.com/login" gets https://; only http and
/// https with a host, and no user name or password inside the address.
pub fn website_url(stored: &str) -> IpcResult<Url> {
    let text = stored.trim();
    if text.is_empty() {
        return Err(IpcError::bad_input("This account has no website saved."));
    }
    let not_web = || {
        IpcError::bad_input(format!(
            "“{text}” is not a web address. Edit the account and enter one that starts with https://."
        ))
    };
    // "scheme:rest", unless the colon only starts a port ("localhost:8080/admin").
    let scheme = text.split_once(':').filter(|(scheme, rest)| {
        let port = rest.split('/').next().unwrap_or("");
        let is_port = !port.is_empty() && port.chars().all(|c| c.is_ascii_digit());
        !scheme.is_empty() && !scheme.contains(['/', '.']) && !is_port
    });
    let candidate = match scheme {
        // The URL parser forgives "https:example.com" and "https:///host"; a person's address
        // has exactly two slashes before the host.
        Some((_, rest)) if !rest.starts_with("//") || rest.starts_with("///") => {
            return Err(not_web())
        }
        Some(_) => text.to_owned(),
        None => format!("https://{text}"),
    };
    let url = Url::parse(&candidate).map_err(|_| not_web())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(not_web());
    }
    match url.host_str() {
        Some(h) if !h.is_empty() => {}
        _ => return Err(not_web()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(IpcError::bad_input(
            "The saved website contains a user name or password. Edit the account and remove it from the address.",
        ));
    }
    Ok(url)
}

/// "Open website": the account's stored URL in the default browser.
#[tauri::command]
pub fn open_website(app: AppHandle, state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let id = parse_id(&id)?;
    let stored = state.with_vault(|v| Ok(v.account(id)?.url.clone()))?;
    let url = website_url(&stored)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|_| IpcError::other("The website could not be opened: no web browser answered."))
}

/// "Copy username". Not a secret, so it is not cleared later; copied from Rust like everything
/// else (the web view has no clipboard access).
#[tauri::command]
pub fn username_copy(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let id = parse_id(&id)?;
    let username = state.with_vault(|v| {
        let a = v.account(id)?;
        if a.username.is_empty() {
            return Err(IpcError::bad_input(format!(
                "{} has no username saved.",
                a.name
            )));
        }
        Ok(SecretText::new(a.username.clone()))
    })?;
    state.clipboard.copy(&username)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::website_url;

    fn opened(s: &str) -> Option<String> {
        website_url(s).ok().map(|u| u.to_string())
    }

    #[test]
    fn web_addresses_open_and_bare_domains_get_https() {
        assert_eq!(
            opened("https://github.com/login").as_deref(),
            Some("https://github.com/login")
        );
        assert_eq!(
            opened("http://example.org").as_deref(),
            Some("http://example.org/")
        );
        assert_eq!(
            opened("  github.com ").as_deref(),
            Some("https://github.com/")
        );
        assert_eq!(
            opened("accounts.google.com/signin?x=1").as_deref(),
            Some("https://accounts.google.com/signin?x=1")
        );
        assert_eq!(
            opened("localhost:8080/admin").as_deref(),
            Some("https://localhost:8080/admin")
        );
    }

    #[test]
    fn other_schemes_and_odd_addresses_are_refused() {
        for bad in [
            "",
            "   ",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "smb://server/share",
            "mailto:me@example.com",
            "ftp://example.com",
            "steam://run/1",
            "data:text/html,hi",
            "https://",
            "https:///path",
            "https:example.com",
            "https://user:pw@example.com",
            "https://user@example.com",
            "not a url",
        ] {
            assert!(opened(bad).is_none(), "{bad:?} should not open");
        }
    }

    #[test]
    fn refusals_read_as_sentences() {
        let e = website_url("file:///etc/passwd").unwrap_err();
        assert!(e.message.starts_with('“'), "{}", e.message);
        assert!(e.message.ends_with('.'), "{}", e.message);
        let e = website_url("").unwrap_err();
        assert_eq!(e.message, "This account has no website saved.");
    }
}
