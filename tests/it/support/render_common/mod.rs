//! Helpers shared by the render and build tests.
#![allow(dead_code)]

pub use crate::support::serve::copy_dir;
use std::path::{Path, PathBuf};

use bxland::event;
use bxland::render::{render_page, Page, PageOptions, Theme};
use bxland::webinar::Webinar;
use chrono::NaiveDate;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where `build` run by the tests keeps its card cache: the test target folder, never the
/// user's home.
pub const TEST_CACHE_DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/bxland-cache");

/// The binary, run from the repository root, with plain output in Russian.
pub fn bxland() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("bxland").unwrap();
    c.current_dir(root())
        .env("NO_COLOR", "1")
        .env("BXLAND_CACHE_DIR", TEST_CACHE_DIR)
        .env_remove("BXLAND_LANG");
    c
}

pub fn example_dir() -> PathBuf {
    root().join("example-event")
}

pub fn kk_dir() -> PathBuf {
    root().join("tests/fixtures/render/kk-event")
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// The webinar model of an event folder (what render and export read).
pub fn load(dir: &Path) -> Webinar {
    let event = event::load(dir)
        .unwrap_or_else(|f| panic!("{} does not load: {:?}", dir.display(), f.diagnostics));
    Webinar::from_event(&event).expect("the event has a webinar model")
}

pub fn opts() -> PageOptions {
    PageOptions::new(today())
}

/// Renders an event with the theme it names.
pub fn render(dir: &Path) -> (Webinar, Page) {
    let event = load(dir);
    let theme = Theme::for_choice(&event.theme).expect("theme loads");
    let page = render_page(&event, &theme, &opts()).expect("page renders");
    (event, page)
}

/// Renders an event with a theme given by name.
pub fn render_with(dir: &Path, theme: &str, minify: bool) -> Page {
    let event = load(dir);
    let theme = Theme::load(theme, &root()).expect("theme loads");
    let mut o = opts();
    o.minify = minify;
    render_page(&event, &theme, &o).expect("page renders")
}

/// Every file under `dir` (relative path with `/`) with its bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The visible text of a page, whitespace-normalised onto one line.
pub fn shown(html: &str) -> String {
    bxland::render::minify::visible_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The start tag holding `attr=value`, quoted or not.
pub fn tag<'a>(html: &'a str, attr: &str, value: &str) -> Option<&'a str> {
    for pat in [
        format!("{attr}=\"{value}\""),
        format!("{attr}={value} "),
        format!("{attr}={value}>"),
    ] {
        if let Some(at) = html.find(&pat) {
            let start = html[..at].rfind('<')?;
            let end = at + html[at..].find('>')?;
            return Some(&html[start..=end]);
        }
    }
    None
}

pub fn has_attr(tag: &str, attr: &str) -> bool {
    tag.trim_start_matches('<')
        .split(|c: char| c.is_whitespace() || c == '>')
        .any(|w| w == attr || w.starts_with(&format!("{attr}=")))
}

pub fn attr_value<'a>(tag: &'a str, attr: &str) -> Option<&'a str> {
    let i = tag.find(&format!(" {attr}="))? + attr.len() + 2;
    let rest = &tag[i..];
    if let Some(r) = rest.strip_prefix('"') {
        Some(&r[..r.find('"')?])
    } else {
        Some(&rest[..rest.find([' ', '>'])?])
    }
}

/// The start tags of a document as a browser's tokenizer sees them: (name, attribute names),
/// with quoted attribute values skipped as values and raw-text elements skipped whole.
pub fn start_tags(html: &str) -> Vec<(String, Vec<String>)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i += html[i..].find("-->").map(|j| j + 3).unwrap_or(b.len() - i);
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let s = i + 1 + closing as usize;
        if !b.get(s).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let mut j = s;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let name = html[s..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        // Attributes.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                j += 1;
                break;
            }
            let a = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            attrs.push(html[a..j].to_ascii_lowercase());
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    j += 1;
                    while j < b.len() && b[j] != q {
                        j += 1;
                    }
                    j += 1;
                } else {
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                }
            }
        }
        if !closing {
            out.push((name.clone(), attrs));
            if ["script", "style", "title", "textarea"].contains(&name.as_str()) {
                let end = format!("</{name}");
                j += html[j..]
                    .to_ascii_lowercase()
                    .find(&end)
                    .unwrap_or(b.len() - j);
            }
        }
        i = j;
    }
    out
}

/// The raw event of a folder, with its spans (what the rules read).
pub fn load_event(dir: &Path) -> bxland::event::Event {
    bxland::event::load(dir)
        .unwrap_or_else(|f| panic!("{} does not load: {:?}", dir.display(), f.diagnostics))
}
