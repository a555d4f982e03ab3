//! Precision and recall of the text rules on the whole corpus, in two parts: the tuning part
//! (`tests/corpus/*.txt` and `tests/corpus/eval/tune.txt`) and the held-out part
//! (`tests/corpus/eval/heldout.txt`, written before the rules were tuned and never tuned on).
//!
//! Run `cargo test --test it text_report -- --nocapture` for the table. The test asserts the
//! targets on the tuning part only (no compliant line flagged, at least 98 % of the violations
//! of each rule caught at the marked words); the held-out figures are reported, not asserted,
//! so that nobody tunes the rules on them.

use std::fmt::Write as _;
use std::fs;
use std::ops::Range;
use std::path::Path;

use super::text_corpus::{unmark, Place, Scratch};

/// The rules measured, with the ids their findings carry.
const RULES: &[(&str, &[&str])] = &[
    ("text.positioning", &["text.positioning"]),
    (
        "text.competitor",
        &["text.competitor", "text.competitor-ambiguous"],
    ),
    ("text.sales", &["text.sales"]),
    ("text.comparison", &["text.comparison"]),
    ("form.third-party", &["form.third-party"]),
];

struct Line {
    origin: String,
    /// The rule the line violates; `None` for a compliant line.
    rule: Option<&'static str>,
    text: String,
    marks: Vec<Range<usize>>,
}

fn rule_of(id: &str) -> Option<&'static str> {
    RULES.iter().map(|r| r.0).find(|r| *r == id)
}

fn strip_flags(mut rest: &str) -> &str {
    loop {
        if let Some(r) = rest.strip_prefix("md: ") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix("mixed: ") {
            rest = r;
        } else {
            return rest;
        }
    }
}

fn push(out: &mut Vec<Line>, origin: String, rule: Option<&'static str>, raw: &str) {
    let raw = strip_flags(raw).replace("\\n", "\n");
    let (text, marks) = unmark(&raw);
    let marks: Vec<Range<usize>> = marks.into_iter().map(|(r, _)| r).collect();
    // A line of a rule's file with no mark is a compliant line.
    let rule = if marks.is_empty() { None } else { rule };
    out.push(Line {
        origin,
        rule,
        text,
        marks,
    });
}

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lines_of(raw: &str) -> impl Iterator<Item = (usize, &str)> {
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l))
}

/// `ok: text` or `<rule>: text`.
fn eval_file(name: &str) -> Vec<Line> {
    let raw = read(name);
    let mut out = Vec::new();
    for (n, line) in lines_of(&raw) {
        let (label, rest) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{name}:{n}: no label"));
        let rule = if label == "ok" {
            None
        } else {
            Some(rule_of(label).unwrap_or_else(|| panic!("{name}:{n}: unknown rule {label}")))
        };
        push(&mut out, format!("{name}:{n}"), rule, rest);
        let last = out.last().unwrap();
        assert_eq!(
            last.rule.is_some(),
            rule.is_some(),
            "{name}:{n}: a violating line marks its words, a compliant one none"
        );
    }
    out
}

fn tuning_part() -> Vec<Line> {
    let mut out = Vec::new();
    for (name, rule) in [
        ("compliant.txt", None),
        ("text.positioning.txt", Some("text.positioning")),
        ("text.competitor.txt", Some("text.competitor")),
        ("text.sales.txt", Some("text.sales")),
        ("text.comparison.txt", Some("text.comparison")),
        ("form.third-party.txt", Some("form.third-party")),
    ] {
        let raw = read(name);
        for (n, line) in lines_of(&raw) {
            push(&mut out, format!("{name}:{n}"), rule, line);
        }
    }
    out.extend(eval_file("eval/tune.txt"));
    out
}

#[derive(Default, Clone, Copy)]
struct Score {
    violations: usize,
    /// A finding of the rule overlaps a marked span.
    caught: usize,
    /// Every marked span is overlapped and every finding of the rule overlaps a mark.
    pointed: usize,
    /// Compliant lines with a finding of the rule.
    false_alarms: usize,
}

struct Report {
    scores: Vec<Score>,
    compliant: usize,
    failures: Vec<String>,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn evaluate(lines: &[Line]) -> Report {
    let scratch = Scratch::new();
    let mut scores = vec![Score::default(); RULES.len()];
    let mut compliant = 0;
    let mut failures = Vec::new();
    for line in lines {
        let at = scratch.write(&line.text, Place::Description);
        let diags = scratch.check();
        if line.rule.is_none() {
            compliant += 1;
        }
        for (i, (rule, ids)) in RULES.iter().enumerate() {
            let found: Vec<Range<usize>> = diags
                .iter()
                .filter(|d| ids.contains(&d.rule))
                .filter_map(|d| d.span.clone())
                .map(|s| s.start.saturating_sub(at)..s.end.saturating_sub(at))
                .collect();
            let shown = || {
                found
                    .iter()
                    .map(|r| line.text.get(r.clone()).unwrap_or("?"))
                    .collect::<Vec<_>>()
            };
            match line.rule {
                None => {
                    if !found.is_empty() {
                        scores[i].false_alarms += 1;
                        failures.push(format!(
                            "{} false alarm of {rule}: {:?} at {:?}",
                            line.origin,
                            line.text,
                            shown()
                        ));
                    }
                }
                Some(r) if r == *rule => {
                    let s = &mut scores[i];
                    s.violations += 1;
                    let hit = found
                        .iter()
                        .any(|f| line.marks.iter().any(|m| overlaps(f, m)));
                    let exact = line
                        .marks
                        .iter()
                        .all(|m| found.iter().any(|f| overlaps(f, m)))
                        && found
                            .iter()
                            .all(|f| line.marks.iter().any(|m| overlaps(f, m)));
                    s.caught += usize::from(hit);
                    s.pointed += usize::from(hit && exact);
                    if !hit {
                        failures.push(format!("{} missed {rule}: {:?}", line.origin, line.text));
                    } else if !exact {
                        failures.push(format!(
                            "{} {rule} not at the marked words: {:?} at {:?}",
                            line.origin,
                            line.text,
                            shown()
                        ));
                    }
                }
                Some(_) => {}
            }
        }
    }
    Report {
        scores,
        compliant,
        failures,
    }
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "   —  ".into()
    } else {
        format!("{:5.1}%", 100.0 * n as f64 / d as f64)
    }
}

fn table(title: &str, r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{title}: {} compliant lines, {} violating",
        r.compliant,
        r.scores.iter().map(|s| s.violations).sum::<usize>()
    );
    let _ = writeln!(
        s,
        "  {:<18} {:>5} {:>7} {:>9} {:>8} {:>12}",
        "rule", "lines", "recall", "precision", "pointed", "false alarms"
    );
    for ((rule, _), sc) in RULES.iter().zip(&r.scores) {
        let _ = writeln!(
            s,
            "  {:<18} {:>5} {:>7} {:>9} {:>8} {:>12}",
            rule,
            sc.violations,
            pct(sc.caught, sc.violations),
            pct(sc.caught, sc.caught + sc.false_alarms),
            pct(sc.pointed, sc.violations),
            sc.false_alarms
        );
    }
    s
}

#[test]
fn text_rules_precision_and_recall() {
    let tune = evaluate(&tuning_part());
    let held = evaluate(&eval_file("eval/heldout.txt"));
    println!("{}", table("tuning part", &tune));
    println!("{}", table("held-out part", &held));
    if std::env::var_os("TEXT_REPORT_VERBOSE").is_some() {
        for f in tune.failures.iter().chain(&held.failures) {
            println!("{f}");
        }
    }
    assert!(tune.compliant >= 450 && held.compliant >= 120);
    let mut unmet = Vec::new();
    for ((rule, _), sc) in RULES.iter().zip(&tune.scores) {
        if sc.false_alarms > 0 || sc.caught * 100 < sc.violations * 98 {
            unmet.push(*rule);
        }
    }
    let tune_failures: Vec<&String> = tune
        .failures
        .iter()
        .filter(|f| !f.starts_with("eval/heldout"))
        .collect();
    assert!(
        unmet.is_empty(),
        "targets unmet on the tuning part for {unmet:?}:\n{}",
        tune_failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
