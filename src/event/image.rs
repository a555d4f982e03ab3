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
use crate::sources::by_content::ByContent;
use crate::sources::regular::{self as files, ReadError};
use crate::t;
use zune_jpeg::zune_core::colorspace::ColorSpace;

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
    /// Decoding would need this many megabytes (a progressive JPEG's coefficients).
    TooCostly(u64),
    /// An SVG whose drawing is too costly: what (Russian, English).
    TooComplex(String, String),
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
            Problem::TooCostly(mb) => t!(
                "изображение «{path}» слишком тяжело декодировать: прогрессивный JPEG потребует {mb} МБ памяти (предел {limit} МБ)",
                "the image \"{path}\" is too costly to decode: this progressive JPEG needs {mb} MB of memory (limit {limit} MB)",
                limit = MAX_JPEG_COEFFICIENT_BYTES / (1024 * 1024)
            ),
            Problem::TooComplex(what, what_en) => t!(
                "SVG «{path}» слишком сложно рисовать: {what}",
                "the SVG \"{path}\" is too costly to draw: {what_en}"
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
            Problem::TooLarge(_) | Problem::TooManyPixels(..) | Problem::TooCostly(_) => t!(
                "уменьшите изображение (для страницы достаточно 2000 пикселей по длинной стороне) и сохраните его заново",
                "scale the image down (2000 pixels on the long side are plenty for a page) and save it again"
            ),
            Problem::TooComplex(..) => t!(
                "упростите логотип (без множества фильтров, масок и прозрачных групп) или сохраните его в PNG",
                "simplify the logo (no pile of filters, masks and translucent groups) or save it as PNG"
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
        Ok(bytes) => check_remembered(&bytes),
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

/// [`check`], remembered for the process by content: the events of an agency's batch carry
/// the same logo under a hundred paths, and decoding it (an SVG parsed and sanitized) cost
/// more than all the rules on the event's own words.
fn check_remembered(bytes: &[u8]) -> Result<Image, Problem> {
    // At most 32 × 256 KB kept.
    static MEMO: ByContent<Result<Image, Problem>> = ByContent::new(32, 256 * 1024);
    MEMO.get_or_make(bytes, || check(bytes))
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
            // Grey output: every scan and block is still decoded, into a third of the memory.
            let (mut decoder, w, h) = jpeg_decoder(bytes, true, ColorSpace::Luma)?;
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

/// The cards draw the organizer's logo in a box of at most 440×150 pixels. A raster image
/// with a longer side than this is embedded in them as a scaled-down copy
/// ([`scaled_copy`]): drawing the card then decodes a few megabytes instead of the full
/// picture (a 25-megapixel PNG logo took the build to 197 MiB).
pub const CARD_SIDE: u32 = 1024;

/// A PNG copy of a raster image scaled to fit in `side`×`side` (aspect kept, a box filter
/// over the image's pixels), or `None` when the image already fits or is an SVG. A PNG is
/// read row by row into the small copy, so the full-size picture is never held; a JPEG or
/// WebP is decoded once (their decoders have no row interface) and scaled from that.
pub fn scaled_copy(bytes: &[u8], side: u32) -> Result<Option<Vec<u8>>, Problem> {
    let Some(kind) = ImageKind::sniff(bytes) else {
        return Err(Problem::NotAnImage);
    };
    let shrink = match kind {
        ImageKind::Svg => return Ok(None),
        ImageKind::Png => {
            let mut decoder = png::Decoder::new(Cursor::new(bytes));
            decoder.set_limits(png::Limits {
                bytes: 64 * 1024 * 1024,
            });
            decoder.set_transformations(png::Transformations::normalize_to_color8());
            let (w, h, interlaced) = {
                let info = decoder.read_header_info().map_err(|e| damaged(&e))?;
                pixels_ok(info.width as u64, info.height as u64)?;
                (info.width, info.height, info.interlaced)
            };
            let Some(mut shrink) = Shrink::new(w, h, side, !interlaced) else {
                return Ok(None);
            };
            let mut reader = decoder.read_info().map_err(|e| damaged(&e))?;
            let channels = reader.output_color_type().0.samples();
            let mut rows = PngRows::new(w, h, interlaced);
            while let Some(row) = reader.next_row().map_err(|e| damaged(&e))? {
                let Some((y, x0, dx)) = rows.next() else {
                    break;
                };
                shrink.row(y, x0, dx, row.data(), channels);
            }
            shrink
        }
        ImageKind::Jpeg => {
            let (mut decoder, w, h) = jpeg_decoder(bytes, false, ColorSpace::RGB)?;
            let Some(mut shrink) = Shrink::new(w as u32, h as u32, side, true) else {
                return Ok(None);
            };
            let pixels = decoder.decode().map_err(|e| damaged(&e))?;
            shrink.whole(&pixels, 3);
            shrink
        }
        ImageKind::Webp => {
            let mut decoder =
                image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
            let (w, h) = decoder.dimensions();
            pixels_ok(w as u64, h as u64)?;
            let Some(mut shrink) = Shrink::new(w, h, side, true) else {
                return Ok(None);
            };
            let size = decoder
                .output_buffer_size()
                .ok_or(Problem::TooManyPixels(w as u64, h as u64))?;
            let mut pixels = vec![0; size];
            decoder.read_image(&mut pixels).map_err(|e| damaged(&e))?;
            shrink.whole(&pixels, if decoder.has_alpha() { 4 } else { 3 });
            shrink
        }
    };
    shrink.png().map(Some).map_err(|e| damaged(&e))
}

/// Where the rows of a PNG go, in the order the decoder gives them: (y, first x, x step) —
/// one row after the other, or the seven Adam7 passes.
struct PngRows {
    w: u32,
    h: u32,
    interlaced: bool,
    pass: usize,
    line: u32,
}

impl PngRows {
    /// (x start, y start, x step, y step) of each Adam7 pass.
    const ADAM7: [(u32, u32, u32, u32); 7] = [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ];

    fn new(w: u32, h: u32, interlaced: bool) -> PngRows {
        PngRows {
            w,
            h,
            interlaced,
            pass: 0,
            line: 0,
        }
    }
}

impl Iterator for PngRows {
    type Item = (u32, u32, u32);

    fn next(&mut self) -> Option<(u32, u32, u32)> {
        if !self.interlaced {
            let y = self.line;
            self.line += 1;
            return (y < self.h).then_some((y, 0, 1));
        }
        // Passes without a pixel (a narrow or short image) are not in the file.
        while let Some(&(x0, y0, dx, dy)) = Self::ADAM7.get(self.pass) {
            let y = y0 as u64 + self.line as u64 * dy as u64;
            if x0 < self.w && y < self.h as u64 {
                self.line += 1;
                return Some((y as u32, x0, dx));
            }
            self.pass += 1;
            self.line = 0;
        }
        None
    }
}

/// A box filter from a `w`×`h` image to one that fits `side`×`side`: every source pixel is
/// added to the output pixel it falls in (colour weighted by alpha, so transparent pixels
/// do not darken the edges). Rows that come in order need sums for one output row at a
/// time; an interlaced PNG's come in seven passes, so it keeps sums for every output pixel.
struct Shrink {
    ow: u32,
    oh: u32,
    /// The output column of each source column.
    col: Vec<u32>,
    h: u32,
    /// Sums for one output row (rows in order) or for all.
    rolling: bool,
    /// The output row whose sums `acc` holds (rolling).
    current: usize,
    /// Per output pixel: Σ r·a, Σ g·a, Σ b·a, Σ a, number of pixels.
    acc: Vec<u32>,
    rgba: Vec<u8>,
}

impl Shrink {
    /// `None` when the image fits as it is.
    fn new(w: u32, h: u32, side: u32, rolling: bool) -> Option<Shrink> {
        if w <= side && h <= side || w == 0 || h == 0 {
            return None;
        }
        let scale = side as f64 / w.max(h) as f64;
        let ow = ((w as f64 * scale).round() as u32).clamp(1, side);
        let oh = ((h as f64 * scale).round() as u32).clamp(1, side);
        let col = (0..w)
            .map(|x| (x as u64 * ow as u64 / w as u64) as u32)
            .collect();
        let rows = if rolling { 1 } else { oh as usize };
        Some(Shrink {
            ow,
            oh,
            col,
            h,
            rolling,
            current: 0,
            acc: vec![0; ow as usize * rows * 5],
            rgba: vec![0; ow as usize * oh as usize * 4],
        })
    }

    /// Source pixels `x0, x0 + dx, …` of row `y`, `channels` bytes each (grey, grey and
    /// alpha, RGB or RGBA).
    fn row(&mut self, y: u32, x0: u32, dx: u32, data: &[u8], channels: usize) {
        let oy = ((y as u64 * self.oh as u64 / self.h as u64) as usize).min(self.oh as usize - 1);
        let base = if self.rolling {
            if oy != self.current {
                self.flush(self.current, 0);
                self.current = oy;
            }
            0
        } else {
            oy * self.ow as usize
        };
        let mut x = x0 as usize;
        for px in data.chunks_exact(channels) {
            let Some(&ox) = self.col.get(x) else { break };
            let (r, g, b, a) = match *px {
                [v] => (v, v, v, 255),
                [v, a] => (v, v, v, a),
                [r, g, b] => (r, g, b, 255),
                [r, g, b, a] => (r, g, b, a),
                _ => return,
            };
            let a32 = a as u32;
            let i = (base + ox as usize) * 5;
            let cell = &mut self.acc[i..i + 5];
            cell[0] += r as u32 * a32;
            cell[1] += g as u32 * a32;
            cell[2] += b as u32 * a32;
            cell[3] += a32;
            cell[4] += 1;
            x += dx as usize;
        }
    }

    /// A whole decoded image, rows one after the other.
    fn whole(&mut self, pixels: &[u8], channels: usize) {
        let stride = self.col.len() * channels;
        for (y, row) in pixels
            .chunks_exact(stride)
            .enumerate()
            .take(self.h as usize)
        {
            self.row(y as u32, 0, 1, row, channels);
        }
    }

    /// Turns the sums of output row `oy` (held at row `at` of `acc`) into pixels.
    fn flush(&mut self, oy: usize, at: usize) {
        let ow = self.ow as usize;
        let sums = &mut self.acc[at * ow * 5..(at + 1) * ow * 5];
        let out = &mut self.rgba[oy * ow * 4..(oy + 1) * ow * 4];
        for (cell, px) in sums.chunks_exact_mut(5).zip(out.chunks_exact_mut(4)) {
            let (sum_a, n) = (cell[3], cell[4].max(1));
            if sum_a != 0 {
                let c = |v: u32| ((v + sum_a / 2) / sum_a).min(255) as u8;
                let a = ((sum_a + n / 2) / n).min(255) as u8;
                px.copy_from_slice(&[c(cell[0]), c(cell[1]), c(cell[2]), a]);
            }
            cell.fill(0);
        }
    }

    fn png(mut self) -> Result<Vec<u8>, png::EncodingError> {
        if self.rolling {
            self.flush(self.current, 0);
        } else {
            for oy in 0..self.oh as usize {
                self.flush(oy, oy);
            }
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.ow, self.oh);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.rgba)?;
        writer.finish()?;
        Ok(out)
    }
}

/// A progressive JPEG is decoded by keeping every DCT coefficient of the image until its
/// last scan: 2 bytes per sample of each component (at its own sampling). Their memory may be
/// at most this: a 25-megapixel camera photo (4:2:0) needs 75 MB; the same size with full
/// colour resolution (4:4:4) would need 150 MB on top of the decoded picture.
pub const MAX_JPEG_COEFFICIENT_BYTES: u64 = 100 * 1024 * 1024;

/// A decoder's error as the reason an image is damaged.
fn damaged(e: &dyn std::fmt::Display) -> Problem {
    Problem::Damaged(e.to_string().trim().to_string())
}

type JpegReader<'a> = zune_jpeg::JpegDecoder<Cursor<&'a [u8]>>;

/// A JPEG decoder past its headers, with the size checked against the pixel and memory
/// limits before any scan is decoded: the check (`strict`, grey) and the card's scaled copy
/// (lenient, RGB) read JPEGs alike.
fn jpeg_decoder(
    bytes: &[u8],
    strict: bool,
    colorspace: ColorSpace,
) -> Result<(JpegReader<'_>, usize, usize), Problem> {
    let mut options = zune_jpeg::zune_core::options::DecoderOptions::default();
    if strict {
        options = options.set_strict_mode(true);
    }
    let options = options
        .set_max_width(MAX_PIXELS as usize)
        .set_max_height(MAX_PIXELS as usize)
        .jpeg_set_out_colorspace(colorspace);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    decoder.decode_headers().map_err(|e| damaged(&e))?;
    let (w, h) = decoder
        .dimensions()
        .ok_or_else(|| Problem::Damaged("no size".into()))?;
    pixels_ok(w as u64, h as u64)?;
    jpeg_memory_ok(bytes, w as u64, h as u64)?;
    Ok((decoder, w, h))
}

/// Refuses a progressive JPEG whose coefficients would take more than
/// [`MAX_JPEG_COEFFICIENT_BYTES`] (read from its frame header); a baseline JPEG is decoded
/// block row by block row and needs none.
fn jpeg_memory_ok(bytes: &[u8], w: u64, h: u64) -> Result<(), Problem> {
    let Some((progressive, sampling)) = jpeg_frame(bytes) else {
        return Ok(());
    };
    if !progressive || sampling.is_empty() {
        return Ok(());
    }
    let hmax = sampling.iter().map(|s| s.0).max().unwrap_or(1).max(1) as u64;
    let vmax = sampling.iter().map(|s| s.1).max().unwrap_or(1).max(1) as u64;
    let (mcux, mcuy) = (w.div_ceil(8 * hmax), h.div_ceil(8 * vmax));
    let need: u64 = sampling
        .iter()
        .map(|&(hs, vs)| mcux * hs as u64 * mcuy * vs as u64 * 64 * 2)
        .sum();
    if need > MAX_JPEG_COEFFICIENT_BYTES {
        Err(Problem::TooCostly(need / (1024 * 1024)))
    } else {
        Ok(())
    }
}

/// Whether the first frame header of a JPEG is progressive, and each component's sampling
/// factors (horizontal, vertical).
fn jpeg_frame(bytes: &[u8]) -> Option<(bool, Vec<(u8, u8)>)> {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xff {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xff {
            i += 1;
            continue;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        let body = bytes.get(i + 4..i + 2 + len)?;
        // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker) {
            let n = *body.get(5)? as usize;
            let sampling = (0..n)
                .filter_map(|k| body.get(6 + 3 * k + 1))
                .map(|hv| (hv >> 4, hv & 0x0f))
                .collect();
            return Some((matches!(marker, 0xc2 | 0xc6 | 0xca | 0xce), sampling));
        }
        if marker == 0xda {
            return None;
        }
        i += 2 + len;
    }
    None
}

/// The size of a (sanitized) SVG as usvg sees it, after parsing it the way the cards will.
fn svg_size(bytes: &[u8]) -> Result<(f64, f64), Problem> {
    let mut options = resvg::usvg::Options::default();
    // Nothing outside the file is ever loaded.
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    let tree = resvg::usvg::Tree::from_data(bytes, &options)
        .map_err(|e| Problem::Damaged(format!("SVG: {e}")))?;
    let mut cost = Cost::default();
    cost.group(tree.root());
    cost.ok()?;
    let s = tree.size();
    Ok((s.width() as f64, s.height() as f64))
}

/// Elements usvg draws (after `<use>` is expanded and text turned into paths): each is a fill
/// over up to the logo's whole box on every card.
const MAX_SVG_DRAWN: usize = 20_000;
/// Segments and curves of all paths: each crosses the scanlines of its height (a traced
/// logo has tens of thousands; a 10 MB zigzag of a million took 13 s to draw).
const MAX_SVG_SEGMENTS: usize = 200_000;
/// Layers (groups with a filter, mask, clip path or opacity, drawn on a canvas of their own
/// and blended back) and filter primitives (a blur is several passes over its region).
const MAX_SVG_LAYERS: usize = 1_000;
const MAX_SVG_FILTER_PRIMITIVES: usize = 200;
/// Elements nested in one another (the sanitizer and usvg walk the tree recursively).
const MAX_SVG_DEPTH: usize = 256;

/// What drawing an SVG costs, counted on the tree usvg builds: a clip path or mask is drawn
/// again for every group that uses it, so it is counted for each.
#[derive(Default)]
struct Cost {
    drawn: usize,
    segments: usize,
    layers: usize,
    primitives: usize,
}

impl Cost {
    fn group(&mut self, g: &resvg::usvg::Group) {
        use resvg::usvg::{ImageKind as Kind, Node};
        if self.over() {
            return;
        }
        if g.should_isolate() {
            self.layers += 1;
        }
        for f in g.filters() {
            self.primitives += f.primitives().len();
        }
        if let Some(c) = g.clip_path() {
            self.group(c.root());
        }
        if let Some(m) = g.mask() {
            self.group(m.root());
        }
        for n in g.children() {
            self.drawn += 1;
            match n {
                Node::Group(g) => self.group(g),
                Node::Text(t) => self.group(t.flattened()),
                Node::Image(i) => {
                    if let Kind::SVG(t) = i.kind() {
                        self.group(t.root());
                    }
                }
                Node::Path(p) => self.segments += p.data().len(),
            }
        }
    }

    fn over(&self) -> bool {
        self.drawn > MAX_SVG_DRAWN
            || self.segments > MAX_SVG_SEGMENTS
            || self.layers > MAX_SVG_LAYERS
            || self.primitives > MAX_SVG_FILTER_PRIMITIVES
    }

    fn ok(&self) -> Result<(), Problem> {
        let (ru, en) = if self.drawn > MAX_SVG_DRAWN {
            (
                format!("больше {MAX_SVG_DRAWN} рисуемых элементов"),
                format!("more than {MAX_SVG_DRAWN} drawn elements"),
            )
        } else if self.segments > MAX_SVG_SEGMENTS {
            (
                format!("больше {MAX_SVG_SEGMENTS} отрезков и кривых в контурах"),
                format!("more than {MAX_SVG_SEGMENTS} segments and curves in its paths"),
            )
        } else if self.layers > MAX_SVG_LAYERS {
            (
                format!("больше {MAX_SVG_LAYERS} слоёв (фильтры, маски, обтравки, прозрачность)"),
                format!("more than {MAX_SVG_LAYERS} layers (filters, masks, clip paths, opacity)"),
            )
        } else if self.primitives > MAX_SVG_FILTER_PRIMITIVES {
            (
                format!("больше {MAX_SVG_FILTER_PRIMITIVES} применений фильтров"),
                format!("more than {MAX_SVG_FILTER_PRIMITIVES} filter steps applied"),
            )
        } else {
            return Ok(());
        };
        Err(Problem::TooComplex(ru, en))
    }
}

/// Elements of an SVG once every `<use>` is replaced by a copy of what it names.
const MAX_SVG_EXPANDED: u64 = 50_000;

/// The number of elements of `doc` with `<use>` expanded (a use of an element that contains
/// the use itself counts as nothing: usvg skips it), or `u64::MAX` when the references chain
/// deeper than the walk goes.
fn expanded(doc: &roxmltree::Document) -> u64 {
    use std::collections::HashSet;
    type Ids<'a, 'i> = HashMap<&'a str, roxmltree::Node<'a, 'i>>;
    let ids: Ids = doc
        .descendants()
        .filter_map(|n| n.attribute("id").map(|id| (id, n)))
        .collect();
    fn size<'a, 'i>(
        n: roxmltree::Node<'a, 'i>,
        ids: &Ids<'a, 'i>,
        memo: &mut HashMap<roxmltree::NodeId, u64>,
        open: &mut HashSet<roxmltree::NodeId>,
        depth: usize,
    ) -> u64 {
        if depth > 2 * MAX_SVG_DEPTH {
            return u64::MAX;
        }
        if let Some(&v) = memo.get(&n.id()) {
            return v;
        }
        if !open.insert(n.id()) {
            return 0;
        }
        let mut total: u64 = 1;
        for c in n.children().filter(|c| c.is_element()) {
            total = total.saturating_add(size(c, ids, memo, open, depth + 1));
        }
        if n.tag_name().name() == "use" {
            let target = n
                .attribute((XLINK_NS, "href"))
                .or_else(|| n.attribute("href"))
                .and_then(|h| h.trim().strip_prefix('#'))
                .and_then(|id| ids.get(id));
            if let Some(&t) = target {
                total = total.saturating_add(size(t, ids, memo, open, depth + 1));
            }
        }
        open.remove(&n.id());
        memo.insert(n.id(), total);
        total
    }
    size(
        doc.root_element(),
        &ids,
        &mut HashMap::new(),
        &mut HashSet::new(),
        0,
    )
}

/// How deep elements nest, walked without recursion.
fn depth(root: roxmltree::Node) -> usize {
    let mut max = 0;
    let mut stack = vec![(root, 1usize)];
    while let Some((n, d)) = stack.pop() {
        max = max.max(d);
        if max > MAX_SVG_DEPTH {
            break;
        }
        stack.extend(n.children().filter(|c| c.is_element()).map(|c| (c, d + 1)));
    }
    max
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
    if depth(root) > MAX_SVG_DEPTH {
        return Err(Problem::TooComplex(
            format!("элементы вложены глубже {MAX_SVG_DEPTH} уровней"),
            format!("elements nested deeper than {MAX_SVG_DEPTH} levels"),
        ));
    }
    // Before usvg copies every `<use>`d element in: 140,000 copies took it to 234 MB.
    if expanded(&doc) > MAX_SVG_EXPANDED {
        return Err(Problem::TooComplex(
            format!("с копиями <use> больше {MAX_SVG_EXPANDED} элементов"),
            format!("more than {MAX_SVG_EXPANDED} elements once <use> copies are counted"),
        ));
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
    fn use_bombs_and_deep_nesting_are_refused_before_usvg_sees_them() {
        let bomb = |levels: usize| {
            let mut s = String::from(
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="9" height="9"><defs><rect id="l0" width="1" height="1"/>"#,
            );
            for i in 1..=levels {
                s.push_str(&format!("<g id=\"l{i}\">"));
                for _ in 0..10 {
                    s.push_str(&format!("<use xlink:href=\"#l{}\"/>", i - 1));
                }
                s.push_str("</g>");
            }
            s.push_str(&format!("</defs><use xlink:href=\"#l{levels}\"/></svg>"));
            s
        };
        assert!(matches!(
            sanitize_svg(bomb(5).as_bytes()),
            Err(Problem::TooComplex(..))
        ));
        // Four levels (about 20,000 elements with the copies) are fine.
        assert!(sanitize_svg(bomb(4).as_bytes()).is_ok());
        // A use of its own ancestor is not counted forever.
        let cycle = r##"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><g id="a"><use href="#a"/></g></svg>"##;
        assert!(sanitize_svg(cycle.as_bytes()).is_ok());
        let deep = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">{}{}</svg>"#,
            "<g>".repeat(50_000),
            "</g>".repeat(50_000)
        );
        assert!(matches!(
            sanitize_svg(deep.as_bytes()),
            Err(Problem::TooComplex(..))
        ));
    }

    #[test]
    fn a_big_png_is_scaled_down_row_by_row() {
        let (w, h) = (3000u32, 100u32);
        let mut out = Vec::new();
        {
            let mut e = png::Encoder::new(&mut out, w, h);
            e.set_color(png::ColorType::Rgb);
            e.set_depth(png::BitDepth::Eight);
            let mut wr = e.write_header().unwrap();
            // Left half red, right half blue.
            let row: Vec<u8> = (0..w)
                .flat_map(|x| if x < w / 2 { [255, 0, 0] } else { [0, 0, 255] })
                .collect();
            wr.write_image_data(&row.repeat(h as usize)).unwrap();
        }
        let copy = scaled_copy(&out, 1000).unwrap().unwrap();
        let mut r = png::Decoder::new(Cursor::new(&copy)).read_info().unwrap();
        assert_eq!((r.info().width, r.info().height), (1000, 33));
        let mut px = vec![0; r.output_buffer_size().unwrap()];
        r.next_frame(&mut px).unwrap();
        assert_eq!(&px[..4], &[255, 0, 0, 255]);
        assert_eq!(&px[px.len() - 4..], &[0, 0, 255, 255]);
        assert_eq!(scaled_copy(&out, 4000).unwrap(), None);
    }

    #[test]
    fn dtd_entities_are_refused() {
        let svg = r#"<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">&a;</svg>"#;
        assert!(check(svg.as_bytes()).is_err());
        let plain = r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
        assert!(check(plain.as_bytes()).is_ok());
    }
}
