//! Recovery (backup) codes as services hand them out, pasted as a block of text.
//!
//! What a block may look like, all accepted:
//! - one code per line;
//! - several codes on a line, separated by spaces or commas (`abcd1 efgh2, ijkl3`);
//! - numbered lists (`1. abcd-efgh`, `2) 1234 5678`): each numbered item is ONE code, spaces
//!   and all, because services such as Google print a code as two groups of digits;
//! - blank lines, and header or prose lines ("Your backup codes:", "Keep these somewhere
//!   safe."), which are ignored and counted.
//!
//! Codes are compared loosely (`normalize`): case, spaces and dashes do not matter, because
//! people type `ABCD EFGH` for `abcd-efgh`.

/// The result of reading a pasted block.
pub struct ParsedCodes {
    pub codes: Vec<String>,
    /// 1-based numbers of non-blank lines that held no code (headers, prose).
    pub ignored_lines: Vec<usize>,
}

const MAX_CODE_LEN: usize = 64;

/// Reads a pasted block of recovery codes. Never fails: what is not a code is reported in
/// `ignored_lines`.
pub fn parse_block(text: &str) -> ParsedCodes {
    let mut codes: Vec<String> = Vec::new();
    let mut ignored_lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let found = match numbered_items(line) {
            Some(items) => items
                .into_iter()
                .filter(|c| looks_like_code(c, true))
                .collect(),
            None => plain_codes(line),
        };
        if found.is_empty() {
            ignored_lines.push(i + 1);
        }
        for c in found {
            if !codes.iter().any(|k| normalize(k) == normalize(&c)) {
                codes.push(c);
            }
        }
    }
    ParsedCodes {
        codes,
        ignored_lines,
    }
}

/// The canonical comparison form: lower case, without spaces and dashes. A copy of a code, so
/// it is sized up front (lower-casing grows a character to at most 3 times its UTF-8 length;
/// a growing String would free partial copies) and zeroed on drop.
pub fn normalize(code: &str) -> zeroize::Zeroizing<String> {
    let mut out = zeroize::Zeroizing::new(String::with_capacity(code.len() * 3));
    out.extend(
        code.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase),
    );
    out
}

/// `1. abcd efgh   2. ijkl mnop` → ["abcd efgh", "ijkl mnop"]; `None` if the line is not a
/// numbered list.
fn numbered_items(line: &str) -> Option<Vec<String>> {
    let toks: Vec<&str> = line.split_whitespace().collect();
    if !toks.first().is_some_and(|t| is_marker(t)) {
        return None;
    }
    let mut items = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for t in toks {
        if is_marker(t) {
            if !cur.is_empty() {
                items.push(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(t.trim_end_matches(','));
        }
    }
    if !cur.is_empty() {
        items.push(cur.join(" "));
    }
    Some(items)
}

/// `12.` or `3)` or `#4` or a bullet.
fn is_marker(t: &str) -> bool {
    if matches!(t, "-" | "*" | "•") {
        return true;
    }
    let digits = t
        .strip_suffix('.')
        .or_else(|| t.strip_suffix(')'))
        .or_else(|| t.strip_suffix(':'))
        .or_else(|| t.strip_prefix('#'));
    digits.is_some_and(|d| !d.is_empty() && d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit()))
}

fn plain_codes(line: &str) -> Vec<String> {
    let toks: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .collect();
    // A line with any token that is not code-like is prose or a header: take nothing from it.
    if toks.is_empty() || !toks.iter().all(|t| looks_like_code(t, false)) {
        return Vec::new();
    }
    toks.into_iter().map(str::to_owned).collect()
}

/// Letters, digits, dashes (and inner spaces in a numbered item), 4–64 characters. A plain
/// token must also hold a digit or a dash, or be a single-case run of ≥ 8 letters, so that
/// words like "Backup" or "codes" are not taken for codes.
fn looks_like_code(s: &str, numbered: bool) -> bool {
    let compact = normalize(s);
    let len = compact.chars().count();
    if !(4..=MAX_CODE_LEN).contains(&len) {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
    {
        return false;
    }
    if numbered {
        return true;
    }
    let has_digit = s.chars().any(|c| c.is_ascii_digit());
    let single_case =
        s.chars().all(|c| c.is_ascii_lowercase()) || s.chars().all(|c| c.is_ascii_uppercase());
    has_digit || s.contains('-') || (single_case && len >= 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        parse_block(text).codes
    }

    #[test]
    fn one_per_line_with_header_and_blank_lines() {
        let p = parse_block(
            "GitHub recovery codes\n\n  a1b2c-3d4e5 \nf6g7h-8i9j0\n\nKeep them safe.\n",
        );
        assert_eq!(p.codes, vec!["a1b2c-3d4e5", "f6g7h-8i9j0"]);
        assert_eq!(p.ignored_lines, vec![1, 6]);
    }

    #[test]
    fn space_and_comma_separated() {
        assert_eq!(
            codes("1111-2222 3333-4444, 5555-6666"),
            vec!["1111-2222", "3333-4444", "5555-6666"]
        );
        assert_eq!(
            codes("abcd1234,efgh5678;ijkl9012"),
            vec!["abcd1234", "efgh5678", "ijkl9012"]
        );
    }

    #[test]
    fn numbered_lists_keep_each_item_whole() {
        assert_eq!(
            codes("1. abcd-efgh\n2. ijkl-mnop"),
            vec!["abcd-efgh", "ijkl-mnop"]
        );
        // Google prints two numbered codes per line, each as two digit groups.
        assert_eq!(
            codes("SAVE YOUR BACKUP CODES\n1. 8312 7790    2. 2405 3512\n3) 1111 2222"),
            vec!["8312 7790", "2405 3512", "1111 2222"]
        );
    }

    #[test]
    fn prose_and_headers_are_ignored() {
        let p = parse_block("Your backup codes:\nBackup codes\nUse each code once.\nabcdefgh");
        assert_eq!(p.codes, vec!["abcdefgh"]);
        assert_eq!(p.ignored_lines, vec![1, 2, 3]);
        assert!(codes("Recovery Codes").is_empty());
    }

    #[test]
    fn duplicates_collapse_loosely() {
        assert_eq!(codes("abcd-efgh\nABCD EFGH\nabcdefgh"), vec!["abcd-efgh"]);
    }

    #[test]
    fn normalize_ignores_case_spaces_dashes() {
        assert_eq!(normalize(" AbCd-12 34 ").as_str(), "abcd1234");
    }
}
