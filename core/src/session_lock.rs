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
    use zbus::message::{Message, Type};
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
        // PrepareForSleep(true) before suspending, (false) after resuming.
        on_signal(
            &conn,
            sleep,
            LockReason::Suspend,
            first_arg_true,
            on_lock.clone(),
        )?;
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
            on_signal(&conn, lock, LockReason::SessionLock, |_| true, on_lock)?;
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
            on_signal(
                &conn,
                rule,
                LockReason::Screensaver,
                first_arg_true,
                on_lock.clone(),
            )?;
        }
        Ok(())
    }

    /// Calls `on_lock(reason)` for every signal matching `rule` that `wanted` accepts, on a
    /// thread of its own that keeps the connection alive. A watcher that cannot start only means
    /// that signal is not watched.
    fn on_signal(
        conn: &Connection,
        rule: MatchRule<'_>,
        reason: LockReason,
        wanted: fn(&Message) -> bool,
        on_lock: Callback,
    ) -> zbus::Result<()> {
        let signals = MessageIterator::for_match_rule(rule, conn, Some(8))?;
        let conn = conn.clone();
        let _ = std::thread::Builder::new()
            .name(format!("lock-{reason:?}"))
            .spawn(move || {
                let _conn = conn;
                for msg in signals.flatten() {
                    if wanted(&msg) {
                        on_lock(reason);
                    }
                }
            });
        Ok(())
    }

    /// The signal's boolean argument (PrepareForSleep, ActiveChanged): true means "going away".
    fn first_arg_true(msg: &Message) -> bool {
        msg.body().deserialize::<bool>().unwrap_or(false)
    }
}
