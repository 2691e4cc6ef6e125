// SPDX-License-Identifier: GPL-3.0-or-later
//! The boundary around the third-party image and QR decoders (`image`, `rqrr`, `rxing`).
//!
//! Decision (issue 12, finding 10): decoding an image a user hands us runs in a CHILD PROCESS
//! — the front end's own binary started again with [`CHILD_ARG`], the bytes on its standard
//! input, the decoded texts on its standard output — under an address-space limit
//! ([`CHILD_MEMORY`]), a CPU-time limit and a wall-clock timeout ([`TIMEOUT`]).
//!
//! Why not `panic = "unwind"` + `catch_unwind` around the decoders:
//! - the release profile is `panic = "abort"` for the whole workspace (a profile cannot set
//!   `panic` per crate), and switching it back costs the unwinding tables everywhere: the size
//!   budget of issue 5 (≤ 12 MB) was met only with abort (20.6 → 11.1 MB with LTO/strip);
//! - `catch_unwind` catches panics only: a decoder that loops forever, overflows its stack or
//!   allocates until the kernel kills us would still take the whole app (and an unlocked vault)
//!   down. A child process bounds all four, and the decoder never shares an address space with
//!   an unlocked vault key.
//!
//! The cost is a process start per image (a few milliseconds), nothing beside a scan.
//!
//! A front end opts in by handling [`CHILD_ARG`] first thing in `main` (calling
//! [`child_main`]) and calling [`use_child_process`] with its own executable; until then (unit
//! tests, a front end that has not opted in) decoding runs in process as before.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use image::GrayImage;

use crate::error::{Error, Result};
use crate::secret::SecretText;

/// The hidden first argument that makes a front end's binary a decoder child.
pub const CHILD_ARG: &str = "__keydeck-decode-image";
/// The child's address-space limit: the decoder's own allocation limit (1 GiB) plus a 100 MP
/// image, its grayscale copy and the QR passes' working images, with room to spare.
pub const CHILD_MEMORY: u64 = 4 * 1024 * 1024 * 1024;
/// How long a decode may take, wall clock (the largest screenshots take a few seconds).
pub const TIMEOUT: Duration = Duration::from_secs(60);

static CHILD_PROGRAM: OnceLock<PathBuf> = OnceLock::new();

/// From now on, this process decodes images by running `program CHILD_ARG` (normally
/// `std::env::current_exe()`).
pub fn use_child_process(program: PathBuf) {
    let _ = CHILD_PROGRAM.set(program);
}

/// Whether images are decoded in a child process (see [`use_child_process`]).
pub fn isolated() -> bool {
    CHILD_PROGRAM.get().is_some()
}

const REQ_ENCODED: u8 = b'E';
const REQ_GRAY: u8 = b'G';
const RESP_OK: u8 = b'O';
const RESP_ERR: u8 = b'X';

/// What the child is asked to decode.
pub(crate) enum Request<'a> {
    /// PNG, JPEG, … bytes (from a file, an import, the app's drop or paste).
    Encoded(&'a [u8]),
    /// Grayscale pixels (a screen capture, a clipboard image).
    Gray(&'a GrayImage),
}

/// The texts of every QR code found, decoded in the child. `what` names the image in errors.
pub(crate) fn decode_in_child(what: &str, req: Request<'_>) -> Result<Vec<SecretText>> {
    let Some(program) = CHILD_PROGRAM.get() else {
        return Err(Error::invalid("image decoder", "not set up"));
    };
    let mut body = zeroize::Zeroizing::new(Vec::new());
    let w = what.as_bytes();
    match req {
        Request::Encoded(bytes) => {
            body.push(REQ_ENCODED);
            body.extend_from_slice(&(w.len() as u32).to_be_bytes());
            body.extend_from_slice(w);
            body.extend_from_slice(bytes);
        }
        Request::Gray(img) => {
            body.push(REQ_GRAY);
            body.extend_from_slice(&(w.len() as u32).to_be_bytes());
            body.extend_from_slice(w);
            body.extend_from_slice(&img.width().to_be_bytes());
            body.extend_from_slice(&img.height().to_be_bytes());
            body.extend_from_slice(img.as_raw());
        }
    }
    let failed = |reason: &str| super::load::bad(what, reason);
    let mut child = Command::new(program)
        .arg(CHILD_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // A decoder's panic message is not for the user (and may quote the image).
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(&format!("the image decoder could not be started ({e})")))?;
    let (Some(mut stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(failed("the image decoder could not be started"));
    };
    // Write and read on threads: either side may fill a pipe before the other is drained.
    let writer = std::thread::spawn(move || {
        let r = stdin.write_all(&body);
        drop(stdin);
        r
    });
    let reader = std::thread::spawn(move || {
        let mut out = zeroize::Zeroizing::new(Vec::new());
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let _ = writer.join();
    let out = reader.join().ok().and_then(|r| r.ok());
    let Some(status) = status else {
        return Err(failed(&format!(
            "the image decoder took longer than {} s and was stopped",
            TIMEOUT.as_secs()
        )));
    };
    let out =
        match out {
            Some(out) if status.success() => out,
            _ => return Err(failed(
                "the image decoder crashed on it (a damaged image, or one made to attack image \
                 decoders); nothing else was affected",
            )),
        };
    parse_response(&out).ok_or_else(|| failed("the image decoder gave an unreadable answer"))?
}

fn parse_response(out: &[u8]) -> Option<Result<Vec<SecretText>>> {
    let (&tag, mut rest) = out.split_first()?;
    match tag {
        RESP_ERR => {
            let (field, reason) = std::str::from_utf8(rest).ok()?.split_once('\n')?;
            Some(Err(Error::invalid(field, reason)))
        }
        RESP_OK => {
            let mut texts = Vec::new();
            while !rest.is_empty() {
                let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
                let text = rest.get(4..4 + len)?;
                texts.push(SecretText::new(std::str::from_utf8(text).ok()?));
                rest = &rest[4 + len..];
            }
            Some(Ok(texts))
        }
        _ => None,
    }
}

/// The decoder child: reads one request on standard input, decodes it, writes the answer on
/// standard output; returns the process exit status. Memory, CPU time and core dumps are
/// limited first. A panic or abort in here ends only this process.
pub fn child_main() -> u8 {
    limit_self();
    let mut input = zeroize::Zeroizing::new(Vec::new());
    let max = super::load::MAX_FILE_BYTES + 4 * super::load::MAX_PIXELS + 4096;
    if std::io::stdin()
        .lock()
        .take(max)
        .read_to_end(&mut input)
        .is_err()
    {
        return 2;
    }
    let mut out = zeroize::Zeroizing::new(Vec::new());
    match decode_request(&input) {
        Ok(texts) => {
            out.push(RESP_OK);
            for t in texts {
                let b = t.expose().as_bytes();
                out.extend_from_slice(&(b.len() as u32).to_be_bytes());
                out.extend_from_slice(b);
            }
        }
        Err(e) => {
            out.push(RESP_ERR);
            let field = match &e {
                Error::InvalidInput { field, .. } => field.replace('\n', " "),
                _ => "image".to_owned(),
            };
            out.extend_from_slice(format!("{field}\n{e}").as_bytes());
        }
    }
    let mut so = std::io::stdout().lock();
    if so.write_all(&out).and_then(|_| so.flush()).is_err() {
        return 2;
    }
    0
}

fn decode_request(input: &[u8]) -> Result<Vec<SecretText>> {
    let bad = || Error::invalid("image decoder", "malformed request");
    let (&tag, rest) = input.split_first().ok_or_else(bad)?;
    let wlen = u32::from_be_bytes(
        rest.get(..4)
            .ok_or_else(bad)?
            .try_into()
            .map_err(|_| bad())?,
    ) as usize;
    let what = std::str::from_utf8(rest.get(4..4 + wlen).ok_or_else(bad)?).map_err(|_| bad())?;
    let payload = &rest[4 + wlen..];
    let img = match tag {
        REQ_ENCODED => super::load::load_bytes(what, payload)?,
        REQ_GRAY => {
            let dim = |i: usize| -> Result<u32> {
                Ok(u32::from_be_bytes(
                    payload
                        .get(i..i + 4)
                        .ok_or_else(bad)?
                        .try_into()
                        .map_err(|_| bad())?,
                ))
            };
            let (w, h) = (dim(0)?, dim(4)?);
            GrayImage::from_raw(w, h, payload[8..].to_vec()).ok_or_else(bad)?
        }
        _ => return Err(bad()),
    };
    injected_panic(what);
    Ok(super::decode::find_codes(&img)
        .into_iter()
        .map(|f| f.text)
        .collect())
}

/// Test hook, debug builds only: `KEYDECK_TEST_DECODER_PANIC=TEXT` makes the decoder panic, where
/// a crafted image would, on every image whose name contains TEXT — inside the boundary. No
/// real image is known to panic `image`/`rqrr`/`rxing`; this proves the boundary holds when one
/// does. Compiled out of release builds.
fn injected_panic(what: &str) {
    #[cfg(debug_assertions)]
    if let Some(t) = std::env::var_os("KEYDECK_TEST_DECODER_PANIC") {
        if what.contains(t.to_string_lossy().as_ref()) {
            panic!("injected decoder panic (KEYDECK_TEST_DECODER_PANIC)");
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = what;
}

fn limit_self() {
    let _ = crate::hardening::disable_core_dumps();
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let _ = setrlimit(
            Resource::As,
            Rlimit {
                current: Some(CHILD_MEMORY),
                maximum: Some(CHILD_MEMORY),
            },
        );
        let cpu = TIMEOUT.as_secs();
        let _ = setrlimit(
            Resource::Cpu,
            Rlimit {
                current: Some(cpu),
                maximum: Some(cpu + 5),
            },
        );
    }
}
