//! The announcement cards: a 1200×630 social card (also the page's Open Graph image) and a
//! 1080×1080 square, drawn as SVG from the event and the theme's accent and rendered to PNG
//! with resvg. The font (DejaVu Sans, free licence, `assets/fonts/`) is compiled in and is the
//! only font the renderer sees: nothing is read from the system or fetched at run time.
//!
//! Every card carries the organizer's logo (Анонсирование, «Внимание»); a Bitrix24 /
//! 1C-Bitrix logo appears only as a small partner mark beside it.

use std::collections::HashMap;

use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine;
use resvg::{tiny_skia, usvg};

use super::card_cache::{self, DiskCache};
use super::strings;
use crate::sources::by_content::ByContent;
use crate::webinar::{FileRef, ImageKind, Webinar};

pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";

/// A box on the card: x, y, width, height in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The geometry of one card format.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    /// Where the organizer's logo is drawn (fitted inside, aspect kept).
    pub logo: Rect,
    pub title_y: f32,
    pub title_sizes: &'static [f32],
    pub title_max_lines: usize,
    pub meta_size: f32,
    pub badge_y: f32,
    pub badge_size: f32,
    /// The partner mark (Bitrix24), bottom right.
    pub partner: Rect,
    pub margin: f32,
}

pub const WIDE: Layout = Layout {
    name: "card-1200x630.png",
    width: 1200,
    height: 630,
    logo: Rect {
        x: 72.0,
        y: 52.0,
        w: 380.0,
        h: 112.0,
    },
    title_y: 250.0,
    title_sizes: &[54.0, 48.0, 42.0, 36.0],
    title_max_lines: 3,
    meta_size: 28.0,
    badge_y: 520.0,
    badge_size: 28.0,
    partner: Rect {
        x: 930.0,
        y: 540.0,
        w: 210.0,
        h: 54.0,
    },
    margin: 72.0,
};

pub const SQUARE: Layout = Layout {
    name: "card-1080x1080.png",
    width: 1080,
    height: 1080,
    logo: Rect {
        x: 80.0,
        y: 80.0,
        w: 440.0,
        h: 150.0,
    },
    title_y: 400.0,
    title_sizes: &[64.0, 56.0, 48.0, 42.0],
    title_max_lines: 5,
    meta_size: 34.0,
    badge_y: 900.0,
    badge_size: 32.0,
    partner: Rect {
        x: 760.0,
        y: 970.0,
        w: 240.0,
        h: 62.0,
    },
    margin: 80.0,
};

pub const LAYOUTS: &[Layout] = &[WIDE, SQUARE];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardError {
    /// No organizer logo is given (`announce.logo`).
    NoLogo,
    /// The logo file cannot be used: path problem or unreadable image.
    Logo(String),
    Render(String),
}

impl std::fmt::Display for CardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CardError::NoLogo => write!(f, "the organizer logo is missing"),
            CardError::Logo(s) => write!(f, "the organizer logo cannot be used: {s}"),
            CardError::Render(s) => write!(f, "the card could not be rendered: {s}"),
        }
    }
}

fn options() -> &'static usvg::Options<'static> {
    static OPT: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPT.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        usvg::Options {
            font_family: FAMILY.to_string(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// An image the card embeds, as a data URL, with its aspect ratio.
#[derive(Debug, Clone)]
pub struct Embedded {
    pub data_url: String,
    pub aspect: f32,
}

/// Reads an image file of the event for the card.
pub fn embed(file: &FileRef) -> Result<Embedded, CardError> {
    let written = file.written.as_str();
    // The checked copy (an SVG sanitized): what input.image refused never reaches a card.
    let checked = crate::webinar::image::read(&file.path)
        .map_err(|p| CardError::Logo(p.message(written).en.into_owned()))?;
    remembered(&checked.bytes, || embed_checked(&checked))
}

/// An image file made ready for the card: its type checked, SVG parsed for its aspect ratio,
/// base64-encoded. Remembered for the process by content (an agency's events share a few
/// logos, and the rules and both cards ask for the same one).
pub fn embed_bytes(bytes: &[u8]) -> Result<Embedded, CardError> {
    remembered(bytes, || embed_uncached(bytes))
}

/// `make`, remembered by the image's bytes (checked or not: a checked image checks the same
/// again).
fn remembered(
    bytes: &[u8],
    make: impl FnOnce() -> Result<Embedded, CardError>,
) -> Result<Embedded, CardError> {
    // At most 16 images of 512 KB kept.
    static MEMO: ByContent<Result<Embedded, CardError>> = ByContent::new(16, 512 * 1024);
    MEMO.get_or_make(bytes, make)
}

fn embed_uncached(bytes: &[u8]) -> Result<Embedded, CardError> {
    // Bytes that did not come through `embed` are checked here (sizes, full decoding, SVG
    // sanitized) before usvg or tiny-skia see them.
    let checked = crate::webinar::image::check(bytes)
        .map_err(|p| CardError::Logo(p.message("").en.into_owned()))?;
    embed_checked(&checked)
}

/// A checked image made ready for the card. The check already parsed an SVG with usvg
/// (without fonts, as here: the card itself draws the logo with them) and decoded a raster
/// image whole: its size is the aspect, and no second parse is needed.
fn embed_checked(checked: &crate::webinar::image::Image) -> Result<Embedded, CardError> {
    let bytes = checked.bytes.as_slice();
    let kind = checked.kind;
    let aspect = checked.width as f32 / checked.height as f32;
    // A raster image larger than the card can show goes in as a scaled-down PNG (the aspect
    // above stays the original's), made without holding the full picture where the format
    // allows: resvg decoded the original at full size for every card (issue 21: 197 MiB
    // for a 25-megapixel logo).
    let scaled = crate::webinar::image::scaled_copy(bytes, crate::webinar::image::CARD_SIDE)
        .map_err(|p| CardError::Logo(p.message("").en.into_owned()))?;
    // A large SVG (a traced picture, a path of a million points) is drawn once, the same
    // way, into such a PNG: embedded as it is, every card parsed and drew it again from a
    // 13 MB data URL (issue 21: 315 MB and 5 s for a 10 MB logo).
    let drawn = match kind {
        ImageKind::Svg if bytes.len() > SVG_DRAWN_ONCE_BYTES => {
            Some(svg_to_png(bytes, crate::webinar::image::CARD_SIDE)?)
        }
        _ => None,
    };
    let (bytes, kind) = match scaled.as_ref().or(drawn.as_ref()) {
        Some(png) => (png.as_slice(), ImageKind::Png),
        None => (bytes, kind),
    };
    Ok(Embedded {
        data_url: format!(
            "data:{};base64,{}",
            kind.mime(),
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ),
        aspect,
    })
}

/// An SVG logo larger than this goes into the cards as a PNG drawn once ([`svg_to_png`]);
/// a smaller one stays vector.
const SVG_DRAWN_ONCE_BYTES: usize = 256 * 1024;

/// Draws an SVG (already checked) as a PNG whose longer side is `side` pixels, with the
/// card fonts.
fn svg_to_png(bytes: &[u8], side: u32) -> Result<Vec<u8>, CardError> {
    let tree = usvg::Tree::from_data(bytes, options())
        .map_err(|e| CardError::Logo(format!("SVG: {e}")))?;
    let size = tree.size();
    let scale = side as f32 / size.width().max(size.height());
    let px = |v: f32| ((v * scale).round() as u32).clamp(1, side);
    let mut pixmap = tiny_skia::Pixmap::new(px(size.width()), px(size.height()))
        .ok_or_else(|| CardError::Logo("SVG: empty size".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_png(&pixmap)
}

/// The organizer's logo for the cards.
pub fn organizer_logo(event: &Webinar) -> Result<Embedded, CardError> {
    let logo = event.organizer.logo.as_ref().ok_or(CardError::NoLogo)?;
    embed(logo)
}

/// The Bitrix24 / 1C-Bitrix partner mark, if the event's partners carry one.
pub fn partner_mark(event: &Webinar) -> Option<Embedded> {
    event.partners.iter().find_map(|p| {
        if !is_bitrix_mark(&p.name) {
            return None;
        }
        embed(p.logo.as_ref()?).ok()
    })
}

pub use crate::webinar::is_bitrix_mark;

/// The accent colour: `[theme] accent` when it is a hex colour, else the default blue.
pub fn accent(event: &Webinar) -> (u8, u8, u8) {
    event
        .theme
        .accent
        .as_deref()
        .and_then(parse_hex)
        .unwrap_or((0x2F, 0xC6, 0xF6))
}

fn parse_hex(s: &str) -> Option<(u8, u8, u8)> {
    let h = s.trim().strip_prefix('#')?;
    let full: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let v = u32::from_str_radix(&full, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f32 {
    let lin = |c: u8| {
        let c = c as f32 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The width in pixels of `s` set in the card font: the width of its ink, as usvg lays the
/// text out (shaped with kerning). Fast: faces, shaper tables and glyph extents are kept for
/// the process (see `card_font`).
pub fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    if s.is_empty() {
        return 0.0;
    }
    super::card_font::ink_width(s, size, bold).unwrap_or_else(|| text_width_usvg(s, size, bold))
}

/// [`text_width`] measured by laying the text out as an SVG tree with usvg: slow (about a
/// million instructions a call), the reference the fast path is tested against.
pub fn text_width_usvg(s: &str, size: f32, bold: bool) -> f32 {
    if s.is_empty() {
        return 0.0;
    }
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="200"><text x="0" y="100" font-family="{FAMILY}" font-size="{size}" font-weight="{}">{}</text></svg>"#,
        if bold { 700 } else { 400 },
        xml(s)
    );
    usvg::Tree::from_str(&svg, options())
        .map(|t| t.root().abs_bounding_box().width())
        .unwrap_or(s.chars().count() as f32 * size * 0.6)
}

/// Greedy word wrap to `width`; `None` when it needs more than `max_lines`.
pub fn wrap(s: &str, size: f32, bold: bool, width: f32, max_lines: usize) -> Option<Vec<String>> {
    // Each line with its width when it was measured on the way (a line of one word is not);
    // measuring is shaping, the costly part of a card without a cached PNG.
    let mut lines: Vec<(String, Option<f32>)> = Vec::new();
    let mut line = String::new();
    let mut line_width = None;
    for word in s.split_whitespace() {
        if line.is_empty() {
            line = word.to_string();
            line_width = None;
            continue;
        }
        let candidate = format!("{line} {word}");
        let w = text_width(&candidate, size, bold);
        if w <= width {
            line = candidate;
            line_width = Some(w);
        } else {
            lines.push((std::mem::replace(&mut line, word.to_string()), line_width));
            line_width = None;
            // Past the last line the rest cannot fit: stop measuring (a 12 KB title was
            // measured whole for every size and every word cut off, issue 21 point 9).
            if lines.len() >= max_lines {
                return None;
            }
        }
    }
    if !line.is_empty() {
        lines.push((line, line_width));
    }
    if lines.len() > max_lines
        || lines
            .iter()
            .any(|(l, w)| w.unwrap_or_else(|| text_width(l, size, bold)) > width)
    {
        None
    } else {
        Some(lines.into_iter().map(|(l, _)| l).collect())
    }
}

/// Wraps, shrinking through `sizes`; the last size cuts the text with «…» if it must.
fn fit(s: &str, sizes: &[f32], bold: bool, width: f32, max_lines: usize) -> (f32, Vec<String>) {
    for &size in sizes {
        if let Some(lines) = wrap(s, size, bold, width, max_lines) {
            return (size, lines);
        }
    }
    let size = *sizes.last().unwrap_or(&32.0);
    // Only the words that can appear at all: a line holds far fewer than 64 words, so the
    // cutting below is linear in the lines, not quadratic in the title.
    let mut words: Vec<&str> = s.split_whitespace().take(64 * max_lines.max(1)).collect();
    while !words.is_empty() {
        words.pop();
        let cut = format!("{}…", words.join(" "));
        if let Some(lines) = wrap(&cut, size, bold, width, max_lines) {
            return (size, lines);
        }
    }
    (size, vec![])
}

fn image(e: &Embedded, r: Rect, align: &str) -> String {
    format!(
        r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="{align} meet" href="{}"/>"#,
        r.x, r.y, r.w, r.h, e.data_url
    )
}

/// What a card shows.
#[derive(Debug, Clone)]
pub struct CardContent {
    pub title: String,
    pub when: String,
    pub free: String,
    pub partner_label: String,
    pub logo: Embedded,
    pub partner: Option<Embedded>,
    pub accent: (u8, u8, u8),
}

pub fn content(event: &Webinar) -> Result<CardContent, CardError> {
    let lang = event.language;
    let s = strings::get(lang);
    let when = Some(event.when)
        .map(|w| format!("{} · {}", s.card.online, w.human(lang)))
        .unwrap_or_default();
    Ok(CardContent {
        title: event.title.as_str().to_string(),
        when,
        free: s.card.free.clone(),
        partner_label: s.card.partner.clone(),
        logo: organizer_logo(event)?,
        partner: partner_mark(event),
        accent: accent(event),
    })
}

/// The card as SVG.
pub fn svg(c: &CardContent, l: &Layout) -> String {
    pieces(c, l).whole()
}

/// A card's SVG cut where its static part (the same for every event of an organizer) and the
/// event's own text meet, so that the static part is rasterised once per process.
struct Pieces {
    /// `<svg …>`.
    head: String,
    /// Background, accent bar, organizer logo.
    below: String,
    /// Title, date line, badge.
    text: String,
    /// The partner label and mark (may be empty).
    partner: String,
    /// Whether the text may touch the partner block's pixels; then the partner, drawn after the
    /// text in the SVG, cannot be part of the static layer.
    overlap: bool,
}

impl Pieces {
    fn whole(&self) -> String {
        [&self.head, &self.below, &self.text, &self.partner, "</svg>"].concat()
    }

    /// (the static layer, what is drawn on it) — the two draw, in this order, exactly what
    /// [`Pieces::whole`] draws.
    fn layers(&self) -> (String, String) {
        let (h, b, t, p) = (&self.head, &self.below, &self.text, &self.partner);
        if self.overlap {
            ([h, b, "</svg>"].concat(), [h, t, p, "</svg>"].concat())
        } else {
            ([h, b, p, "</svg>"].concat(), [h, t, "</svg>"].concat())
        }
    }
}

fn pieces(c: &CardContent, l: &Layout) -> Pieces {
    let width = l.width as f32;
    let text_w = width - 2.0 * l.margin;
    let accent = hex(c.accent);
    let on_accent = if luminance(c.accent) > 0.45 {
        "#111111"
    } else {
        "#FFFFFF"
    };
    let head = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#,
        w = l.width,
        h = l.height
    );
    let mut below = format!(
        r##"<rect width="100%" height="100%" fill="#FFFFFF"/><rect x="0" y="0" width="20" height="{}" fill="{accent}"/>"##,
        l.height
    );
    below.push_str(&image(&c.logo, l.logo, "xMinYMid"));

    let mut out = String::new();
    let (size, lines) = fit(&c.title, l.title_sizes, true, text_w, l.title_max_lines);
    let line_h = size * 1.2;
    let mut y = l.title_y;
    for line in &lines {
        out.push_str(&format!(
            r##"<text x="{}" y="{y}" font-family="{FAMILY}" font-size="{size}" font-weight="700" fill="#14181F">{}</text>"##,
            l.margin,
            xml(line)
        ));
        y += line_h;
    }
    let (msize, mlines) = fit(
        &c.when,
        &[l.meta_size, l.meta_size * 0.85],
        false,
        text_w,
        2,
    );
    y += msize * 0.4;
    for line in &mlines {
        out.push_str(&format!(
            r##"<text x="{}" y="{y}" font-family="{FAMILY}" font-size="{msize}" fill="#3A4350">{}</text>"##,
            l.margin,
            xml(line)
        ));
        y += msize * 1.3;
    }
    // Below every baseline by more than the descent.
    let lines_bottom = y;

    // «Бесплатно, нужна регистрация» on the accent.
    let bw = text_width(&c.free, l.badge_size, true) + l.badge_size * 1.4;
    let bh = l.badge_size * 1.9;
    let by = l.badge_y.max(y + 10.0);
    out.push_str(&format!(
        r#"<rect x="{}" y="{by}" width="{bw}" height="{bh}" rx="{}" fill="{accent}"/>"#,
        l.margin,
        bh / 2.0
    ));
    out.push_str(&format!(
        r#"<text x="{}" y="{}" font-family="{FAMILY}" font-size="{}" font-weight="700" fill="{on_accent}">{}</text>"#,
        l.margin + l.badge_size * 0.7,
        by + bh / 2.0 + l.badge_size * 0.36,
        l.badge_size,
        xml(&c.free)
    ));

    let mut partner = String::new();
    let mut overlap = false;
    if let Some(p) = &c.partner {
        let label = l.badge_size * 0.6;
        let baseline = l.partner.y - label * 0.5;
        partner.push_str(&format!(
            r##"<text x="{}" y="{baseline}" font-family="{FAMILY}" font-size="{label}" fill="#6B7480">{}</text>"##,
            l.partner.x,
            xml(&c.partner_label)
        ));
        partner.push_str(&image(p, l.partner, "xMinYMid"));
        // The partner block: from above the label's tallest glyph down to the mark's box,
        // from the label's start to the right edge; 2 px for anti-aliasing. The text
        // lines may run the full width; the badge is its pill (its text sits inside).
        let (top, bottom, left) = (
            baseline - label * 1.25 - 2.0,
            l.partner.y + l.partner.h + 2.0,
            l.partner.x - 2.0,
        );
        let lines_hit = lines_bottom + 2.0 > top;
        let badge_hit = l.margin + bw + 2.0 > left && by - 2.0 < bottom && by + bh + 2.0 > top;
        overlap = lines_hit || badge_hit;
    }
    Pieces {
        head,
        below,
        text: out,
        partner,
        overlap,
    }
}

/// Renders SVG to PNG bytes (the whole card at once; [`render_all`] draws the same pixels in
/// two layers, the static one kept for the process).
pub fn render_png(svg: &str) -> Result<Vec<u8>, CardError> {
    encode_png(&rasterise(svg, None)?)
}

/// Draws `svg` on a copy of `base`, or on a transparent canvas of the SVG's size.
fn rasterise(svg: &str, base: Option<&tiny_skia::Pixmap>) -> Result<tiny_skia::Pixmap, CardError> {
    let tree =
        usvg::Tree::from_str(svg, options()).map_err(|e| CardError::Render(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = match base {
        Some(b) if (b.width(), b.height()) == (size.width(), size.height()) => b.clone(),
        Some(_) => return Err(CardError::Render("layer size mismatch".into())),
        None => tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| CardError::Render("empty size".into()))?,
    };
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// How many static layers are kept: an agency has few logos and accents, two layouts; the
/// biggest layer is 1080×1080×4 bytes (4.7 MB).
const MAX_LAYERS: usize = 12;

type LayerCell = Arc<OnceLock<Result<Arc<tiny_skia::Pixmap>, CardError>>>;

/// The static layers by their SVG, each with when it was last used (a counter).
type Layers = Mutex<(u64, HashMap<String, (u64, LayerCell)>)>;

/// The static layer drawn from `svg`, rasterised once per process (least recently used
/// layers are dropped beyond [`MAX_LAYERS`]).
fn static_layer(svg: &str) -> Result<Arc<tiny_skia::Pixmap>, CardError> {
    static LAYERS: OnceLock<Layers> = OnceLock::new();
    let layers = LAYERS.get_or_init(Default::default);
    let cell = {
        let mut guard = layers.lock().unwrap_or_else(|e| e.into_inner());
        let (clock, map) = &mut *guard;
        *clock += 1;
        let now = *clock;
        let cell = match map.get_mut(svg) {
            Some((used, cell)) => {
                *used = now;
                cell.clone()
            }
            None => {
                if map.len() >= MAX_LAYERS {
                    if let Some(oldest) = map
                        .iter()
                        .min_by_key(|(_, (used, _))| *used)
                        .map(|(k, _)| k.clone())
                    {
                        map.remove(&oldest);
                    }
                }
                let cell = LayerCell::default();
                map.insert(svg.to_string(), (now, cell.clone()));
                cell
            }
        };
        cell
    };
    cell.get_or_init(|| rasterise(svg, None).map(Arc::new))
        .clone()
}

/// Renders one card: static layer (cached) plus the event's text.
fn render_layered(p: &Pieces) -> Result<Vec<u8>, CardError> {
    let (base, top) = p.layers();
    let base = static_layer(&base)?;
    let pixmap = rasterise(&top, Some(&base))?;
    encode_png(&pixmap).map_err(|e| CardError::Render(e.to_string()))
}

/// PNG with fast deflate: the default level spent about half of a whole build on compressing
/// the two cards (see the README's profile), for files a few percent smaller. A card is
/// opaque (white background), so it is written as RGB: a quarter less to filter and compress,
/// and no un-premultiplying; a canvas with any transparency stays RGBA.
fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, CardError> {
    let (rgb, opaque) = opaque_rgb(pixmap.data());
    let data = if opaque {
        rgb
    } else {
        let mut rgba = Vec::with_capacity(pixmap.data().len());
        for p in pixmap.pixels() {
            let c = p.demultiply();
            rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        rgba
    };
    let mut out = Vec::new();
    let encode = |out: &mut Vec<u8>| -> Result<(), png::EncodingError> {
        let mut encoder = png::Encoder::new(out, pixmap.width(), pixmap.height());
        encoder.set_color(if opaque {
            png::ColorType::Rgb
        } else {
            png::ColorType::Rgba
        });
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&data)?;
        writer.finish()
    };
    encode(&mut out).map_err(|e| CardError::Render(e.to_string()))?;
    Ok(out)
}

/// The colour bytes of premultiplied RGBA `data` without alpha, and whether every pixel is
/// opaque (then premultiplied and straight colour are the same, and the RGB is the image).
/// Four pixels a step, with fixed-size arrays the compiler can keep in registers.
fn opaque_rgb(data: &[u8]) -> (Vec<u8>, bool) {
    let mut rgb = vec![0u8; data.len() / 4 * 3];
    let mut alpha = 0xFFu8;
    let mut to = rgb.chunks_exact_mut(12);
    let mut from = data.chunks_exact(16);
    for (to, from) in (&mut to).zip(&mut from) {
        let from: &[u8; 16] = from.try_into().expect("16 bytes");
        let to: &mut [u8; 12] = to.try_into().expect("12 bytes");
        for k in 0..4 {
            to[3 * k] = from[4 * k];
            to[3 * k + 1] = from[4 * k + 1];
            to[3 * k + 2] = from[4 * k + 2];
            alpha &= from[4 * k + 3];
        }
    }
    let rest = from.remainder().chunks_exact(4);
    for (to, from) in to.into_remainder().chunks_exact_mut(3).zip(rest) {
        to.copy_from_slice(&from[..3]);
        alpha &= from[3];
    }
    (rgb, alpha == 0xFF)
}

/// One card: its SVG source and PNG. With a cache, a PNG stored for the same SVG (and
/// renderer) is used instead of rendering, and a new render is stored.
pub fn render_card(
    c: &CardContent,
    l: &Layout,
    cache: Option<&DiskCache>,
) -> Result<(String, Vec<u8>), CardError> {
    let p = pieces(c, l);
    let svg = p.whole();
    let key = cache.map(|_| card_cache::key(&svg));
    if let (Some(cache), Some(key)) = (cache, &key) {
        if let Some(png) = cache.get(key, l.width, l.height) {
            return Ok((svg, png));
        }
    }
    let png = render_layered(&p)?;
    if let (Some(cache), Some(key)) = (cache, &key) {
        cache.put(key, &png);
    }
    Ok((svg, png))
}

/// Both cards: `(file name, PNG)`, plus their SVG sources. Uses the process-wide disk cache
/// when one is on ([`card_cache::enable`]).
pub fn render_all(event: &Webinar) -> Result<Vec<(String, Vec<u8>)>, CardError> {
    render_all_with(event, card_cache::current().as_deref())
}

/// [`render_all`] with an explicit cache (or none).
pub fn render_all_with(
    event: &Webinar,
    cache: Option<&DiskCache>,
) -> Result<Vec<(String, Vec<u8>)>, CardError> {
    let c = content(event)?;
    let mut out = Vec::new();
    for l in LAYOUTS {
        let (svg, png) = render_card(&c, l, cache)?;
        out.push((l.name.to_string(), png));
        out.push((l.name.replace(".png", ".svg"), svg.into_bytes()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fitting a title costs about the same for 3, 6 and 12 KB: the layout stops at the last
    /// line it can show (it was quadratic: 0.5/2.1/8.3 s).
    #[test]
    fn fitting_a_huge_title_is_not_quadratic() {
        let mut took = Vec::new();
        for kb in [3usize, 12] {
            let title = "Битрикс24 для отдела ".repeat(kb * 1024 / 36);
            let started = std::time::Instant::now();
            let (_, lines) = fit(&title, &[64.0, 56.0, 48.0], true, 900.0, 3);
            took.push(started.elapsed());
            assert!(
                lines.len() <= 3 && lines.last().is_some_and(|l| l.ends_with('…')),
                "{lines:?}"
            );
        }
        assert!(
            took[1] < took[0] * 2 + std::time::Duration::from_millis(50),
            "{took:?}"
        );
    }
}
