//! Integration tests of keydeck-core on real vault files in temp dirs. One binary, a module
//! per concern (ripgrep's layout).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod backup;
mod bad_input;
mod concurrency;
mod corpus;
mod corpus_cases;
mod crash;
mod emergency_kit;
mod fixture;
mod hardening;
mod hotp;
mod otp;
mod qr;
mod reads;
mod recovery;
mod roundtrip;
mod session_lock;
mod tamper;
mod transfer;
mod trash;
mod util;
