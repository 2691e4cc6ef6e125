//! Core dumps are off once a front end has called `disable_core_dumps` (issue 6).

use keydeck_core::hardening::{core_dumps_disabled, disable_core_dumps};

#[test]
fn core_dumps_are_disabled() {
    let problems = disable_core_dumps();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(core_dumps_disabled());
    // Idempotent: a second call (e.g. app and a library both doing it) is fine.
    assert!(disable_core_dumps().is_empty());
}
