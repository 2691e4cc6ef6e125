//! What each file of the shared test data must give (see `corpus.rs`).

use keydeck_core::ErrorKind;

use crate::corpus::Want::{self, *};

pub const CASES: &[(&str, Option<&str>, Option<&str>, Want)] = &[];
