//! What `check` and `build` print over a batch of events: a progress bar while the events run
//! (on stderr, only on a terminal) and a summary table once they are done.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::say;
use crate::i18n::Lang;

/// How one event ended, as the table and the JSON document name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `check`: no rule errors.
    Ok,
    /// `build`: outputs written.
    Built,
    /// Rule errors: nothing exported.
    Refused,
    /// The event could not be read or parsed.
    Unreadable,
    /// `build`: the event passed the rules but an output could not be made.
    Failed,
}

impl Status {
    /// The id used in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Built => "built",
            Status::Refused => "refused",
            Status::Unreadable => "unreadable",
            Status::Failed => "failed",
        }
    }

    pub fn label(self, lang: Lang) -> String {
        match self {
            Status::Ok => say(lang, "соответствует", "ok"),
            Status::Built => say(lang, "собрано", "built"),
            Status::Refused => say(lang, "отклонено", "refused"),
            Status::Unreadable => say(lang, "не прочитано", "unreadable"),
            Status::Failed => say(lang, "сбой сборки", "failed"),
        }
    }
}

/// One line of the summary table.
#[derive(Debug, Clone)]
pub struct Row {
    pub event: String,
    pub status: Status,
    pub errors: usize,
    pub warnings: usize,
    /// What was written (e.g. "6 → dist/slug"), `None` for `check` (no outputs column).
    pub outputs: Option<String>,
}

/// One processed event, reduced to what will be printed: the full report (event, sources,
/// pages) is dropped as soon as the event is done, so a run's memory does not grow with the
/// number of events beyond these few lines.
#[derive(Debug)]
pub struct Done {
    pub row: Row,
    /// Exit status of this event (0, 1 or 2).
    pub code: i32,
    /// `--format human`: the diagnostics and the closing line; `json`: the event's object.
    pub out: Output,
}

#[derive(Debug)]
pub enum Output {
    Human(String),
    /// The event's object as it will stand in the document (see [`Output::json`]).
    Json(String),
}

impl Output {
    /// The event's object written out at once, indented for its place in the `events` array
    /// of the document [`print`] writes. Kept as a `serde_json::Value` until the end of a
    /// run, an event cost about 5 KB of memory (objects keep their key order in maps); as
    /// text, a few hundred bytes.
    pub fn json(event: &serde_json::Value) -> Output {
        let pretty = serde_json::to_string_pretty(event).unwrap_or_default();
        let mut out = String::with_capacity(pretty.len() + pretty.len() / 8);
        // JSON strings hold no raw line breaks: every line is a line of the structure.
        for (i, line) in pretty.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str("    ");
            out.push_str(line);
        }
        Output::Json(out)
    }
}

/// Prints a run: every event's diagnostics then the table, or one JSON document. Returns the
/// exit status: the worst of the events' (2 over 1 over 0).
pub fn print(done: Vec<Done>, lang: Lang, elapsed: Duration) -> i32 {
    let code = done.iter().map(|d| d.code).max().unwrap_or(0);
    let mut rows = Vec::with_capacity(done.len());
    let mut events = Vec::new();
    let mut json = false;
    for d in done {
        rows.push(d.row);
        match d.out {
            Output::Human(text) => print!("{text}"),
            Output::Json(v) => {
                json = true;
                events.push(v);
            }
        }
    }
    if !json {
        print!("\n{}", table(&rows, lang, elapsed));
    } else {
        println!("{}", json_document(&events));
    }
    code
}

/// What `serde_json::to_string_pretty` makes of `{"events": [...]}`, from the events'
/// objects as [`Output::json`] wrote them.
fn json_document(events: &[String]) -> String {
    format!("{{\n  \"events\": [\n{}\n  ]\n}}", events.join(",\n"))
}

/// A progress bar over `len` events on stderr; none when stderr is not a terminal (pipes,
/// CI logs, tests) or when there is a single event (even a hidden bar parses its default
/// template: 1 % of checking one event).
pub fn progress(len: usize, lang: Lang) -> Option<ProgressBar> {
    if len < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    let template = say(
        lang,
        "{spinner} [{bar:30}] {pos}/{len} событий, {per_sec} ({eta}) {wide_msg}",
        "{spinner} [{bar:30}] {pos}/{len} events, {per_sec} ({eta}) {wide_msg}",
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

/// Width of a cell as the terminal shows it (Cyrillic and Latin alike take one column).
fn width(s: &str) -> usize {
    s.chars().count()
}

/// The summary table and a totals line, as text (ending with a newline).
pub fn table(rows: &[Row], lang: Lang, elapsed: Duration) -> String {
    let with_outputs = rows.iter().any(|r| r.outputs.is_some());
    let mut header = vec![
        say(lang, "событие", "event"),
        say(lang, "статус", "status"),
        say(lang, "ошибки", "errors"),
        say(lang, "предупр.", "warnings"),
    ];
    if with_outputs {
        header.push(say(lang, "выгрузка", "outputs"));
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut c = vec![
                r.event.clone(),
                r.status.label(lang),
                r.errors.to_string(),
                r.warnings.to_string(),
            ];
            if with_outputs {
                c.push(r.outputs.clone().unwrap_or_else(|| "—".into()));
            }
            c
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(c));
        }
    }
    let numeric = |i: usize| i == 2 || i == 3;
    let line = |row: &[String]| {
        let mut s = String::new();
        for (i, (c, w)) in row.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - width(c));
            if i > 0 {
                s.push_str("  ");
            }
            if numeric(i) {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < row.len() {
                    s.push_str(&pad);
                }
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(&header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&rule));
    for row in &cells {
        out.push_str(&line(row));
    }
    out.push_str(&totals(rows, lang, elapsed));
    out.push('\n');
    out
}

fn totals(rows: &[Row], lang: Lang, elapsed: Duration) -> String {
    let n = rows.len();
    let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
    let mut parts = Vec::new();
    for s in [
        Status::Ok,
        Status::Built,
        Status::Refused,
        Status::Unreadable,
        Status::Failed,
    ] {
        let k = count(s);
        if k > 0 {
            parts.push(format!("{} {k}", s.label(lang)));
        }
    }
    let secs = elapsed.as_secs_f64();
    let parts = parts.join(", ");
    say(
        lang,
        &format!("Итого событий: {n} ({parts}) за {secs:.2} с"),
        &format!("Total events: {n} ({parts}) in {secs:.2} s"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_document_is_what_serde_json_prints_of_the_whole() {
        let events = vec![
            serde_json::json!({ "path": "a", "diagnostics": [{ "rule": "event.title", "line": 3 }], "notes": [] }),
            serde_json::json!({ "path": "b\nc «д»", "diagnostics": [], "out": null }),
        ];
        let written: Vec<String> = events
            .iter()
            .map(|e| match Output::json(e) {
                Output::Json(text) => text,
                Output::Human(_) => unreachable!(),
            })
            .collect();
        let whole = serde_json::json!({ "events": events });
        assert_eq!(
            json_document(&written),
            serde_json::to_string_pretty(&whole).unwrap()
        );
    }
}
