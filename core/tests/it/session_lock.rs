//! Lock signals from the OS (issue 6), against real dbus-daemon instances standing in for the
//! system and session buses: a logind stand-in owning `org.freedesktop.login1` announces a
//! suspend, a screensaver announces it came on. Signals that mean "resumed"/"screensaver off", or
//! that come from someone who is not logind, lock nothing.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use keydeck_core::session_lock::{self, Buses, LockReason};

/// A private bus: `dbus-daemon --session` on a fresh socket, stopped on drop.
struct PrivateBus {
    child: Child,
    address: String,
}

impl PrivateBus {
    fn start() -> PrivateBus {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon must be installed (Debian package dbus) for this test");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("dbus-daemon prints its address");
        let address = line.trim().to_owned();
        assert!(address.starts_with("unix:"), "dbus-daemon said {address:?}");
        PrivateBus { child, address }
    }

    fn connect(&self, name: Option<&str>) -> zbus::blocking::Connection {
        let mut b =
            zbus::blocking::connection::Builder::address(self.address.as_str()).expect("address");
        if let Some(n) = name {
            b = b.name(n).expect("name");
        }
        b.build().expect("connect to the private bus")
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn suspend_and_screensaver_lock_others_do_not() {
    let system = PrivateBus::start();
    let session = PrivateBus::start();
    let (tx, rx) = mpsc::channel();
    let problems = session_lock::watch(
        Buses {
            system: Some(system.address.clone()),
            session: Some(session.address.clone()),
        },
        move |reason| {
            let _ = tx.send(reason);
        },
    );
    assert!(problems.is_empty(), "{problems:?}");

    let manager = ("/org/freedesktop/login1", "org.freedesktop.login1.Manager");
    let logind = system.connect(Some("org.freedesktop.login1"));
    // Someone who is not logind claims a suspend: ignored.
    let impostor = system.connect(None);
    impostor
        .emit_signal(
            None::<&str>,
            manager.0,
            manager.1,
            "PrepareForSleep",
            &(true,),
        )
        .expect("emit");
    // Resuming (false) locks nothing; suspending (true) locks.
    logind
        .emit_signal(
            None::<&str>,
            manager.0,
            manager.1,
            "PrepareForSleep",
            &(false,),
        )
        .expect("emit");
    logind
        .emit_signal(
            None::<&str>,
            manager.0,
            manager.1,
            "PrepareForSleep",
            &(true,),
        )
        .expect("emit");
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(10)),
        Ok(LockReason::Suspend)
    );

    let saver = session.connect(None);
    for (iface, path) in [
        (
            "org.freedesktop.ScreenSaver",
            "/org/freedesktop/ScreenSaver",
        ),
        ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    ] {
        saver
            .emit_signal(None::<&str>, path, iface, "ActiveChanged", &(false,))
            .expect("emit");
        saver
            .emit_signal(None::<&str>, path, iface, "ActiveChanged", &(true,))
            .expect("emit");
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(10)),
            Ok(LockReason::Screensaver),
            "{iface}"
        );
    }
    // Nothing else arrived (the impostor and the "off" signals).
    assert_eq!(
        rx.recv_timeout(Duration::from_millis(500)),
        Err(mpsc::RecvTimeoutError::Timeout)
    );
}

#[test]
fn missing_buses_are_reported_not_fatal() {
    let problems = session_lock::watch(
        Buses {
            system: Some("unix:path=/nonexistent/keydeck-system-bus".into()),
            session: Some("unix:path=/nonexistent/keydeck-session-bus".into()),
        },
        |_| {},
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("no system bus"), "{problems:?}");
    assert!(problems[1].starts_with("no session bus"), "{problems:?}");
}
