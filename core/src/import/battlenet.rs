//! The Battle.net app's authenticator (`shared_prefs/com.blizzard.messenger.authenticator_
//! preferences.xml` from its app data): the device secret and the serial are hex, XOR-masked
//! with a fixed key the app ships (`AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE` = `MASK`). The
//! unmasked secret is itself hex; codes are Blizzard's: TOTP, SHA-1, 8 digits, 30 s.

use zeroize::Zeroizing;

use super::{parse_xml, Detected, FileKey, Format, Imported, Input, Read};
use crate::error::{Error, Result};
use crate::model::{Algorithm, Otp, OtpKind};
use crate::secret::SecretBytes;

pub struct BattleNet;

const TITLE: &str = "Battle.net authenticator preferences";
const SECRET_KEY: &str = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET";
const SERIAL_KEY: &str = "com.blizzard.messenger.AUTHENTICATOR_SERIAL";

/// The mask the Battle.net app XORs its credentials with (public: in every copy of the app).
const MASK: [u8; 56] = [
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4, 0xc0, 0x6c,
    0x04, 0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9, 0x81, 0x3b, 0x5d, 0xd6,
    0xc8, 0x0d, 0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f, 0xa5, 0x9b, 0xa4, 0x7c, 0x17, 0xca, 0x6c, 0x64,
    0x79, 0x01, 0x5c, 0x1d, 0x5b, 0x8b, 0x8f, 0x6b,
];

fn hex(what: &str, s: &str) -> Result<Zeroizing<Vec<u8>>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.trim().as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| Error::invalid(TITLE, format!("{what} is not hexadecimal")))
}

fn unmask(what: &str, s: &str) -> Result<Zeroizing<Vec<u8>>> {
    let masked = hex(what, s)?;
    if masked.len() > MASK.len() {
        return Err(Error::invalid(
            TITLE,
            format!("{what} is longer than the Battle.net app writes"),
        ));
    }
    Ok(Zeroizing::new(
        masked.iter().zip(MASK.iter()).map(|(b, m)| b ^ m).collect(),
    ))
}

impl Format for BattleNet {
    fn name(&self) -> &'static str {
        "battle-net"
    }
    fn app(&self) -> &'static str {
        "Battle.net"
    }
    fn title(&self) -> &'static str {
        TITLE
    }
    fn encryptable(&self) -> bool {
        false
    }
    fn detect(&self, input: &Input) -> Option<Detected> {
        let text = input.text()?;
        (text.trim_start().starts_with('<') && text.contains(SECRET_KEY))
            .then_some(Detected { encrypted: false })
    }
    fn read(&self, input: &Input, _key: &FileKey) -> Result<Read> {
        let text = input
            .text()
            .ok_or_else(|| Error::invalid(TITLE, "the file is not UTF-8 text"))?;
        let doc = parse_xml(TITLE, text)?;
        let value = |key: &str| {
            doc.root_element()
                .children()
                .find(|n| n.has_tag_name("string") && n.attribute("name") == Some(key))
                .map(|n| n.text().unwrap_or_default().to_owned())
        };
        let secret_hex = Zeroizing::new(
            value(SECRET_KEY)
                .ok_or_else(|| Error::invalid(TITLE, "the device secret is missing"))?,
        );
        let serial = match value(SERIAL_KEY).filter(|s| !s.trim().is_empty()) {
            Some(s) => String::from_utf8(unmask("the serial", &s)?.to_vec())
                .map_err(|_| Error::invalid(TITLE, "the serial is damaged"))?,
            None => String::new(),
        };
        let inner = unmask("the device secret", &secret_hex)?;
        let inner = std::str::from_utf8(&inner)
            .map_err(|_| Error::invalid(TITLE, "the device secret is damaged"))?;
        let secret = hex("the device secret", inner)?;
        let otp = Otp {
            kind: OtpKind::Totp,
            secret: SecretBytes::new(secret.to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 8,
            period: 30,
            counter: 0,
        };
        crate::otp::validate(&otp)?;
        Ok(Read {
            accounts: vec![Imported {
                issuer: "Battle.net".to_owned(),
                username: serial,
                otp: Some(otp),
                ..Default::default()
            }],
            problems: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testdata;

    #[test]
    fn battle_net_preferences() {
        let input = Input::new(testdata::bytes(
            "aegis/importers/battle_net_authenticator.xml",
        ))
        .unwrap();
        assert_eq!(BattleNet.detect(&input), Detected::PLAIN);
        let r = BattleNet.read(&input, &FileKey::default()).unwrap();
        // Aegis VaultEntries: the Battle.net vector.
        let a = &r.accounts[0];
        assert_eq!(a.issuer, "Battle.net");
        assert_eq!(a.username, "US-2211-2050-3346");
        let o = a.otp.as_ref().unwrap();
        assert_eq!(
            crate::otp::encode_secret(o.secret.expose()),
            "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI"
        );
        assert_eq!((o.kind, o.digits, o.period), (OtpKind::Totp, 8, 30));
        assert_eq!(crate::otp::code_at(o, 1_234_567_890).code, "95538542");
    }

    #[test]
    fn damaged_secret_is_refused() {
        let xml = format!("<map><string name=\"{SECRET_KEY}\">zz</string></map>");
        let input = Input::new(xml.into_bytes()).unwrap();
        let e = BattleNet.read(&input, &FileKey::default()).err().unwrap();
        assert!(e.to_string().contains("hexadecimal"), "{e}");
    }
}
