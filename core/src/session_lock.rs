//! "Lock now" signals from the OS, for auto-lock: the system is about to suspend, the session is
//! being locked, or the screensaver came on. On Linux these are D-Bus signals:
//!
//! - system bus, from `org.freedesktop.login1`: `Manager.PrepareForSleep(true)` and, on this
//!   process's own session object, `Session.Lock`;
//! - session bus: `ActiveChanged(true)` of `org.freedesktop.ScreenSaver` and
//!   `org.gnome.ScreenSaver` (what GNOME, KDE and others emit when the screen locks).
//!
//! Each bus is watched on its own thread; a bus that is not there is reported, not fatal. Other
//! platforms have no watcher here yet (the idle timer and Ctrl+L still lock).

use std::sync::Arc;

/// Why the OS asked to lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    Suspend,
    SessionLock,
    Screensaver,
}

/// Which buses to watch. `None` means the usual one from the environment (`DBUS_SYSTEM_BUS_ADDRESS`
/// or the system socket; `DBUS_SESSION_BUS_ADDRESS`); tests pass private buses.
#[derive(Debug, Default, Clone)]
pub struct Buses {
    pub system: Option<String>,
    pub session: Option<String>,
}

/// Starts watching; `on_lock` runs on a watcher thread for every lock signal. Returns what could
/// not be watched (no system bus, no session bus), one line each, for a log or a warning.
pub fn watch(buses: Buses, on_lock: impl Fn(LockReason) + Send + Sync + 'static) -> Vec<String> {
    #[cfg(target_os = "linux")]
    {
        linux::watch(buses, Arc::new(on_lock))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (buses, Arc::new(on_lock));
        vec!["lock signals are only watched on Linux".to_owned()]
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::sync::Arc;

    use zbus::blocking::{Connection, MessageIterator};
    use zbus::message::Type;
    use zbus::MatchRule;

    use super::{Buses, LockReason};

    type Callback = Arc<dyn Fn(LockReason) + Send + Sync>;

    fn connect(address: Option<&str>, system: bool) -> zbus::Result<Connection> {
        match address {
            Some(a) => zbus::blocking::connection::Builder::address(a)?.build(),
            None if system => Connection::system(),
            None => Connection::session(),
        }
    }

    pub(super) fn watch(buses: Buses, on_lock: Callback) -> Vec<String> {
        let mut problems = Vec::new();
        match connect(buses.system.as_deref(), true) {
            Ok(conn) => {
                if let Err(e) = watch_login1(conn, on_lock.clone()) {
                    problems.push(format!("cannot watch logind for suspend/lock: {e}"));
                }
            }
            Err(e) => problems.push(format!("no system bus, suspend is not watched: {e}")),
        }
        match connect(buses.session.as_deref(), false) {
            Ok(conn) => {
                if let Err(e) = watch_screensaver(conn, on_lock) {
                    problems.push(format!("cannot watch the screensaver: {e}"));
                }
            }
            Err(e) => problems.push(format!("no session bus, screen lock is not watched: {e}")),
        }
        problems
    }

    fn watch_login1(conn: Connection, on_lock: Callback) -> zbus::Result<()> {
        let sleep = MatchRule::builder()
            .msg_type(Type::Signal)
            .sender("org.freedesktop.login1")?
            .interface("org.freedesktop.login1.Manager")?
            .member("PrepareForSleep")?
            .build();
        let sleep = MessageIterator::for_match_rule(sleep, &conn, Some(8))?;
        let cb = on_lock.clone();
        let keep = conn.clone();
        spawn("lock-suspend", move || {
            let _conn = keep; // the connection lives as long as its watcher
            for msg in sleep.flatten() {
                // PrepareForSleep(true) before suspending, (false) after resuming.
                if msg.body().deserialize::<bool>().unwrap_or(false) {
                    cb(LockReason::Suspend);
                }
            }
        });
        // This process's own session: its Lock signal (loginctl lock-session, the desktop's
        // lock). Not every process runs in a logind session (e.g. under a test bus): then only
        // suspend is watched here.
        if let Some(path) = own_session(&conn) {
            let lock = MatchRule::builder()
                .msg_type(Type::Signal)
                .sender("org.freedesktop.login1")?
                .interface("org.freedesktop.login1.Session")?
                .member("Lock")?
                .path(path)?
                .build();
            let lock = MessageIterator::for_match_rule(lock, &conn, Some(8))?;
            let keep = conn.clone();
            spawn("lock-session", move || {
                let _conn = keep;
                for _ in lock.flatten() {
                    on_lock(LockReason::SessionLock);
                }
            });
        }
        Ok(())
    }

    fn own_session(conn: &Connection) -> Option<zbus::zvariant::OwnedObjectPath> {
        let reply = conn
            .call_method(
                Some("org.freedesktop.login1"),
                "/org/freedesktop/login1",
                Some("org.freedesktop.login1.Manager"),
                "GetSessionByPID",
                &(std::process::id()),
            )
            .ok()?;
        reply.body().deserialize().ok()
    }

    fn watch_screensaver(conn: Connection, on_lock: Callback) -> zbus::Result<()> {
        for interface in ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"] {
            let rule = MatchRule::builder()
                .msg_type(Type::Signal)
                .interface(interface)?
                .member("ActiveChanged")?
                .build();
            let it = MessageIterator::for_match_rule(rule, &conn, Some(8))?;
            let cb = on_lock.clone();
            let keep = conn.clone();
            spawn("lock-screensaver", move || {
                let _conn = keep;
                for msg in it.flatten() {
                    if msg.body().deserialize::<bool>().unwrap_or(false) {
                        cb(LockReason::Screensaver);
                    }
                }
            });
        }
        Ok(())
    }

    fn spawn(name: &str, f: impl FnOnce() + Send + 'static) {
        // A watcher that cannot start only means that signal is not watched.
        let _ = std::thread::Builder::new().name(name.to_owned()).spawn(f);
    }
}
