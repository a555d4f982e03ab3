//! Text measurement for the cards without building an SVG tree per call.
//!
//! [`super::cards::text_width`] used to lay out each candidate line through usvg (XML, font
//! lookup, shaper tables built anew, every glyph outlined): about a million instructions per
//! call, and word wrapping calls it for every word. Here the two faces are parsed once and the
//! shaper's tables and plans are built once per face; a call only shapes the string (with the
//! shaper usvg uses, so kerning and ligatures come out the same) and adds up the advances, as
//! usvg does for a `<text>` element's bounding box (metrics, not outlines). A test compares
//! the two on a corpus of strings.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use harfrust::{Direction, ShapeOptions, ShapePlan, ShaperData, UnicodeBuffer};

use super::cards::{FONT_BOLD, FONT_REGULAR};

/// One face, parsed once for the process.
struct Face {
    font: harfrust::FontRef<'static>,
    data: ShaperData,
    units_per_em: f32,
    /// Shape plans by script (a plan is what the shaper compiles from the font's feature
    /// lookups for a script and direction).
    plans: Mutex<HashMap<harfrust::Script, std::sync::Arc<ShapePlan>>>,
}

fn face(bold: bool) -> Option<&'static Face> {
    static REGULAR: OnceLock<Option<Face>> = OnceLock::new();
    static BOLD: OnceLock<Option<Face>> = OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, FONT_BOLD)
    } else {
        (&REGULAR, FONT_REGULAR)
    };
    cell.get_or_init(|| {
        let font = harfrust::FontRef::new(bytes).ok()?;
        let data = ShaperData::new(&font);
        let units_per_em = data.shaper(&font).build().units_per_em() as f32;
        Some(Face {
            font,
            data,
            units_per_em,
            plans: Mutex::new(HashMap::new()),
        })
    })
    .as_ref()
}

/// Whether `s` is laid out by usvg as one left-to-right run of exactly these characters:
/// no right-to-left script (bidi reordering) and no white space that SVG would collapse or
/// trim. Otherwise the caller measures the slow, exact way.
fn simple(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
        return false;
    }
    !s.chars().any(|c| {
        (c.is_whitespace() && c != ' ') ||
        matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
            || matches!(c, '\u{200E}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// The ink width of `s` at `size` px, or `None` when this fast path does not apply (the
/// caller then measures through usvg).
pub(crate) fn ink_width(s: &str, size: f32, bold: bool) -> Option<f32> {
    if !simple(s) {
        return None;
    }
    let face = face(bold)?;
    let shaper = face.data.shaper(&face.font).build();
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(s);
    buffer.set_direction(Direction::LeftToRight);
    buffer.guess_segment_properties();
    let script = buffer.script();
    let plan = {
        let mut plans = face.plans.lock().ok()?;
        plans
            .entry(script)
            .or_insert_with(|| {
                std::sync::Arc::new(ShapePlan::new(
                    &shaper,
                    Direction::LeftToRight,
                    Some(script),
                    None,
                    &[],
                ))
            })
            .clone()
    };
    let out = shaper.shape(buffer, ShapeOptions::new().plan(Some(&plan)));
    let scale = size / face.units_per_em;
    // usvg's text box: each cluster is a box as wide as its advance (1 px when it has none),
    // placed one after the other.
    let (mut left, mut right) = (f32::INFINITY, f32::NEG_INFINITY);
    let (mut x, mut cluster, mut advance) = (0.0f32, None, 0.0f32);
    let mut close = |x: f32, advance: f32| {
        left = left.min(x);
        right = right.max(x + if advance <= 0.0 { 1.0 } else { advance });
    };
    for (info, pos) in out.glyph_infos().iter().zip(out.glyph_positions()) {
        if cluster != Some(info.cluster) {
            if cluster.is_some() {
                close(x, advance);
                x += advance;
            }
            cluster = Some(info.cluster);
            advance = 0.0;
        }
        advance += pos.x_advance as f32 * scale;
    }
    if cluster.is_some() {
        close(x, advance);
    }
    Some(if right > left { right - left } else { 0.0 })
}
