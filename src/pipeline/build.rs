//! `build`: check an event, then write every selected target for it.
//!
//! An event with rule errors gets no outputs and its previous `OUT/<slug>/` stays as it was.
//! Otherwise every target is written into a staging folder beside `OUT/<slug>/`, with the
//! check report as `report.json`, and the folder replaces `OUT/<slug>/` as a whole.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::{Project, RenderOptions};
use crate::check::Report;
use crate::i18n::{Lang, Text};
use crate::render::{PageOptions, ThemeCache};
use crate::t;

/// An output kind. Each has its folder under `OUT/<slug>/` and one `export` function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Target {
    /// The static preview page: `preview/`.
    Html,
    /// The «1С-Битрикс: Управление сайтом» template archive: `site-management/`.
    SiteManagement,
    /// Bitrix24.Sites blocks: `bitrix24/`.
    Bitrix24,
    /// Reminders, follow-up, SMS and their schedule: `mailings/`.
    Mailings,
    /// Social cards, the post and the cold mail: `announce/`.
    Announce,
}

impl Target {
    pub const ALL: &'static [Target] = &[
        Target::Html,
        Target::SiteManagement,
        Target::Bitrix24,
        Target::Mailings,
        Target::Announce,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Html => "html",
            Target::SiteManagement => "site-management",
            Target::Bitrix24 => "bitrix24",
            Target::Mailings => "mailings",
            Target::Announce => "announce",
        }
    }

    /// The folder under `OUT/<slug>/`.
    pub fn dir(self) -> &'static str {
        self.exporter().dir()
    }

    /// The targets built when none is named: all of them.
    pub fn defaults() -> Vec<Target> {
        Target::ALL.to_vec()
    }

    /// The export that makes this target's files.
    pub fn exporter(self) -> &'static dyn crate::export::Target {
        use crate::export::{Announce, Bitrix24, Mailings, Preview, SiteManagement};
        match self {
            Target::Html => &Preview,
            Target::SiteManagement => &SiteManagement,
            Target::Bitrix24 => &Bitrix24,
            Target::Mailings => &Mailings,
            Target::Announce => &Announce,
        }
    }
}

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output root (`dist/` by default).
    pub out: PathBuf,
    pub targets: Vec<Target>,
    /// "Today" for the date rules, and the calendar file's DTSTAMP.
    pub today: NaiveDate,
    /// The language of messages.
    pub lang: Lang,
    /// The public address of the page, if known (Open Graph, JSON-LD, calendar).
    pub base_url: Option<String>,
    /// Themes loaded so far, shared by the events of a run.
    pub themes: Arc<ThemeCache>,
}

impl BuildOptions {
    pub fn new(out: impl Into<PathBuf>, today: NaiveDate) -> Self {
        BuildOptions {
            out: out.into(),
            targets: Target::defaults(),
            today,
            lang: Lang::Ru,
            base_url: None,
            themes: Arc::new(ThemeCache::new()),
        }
    }
}

/// What happened to one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Outputs written to this folder.
    Built(PathBuf),
    /// The event breaks a rule: nothing written.
    Refused,
    /// The event could not be read (exit 2).
    LoadFailed,
    /// Checking passed but an output could not be made (theme, template, target, disk).
    Failed(Text),
}

/// The result of building one event folder.
#[derive(Debug)]
pub struct BuildReport {
    pub check: Report,
    pub slug: Option<String>,
    pub outcome: Outcome,
    /// Files written, relative to `OUT/<slug>/`.
    pub files: Vec<String>,
    /// Remarks that did not stop the build (e.g. an adjusted accent colour).
    pub notes: Vec<Text>,
}

impl BuildReport {
    /// 0 built, 1 refused by the rules, 2 unreadable input or a failed output.
    pub fn exit_code(&self) -> i32 {
        match self.outcome {
            Outcome::Built(_) => 0,
            Outcome::Refused => 1,
            Outcome::LoadFailed | Outcome::Failed(_) => 2,
        }
    }
}

/// Exit status over many events: the worst one (2 over 1 over 0).
pub fn exit_code(reports: &[BuildReport]) -> i32 {
    reports
        .iter()
        .map(BuildReport::exit_code)
        .max()
        .unwrap_or(0)
}

/// Removes what killed runs left in the output folder (see [`crate::export::sweep_staging`]);
/// an output caught between its two renames goes back to `OUT/<slug>/`, the slug read from
/// its `report.json`.
pub fn sweep_output(out: &Path) -> std::io::Result<()> {
    crate::export::sweep_staging(out, |old| {
        let report = std::fs::read(old.join("report.json")).ok()?;
        let json: serde_json::Value = serde_json::from_slice(&report).ok()?;
        let slug = json["slug"].as_str()?;
        crate::event::slug::is_valid(slug).then(|| out.join(slug))
    })
}

/// Checks and builds one event folder.
pub fn build_event(dir: &Path, opts: &BuildOptions) -> BuildReport {
    let check = Project::open(dir, opts.today)
        .with_themes(opts.themes.clone())
        .check();
    let mut report = BuildReport {
        slug: check.event.as_ref().map(crate::event::Event::slug),
        check,
        outcome: Outcome::Refused,
        files: Vec::new(),
        notes: Vec::new(),
    };
    if report.check.load_failed() {
        report.outcome = Outcome::LoadFailed;
        return report;
    }
    if !report.check.ok() {
        report.outcome = Outcome::Refused;
        return report;
    }
    report.outcome = match write_outputs(&mut report, opts) {
        Ok(dir) => Outcome::Built(dir),
        Err(e) => Outcome::Failed(e),
    };
    report
}

/// The disk mode of the pipeline: every target's files and `report.json`, written as a whole
/// to `OUT/<slug>/`.
fn write_outputs(report: &mut BuildReport, opts: &BuildOptions) -> Result<PathBuf, Text> {
    let approved = report.check.approved().ok_or_else(|| {
        t!(
            "событие не прошло проверку",
            "the event did not pass the check"
        )
    })?;
    if opts.targets.is_empty() {
        return Err(t!("не выбрана ни одна цель", "no target selected"));
    }
    let mut page = PageOptions::new(opts.today);
    page.base_url = opts.base_url.clone();
    let render = RenderOptions {
        page,
        // The kit's wide card is the Open Graph image of the preview and of the Site
        // Management page.
        announce: opts.targets.contains(&Target::Announce)
            || opts.targets.contains(&Target::SiteManagement),
    };
    let rendered = approved.render(&opts.themes, &render)?;
    let slug = approved.webinar().slug.clone();
    let notes = rendered.page.notes.clone();
    let mut files = rendered.files(&opts.targets)?;
    let theme_name = rendered.theme.name.clone();
    drop(rendered);
    report.notes.extend(notes);

    let mut json = serde_json::to_value(report.check.json(opts.lang)).unwrap_or_default();
    json["slug"] = serde_json::json!(slug);
    json["today"] = serde_json::json!(opts.today.format("%Y-%m-%d").to_string());
    json["targets"] = serde_json::json!(opts.targets.iter().map(|t| t.name()).collect::<Vec<_>>());
    json["theme"] = serde_json::json!(theme_name);
    json["notes"] = serde_json::json!(report
        .notes
        .iter()
        .map(|n| n.get(opts.lang).to_string())
        .collect::<Vec<_>>());
    let mut report_json = serde_json::to_string_pretty(&json).unwrap_or_default();
    report_json.push('\n');
    files.push(("report.json".into(), report_json.into_bytes()));

    let target_dir = opts.out.join(&slug);
    let io = |e: std::io::Error| {
        let d = target_dir.display();
        t!("не удалось записать {d}: {e}", "cannot write {d}: {e}")
    };
    crate::export::write_tree_atomic(&target_dir, &files).map_err(io)?;
    report.files = files.into_iter().map(|(p, _)| p).collect();
    Ok(target_dir)
}
