// SPDX-License-Identifier: GPL-3.0-or-later
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    assert!(keydeck_core::fuzzing::run("import_andotp", data));
});
