// SPDX-License-Identifier: GPL-3.0-or-later
//! What several benchmarks share: accounts shaped like a real vault's.

use keydeck_core::{AccountDraft, SecretText};

/// Accounts `range` with a password, URL, notes and two tags each (a realistic record size).
pub fn drafts(range: std::ops::Range<usize>) -> Vec<AccountDraft> {
    range
        .map(|i| AccountDraft {
            name: format!("Service {i}"),
            issuer: "Example".to_owned(),
            username: format!("user{i}@example.com"),
            password: Some(SecretText::new(format!("pw-{i}-Xq7!vR2#kL9"))),
            url: format!("https://service{i}.example.com/login"),
            notes: "Recovery e-mail on the other address.".to_owned(),
            tags: vec!["work".into(), format!("group{}", i % 10)],
            ..Default::default()
        })
        .collect()
}
