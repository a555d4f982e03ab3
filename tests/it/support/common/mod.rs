//! Shared helpers for the integration tests: a scratch copy of `example-event` to mutate, and
//! `bxland` runs that return the JSON report.
#![allow(dead_code)]

pub use crate::support::serve::copy_dir;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub const TODAY: &str = "2026-11-25";

pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event")
}

/// A temporary copy of `example-event` (event.toml, assets, program.lock).
pub struct Scratch {
    pub tmp: tempfile::TempDir,
}

impl Scratch {
    pub fn example() -> Scratch {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&example_dir(), &tmp.path().join("event"));
        Scratch { tmp }
    }

    pub fn dir(&self) -> PathBuf {
        self.tmp.path().join("event")
    }

    pub fn toml_path(&self) -> PathBuf {
        self.dir().join("event.toml")
    }

    pub fn toml(&self) -> String {
        std::fs::read_to_string(self.toml_path()).unwrap()
    }

    pub fn set_toml(&self, text: &str) {
        std::fs::write(self.toml_path(), text).unwrap();
    }

    /// Replaces the first `from` in event.toml; panics when it is not there, so a test cannot
    /// silently check the unmodified example.
    pub fn replace(&self, from: &str, to: &str) -> &Self {
        let text = self.toml();
        assert!(
            text.contains(from),
            "example-event/event.toml has no {from:?}"
        );
        self.set_toml(&text.replacen(from, to, 1));
        self
    }

    pub fn append(&self, extra: &str) -> &Self {
        let mut text = self.toml();
        text.push('\n');
        text.push_str(extra);
        self.set_toml(&text);
        self
    }

    /// Removes a whole `key = ...` entry (one line, or a multi-line `"""` string).
    pub fn remove_key(&self, key: &str) -> &Self {
        let text = self.toml();
        let start = text
            .find(&format!("\n{key} = "))
            .unwrap_or_else(|| panic!("no key {key}"))
            + 1;
        let rest = &text[start..];
        let first_line_end = rest.find('\n').unwrap();
        let end = if rest[..first_line_end].trim_end().ends_with("\"\"\"")
            && rest[..first_line_end].matches("\"\"\"").count() == 1
        {
            let close = rest[first_line_end..].find("\"\"\"").unwrap() + first_line_end + 3;
            close + rest[close..].find('\n').unwrap() + 1
        } else if rest[..first_line_end].trim_end().ends_with('[') {
            let close = rest.find("\n]").unwrap() + 2;
            close + 1
        } else {
            first_line_end + 1
        };
        self.set_toml(&format!("{}{}", &text[..start], &text[start + end..]));
        self
    }

    /// 1-based line of the first occurrence of `needle` in event.toml.
    pub fn line_of(&self, needle: &str) -> u64 {
        let text = self.toml();
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in event.toml"));
        text[..at].matches('\n').count() as u64 + 1
    }

    /// (line, column) of `needle`, column counted in characters.
    pub fn place_of(&self, needle: &str) -> (u64, u64) {
        let text = self.toml();
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in event.toml"));
        let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
        (
            text[..at].matches('\n').count() as u64 + 1,
            text[line_start..at].chars().count() as u64 + 1,
        )
    }

    pub fn check(&self) -> Checked {
        check_dirs(&[self.dir()])
    }
}

pub fn bxland() -> Command {
    let mut cmd = Command::cargo_bin("bxland").unwrap();
    // The card cache of `build` goes to the test target folder, never the user's home.
    cmd.env_remove("BXLAND_LANG").env("NO_COLOR", "1").env(
        "BXLAND_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/bxland-cache"),
    );
    cmd
}

pub struct Checked {
    pub code: i32,
    pub json: Value,
    /// (rule, diagnostic as a person reads it); empty for a CLI run.
    pub rendered: Vec<(&'static str, String)>,
}

impl Checked {
    /// The diagnostics of `rule` as a person reads them, one after another.
    pub fn rendered(&self, rule: &str) -> String {
        self.rendered
            .iter()
            .filter(|(r, _)| *r == rule)
            .map(|(_, text)| text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    pub fn diagnostics(&self) -> Vec<Value> {
        self.json["events"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["diagnostics"].as_array().unwrap().clone())
            .collect()
    }

    pub fn with_rule(&self, rule: &str) -> Vec<Value> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d["rule"] == rule)
            .collect()
    }

    /// Asserts that `rule` was reported at `line`, and returns that diagnostic.
    pub fn expect_at(&self, rule: &str, line: u64) -> Value {
        let found = self.with_rule(rule);
        found
            .iter()
            .find(|d| d["line"].as_u64() == Some(line))
            .cloned()
            .unwrap_or_else(|| panic!("no {rule} at line {line}; got {:#?}", self.diagnostics()))
    }

    pub fn rules(&self) -> Vec<String> {
        self.diagnostics()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Checks event folders in-process, as `bxland check --format json --today TODAY` does:
/// the same report document and exit status (`core_commands` holds the two equal), and the
/// diagnostics rendered for people (ru).
pub fn check_dirs(dirs: &[PathBuf]) -> Checked {
    use bxland::check::{check_dir, exit_code, expand_dirs};
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let themes = bxland::render::ThemeCache::new();
    let reports: Vec<_> = expand_dirs(dirs)
        .iter()
        .map(|d| check_dir(d, today, &themes))
        .collect();
    let events: Vec<Value> = reports
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r.json(bxland::i18n::Lang::Ru)).unwrap();
            let status = if r.load_failed() {
                "unreadable"
            } else if r.ok() {
                "ok"
            } else {
                "refused"
            };
            v["status"] = serde_json::json!(status);
            v["errors"] = serde_json::json!(r.count(bxland::diag::Severity::Error));
            v["warnings"] = serde_json::json!(r.count(bxland::diag::Severity::Warning));
            v
        })
        .collect();
    let rendered = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics
                .iter()
                .map(|d| (d.rule, d.render(&r.sources, bxland::i18n::Lang::Ru, false)))
        })
        .collect();
    Checked {
        code: exit_code(&reports),
        json: serde_json::json!({ "events": events }),
        rendered,
    }
}

/// `bxland check --format json` run as a process, for the tests of the command itself.
pub fn check_dirs_cli(dirs: &[PathBuf]) -> Checked {
    let out = bxland()
        .arg("check")
        .args(dirs)
        .args(["--format", "json", "--today", TODAY])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    Checked {
        code: out.status.code().unwrap(),
        json,
        rendered: Vec::new(),
    }
}
