//! What `check` and `build` print over a batch of events: a progress bar while the events run
//! (on stderr, only on a terminal) and a summary table once they are done.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
    /// of the document [`run_in_order`] writes. Kept as a `serde_json::Value` until the end of a
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

/// Runs `each` over `items` on rayon's pool and prints what each event prints in the order of
/// `items`, as soon as that event and every one before it are done; then the summary table
/// (or the end of the JSON document). Returns the exit status: the worst of the events' (2
/// over 1 over 0).
///
/// The events are handed out in order through a shared counter, so only the few that finish
/// ahead of an earlier one wait to be printed: a run keeps a table row per event and nothing
/// more, however many events it has. (Collecting every event's output before printing, as
/// `par_iter().collect()` does, held all of them until the end; and rayon's halving of a
/// range would leave half of them waiting for the other half.) One event runs on this thread:
/// starting the pool's threads costs a good share of checking one event.
pub fn run_in_order<T: Sync>(
    items: &[T],
    lang: Lang,
    started: Instant,
    bar: Option<ProgressBar>,
    each: impl Fn(&T) -> Done + Sync,
) -> i32 {
    let printer = Mutex::new(Printer::default());
    let one = |i: usize| {
        let done = each(&items[i]);
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        let mut printer = printer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Written under the lock: two events' texts never interleave or swap.
        write_out(bar.as_ref(), &printer.push(i, done));
    };
    if items.len() == 1 {
        one(0);
    } else {
        let next = AtomicUsize::new(0);
        rayon::broadcast(|_| loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= items.len() {
                break;
            }
            one(i);
        });
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let printer = printer
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (text, code) = printer.finish(lang, started.elapsed());
    write_out(None, &text);
    code
}

/// Writes `text` to stdout at once, out of the progress bar's way.
fn write_out(bar: Option<&ProgressBar>, text: &str) {
    if text.is_empty() {
        return;
    }
    let out = || {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    };
    match bar {
        Some(bar) => bar.suspend(out),
        None => out(),
    }
}

/// The JSON document around the events' objects: what `serde_json::to_string_pretty` makes
/// of `{"events": [...]}`, and a line break.
const JSON_OPEN: &str = "{\n  \"events\": [\n";
const JSON_BETWEEN: &str = ",\n";
const JSON_CLOSE: &str = "\n  ]\n}\n";

/// Puts the events' outputs in order and keeps their rows for the table.
#[derive(Default)]
struct Printer {
    /// Events done ahead of `next`, by index.
    waiting: BTreeMap<usize, Done>,
    next: usize,
    rows: Vec<Row>,
    code: i32,
    /// How many events' JSON objects were written (the document opens before the first).
    json: usize,
}

impl Printer {
    /// Event `index` is done: the text to print now (its output and those of the events
    /// after it that were waiting for it), empty if an earlier event is still running.
    fn push(&mut self, index: usize, done: Done) -> String {
        self.waiting.insert(index, done);
        let mut text = String::new();
        while let Some(done) = self.waiting.remove(&self.next) {
            self.next += 1;
            self.code = self.code.max(done.code);
            self.rows.push(done.row);
            match done.out {
                Output::Human(t) => text.push_str(&t),
                Output::Json(object) => {
                    text.push_str(if self.json == 0 {
                        JSON_OPEN
                    } else {
                        JSON_BETWEEN
                    });
                    text.push_str(&object);
                    self.json += 1;
                }
            }
        }
        text
    }

    /// The end of the run's text (the table, or the end of the JSON document) and its exit
    /// status.
    fn finish(self, lang: Lang, elapsed: Duration) -> (String, i32) {
        let text = if self.json == 0 {
            format!("\n{}", table(&self.rows, lang, elapsed))
        } else {
            JSON_CLOSE.to_string()
        };
        (text, self.code)
    }
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
        let mut printer = Printer::default();
        let mut document = String::new();
        for (i, text) in written.into_iter().enumerate() {
            document.push_str(&printer.push(i, done(text.len() as i32 % 2, Output::Json(text))));
        }
        document.push_str(&printer.finish(Lang::Ru, Duration::ZERO).0);
        assert_eq!(
            document,
            serde_json::to_string_pretty(&whole).unwrap() + "\n"
        );
    }

    fn done(code: i32, out: Output) -> Done {
        Done {
            row: Row {
                event: "e".into(),
                status: Status::Ok,
                errors: 0,
                warnings: 0,
                outputs: None,
            },
            code,
            out,
        }
    }

    /// Events that finish ahead of an earlier one wait for it; the exit status is the worst.
    #[test]
    fn outputs_come_out_in_the_order_of_the_events() {
        let mut printer = Printer::default();
        assert_eq!(printer.push(2, done(1, Output::Human("c".into()))), "");
        assert_eq!(printer.push(1, done(0, Output::Human("b".into()))), "");
        assert_eq!(printer.push(0, done(0, Output::Human("a".into()))), "abc");
        assert_eq!(printer.push(3, done(0, Output::Human("d".into()))), "d");
        assert_eq!(printer.rows.len(), 4);
        let (table, code) = printer.finish(Lang::En, Duration::ZERO);
        assert!(table.starts_with('\n'), "{table}");
        assert_eq!(code, 1);
    }
}
