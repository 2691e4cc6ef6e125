//! Authenticator Pro / Stratum's HTML export: a page with a table of issuer, username, the
//! `otpauth://` URI in a `<code>` element and its QR code as a PNG. The URIs are read (the QR
//! images say the same). The page is HTML, not XML, so it is scanned for `<code>` elements
//! rather than parsed; their text is HTML-unescaped and read as URIs. Stratum writes mOTP as
//! `motp://` and Yandex as `otpauth://yaotp/`: both are listed as problems.

use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};

pub struct AuthProHtml;

const TITLE: &str = "Authenticator Pro HTML export";

/// The text of every `<code>…</code>` in the page, in order.
fn codes(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<code>") {
        let after = &rest[start + "<code>".len()..];
        let Some(end) = after.find("</code>") else {
            break;
        };
        out.push(after[..end].trim());
        rest = &after[end + "</code>".len()..];
    }
    out
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;` / `&#x27;` → the character (what an HTML writer
/// escapes in text); anything else is left as it is.
fn unescape(s: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(s.len()));
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let found = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#x27;", '\''),
        ]
        .into_iter()
        .find(|(e, _)| tail.starts_with(e));
        match found {
            Some((e, c)) => {
                out.push(c);
                rest = &tail[e.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_link(code: &str) -> bool {
    let l = code.to_ascii_lowercase();
    l.starts_with("otpauth://") || l.starts_with("motp://")
}

impl Format for AuthProHtml {
    fn name(&self) -> &'static str {
        "authenticator-pro-html"
    }
    fn app(&self) -> &'static str {
        "Authenticator Pro (Stratum)"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let text = input.text()?;
        let head = text.get(..text.len().min(512))?.to_ascii_lowercase();
        (head.contains("<html") && codes(text).iter().any(|c| is_link(c)))
            .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let text = input
            .text()
            .ok_or_else(|| Error::invalid(TITLE, "the file is not UTF-8 text"))?;
        let mut read = Read::default();
        for (i, code) in codes(text).into_iter().filter(|c| is_link(c)).enumerate() {
            let uri = unescape(code);
            match crate::otp::parse_uri(&uri) {
                Ok(e) => read.accounts.push(Imported::from_entry(e)),
                Err(e) => read.problems.push(format!("entry {}: {e}", i + 1)),
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;
    use crate::model::{Algorithm, OtpKind};

    #[test]
    fn stratum_html_export() {
        // Stratum.Test/data/backup.html: 7 usable links, then mOTP and Yandex.
        let input = Input::new(testdata::bytes("more_imports/stratum_more/backup.html")).unwrap();
        assert_eq!(AuthProHtml.detect(&input), Detected::PLAIN);
        let r = AuthProHtml.read(&input, &FileKey::default()).unwrap();
        assert_eq!(r.accounts.len(), 7);
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        assert!(r.problems[0].contains("entry 8"), "{:?}", r.problems);
        let want = [
            (
                "Long",
                "Period",
                "JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
                Algorithm::Sha1,
                6,
                60,
            ),
            (
                "Many",
                "Digits",
                "WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
                Algorithm::Sha1,
                9,
                30,
            ),
            (
                "Sha",
                "256",
                "RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
                Algorithm::Sha256,
                6,
                30,
            ),
            (
                "Sha",
                "512",
                "UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
                Algorithm::Sha512,
                6,
                30,
            ),
        ];
        for (a, (issuer, user, secret, alg, digits, period)) in r.accounts.iter().zip(want) {
            assert_eq!((a.issuer.as_str(), a.username.as_str()), (issuer, user));
            let o = a.otp.as_ref().unwrap();
            assert_eq!(crate::otp::encode_secret(o.secret.expose()), secret);
            assert_eq!((o.algorithm, o.digits, o.period), (alg, digits, period));
        }
        let hotp = &r.accounts[4];
        assert_eq!(
            (hotp.issuer.as_str(), hotp.username.as_str()),
            ("Standard", "Hotp")
        );
        let o = hotp.otp.as_ref().unwrap();
        assert_eq!((o.kind, o.counter), (OtpKind::Hotp, 10));
    }

    #[test]
    fn unescapes_ampersands() {
        assert_eq!(&*unescape("a&amp;b&lt;&x"), "a&b<&x");
    }

    /// Stratum's other text exports are read by the `otpauth` format: UriListBackupConverterTest
    /// (urilist.txt, 7 authenticators) and GoogleAuthenticatorBackupConverterTest
    /// (googleauthenticator.txt, 6).
    #[test]
    fn stratum_uri_lists_are_links() {
        for (rel, n) in [
            ("stratum_authenticatorpro/data/urilist.txt", 7),
            ("stratum_authenticatorpro/data/googleauthenticator.txt", 6),
        ] {
            let f = crate::import::read(testdata::bytes(rel), None, &FileKey::default()).unwrap();
            assert_eq!(f.format.name(), "otpauth", "{rel}");
            assert!(f.problems.is_empty(), "{rel}: {:?}", f.problems);
            assert_eq!(f.accounts.len(), n, "{rel}");
        }
    }
}
