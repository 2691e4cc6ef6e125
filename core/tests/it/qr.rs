//! QR decoding against the public image sets (zxing-cpp samples, rqrr and otpauth images, read
//! in place from the shared test data: `../shared/testdata/qr_images`, or `KEYDECK_TESTDATA`)
//! and Keydeck's own screenshot fixtures (tests/fixtures/screenshots).
//! Prints hits per set; asserts the floors reached when the decoder was tuned, so a change that
//! loses codes fails. Negatives must give nothing.

use std::path::{Path, PathBuf};

use serde_json::Value;

use keydeck_core::qr::{self, decode, load};

use crate::util::testdata;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn texts(path: &Path) -> Vec<String> {
    match load::load_file(path) {
        Ok(img) => decode::find_codes(&img)
            .into_iter()
            .map(|f| f.text.expose().to_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// (set, hits, total) for the zxing-cpp sets described in qr_images_expected.json.
fn zxing_sets() -> Vec<(String, usize, usize)> {
    let base = testdata("qr_images");
    let d: Value =
        serde_json::from_slice(&std::fs::read(base.join("qr_images_expected.json")).unwrap())
            .unwrap();
    let mut out = Vec::new();
    for (name, set) in d["sets"]["zxing-cpp"].as_object().unwrap() {
        let items = set["items"].as_array().unwrap();
        let mut hits = 0;
        for it in items {
            let found = texts(&base.join(it["file"].as_str().unwrap()));
            let ok = match it.get("expected_text").and_then(Value::as_str) {
                Some(t) => found.iter().any(|f| f == t),
                None => found.is_empty(), // negative sample
            };
            hits += usize::from(ok);
        }
        out.push((name.clone(), hits, items.len()));
    }
    out
}

#[test]
fn zxing_cpp_sample_sets() {
    let sets = zxing_sets();
    for (name, hits, total) in &sets {
        eprintln!("qr set zxing-cpp/{name}: {hits}/{total}");
    }
    let get = |n: &str| sets.iter().find(|s| s.0 == n).map(|s| (s.1, s.2)).unwrap();
    // Negatives: nothing may be "found" in pictures without a QR code.
    let (neg, total) = get("falsepositives-1");
    assert_eq!(neg, total, "a false positive");
    // Floors measured when the decoder was tuned (see the issue-4 note); raise them, never lower.
    assert!(get("qrcode-1").0 >= 8);
    assert!(get("qrcode-2").0 >= FLOOR_QRCODE_2, "{:?}", get("qrcode-2"));
    assert!(get("qrcode-5").0 >= FLOOR_QRCODE_5, "{:?}", get("qrcode-5"));
}

const FLOOR_QRCODE_2: usize = 54;
const FLOOR_QRCODE_5: usize = 16;

#[test]
fn otpauth_and_rqrr_images() {
    let base = crate::util::testdata_dir();
    let cases: &[(&str, &[&str])] = &[
        ("qr_images/otpauth_qr/dim13_otpauth/example.png", &["otpauth://totp/Example:alice@google.com?issuer=Example&period=30&secret=JBSWY3DPEHPK3PXP"]),
        ("qr_images/otpauth_qr/dfarnham_totp-qr/otpauth-totp-qr.jpg", &["otpauth://totp/"]),
        ("qr_images/otpauth_qr/dfarnham_totp-qr/otpauth-migration-qr.jpg", &["otpauth-migration://offline?data="]),
        ("google_migration/extract_otp_secrets/images/test_googleauth_export.png", &["otpauth-migration://offline?data="]),
        ("google_migration/extract_otp_secrets/images/qr_but_without_otp.png", &[""]),
        ("qr_images/rqrr_images/full/multiple.png", &["", "", ""]),
        ("qr_images/rqrr_images/full/multiple_rotated.png", &["", "", ""]),
        ("qr_images/rqrr_images/full/superlong.gif", &[""]),
        ("qr_images/rqrr_images/github.gif", &["https://github.com/WanzenBug/rqrr"]),
        ("qr_images/rqrr_images/mirrored.gif", &[""]),
        ("qr_images/rqrr_images/number.gif", &["1234567891011121314151617181920"]),
        ("qr_images/rqrr_images/rqrr.gif", &["rqrr"]),
    ];
    for (file, want) in cases {
        let found = texts(&base.join(file));
        assert_eq!(found.len(), want.len(), "{file}: {} codes", found.len());
        for w in *want {
            assert!(
                found.iter().any(|f| f.starts_with(w)),
                "{file}: {w} not in {found:?}"
            );
        }
    }
    // rqrr's damaged images: never a panic, whatever comes out.
    for f in std::fs::read_dir(base.join("qr_images/rqrr_images/errors")).unwrap() {
        let _ = texts(&f.unwrap().path());
    }
}

#[test]
fn bad_images_are_clear_errors() {
    let e = load::load_file(&testdata(
        "google_migration/extract_otp_secrets/images/text_masquerading_as_image.jpeg",
    ))
    .err()
    .unwrap();
    assert!(
        e.to_string().contains("not an image Keydeck can read"),
        "{e}"
    );
    let dir = tempfile::tempdir().unwrap();
    // Truncated PNG.
    let png = std::fs::read(testdata("qr_images/otpauth_qr/dim13_otpauth/example.png")).unwrap();
    let cut = dir.path().join("cut.png");
    std::fs::write(&cut, &png[..png.len() / 2]).unwrap();
    let e = load::load_file(&cut).err().unwrap();
    assert!(e.to_string().contains("broken or truncated"), "{e}");
    // A PNG header claiming 100,000 × 100,000 pixels: refused from the header, no allocation.
    let mut bomb = png.clone();
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    fix_ihdr_crc(&mut bomb);
    let e = load::load_bytes("bomb.png", &bomb).err().unwrap();
    assert!(e.to_string().contains("megapixels"), "{e}");
    // A TIFF (12-bit or not): named, refused.
    let e = load::load_bytes("scan.tiff", b"II*\0\x08\0\0\0rest-of-a-tiff")
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("Tiff images are not supported"),
        "{e}"
    );
    assert!(load::load_bytes("empty", b"").is_err());
    // A real PNG bomb: tiny file, huge declared size, compressed zeros.
    let e = load::load_bytes("zeros.png", &deflate_bomb())
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("megapixels") || e.to_string().contains("memory"),
        "{e}"
    );
}

/// A small valid PNG whose header is then made to declare 20,000 × 20,000 pixels (400 MP):
/// the shape of a decompression bomb. It must be refused from the header alone.
fn deflate_bomb() -> Vec<u8> {
    use image::ImageEncoder;
    let mut img = Vec::new();
    let data = vec![0xFFu8; 200 * 100];
    image::codecs::png::PngEncoder::new(&mut img)
        .write_image(&data, 200, 100, image::ExtendedColorType::L8)
        .unwrap();
    img[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    img[20..24].copy_from_slice(&20_000u32.to_be_bytes());
    fix_ihdr_crc(&mut img);
    img
}

/// Recomputes the IHDR chunk's CRC-32 after its fields were edited.
fn fix_ihdr_crc(png: &mut [u8]) {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in &png[12..29] {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    png[29..33].copy_from_slice(&(!crc).to_be_bytes());
}

#[test]
fn encode_decode_round_trip_every_kind() {
    let uris = [
        "otpauth://totp/ACME%20Co:john%40example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
        "otpauth://hotp/Bank:jane?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank&algorithm=SHA256&digits=8&counter=42",
        "otpauth://totp/Steam:gabe?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam",
        "otpauth://totp/Caf%C3%A9%20%C3%9Cn%C3%AFcode:%E6%BC%A2%E5%AD%97?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Caf%C3%A9%20%C3%9Cn%C3%AFcode&algorithm=SHA512&digits=10&period=60",
    ];
    for uri in uris {
        for px in [2, 3, 8] {
            let png = qr::encode::png(uri, px).unwrap();
            let items = qr::scan_bytes("generated", &png).unwrap();
            assert_eq!(items.len(), 1, "{uri} at {px} px");
            assert_eq!(items[0].text.expose(), uri);
            assert_eq!(items[0].kind, qr::PayloadKind::Otpauth);
            assert_eq!(items[0].entries.len(), 1);
        }
        let svg = qr::encode::svg(uri, 256).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"));
    }
}

/// Keydeck's own screenshots of "enable 2FA" pages (tests/fixtures/screenshots, made by
/// make_screenshots.py in headless Chromium): every code in every image, nothing in the others.
#[test]
fn screenshot_fixtures_all_decoded() {
    let base = fixtures().join("screenshots");
    let list: Value =
        serde_json::from_slice(&std::fs::read(base.join("expected.json")).unwrap()).unwrap();
    let (mut codes, mut hits, mut images) = (0, 0, 0);
    for it in list.as_array().unwrap() {
        let file = it["file"].as_str().unwrap();
        let want: Vec<&str> = it["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let found = texts(&base.join(file));
        images += 1;
        codes += want.len();
        for w in &want {
            assert!(
                found.iter().any(|f| f == w),
                "{file}: {w} not found (found {})",
                found.len()
            );
            hits += 1;
        }
        assert_eq!(found.len(), want.len(), "{file}: extra codes");
    }
    eprintln!("screenshots: {hits}/{codes} codes in {images} images");
    assert!(images >= 30);
}

mod generated {
    use keydeck_core::otp::{format_uri, parse_uri};
    use keydeck_core::qr;
    use keydeck_core::{Algorithm, Otp, OtpKind, SecretBytes};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Generated otpauth URIs of every kind survive QR encode → decode → parse.
        #[test]
        fn otpauth_uri_through_a_qr_code(
            issuer in "[A-Za-z0-9 éü:+&]{0,16}",
            account in "[A-Za-z0-9@._ -]{1,20}",
            secret in proptest::collection::vec(any::<u8>(), 10..40),
            kind in prop_oneof![Just(OtpKind::Totp), Just(OtpKind::Hotp), Just(OtpKind::Steam)],
            algorithm in prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)],
            digits in 6u8..=10,
            counter in any::<u32>(),
            px in 2u32..6,
        ) {
            let (issuer, account) = (issuer.trim().to_owned(), account.trim().to_owned());
            prop_assume!(!account.is_empty() && !issuer.eq_ignore_ascii_case("steam"));
            let o = Otp {
                kind,
                secret: SecretBytes::new(secret.clone()),
                algorithm: if kind == OtpKind::Steam { Algorithm::Sha1 } else { algorithm },
                digits: if kind == OtpKind::Steam { 5 } else { digits },
                period: 30,
                counter: u64::from(counter),
            };
            let uri = format_uri(&issuer, &account, &o);
            let png = qr::encode::png(&uri, px).unwrap();
            let items = qr::scan_bytes("generated", &png).unwrap();
            prop_assert_eq!(items.len(), 1);
            prop_assert_eq!(items[0].text.expose(), uri.as_str());
            let e = parse_uri(items[0].text.expose()).unwrap();
            prop_assert_eq!(e.otp.secret.expose(), &secret[..]);
            prop_assert_eq!(e.otp.kind, kind);
        }
    }
}

/// Issue 12 finding 10: the masked payload is built from the parsed URI, so no spelling of the
/// secret parameter shows the secret without `--reveal`.
#[test]
fn masked_text_never_holds_the_secret() {
    use keydeck_core::SecretText;
    let secret = "JBSWY3DPEHPK3PXP";
    for text in [
        format!("otpauth://totp/ACME:me?%73ecret={secret}&issuer=ACME"),
        format!("otpauth://totp/ACME:me?SECRET={secret}"),
        format!("OTPAUTH://TOTP/secret=x:secret?issuer=secret%3D&Secret={secret}"),
        format!("otpauth://totp/x?secret%3D=1&%53%45%43%52%45%54={secret}"),
        format!("otpauth://hotp/x?counter=3&secret={secret}"),
        format!("steam://{secret}"),
        // Unparseable (two different secrets): nothing of the text is shown.
        format!("otpauth://totp/x?secret={secret}&secret=GEZDGNBVGEZDGNBV"),
        "otpauth-migration://offline?DATA=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGUgMTpteUBlbWFpbC5jb20aB0V4YW1wbGUgASgBMAIQARgBIAA%3D".to_owned(),
    ] {
        let item = qr::classify(SecretText::new(text.clone()));
        let shown = item.masked_text();
        assert!(!shown.contains(secret) && !shown.contains("GEZDGNBV"), "{text} → {shown}");
        assert!(!shown.contains("CjEKCkhl"), "{text} → {shown}");
        assert!(shown.contains("••••••••"), "{text} → {shown}");
    }
    let item = qr::classify(SecretText::new(format!(
        "otpauth://totp/ACME:me?%73ecret={secret}&issuer=ACME&period=60"
    )));
    assert_eq!(
        item.masked_text(),
        "otpauth://totp/ACME:me?secret=••••••••&issuer=ACME&algorithm=SHA1&digits=6&period=60"
    );
    // Not an authenticator: shown as it is.
    let item = qr::classify(SecretText::new("https://example.com/?secret=public"));
    assert_eq!(item.masked_text(), "https://example.com/?secret=public");
}
