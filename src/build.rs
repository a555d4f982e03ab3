//! `build`: check an event, then write every selected target for it.
//!
//! An event with rule errors gets no outputs and its previous `OUT/<slug>/` stays as it was.
//! Otherwise every target is written into a staging folder beside `OUT/<slug>/`, with the
//! check report as `report.json`, and the folder replaces `OUT/<slug>/` as a whole.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::check::{check_dir, Report};
use crate::event::Event;
use crate::export::from_page;
use crate::i18n::{Lang, Text};
use crate::render::{render_page, Page, PageOptions, Theme, ThemeCache};
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
        match self {
            Target::Html => "preview",
            other => other.name(),
        }
    }

    /// The targets built when none is named: all of them.
    pub fn defaults() -> Vec<Target> {
        Target::ALL.to_vec()
    }

    /// The files of this target for one event, relative to the target folder.
    pub fn export(self, x: &ExportInput) -> Result<Vec<(String, Vec<u8>)>, Text> {
        match self {
            Target::Html => crate::export::html::export(x.event, x.page, x.announce),
            Target::SiteManagement => {
                // The reminder agent and its mail templates are set up by the same script.
                let mailings = x.comms.site_management_php();
                let mut input = from_page::site_management(x.event, x.page, x.theme, mailings);
                // The announcement card: the page's Open Graph image, as on the preview.
                input.og_card = og_card(x.announce);
                crate::export::site_management::export(&input).map_err(|e| {
                    let ru = e.to_string();
                    t!(
                        "выгрузка для «Управления сайтом» не собрана: {ru}",
                        "the Site Management export failed: {ru}"
                    )
                })
            }
            Target::Bitrix24 => {
                let checklist = x.comms.bitrix24_checklist();
                let input = from_page::bitrix24(x.event, x.page, x.theme, checklist, None, None);
                crate::export::bitrix24::export(&input).map_err(|e| {
                    let (ru, en) = (e.message().ru, e.message().en);
                    t!(
                        "выгрузка для Битрикс24.Сайты не собрана: {ru}",
                        "the Bitrix24.Sites export failed: {en}"
                    )
                })
            }
            Target::Mailings => x.comms.mailings().map_err(comms_error),
            Target::Announce => x
                .announce
                .map(<[_]>::to_vec)
                .ok_or_else(|| comms_error(crate::comms::CommsError::NoSchedule)),
        }
    }
}

/// The 1200×630 card of the announcement kit, when the kit was made.
fn og_card(announce: Option<&[(String, Vec<u8>)]>) -> Option<Vec<u8>> {
    let name = crate::comms::OG_IMAGE.strip_prefix("announce/")?;
    announce?
        .iter()
        .find(|(path, _)| path == name)
        .map(|(_, png)| png.clone())
}

fn comms_error(e: crate::comms::CommsError) -> Text {
    let en = e.to_string();
    t!(
        "рассылки и анонсы не собраны: {en}",
        "the mailings and announcements failed: {en}"
    )
}

/// What every target is made from: the checked event and its rendered page.
pub struct ExportInput<'a> {
    pub event: &'a Event,
    pub page: &'a Page,
    pub theme: &'a Theme,
    pub today: NaiveDate,
    /// The announcement kit, made once when a target needs it (its 1200×630 card is also the
    /// preview's Open Graph image).
    pub announce: Option<&'a [(String, Vec<u8>)]>,
    /// The schedule and the mails, shared by the targets that show them.
    pub comms: &'a crate::comms::EventComms<'a>,
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
    let check = check_dir(dir, opts.today, |e| {
        crate::check::delivered_texts_with(&opts.themes, e)
    });
    let mut report = BuildReport {
        slug: check.event.as_ref().map(Event::slug),
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

fn write_outputs(report: &mut BuildReport, opts: &BuildOptions) -> Result<PathBuf, Text> {
    let event = report.check.event.as_ref().expect("checked event");
    let slug = event.slug();
    if !crate::event::slug::is_valid(&slug) {
        return Err(t!(
            "slug «{slug}» не годится для имени папки: только a-z, 0-9 и дефис",
            "slug \"{slug}\" is not usable as a folder name: a-z, 0-9 and hyphens only"
        ));
    }
    if opts.targets.is_empty() {
        return Err(t!("не выбрана ни одна цель", "no target selected"));
    }
    let theme = opts.themes.for_event(event).map_err(|e| e.message())?;
    // The kit's wide card is the Open Graph image of the preview and of the Site Management page.
    let announce = if opts.targets.contains(&Target::Announce)
        || opts.targets.contains(&Target::SiteManagement)
    {
        Some(crate::comms::export_announce(event).map_err(comms_error)?)
    } else {
        None
    };
    let mut page_opts = PageOptions::new(opts.today);
    page_opts.base_url = opts.base_url.clone();
    if announce.is_some() {
        page_opts.og_image = Some(crate::export::html::OG_CARD.to_string());
    }
    let page = render_page(event, &theme, &page_opts).map_err(|e| e.message())?;
    report.notes.extend(page.notes.iter().cloned());

    let comms = crate::comms::EventComms::new(event, opts.today);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for target in &opts.targets {
        let input = ExportInput {
            event,
            page: &page,
            theme: &theme,
            today: opts.today,
            announce: announce.as_deref(),
            comms: &comms,
        };
        for (path, bytes) in target.export(&input)? {
            files.push((format!("{}/{}", target.dir(), path), bytes));
        }
    }
    let mut json = serde_json::to_value(report.check.json(opts.lang)).unwrap_or_default();
    json["slug"] = serde_json::json!(slug);
    json["today"] = serde_json::json!(opts.today.format("%Y-%m-%d").to_string());
    json["targets"] = serde_json::json!(opts.targets.iter().map(|t| t.name()).collect::<Vec<_>>());
    json["theme"] = serde_json::json!(theme.name);
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
