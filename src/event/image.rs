//! The event's images (organizer logo, partner logos, speaker photos, gallery), read once
//! for the rules and for every output: decoded in full within byte and pixel limits, and an
//! SVG parsed and written out again without scripts, event handlers, external references or
//! foreign objects. Outputs use [`Image::bytes`], the checked (for SVG: sanitized) copy, and
//! nothing else: the page's `assets/`, the Site Management archive, Bitrix24 and the cards
//! all take their images from [`read`].

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine;

use super::paths::ImageKind;
use crate::i18n::Text;
use crate::sources::regular::{self as files, ReadError};
use crate::t;

/// An image file larger than this is refused: a logo or a photo for a web page is a few
/// hundred kilobytes; 10 MB is a camera original.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;
/// Pixels of a raster image (width × height): 25 MP, a large camera photo.
pub const MAX_PIXELS: u64 = 25_000_000;
/// The longer side of an image may be at most this many times the shorter one.
pub const MAX_ASPECT: f64 = 50.0;
/// Elements of an SVG file.
const MAX_SVG_NODES: usize = 100_000;

/// A checked image.
#[derive(Debug, Clone)]
pub struct Image {
    pub kind: ImageKind,
    /// The bytes outputs ship: the file as is for a raster image, the sanitized SVG.
    pub bytes: Arc<Vec<u8>>,
    pub width: f64,
    pub height: f64,
}

/// Why an image cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    NotAFile,
    Unreadable(String),
    TooLarge(u64),
    NotAnImage,
    Damaged(String),
    TooManyPixels(u64, u64),
    BadSize(f64, f64),
    /// What an SVG held that a page must not carry (`<script>`, `onload`, …): Russian,
    /// English.
    Unsafe(String, String),
}

impl Problem {
    pub fn message(&self, path: &str) -> Text {
        match self {
            Problem::NotAFile => t!(
                "«{path}» — не обычный файл",
                "\"{path}\" is not a regular file"
            ),
            Problem::Unreadable(e) => t!(
                "не удалось прочитать «{path}»: {e}",
                "cannot read \"{path}\": {e}"
            ),
            Problem::TooLarge(n) => t!(
                "файл «{path}» слишком большой: {n} байт (предел {MAX_BYTES})",
                "\"{path}\" is too large: {n} bytes (limit {MAX_BYTES})"
            ),
            Problem::NotAnImage => t!(
                "«{path}» не читается как изображение SVG, PNG, JPEG или WebP",
                "\"{path}\" is not a readable SVG, PNG, JPEG or WebP image"
            ),
            Problem::Damaged(e) => t!(
                "изображение «{path}» повреждено и не декодируется: {e}",
                "the image \"{path}\" is damaged and does not decode: {e}"
            ),
            Problem::TooManyPixels(w, h) => t!(
                "изображение «{path}» слишком большое: {w}×{h} пикселей (предел {MAX_PIXELS} пикселей)",
                "the image \"{path}\" is too large: {w}×{h} pixels (limit {MAX_PIXELS} pixels)"
            ),
            Problem::BadSize(w, h) => t!(
                "у изображения «{path}» негодный размер {w}×{h}: стороны должны быть больше нуля и отличаться не более чем в {MAX_ASPECT} раз",
                "the image \"{path}\" has an unusable size {w}×{h}: sides must be positive and differ at most {MAX_ASPECT} times"
            ),
            Problem::Unsafe(what, what_en) => t!(
                "SVG «{path}» содержит {what}: на странице это исполняемый код или обращение к чужому адресу",
                "the SVG \"{path}\" holds {what_en}: on a page that is executable code or a reference to another address"
            ),
        }
    }

    pub fn help(&self) -> Text {
        match self {
            Problem::TooLarge(_) | Problem::TooManyPixels(..) => t!(
                "уменьшите изображение (для страницы достаточно 2000 пикселей по длинной стороне) и сохраните его заново",
                "scale the image down (2000 pixels on the long side are plenty for a page) and save it again"
            ),
            Problem::Unsafe(..) => t!(
                "экспортируйте логотип из графического редактора как «простой SVG» без скриптов, ссылок и встроенного HTML, или сохраните его в PNG",
                "export the logo as plain SVG without scripts, links or embedded HTML, or save it as PNG"
            ),
            Problem::BadSize(..) => t!(
                "задайте в SVG осмысленные width, height или viewBox; для растра — обрежьте изображение",
                "give the SVG sensible width, height or viewBox; crop a raster image"
            ),
            _ => t!(
                "пересохраните изображение в графическом редакторе как SVG, PNG, JPEG или WebP и укажите путь к нему",
                "save the image again as SVG, PNG, JPEG or WebP and name that file"
            ),
        }
    }
}

/// Reads and checks the image at `path` (already resolved inside the event folder).
/// Remembered for the process by path, size and modification time: the rules, the page and
/// the cards ask for the same files.
pub fn read(path: &Path) -> Result<Image, Problem> {
    type Key = (PathBuf, u64, Option<std::time::SystemTime>);
    type Memo = Mutex<HashMap<Key, Result<Image, Problem>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    const MEMO_ENTRIES: usize = 64;
    const MEMO_MAX_BYTES: u64 = 1024 * 1024;
    let meta = std::fs::metadata(path).ok();
    let key: Option<Key> = meta
        .as_ref()
        .map(|m| (path.to_path_buf(), m.len(), m.modified().ok()));
    let memo = MEMO.get_or_init(Default::default);
    if let Some(key) = &key {
        if let Some(hit) = memo.lock().ok().and_then(|m| m.get(key).cloned()) {
            return hit;
        }
    }
    let made = match files::read_regular(path, MAX_BYTES) {
        Ok(bytes) => check(&bytes),
        Err(ReadError::NotAFile) => Err(Problem::NotAFile),
        Err(ReadError::TooLarge(n)) => Err(Problem::TooLarge(n)),
        Err(e) => Err(Problem::Unreadable(e.to_string())),
    };
    if let Some(key) = key.filter(|k| k.1 <= MEMO_MAX_BYTES) {
        if let Ok(mut m) = memo.lock() {
            if m.len() >= MEMO_ENTRIES {
                m.clear();
            }
            m.insert(key, made.clone());
        }
    }
    made
}

/// Checks image bytes: the whole image decodes, within the limits; an SVG is sanitized.
pub fn check(bytes: &[u8]) -> Result<Image, Problem> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Problem::TooLarge(bytes.len() as u64));
    }
    let kind = ImageKind::sniff(bytes).ok_or(Problem::NotAnImage)?;
    let (bytes, width, height) = match kind {
        ImageKind::Svg => {
            let clean = sanitize_svg(bytes)?;
            let (w, h) = svg_size(clean.as_bytes())?;
            (clean.into_bytes(), w, h)
        }
        _ => {
            let (w, h) = decode_raster(kind, bytes)?;
            (bytes.to_vec(), w as f64, h as f64)
        }
    };
    check_size(width, height)?;
    Ok(Image {
        kind,
        bytes: Arc::new(bytes),
        width,
        height,
    })
}

fn check_size(w: f64, h: f64) -> Result<(), Problem> {
    let ok = w.is_finite()
        && h.is_finite()
        && w >= 1.0
        && h >= 1.0
        && w / h <= MAX_ASPECT
        && h / w <= MAX_ASPECT;
    if ok {
        Ok(())
    } else {
        Err(Problem::BadSize(w, h))
    }
}

fn pixels_ok(w: u64, h: u64) -> Result<(), Problem> {
    if w.saturating_mul(h) > MAX_PIXELS {
        Err(Problem::TooManyPixels(w, h))
    } else {
        Ok(())
    }
}

/// Decodes a PNG, JPEG or WebP in full (PNG row by row, so no frame buffer is held), after
/// checking the size its header claims. Returns width and height.
fn decode_raster(kind: ImageKind, bytes: &[u8]) -> Result<(u32, u32), Problem> {
    let damaged = |e: &dyn std::fmt::Display| Problem::Damaged(e.to_string().trim().to_string());
    match kind {
        ImageKind::Png => {
            let mut decoder = png::Decoder::new(Cursor::new(bytes));
            decoder.set_limits(png::Limits {
                bytes: 64 * 1024 * 1024,
            });
            {
                let info = decoder.read_header_info().map_err(|e| damaged(&e))?;
                pixels_ok(info.width as u64, info.height as u64)?;
            }
            let mut reader = decoder.read_info().map_err(|e| damaged(&e))?;
            let (w, h) = (reader.info().width, reader.info().height);
            // Every frame of an animated PNG, row by row.
            loop {
                while reader.next_row().map_err(|e| damaged(&e))?.is_some() {}
                let more = reader
                    .info()
                    .animation_control
                    .is_some_and(|_| reader.next_frame_info().is_ok());
                if !more {
                    break;
                }
            }
            reader.finish().map_err(|e| damaged(&e))?;
            Ok((w, h))
        }
        ImageKind::Jpeg => {
            use zune_jpeg::zune_core::options::DecoderOptions;
            let options = DecoderOptions::default()
                .set_strict_mode(true)
                .set_max_width(MAX_PIXELS as usize)
                .set_max_height(MAX_PIXELS as usize);
            let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
            decoder.decode_headers().map_err(|e| damaged(&e))?;
            let (w, h) = decoder
                .dimensions()
                .ok_or_else(|| Problem::Damaged("no size".into()))?;
            pixels_ok(w as u64, h as u64)?;
            decoder.decode().map_err(|e| damaged(&e))?;
            Ok((w as u32, h as u32))
        }
        ImageKind::Webp => {
            let mut decoder =
                image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
            let (w, h) = decoder.dimensions();
            pixels_ok(w as u64, h as u64)?;
            let size = decoder
                .output_buffer_size()
                .ok_or(Problem::TooManyPixels(w as u64, h as u64))?;
            let mut buf = vec![0; size];
            decoder.read_image(&mut buf).map_err(|e| damaged(&e))?;
            Ok((w, h))
        }
        ImageKind::Svg => unreachable!("SVGs are parsed by sanitize_svg"),
    }
}

/// The size of a (sanitized) SVG as usvg sees it, after parsing it the way the cards will.
fn svg_size(bytes: &[u8]) -> Result<(f64, f64), Problem> {
    let mut options = resvg::usvg::Options::default();
    // Nothing outside the file is ever loaded.
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    let tree = resvg::usvg::Tree::from_data(bytes, &options)
        .map_err(|e| Problem::Damaged(format!("SVG: {e}")))?;
    let s = tree.size();
    Ok((s.width() as f64, s.height() as f64))
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Elements dropped with everything inside them: code, HTML, and animations (which can set
/// an `href` to `javascript:`).
const DROPPED: &[&str] = &[
    "script",
    "foreignObject",
    "handler",
    "listener",
    "set",
    "animate",
    "animateTransform",
    "animateMotion",
    "animateColor",
    "discard",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
];

/// Parses an SVG and writes it out again with only SVG elements and attributes, and without
/// anything executable or external. Refuses (as [`Problem::Unsafe`]) a file that held any of
/// that: the user should know their logo carried a script; the sanitized copy is what
/// outputs would ship all the same.
pub fn sanitize_svg(bytes: &[u8]) -> Result<String, Problem> {
    let (clean, found) = sanitize_svg_lenient(bytes)?;
    match found {
        Some((ru, en)) => Err(Problem::Unsafe(ru, en)),
        None => Ok(clean),
    }
}

/// The sanitized SVG and the first unsafe thing removed from it, if any.
pub fn sanitize_svg_lenient(bytes: &[u8]) -> Result<(String, Option<(String, String)>), Problem> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Problem::Damaged("SVG: not UTF-8".into()))?
        .trim_start_matches('\u{feff}');
    let text = strip_doctype(text)?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_SVG_NODES as u32,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options)
        .map_err(|e| Problem::Damaged(format!("SVG: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SVG_NS) || root.tag_name().name() != "svg" {
        return Err(Problem::Damaged("SVG: the root is not <svg>".into()));
    }
    let mut w = Writer::default();
    w.element(root, true);
    Ok((w.out, w.found))
}

/// A `<!DOCTYPE svg PUBLIC …>` line (as editors write it) is dropped; a DTD with an internal
/// subset (entities: the way to a billion laughs) is refused.
fn strip_doctype(text: &str) -> Result<std::borrow::Cow<'_, str>, Problem> {
    let Some(start) = text.find("<!DOCTYPE") else {
        return Ok(text.into());
    };
    let rest = &text[start..];
    let end = rest
        .find('>')
        .ok_or_else(|| Problem::Damaged("SVG: DOCTYPE".into()))?;
    if rest[..end].contains('[') {
        return Err(Problem::Unsafe(
            "<!DOCTYPE [...]> (сущности DTD)".into(),
            "<!DOCTYPE [...]> (DTD entities)".into(),
        ));
    }
    Ok(format!("{}{}", &text[..start], &rest[end + 1..]).into())
}

#[derive(Default)]
struct Writer {
    out: String,
    found: Option<(String, String)>,
}

impl Writer {
    fn found(&mut self, what: impl FnOnce() -> (String, String)) {
        if self.found.is_none() {
            self.found = Some(what());
        }
    }

    fn element(&mut self, node: roxmltree::Node, root: bool) {
        let name = node.tag_name();
        if name.namespace() != Some(SVG_NS) {
            // Editor metadata (Inkscape, Illustrator, RDF) and HTML: not drawn, not kept.
            if name.namespace() == Some("http://www.w3.org/1999/xhtml") {
                self.found(|| {
                    (
                        format!("HTML-элемент <{}>", name.name()),
                        format!("the HTML element <{}>", name.name()),
                    )
                });
            }
            return;
        }
        let local = name.name();
        if DROPPED.contains(&local) {
            self.found(|| (format!("<{local}>"), format!("<{local}>")));
            return;
        }
        self.out.push('<');
        self.out.push_str(local);
        if root {
            self.out.push_str(" xmlns=\"");
            self.out.push_str(SVG_NS);
            self.out.push_str("\" xmlns:xlink=\"");
            self.out.push_str(XLINK_NS);
            self.out.push('"');
        }
        for a in node.attributes() {
            let (ns, an) = (a.namespace(), a.name());
            let written = match ns {
                None => an.to_string(),
                Some(XLINK_NS) => format!("xlink:{an}"),
                Some(XML_NS) => format!("xml:{an}"),
                Some(_) => continue,
            };
            if an.len() > 2 && an[..2].eq_ignore_ascii_case("on") {
                self.found(|| {
                    (
                        format!("обработчик события {written}"),
                        format!("the event handler {written}"),
                    )
                });
                continue;
            }
            let value = a.value();
            if an == "href" || an == "src" {
                if !self.href_ok(value) {
                    continue;
                }
            } else if let Some(bad) = unsafe_value(value) {
                self.found(|| {
                    (
                        format!("{} в атрибуте {written}", bad.0),
                        format!("{} in the attribute {written}", bad.1),
                    )
                });
                continue;
            }
            self.out.push(' ');
            self.out.push_str(&written);
            self.out.push_str("=\"");
            escape(&mut self.out, value, true);
            self.out.push('"');
        }
        self.out.push('>');
        for child in node.children() {
            match child.node_type() {
                roxmltree::NodeType::Element => self.element(child, false),
                roxmltree::NodeType::Text => {
                    let t = child.text().unwrap_or("");
                    if local == "style" {
                        if let Some(bad) = unsafe_value(t) {
                            self.found(|| {
                                (
                                    format!("{} в <style>", bad.0),
                                    format!("{} in <style>", bad.1),
                                )
                            });
                            continue;
                        }
                    }
                    escape(&mut self.out, t, false);
                }
                _ => {}
            }
        }
        self.out.push_str("</");
        self.out.push_str(local);
        self.out.push('>');
    }

    /// Only a reference inside the file (`#id`) or an embedded raster image that passes the
    /// same checks as a file.
    fn href_ok(&mut self, value: &str) -> bool {
        let v = value.trim();
        if v.starts_with('#') {
            return true;
        }
        let lower = v.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("data:") {
            let raster = ["image/png", "image/jpeg", "image/jpg", "image/webp"]
                .iter()
                .any(|m| rest.starts_with(m));
            if raster {
                if let Some((_, b64)) = v.split_once(";base64,") {
                    let b64: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
                    if let Ok(data) = base64::engine::general_purpose::STANDARD.decode(b64) {
                        if !matches!(ImageKind::sniff(&data), Some(ImageKind::Svg) | None)
                            && check(&data).is_ok()
                        {
                            return true;
                        }
                    }
                }
                self.found(|| {
                    (
                        "встроенное изображение, которое не декодируется".into(),
                        "an embedded image that does not decode".into(),
                    )
                });
                return false;
            }
        }
        let shown: String = v.chars().take(60).collect();
        if lower.contains("javascript:") {
            self.found(|| (format!("ссылку «{shown}»"), format!("the link \"{shown}\"")));
        } else {
            self.found(|| {
                (
                    format!("внешнюю ссылку «{shown}»"),
                    format!("the external reference \"{shown}\""),
                )
            });
        }
        false
    }
}

/// `javascript:`, an external `url(…)` or an `@import` in an attribute or a style sheet.
fn unsafe_value(v: &str) -> Option<(&'static str, &'static str)> {
    let l: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .flat_map(char::to_lowercase)
        .collect();
    if l.contains("javascript:") || l.contains("vbscript:") {
        return Some(("javascript:", "javascript:"));
    }
    if l.contains("@import") || l.contains("expression(") {
        return Some(("@import", "@import"));
    }
    let mut rest = l.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let target = rest.trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            return Some(("внешняя ссылка url(…)", "an external url(…)"));
        }
    }
    None
}

fn escape(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40" viewBox="0 0 120 40"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs><rect width="120" height="40" fill="url(#g)"/><use xlink:href="#g"/><text x="5" y="20">A &amp; B</text></svg>"##;

    #[test]
    fn a_clean_svg_keeps_its_drawing() {
        let img = check(GOOD.as_bytes()).unwrap();
        let s = String::from_utf8(img.bytes.to_vec()).unwrap();
        assert!(s.contains("fill=\"url(#g)\""), "{s}");
        assert!(s.contains("xlink:href=\"#g\""), "{s}");
        assert!(s.contains("A &amp; B"), "{s}");
        assert_eq!((img.width, img.height), (120.0, 40.0));
    }

    #[test]
    fn scripts_handlers_links_and_foreign_objects_are_refused_and_removed() {
        let bad = [
            ("<script>alert(1)</script>", "<script>"),
            ("<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject>", "<foreignObject>"),
            ("<rect width=\"1\" height=\"1\" onload=\"alert(1)\"/>", "onload"),
            ("<a href=\"javascript:alert(1)\"><rect width=\"1\" height=\"1\"/></a>", "javascript:"),
            ("<image href=\"https://evil.example/x.png\" width=\"1\" height=\"1\"/>", "https://evil.example"),
            ("<image xlink:href=\"/etc/passwd\" width=\"1\" height=\"1\"/>", "/etc/passwd"),
            ("<style>@import url(https://evil.example/a.css);</style>", "@import"),
            ("<rect width=\"1\" height=\"1\" style=\"fill:url(https://evil.example/#x)\"/>", "url("),
            ("<set attributeName=\"href\" to=\"javascript:alert(1)\"/>", "<set>"),
        ];
        for (inner, what) in bad {
            let svg = GOOD.replace("</svg>", &format!("{inner}</svg>"));
            match check(svg.as_bytes()) {
                Err(Problem::Unsafe(found, _)) => {
                    assert!(found.contains(what), "{found} / {what}")
                }
                other => panic!("{inner}: {other:?}"),
            }
            let (clean, _) = sanitize_svg_lenient(svg.as_bytes()).unwrap();
            let l = clean.to_lowercase();
            for gone in [
                "<script",
                "foreignobject",
                "onload",
                "javascript:",
                "evil.example",
                "/etc/passwd",
                "@import",
                "<set",
            ] {
                assert!(!l.contains(gone), "{gone} survived in {clean}");
            }
        }
    }

    #[test]
    fn an_svg_of_absurd_size_is_refused() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000000" height="0.0001"><rect width="1" height="1"/></svg>"#;
        assert!(matches!(
            check(svg.as_bytes()),
            Err(Problem::BadSize(..)) | Err(Problem::Damaged(_))
        ));
    }

    #[test]
    fn dtd_entities_are_refused() {
        let svg = r#"<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">&a;</svg>"#;
        assert!(check(svg.as_bytes()).is_err());
        let plain = r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
        assert!(check(plain.as_bytes()).is_ok());
    }
}
