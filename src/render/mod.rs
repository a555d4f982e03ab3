//! Rendering an event through a theme into the landing page.
//!
//! [`render_page`] turns a checked [`Event`] and a loaded [`Theme`] into a [`Page`]: the whole
//! minified `index.html`, and the same markup split into named [`Section`]s, the form alone,
//! the `<head>` extras, the CSS and the assets, so that every target (static preview, Site
//! Management template, Bitrix24 blocks) reuses identical markup.

pub mod color;
pub mod consent;
mod context;
pub mod css;
pub mod head;
pub mod ics;
pub use crate::markdown;
pub mod minify;
pub mod theme;

use chrono::NaiveDate;

use crate::i18n::Text;
use crate::t;
use crate::webinar::Webinar;

pub use consent::{consent_text, ConsentText};
pub use theme::{Theme, ThemeCache, ThemeError};

/// One block of the page, rendered from the theme's `sections/<name>.html` partial. Sections
/// do not depend on each other: each can be placed alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// One of "header", "hero", "audience", "description", "program", "speakers",
    /// "registration", "contacts", "partners", "gallery".
    pub name: &'static str,
    /// Minified HTML. The "registration" section contains [`Page::form_html`] verbatim, so a
    /// target that renders the form another way replaces that substring.
    pub html: String,
}

/// A file the page refers to, relative to the page (`assets/logo.svg`, `style.css`,
/// `event.ics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub path: String,
    pub bytes: Vec<u8>,
    pub mime: &'static str,
}

/// The rendered page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The complete minified document; it links `style.css` and the assets by relative path.
    pub index_html: String,
    /// The body in named sections, in page order; empty sections (no partners, no gallery)
    /// are left out.
    pub sections: Vec<Section>,
    /// The static HTML registration form (fields, consent checkbox and text, submit).
    pub form_html: String,
    /// What goes into `<head>` besides charset, viewport, title, CSS and favicon: meta
    /// description, Open Graph and Twitter card tags, schema.org `Event` JSON-LD.
    pub head_html: String,
    /// The page `<title>` text (not escaped).
    pub title: String,
    /// The page CSS (compiled theme CSS with the event's accent colours), also in `assets`
    /// as `style.css`.
    pub css: String,
    /// Logos, photos, `style.css` and `event.ics`.
    pub assets: Vec<Asset>,
    /// The `.ics` calendar file (also in `assets` as `event.ics`).
    pub ics: String,
    /// The consent text shown under the checkbox.
    pub consent: ConsentText,
    /// Things adjusted while rendering (accent contrast), for the build report.
    pub notes: Vec<Text>,
}

impl Page {
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// Every file of the static page, relative to its folder: `index.html` and the assets.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = vec![(
            "index.html".to_string(),
            self.index_html.clone().into_bytes(),
        )];
        out.extend(
            self.assets
                .iter()
                .map(|a| (a.path.clone(), a.bytes.clone())),
        );
        out
    }
}

/// How to render.
#[derive(Debug, Clone)]
pub struct PageOptions {
    /// Where the static form is sent. The default `#registration-accepted` makes the preview
    /// show the "accepted" state after a submit, without any server.
    pub form_action: String,
    /// `get` or `post`.
    pub form_method: String,
    /// The public address of the page, if known: used for `og:url`, the JSON-LD and the
    /// calendar entry. Without it those links are left out.
    pub base_url: Option<String>,
    /// The calendar file's DTSTAMP day; fixed so that builds are reproducible.
    pub today: NaiveDate,
    /// Minify the HTML (on by default; off to compare the rendered text in tests).
    pub minify: bool,
    /// The Open Graph image, relative to the page (the announcement card); without it the
    /// organizer logo stands in.
    pub og_image: Option<String>,
}

impl PageOptions {
    pub fn new(today: NaiveDate) -> Self {
        PageOptions {
            form_action: "#registration-accepted".into(),
            form_method: "get".into(),
            base_url: None,
            today,
            minify: true,
            og_image: None,
        }
    }
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions::new(NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date"))
    }
}

/// Why a page could not be rendered.
#[derive(Debug, Clone)]
pub enum RenderError {
    /// The event lacks something the page cannot do without (it should not pass `check`).
    Event(Text),
    /// A template failed.
    Template { file: String, error: String },
    /// The theme's page lacks elements the rules demand.
    Incomplete(Vec<String>),
}

impl RenderError {
    pub fn message(&self) -> Text {
        match self {
            RenderError::Event(t) => t.clone(),
            RenderError::Template { file, error } => t!(
                "ошибка в шаблоне темы {file}: {error}",
                "theme template {file} failed: {error}"
            ),
            RenderError::Incomplete(missing) => {
                let list = missing.join("; ");
                t!(
                    "в странице, собранной темой, не хватает обязательного: {list}",
                    "the page the theme produced lacks required elements: {list}"
                )
            }
        }
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for RenderError {}

/// Renders `event` through `theme`. The event is expected to have passed `check`; whatever
/// it lacks that the page cannot do without is a [`RenderError::Event`]. The result is
/// verified: a theme whose page misses an element the rules demand gives
/// [`RenderError::Incomplete`].
pub fn render_page(w: &Webinar, theme: &Theme, opts: &PageOptions) -> Result<Page, RenderError> {
    context::render(w, theme, opts)
}

/// HTML-escapes text for element content and quoted attribute values.
pub use crate::escape::html as esc;
