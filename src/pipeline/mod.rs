//! The one way from an event folder to outputs, driven by `build`, `serve` and `publish`:
//!
//! ```text
//! Project::open(dir, today).check()      load, rules, every delivered text through the rules
//!     .approved()?                       only an event without errors goes on
//!     .render(&opts)?                    theme, page, announcement kit, schedule and mails
//!     .files(&targets)                   memory mode (serve, publish, tests)
//!     / build::write_outputs             disk mode: OUT/<slug>/ replaced as a whole
//! ```

pub mod build;
pub mod check;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::comms::EventComms;
use crate::export::{ExportInput, Files};
use crate::i18n::Text;
use crate::render::{render_page, Page, PageOptions, Theme, ThemeCache};
use crate::webinar::Webinar;

pub use build::Target;
pub use check::Report;

/// An event folder and what a run shares between its events.
#[derive(Debug, Clone)]
pub struct Project {
    pub dir: PathBuf,
    /// "Today" for the date rules and the schedule.
    pub today: NaiveDate,
    /// Themes loaded so far, shared by the events of a run.
    pub themes: Arc<ThemeCache>,
}

impl Project {
    pub fn open(dir: impl Into<PathBuf>, today: NaiveDate) -> Project {
        Project {
            dir: dir.into(),
            today,
            themes: Arc::new(ThemeCache::new()),
        }
    }

    pub fn with_themes(mut self, themes: Arc<ThemeCache>) -> Project {
        self.themes = themes;
        self
    }

    /// Loads and checks the event, with every text its outputs deliver.
    pub fn check(&self) -> Report {
        check::check_dir(&self.dir, self.today, &self.themes)
    }
}

/// A webinar that passed `check`: the only way to its outputs. Made only by
/// [`Report::approved`], so holding one means the rules found nothing to refuse.
#[derive(Debug, Clone, Copy)]
pub struct Approved<'a> {
    webinar: &'a Webinar,
    today: NaiveDate,
}

impl Report {
    /// The webinar, when the event loaded and breaks no rule.
    pub fn approved(&self) -> Option<Approved<'_>> {
        if !self.ok() {
            return None;
        }
        Some(Approved {
            webinar: self.webinar.as_ref()?,
            today: self.today,
        })
    }
}

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub page: PageOptions,
    /// Whether to draw the announcement kit (its wide card is the Open Graph image).
    pub announce: bool,
}

/// What the targets are made from, made once per event.
pub struct Rendered<'a> {
    pub webinar: &'a Webinar,
    pub theme: Arc<Theme>,
    pub page: Page,
    pub announce: Option<Files>,
    pub comms: EventComms<'a>,
}

impl<'a> Approved<'a> {
    pub fn webinar(&self) -> &'a Webinar {
        self.webinar
    }

    /// Renders the page through the webinar's theme (taken from `themes`), and the
    /// announcement kit when asked.
    pub fn render(&self, themes: &ThemeCache, opts: &RenderOptions) -> Result<Rendered<'a>, Text> {
        let w = self.webinar;
        if !crate::event::slug::is_valid(&w.slug) {
            let slug = &w.slug;
            return Err(crate::t!(
                "slug «{slug}» не годится для имени папки: только a-z, 0-9 и дефис",
                "slug \"{slug}\" is not usable as a folder name: a-z, 0-9 and hyphens only"
            ));
        }
        let theme = themes.for_choice(&w.theme).map_err(|e| e.message())?;
        self.render_with_theme(theme, opts)
    }

    /// [`Approved::render`] through a theme the caller loaded (`serve` reloads its theme when
    /// the theme's files change).
    pub fn render_with_theme(
        &self,
        theme: Arc<Theme>,
        opts: &RenderOptions,
    ) -> Result<Rendered<'a>, Text> {
        let w = self.webinar;
        let announce = if opts.announce {
            Some(crate::comms::export_announce(w).map_err(crate::export::comms_error)?)
        } else {
            None
        };
        let mut page_opts = opts.page.clone();
        if announce.is_some() && page_opts.og_image.is_none() {
            page_opts.og_image = Some(crate::export::html::OG_CARD.to_string());
        }
        let page = render_page(w, &theme, &page_opts).map_err(|e| e.message())?;
        Ok(Rendered {
            webinar: w,
            theme,
            page,
            announce,
            comms: EventComms::new(w, self.today),
        })
    }
}

impl<'a> Rendered<'a> {
    /// What `publish` sends to Bitrix24: exactly what `build --target bitrix24` writes, with
    /// the CRM form's ID and the stylesheet's address, the announcement card as the Open
    /// Graph image.
    pub fn bitrix24_input(
        &self,
        form_id: Option<u64>,
        css_url: Option<String>,
    ) -> crate::export::bitrix24::Bitrix24Input<'a> {
        let checklist = crate::export::bitrix24::checklist::checklist_with(
            self.webinar,
            self.comms.schedule(),
            self.comms.mails(),
        );
        let mut input = crate::export::from_page::bitrix24(
            self.webinar,
            &self.page,
            &self.theme,
            checklist,
            form_id,
            css_url,
        );
        let card = crate::comms::OG_IMAGE.rsplit('/').next();
        input.og_image = self
            .announce
            .iter()
            .flatten()
            .find(|(name, _)| Some(name.as_str()) == card)
            .map(|(_, png)| png.clone());
        input
    }

    /// The files of `targets`, each under its folder (`preview/index.html`, …): the memory
    /// mode of the pipeline.
    pub fn files(&self, targets: &[Target]) -> Result<Files, Text> {
        let input = ExportInput {
            webinar: self.webinar,
            page: &self.page,
            theme: &self.theme,
            announce: self.announce.as_deref(),
            comms: &self.comms,
        };
        let mut files = Vec::new();
        for target in targets {
            let exporter = target.exporter();
            for (path, bytes) in exporter.files(&input)? {
                files.push((format!("{}/{}", exporter.dir(), path), bytes));
            }
        }
        Ok(files)
    }
}
