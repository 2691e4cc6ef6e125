//! The emergency kit: a printable A4 PDF of every account's authenticator (a QR code and the
//! secret key to type), its recovery codes (used ones struck through) and the date, for a
//! drawer or a safe.
//!
//! Everything is drawn by hand with `pdf-writer`: text in the standard Helvetica and Courier
//! fonts (WinAnsiEncoding, nothing embedded), QR codes as filled rectangles (vector, so they
//! print sharp at any size). Text outside WinAnsi is transliterated where a plain letter
//! exists (`ł` → `l`, `ș` → `s`), else replaced by `?`: the PDF never breaks on a name.
//!
//! Layout is worked out first (blocks of drawing operations, one per account, each measured)
//! and paged second, so an account's block is never split across pages (only a block taller
//! than a whole page, such as hundreds of recovery codes, continues on the next one).
//!
//! Secret text (keys, codes, URIs) is kept in zeroizing buffers while the file is built; the
//! returned bytes zeroize when dropped. The `qrcode` crate's own working memory is not ours
//! to wipe.

use pdf_writer::{Content, Date, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

use crate::error::Result;
use crate::model::{Account, Algorithm, Otp, OtpKind};

const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const MM: f32 = 72.0 / 25.4;
const MARGIN_X: f32 = 18.0 * MM;
const MARGIN_TOP: f32 = 18.0 * MM;
/// Above this the footer sits.
const MARGIN_BOTTOM: f32 = 24.0 * MM;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const AREA_H: f32 = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM;

/// A QR code's side, quiet zone included: phone cameras and Keydeck's scanner read it well.
const QR_MIN_SIDE: f32 = 40.0 * MM;
/// The smallest module (≈ 0.56 mm), for long URIs whose codes would otherwise shrink.
const QR_MIN_MODULE: f32 = 1.6;
const QUIET: usize = 4;
const COLUMN_GAP: f32 = 5.0 * MM;
const BLOCK_GAP: f32 = 5.0 * MM;

const TEXT: f32 = 0.0;
const GREY: f32 = 0.35;
const RULE: f32 = 0.75;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
            Font::Mono => Name(b"F3"),
        }
    }

    /// Advance width of a WinAnsi byte, in 1/1000 of the font size (Adobe's metrics).
    fn advance(self, b: u8) -> u16 {
        let table = match self {
            Font::Mono => return 600,
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        };
        match b {
            32..=255 => table[usize::from(b - 32)],
            _ => 0,
        }
    }

    fn width(self, size: f32, text: &[u8]) -> f32 {
        let units: u32 = text.iter().map(|&b| u32::from(self.advance(b))).sum();
        units as f32 * size / 1000.0
    }
}

/// One thing to draw, positioned from its block's top-left (`top` grows downwards).
enum Op {
    Text {
        font: Font,
        size: f32,
        gray: f32,
        x: f32,
        /// Baseline, below the block's top.
        baseline: f32,
        bytes: Zeroizing<Vec<u8>>,
        /// Drawn with a line through it (a used recovery code).
        struck: bool,
    },
    Rule {
        x: f32,
        y: f32,
        width: f32,
    },
    Qr {
        x: f32,
        top: f32,
        module: f32,
        /// Modules per side, without the quiet zone.
        n: usize,
        /// 1 for a dark module, row by row.
        dark: Zeroizing<Vec<u8>>,
    },
}

impl Op {
    /// The vertical extent (top, bottom) below the block's top.
    fn extent(&self) -> (f32, f32) {
        match self {
            Op::Text { size, baseline, .. } => (baseline - size * 0.8, baseline + size * 0.25),
            Op::Rule { y, .. } => (*y, *y),
            Op::Qr { top, module, n, .. } => (*top, top + module * (*n + 2 * QUIET) as f32),
        }
    }
}

/// An account (or the title, or a line of the short list), measured.
struct Block {
    ops: Vec<Op>,
    height: f32,
    /// Space above it when it follows another block on a page, with a rule across the middle.
    gap: f32,
    rule: bool,
}

impl Block {
    fn new() -> Block {
        Block {
            ops: Vec::new(),
            height: 0.0,
            gap: BLOCK_GAP,
            rule: true,
        }
    }

    /// Adds a line of text whose top is at `top`; returns where the next line starts.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        font: Font,
        size: f32,
        gray: f32,
        x: f32,
        top: f32,
        bytes: Zeroizing<Vec<u8>>,
        struck: bool,
    ) -> f32 {
        let leading = size * 1.3;
        self.ops.push(Op::Text {
            font,
            size,
            gray,
            x,
            baseline: top + size,
            bytes,
            struck,
        });
        self.height = self.height.max(top + leading);
        top + leading
    }

    /// Wrapped text within `width`, at most `max_lines` lines; returns the next line's top.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        font: Font,
        size: f32,
        gray: f32,
        x: f32,
        mut top: f32,
        width: f32,
        text: &[u8],
        max_lines: usize,
    ) -> f32 {
        for line in wrap(font, size, text, width, max_lines) {
            top = self.text(font, size, gray, x, top, line, false);
        }
        top
    }
}

/// Writes the emergency kit of `accounts`, dated `now` (Unix seconds, shown in UTC).
pub fn write(accounts: &[&Account], now: i64) -> Result<Zeroizing<Vec<u8>>> {
    let mut sorted: Vec<&Account> = accounts.to_vec();
    sorted.sort_by_cached_key(|a| {
        (
            a.name.to_lowercase(),
            a.issuer.to_lowercase(),
            a.username.to_lowercase(),
        )
    });
    let (full, short): (Vec<&Account>, Vec<&Account>) = sorted
        .into_iter()
        .partition(|a| a.otp.is_some() || !a.recovery.is_empty());

    let date = crate::fmt_time(now);
    let mut blocks = vec![title_block(&date, &full, short.len())];
    for a in &full {
        blocks.push(account_block(a));
    }
    blocks.extend(short_blocks(&short));

    let pages = paginate(blocks);
    render(&pages, &date, now)
}

fn title_block(date: &str, full: &[&Account], short: usize) -> Block {
    let mut b = Block::new();
    let mut top = b.text(
        Font::Bold,
        22.0,
        TEXT,
        MARGIN_X,
        0.0,
        winansi("Keydeck emergency kit"),
        false,
    );
    let with_otp = full.iter().filter(|a| a.otp.is_some()).count();
    let with_codes = full.iter().filter(|a| !a.recovery.is_empty()).count();
    let total = full.len() + short;
    let counts = format!(
        "Made on {date}  \u{b7}  {total} account{}: {with_otp} with an authenticator, \
         {with_codes} with recovery codes",
        if total == 1 { "" } else { "s" }
    );
    top = b.text(
        Font::Regular,
        10.0,
        GREY,
        MARGIN_X,
        top + 2.0,
        winansi(&counts),
        false,
    );
    top += 8.0;
    for para in [
        "This sheet holds the authenticators and recovery codes of your accounts, so that you can \
         sign in again if your phone or computer is lost, broken or stolen.",
        "Anyone who holds it can get past your second factor. Keep it safe and private (a locked \
         drawer, a safe, a sealed envelope), away from your devices, and destroy old copies \
         when you print a new one.",
        "To restore an authenticator, scan its QR code with an authenticator app (or Keydeck), \
         or type its secret key. Each recovery code works once: cross it out when you use it.",
    ] {
        top = b.paragraph(
            Font::Regular,
            10.0,
            TEXT,
            MARGIN_X,
            top,
            CONTENT_W,
            &winansi(para),
            6,
        );
        top += 3.0;
    }
    b.height = top;
    b
}

/// The name, and under it the issuer and username in grey.
fn heading(b: &mut Block, a: &Account, size: f32) -> f32 {
    let mut top = b.paragraph(
        Font::Bold,
        size,
        TEXT,
        MARGIN_X,
        0.0,
        CONTENT_W,
        &winansi(&a.name),
        2,
    );
    let mut parts = Vec::new();
    if !a.issuer.is_empty() && !a.issuer.eq_ignore_ascii_case(&a.name) {
        parts.push(format!("Issuer: {}", a.issuer));
    }
    if !a.username.is_empty() {
        parts.push(format!("Username: {}", a.username));
    }
    if !parts.is_empty() {
        top = b.paragraph(
            Font::Regular,
            9.5,
            GREY,
            MARGIN_X,
            top,
            CONTENT_W,
            &winansi(&parts.join("  \u{b7}  ")),
            3,
        );
    }
    top
}

fn account_block(a: &Account) -> Block {
    let mut b = Block::new();
    let body = heading(&mut b, a, 13.0) + 5.0;

    // Left: the QR code, and the secret key under it.
    let mut left_bottom = body;
    let mut right_x = MARGIN_X;
    let mut right_top = body;
    if let Some(otp) = &a.otp {
        let uri = crate::otp::account_uri(a);
        let code = uri
            .as_ref()
            .and_then(|u| QrCode::with_error_correction_level(u.as_bytes(), EcLevel::M).ok());
        let (side, mut top) = match code {
            Some(code) => {
                let n = code.width();
                let module = (QR_MIN_SIDE / (n + 2 * QUIET) as f32).max(QR_MIN_MODULE);
                let dark = Zeroizing::new(
                    code.to_colors()
                        .iter()
                        .map(|c| u8::from(*c == Color::Dark))
                        .collect::<Vec<u8>>(),
                );
                b.ops.push(Op::Qr {
                    x: MARGIN_X,
                    top: body,
                    module,
                    n,
                    dark,
                });
                let side = module * (n + 2 * QUIET) as f32;
                (side, body + side + 2.0)
            }
            None => {
                let side = QR_MIN_SIDE;
                let top = b.paragraph(
                    Font::Regular,
                    9.0,
                    GREY,
                    MARGIN_X,
                    body,
                    side,
                    &winansi("Too long for a QR code: type the secret key below."),
                    3,
                );
                (side, top + 4.0)
            }
        };
        let key_x = MARGIN_X;
        let key_w = side;
        top = b.text(
            Font::Regular,
            7.5,
            GREY,
            key_x,
            top,
            winansi("Secret key (base32)"),
            false,
        );
        let key = grouped_key(otp);
        let (mut size, mut per_line) = (9.5, 0);
        // Groups of four per line, as many as fit under the code (at least one).
        while size >= 7.0 {
            let char_w = Font::Mono.width(size, b"x");
            per_line = ((key_w + char_w) / (5.0 * char_w)) as usize;
            if per_line >= 4 {
                break;
            }
            size -= 0.5;
        }
        for line in key.chunks(per_line.max(1)) {
            let mut text = Zeroizing::new(Vec::new());
            for (i, g) in line.iter().enumerate() {
                if i > 0 {
                    text.push(b' ');
                }
                text.extend_from_slice(g);
            }
            top = b.text(Font::Mono, size, TEXT, key_x, top, text, false);
        }
        left_bottom = top;
        if side <= CONTENT_W / 2.0 {
            right_x = MARGIN_X + side + COLUMN_GAP;
        } else {
            right_top = left_bottom + 6.0;
        }
        right_top = b.text(
            Font::Bold,
            9.5,
            TEXT,
            right_x,
            right_top,
            winansi("Authenticator"),
            false,
        );
        right_top = b.paragraph(
            Font::Regular,
            9.5,
            TEXT,
            right_x,
            right_top,
            MARGIN_X + CONTENT_W - right_x,
            &winansi(&describe_otp(otp)),
            3,
        ) + 8.0;
    }

    // Right (or alone): the recovery codes, in columns.
    let width = MARGIN_X + CONTENT_W - right_x;
    let bottom = recovery_codes(&mut b, a, right_x, right_top, width);
    b.height = left_bottom.max(bottom);
    b
}

/// The key in groups of four characters.
fn grouped_key(otp: &Otp) -> Vec<Zeroizing<Vec<u8>>> {
    let key = Zeroizing::new(crate::otp::encode_secret(otp.secret.expose()));
    key.as_bytes()
        .chunks(4)
        .map(|c| Zeroizing::new(c.to_vec()))
        .collect()
}

fn describe_otp(otp: &Otp) -> String {
    let alg = match otp.algorithm {
        Algorithm::Sha1 => "SHA-1",
        Algorithm::Sha256 => "SHA-256",
        Algorithm::Sha512 => "SHA-512",
    };
    match otp.kind {
        OtpKind::Totp => format!(
            "Time-based (TOTP), {alg}, {} digits, a new code every {} seconds",
            otp.digits, otp.period
        ),
        OtpKind::Hotp => format!(
            "Counter-based (HOTP), {alg}, {} digits, next counter {}",
            otp.digits, otp.counter
        ),
        OtpKind::Steam => format!(
            "Steam Guard, 5 characters, a new code every {} seconds",
            otp.period
        ),
    }
}

/// Returns the bottom of what it drew.
fn recovery_codes(b: &mut Block, a: &Account, x: f32, top: f32, width: f32) -> f32 {
    let (unused, used) = a.recovery_counts();
    if a.recovery.is_empty() {
        return b.text(
            Font::Regular,
            9.5,
            GREY,
            x,
            top,
            winansi("No recovery codes saved."),
            false,
        );
    }
    let title = match used {
        0 => format!("Recovery codes ({unused})"),
        _ => format!("Recovery codes ({unused} unused, {used} used)"),
    };
    let top = b.text(Font::Bold, 9.5, TEXT, x, top, winansi(&title), false) + 1.0;

    // Each cell: the code (Courier) and, for a used one, "used <date>" in small grey.
    struct Cell {
        code: Zeroizing<Vec<u8>>,
        used: Option<Zeroizing<Vec<u8>>>,
    }
    let cells: Vec<Cell> = a
        .recovery
        .iter()
        .map(|c| Cell {
            code: winansi(c.code.expose()),
            used: c.used_at.map(|t| winansi(&format!("used {}", date_of(t)))),
        })
        .collect();
    let mut size = 10.0;
    let note = 7.5;
    let cell_w = |size: f32, c: &Cell| {
        Font::Mono.width(size, &c.code)
            + c.used
                .as_ref()
                .map_or(0.0, |u| 4.0 + Font::Regular.width(note, u))
    };
    let widest = |size: f32| cells.iter().map(|c| cell_w(size, c)).fold(0.0, f32::max);
    while widest(size) > width && size > 6.0 {
        size -= 0.5;
    }
    let col_w = widest(size) + 6.0 * MM;
    let cols = (((width + 6.0 * MM) / col_w) as usize).clamp(1, 4);
    let rows = cells.len().div_ceil(cols);
    let leading = size * 1.45;
    for (i, c) in cells.into_iter().enumerate() {
        let (col, row) = (i / rows, i % rows);
        let cx = x + col as f32 * col_w;
        let ctop = top + row as f32 * leading;
        let code_w = Font::Mono.width(size, &c.code);
        let struck = c.used.is_some();
        b.text(Font::Mono, size, TEXT, cx, ctop, c.code, struck);
        if let Some(u) = c.used {
            b.text(
                Font::Regular,
                note,
                GREY,
                cx + code_w + 4.0,
                ctop + (size - note) * 0.9,
                u,
                false,
            );
        }
    }
    top + rows as f32 * leading
}

/// Accounts with neither authenticator nor recovery codes: one line each, under a heading.
fn short_blocks(accounts: &[&Account]) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, a) in accounts.iter().enumerate() {
        let mut b = Block::new();
        let mut top = 0.0;
        if i == 0 {
            top = b.text(
                Font::Bold,
                11.0,
                TEXT,
                MARGIN_X,
                0.0,
                winansi("Other accounts"),
                false,
            );
            top = b.text(
                Font::Regular,
                9.0,
                GREY,
                MARGIN_X,
                top,
                winansi("No authenticator or recovery codes saved for these:"),
                false,
            ) + 3.0;
        }
        let name = winansi(&a.name);
        let mut rest = String::new();
        if !a.username.is_empty() {
            rest.push_str(&a.username);
        }
        if !a.issuer.is_empty() && !a.issuer.eq_ignore_ascii_case(&a.name) {
            if !rest.is_empty() {
                rest.push_str("  \u{b7}  ");
            }
            rest.push_str(&a.issuer);
        }
        let name_w = CONTENT_W * 0.45;
        let name_lines = wrap(Font::Bold, 9.5, &name, name_w, 2);
        let rest_lines = wrap(
            Font::Regular,
            9.5,
            &winansi(&rest),
            CONTENT_W - name_w - COLUMN_GAP,
            2,
        );
        let mut t = top;
        for l in name_lines {
            t = b.text(Font::Bold, 9.5, TEXT, MARGIN_X, t, l, false);
        }
        let mut t2 = top;
        for l in rest_lines {
            t2 = b.text(
                Font::Regular,
                9.5,
                TEXT,
                MARGIN_X + name_w + COLUMN_GAP,
                t2,
                l,
                false,
            );
        }
        b.height = t.max(t2);
        if i > 0 {
            b.gap = 0.0;
            b.rule = false;
        }
        out.push(b);
    }
    out
}

/// One page: blocks' operations with the page-local top of their block.
struct Page {
    ops: Vec<(f32, Op)>,
}

fn paginate(blocks: Vec<Block>) -> Vec<Page> {
    let mut pages = vec![Page { ops: Vec::new() }];
    let mut y = 0.0_f32;
    for mut block in blocks {
        // The separating rule sits halfway in the gap, drawn only between blocks on a page.
        let fits = y + block.gap + block.height <= AREA_H;
        if !fits && y > 0.0 {
            pages.push(Page { ops: Vec::new() });
            y = 0.0;
        } else if y > 0.0 {
            if let (true, Some(p)) = (block.rule, pages.last_mut()) {
                p.ops.push((
                    0.0,
                    Op::Rule {
                        x: MARGIN_X,
                        y: y + block.gap / 2.0,
                        width: CONTENT_W,
                    },
                ));
            }
            y += block.gap;
        }
        if block.height <= AREA_H - y {
            if let Some(p) = pages.last_mut() {
                p.ops.extend(block.ops.into_iter().map(|op| (y, op)));
            }
            y += block.height;
            continue;
        }
        // Taller than a page: continue it on the next ones, moving whole operations, line by
        // line from the top.
        block
            .ops
            .sort_by(|a, b| a.extent().0.total_cmp(&b.extent().0));
        let mut shift = y;
        let mut bottom = y;
        for op in block.ops {
            let (t, b) = op.extent();
            if shift + b > AREA_H && shift + t > 0.0 {
                pages.push(Page { ops: Vec::new() });
                shift = -t;
            }
            bottom = bottom.max(shift + b);
            if let Some(p) = pages.last_mut() {
                p.ops.push((shift, op));
            }
        }
        y = bottom;
    }
    pages
}

fn render(pages: &[Page], date: &str, now: i64) -> Result<Zeroizing<Vec<u8>>> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let fonts = [
        (Font::Regular, Ref::new(4), "Helvetica"),
        (Font::Bold, Ref::new(5), "Helvetica-Bold"),
        (Font::Mono, Ref::new(6), "Courier"),
    ];
    let page_ref = |i: usize| Ref::new(7 + 2 * i as i32);
    let content_ref = |i: usize| Ref::new(8 + 2 * i as i32);

    let mut streams: Vec<Zeroizing<Vec<u8>>> = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        streams.push(page_content(page, i + 1, pages.len(), date));
    }
    let total: usize = streams.iter().map(|s| s.len()).sum();
    let mut pdf = Pdf::with_capacity(total + 8192 + 512 * pages.len());

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages.len()).map(page_ref))
        .count(pages.len() as i32);
    let mut d = pdf.document_info(info);
    d.title(TextStr("Keydeck emergency kit"));
    d.creator(TextStr("Keydeck"));
    d.producer(TextStr("Keydeck"));
    if let Some(date) = pdf_date(now) {
        d.creation_date(date);
    }
    drop(d);
    for (_, id, base) in fonts {
        pdf.type1_font(id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for i in 0..pages.len() {
        let mut page = pdf.page(page_ref(i));
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_ref(i));
        let mut res = page.resources();
        let mut f = res.fonts();
        for (font, id, _) in fonts {
            f.pair(font.name(), id);
        }
    }
    for (i, s) in streams.iter().enumerate() {
        pdf.stream(content_ref(i), s);
    }
    Ok(Zeroizing::new(pdf.finish()))
}

fn page_content(page: &Page, number: usize, count: usize, date: &str) -> Zeroizing<Vec<u8>> {
    // Room for everything up front, so that no copy of a secret is left behind by a regrowth.
    let estimate: usize = page
        .ops
        .iter()
        .map(|(_, op)| match op {
            Op::Text { bytes, .. } => 160 + 4 * bytes.len(),
            Op::Rule { .. } => 80,
            Op::Qr { dark, .. } => 64 + 48 * dark.len(),
        })
        .sum();
    let mut c = Content::with_capacity(estimate + 2048);
    let top = PAGE_H - MARGIN_TOP;
    for (shift, op) in &page.ops {
        match op {
            Op::Text {
                font,
                size,
                gray,
                x,
                baseline,
                bytes,
                struck,
            } => {
                let y = top - shift - baseline;
                draw_text(&mut c, *font, *size, *gray, *x, y, bytes);
                if *struck {
                    let w = font.width(*size, bytes);
                    c.set_stroke_gray(TEXT);
                    c.set_line_width((size * 0.07).max(0.6));
                    c.move_to(x - 1.0, y + size * 0.3);
                    c.line_to(x + w + 1.0, y + size * 0.3);
                    c.stroke();
                }
            }
            Op::Rule { x, y, width } => {
                let y = top - shift - y;
                c.set_stroke_gray(RULE);
                c.set_line_width(0.5);
                c.move_to(*x, y);
                c.line_to(x + width, y);
                c.stroke();
            }
            Op::Qr {
                x,
                top: qtop,
                module,
                n,
                dark,
            } => {
                // Runs of dark modules, one rectangle each, filled as one path (no seams).
                let y0 = top - shift - qtop - QUIET as f32 * module;
                let x0 = x + QUIET as f32 * module;
                c.set_fill_gray(0.0);
                for (row, cells) in dark.chunks(*n).enumerate() {
                    let y = y0 - (row + 1) as f32 * module;
                    let mut col = 0;
                    while col < cells.len() {
                        if cells[col] == 0 {
                            col += 1;
                            continue;
                        }
                        let start = col;
                        while col < cells.len() && cells[col] == 1 {
                            col += 1;
                        }
                        c.rect(
                            x0 + start as f32 * module,
                            y,
                            (col - start) as f32 * module,
                            *module,
                        );
                    }
                }
                c.fill_nonzero();
            }
        }
    }
    // Footer: what this is, and the page number.
    let y = MARGIN_BOTTOM - 12.0 * MM + 8.0;
    let left = winansi(&format!(
        "Keydeck emergency kit  \u{b7}  {date}  \u{b7}  private: keep it safe"
    ));
    draw_text(&mut c, Font::Regular, 8.0, GREY, MARGIN_X, y, &left);
    let right = winansi(&format!("Page {number} of {count}"));
    let w = Font::Regular.width(8.0, &right);
    draw_text(
        &mut c,
        Font::Regular,
        8.0,
        GREY,
        MARGIN_X + CONTENT_W - w,
        y,
        &right,
    );
    c.set_stroke_gray(RULE);
    c.set_line_width(0.5);
    c.move_to(MARGIN_X, y + 11.0);
    c.line_to(MARGIN_X + CONTENT_W, y + 11.0);
    c.stroke();
    Zeroizing::new(c.finish().into_vec())
}

fn draw_text(c: &mut Content, font: Font, size: f32, gray: f32, x: f32, y: f32, text: &[u8]) {
    c.set_fill_gray(gray);
    c.begin_text();
    c.set_font(font.name(), size);
    c.next_line(x, y);
    c.show(Str(text));
    c.end_text();
}

fn date_of(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| "(unknown date)".to_owned())
}

fn pdf_date(unix: i64) -> Option<Date> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    Some(
        Date::new(u16::try_from(t.year()).ok()?)
            .month(u8::from(t.month()))
            .day(t.day())
            .hour(t.hour())
            .minute(t.minute())
            .second(t.second())
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

/// Greedy word wrap within `width`; a word longer than a line is cut. The last allowed line
/// ends with "…" when text is left over.
fn wrap(
    font: Font,
    size: f32,
    text: &[u8],
    width: f32,
    max_lines: usize,
) -> Vec<Zeroizing<Vec<u8>>> {
    let mut lines: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    let mut line = Zeroizing::new(Vec::new());
    let mut line_w = 0.0;
    let space = font.width(size, b" ");
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let w = font.width(size, word);
        if !line.is_empty() && line_w + space + w <= width {
            line.push(b' ');
            line.extend_from_slice(word);
            line_w += space + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::replace(&mut line, Zeroizing::new(Vec::new())));
            line_w = 0.0;
        }
        for &b in word {
            let bw = font.width(size, &[b]);
            if !line.is_empty() && line_w + bw > width {
                lines.push(std::mem::replace(&mut line, Zeroizing::new(Vec::new())));
                line_w = 0.0;
            }
            line.push(b);
            line_w += bw;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let ellipsis = font.width(size, &[0x85]);
            while !last.is_empty() && font.width(size, last) + ellipsis > width {
                last.pop();
            }
            last.push(0x85);
        }
    }
    lines
}

/// Text in WinAnsiEncoding (Windows-1252): Latin-1 and the Windows additions as they are,
/// common letters with marks outside it transliterated, anything else `?`.
fn winansi(s: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(s.len()));
    for ch in s.chars() {
        let c = u32::from(ch);
        match c {
            0x20..=0x7e | 0xa0..=0xff => out.push(c as u8),
            0x09 | 0x0a | 0x0d => out.push(b' '),
            0x00..=0x1f | 0x7f..=0x9f => out.push(b'?'),
            _ => {
                if let Some(i) = CP1252_HIGH.iter().position(|&h| u32::from(h) == c) {
                    out.push(0x80 + i as u8);
                    continue;
                }
                match c {
                    0x132 => out.extend_from_slice(b"IJ"),
                    0x133 => out.extend_from_slice(b"ij"),
                    0x100..=0x17f => {
                        let t = LATIN_EXTENDED_A.as_bytes();
                        out.push(t.get((c - 0x100) as usize).copied().unwrap_or(b'?'));
                    }
                    0x218 => out.push(b'S'),
                    0x219 => out.push(b's'),
                    0x21a => out.push(b'T'),
                    0x21b => out.push(b't'),
                    0x2010..=0x2012 | 0x2212 => out.push(b'-'),
                    0x2000..=0x200a | 0x202f | 0x205f | 0x3000 => out.push(b' '),
                    0x2032 => out.push(b'\''),
                    0x2033 => out.push(b'"'),
                    0x2039 => out.push(0x8b),
                    0x203a => out.push(0x9b),
                    0x200b..=0x200d | 0x2060 | 0xfeff => {}
                    _ => out.push(b'?'),
                }
            }
        }
    }
    out
}

/// Windows-1252 0x80..=0x9f; '\0' where the code page leaves a hole.
const CP1252_HIGH: [char; 32] = [
    '\u{20ac}', '\0', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\0', '\u{17d}', '\0', '\0',
    '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2dc}',
    '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\0', '\u{17e}', '\u{178}',
];

/// U+0100..=U+017F, each letter without its marks (Unicode NFKD, plus ł, đ, ħ, ı, ŋ, ŧ).
const LATIN_EXTENDED_A: &str = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/// Helvetica advance widths for WinAnsi 32..=255 (Adobe's AFM; 0 for the code page's holes).
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 333, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 333,
    0, 556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 222, 222,
    333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    260, 556, 333, 737, 370, 333, 584, 333, 737, 333, 400, 584, 333, 333, 333, 578, 537, 278, 333,
    333, 365, 333, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold advance widths for WinAnsi 32..=255.
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 333, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 333,
    0, 556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 278, 278,
    500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    280, 556, 333, 737, 370, 333, 584, 333, 737, 333, 400, 584, 333, 333, 333, 611, 556, 278, 333,
    333, 365, 333, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611,
    611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RecoveryCode;
    use crate::secret::{SecretBytes, SecretText};

    pub(super) fn account(
        name: &str,
        issuer: &str,
        username: &str,
        secret: Option<&[u8]>,
        codes: &[(&str, Option<i64>)],
    ) -> Account {
        Account {
            id: uuid::Uuid::new_v4(),
            name: name.to_owned(),
            issuer: issuer.to_owned(),
            username: username.to_owned(),
            password: SecretText::new(""),
            url: String::new(),
            notes: String::new(),
            tags: Vec::new(),
            icon: String::new(),
            otp: secret.map(|s| Otp {
                kind: OtpKind::Totp,
                secret: SecretBytes::new(s.to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                period: 30,
                counter: 0,
            }),
            recovery: codes
                .iter()
                .map(|(c, used)| RecoveryCode {
                    code: SecretText::new(*c),
                    used_at: *used,
                    note: String::new(),
                })
                .collect(),
            password_changed_at: None,
            password_score: None,
            password_history: Vec::new(),
            favourite: false,
            deleted_at: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn page_count(pdf: &[u8]) -> usize {
        let pages = pdf.windows(11).filter(|w| w == b"/Type /Page").count();
        let trees = pdf.windows(12).filter(|w| w == b"/Type /Pages").count();
        pages - trees
    }

    fn many(n: usize) -> Vec<Account> {
        (0..n)
            .map(|i| {
                let codes: Vec<String> = (0..8).map(|j| format!("{i:04}-{j:04}")).collect();
                let codes: Vec<(&str, Option<i64>)> = codes
                    .iter()
                    .enumerate()
                    .map(|(j, c)| (c.as_str(), (j == 0).then_some(1_700_000_000)))
                    .collect();
                let secret = [i as u8; 20];
                account(
                    &format!("Service {i:03}"),
                    "Issuer",
                    "me@example.com",
                    Some(&secret),
                    &codes,
                )
            })
            .collect()
    }

    /// Pages as the brief's rule gives them: a block goes on the current page if it fits,
    /// else on a new one.
    fn expected_pages(blocks: &[Block]) -> usize {
        let (mut pages, mut y) = (1, 0.0);
        for b in blocks {
            if y > 0.0 && y + b.gap + b.height > AREA_H {
                pages += 1;
                y = b.height;
            } else {
                y += if y > 0.0 { b.gap } else { 0.0 } + b.height;
            }
        }
        pages
    }

    #[test]
    fn a_small_kit_is_one_pdf_page() {
        let a = account(
            "GitHub",
            "GitHub",
            "octo",
            Some(b"12345678901234567890"),
            &[],
        );
        let pdf = write(&[&a], 1_750_000_000).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"));
        assert_eq!(page_count(&pdf), 1);
        assert_eq!(page_count(&write(&[], 0).unwrap()), 1);
    }

    #[test]
    fn many_accounts_fill_whole_pages_and_no_block_is_split() {
        let accounts = many(40);
        let refs: Vec<&Account> = accounts.iter().collect();
        let pdf = write(&refs, 1_750_000_000).unwrap();

        let mut blocks = vec![title_block("x", &refs, 0)];
        blocks.extend(refs.iter().map(|a| account_block(a)));
        let heights: Vec<f32> = blocks.iter().map(|b| b.height).collect();
        let expected = expected_pages(&blocks);
        assert!(heights.iter().all(|h| *h < AREA_H));
        assert_eq!(page_count(&pdf), expected);
        assert!(
            (10..=20).contains(&expected),
            "{expected} pages for 40 accounts"
        );
        let text = format!("/Count {expected}");
        assert!(pdf.windows(text.len()).any(|w| w == text.as_bytes()));

        // Every operation on every page lies inside the printable area.
        for page in paginate(blocks) {
            for (shift, op) in &page.ops {
                let (t, b) = op.extent();
                assert!(shift + t >= -1.0 && shift + b <= AREA_H + 1.0);
            }
        }
    }

    #[test]
    fn a_block_taller_than_a_page_continues_on_the_next() {
        let codes: Vec<String> = (0..400)
            .map(|j| format!("code-{j:04}-{}", "x".repeat(30)))
            .collect();
        let codes: Vec<(&str, Option<i64>)> = codes.iter().map(|c| (c.as_str(), None)).collect();
        let a = account("Huge", "", "", Some(b"12345678901234567890"), &codes);
        let pdf = write(&[&a], 0).unwrap();
        assert!(page_count(&pdf) >= 3);
        for page in paginate(vec![account_block(&a)]) {
            for (shift, op) in &page.ops {
                let (t, b) = op.extent();
                assert!(shift + t >= -1.0 && shift + b <= AREA_H + 1.0);
            }
        }
    }

    #[test]
    fn text_outside_winansi_never_breaks_the_file() {
        assert_eq!(&winansi("Łódź Ștefan")[..], b"L\xf3dz Stefan");
        assert_eq!(&winansi("€ – “x”")[..], b"\x80 \x96 \x93x\x94");
        assert_eq!(&winansi("日本 🙂")[..], b"?? ?");
        assert_eq!(&winansi("a\u{0}b\u{81}c\u{7f}")[..], b"a?b?c?");
        // Never a byte WinAnsi leaves undefined.
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert!(!winansi(&all)
            .iter()
            .any(|b| matches!(b, 0x00..=0x1f | 0x7f | 0x81 | 0x8d | 0x8f | 0x90 | 0x9d)));
        let a = account("(Weird) \\ name 🙂", "", "ünïcødé", None, &[]);
        let pdf = write(&[&a], 0).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn wrapping_cuts_long_words_and_marks_what_is_left_out() {
        let long = vec![b'W'; 500];
        let lines = wrap(Font::Bold, 12.0, &long, 200.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| Font::Bold.width(12.0, l) <= 200.0));
        assert_eq!(lines[1].last(), Some(&0x85));
        let lines = wrap(Font::Regular, 10.0, b"two words", 500.0, 3);
        assert_eq!(lines.len(), 1);
        assert_eq!(&lines[0][..], b"two words");
    }

    #[test]
    fn width_tables_match_the_font_metrics() {
        assert_eq!(Font::Regular.advance(b'A'), 667);
        assert_eq!(Font::Regular.advance(b'@'), 1015);
        assert_eq!(Font::Bold.advance(b'@'), 975);
        assert_eq!(Font::Regular.advance(0xe9), 556); // é
        assert_eq!(Font::Regular.advance(0x80), 556); // €
        assert_eq!(Font::Mono.advance(b'i'), 600);
    }
}
