//! Checking one event folder: load, gather the texts, run the rulebook. Shared by `check`,
//! `build` and `serve`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::{has_errors, Diagnostic, JsonDiagnostic, Severity};
use crate::event::{self, Event, Sources};
use crate::i18n::Lang;
use crate::rules::{self, Ctx, GeneratedText};

/// The result of checking one event folder.
#[derive(Debug)]
pub struct Report {
    pub dir: PathBuf,
    /// `None` when the folder could not be loaded (exit status 2).
    pub event: Option<Event>,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn load_failed(&self) -> bool {
        self.event.is_none()
    }

    pub fn ok(&self) -> bool {
        !self.load_failed() && !has_errors(&self.diagnostics)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    pub fn json(&self, lang: Lang) -> JsonEvent {
        JsonEvent {
            path: self.dir.display().to_string(),
            ok: self.ok(),
            diagnostics: self
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(d, &self.sources, lang))
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonEvent {
    pub path: String,
    pub ok: bool,
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// Loads and checks an event. `extra_texts` are texts that reach the page from elsewhere (the
/// theme's strings, generated mails), checked by the same rules.
pub fn check_dir<F>(dir: &Path, today: NaiveDate, extra_texts: F) -> Report
where
    F: FnOnce(&Event) -> Vec<GeneratedText>,
{
    match event::load(dir) {
        Err(failure) => Report {
            dir: dir.to_path_buf(),
            event: None,
            sources: failure.sources,
            diagnostics: failure.diagnostics.into_iter().map(rules::grade).collect(),
        },
        Ok(event) => {
            let diagnostics = {
                let extra = extra_texts(&event);
                let mut ctx = Ctx::new(&event, today, &extra);
                ctx.delivered = crate::comms::delivered_for_rules(&event);
                let (spec, base) = crate::render::theme::theme_spec(&event);
                ctx.delivered.theme_problem =
                    crate::render::theme::ThemeLocation::find(&spec, &base)
                        .err()
                        .map(|e| e.message());
                rules::check(&ctx)
            };
            Report {
                dir: dir.to_path_buf(),
                sources: event.sources.clone(),
                event: Some(event),
                diagnostics,
            }
        }
    }
}

/// The event folders named on the command line: a folder with `event.toml` is an event; a
/// folder without one stands for the event folders directly inside it.
pub fn expand_dirs(args: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in args {
        if dir.join(event::load::EVENT_FILE).exists() || !dir.is_dir() {
            out.push(dir.clone());
            continue;
        }
        let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.join(event::load::EVENT_FILE).exists())
                    .collect()
            })
            .unwrap_or_default();
        if children.is_empty() {
            out.push(dir.clone()); // reported as "event.toml not found"
        } else {
            children.sort();
            out.extend(children);
        }
    }
    out
}

/// Exit status over many reports: 2 if any input could not be read, else 1 if any event
/// breaks a rule, else 0.
pub fn exit_code(reports: &[Report]) -> i32 {
    if reports.iter().any(Report::load_failed) {
        2
    } else if reports.iter().any(|r| !r.ok()) {
        1
    } else {
        0
    }
}

/// Every text the event's outputs deliver besides the event's own: the theme's strings and the
/// mails, posts and cards bxland writes. The text rules run over them too.
pub fn delivered_texts(event: &Event) -> Vec<GeneratedText> {
    delivered_texts_with(&crate::render::ThemeCache::new(), event)
}

/// [`delivered_texts`] for the events of one run, the theme strings read once through `themes`.
pub fn delivered_texts_with(
    themes: &crate::render::ThemeCache,
    event: &Event,
) -> Vec<GeneratedText> {
    let mut texts = themes.check_texts(event);
    texts.extend(crate::comms::generated_texts(event));
    texts
}
