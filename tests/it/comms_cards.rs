//! The announcement cards: their sizes, and the organizer's logo checked on the pixels of the
//! rendered PNG (not only in the SVG).

use crate::support::comms_common;

use bxland::comms::cards::{self, Layout, SQUARE, WIDE};
use bxland::comms::{self, CardError, CommsError};
use comms_common::*;
use resvg::tiny_skia::Pixmap;

/// A square logo that is pure magenta (#FF00FF), a colour nothing else on the card uses.
const MAGENTA_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><rect width="100" height="100" fill="#FF00FF"/></svg>"##;
const GREEN_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><rect width="100" height="100" fill="#00A000"/></svg>"##;

fn with_logo(file: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = event_dir(|t| {
        replace_once(
            t,
            "logo = \"assets/logo.svg\"",
            &format!("logo = \"assets/{file}\""),
        )
    });
    std::fs::write(dir.path().join("assets").join(file), bytes).unwrap();
    dir
}

fn card(files: &[(String, Vec<u8>)], name: &str) -> Pixmap {
    let png = &files
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    Pixmap::decode_png(png).unwrap()
}

/// Pixels near magenta, inside and outside the layout's logo box.
fn magenta(p: &Pixmap, l: &Layout) -> (usize, usize) {
    let (mut inside, mut outside) = (0, 0);
    for y in 0..p.height() {
        for x in 0..p.width() {
            let c = p.pixel(x, y).unwrap();
            if c.red() > 230 && c.green() < 40 && c.blue() > 230 {
                let r = l.logo;
                let inb = (x as f32) >= r.x
                    && (x as f32) < r.x + r.w
                    && (y as f32) >= r.y
                    && (y as f32) < r.y + r.h;
                if inb {
                    inside += 1;
                } else {
                    outside += 1;
                }
            }
        }
    }
    (inside, outside)
}

#[test]
fn cards_have_their_sizes() {
    let files = comms::export_announce(&load(&example_dir())).unwrap();
    let wide = card(&files, "card-1200x630.png");
    assert_eq!((wide.width(), wide.height()), (1200, 630));
    let square = card(&files, "card-1080x1080.png");
    assert_eq!((square.width(), square.height()), (1080, 1080));
    assert_eq!(comms::OG_IMAGE, "announce/card-1200x630.png");
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert!(names.contains(&"post.txt"));
    assert!(!names.contains(&"cold-mail.txt"));
}

#[test]
fn organizer_logo_is_on_the_pixels_svg_and_png() {
    // SVG logo.
    let dir = with_logo("magenta.svg", MAGENTA_SVG.as_bytes());
    let files = comms::export_announce(&load(dir.path())).unwrap();
    for (name, l) in [("card-1200x630.png", WIDE), ("card-1080x1080.png", SQUARE)] {
        let (inside, outside) = magenta(&card(&files, name), &l);
        // A square logo fitted to the box's height covers h×h pixels.
        let expected = (l.logo.h * l.logo.h) as usize;
        assert!(inside > expected * 9 / 10, "{name}: {inside} of {expected}");
        assert_eq!(outside, 0, "{name}");
    }
    // PNG logo.
    let mut px = Pixmap::new(40, 20).unwrap();
    px.fill(resvg::tiny_skia::Color::from_rgba8(255, 0, 255, 255));
    let dir = with_logo("magenta.png", &px.encode_png().unwrap());
    let files = comms::export_announce(&load(dir.path())).unwrap();
    let (inside, _) = magenta(&card(&files, "card-1200x630.png"), &WIDE);
    assert!(
        inside > (WIDE.logo.w * WIDE.logo.h) as usize / 2,
        "{inside}"
    );

    // Another logo: no magenta anywhere, so the count above is the logo's.
    let dir = with_logo("green.svg", GREEN_SVG.as_bytes());
    let files = comms::export_announce(&load(dir.path())).unwrap();
    assert_eq!(magenta(&card(&files, "card-1200x630.png"), &WIDE), (0, 0));
}

#[test]
fn card_text_is_drawn_with_the_shipped_font() {
    // The title's box is not empty: the glyphs came from the embedded DejaVu Sans.
    let files = comms::export_announce(&load(&example_dir())).unwrap();
    let p = card(&files, "card-1200x630.png");
    let dark = (0..p.width())
        .flat_map(|x| (200..330).map(move |y| (x, y)))
        .filter(|&(x, y)| {
            let c = p.pixel(x, y).unwrap();
            c.red() < 60 && c.green() < 60 && c.blue() < 60
        })
        .count();
    assert!(dark > 5000, "{dark}");
    assert!(cards::text_width("Бесплатно, нужна регистрация", 28.0, true) > 300.0);
    let svg = String::from_utf8(
        files
            .iter()
            .find(|f| f.0 == "card-1200x630.svg")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(svg.contains("Бесплатно, нужна регистрация"));
    assert!(svg.contains("по времени Алматы (UTC+5)"));
    assert!(svg.contains("При поддержке"));
}

#[test]
fn no_card_without_the_organizer_logo() {
    let dir = event_dir(|t| replace_once(t, "logo = \"assets/logo.svg\"\n", ""));
    let ev = load(dir.path());
    assert_eq!(
        comms::export_announce(&ev).unwrap_err(),
        CommsError::Card(CardError::NoLogo)
    );
    let r = bxland::check::check_dir(
        dir.path(),
        date(2026, 11, 25),
        &bxland::render::ThemeCache::new(),
    );
    assert!(r.diagnostics.iter().any(|d| d.rule == "announce.logo"));
}

#[test]
fn the_bitrix24_mark_may_not_stand_in_for_the_organizer_logo() {
    let dir = event_dir(|t| {
        replace_once(
            t,
            "logo = \"assets/logo.svg\"",
            "logo = \"assets/bitrix24.svg\"",
        )
    });
    let toml = std::fs::read_to_string(dir.path().join("event.toml")).unwrap();
    let r = bxland::check::check_dir(
        dir.path(),
        date(2026, 11, 25),
        &bxland::render::ThemeCache::new(),
    )
    .json(bxland::i18n::Lang::Ru);
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "announce.logo")
        .collect();
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(
        d[0].line,
        Some(line_col(&toml, "logo = \"assets/bitrix24.svg\"").0)
    );
}

#[test]
fn a_logo_the_renderer_cannot_read_is_refused() {
    let dir = with_logo(
        "broken.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect",
    );
    let r = bxland::check::check_dir(
        dir.path(),
        date(2026, 11, 25),
        &bxland::render::ThemeCache::new(),
    );
    assert!(
        r.diagnostics.iter().any(|d| d.rule == "announce.logo"),
        "{:#?}",
        r.diagnostics
    );
    assert!(matches!(
        comms::export_announce(&load(dir.path())),
        Err(CommsError::Card(CardError::Logo(_)))
    ));
}
