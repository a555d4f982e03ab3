//! Building the preview in memory and publishing it.
//!
//! [`Builder::build`] checks the event (the same `check_dir` as `check` and `build`) and, when
//! it passes, renders the page. [`Shared::publish`] swaps the whole result in at once and only
//! then tells the browsers (a new generation): a page is never served half-built, and a
//! failed build keeps the last good page with the diagnostics beside it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use serde::Serialize;
use tokio::sync::broadcast;

use crate::diag::{JsonDiagnostic, Severity};
use crate::i18n::{Lang, Text};
use crate::pipeline::{Project, RenderOptions};
use crate::render::theme::{ThemeFiles, ThemeSource};
use crate::render::{Page, PageOptions, Theme};
use crate::webinar::ThemeChoice;

use super::form::{FormSpec, SUBMIT_PATH};

/// One diagnostic as the overlay and the status endpoint show it, in the chosen language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub rule: String,
    pub severity: &'static str,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn from_json(d: JsonDiagnostic) -> Problem {
        Problem {
            rule: d.rule.to_string(),
            severity: d.severity.as_str(),
            file: d.file,
            line: d.line,
            column: d.column,
            message: d.message,
            help: d.help,
        }
    }

    /// A failure that is not a rule: the theme or the template (`rule` is `theme` or
    /// `render`).
    fn other(rule: &str, message: &Text, lang: Lang, file: Option<String>) -> Problem {
        Problem {
            rule: rule.into(),
            severity: "error",
            file,
            line: None,
            column: None,
            message: message.get(lang).to_string(),
            help: None,
        }
    }

    /// `event.toml:12:5`, or the file alone, or nothing.
    pub fn place(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        })
    }
}

/// A good build: the page and what the preview form needs.
#[derive(Debug)]
pub struct Preview {
    pub page: Page,
    pub form: FormSpec,
}

/// What one build produced.
#[derive(Debug)]
pub enum Outcome {
    Good {
        preview: Box<Preview>,
        warnings: Vec<Problem>,
    },
    Bad {
        errors: Vec<Problem>,
        warnings: Vec<Problem>,
    },
}

/// What the terminal line says about a build.
#[derive(Debug, Clone)]
pub struct Summary {
    pub errors: Vec<Problem>,
    pub warnings: usize,
}

impl Outcome {
    pub fn summary(&self) -> Summary {
        match self {
            Outcome::Good { warnings, .. } => Summary {
                errors: Vec::new(),
                warnings: warnings.len(),
            },
            Outcome::Bad { errors, warnings } => Summary {
                errors: errors.clone(),
                warnings: warnings.len(),
            },
        }
    }
}

/// A build and what to print and watch.
#[derive(Debug)]
pub struct Built {
    pub outcome: Outcome,
    /// The diagnostics rendered for the terminal (rustc style).
    pub terminal: Vec<String>,
    /// Files and folders whose changes should trigger the next build.
    pub watch: WatchSet,
    pub millis: u128,
}

/// What to watch: the event folder, the files it was read from (an `agency.toml` above
/// it), and the theme folder when the theme is on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchSet {
    pub recursive: Vec<PathBuf>,
    /// Folders watched alone (not their subfolders): where `agency.toml` lives.
    pub flat: Vec<PathBuf>,
    /// The files the event was read from.
    pub files: Vec<PathBuf>,
    pub theme_dir: Option<PathBuf>,
}

/// Builds the preview of one event folder, keeping the compiled theme between builds.
pub struct Builder {
    pub dir: PathBuf,
    pub today: Option<NaiveDate>,
    pub lang: Lang,
    pub color: bool,
    theme: Option<(ThemeSource, Arc<Theme>)>,
}

impl Builder {
    pub fn new(dir: PathBuf, today: Option<NaiveDate>, lang: Lang, color: bool) -> Builder {
        Builder {
            dir,
            today,
            lang,
            color,
            theme: None,
        }
    }

    /// Drops the compiled theme if any of `changed` is inside its folder.
    pub fn invalidate(&mut self, changed: &[PathBuf]) {
        if let Some((ThemeSource::Dir(dir), _)) = &self.theme {
            if changed.iter().any(|p| p.starts_with(dir)) {
                self.theme = None;
            }
        }
    }

    fn theme_for(&mut self, files: ThemeFiles) -> Result<Arc<Theme>, crate::render::ThemeError> {
        if let Some((source, theme)) = &self.theme {
            if *source == files.source {
                return Ok(theme.clone());
            }
        }
        let source = files.source.clone();
        let theme = Arc::new(Theme::from_files(files)?);
        self.theme = Some((source, theme.clone()));
        Ok(theme)
    }

    /// Builds; a panic anywhere in checking or rendering becomes an `internal` error on the
    /// overlay instead of ending the watcher.
    pub fn build(&mut self) -> Built {
        let started = std::time::Instant::now();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.build_inner())) {
            Ok(built) => built,
            Err(panic) => {
                self.theme = None;
                let what = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let message = crate::t!(
                    "внутренняя ошибка bxland при сборке: {what}",
                    "bxland failed internally while building: {what}"
                );
                Built {
                    outcome: Outcome::Bad {
                        errors: vec![Problem::other("internal", &message, self.lang, None)],
                        warnings: Vec::new(),
                    },
                    terminal: Vec::new(),
                    watch: WatchSet {
                        recursive: vec![self.dir.clone()],
                        ..WatchSet::default()
                    },
                    millis: started.elapsed().as_millis(),
                }
            }
        }
    }

    fn build_inner(&mut self) -> Built {
        let started = std::time::Instant::now();
        let lang = self.lang;
        let today = self
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let report = Project::open(&self.dir, today).check();
        let terminal = report
            .diagnostics
            .iter()
            .map(|d| d.render(&report.sources, lang, self.color))
            .collect();
        let mut watch = WatchSet {
            recursive: vec![self.dir.clone()],
            ..WatchSet::default()
        };
        for f in report.sources.files() {
            watch.files.push(f.path.clone());
            if let Some(parent) = f.path.parent() {
                if !parent.starts_with(&self.dir) && !watch.flat.iter().any(|p| p == parent) {
                    watch.flat.push(parent.to_path_buf());
                }
            }
        }
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for d in &report.diagnostics {
            let p = Problem::from_json(JsonDiagnostic::new(d, &report.sources, lang));
            match d.severity() {
                Severity::Error => errors.push(p),
                Severity::Warning => warnings.push(p),
            }
        }
        if report.load_failed() && errors.is_empty() {
            errors.push(Problem::other(
                "input.parse",
                &crate::t!(
                    "событие не удалось прочитать",
                    "the event could not be read"
                ),
                lang,
                Some(crate::event::load::EVENT_FILE.into()),
            ));
        }
        let mut outcome = Outcome::Bad {
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        if let Some(event) = &report.event {
            let choice = ThemeChoice::of(event);
            let found = ThemeFiles::find(&choice.name, &choice.base);
            if let Ok(files) = &found {
                if let ThemeSource::Dir(d) = &files.source {
                    watch.theme_dir = Some(d.clone());
                }
            }
            if let (true, Some(approved)) = (errors.is_empty(), report.approved()) {
                outcome = match found.and_then(|files| self.theme_for(files)) {
                    Err(e) => {
                        errors.push(Problem::other("theme", &e.message(), lang, None));
                        Outcome::Bad {
                            errors: Vec::new(),
                            warnings: Vec::new(),
                        }
                    }
                    Ok(theme) => {
                        let mut page = PageOptions::new(today);
                        page.form_action = SUBMIT_PATH.into();
                        page.form_method = "post".into();
                        let opts = RenderOptions {
                            page,
                            announce: false,
                        };
                        match approved.render_with_theme(theme.clone(), &opts) {
                            Ok(rendered) => {
                                let page = rendered.page;
                                let form = FormSpec::new(approved.webinar(), &theme, &page);
                                Outcome::Good {
                                    preview: Box::new(Preview { page, form }),
                                    warnings: warnings.clone(),
                                }
                            }
                            Err(e) => {
                                errors.push(Problem::other("render", &e, lang, None));
                                Outcome::Bad {
                                    errors: Vec::new(),
                                    warnings: Vec::new(),
                                }
                            }
                        }
                    }
                };
            }
        }
        if let Outcome::Bad { .. } = outcome {
            outcome = Outcome::Bad { errors, warnings };
        }
        Built {
            outcome,
            terminal,
            watch,
            millis: started.elapsed().as_millis(),
        }
    }
}

/// What the server serves right now.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Bumped on every published change; the page carries the generation it was served at.
    pub gen: u64,
    /// The last good build, kept while the event is broken.
    pub preview: Option<Arc<Preview>>,
    /// Errors of the latest build (empty when it was good).
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Snapshot {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// What the browsers are told after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Only the page's HTML changed: the client may swap the new page in.
    Page { gen: u64 },
    /// The page's files changed (an image, the stylesheet with the HTML): load it again.
    Reload { gen: u64 },
    /// Only the stylesheet changed: swap it.
    Css { gen: u64 },
    /// Only the diagnostics changed: replace the overlay (empty when none).
    Overlay { gen: u64, html: Arc<str> },
}

impl Signal {
    pub fn gen(&self) -> u64 {
        match self {
            Signal::Page { gen }
            | Signal::Reload { gen }
            | Signal::Css { gen }
            | Signal::Overlay { gen, .. } => *gen,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Signal::Page { .. } => "page",
            Signal::Reload { .. } => "reload",
            Signal::Css { .. } => "css",
            Signal::Overlay { .. } => "overlay",
        }
    }
}

/// The state shared by the builder and the server.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    pub signals: broadcast::Sender<Signal>,
    pub lang: Lang,
}

impl Shared {
    pub fn new(lang: Lang) -> Shared {
        Shared {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            signals: broadcast::channel(64).0,
            lang,
        }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts a build in place and tells the browsers what changed; `None` when nothing the
    /// browser shows changed.
    pub fn publish(&self, outcome: Outcome) -> Option<Signal> {
        let old = self.snapshot();
        let gen = old.gen + 1;
        let (next, signal) = match outcome {
            Outcome::Good { preview, warnings } => {
                let change = match &old.preview {
                    None => Change::Page,
                    Some(prev) => page_change(&prev.page, &preview.page),
                };
                let diag_changed = !old.errors.is_empty() || old.warnings != warnings;
                let next = Snapshot {
                    gen,
                    preview: Some(Arc::from(preview)),
                    errors: Vec::new(),
                    warnings,
                };
                let signal = match change {
                    Change::Page => Some(Signal::Page { gen }),
                    Change::Files => Some(Signal::Reload { gen }),
                    Change::Css if !diag_changed => Some(Signal::Css { gen }),
                    Change::Css => Some(Signal::Reload { gen }),
                    Change::None if diag_changed => Some(Signal::Overlay {
                        gen,
                        html: super::overlay::overlay_html(&next, self.lang).into(),
                    }),
                    Change::None => None,
                };
                (next, signal)
            }
            Outcome::Bad { errors, warnings } => {
                if errors == old.errors && warnings == old.warnings {
                    return None;
                }
                let next = Snapshot {
                    gen,
                    preview: old.preview.clone(),
                    errors,
                    warnings,
                };
                let html = super::overlay::overlay_html(&next, self.lang);
                (
                    next,
                    Some(Signal::Overlay {
                        gen,
                        html: html.into(),
                    }),
                )
            }
        };
        let signal = signal?;
        {
            let mut guard = match self.snapshot.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            *guard = Arc::new(next);
        }
        // Nobody listening is fine.
        let _ = self.signals.send(signal.clone());
        Some(signal)
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Change {
    None,
    /// The stylesheet alone.
    Css,
    /// The page's HTML alone: the browser keeps its stylesheet and images.
    Page,
    /// An image of the page, or the stylesheet with the HTML: a page swapped in would show the
    /// browser's old copies (an image's URL is the same).
    Files,
}

/// What the browser shows of a page: its HTML, its stylesheet and its other files.
struct Shown<'a> {
    html: &'a str,
    css: &'a str,
    assets: &'a [crate::render::Asset],
}

impl<'a> Shown<'a> {
    fn of(page: &'a Page) -> Shown<'a> {
        Shown {
            html: &page.index_html,
            css: &page.css,
            assets: &page.assets,
        }
    }

    /// The images: what a page swapped in would show from the browser's memory. (The
    /// stylesheet is compared apart; `event.ics` is fetched afresh when its link is followed.)
    fn images(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.assets
            .iter()
            .filter(|a| a.mime.starts_with("image/"))
            .map(|a| (a.path.as_str(), a.bytes.as_slice()))
    }
}

/// The form's fields and messages are in the page's HTML, so comparing it covers them.
fn page_change(old: &Page, new: &Page) -> Change {
    change_between(&Shown::of(old), &Shown::of(new))
}

fn change_between(old: &Shown, new: &Shown) -> Change {
    let html = old.html != new.html;
    let css = old.css != new.css;
    if !old.images().eq(new.images()) || (html && css) {
        Change::Files
    } else if html {
        Change::Page
    } else if css {
        Change::Css
    } else {
        Change::None
    }
}

/// Whether a changed path matters: editor scratch files (vim's `4913` and swap files,
/// backups, JetBrains' safe-write copies) do not.
pub fn relevant(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    !(name == "4913"
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || name.starts_with(".#"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Asset;

    fn asset(path: &str, bytes: &[u8]) -> Asset {
        Asset {
            path: path.into(),
            bytes: bytes.to_vec(),
            mime: "image/svg+xml",
        }
    }

    fn ics(summary: &str) -> Asset {
        Asset {
            path: "event.ics".into(),
            bytes: format!("SUMMARY:{summary}").into_bytes(),
            mime: "text/calendar",
        }
    }

    /// What the client is told: swap the page in only when its HTML alone changed.
    #[test]
    fn a_page_is_swapped_only_when_its_html_alone_changed() {
        let files = [asset("assets/logo.svg", b"<svg/>"), ics("A")];
        let new_logo = [asset("assets/logo.svg", b"<svg></svg>"), ics("A")];
        let new_ics = [asset("assets/logo.svg", b"<svg/>"), ics("B")];
        let page = |html, css, assets| Shown { html, css, assets };
        let old = page("<p>1</p>", "a{}", &files[..]);
        let cases = [
            (page("<p>1</p>", "a{}", &files[..]), Change::None),
            (page("<p>2</p>", "a{}", &files[..]), Change::Page),
            (page("<p>1</p>", "b{}", &files[..]), Change::Css),
            (page("<p>2</p>", "b{}", &files[..]), Change::Files),
            (page("<p>1</p>", "a{}", &new_logo[..]), Change::Files),
            (page("<p>2</p>", "a{}", &new_logo[..]), Change::Files),
            (page("<p>1</p>", "a{}", &files[1..]), Change::Files),
            (page("<p>2</p>", "a{}", &new_ics[..]), Change::Page),
        ];
        for (i, (new, want)) in cases.iter().enumerate() {
            assert_eq!(&change_between(&old, new), want, "case {i}");
        }
    }
}
