//! Images at and past the limits of `input.image` (10 MB, 25 megapixels, sides at most
//! 50 : 1), made here byte by byte so that no image tool is needed: PNG (plain and Adam7
//! interlaced), baseline and progressive JPEG, lossless WebP, a GIF (not a format events
//! may use) and SVGs at the file-size and node limits. `tests/it/hostile.rs` uses the small
//! ones; `tools/hostile-limits.sh` writes the big ones (`write_limit_images`) and measures
//! `check` and `build` on each.
#![allow(dead_code)]

use std::io::Write;

/// A PNG chunk.
pub fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    out.extend_from_slice(&h.finalize().to_be_bytes());
    out
}

fn zlib(raw: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(raw).unwrap();
    z.finish().unwrap()
}

/// The Adam7 passes: (x start, y start, x step, y step).
pub const ADAM7: [(u32, u32, u32, u32); 7] = [
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
];

/// An RGBA PNG of `w`×`h` whose pixel (x, y) is `pixel(x, y)`, rows filtered with `Sub`
/// (so that smooth pictures stay small), plain or Adam7-interlaced.
pub fn png_rgba(w: u32, h: u32, interlaced: bool, pixel: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
    let mut raw = Vec::new();
    let row = |xs: &mut dyn Iterator<Item = u32>, y: u32, raw: &mut Vec<u8>| {
        raw.push(1); // Sub
        let mut prev = [0u8; 4];
        for x in xs {
            let p = pixel(x, y);
            for c in 0..4 {
                raw.push(p[c].wrapping_sub(prev[c]));
            }
            prev = p;
        }
    };
    if interlaced {
        for (x0, y0, dx, dy) in ADAM7 {
            if x0 >= w || y0 >= h {
                continue;
            }
            for y in (y0..h).step_by(dy as usize) {
                row(&mut (x0..w).step_by(dx as usize), y, &mut raw);
            }
        }
    } else {
        for y in 0..h {
            row(&mut (0..w), y, &mut raw);
        }
    }
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, interlaced as u8]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &zlib(&raw)));
    out.extend(chunk(b"IEND", b""));
    out
}

/// A picture that is not one flat colour (a downscaler that lost rows or columns would
/// show), yet compresses well.
pub fn stripes(x: u32, y: u32) -> [u8; 4] {
    [
        (x / 16 % 2 * 200) as u8,
        (y / 16 % 2 * 200) as u8,
        0x40,
        if (x / 64 + y / 64).is_multiple_of(5) {
            0
        } else {
            255
        },
    ]
}

/// Writes `bits` (most significant first) of `value` into a JPEG entropy-coded segment.
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn new() -> Bits {
        Bits {
            out: Vec::new(),
            acc: 0,
            n: 0,
        }
    }

    fn put(&mut self, value: u32, bits: u32) {
        for i in (0..bits).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                let b = self.acc as u8;
                self.out.push(b);
                if b == 0xff {
                    self.out.push(0);
                }
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        while self.n != 0 {
            self.put(1, 1);
        }
        self.out
    }
}

fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0xff, marker];
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// A Huffman table with one code (`0`, one bit) for `symbol`.
fn one_code_table(class_id: u8, symbol: u8) -> Vec<u8> {
    let mut t = vec![class_id, 1];
    t.extend_from_slice(&[0; 15]);
    t.push(symbol);
    t
}

/// A three-component YCbCr JPEG of `w`×`h`, a flat grey: every block is a zero DC
/// difference and an end-of-block, one bit each, so 25 megapixels fit in a few hundred
/// kilobytes. Full colour resolution (4:4:4) or chroma halved both ways (4:2:0); baseline
/// (one interleaved scan) or progressive (a DC scan, then one AC scan per component).
pub fn jpeg_flat(w: u16, h: u16, progressive: bool, subsampled: bool) -> Vec<u8> {
    let sampling: [(usize, usize); 3] = if subsampled {
        [(2, 2), (1, 1), (1, 1)]
    } else {
        [(1, 1); 3]
    };
    let (w_, h_) = (w as usize, h as usize);
    let (hmax, vmax) = (sampling[0].0, sampling[0].1);
    let (mcux, mcuy) = (w_.div_ceil(8 * hmax), h_.div_ceil(8 * vmax));
    let interleaved: usize = mcux * mcuy * sampling.iter().map(|(a, b)| a * b).sum::<usize>();
    // A scan of one component covers its own blocks, without the MCU padding.
    let alone = |(sh, sv): (usize, usize)| {
        (w_ * sh).div_ceil(hmax).div_ceil(8) * (h_ * sv).div_ceil(vmax).div_ceil(8)
    };
    let mut out = vec![0xff, 0xd8];
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1; 64]);
    out.extend(segment(0xdb, &dqt));
    let mut sof = vec![8];
    sof.extend_from_slice(&h.to_be_bytes());
    sof.extend_from_slice(&w.to_be_bytes());
    sof.push(3);
    for (id, (sh, sv)) in (1u8..=3).zip(sampling) {
        sof.extend_from_slice(&[id, (sh << 4 | sv) as u8, 0]);
    }
    out.extend(segment(if progressive { 0xc2 } else { 0xc0 }, &sof));
    out.extend(segment(0xc4, &one_code_table(0x00, 0)));
    out.extend(segment(0xc4, &one_code_table(0x10, 0)));
    let sos = |comps: &[u8], ss: u8, se: u8| {
        let mut s = vec![comps.len() as u8];
        for &c in comps {
            s.extend_from_slice(&[c, 0x00]);
        }
        s.extend_from_slice(&[ss, se, 0]);
        segment(0xda, &s)
    };
    let zeros = |blocks: usize, bits: u32| {
        let mut b = Bits::new();
        for _ in 0..blocks {
            b.put(0, bits);
        }
        b.finish()
    };
    if progressive {
        out.extend(sos(&[1, 2, 3], 0, 0));
        out.extend(zeros(interleaved, 1));
        for (c, s) in (1u8..=3).zip(sampling) {
            out.extend(sos(&[c], 1, 63));
            out.extend(zeros(alone(s), 1));
        }
    } else {
        out.extend(sos(&[1, 2, 3], 0, 63));
        out.extend(zeros(interleaved, 2));
    }
    out.extend_from_slice(&[0xff, 0xd9]);
    out
}

/// A lossless WebP of `w`×`h` drawn by `pixel`.
pub fn webp_lossless(w: u32, h: u32, pixel: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
    let mut data = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            data.extend_from_slice(&pixel(x, y));
        }
    }
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(&data, w, h, image_webp::ColorType::Rgba8)
        .unwrap();
    out
}

/// A GIF whose screen claims `w`×`h`, one 1×1 frame.
pub fn gif_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&w.to_le_bytes());
    out.extend_from_slice(&h.to_le_bytes());
    out.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
    out.extend_from_slice(&[0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    out.extend_from_slice(&[2, 2, 0x44, 0x01, 0, 0x3b]);
    out
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// An SVG of nearly `bytes` bytes that `input.image` accepts: a path of `segments` short
/// segments (at most 200,000) and, for the rest, a long `<desc>`.
pub fn svg_padded(bytes: usize, segments: u64) -> Vec<u8> {
    let mut d = String::from("M0 0");
    for i in 0..segments {
        d.push_str(&format!(" L{} {}", i % 997, (i * 7) % 311));
    }
    let head = format!(
        r##"<svg xmlns="{SVG_NS}" width="1000" height="320"><path d="{d}" fill="#0B5CAD"/><desc>"##
    );
    let tail = "</desc></svg>";
    let pad = bytes.saturating_sub(head.len() + tail.len());
    format!("{head}{}{tail}", "Логотип ".repeat(pad / "Логотип ".len())).into_bytes()
}

/// An SVG of one path with `n` segments (a zigzag across the whole picture).
pub fn svg_long_path(n: usize) -> Vec<u8> {
    let mut d = String::from("M0 0");
    for i in 0..n as u64 {
        d.push_str(&format!(" L{} {}", i % 997, (i * 7) % 311));
    }
    format!(
        r##"<svg xmlns="{SVG_NS}" width="1000" height="320"><path d="{d}" fill="#0B5CAD"/></svg>"##
    )
    .into_bytes()
}

/// A `<use>` bomb just past the limit of what usvg itself refuses: 140,000 copies, which
/// took usvg to 234 MB before the sanitizer counted them.
pub fn svg_use_bomb_140k() -> Vec<u8> {
    String::from_utf8(svg_use_bomb(5))
        .unwrap()
        .replace(
            "</defs><use xlink:href=\"#l5\"/>",
            "<g id=\"top\"><use xlink:href=\"#l5\"/><use xlink:href=\"#l4\"/><use xlink:href=\"#l4\"/><use xlink:href=\"#l4\"/><use xlink:href=\"#l4\"/></g></defs><use xlink:href=\"#top\"/>",
        )
        .into_bytes()
}

/// `<g>` nested `n` deep.
pub fn svg_deep(n: usize) -> Vec<u8> {
    format!(
        r##"<svg xmlns="{SVG_NS}" width="120" height="40">{}<rect width="9" height="9"/>{}</svg>"##,
        "<g>".repeat(n),
        "</g>".repeat(n)
    )
    .into_bytes()
}

/// `<use>` of `<use>`: `levels` levels of ten copies each (10^levels rectangles).
pub fn svg_use_bomb(levels: usize) -> Vec<u8> {
    let mut s = format!(
        r##"<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40"><defs><rect id="l0" width="1" height="1" fill="#0B5CAD"/>"##
    );
    for i in 1..=levels {
        s.push_str(&format!("<g id=\"l{i}\">"));
        for j in 0..10 {
            s.push_str(&format!("<use xlink:href=\"#l{}\" x=\"{j}\"/>", i - 1));
        }
        s.push_str("</g>");
    }
    s.push_str(&format!("</defs><use xlink:href=\"#l{levels}\"/></svg>"));
    s.into_bytes()
}

/// An SVG with `n` blurred, translucent circles (just under the node limit: filters are
/// the costly part of drawing).
pub fn svg_many_filters(n: usize) -> Vec<u8> {
    let mut s = format!(
        r#"<svg xmlns="{SVG_NS}" width="1000" height="320"><defs><filter id="b" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="40"/></filter></defs>"#
    );
    for i in 0..n {
        s.push_str(&format!(
            r##"<circle cx="{}" cy="{}" r="300" fill="#0B5CAD" opacity="0.5" filter="url(#b)"/>"##,
            i % 1000,
            i % 320
        ));
    }
    s.push_str("</svg>");
    s.into_bytes()
}

/// An SVG as large as the sides allow: 50 : 1 at a huge size.
pub fn svg_huge_canvas() -> Vec<u8> {
    format!(r##"<svg xmlns="{SVG_NS}" width="5000000" height="100000"><rect width="5000000" height="100000" fill="#0B5CAD"/></svg>"##).into_bytes()
}

/// The images of `tools/hostile-limits.sh`: (file name, bytes, whether `check` must accept
/// it as the organizer logo).
pub fn limit_images() -> Vec<(&'static str, Vec<u8>, bool)> {
    const MB: usize = 1024 * 1024;
    vec![
        ("png-25mp.png", png_rgba(5000, 5000, false, stripes), true),
        (
            "png-25mp-interlaced.png",
            png_rgba(5000, 5000, true, stripes),
            true,
        ),
        ("png-50to1.png", png_rgba(35000, 700, false, stripes), true),
        ("png-26mp.png", png_rgba(5100, 5100, false, stripes), false),
        ("jpeg-25mp.jpg", jpeg_flat(5000, 5000, false, false), true),
        (
            "jpeg-25mp-420-progressive.jpg",
            jpeg_flat(5000, 5000, true, true),
            true,
        ),
        (
            "jpeg-25mp-444-progressive.jpg",
            jpeg_flat(5000, 5000, true, false),
            false,
        ),
        ("webp-25mp.webp", webp_lossless(5000, 5000, stripes), true),
        ("gif-65535.gif", gif_claiming(65535, 65535), false),
        ("svg-10mb.svg", svg_padded(10 * MB - 1024, 150_000), true),
        ("svg-1m-segments.svg", svg_long_path(1_000_000), false),
        ("svg-30000-filters.svg", svg_many_filters(30_000), false),
        ("svg-use-bomb.svg", svg_use_bomb(5), false),
        ("svg-use-bomb-140k.svg", svg_use_bomb_140k(), false),
        ("svg-50000-deep.svg", svg_deep(50_000), false),
        ("svg-huge-canvas.svg", svg_huge_canvas(), true),
    ]
}

/// Writes [`limit_images`] into `$BXLAND_LIMIT_IMAGES` (run by `tools/hostile-limits.sh`),
/// with `expected.txt` giving the exit code `check` must give for each (0 or 1).
#[test]
#[ignore]
fn write_limit_images() {
    let dir = std::path::PathBuf::from(
        std::env::var_os("BXLAND_LIMIT_IMAGES").expect("BXLAND_LIMIT_IMAGES names a folder"),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let mut accepted = String::new();
    for (name, bytes, ok) in limit_images() {
        std::fs::write(dir.join(name), &bytes).unwrap();
        accepted.push_str(&format!("{name} {}\n", if ok { 0 } else { 1 }));
        println!("{name}: {} bytes", bytes.len());
    }
    std::fs::write(dir.join("expected.txt"), accepted).unwrap();
}
