//! Helpers shared by the `comms_*` tests: event folders made from the example event.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use bxland::webinar::Webinar;
use chrono::NaiveDate;

pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A copy of the example event whose `event.toml` went through `edit`.
pub fn event_dir(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = example_dir();
    std::fs::create_dir_all(dir.path().join("assets")).unwrap();
    for f in ["bitrix24.svg", "logo.svg"] {
        std::fs::copy(
            src.join("assets").join(f),
            dir.path().join("assets").join(f),
        )
        .unwrap();
    }
    std::fs::copy(src.join("program.lock"), dir.path().join("program.lock")).unwrap();
    let toml = std::fs::read_to_string(src.join("event.toml")).unwrap();
    std::fs::write(dir.path().join("event.toml"), edit(toml)).unwrap();
    dir
}

/// The webinar model of an event folder (what comms and export read).
pub fn load(dir: &Path) -> Webinar {
    match bxland::event::load(dir) {
        Ok(e) => Webinar::from_event(&e).expect("the event has a webinar model"),
        Err(f) => panic!("event did not load: {:?}", f.diagnostics),
    }
}

/// Replaces exactly one occurrence of `from`.
pub fn replace_once(toml: String, from: &str, to: &str) -> String {
    assert_eq!(toml.matches(from).count(), 1, "expected one {from:?}");
    toml.replacen(from, to, 1)
}

/// (line, column) of the first occurrence of `needle` in `text`, 1-based, column in chars.
pub fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// The raw event of a folder, with its spans (what the rules read).
pub fn load_event(dir: &Path) -> bxland::event::Event {
    bxland::event::load(dir)
        .unwrap_or_else(|f| panic!("{} does not load: {:?}", dir.display(), f.diagnostics))
}
