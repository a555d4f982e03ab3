//! The page `bxland publish` leaves on Bitrix24, as the stand-in would serve it, in a real
//! headless Chromium at 360 px and 1280 px: the organizer's logo (an uploaded file) is
//! visible, the registration block has its layout, every `#link` lands and nothing scrolls
//! sideways. Fails (never skips) when Chromium is missing.

use crate::support::bitrix24_stand_in;
use crate::support::browser::Driver;
use crate::support::serve as support;

use std::path::{Path, PathBuf};

use assert_cmd::Command as Bin;
use bitrix24_stand_in::{start, Portal};
use serde_json::json;
use support::{copy_dir, TODAY};

/// Publishes `src` to a fresh stand-in and writes the public page to `out/index.html`, the
/// uploaded files beside it (the CDN addresses pointed at them).
fn published_page(src: &Path, out: &Path) -> PathBuf {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(src, &dir);
    let (webhook, state) = start(Portal::default());
    let o = Bin::cargo_bin("bxland")
        .unwrap()
        .arg("publish")
        .arg(&dir)
        .args(["--bitrix24", &webhook, "--today", TODAY, "--form-id", "31"])
        .env_remove("BXLAND_BITRIX24_WEBHOOK")
        .env_remove("BXLAND_LANG")
        // The card cache in the test target folder, never the user's home.
        .env(
            "BXLAND_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/bxland-cache"),
        )
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = state.lock().unwrap();
    let mut html = p.public_html(p.pages[0].id);
    std::fs::create_dir_all(out).unwrap();
    for (i, (_, name, bytes, src, _)) in p.files.iter().enumerate() {
        let local = format!("upload-{i}-{name}");
        std::fs::write(out.join(&local), bytes).unwrap();
        html = html.replace(src.as_str(), &local);
    }
    let index = out.join("index.html");
    std::fs::write(&index, html).unwrap();
    index
}

#[test]
fn the_published_page_shows_the_logo_and_the_form_block_at_360_and_1280_px() {
    let d = Driver::start();
    for (src, logo) in [
        (support::example_event(), "logo.svg"),
        (
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/kk-event"),
            "dala-logo.png",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        let index = published_page(&src, out.path());
        d.call(
            "POST",
            &d.s("/url"),
            Some(json!({ "url": format!("file://{}", index.display()) })),
        );
        for width in [360u32, 1280] {
            d.width(width);
            let what = format!("{} at {width}px", src.display());
            let logo_ok = d.js(&format!(
                "var i = [...document.images].find(i => i.getAttribute('src').endsWith('{logo}'));
                 if (!i) return 'no img';
                 var r = i.getBoundingClientRect(), s = getComputedStyle(i);
                 return i.complete && i.naturalWidth > 0 && r.width > 0 && r.height > 0
                   && s.visibility !== 'hidden' && s.display !== 'none';"
            ));
            assert_eq!(logo_ok, json!(true), "logo {logo} visible, {what}");
            let wide = d.js("return document.documentElement.scrollWidth;");
            assert!(
                wide.as_u64().unwrap() <= u64::from(width),
                "{what}: {wide}px wide"
            );
            let links = d.js("return [...document.querySelectorAll('a[href^=\"#\"]')]
                   .map(a => a.getAttribute('href').slice(1))
                   .filter(id => !document.getElementById(id));");
            assert_eq!(links, json!([]), "{what}: #links without a target");
            let layout = d.js("var r = document.querySelector('.bxl-registration'),
                     c = document.querySelector('.bxl-container').getBoundingClientRect(),
                     h = document.querySelector('.bxl-registration h2').getBoundingClientRect();
                 return [parseFloat(getComputedStyle(r).paddingTop), Math.round(c.left),
                         Math.round(window.innerWidth - c.right), Math.round(h.left)];");
            let v: Vec<f64> = layout
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            assert!(v[0] >= 24.0, "{what}: registration block padding {v:?}");
            assert!(
                (v[1] - v[2]).abs() <= 1.0,
                "{what}: container centred {v:?}"
            );
            assert!(v[3] >= 16.0, "{what}: heading off the edge {v:?}");
        }
    }
}
