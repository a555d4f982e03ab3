//! The hostile-input corpus of issue 21: one case per numbered point (and a few more found on
//! the way), each a mutation of `example-event` with the exit code and rule id it must give.
//! Every case runs both `check` (human output, where annotate-snippets once panicked) and,
//! where `check` accepts, `build`, each under a time limit: nothing panics, nothing hangs.

mod common;

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
                s.replace(
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
                s.replace("audience = \"\"\"", "join_url = \"https://x.example.kz/j\\r\\nATTENDEE:mailto:a@b.kz\"\naudience = \"\"\"");
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
            name: "found-theme-name-with-markup",
            code: 1,
            rule: Some("input.text"),
            setup: |s| {
                s.replace("name = \"default\"", "name = \"x<svg onload=alert(1)>\"");
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
            let out = s.tmp.path().join("out");
            let (code, text, took) =
                run(&s.dir(), &["build", "--out", out.to_str().unwrap()], limit);
            if code != 0 || took >= limit {
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
