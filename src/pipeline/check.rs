//! Checking one event folder: load, gather the texts, run the rulebook. Shared by `check`,
//! `build` and `serve`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::{has_errors, Diagnostic, JsonDiagnostic, Severity};
use crate::event::{self, Event, Sources};
use crate::i18n::Lang;
use crate::render::theme::ThemeLocation;
use crate::render::ThemeCache;
use crate::rules::{self, Ctx, Delivered, GeneratedText, ThemeProblem};
use crate::webinar::{ThemeChoice, Webinar};

/// The result of checking one event folder.
#[derive(Debug)]
pub struct Report {
    pub dir: PathBuf,
    /// The "today" the rules were checked on.
    pub today: NaiveDate,
    /// `None` when the folder could not be loaded (exit status 2).
    pub event: Option<Event>,
    /// The typed model, when the event has what it needs (every reason it may not is a rule
    /// error). Only [`Report::approved`] hands it on, and only when no rule is broken.
    pub webinar: Option<Webinar>,
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

/// Loads and checks an event: its own texts and every text its outputs deliver (the theme's
/// strings, the mails, the SMS, the post and the cold mail, the platform notes), and what the
/// outputs hold beyond texts ([`Delivered`]).
pub fn check_dir(dir: &Path, today: NaiveDate, themes: &ThemeCache) -> Report {
    match event::load(dir) {
        Err(failure) => Report {
            dir: dir.to_path_buf(),
            today,
            event: None,
            webinar: None,
            sources: failure.sources,
            diagnostics: failure.diagnostics.into_iter().map(rules::grade).collect(),
        },
        Ok(event) => {
            let webinar = Webinar::from_event(&event).ok();
            let (extra, delivered) = delivered(themes, &event, webinar.as_ref());
            let diagnostics = {
                let mut ctx = Ctx::new(&event, today, &extra);
                ctx.delivered = delivered;
                rules::check(&ctx)
            };
            Report {
                dir: dir.to_path_buf(),
                today,
                sources: event.sources.clone(),
                event: Some(event),
                webinar,
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

/// Every text the event's outputs deliver besides the event's own, and what the rules judge
/// of the outputs beyond their texts. The theme is located once for both.
pub fn delivered(
    themes: &ThemeCache,
    event: &Event,
    webinar: Option<&Webinar>,
) -> (Vec<GeneratedText>, Delivered) {
    let choice = ThemeChoice::of(event);
    let (mut texts, theme_problem) = match ThemeLocation::find(&choice.name, &choice.base) {
        // The theme's strings for the text rules, and whether the rest of it builds (a string
        // missing is reported twice: by the rule that needs it, and by the compile).
        Ok(location) => (
            themes.texts_at(&location, event.language()),
            themes.builds(&location).err().map(|e| ThemeProblem {
                message: e.message(),
                broken: true,
            }),
        ),
        Err(e) => (
            Vec::new(),
            Some(ThemeProblem {
                message: e.message(),
                broken: false,
            }),
        ),
    };
    let mut delivered = Delivered {
        theme_problem,
        ..Delivered::default()
    };
    if let Some(w) = webinar {
        let measured = crate::comms::delivered_for_rules(w);
        delivered.sms = measured.sms;
        delivered.card_logo_problem = measured.card_logo_problem;
        texts.extend(crate::comms::generated_texts(w));
        texts.extend(crate::export::delivered_texts(w));
    }
    (texts, delivered)
}
