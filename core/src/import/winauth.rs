//! WinAuth's export as a zip archive: a text file of `otpauth://` links, the archive protected
//! with a password (traditional ZipCrypto, as WinAuth writes it). Its unzipped text export is
//! the same links and is read by the `otpauth` format.
//!
//! ZipCrypto checks a password against one byte only; the entry's CRC-32 then tells a wrong
//! password (or a damaged file: they cannot be told apart) from the right one.

use std::io::Read as _;

use zeroize::Zeroizing;

use super::{Detected, FileKey, Format, Imported, Input, Read, MAX_ZIP_ENTRY_BYTES};
use crate::error::{Error, Result};
use crate::otp::import::parse_text;

pub struct WinAuth;

const TITLE: &str = "WinAuth zip export";

fn archive(input: &Input) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>> {
    zip::ZipArchive::new(std::io::Cursor::new(input.bytes()))
        .map_err(|e| Error::invalid(TITLE, format!("not a readable zip archive ({e})")))
}

impl Format for WinAuth {
    fn name(&self) -> &'static str {
        "winauth"
    }
    fn app(&self) -> &'static str {
        "WinAuth"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        true
    }
    /// A zip that holds only `.txt` files (WinAuth writes one, `winauth-<date>.txt`), or nothing
    /// at all: WinAuth's broken exports are empty archives, refused by `read` with the reason.
    /// Authenticator Plus's export is a zip of one `Accounts.txt`: not claimed here.
    fn detect(&self, input: &Input) -> Option<Detected> {
        let names = input.zip_names()?;
        if !names.iter().all(|n| {
            let n = n.to_ascii_lowercase();
            n.ends_with(".txt") && n != "accounts.txt"
        }) {
            return None;
        }
        let mut z = archive(input).ok()?;
        let encrypted =
            (0..z.len()).any(|i| z.by_index_raw(i).map(|f| f.encrypted()).unwrap_or(false));
        Some(Detected { encrypted })
    }
    fn read(&self, input: &Input, key: &FileKey) -> Result<Read> {
        let mut z = archive(input)?;
        if z.is_empty() {
            return Err(Error::invalid(
                TITLE,
                "the archive is empty: WinAuth wrote no accounts into it (export again from WinAuth)",
            ));
        }
        let mut read = Read::default();
        for i in 0..z.len() {
            let text = entry(&mut z, i, key)?;
            let text = std::str::from_utf8(&text)
                .map_err(|_| Error::invalid(TITLE, "the file in the archive is not text"))?;
            let parsed = parse_text(text);
            read.accounts.extend(
                parsed
                    .entries
                    .into_iter()
                    .map(|(_, e)| Imported::from_entry(e)),
            );
            read.problems.extend(parsed.problems);
        }
        Ok(read)
    }
}

fn entry(
    z: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    i: usize,
    key: &FileKey,
) -> Result<Zeroizing<Vec<u8>>> {
    let wrong = || Error::WrongFilePassword {
        what: super::describe(&WinAuth, true),
    };
    let encrypted = z.by_index_raw(i).map(|f| f.encrypted()).unwrap_or(false);
    let file = if encrypted {
        let password = key
            .password
            .as_ref()
            .ok_or_else(|| Error::FilePasswordNeeded {
                what: super::describe(&WinAuth, true),
            })?;
        match z.by_index_decrypt(i, password.expose().as_bytes()) {
            Ok(f) => f,
            Err(zip::result::ZipError::InvalidPassword) => return Err(wrong()),
            Err(zip::result::ZipError::UnsupportedArchive(m)) => {
                return Err(Error::invalid(
                    TITLE,
                    format!("the archive uses what Keydeck does not read ({m})"),
                ))
            }
            Err(e) => return Err(Error::invalid(TITLE, format!("damaged archive ({e})"))),
        }
    } else {
        z.by_index(i)
            .map_err(|e| Error::invalid(TITLE, format!("damaged archive ({e})")))?
    };
    let mut out = Zeroizing::new(Vec::new());
    let res = file.take(MAX_ZIP_ENTRY_BYTES + 1).read_to_end(&mut out);
    if res.is_err() {
        // A bad CRC (or a garbled stream) after ZipCrypto: the password did not open it.
        return Err(if encrypted {
            wrong()
        } else {
            Error::invalid(TITLE, "the file in the archive is damaged")
        });
    }
    if out.len() as u64 > MAX_ZIP_ENTRY_BYTES {
        return Err(Error::invalid(
            TITLE,
            "the file in the archive unpacks to more than 64 MiB; refused (a zip bomb?)",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;

    fn input(rel: &str) -> Input {
        Input::new(testdata::bytes(rel)).unwrap()
    }

    #[test]
    fn winauth_zip() {
        // Stratum WinAuthBackupConverterTest.ConvertAsync_encrypted: password "test", one
        // authenticator.
        let i = input("stratum_authenticatorpro/data/winauth.zip");
        assert_eq!(WinAuth.detect(&i), Detected::ENCRYPTED);
        let r = WinAuth.read(&i, &FileKey::password("test")).unwrap();
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.accounts.len(), 1);
        let a = &r.accounts[0];
        assert_eq!(a.display_name(), "Authenticator");
        let o = a.otp.as_ref().unwrap();
        assert_eq!(
            crate::otp::encode_secret(o.secret.expose()),
            "TESTTESTTESTTESTTESQ"
        );
        assert_eq!((o.digits, o.period), (6, 30));
    }

    #[test]
    fn wrong_or_missing_password() {
        // …_encrypted_wrongPassword: "test1" is refused.
        let i = input("stratum_authenticatorpro/data/winauth.zip");
        let e = WinAuth.read(&i, &FileKey::password("test1")).err().unwrap();
        assert!(matches!(e, Error::WrongFilePassword { .. }), "{e}");
        let e = WinAuth.read(&i, &FileKey::default()).err().unwrap();
        assert!(matches!(e, Error::FilePasswordNeeded { .. }), "{e}");
    }

    #[test]
    fn invalid_zip_is_refused_with_reason() {
        // …ConvertAsync_invalid: winauth.invalid.zip (an empty archive) must fail.
        let i = input("stratum_authenticatorpro/data/winauth.invalid.zip");
        assert_eq!(WinAuth.detect(&i), Detected::PLAIN);
        let e = WinAuth.read(&i, &FileKey::password("test")).err().unwrap();
        assert!(e.to_string().contains("empty"), "{e}");
    }

    #[test]
    fn damaged_zip_is_refused() {
        let bytes = testdata::bytes("stratum_authenticatorpro/data/winauth.zip");
        let mut flipped = bytes.clone();
        flipped[70] ^= 0x04; // inside the encrypted data
        let i = Input::new(flipped).unwrap();
        assert!(WinAuth.read(&i, &FileKey::password("test")).is_err());
        let i = Input::new(bytes[..bytes.len() / 2].to_vec()).unwrap();
        assert!(
            WinAuth.detect(&i).is_none() || WinAuth.read(&i, &FileKey::password("test")).is_err()
        );
    }

    #[test]
    fn other_zips_are_not_winauth() {
        assert_eq!(
            WinAuth.detect(&input("aegis/importers/authenticator_plus.zip")),
            None
        );
    }
}
