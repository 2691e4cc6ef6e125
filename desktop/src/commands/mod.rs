//! The IPC commands: each takes state, calls keydeck-core, maps the error.

pub mod accounts;
pub mod backup;
pub mod desktop;
pub mod details;
pub mod keychain;
pub mod otp;
pub mod recovery;
pub mod scan;
pub mod settings;
pub mod strength;
pub mod transfer;
pub mod trash;
pub mod vault;
