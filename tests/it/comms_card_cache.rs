//! The card renderer's speed-ups must not change the cards: the static layer drawn once per
//! process gives the same pixels as the whole SVG, fast text measurement agrees with usvg,
//! and the on-disk PNG cache (`BXLAND_CACHE_DIR`, `--no-cache`) serves identical bytes, never
//! a stale or broken entry, and never stops a build.

use crate::support::comms_common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use bxland::comms::card_cache::{self, DiskCache};
use bxland::comms::cards::{self, CardContent, Layout, LAYOUTS, SQUARE, WIDE};
use comms_common::*;
use resvg::tiny_skia::{Color, Pixmap};

fn pixels(png: &[u8]) -> Pixmap {
    Pixmap::decode_png(png).expect("a PNG")
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

fn pngs(files: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .filter(|f| f.0.ends_with(".png"))
        .cloned()
        .collect()
}

/// The cache entries in `dir` (file names ending in .png).
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".png"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn bxland(cache: &Path) -> Command {
    let mut c = Command::cargo_bin("bxland").unwrap();
    c.env("BXLAND_CACHE_DIR", cache)
        .env_remove("XDG_CACHE_HOME")
        .env("HOME", cache.join("no-home"));
    c
}

fn build(cache: &Path, event: &Path, out: &Path, extra: &[&str]) {
    bxland(cache)
        .args([
            "build",
            "--today",
            "2026-11-25",
            "--target",
            "announce",
            "--out",
        ])
        .arg(out)
        .arg(event)
        .args(extra)
        .assert()
        .code(0);
}

fn built_card(out: &Path, name: &str) -> Vec<u8> {
    // Whatever the slug: the one event folder under `out`.
    let dir = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .find(|e| e.path().join("announce").is_dir())
        .expect("a built event")
        .path();
    std::fs::read(dir.join("announce").join(name)).unwrap()
}

fn solid_png(w: u32, h: u32, c: Color) -> Vec<u8> {
    let mut p = Pixmap::new(w, h).unwrap();
    p.fill(c);
    p.encode_png().unwrap()
}

/// Puts a one-colour PNG of the wide card's size into the cache at `cache_root`, under the
/// key of the example event's wide card; returns its bytes.
fn plant_wide_card(cache_root: &Path, color: Color) -> Vec<u8> {
    let c = cards::content(&load(&example_dir())).unwrap();
    let key = card_cache::key(&cards::svg(&c, &WIDE));
    let planted = solid_png(WIDE.width, WIDE.height, color);
    std::fs::create_dir_all(cache_root.join("cards")).unwrap();
    std::fs::write(
        cache_root.join("cards").join(format!("{key}.png")),
        &planted,
    )
    .unwrap();
    planted
}

fn with_title(title: &str) -> tempfile::TempDir {
    event_dir(|t| {
        let line = t
            .lines()
            .find(|l| l.starts_with("title = "))
            .expect("a title line")
            .to_string();
        replace_once(t, &line, &format!("title = \"{title}\""))
    })
}

// ---------------------------------------------------------------- same pixels as before

fn content_variants() -> Vec<CardContent> {
    let base = cards::content(&load(&example_dir())).unwrap();
    let mut v = vec![base.clone()];
    let mut long = base.clone();
    long.title = "Очень длинное название вебинара о внедрении CRM Битрикс24 для отдела продаж, \
                  складской логистики, бухгалтерии, юристов и всех остальных подразделений компании"
        .into();
    v.push(long);
    let mut no_partner = base.clone();
    no_partner.partner = None;
    v.push(no_partner);
    // A badge long enough to run under the partner block, a two-line date, a light accent.
    let mut wide_badge = base.clone();
    wide_badge.free = "Бесплатно, нужна регистрация — участие по предварительной записи".into();
    wide_badge.when = format!("{} {}", base.when, base.when);
    wide_badge.accent = (0xFF, 0xD0, 0x00);
    v.push(wide_badge);
    v
}

#[test]
fn layered_rendering_draws_the_same_pixels_as_the_whole_svg() {
    for (i, c) in content_variants().iter().enumerate() {
        for l in LAYOUTS {
            let (svg, png) = cards::render_card(c, l, None).unwrap();
            assert_eq!(svg, cards::svg(c, l));
            let whole = pixels(&cards::render_png(&svg).unwrap());
            let layered = pixels(&png);
            assert_eq!((layered.width(), layered.height()), (l.width, l.height));
            let differ = whole
                .pixels()
                .iter()
                .zip(layered.pixels())
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(differ, 0, "variant {i}, {}", l.name);
        }
    }
}

#[test]
fn the_partner_block_overlapping_the_text_is_exercised() {
    // The long-badge variant matches the whole SVG (checked above) only if the partner is
    // drawn after the text, as in the SVG: make sure that case is really there.
    let c = &content_variants()[3];
    for l in LAYOUTS {
        let svg = cards::svg(c, l);
        let badge_w: f32 = svg
            .split(&format!("<rect x=\"{}\" y=\"", l.margin))
            .nth(1)
            .and_then(|s| s.split("width=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("the badge");
        assert!(l.margin + badge_w > l.partner.x, "{}: {badge_w}", l.name);
        assert!(svg.contains(&c.partner_label));
    }
}

#[test]
fn opaque_cards_are_rgb_pngs() {
    let files = cards::render_all_with(&load(&example_dir()), None).unwrap();
    for l in LAYOUTS {
        let png = file(&files, l.name);
        assert!(card_cache::valid_png(png, l.width, l.height));
        // IHDR colour type 2: truecolour without alpha.
        assert_eq!(png[25], 2, "{}", l.name);
        assert!(pixels(png).pixels().iter().all(|p| p.alpha() == 255));
    }
}

#[test]
fn fast_text_measurement_agrees_with_usvg() {
    let ev = load(&example_dir());
    let c = cards::content(&ev).unwrap();
    let mut corpus: Vec<String> = vec![
        c.title.clone(),
        c.when.clone(),
        c.free.clone(),
        c.partner_label.clone(),
        "Битрикс24 для отдела продаж: воронки, роботы и отчёты (поток 17)".into(),
        "Сайт на «1С-Битрикс: Управление сайтом» — от макета до заявок…".into(),
        "AVATAR Wave, To: fi fl ffi «Ёлка» Қазақстан өңірлері үшін".into(),
        "Онлайн · 18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)".into(),
        "x".into(),
        "W".into(),
        "ТОО «Алтын Софт» — внедрение и сопровождение".into(),
        // Measured the slow way (white space SVG collapses, right-to-left text): same API.
        "  два  пробела ".into(),
        "таб\tи\nстрока".into(),
        "שלום עולם and Latin".into(),
        "مرحبا".into(),
    ];
    // Every prefix of words, as word wrapping measures them.
    let words: Vec<String> = corpus[0].split_whitespace().map(String::from).collect();
    for n in 1..=words.len() {
        corpus.push(words[..n].join(" "));
    }
    for s in &corpus {
        for size in [19.2, 28.0, 36.0, 54.0, 64.0] {
            for bold in [false, true] {
                let fast = cards::text_width(s, size, bold);
                let slow = cards::text_width_usvg(s, size, bold);
                assert!(
                    (fast - slow).abs() < 0.001,
                    "{s:?} {size} bold={bold}: {fast} vs {slow}"
                );
            }
        }
    }
    assert_eq!(cards::text_width("", 28.0, true), 0.0);
}

// ---------------------------------------------------------------- the disk cache

#[test]
fn a_warm_cache_gives_identical_pngs_without_rendering() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(tmp.path().join("cards")).unwrap();
    let ev = load(&example_dir());
    let cold = cards::render_all_with(&ev, Some(&cache)).unwrap();
    assert_eq!((cache.hits(), cache.stores()), (0, 2));
    assert_eq!(entries(cache.dir()).len(), 2);
    let warm = cards::render_all_with(&ev, Some(&cache)).unwrap();
    assert_eq!((cache.hits(), cache.stores()), (2, 2));
    assert_eq!(cold, warm);
    // And the same as without any cache.
    assert_eq!(
        pngs(&cards::render_all_with(&ev, None).unwrap()),
        pngs(&cold)
    );
}

#[test]
fn the_build_uses_a_cached_card_instead_of_rendering() {
    let tmp = tempfile::tempdir().unwrap();
    let cache_root = tmp.path().join("cache");
    let c = cards::content(&load(&example_dir())).unwrap();
    // A marked PNG of the right size under the wide card's key.
    let planted = plant_wide_card(&cache_root, Color::from_rgba8(255, 0, 255, 255));

    let out = tmp.path().join("out");
    build(&cache_root, &example_dir(), &out, &[]);
    assert_eq!(built_card(&out, WIDE.name), planted);
    // The square card was rendered and stored beside it.
    let square = built_card(&out, SQUARE.name);
    assert!(card_cache::valid_png(&square, SQUARE.width, SQUARE.height));
    let square_key = card_cache::key(&cards::svg(&c, &SQUARE));
    assert_eq!(
        std::fs::read(cache_root.join("cards").join(format!("{square_key}.png"))).unwrap(),
        square
    );
    // The SVG beside the PNG is still the whole card.
    let svg_name = WIDE.name.replace(".png", ".svg");
    let svg = String::from_utf8(built_card(&out, &svg_name)).unwrap();
    assert_eq!(svg, cards::svg(&c, &WIDE));
    assert!(svg.contains("data:image/svg+xml;base64,"));
}

#[test]
fn a_second_build_gives_byte_identical_cards() {
    let tmp = tempfile::tempdir().unwrap();
    let cache_root = tmp.path().join("cache");
    let (out1, out2) = (tmp.path().join("o1"), tmp.path().join("o2"));
    build(&cache_root, &example_dir(), &out1, &[]);
    let stored = entries(&cache_root.join("cards"));
    assert_eq!(stored.len(), 2, "{stored:?}");
    let mtimes = |d: &Path| -> Vec<SystemTime> {
        entries(d)
            .iter()
            .map(|n| d.join(n).metadata().unwrap().modified().unwrap())
            .collect()
    };
    let before = mtimes(&cache_root.join("cards"));
    build(&cache_root, &example_dir(), &out2, &[]);
    assert_eq!(entries(&cache_root.join("cards")), stored);
    // Not rewritten.
    assert_eq!(mtimes(&cache_root.join("cards")), before);
    for l in LAYOUTS {
        assert_eq!(built_card(&out1, l.name), built_card(&out2, l.name));
    }
    // And what a build without the cache makes.
    let out3 = tmp.path().join("o3");
    build(&cache_root, &example_dir(), &out3, &["--no-cache"]);
    for l in LAYOUTS {
        assert_eq!(built_card(&out1, l.name), built_card(&out3, l.name));
    }
}

#[test]
fn a_changed_title_is_a_different_key_and_card() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(tmp.path().join("cards")).unwrap();
    let a = with_title("Битрикс24 для отдела продаж");
    let b = with_title("Битрикс24 для отдела закупок");
    let (ea, eb) = (load(a.path()), load(b.path()));
    let (ca, cb) = (cards::content(&ea).unwrap(), cards::content(&eb).unwrap());
    assert_ne!(
        card_cache::key(&cards::svg(&ca, &WIDE)),
        card_cache::key(&cards::svg(&cb, &WIDE))
    );
    let fa = cards::render_all_with(&ea, Some(&cache)).unwrap();
    let fb = cards::render_all_with(&eb, Some(&cache)).unwrap();
    assert_eq!((cache.hits(), cache.stores()), (0, 4));
    assert_eq!(entries(cache.dir()).len(), 4);
    for l in LAYOUTS {
        assert_ne!(file(&fa, l.name), file(&fb, l.name), "{}", l.name);
    }
}

#[test]
fn the_key_covers_the_logo_and_the_accent() {
    let c = cards::content(&load(&example_dir())).unwrap();
    let k = |c: &CardContent, l: &Layout| card_cache::key(&cards::svg(c, l));
    let mut other_logo = c.clone();
    other_logo.logo = cards::embed_bytes(
        br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#00A000"/></svg>"##,
    )
    .unwrap();
    let mut other_accent = c.clone();
    other_accent.accent = (1, 2, 3);
    let keys = [
        k(&c, &WIDE),
        k(&c, &SQUARE),
        k(&other_logo, &WIDE),
        k(&other_accent, &WIDE),
    ];
    for (i, a) in keys.iter().enumerate() {
        assert_eq!(a.len(), 64);
        for b in &keys[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn broken_entries_are_rendered_again_and_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(tmp.path().join("cards")).unwrap();
    let ev = load(&example_dir());
    let c = cards::content(&ev).unwrap();
    let reference = cards::render_card(&c, &WIDE, None).unwrap().1;
    let path = cache.path(&card_cache::key(&cards::svg(&c, &WIDE)));
    let good_square = solid_png(SQUARE.width, SQUARE.height, Color::WHITE);
    let mut flipped = reference.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let broken: [&[u8]; 5] = [
        b"not a png at all",
        &reference[..reference.len() / 2], // truncated
        &flipped,                          // a bit flipped inside the image data
        &good_square,                      // a whole PNG of the wrong size
        b"",
    ];
    for (i, bad) in broken.iter().enumerate() {
        std::fs::write(&path, bad).unwrap();
        assert!(!card_cache::valid_png(bad, WIDE.width, WIDE.height), "{i}");
        let (_, png) = cards::render_card(&c, &WIDE, Some(&cache)).unwrap();
        assert_eq!(png, reference, "case {i}");
        assert_eq!(std::fs::read(&path).unwrap(), reference, "case {i}");
    }
    assert_eq!(cache.hits(), 0);
    assert_eq!(cache.stores(), broken.len());
    assert!(card_cache::valid_png(&reference, WIDE.width, WIDE.height));
}

#[test]
fn no_cache_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cache_root = tmp.path().join("cache");
    let out = tmp.path().join("out");
    build(&cache_root, &example_dir(), &out, &["--no-cache"]);
    assert!(!cache_root.exists(), "the cache folder was created");
    assert!(card_cache::valid_png(
        &built_card(&out, WIDE.name),
        WIDE.width,
        WIDE.height
    ));
    // A planted entry is not read either.
    let planted = plant_wide_card(&cache_root, Color::BLACK);
    let out2 = tmp.path().join("out2");
    build(&cache_root, &example_dir(), &out2, &["--no-cache"]);
    assert_ne!(built_card(&out2, WIDE.name), planted);
    assert_eq!(entries(&cache_root.join("cards")).len(), 1);
}

#[test]
fn an_unusable_cache_folder_does_not_stop_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    // A file where the cache folder should be: it can be neither created nor written
    // (this holds for root too, unlike permissions).
    let blocker = tmp.path().join("cache");
    std::fs::write(&blocker, b"a file").unwrap();
    let out = tmp.path().join("out");
    build(&blocker, &example_dir(), &out, &[]);
    for l in LAYOUTS {
        assert!(card_cache::valid_png(
            &built_card(&out, l.name),
            l.width,
            l.height
        ));
    }
    assert!(DiskCache::open(blocker.join("cards")).is_none());
}

#[test]
fn the_cache_folder_follows_the_environment() {
    // Through the binary, so this process's environment is not changed under other tests.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let xdg = tmp.path().join("xdg");
    Command::cargo_bin("bxland")
        .unwrap()
        .env_remove("BXLAND_CACHE_DIR")
        .env("XDG_CACHE_HOME", &xdg)
        .env("HOME", tmp.path().join("home"))
        .args([
            "build",
            "--today",
            "2026-11-25",
            "--target",
            "announce",
            "--out",
        ])
        .arg(&out)
        .arg(example_dir())
        .assert()
        .code(0);
    assert_eq!(entries(&xdg.join("bxland").join("cards")).len(), 2);
    let home = tmp.path().join("home");
    let out2 = tmp.path().join("out2");
    Command::cargo_bin("bxland")
        .unwrap()
        .env_remove("BXLAND_CACHE_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env("HOME", &home)
        .args([
            "build",
            "--today",
            "2026-11-25",
            "--target",
            "announce",
            "--out",
        ])
        .arg(&out2)
        .arg(example_dir())
        .assert()
        .code(0);
    assert_eq!(
        entries(&home.join(".cache").join("bxland").join("cards")).len(),
        2
    );
}

#[test]
fn entries_unused_for_a_month_are_swept_once_a_day() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = DiskCache::open(tmp.path().join("cards")).unwrap();
    let png = solid_png(4, 4, Color::WHITE);
    let (old, fresh) = ("a".repeat(64), "b".repeat(64));
    // Written directly: `put` and `get` run the once-a-day sweep themselves.
    std::fs::write(cache.path(&old), &png).unwrap();
    std::fs::write(cache.path(&fresh), &png).unwrap();
    let stray = cache.dir().join("notes.txt");
    std::fs::write(&stray, b"not ours").unwrap();
    let now = SystemTime::now();
    let days = |n: u64| now - Duration::from_secs(n * 24 * 3600);
    for p in [cache.path(&old), stray.clone()] {
        std::fs::File::options()
            .append(true)
            .open(&p)
            .unwrap()
            .set_modified(days(40))
            .unwrap();
    }
    // No stamp yet: the sweep runs.
    assert_eq!(cache.sweep(now, 30), 1);
    assert!(!cache.path(&old).exists());
    assert!(cache.path(&fresh).exists());
    assert!(stray.exists(), "files that are not entries stay");
    // Swept less than a day ago: no second sweep.
    std::fs::write(cache.path(&old), &png).unwrap();
    std::fs::File::options()
        .append(true)
        .open(cache.path(&old))
        .unwrap()
        .set_modified(days(40))
        .unwrap();
    assert_eq!(cache.sweep(now, 30), 0);
    assert!(cache.path(&old).exists());
    // A day later it runs again.
    assert_eq!(cache.sweep(now + Duration::from_secs(25 * 3600), 30), 1);
    // A hit keeps an entry alive: its time is refreshed.
    std::fs::write(cache.path(&old), &png).unwrap();
    std::fs::File::options()
        .append(true)
        .open(cache.path(&old))
        .unwrap()
        .set_modified(days(40))
        .unwrap();
    assert!(cache.get(&old, 4, 4).is_some());
    let age = now
        .duration_since(cache.path(&old).metadata().unwrap().modified().unwrap())
        .unwrap_or_default();
    assert!(age < Duration::from_secs(3600), "{age:?}");
}
