//! `--target bitrix24`: the page as own blocks of Bitrix24.Sites (Сайты24).
//!
//! One block per section of the page, each the exact payload of `landing.repo.register`
//! (`code`, `fields` = NAME, DESCRIPTION, SECTIONS, PREVIEW, CONTENT, ACTIVE, and `manifest` =
//! block, nodes, style, assets); the registration section is a CRM-form block
//! (`manifest.block.subtype = "form"`, `assets.ext = ["landing_form"]`, a `.bitrix24forms`
//! node whose `data-b24form="#crmFormInline<ID>"` names the CRM form). `page.json` holds the
//! fields of `landing.site.add` / `landing.landing.add` and the block order; `form-setup.md`
//! is the Russian checklist of what only a person with the portal can switch on.
//!
//! Block content passes [`check_content`], the local equivalent of `landing.repo.checkContent`,
//! after the safe rewrites of [`html::prepare`]; anything else refuses the export.

pub mod checklist;
pub mod form_setup;
pub mod html;
pub mod publish;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::{json, Value};

use crate::catalog;
use crate::i18n::{Lang, Text};
use crate::t;
use crate::webinar::Language;
use crate::webinar::Webinar;

pub use crate::rules::content_filter::{check_content, ContentProblem};
pub use html::drop_ics_links;

/// Everything the exporter needs; built from the theme's rendering (`export::from_page`).
pub struct Bitrix24Input<'a> {
    pub event: &'a Webinar,
    pub title: String,
    pub description: String,
    /// (section name, already-escaped HTML) in page order. A `registration` section is
    /// replaced by the CRM-form block; without one, the form block goes before `contacts`.
    pub sections: Vec<(String, String)>,
    /// Theme CSS.
    pub css: String,
    /// The generated consent text, pasted as the CRM form's agreement.
    pub consent_plain: String,
    /// Theme strings: `form_accepted`, `form_rejected` (with `{reason}`), `form_retry`,
    /// `free_registration`, `registration_title`, `reason_competitor`, `reason_student`.
    pub strings: BTreeMap<String, String>,
    pub confirmation_subject: String,
    pub confirmation_body: String,
    /// Markdown appended to form-setup.md by other exporters; may be empty.
    pub extra_checklist: String,
    /// The CRM form's ID, once it exists on the portal (`--form-id`).
    pub form_id: Option<u64>,
    /// A public URL of the page CSS (`styles.css` uploaded by the partner), listed in every
    /// block's `manifest.assets.css`.
    pub css_url: Option<String>,
    /// The page's public address, once known (`landing.landing.getpublicurl` after a
    /// publish): filled into the mails and messages of form-setup.md.
    pub page_url: Option<String>,
    /// The page's images by the relative path the sections use (the page render's assets,
    /// sanitized there): `publish` uploads them.
    pub files: Vec<(String, Vec<u8>)>,
    /// The 1200×630 announcement card (PNG): `publish` makes it the page's Open Graph image.
    pub og_image: Option<Vec<u8>>,
}

/// The site every event page goes to (one site per portal keeps within plan limits).
pub const SITE_CODE: &str = "bxland-webinars";
/// What stands for the form ID in `blocks.json` until the CRM form exists.
pub const FORM_ID_PLACEHOLDER: &str = "FORM_ID";

#[derive(Debug, Clone)]
pub enum ExportError {
    /// A section's content would be refused by the Bitrix24 filter even after the rewrites.
    Content {
        section: String,
        problems: Vec<ContentProblem>,
    },
}

impl ExportError {
    pub fn message(&self) -> Text {
        match self {
            ExportError::Content { section, problems } => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| format!("«{}»", p.snippet))
                    .collect();
                let list = list.join(", ");
                let n = problems.len();
                t!(
                    "раздел «{section}» не пройдёт фильтр содержимого Битрикс24 (landing.repo.checkContent): мест — {n}: {list}",
                    "section \"{section}\" would be refused by the Bitrix24 content filter (landing.repo.checkContent): {n} spot(s): {list}"
                )
            }
        }
    }

    pub fn details(&self, lang: Lang) -> Vec<String> {
        match self {
            ExportError::Content { problems, .. } => problems
                .iter()
                .map(|p| format!("{} [{}]", p.message.get(lang), p.kind))
                .collect(),
        }
    }

    pub fn help(&self) -> Text {
        t!(
            "уберите из шаблона скрипты, iframe, формы и встроенные SVG с подписью (замените их на <img>); обработчики on…= и адреса javascript:/data: недопустимы",
            "remove scripts, iframes, forms and labelled inline SVG (use <img>) from the theme; on…= handlers and javascript:/data: URLs are not allowed"
        )
    }
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for ExportError {}

/// One `landing.repo.register` payload.
#[derive(Debug, Clone, Serialize)]
pub struct RepoBlock {
    pub code: String,
    pub fields: RepoFields,
    pub manifest: Value,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub struct RepoFields {
    pub name: String,
    pub description: String,
    pub sections: String,
    pub preview: String,
    pub content: String,
    pub active: String,
}

/// The whole export: blocks in page order, the site and page fields, the CSS.
#[derive(Debug, Clone)]
pub struct Plan {
    pub slug: String,
    /// (section name, payload), in page order.
    pub blocks: Vec<(String, RepoBlock)>,
    pub site_fields: Value,
    /// `landing.landing.add` fields without SITE_ID (known only on the portal).
    pub page_fields: Value,
    pub css: String,
    pub form_id: Option<u64>,
}

/// A stable block code for an event's section: re-registering the same code updates the block.
pub fn block_code(slug: &str, section: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    };
    format!("bxland-{}-{}", clean(slug), clean(section))
}

/// Catalogue sections of the Bitrix24 block library for our section names, plus our own
/// «bxland» category so partners find the blocks together.
fn catalogue_section(section: &str) -> &'static str {
    match section {
        "header" => "menu",
        "hero" => "cover",
        "description" | "audience" => "text",
        "program" => "schedule",
        "speakers" => "team",
        "registration" => "forms",
        "contacts" => "contacts",
        "partners" => "partners",
        "gallery" => "gallery",
        "footer" => "footer",
        _ => "other",
    }
}

pub(crate) fn section_label(section: &str, lang: Language) -> String {
    catalog::try_text(lang, &format!("bitrix24.section.{section}"))
        .unwrap_or(section)
        .to_string()
}

/// The name the Bitrix24 editor shows for an editable node (staff read it: Russian).
fn node_name(class: &str) -> &'static str {
    let key = match class {
        html::NODE_TITLE => "title",
        html::NODE_IMG => "image",
        _ => "text",
    };
    catalog::staff(&format!("bitrix24.node.{key}"))
}

/// HTML-escapes text: the same escaping as the page itself.
pub use crate::render::esc as escape;

/// A theme string, or bxland's default for the event's language (the catalog's `form.*`, its
/// `{{ reason }}` as the page's own `{reason}`).
pub fn string(input: &Bitrix24Input, key: &str) -> String {
    if let Some(s) = input.strings.get(key).filter(|s| !s.trim().is_empty()) {
        return s.clone();
    }
    catalog::try_text(input.event.language, &format!("form.{key}"))
        .map(|t| {
            catalog::fill(t, &[("reason", catalog::PAGE_REASON)]).unwrap_or_else(|u| u.partial)
        })
        .unwrap_or_default()
}

/// The page's accent colour from its CSS (`--accent:#…`), for the CRM form's design.
fn accent(css: &str) -> String {
    css.split("--accent:")
        .nth(1)
        .map(|r| {
            r.chars()
                .take_while(|c| *c == '#' || c.is_ascii_hexdigit())
                .collect::<String>()
        })
        .filter(|c| c.len() == 4 || c.len() == 7)
        .unwrap_or_else(|| "#0b5cad".into())
}

/// The CRM-form block: heading, the free-registration line and the `.bitrix24forms` node.
/// `data-b24form-use-style` comes with `data-b24form-design`, as in Bitrix's own form blocks
/// (without the design the form loses its styling).
fn registration_html(input: &Bitrix24Input) -> String {
    let marker = match input.form_id {
        Some(id) => format!("#crmFormInline{id}"),
        None => format!("#crmFormInline{FORM_ID_PLACEHOLDER}"),
    };
    let design = json!({
        "dark": false,
        "style": "classic",
        "shadow": false,
        "compact": false,
        "color": {
            "primary": accent(&input.css),
            "primaryText": "#ffffff",
            "text": "#14213d",
            "background": "#ffffff00",
            "fieldBorder": "#dde3ec",
            "fieldBackground": "#ffffff",
            "fieldFocusBackground": "#ffffff",
        },
    });
    format!(
        "<section class=\"bxl-registration\"><div class=\"bxl-container\"><h2>{}</h2><p>{}</p><div class=\"bitrix24forms\" data-b24form=\"{}\" data-b24form-embed data-b24form-use-style=\"Y\" data-b24form-design=\"{}\" data-b24form-show-header=\"N\"></div></div></section>",
        escape(&string(input, "registration_title")),
        escape(&string(input, "free_registration")),
        marker,
        escape(&design.to_string()),
    )
}

/// The registration block's own layout (the theme styles its static form, not this block).
const REGISTRATION_CSS: &str = ".bxl-registration{background:var(--bg-soft,#f4f7fb);padding:56px 0}\
.bxl-container{box-sizing:border-box;width:100%;max-width:var(--wrap,1080px);margin:0 auto;padding:0 20px}\
.bxl-registration h2{margin:0 0 8px}\
.bxl-registration .bitrix24forms{max-width:640px;margin-top:24px}\
@media (max-width:640px){.bxl-registration{padding:36px 0}.bxl-container{padding:0 16px}}";

/// The class every block's root carries; the page CSS is scoped under it.
pub const ROOT_CLASS: &str = "bxl-page";

/// Browsers the Bitrix24 page CSS is compiled for (stated in the README): range media
/// queries and nesting are lowered for them.
pub const CSS_BROWSERS: &[&str] = &[
    "safari >= 13",
    "ios_saf >= 13",
    "chrome >= 80",
    "firefox >= 78",
    "edge >= 80",
];

/// The page CSS scoped under `.bxl-page` (so that it neither styles Bitrix24's own page and
/// CRM form nor is overridden by their global rules) and compiled for [`CSS_BROWSERS`].
/// `html`, `body` and `:root` rules apply to the root itself.
///
/// Remembered per process for the last few stylesheets: the events of a batch share their
/// theme and mostly their accent, and compiling the same stylesheet again was a tenth of a
/// full build (5 M instructions per event).
pub fn scope_css(css: &str) -> Result<String, String> {
    use std::sync::{Mutex, OnceLock};
    type Memo = Mutex<Vec<(String, Result<String, String>)>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    // A handful of stylesheets (themes × accents); the oldest goes first, so memory stays flat.
    const KEEP: usize = 8;
    let memo = MEMO.get_or_init(|| Mutex::new(Vec::new()));
    if let Some((_, done)) = memo
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(src, _)| src == css)
    {
        return done.clone();
    }
    let done = scope_css_uncached(css);
    let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
    if !memo.iter().any(|(src, _)| src == css) {
        if memo.len() >= KEEP {
            drop(memo.remove(0));
        }
        memo.push((css.to_string(), done.clone()));
    }
    done
}

fn scope_css_uncached(css: &str) -> Result<String, String> {
    let mut rooted = String::with_capacity(css.len() + 16);
    let bytes = css.as_bytes();
    let mut i = 0;
    while i < css.len() {
        let prev = if i == 0 { b'{' } else { bytes[i - 1] };
        let at_selector_start = matches!(prev, b'{' | b'}' | b',' | b';');
        let mut matched = false;
        if at_selector_start {
            for word in [":root", "html", "body"] {
                if css[i..].starts_with(word) {
                    let next = bytes.get(i + word.len()).copied().unwrap_or(b' ');
                    if matches!(next, b'{' | b',' | b'.' | b':' | b'[' | b' ' | b'>') {
                        rooted.push('&');
                        i += word.len();
                        matched = true;
                        break;
                    }
                }
            }
        }
        if !matched {
            let c = css[i..].chars().next().unwrap_or(' ');
            rooted.push(c);
            i += c.len_utf8();
        }
    }
    let nested = format!(".{ROOT_CLASS}{{{rooted}}}");
    let browsers = lightningcss::targets::Browsers::from_browserslist(CSS_BROWSERS.iter().copied())
        .map_err(|e| e.to_string())?;
    let targets = lightningcss::targets::Targets {
        browsers,
        ..Default::default()
    };
    crate::render::css::compile_for(&nested, targets)
}

/// Builds every payload, rewriting and checking each section's content.
pub fn plan(input: &Bitrix24Input) -> Result<Plan, ExportError> {
    let event = input.event;
    let slug = event.slug.clone();
    let lang = event.language;
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut has_registration = false;
    for (name, body) in &input.sections {
        if name == "registration" {
            has_registration = true;
            sections.push((name.clone(), registration_html(input)));
        } else {
            sections.push((name.clone(), body.clone()));
        }
    }
    if !has_registration {
        let at = sections
            .iter()
            .position(|(n, _)| n == "contacts" || n == "partners" || n == "footer")
            .unwrap_or(sections.len());
        sections.insert(at, ("registration".into(), registration_html(input)));
    }

    let mut css = input.css.trim().to_string();
    if !css.is_empty() {
        css.push('\n');
    }
    css.push_str(REGISTRATION_CSS);
    css.push('\n');
    let mut blocks = Vec::new();
    for (name, body) in &sections {
        let prepared = html::prepare(body);
        let wrapped = format!(
            "<section class=\"landing-block {ROOT_CLASS} bxl-block bxl-block-{}\">{}</section>",
            escape(name),
            prepared.html
        );
        let problems = check_content(&wrapped);
        if !problems.is_empty() {
            return Err(ExportError::Content {
                section: name.clone(),
                problems,
            });
        }
        css.push_str(&prepared.css);
        let label = section_label(name, lang);
        let is_form = name == "registration";
        let mut nodes = serde_json::Map::new();
        for class in &prepared.nodes {
            nodes.insert(
                format!(".{class}"),
                json!({ "name": node_name(class), "type": if *class == html::NODE_IMG { "img" } else { "text" } }),
            );
        }
        let mut block = json!({
            "name": label,
            "section": [catalogue_section(name), "bxland"],
            "type": ["page"],
        });
        if is_form {
            block["subtype"] = json!("form");
        }
        let mut assets = serde_json::Map::new();
        if let Some(url) = &input.css_url {
            assets.insert("css".into(), json!([url]));
        }
        if is_form {
            assets.insert("ext".into(), json!(["landing_form"]));
        }
        let mut manifest = json!({
            "block": block,
            "nodes": nodes,
            "style": { "block": { "type": ["block-default"] } },
        });
        if !assets.is_empty() {
            manifest["assets"] = Value::Object(assets);
        }
        let title = &input.title;
        blocks.push((
            name.clone(),
            RepoBlock {
                code: block_code(&slug, name),
                fields: RepoFields {
                    name: format!("{label}: «{title}»"),
                    description: catalog::fill(
                        catalog::text(lang, "bitrix24.block_description"),
                        &[("event.title", title.as_str())],
                    )
                    .unwrap_or_else(|u| u.partial),
                    sections: format!("{},bxland", catalogue_section(name)),
                    preview: String::new(),
                    content: wrapped,
                    active: "Y".into(),
                },
                manifest,
            },
        ));
    }

    let organizer = &event.organizer.name;
    let site_fields = json!({
        // Without an organizer's name, no dangling dash.
        "TITLE": catalog::fill(
            catalog::text(lang, "bitrix24.site_title"),
            &[("organizer.name", organizer)],
        )
        .unwrap_or_else(|_| catalog::text(lang, "bitrix24.site_title_no_organizer").to_string()),
        "CODE": SITE_CODE,
        "TYPE": "PAGE",
    });
    // Scoped and lowered; a stylesheet lightningcss cannot read is sent as it is.
    let css = scope_css(&css).unwrap_or(css);
    let page_fields = json!({
        "TITLE": input.title,
        "CODE": slug,
        "DESCRIPTION": input.description,
        "ADDITIONAL_FIELDS": {
            "METAMAIN_USE": "Y",
            "METAMAIN_TITLE": input.title,
            "METAMAIN_DESCRIPTION": input.description,
            "METAOG_TITLE": input.title,
            "METAOG_DESCRIPTION": input.description,
            "CSSBLOCK_USE": "Y",
            "CSSBLOCK_CODE": css,
        },
    });
    Ok(Plan {
        slug,
        blocks,
        site_fields,
        page_fields,
        css,
        form_id: input.form_id,
    })
}

/// form-setup.md for `input` (after `publish`, with the page's address in it).
pub fn form_setup_text(input: &Bitrix24Input, plan: &Plan) -> String {
    form_setup::render(input, plan)
}

/// `OUT/<slug>/bitrix24/`: `blocks.json`, `page.json`, `form-setup.md`, `styles.css`.
pub fn export(input: &Bitrix24Input) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let plan = plan(input)?;
    // Registered by hand, a block cannot carry the calendar file: its link is left out.
    let payloads: Vec<RepoBlock> = plan
        .blocks
        .iter()
        .map(|(_, b)| {
            let mut b = b.clone();
            b.fields.content = drop_ics_links(&b.fields.content);
            b
        })
        .collect();
    let blocks_json = serde_json::to_string_pretty(&payloads).unwrap_or_default();
    let page = json!({
        "site": { "method": "landing.site.add", "fields": plan.site_fields },
        "page": {
            "method": "landing.landing.add",
            "fields": plan.page_fields,
            "note": "SITE_ID is the id of the site above on the portal"
        },
        "blocks": plan.blocks.iter().map(|(section, b)| json!({
            "section": section,
            "code": b.code,
            "addblock": { "CODE": "repo_<ID returned by landing.repo.register>", "ACTIVE": "Y" },
        })).collect::<Vec<_>>(),
        "form_id": plan.form_id,
    });
    let page_json = serde_json::to_string_pretty(&page).unwrap_or_default();
    let setup = form_setup::render(input, &plan);
    Ok(vec![
        ("blocks.json".into(), (blocks_json + "\n").into_bytes()),
        ("page.json".into(), (page_json + "\n").into_bytes()),
        ("form-setup.md".into(), setup.into_bytes()),
        ("styles.css".into(), plan.css.clone().into_bytes()),
    ])
}
