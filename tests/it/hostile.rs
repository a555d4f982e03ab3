//! The hostile-input corpus of issue 21: one case per numbered point (and those found on the
//! way), each a mutation of `example-event` with the exit code and rule id it must give.
//! Every case runs both `check` (human output, where annotate-snippets once panicked) and,
//! where `check` accepts, `build` (every target), each under a time limit: nothing panics,
//! nothing hangs.
//!
//! Where each point of the issue is tested (memory and seconds at the limits are measured by
//! `tools/hostile-limits.sh`, never in a test):
//!
//! 1. Spans over 5+ lines: cases `p1-*` here; `diag::tests::spans_of_any_shape_render_without_panicking`
//!    (spans of 1–50 lines, at line ends, on empty lines, CRLF, multi-byte) and
//!    `a_span_over_five_lines_shows_its_first_line`; in `serve`: `hostile_serve::serve_survives_hostile_saves`.
//! 2. Broken images: `p2-*` (logo, photo, gallery; PNG, JPEG, WebP, empty);
//!    `event::image` unit tests.
//! 3. Images claiming huge sizes: `p3-*` (PNG 100000², JPEG 65500², WebP 16383², a
//!    progressive JPEG whose coefficients would take 150 MB); big logos reach the cards
//!    scaled down: `big_logos_go_into_the_cards_scaled_down`, `scaled_copies_do_not_depend_on_the_encoding`.
//! 4. SVG of absurd size: `p4-svg-absurd-size`; `event::image::tests::an_svg_of_absurd_size_is_refused`.
//! 5. Huge `followup_after_days`: `p5-*` (i64::MAX, 10^8: a warning, built at once);
//!    generated in `hostile_prop` (`Mutation::FollowupDays`); `serve` rebuilds: `hostile_serve`.
//! 6. FIFOs: `p6-*` (event.toml, program.lock, logo, a theme file); `event::files` unit tests;
//!    `serve` with a FIFO for event.toml, then Ctrl-C: `hostile_serve::serve_survives_hostile_saves`.
//! 7. `.ics` injection: `p7-*`; every generated build's `.ics` lines are checked
//!    (`hostile_prop::check_outputs`: content lines only, no `ATTENDEE`).
//! 8. Scripts in SVGs: `p8-*`, `found-svg-*`; `outputs_ship_the_sanitized_svg` (page, archive,
//!    cards); `event::image::tests::scripts_handlers_links_and_foreign_objects_are_refused_and_removed`.
//! 9. Inputs that took minutes: `p9-*` under the time limit (date 9999, 12 KB title, 10,000
//!    «Вы», 10,000 program items, 4 MB of «Вы», 11 MB image);
//!    `comms::cards::tests::fitting_a_huge_title_is_not_quadratic`.
//! 10. `check` passes, `build` fails: `p10-*` (control characters, `<svg` in names and
//!     captions, `javascript:` links and contacts); every case `check` accepts is built;
//!     `hostile_prop::generated_events_never_panic_and_what_check_accepts_builds`.
//! 11. Bitrix mail macros and CR/LF: `p11-*`; `site_management_archive::hostile_strings_come_out_as_inert_text`
//!     (`#EMAIL#` cannot form a macro in a mail template).
//! 12. `serve` Host/Origin: `hostile_serve::foreign_hosts_and_cross_origin_posts_are_refused`.
//! 13. Read-only output folder: `a_read_only_output_folder_is_replaced_and_nothing_is_left`
//!     (as an unprivileged user); `export::tests::a_read_only_output_folder_leaves_nothing_behind`.

use crate::support::common;

#[path = "hostile_images.rs"]
pub mod images;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{bxland, Scratch, TODAY};

/// A PNG chunk.
fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    out.extend_from_slice(&h.finalize().to_be_bytes());
    out
}

fn png(width: u32, height: u32, idat: &[u8]) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", idat));
    out.extend(chunk(b"IEND", b""));
    out
}

fn real_png() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/render/kk-event/assets/dala-logo.png"),
    )
    .unwrap()
}

/// A 1×1 baseline JPEG.
const JPEG: &[u8] = &[
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x01, 0x00, 0x48,
    0x00, 0x48, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc2, 0x00, 0x0b, 0x08, 0x00,
    0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00,
    0x08, 0x01, 0x01, 0x00, 0x01, 0x3f, 0x10, 0xff, 0xd9,
];

/// A 1×1 lossless WebP.
const WEBP: &[u8] = &[
    0x52, 0x49, 0x46, 0x46, 0x1a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x4c,
    0x0d, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe,
    0x07, 0x00,
];

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// A copy of the repository's theme `name` in the event's `mytheme/` folder, which the event
/// now uses: the folder.
fn own_theme(s: &Scratch, name: &str) -> std::path::PathBuf {
    let theme = s.dir().join("mytheme");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes")
            .join(name),
        &theme,
    );
    s.replace("name = \"default\"", "name = \"./mytheme\"");
    theme
}

/// Sets a photo on the first speaker (the file under assets/).
fn photo(s: &Scratch, name: &str, bytes: &[u8]) {
    std::fs::write(s.dir().join("assets").join(name), bytes).unwrap();
    s.replace(
        "[speakers.saparova]\n",
        &format!("[speakers.saparova]\nphoto = \"assets/{name}\"\n"),
    );
}

fn gallery(s: &Scratch, name: &str, bytes: &[u8]) {
    std::fs::write(s.dir().join("assets").join(name), bytes).unwrap();
    s.append(&format!(
        "[[gallery]]\nimage = \"assets/{name}\"\ncaption = \"Прошлый вебинар\"\nsource = \"own\"\n"
    ));
}

fn logo(s: &Scratch, svg: &str) {
    std::fs::write(s.dir().join("assets/logo.svg"), svg).unwrap();
}

struct Case {
    name: &'static str,
    setup: fn(&Scratch),
    /// Exit code of `check`.
    code: i32,
    /// A rule id that must be among the diagnostics (`None`: nothing required).
    rule: Option<&'static str>,
}

const SVG_HEAD: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">"#;

fn cases() -> Vec<Case> {
    vec![
        // 1. Spans over 5+ lines in the human output.
        Case {
            name: "p1-empty-multiline-audience",
            code: 1,
            rule: Some("event.audience"),
            setup: |s| {
                let t = s.toml();
                let start = t.find("audience = \"\"\"").unwrap();
                let end = start + t[start + 14..].find("\"\"\"").unwrap() + 17;
                s.set_toml(&format!(
                    "{}audience = \"\"\"\n\n\n\n\"\"\"{}",
                    &t[..start],
                    &t[end..]
                ));
            },
        },
        Case {
            name: "p1-wrong-type-array-over-5-lines",
            code: 2,
            rule: Some("input.parse"),
            setup: |s| {
                s.replace(
                    "products = [\"Битрикс24\"]",
                    "products = [\n  1,\n  2,\n  3,\n  4,\n]",
                );
            },
        },
        Case {
            name: "p1-crlf-file",
            code: 1,
            rule: Some("event.audience"),
            setup: |s| {
                let t = s.toml();
                let start = t.find("audience = \"\"\"").unwrap();
                let end = start + t[start + 14..].find("\"\"\"").unwrap() + 17;
                let t = format!(
                    "{}audience = \"\"\"\n\n\n\n\n\n\"\"\"{}",
                    &t[..start],
                    &t[end..]
                );
                s.set_toml(&t.replace('\n', "\r\n"));
            },
        },
        // 2. Broken images.
        Case {
            name: "p2-corrupt-png-gallery",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                let mut b = real_png();
                for x in &mut b[60..90] {
                    *x = 0;
                }
                gallery(s, "corrupt.png", &b);
            },
        },
        Case {
            name: "p2-bad-crc-png-photo",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                let mut b = real_png();
                b[29] ^= 0xff;
                photo(s, "crc.png", &b);
            },
        },
        Case {
            name: "p2-truncated-jpeg-photo",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                photo(s, "half.jpg", &JPEG[..JPEG.len() / 2]);
            },
        },
        Case {
            name: "p2-corrupt-webp-gallery",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                let mut b = WEBP.to_vec();
                for x in &mut b[20..] {
                    *x = 0xff;
                }
                gallery(s, "bad.webp", &b);
            },
        },
        Case {
            name: "p2-empty-png-photo",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                photo(s, "empty.png", b"");
            },
        },
        Case {
            name: "p2-good-jpeg-and-webp-pass",
            code: 0,
            rule: None,
            setup: |s| {
                photo(s, "ok.jpg", JPEG);
                gallery(s, "ok.webp", WEBP);
            },
        },
        // 3. A tiny PNG claiming 100000×100000.
        Case {
            name: "p3-png-claiming-10-gigapixels",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                gallery(
                    s,
                    "huge.png",
                    &png(
                        100_000,
                        100_000,
                        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
                    ),
                );
            },
        },
        // 4. An SVG of absurd proportions.
        Case {
            name: "p4-svg-absurd-size",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                logo(
                    s,
                    r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000000" height="0.0001"><rect width="1" height="1"/></svg>"#,
                );
            },
        },
        // 5. A huge follow-up delay: a warning, and build finishes at once.
        Case {
            name: "p5-followup-after-i64-max-days",
            code: 0,
            rule: Some("mail.followup"),
            setup: |s| {
                s.replace(
                    "sms = true\n",
                    "sms = true\nfollowup_after_days = 9223372036854775807\n",
                );
            },
        },
        // 6. FIFOs where files are read.
        Case {
            name: "p6-fifo-event-toml",
            code: 2,
            rule: Some("input.parse"),
            setup: |s| {
                mkfifo(&s.toml_path());
            },
        },
        Case {
            name: "p6-fifo-program-lock",
            code: 1,
            rule: Some("program.changed-after-approval"),
            setup: |s| {
                mkfifo(&s.dir().join("program.lock"));
            },
        },
        Case {
            name: "p6-fifo-logo",
            code: 1,
            rule: Some("input.path"),
            setup: |s| {
                mkfifo(&s.dir().join("assets/logo.svg"));
            },
        },
        // 7. .ics injection and non-web join links.
        Case {
            name: "p7-javascript-join-url",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.remove_key("join_url").replace(
                    "audience = \"\"\"",
                    "join_url = \"javascript:alert(1)\"\naudience = \"\"\"",
                );
            },
        },
        Case {
            name: "p7-crlf-in-join-url",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.remove_key("join_url").replace("audience = \"\"\"", "join_url = \"https://x.example.kz/j\\r\\nATTENDEE:mailto:a@b.kz\"\naudience = \"\"\"");
            },
        },
        Case {
            name: "p7-newline-in-organizer-name",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace(
                    "name = \"ТОО «Алтын Софт»\"",
                    "name = \"ТОО «Алтын Софт»\\nATTENDEE:mailto:a@b.kz\"",
                );
            },
        },
        // 8. Scripts in SVGs.
        Case {
            name: "p8-svg-script",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                logo(s, &format!("{SVG_HEAD}<script>alert(1)</script><rect width=\"120\" height=\"40\"/></svg>"));
            },
        },
        Case {
            name: "p8-svg-onload",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                logo(
                    s,
                    &SVG_HEAD
                        .replace("height=\"40\"", "height=\"40\" onload=\"alert(1)\"")
                        .to_string()
                        .replace(">", "><rect width=\"120\" height=\"40\"/></svg>"),
                );
            },
        },
        Case {
            name: "p8-svg-javascript-href",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                logo(s, &format!("{SVG_HEAD}<a href=\"javascript:alert(1)\"><rect width=\"120\" height=\"40\"/></a></svg>"));
            },
        },
        Case {
            name: "p8-svg-foreign-object",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                logo(s, &format!("{SVG_HEAD}<rect width=\"120\" height=\"40\"/><foreignObject width=\"9\" height=\"9\"><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>"));
            },
        },
        Case {
            name: "p8-svg-external-image",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                logo(s, &format!("{SVG_HEAD}<image href=\"file:///etc/passwd\" width=\"9\" height=\"9\"/><rect width=\"120\" height=\"40\"/></svg>"));
            },
        },
        Case {
            name: "found-svg-dtd-entities",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                logo(s, &format!("<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>{SVG_HEAD}<text>&b;</text></svg>"));
            },
        },
        // Found by the fuzz run.
        Case {
            name: "found-lone-cr-before-long-whitespace",
            code: 2,
            rule: Some("input.parse"),
            setup: |s| {
                s.append(&format!("\r{}{}Ваш\n", " ".repeat(300), "é".repeat(200)));
            },
        },
        Case {
            name: "found-unknown-theme",
            code: 1,
            rule: Some("input.path"),
            setup: |s| {
                s.replace("name = \"default\"", "name = \"no-such-theme\"");
            },
        },
        Case {
            name: "found-theme-name-with-markup",
            code: 1,
            rule: Some("input.path"),
            setup: |s| {
                s.replace("name = \"default\"", "name = \"x<svg onload=alert(1)>\"");
            },
        },
        // Found while auditing (images).
        Case {
            name: "p3-jpeg-claiming-65500-squared",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                let mut b = images::jpeg_flat(8, 8, false, false);
                // The frame header's height and width (after SOI and the 69-byte DQT).
                b[76..80].copy_from_slice(&[0xff, 0xdc, 0xff, 0xdc]);
                photo(s, "huge.jpg", &b);
            },
        },
        Case {
            name: "p3-webp-claiming-16383-squared",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                let mut b = WEBP.to_vec();
                let bits: u32 = 0x1000_0000 | 16382 | (16382 << 14);
                b[21..25].copy_from_slice(&bits.to_le_bytes());
                gallery(s, "huge.webp", &b);
            },
        },
        Case {
            name: "p3-progressive-jpeg-444-25mp",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                photo(s, "prog.jpg", &images::jpeg_flat(5000, 5000, true, false));
            },
        },
        Case {
            name: "found-svg-50000-deep",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                std::fs::write(s.dir().join("assets/logo.svg"), images::svg_deep(50_000)).unwrap();
            },
        },
        Case {
            name: "found-svg-use-bomb",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                std::fs::write(s.dir().join("assets/logo.svg"), images::svg_use_bomb(5)).unwrap();
            },
        },
        Case {
            name: "found-svg-pile-of-filters",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                std::fs::write(
                    s.dir().join("assets/logo.svg"),
                    images::svg_many_filters(300),
                )
                .unwrap();
            },
        },
        Case {
            name: "found-svg-210000-segments",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                std::fs::write(
                    s.dir().join("assets/logo.svg"),
                    images::svg_long_path(210_000),
                )
                .unwrap();
            },
        },
        Case {
            name: "found-gif-logo",
            code: 1,
            rule: Some("organizer.logo"),
            setup: |s| {
                std::fs::write(
                    s.dir().join("assets/logo.gif"),
                    images::gif_claiming(65535, 65535),
                )
                .unwrap();
                s.replace("logo = \"assets/logo.svg\"", "logo = \"assets/logo.gif\"");
            },
        },
        // 5. (more)
        Case {
            name: "p5-followup-after-10-to-the-8-days",
            code: 0,
            rule: Some("mail.followup"),
            setup: |s| {
                s.replace(
                    "sms = true\n",
                    "sms = true\nfollowup_after_days = 100000000\n",
                );
            },
        },
        // 6. (more)
        // A theme folder's files are read (and the theme compiled) by `check`, so that what
        // it accepts `build` builds: a FIFO is refused at once, not waited on.
        Case {
            name: "p6-fifo-theme-file",
            code: 1,
            rule: Some("input.path"),
            setup: |s| {
                let theme = own_theme(s, "default");
                mkfifo(&theme.join("style.css"));
            },
        },
        // 10. (more) A theme folder whose template does not compile: `check` compiles the
        // folder as `build` does. An unchanged copy of a built-in theme is not compiled by
        // `check` (the tests compile the built-in themes), and builds.
        Case {
            name: "p10-theme-template-error",
            code: 1,
            rule: Some("input.path"),
            setup: |s| {
                let page = own_theme(s, "default").join("sections/hero.html");
                let text = std::fs::read_to_string(&page).unwrap();
                std::fs::write(&page, format!("{{% if %}}\n{text}")).unwrap();
            },
        },
        Case {
            name: "p10-theme-folder-as-shipped",
            code: 0,
            rule: None,
            setup: |s| {
                own_theme(s, "horizon");
            },
        },
        // 9. (more)
        Case {
            name: "p9-4mb-of-vy",
            code: 1,
            rule: Some("text.pronoun-case"),
            setup: |s| {
                let text = "Вы ".repeat(700_000);
                s.replace(
                    "audience = \"\"\"\n",
                    &format!("audience = \"\"\"\n{text}\n"),
                );
            },
        },
        // 10. (more)
        Case {
            name: "p10-svg-in-organizer-name",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace(
                    "name = \"ТОО «Алтын Софт»\"",
                    "name = \"ТОО <svg onload=alert(1)>\"",
                );
            },
        },
        Case {
            name: "p10-svg-in-partner-name",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace("name = \"Битрикс24\"", "name = \"Битрикс24 <svg>\"");
            },
        },
        Case {
            name: "p10-svg-in-caption",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                gallery(s, "ok.webp", WEBP);
                s.replace("Прошлый вебинар", "<svg onload=alert(1)>");
            },
        },
        Case {
            name: "p10-javascript-contact",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace("email = \"", "email = \"javascript:alert(1)//");
            },
        },
        // 11. Mail templates.
        Case {
            name: "p11-crlf-in-mail-subject",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace(
                    "[theme]",
                    "[mailings.mail.weekly]\nsubject = \"Вебинар\\r\\nBcc: a@b.kz\"\nbody = \"Текст\"\n\n[theme]",
                );
            },
        },
        Case {
            name: "p11-bitrix-macros-in-mail",
            code: 1,
            rule: Some("text.placeholder"),
            setup: |s| {
                s.replace(
                    "[theme]",
                    "[mailings.mail.weekly]\nsubject = \"Вебинар #EMAIL#\"\nbody = \"Текст #DEFAULT_EMAIL_FROM#\"\n\n[theme]",
                );
            },
        },
        // Found while auditing (text and structure).
        Case {
            name: "found-markdown-10000-deep",
            code: 0,
            rule: None,
            setup: |s| {
                let deep = ">".repeat(10_000);
                s.replace(
                    "audience = \"\"\"\n",
                    &format!("audience = \"\"\"\n{deep} x\n"),
                );
            },
        },
        Case {
            name: "found-toml-array-100000-deep",
            code: 2,
            rule: Some("input.parse"),
            setup: |s| {
                s.append(&format!(
                    "x = {}{}\n",
                    "[".repeat(100_000),
                    "]".repeat(100_000)
                ));
            },
        },
        Case {
            name: "found-invalid-utf8",
            code: 2,
            rule: Some("input.parse"),
            setup: |s| {
                let mut b = s.toml().into_bytes();
                let at = s.toml().find("title = \"").unwrap() + 9;
                b.splice(at..at, [0xff, 0xfe]);
                std::fs::write(s.toml_path(), b).unwrap();
            },
        },
        Case {
            name: "found-bom-bidi-and-combining-marks",
            code: 0,
            rule: None,
            setup: |s| {
                s.replace(
                    "от заявки до сделки",
                    "от \u{202e}заявки\u{2066} до\u{200d} сделки\u{301}\u{301}\u{301}",
                );
                s.set_toml(&format!("\u{feff}{}", s.toml()));
            },
        },
        Case {
            name: "found-200000-products",
            code: 0,
            rule: None,
            setup: |s| {
                let many = vec!["\"Битрикс24\""; 200_000].join(",");
                s.replace(
                    "products = [\"Битрикс24\"]",
                    &format!("products = [{many}]"),
                );
            },
        },
        // 9. Inputs that took minutes.
        Case {
            name: "p9-date-9999",
            code: 1,
            rule: Some("event.date"),
            setup: |s| {
                s.replace("date = 2027-03-18", "date = 9999-12-31");
            },
        },
        Case {
            name: "p9-12kb-title",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                let title = "Битрикс24 ".repeat(1200);
                s.replace(
                    "title = \"Битрикс24 для отдела продаж: от заявки до сделки\"",
                    &format!("title = \"{title}\""),
                );
            },
        },
        Case {
            name: "p9-10000-vy-on-one-line",
            code: 1,
            rule: Some("text.pronoun-case"),
            setup: |s| {
                let line = "и Вы ".repeat(10_000);
                s.replace(
                    "audience = \"\"\"\n",
                    &format!("audience = \"\"\"\n{line}\n"),
                );
            },
        },
        Case {
            name: "p9-10000-program-items",
            code: 1,
            rule: None,
            setup: |s| {
                let mut extra = String::new();
                for _ in 0..10_000 {
                    extra.push_str("[[program]]\nstart = \"12:00\"\nend = \"12:10\"\ntitle = \"Ещё\"\nkind = \"qa\"\n");
                }
                s.append(&extra);
            },
        },
        Case {
            name: "p9-11mb-image",
            code: 1,
            rule: Some("input.image"),
            setup: |s| {
                let mut b = real_png();
                b.resize(11 * 1024 * 1024, 0);
                gallery(s, "big.png", &b);
            },
        },
        // 10. What check accepted and build refused.
        Case {
            name: "p10-escape-in-title",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace("от заявки до сделки\"", "от заявки\\u001b до сделки\"");
            },
        },
        Case {
            name: "p10-nul-in-caption",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                gallery(s, "ok.webp", WEBP);
                s.replace("Прошлый вебинар", "Прошлый\\u0000 вебинар");
            },
        },
        Case {
            name: "p10-fffe-in-speaker",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace("Иван Иванов", "Иван\\uFFFE Иванов");
            },
        },
        Case {
            name: "p10-javascript-website",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace(
                    "website = \"https://altyn-soft.example.kz\"",
                    "website = \"javascript:alert(1)\"",
                );
            },
        },
    ]
}

fn run(dir: &Path, args: &[&str], limit: Duration) -> (i32, String, Duration) {
    let started = Instant::now();
    let out = bxland()
        .args(args)
        .arg(dir)
        .args(["--today", TODAY])
        .timeout(limit)
        .output()
        .unwrap();
    let took = started.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text, took)
}

#[test]
fn every_hostile_input_gets_its_exit_code_and_rule_without_panic_or_hang() {
    let limit = Duration::from_secs(30);
    let mut failures = Vec::new();
    for case in cases() {
        let s = Scratch::example();
        (case.setup)(&s);
        // Human output: the renderer must not panic on any span.
        let (code, text, took) = run(&s.dir(), &["check", "--lang", "en"], limit);
        if code != case.code || text.contains("panicked") || took >= limit {
            failures.push(format!(
                "{}: human check exit {code} (want {}) in {took:?}:\n{text}",
                case.name, case.code
            ));
            continue;
        }
        // JSON output: the rule id.
        let (code, json, _) = run(&s.dir(), &["check", "--format", "json"], limit);
        if let Some(rule) = case.rule {
            if code != case.code
                || !json.contains(&format!("\"rule\":\"{rule}\""))
                    && !json.contains(&format!("\"rule\": \"{rule}\""))
            {
                failures.push(format!("{}: no {rule} (exit {code}):\n{json}", case.name));
                continue;
            }
        }
        // Whatever check accepts, build builds, in time.
        if case.code == 0 {
            // What `check` accepts, `build` builds.
            let want = 0;
            let out = s.tmp.path().join("out");
            let (code, text, took) =
                run(&s.dir(), &["build", "--out", out.to_str().unwrap()], limit);
            if code != want || took >= limit || text.contains("panicked") {
                failures.push(format!(
                    "{}: build exit {code} in {took:?}:\n{text}",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// What reaches the outputs is the sanitized SVG: a clean logo with editor metadata and a
/// comment is built, and the page's copy carries neither.
#[test]
fn outputs_ship_the_sanitized_svg() {
    let s = Scratch::example();
    logo(&s, "<?xml version=\"1.0\"?><!-- made by hand --><svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" width=\"120\" height=\"40\"><inkscape:perspective id=\"p\"/><rect width=\"120\" height=\"40\" fill=\"#0B5CAD\"/></svg>");
    let out = s.tmp.path().join("out");
    let (code, text, _) = run(
        &s.dir(),
        &["build", "--out", out.to_str().unwrap()],
        Duration::from_secs(60),
    );
    assert_eq!(code, 0, "{text}");
    let mut found = 0;
    for entry in walk(&out) {
        if entry.extension().is_some_and(|e| e == "svg") && entry.to_string_lossy().contains("logo")
        {
            let svg = std::fs::read_to_string(&entry).unwrap();
            assert!(
                !svg.contains("inkscape") && !svg.contains("made by hand"),
                "{}: {svg}",
                entry.display()
            );
            assert!(svg.contains("<rect"), "{svg}");
            found += 1;
        }
    }
    assert!(found > 0, "no logo.svg written under {}", out.display());
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Width and height of a PNG.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let d = png::Decoder::new(std::io::Cursor::new(bytes));
    let r = d.read_info().unwrap();
    (r.info().width, r.info().height)
}

/// The copy the cards embed of a large raster image is the same pixels whatever the file's
/// encoding (plain or interlaced PNG, lossless WebP: the same picture), at most
/// `CARD_SIDE` on its longer side; a small image is embedded as it is.
#[test]
fn scaled_copies_do_not_depend_on_the_encoding() {
    use bxland::event::image::{scaled_copy, CARD_SIDE};
    let plain = images::png_rgba(2400, 1200, false, images::stripes);
    let interlaced = images::png_rgba(2400, 1200, true, images::stripes);
    let webp = images::webp_lossless(2400, 1200, images::stripes);
    let a = scaled_copy(&plain, CARD_SIDE).unwrap().expect("scaled");
    assert_eq!(png_size(&a), (CARD_SIDE, CARD_SIDE / 2));
    assert_eq!(
        scaled_copy(&interlaced, CARD_SIDE).unwrap().as_ref(),
        Some(&a)
    );
    assert_eq!(scaled_copy(&webp, CARD_SIDE).unwrap().as_ref(), Some(&a));
    // The stripes survive: the copy is not one flat colour.
    let mut r = png::Decoder::new(std::io::Cursor::new(&a))
        .read_info()
        .unwrap();
    let mut px = vec![0; r.output_buffer_size().unwrap()];
    r.next_frame(&mut px).unwrap();
    let reds: std::collections::BTreeSet<u8> = px.chunks(4).map(|p| p[0]).collect();
    assert!(reds.contains(&0) && reds.contains(&200), "{reds:?}");
    // A JPEG of the limit's shape, and small images, which stay as they are.
    let jpeg = images::jpeg_flat(2400, 1200, false, true);
    let j = scaled_copy(&jpeg, CARD_SIDE).unwrap().expect("scaled");
    assert_eq!(png_size(&j), (CARD_SIDE, CARD_SIDE / 2));
    let small = images::png_rgba(800, 400, false, images::stripes);
    assert_eq!(scaled_copy(&small, CARD_SIDE).unwrap(), None);
    assert_eq!(scaled_copy(WEBP, CARD_SIDE).unwrap(), None);
}

/// The image a card SVG embeds: (MIME type, decoded bytes).
fn card_logo(out: &Path) -> (String, Vec<u8>) {
    use base64::Engine;
    let card = walk(out)
        .into_iter()
        .find(|p| p.ends_with("card-1200x630.svg"))
        .expect("a card SVG");
    let svg = std::fs::read_to_string(card).unwrap();
    let at = svg.find("href=\"data:").expect("an embedded image") + 11;
    let (mime, rest) = svg[at..].split_once(";base64,").unwrap();
    let b64 = &rest[..rest.find('"').unwrap()];
    (
        mime.to_string(),
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
}

/// A logo larger than the card can show goes into the cards scaled down (a raster image) or
/// drawn once (an SVG over 256 KB): drawing every card from the full image took a 25-megapixel
/// logo's build to 197 MiB and a 10 MB SVG's to 315 MB.
#[test]
fn big_logos_go_into_the_cards_scaled_down() {
    let limit = Duration::from_secs(120);
    // A 2400×1200 PNG.
    let s = Scratch::example();
    let big = images::png_rgba(2400, 1200, false, images::stripes);
    std::fs::write(s.dir().join("assets/big.png"), &big).unwrap();
    s.replace("logo = \"assets/logo.svg\"", "logo = \"assets/big.png\"");
    let out = s.tmp.path().join("out");
    let (code, text, _) = run(
        &s.dir(),
        &[
            "build",
            "--target",
            "announce",
            "--no-cache",
            "--out",
            out.to_str().unwrap(),
        ],
        limit,
    );
    assert_eq!(code, 0, "{text}");
    let (mime, bytes) = card_logo(&out);
    assert_eq!(mime, "image/png");
    assert_eq!(png_size(&bytes), (1024, 512));
    // A 300 KB SVG: a PNG instead of the SVG text.
    let s = Scratch::example();
    std::fs::write(
        s.dir().join("assets/logo.svg"),
        images::svg_padded(300 * 1024, 1000),
    )
    .unwrap();
    let out = s.tmp.path().join("out");
    let (code, text, _) = run(
        &s.dir(),
        &[
            "build",
            "--target",
            "announce",
            "--no-cache",
            "--out",
            out.to_str().unwrap(),
        ],
        limit,
    );
    assert_eq!(code, 0, "{text}");
    let (mime, bytes) = card_logo(&out);
    assert_eq!(mime, "image/png");
    assert_eq!(png_size(&bytes), (1024, 328));
    // The example's small SVG logo stays vector.
    let s = Scratch::example();
    let out = s.tmp.path().join("out");
    let (code, text, _) = run(
        &s.dir(),
        &[
            "build",
            "--target",
            "announce",
            "--no-cache",
            "--out",
            out.to_str().unwrap(),
        ],
        limit,
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(card_logo(&out).0, "image/svg+xml");
}

/// Point 13: a per-event output folder the user made read-only is replaced by the next build
/// and no `.bxland-old-*` stays behind. Root ignores file modes, so as root the builds run as
/// `nobody` (through `setpriv`).
#[cfg(unix)]
#[test]
fn a_read_only_output_folder_is_replaced_and_nothing_is_left() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::example();
    std::fs::set_permissions(s.tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = s.tmp.path().join("out");
    let root = unsafe { libc::geteuid() } == 0;
    let build = |title: &str| {
        let toml = s.toml();
        s.replace(
            toml.lines().find(|l| l.starts_with("title = ")).unwrap(),
            &format!("title = \"{title}\""),
        );
        let bin = env!("CARGO_BIN_EXE_bxland");
        let mut cmd = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            c
        } else {
            std::process::Command::new(bin)
        };
        let o = cmd
            .arg("build")
            .arg(s.dir())
            .args(["--today", TODAY, "--target", "html", "--no-cache", "--out"])
            .arg(&out)
            .env("NO_COLOR", "1")
            .output()
            .expect("setpriv (util-linux) runs the build as nobody");
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    };
    build("Битрикс24 для отдела продаж: первый выпуск");
    let slug = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .unwrap();
    for dir in walk_dirs(&slug) {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    build("Битрикс24 для отдела продаж: второй выпуск");
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let html = std::fs::read_to_string(slug.join("preview/index.html")).unwrap();
    assert!(html.contains("второй выпуск"), "the old page stayed");
}

/// `dir` and every folder below it.
fn walk_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            out.extend(walk_dirs(&e.path()));
        }
    }
    out
}

/// Writes every case of the corpus as an event folder under `$BXLAND_HOSTILE_CASES/<name>/event`
/// with `<name>/expected` holding the exit codes `check` and `build` must give (run by
/// `tools/hostile-limits.sh`, which measures memory and seconds on each).
#[test]
#[ignore]
fn write_hostile_cases() {
    let root = std::path::PathBuf::from(
        std::env::var_os("BXLAND_HOSTILE_CASES").expect("BXLAND_HOSTILE_CASES names a folder"),
    );
    std::fs::create_dir_all(&root).unwrap();
    for case in cases() {
        let s = Scratch::example();
        (case.setup)(&s);
        let dir = root.join(case.name);
        std::fs::create_dir_all(&dir).unwrap();
        // Renamed, not copied: a case may hold a FIFO.
        std::fs::rename(s.dir(), dir.join("event")).unwrap();
        let build = case.code;
        std::fs::write(dir.join("expected"), format!("{} {build}\n", case.code)).unwrap();
    }
}
