//! The text-rule corpus in `tests/corpus/`: for each rule, sentences that must be caught at
//! the exact word, and ordinary compliant marketing text that must give no finding at all.
//!
//! Every sentence is put into an otherwise compliant event (the example event) as its
//! Markdown description and as its plain-text summary, the event is loaded from disk and
//! checked through the library, and the findings are compared with the marks in the corpus:
//! `[[word]]` an error of the file's rule, `[?word?]` a warning of it, at exactly that place;
//! a line with no mark must give no finding of the rule.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use bxland::diag::{Diagnostic, Severity};
use bxland::rules::{self, Ctx};
use chrono::NaiveDate;

struct Case {
    line: usize,
    text: String,
    expected: Vec<(Range<usize>, Severity)>,
    markdown_only: bool,
    mixed: bool,
}

fn corpus(name: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    let raw = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (mut rest, mut markdown_only, mut mixed) = (line, false, false);
        loop {
            if let Some(r) = rest.strip_prefix("md: ") {
                (rest, markdown_only) = (r, true);
            } else if let Some(r) = rest.strip_prefix("mixed: ") {
                (rest, mixed) = (r, true);
            } else {
                break;
            }
        }
        let rest = rest.replace("\\n", "\n");
        let (text, expected) = unmark(&rest);
        out.push(Case {
            line: i + 1,
            text,
            expected,
            markdown_only,
            mixed,
        });
    }
    out
}

/// Strips `[[…]]` and `[?…?]`, returning the text and the marked ranges in it.
pub(crate) fn unmark(s: &str) -> (String, Vec<(Range<usize>, Severity)>) {
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut rest = s;
    loop {
        let next = [
            ("[[", "]]", Severity::Error),
            ("[?", "?]", Severity::Warning),
        ]
        .into_iter()
        .filter_map(|(open, close, sev)| rest.find(open).map(|at| (at, open, close, sev)))
        .min_by_key(|m| m.0);
        let Some((at, open, close, sev)) = next else {
            text.push_str(rest);
            break;
        };
        text.push_str(&rest[..at]);
        let inner_start = at + open.len();
        let end = rest[inner_start..].find(close).expect("unclosed mark") + inner_start;
        let start = text.len();
        text.push_str(&rest[inner_start..end]);
        marks.push((start..text.len(), sev));
        rest = &rest[end + close.len()..];
    }
    (text, marks)
}

/// A scratch event folder: the example event's assets, and an event.toml per sentence.
pub(crate) struct Scratch {
    pub(crate) dir: tempfile::TempDir,
    template: String,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Place {
    Description,
    Summary,
}

impl Scratch {
    pub(crate) fn new() -> Scratch {
        let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-event");
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("assets")).unwrap();
        for entry in fs::read_dir(example.join("assets")).unwrap() {
            let entry = entry.unwrap();
            fs::copy(
                entry.path(),
                dir.path().join("assets").join(entry.file_name()),
            )
            .unwrap();
        }
        // The approved program, so that `program.approval` stays quiet.
        let lock = example.join("program.lock");
        if lock.exists() {
            fs::copy(&lock, dir.path().join("program.lock")).unwrap();
        }
        let template = fs::read_to_string(example.join("event.toml")).unwrap();
        Scratch { dir, template }
    }

    /// Writes the event with `text` in `place`; returns the byte offset of `text` in the file.
    pub(crate) fn write(&self, text: &str, place: Place) -> usize {
        assert!(!text.contains("'''"), "corpus text may not hold '''");
        let (start, end, head) = match place {
            Place::Description => {
                let start = self.template.find("description = \"\"\"").unwrap();
                let end = self.template[start + 20..].find("\"\"\"").unwrap() + start + 23;
                (start, end, "description = '''\n")
            }
            Place::Summary => {
                let start = self.template.find("summary = \"").unwrap();
                let end = self.template[start..].find('\n').unwrap() + start;
                (start, end, "summary = '''")
            }
        };
        let file = format!(
            "{}{head}{text}'''{}",
            &self.template[..start],
            &self.template[end..]
        );
        fs::write(self.dir.path().join("event.toml"), file).unwrap();
        start + head.len()
    }

    pub(crate) fn check(&self) -> Vec<Diagnostic> {
        let event = match bxland::event::load(self.dir.path()) {
            Ok(e) => e,
            Err(f) => panic!("event did not load: {:?}", f.diagnostics),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let ctx = Ctx::new(&event, today, &[]);
        rules::check(&ctx)
    }
}

fn places(case: &Case) -> Vec<Place> {
    if case.markdown_only {
        vec![Place::Description]
    } else {
        vec![Place::Description, Place::Summary]
    }
}

fn describe(d: &Diagnostic, file: &str) -> String {
    let span = d.span.clone().unwrap_or(0..0);
    format!(
        "{} {:?} «{}»: {}",
        d.rule,
        d.severity(),
        file.get(span).unwrap_or("?"),
        d.message.ru
    )
}

/// Whether `id` is `rule` or its warning twin (`text.competitor-ambiguous`: the corpus marks a
/// warning under the rule it belongs to).
fn of_rule(id: &str, rule: &str) -> bool {
    id == rule || id.strip_prefix(rule) == Some("-ambiguous")
}

/// Checks every sentence of `name` against its marks for `rule`.
fn violations(name: &str, rule: &str, at_least: usize) {
    let cases = corpus(name);
    assert!(cases.len() >= at_least, "{name}: {} sentences", cases.len());
    let scratch = Scratch::new();
    let mut failures = Vec::new();
    for case in &cases {
        if case.mixed {
            let marked: String = case
                .expected
                .iter()
                .map(|(r, _)| &case.text[r.clone()])
                .collect();
            assert!(
                marked.chars().any(|c| c.is_ascii_alphabetic())
                    && marked.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)),
                "{name}:{}: a mixed line must mix Latin and Cyrillic letters",
                case.line
            );
        }
        for place in places(case) {
            let at = scratch.write(&case.text, place);
            let file = fs::read_to_string(scratch.dir.path().join("event.toml")).unwrap();
            let diags = scratch.check();
            let mut got: Vec<(Range<usize>, Severity)> = diags
                .iter()
                .filter(|d| of_rule(d.rule, rule))
                .map(|d| (d.span.clone().unwrap_or(0..0), d.severity()))
                .collect();
            got.sort_by_key(|(r, _)| (r.start, r.end));
            let want: Vec<(Range<usize>, Severity)> = case
                .expected
                .iter()
                .map(|(r, s)| (r.start + at..r.end + at, *s))
                .collect();
            if got != want {
                let found: Vec<String> = diags
                    .iter()
                    .filter(|d| of_rule(d.rule, rule))
                    .map(|d| describe(d, &file))
                    .collect();
                failures.push(format!(
                    "{name}:{} ({place:?}): {:?}\n    found: {found:?}",
                    case.line, case.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn competitor_names_are_caught() {
    violations("text.competitor.txt", "text.competitor", 50);
}

#[test]
fn capitalised_pronouns_are_caught() {
    violations("text.pronoun-case.txt", "text.pronoun-case", 30);
}

#[test]
fn positioning_is_caught() {
    violations("text.positioning.txt", "text.positioning", 15);
}

#[test]
fn selling_is_caught() {
    violations("text.sales.txt", "text.sales", 15);
}

#[test]
fn paid_attendance_is_caught() {
    violations("event.free.txt", "event.free", 8);
}

#[test]
fn comparisons_are_refused() {
    violations("text.comparison.txt", "text.comparison", 7);
}

#[test]
fn third_party_forms_are_caught() {
    violations("form.third-party.txt", "form.third-party", 10);
}

#[test]
fn compliant_marketing_text_gives_no_finding() {
    let cases = corpus("compliant.txt");
    assert!(cases.len() >= 200, "{} compliant sentences", cases.len());
    let scratch = Scratch::new();
    let mut failures = Vec::new();
    for case in &cases {
        assert!(
            case.expected.is_empty(),
            "compliant.txt:{} has a mark",
            case.line
        );
        for place in places(case) {
            scratch.write(&case.text, place);
            let file = fs::read_to_string(scratch.dir.path().join("event.toml")).unwrap();
            let diags = scratch.check();
            if !diags.is_empty() {
                let found: Vec<String> = diags.iter().map(|d| describe(d, &file)).collect();
                failures.push(format!(
                    "compliant.txt:{} ({place:?}): {:?}\n    found: {found:?}",
                    case.line, case.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
