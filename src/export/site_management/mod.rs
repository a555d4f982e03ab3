//! `site-management`: the native template export for «1С-Битрикс: Управление сайтом».
//!
//! [`export`] returns `<slug>.tar.gz` (a site template for «Шаблоны сайтов → Загрузить
//! шаблон»: template files at the archive root, plain ustar headers, fixed ASCII names) and
//! `README.txt` (the Russian install note, also printed by bxland). The template carries the
//! registration form as a `bitrix:form.result.new` component template and `install/setup.php`,
//! which an administrator runs once with [`install_line`] in «Командная PHP-строка».
//!
//! Safety: the PHP files of the template are fixed code (`php/`, included as text); event data
//! reaches PHP only through generated data files (`include/content.php`, `install/config.php`,
//! the component's `fields.php` and `lang/*/template.php`) where every string is a
//! single-quoted literal ([`escape::php_sq`]). HTML fragments are made inert for PHP
//! ([`escape::inert_html`]), mail texts cannot form Bitrix macros ([`escape::mail_text`]).
//! File names inside the archive are fixed; assets become `images/imgN.<ext>`.

pub mod agent;
pub mod escape;
mod tarball;
mod texts;

use std::collections::BTreeMap;
use std::fmt;

use crate::catalog;
use crate::render::head::{absolute, script_json, Head};
use crate::webinar::{FormField, ImageKind, Language, Webinar, CONSENT_ID};
use escape::{data_file, html, inert_html, mail_text, one_line, Php};

pub use tarball::{tar_gz, TAR_PATH_LIMIT};

/// The name of the `bitrix:form.result.new` component template inside the site template.
pub const COMPONENT_TEMPLATE: &str = "webinar";
/// Where the component template lives inside the site template.
pub const COMPONENT_DIR: &str = "components/bitrix/form.result.new/webinar";
/// The announcement card inside the template (the page's `og:image`).
pub const OG_CARD_FILE: &str = "images/og-card.png";

/// What the export needs, prepared by the render step.
pub struct SiteManagementInput<'a> {
    /// The event: slug, language, form fields, reject reasons, contacts, mail overrides.
    pub event: &'a Webinar,
    /// Page title and meta description.
    pub title: String,
    pub description: String,
    /// `event::when::When::human()`.
    pub when_human: String,
    /// The minified theme CSS, the same as the preview's.
    pub css: String,
    /// (section name, already-escaped HTML) before and after the registration form.
    pub sections_before_form: Vec<(String, String)>,
    pub sections_after_form: Vec<(String, String)>,
    /// The generated consent text, as HTML and as plain text.
    pub consent_html: String,
    pub consent_plain: String,
    /// Theme strings in the event language (`form_accepted`, `form_rejected` with `{reason}`,
    /// `form_retry`, `free_registration`, `submit`, `reason_competitor`, ...; see
    /// `texts::MESSAGES`, lower-cased). Missing keys fall back to this export's own texts.
    pub strings: BTreeMap<String, String>,
    /// (path as the HTML/CSS refers to it, e.g. "assets/logo.svg", bytes): go to `images/`.
    pub assets: Vec<(String, Vec<u8>)>,
    /// Extra template files from other exporters (e.g. "install/mailings.php").
    pub extra_files: Vec<(String, Vec<u8>)>,
    /// The calendar file the page links to as `event.ics` (setup writes it next to the page).
    pub ics: String,
    /// The preview's head extras (`render::Page::head_html`): the page gets the same
    /// description, Open Graph tags and JSON-LD `Event`, with the image addresses pointing
    /// at the template's copies.
    pub head_html: String,
    /// The 1200×630 announcement card (PNG), shipped as `images/og-card.png`: the page's
    /// `og:image` when the preview's is the card.
    pub og_card: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// The slug is not a valid Bitrix template id.
    Slug(String),
    /// A form field id that cannot be a Bitrix question SID.
    FieldId(String),
    /// An asset that is not a recognised image.
    Asset(String),
    /// An extra file whose name is not a safe relative path, or clashes with a template file.
    ExtraFile(String),
    /// A path too long for a plain tar header.
    PathTooLong(String),
    Io(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Slug(s) => write!(f, "slug «{s}» не подходит как код шаблона Битрикс (латиница, цифры, «_», «-»)"),
            ExportError::FieldId(s) => write!(f, "id поля «{s}» не подходит как символьный код вопроса веб-формы (латиница, цифры, «_»)"),
            ExportError::Asset(s) => write!(f, "файл «{s}» не распознан как изображение (SVG, PNG, JPEG, WebP)"),
            ExportError::ExtraFile(s) => write!(f, "дополнительный файл шаблона «{s}»: недопустимое имя"),
            ExportError::PathTooLong(s) => write!(f, "путь «{s}» в архиве длиннее 99 байт"),
            ExportError::Io(s) => write!(f, "ошибка записи архива: {s}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// The one line for «Командная PHP-строка» (pasted without `<?php`). The template is found
/// where Bitrix keeps it: `/local/templates/` or `BX_PERSONAL_ROOT/templates/` (`getLocalPath`).
pub fn install_line(slug: &str) -> String {
    // The slug is a template id (Latin letters, digits, «_», «-»): safe inside the quotes.
    let missing = catalog::fill(
        catalog::staff("site_management.template_missing"),
        &[("slug", slug)],
    )
    .unwrap_or_else(|u| u.partial);
    format!(
        "defined('BXLAND_SETUP') || define('BXLAND_SETUP', true); $bxlandSetup = getLocalPath('templates/{slug}/install/setup.php', BX_PERSONAL_ROOT); if ($bxlandSetup) {{ include $_SERVER['DOCUMENT_ROOT'] . $bxlandSetup; }} else {{ echo {}; }}",
        escape::php_sq(&missing)
    )
}

/// Whether `slug` is usable as a Bitrix template id and folder name here.
pub fn valid_template_id(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 60
        && !slug.starts_with(['-', '.'])
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `s` as a Bitrix code: ASCII letters and digits upper-cased, anything else `_`.
pub(crate) fn upper_code(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The web form's symbolic code: `WEBINAR_` + the slug upper-cased, at most 40 characters
/// (it also names the mail events `FORM_FILLING_<SID>` and `<SID>_ACCEPTED`).
pub fn form_sid(slug: &str) -> String {
    let body = upper_code(slug);
    let sid = format!("WEBINAR_{body}");
    if sid.len() <= 40 {
        return sid;
    }
    use sha2::Digest;
    let hash = sha2::Sha256::digest(slug.as_bytes());
    let hex: String = hash.iter().take(4).map(|b| format!("{b:02X}")).collect();
    format!("{}_{hex}", &sid[..31])
}

fn valid_sid(sid: &str) -> bool {
    !sid.is_empty()
        && sid.len() <= 50
        && sid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `[("<slug>.tar.gz", bytes), ("README.txt", bytes)]`.
pub fn export(input: &SiteManagementInput) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let slug = input.event.slug.clone();
    let files = template_files(input)?;
    let archive = tar_gz(&files)?;
    Ok(vec![
        (format!("{slug}.tar.gz"), archive),
        ("README.txt".to_string(), readme(input).into_bytes()),
    ])
}

/// A page message: the event's own override, the theme string, or this export's text.
fn message(input: &SiteManagementInput, code: &str) -> String {
    let lang = input.event.language;
    let r = &input.event.registration;
    let own = match code {
        "FORM_ACCEPTED" => r.accepted_message.as_deref(),
        "FORM_REJECTED" => r.rejected_message.as_deref(),
        "SUBMIT" => r.submit_label.as_deref(),
        _ => None,
    };
    if let Some(own) = own {
        return own.to_string();
    }
    if let Some(s) = input
        .strings
        .get(&code.to_ascii_lowercase())
        .filter(|s| !s.trim().is_empty())
    {
        return s.clone();
    }
    texts::message(lang, code)
}

/// The rejection reasons the event allows (only `competitor` and `student` exist).
fn reasons(event: &Webinar) -> Vec<&'static str> {
    let listed = &event.registration.reject_reasons;
    ["competitor", "student"]
        .into_iter()
        .filter(|r| listed.iter().any(|x| x == r))
        .collect()
}

struct Field {
    sid: String,
    title: String,
    bitrix_type: &'static str,
    html_type: &'static str,
    autocomplete: &'static str,
    required: bool,
    answers: Vec<String>,
}

fn fields(input: &SiteManagementInput) -> Result<Vec<Field>, ExportError> {
    let mut out = Vec::new();
    for f in input.event.form.iter().cloned() {
        let FormField {
            sid,
            label,
            input_type,
            autocomplete,
            required,
            options,
            id,
            ..
        } = f;
        if !valid_sid(&sid) || sid == CONSENT_ID.to_uppercase() {
            return Err(ExportError::FieldId(id));
        }
        let (bitrix_type, answers) = match input_type {
            "email" => ("email", vec![" ".to_string()]),
            "textarea" => ("textarea", vec![" ".to_string()]),
            "select" => ("dropdown", options),
            "checkbox" => ("checkbox", vec![label.clone()]),
            _ => ("text", vec![" ".to_string()]),
        };
        if answers.is_empty() {
            return Err(ExportError::FieldId(id));
        }
        out.push(Field {
            sid,
            title: label,
            bitrix_type,
            html_type: input_type,
            autocomplete: autocomplete.unwrap_or(""),
            required,
            answers,
        });
    }
    let consent_label = input
        .event
        .consent
        .label
        .clone()
        .or_else(|| input.strings.get("consent_label").cloned())
        .unwrap_or_else(|| texts::message(input.event.language, "CONSENT_LABEL"));
    out.push(Field {
        sid: CONSENT_ID.to_uppercase(),
        title: consent_label.clone(),
        bitrix_type: "checkbox",
        html_type: "checkbox",
        autocomplete: "",
        required: true,
        answers: vec![consent_label],
    });
    let mut seen = std::collections::HashSet::new();
    for f in &out {
        if !seen.insert(f.sid.clone()) {
            return Err(ExportError::FieldId(f.sid.to_lowercase()));
        }
    }
    Ok(out)
}

/// Fills `{{ name }}` placeholders of a mail text: `text` is event-written (its `#` made inert
/// first), `values` map a placeholder to a ready value (already mail-safe or a macro).
fn fill_mail(template: &str, values: &[(&str, String)]) -> String {
    // A slot the partner's override names and no exporter fills is reported by `check`
    // (`text.placeholder`); here it stays as written.
    catalog::fill(&mail_text(template), values).unwrap_or_else(|u| u.partial)
}

/// The organizer block closing every registrant mail, and the organizer's notification address.
fn organizer(event: &Webinar) -> (String, Option<String>) {
    let org = &event.organizer;
    let mut lines = Vec::new();
    if !org.name.is_empty() {
        lines.push(org.name.clone());
    }
    let mut address = None;
    for c in &org.contacts {
        let parts: Vec<&str> = [&c.name, &c.role, &c.email, &c.phone]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if !parts.is_empty() {
            lines.push(parts.join(", "));
        }
        if address.is_none() {
            address = c
                .email
                .as_deref()
                .filter(|e| {
                    e.contains('@')
                        && !e.contains(|ch: char| ch.is_whitespace() || "#,;<>\"'".contains(ch))
                })
                .map(str::to_string);
        }
    }
    (mail_text(&lines.join("\n")), address)
}

/// (subject, body) for a registrant mail: the event's text if it has one, else the theme's,
/// else this export's.
fn mail_source(input: &SiteManagementInput, which: &str) -> (String, String) {
    let lang = input.event.language;
    let (mut subject, mut body) = (
        catalog::text(lang, &format!("mail.{which}.subject")).to_string(),
        catalog::text(lang, &format!("mail.{which}.body")).to_string(),
    );
    if let Some(s) = input.strings.get(&format!("mail_{which}_subject")) {
        subject = s.clone();
    }
    if let Some(b) = input.strings.get(&format!("mail_{which}_body")) {
        body = b.clone();
    }
    if let Some(o) = input.event.mailings.mail.get(which) {
        if let Some(s) = &o.subject {
            subject = s.clone();
        }
        if let Some(b) = &o.body {
            body = b.clone();
        }
    }
    if which == "confirmation" {
        let c = &input.event.registration.confirmation_email;
        if let Some(s) = &c.subject {
            subject = s.clone();
        }
        if let Some(b) = &c.body {
            body = b.clone();
        }
    }
    (subject, body)
}

fn mail_config(input: &SiteManagementInput, sid: &str, fields: &[Field]) -> Php {
    let slug = input.event.slug.clone();
    let (org_block, org_address) = organizer(input.event);
    let title = mail_text(&input.title);
    let date = mail_text(&input.when_human);
    let with_org = |body: String| {
        if org_block.is_empty() {
            body
        } else {
            format!("{}\n\n{org_block}\n", body.trim_end())
        }
    };

    // Confirmation: a template of FORM_FILLING_<SID>, so the answers are #<SID>_RAW# macros.
    let raw = |s: &str| format!("#{s}_RAW#");
    let form_values = vec![
        ("event.title", title.clone()),
        ("event.date", date.clone()),
        (
            "event.url",
            page_address(input.event)
                .unwrap_or_else(|| format!("http://#SERVER_NAME#/{}/", page_dir(input.event))),
        ),
        ("first_name", raw("FIRST_NAME")),
        ("last_name", raw("LAST_NAME")),
        ("company", raw("COMPANY")),
        ("position", raw("POSITION")),
        ("email", raw("EMAIL")),
        ("phone", raw("PHONE")),
    ];
    let (cs, cb) = mail_source(input, "confirmation");
    let confirmation = Php::map([
        ("email_to", Php::s(raw("EMAIL"))),
        ("subject", Php::s(one_line(&fill_mail(&cs, &form_values)))),
        ("message", Php::s(with_org(fill_mail(&cb, &form_values)))),
    ]);

    let staff = |key: &str, slots: &[(&str, &str)]| {
        // An empty value (no title) stays empty, as `check` has already said.
        catalog::fill(catalog::staff(key), slots).unwrap_or_else(|u| u.partial)
    };
    let on_event = [
        ("event.title", title.as_str()),
        ("event.date", date.as_str()),
    ];
    let mut notice = staff("site_management.organizer_intro", &on_event);
    notice.push_str("\n\n");
    for f in fields {
        notice.push_str(&format!("{}: #{}#\n", mail_text(&f.title), f.sid));
    }
    notice.push('\n');
    notice.push_str(&staff(
        "site_management.organizer_result",
        &[("result_url", "http://#SERVER_NAME#/bitrix/admin/form_result_view.php?WEB_FORM_ID=#RS_FORM_ID#&RESULT_ID=#RS_RESULT_ID#")],
    ));
    notice.push('\n');
    let organizer_mail = Php::map([
        (
            "email_to",
            Php::s(org_address.unwrap_or_else(|| "#DEFAULT_EMAIL_FROM#".to_string())),
        ),
        (
            "subject",
            Php::s(one_line(&staff(
                "site_management.organizer_subject",
                &on_event,
            ))),
        ),
        ("message", Php::s(notice)),
    ]);

    // Status mails: own event types, fields sent by install/status_mail.php.
    let status_values = vec![
        ("event.title", title.clone()),
        ("event.date", date.clone()),
        ("event.url", "http://#SERVER_NAME##PAGE_PATH#".to_string()),
        ("first_name", "#FIRST_NAME#".to_string()),
        ("last_name", "#LAST_NAME#".to_string()),
        ("reason", "#REASON#".to_string()),
    ];
    let description = staff(
        "site_management.mail_fields",
        &[
            ("email", "#EMAIL#"),
            ("first_name", "#FIRST_NAME#"),
            ("last_name", "#LAST_NAME#"),
            ("reason", "#REASON#"),
            ("page_path", "#PAGE_PATH#"),
            ("result_id", "#RESULT_ID#"),
        ],
    );
    let status_mail = |which: &str| {
        let name = staff(
            &format!("site_management.{which}_mail_name"),
            &[("slug", slug.as_str())],
        );
        let (s, b) = mail_source(input, which);
        Php::map([
            ("event", Php::s(format!("{sid}_{}", which.to_uppercase()))),
            ("name", Php::s(name)),
            ("description", Php::s(description.as_str())),
            ("email_to", Php::s("#EMAIL#")),
            ("subject", Php::s(one_line(&fill_mail(&s, &status_values)))),
            ("message", Php::s(with_org(fill_mail(&b, &status_values)))),
        ])
    };
    let reasons_map = Php::map(reasons(input.event).into_iter().map(|r| {
        (
            r,
            Php::s(mail_text(&message(
                input,
                &format!("REASON_{}", r.to_uppercase()),
            ))),
        )
    }));
    Php::map([
        ("form_event", Php::s(format!("FORM_FILLING_{sid}"))),
        ("confirmation", confirmation),
        ("organizer", organizer_mail),
        ("accepted", status_mail("accepted")),
        ("rejected", status_mail("rejected")),
        ("reasons", reasons_map),
    ])
}

/// The title of the status that rejects for `reason` (staff read it: Russian).
fn reason_title(_lang: Language, reason: &str) -> &'static str {
    catalog::staff(&format!("site_management.status_rejected_{reason}"))
}

fn page_sources(input: &SiteManagementInput, description: &str, sid: &str) -> (String, String) {
    let sq = escape::php_sq;
    let title = sq(&input.title);
    let description = sq(description);
    let index = format!(
        "<?php\n// The webinar page (bxland): title and meta through $APPLICATION, the registration form.\nrequire($_SERVER['DOCUMENT_ROOT'] . '/bitrix/header.php');\n/** @global CMain $APPLICATION */\n$APPLICATION->SetTitle({title});\n$APPLICATION->SetPageProperty('title', {title});\n$APPLICATION->SetPageProperty('description', {description});\n$APPLICATION->IncludeComponent(\n\t'bitrix:form.result.new',\n\t{component},\n\tarray(\n\t\t'WEB_FORM_ID' => {sid},\n\t\t'IGNORE_CUSTOM_TEMPLATE' => 'N',\n\t\t'USE_EXTENDED_ERRORS' => 'Y',\n\t\t'SEF_MODE' => 'N',\n\t\t'LIST_URL' => '',\n\t\t'EDIT_URL' => '',\n\t\t'SUCCESS_URL' => '',\n\t\t'CHAIN_ITEM_TEXT' => '',\n\t\t'CHAIN_ITEM_LINK' => '',\n\t\t'CACHE_TYPE' => 'A',\n\t\t'CACHE_TIME' => '3600',\n\t\t'VARIABLE_ALIASES' => array('WEB_FORM_ID' => 'WEB_FORM_ID', 'RESULT_ID' => 'RESULT_ID'),\n\t),\n\tfalse\n);\nrequire($_SERVER['DOCUMENT_ROOT'] . '/bitrix/footer.php');\n",
        component = sq(COMPONENT_TEMPLATE),
        sid = sq(sid),
    );
    let section = format!(
        "<?php\n// Section properties of the webinar folder (bxland).\nif (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();\n$sSectionName = {title};\n$arDirProperties = array(\n\t'title' => {title},\n\t'description' => {description},\n);\n"
    );
    (index, section)
}

/// Image assets under fixed names, and the rewrites of their references.
fn images(input: &SiteManagementInput) -> Result<Vec<(String, String, Vec<u8>)>, ExportError> {
    let mut out = Vec::new();
    for (i, (orig, bytes)) in input.assets.iter().enumerate() {
        let kind = ImageKind::sniff(bytes).ok_or_else(|| ExportError::Asset(orig.clone()))?;
        out.push((
            orig.clone(),
            format!("img{}.{}", i + 1, kind.extension()),
            bytes.clone(),
        ));
    }
    Ok(out)
}

const TPL_MARK: &str = "%%BXLAND_TPL%%";

/// What `header.php` puts into the page's head, from the preview's head: the description (a
/// page property, shown by `ShowHead`), the canonical address (the page property
/// `canonical`, shown by `ShowHead` as `<link rel="canonical">` without escaping, hence
/// escaped here), and the Open Graph tags and JSON-LD as head strings (`AddHeadString`).
/// Addresses of the preview's own files become the template's copies:
/// `<origin of the page address>` + `SITE_TEMPLATE_PATH` (the `%%BXLAND_TPL%%` mark,
/// replaced at run time) + `/images/<name>`.
struct PageHead {
    description: Option<String>,
    php: Php,
}

fn page_head(input: &SiteManagementInput, images: &[(String, String, Vec<u8>)]) -> PageHead {
    let Some(head) = Head::from_html(&input.head_html) else {
        return PageHead {
            description: None,
            php: Php::map([
                ("canonical", Php::s("")),
                ("meta", Php::s("")),
                ("json_ld", Php::s("")),
            ]),
        };
    };
    let base = head.page_url().map(str::to_string);
    let origin = base.as_deref().map(origin).unwrap_or_default();
    // (the preview's address of a file, the template's)
    let mut moved: Vec<(String, String)> = images
        .iter()
        .map(|(orig, name, _)| (orig.clone(), format!("images/{name}")))
        .collect();
    if input.og_card.is_some() {
        moved.push((
            crate::export::html::OG_CARD.to_string(),
            OG_CARD_FILE.into(),
        ));
    }
    let moved: Vec<(String, String)> = moved
        .into_iter()
        .map(|(orig, name)| {
            let from = absolute(base.as_deref(), &orig).unwrap_or(orig);
            (from, format!("{origin}{TPL_MARK}/{name}"))
        })
        .collect();
    // Text that holds the mark itself keeps it, written so that it is not replaced.
    let mut meta = head
        .meta_html(|m| m.key != "description")
        .replace(TPL_MARK, "%&#37;BXLAND_TPL%%");
    let mut json_ld = head
        .json_ld_html()
        .replace(TPL_MARK, "%\\u0025BXLAND_TPL%%");
    for (from, to) in &moved {
        meta = meta.replace(
            &format!("content=\"{}\"", html(from)),
            &format!("content=\"{}\"", html(to)),
        );
        let q = |u: &str| script_json(&serde_json::Value::String(u.to_string()));
        json_ld = json_ld.replace(&q(from), &q(to));
    }
    let canonical = base.as_deref().map(html).unwrap_or_default();
    PageHead {
        description: head.get("description").map(str::to_string),
        php: Php::map([
            ("canonical", Php::s(canonical)),
            ("meta", Php::s(meta)),
            ("json_ld", Php::s(json_ld)),
        ]),
    }
}

/// `https://host[:port]` of an absolute address; empty for anything else.
fn origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

fn section_html(fragment: &str, images: &[(String, String, Vec<u8>)]) -> String {
    let mut s = inert_html(fragment).replace(TPL_MARK, "%&#37;BXLAND_TPL%%");
    for (orig, name, _) in images {
        // Every form looked for below holds the path itself or its escaped form.
        if !s.contains(orig.as_str()) && !s.contains(&html(orig)) {
            continue;
        }
        let target = format!("=\"{TPL_MARK}/images/{name}\"");
        for form in [orig.clone(), html(orig), format!("./{orig}")] {
            s = s.replace(&format!("=\"{form}\""), &target);
            s = replace_unquoted(&s, &format!("={form}"), &target);
        }
    }
    s
}

/// Replaces an unquoted attribute value (`src=assets/logo.svg>`, as minified HTML writes it)
/// only where the value ends: at white space, `>` or the end of the text.
fn replace_unquoted(s: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        let ends = after.is_empty() || after.starts_with(|c: char| c.is_whitespace() || c == '>');
        out.push_str(&rest[..at]);
        out.push_str(if ends { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

fn css_with_images(css: &str, images: &[(String, String, Vec<u8>)]) -> String {
    let mut s = css.to_string();
    for (orig, name, _) in images {
        for q in ["", "\"", "'"] {
            s = s.replace(
                &format!("url({q}{orig}{q})"),
                &format!("url({q}images/{name}{q})"),
            );
        }
    }
    s
}

/// Rules for this template's own form markup, appended to the theme CSS.
const FORM_CSS: &str = "/* Site Management (bxland): the outcome is shown by the server, not by :target; the consent text is shown whole. */.registration .result.bxland-shown{display:block}.registration .consent-text{max-height:none;overflow:visible}.reg-form .form-errors{margin:0 0 12px;padding-left:1.2em}";

const EDITOR_CSS: &str = "/* Styles offered in the visual editor (bxland). */\n.lead{font-size:1.15em}\n.note{font-size:.9em;opacity:.8}\n";

/// Every file of the site template, by its path inside the archive (directories implied).
pub fn template_files(input: &SiteManagementInput) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let event = input.event;
    let slug = event.slug.clone();
    if !valid_template_id(&slug) {
        return Err(ExportError::Slug(slug));
    }
    let lang = event.language;
    let sid = form_sid(&slug);
    let fields = fields(input)?;
    let images = images(input)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| files.push((name.to_string(), bytes));

    add("header.php", include_str!("php/header.php").into());
    add("footer.php", include_str!("php/footer.php").into());
    add(
        "description.php",
        include_str!("php/description.php").into(),
    );
    add(
        "template_styles.css",
        format!("{}\n{FORM_CSS}\n", css_with_images(&input.css, &images)).into_bytes(),
    );
    add("styles.css", EDITOR_CSS.into());
    for (_, name, bytes) in &images {
        add(&format!("images/{name}"), bytes.clone());
    }
    if let Some(card) = &input.og_card {
        add(OG_CARD_FILE, card.clone());
    }
    let head = page_head(input, &images);
    let description = head
        .description
        .clone()
        .unwrap_or_else(|| input.description.clone());

    let sections = |list: &[(String, String)]| {
        Php::List(
            list.iter()
                .map(|(name, fragment)| {
                    Php::map([
                        ("name", Php::s(name.as_str())),
                        ("html", Php::s(section_html(fragment, &images))),
                    ])
                })
                .collect(),
        )
    };
    let content = Php::map([
        ("lang", Php::s(lang.code())),
        ("title", Php::s(input.title.as_str())),
        ("description", Php::s(description.as_str())),
        ("head", head.php),
        (
            "template_name",
            Php::s(staff_on(input, "site_management.template_name")),
        ),
        (
            "template_description",
            Php::s(format!("{} — {}", input.title, input.when_human)),
        ),
        ("before", sections(&input.sections_before_form)),
        ("after", sections(&input.sections_after_form)),
    ]);
    add(
        "include/content.php",
        data_file("Page content of the webinar landing page.", &content).into_bytes(),
    );

    // The registration form's component template.
    add(
        &format!("{COMPONENT_DIR}/template.php"),
        include_str!("php/component/template.php").into(),
    );
    add(
        &format!("{COMPONENT_DIR}/result_modifier.php"),
        include_str!("php/component/result_modifier.php").into(),
    );
    let meta = Php::map([
        ("lang", Php::s(lang.code())),
        ("messages", Php::strs(texts::MESSAGES)),
        (
            "fields",
            Php::map(fields.iter().map(|f| {
                (
                    f.sid.clone(),
                    Php::map([
                        ("type", Php::s(f.html_type)),
                        ("autocomplete", Php::s(f.autocomplete)),
                    ]),
                )
            })),
        ),
        ("consent_sid", Php::s(CONSENT_ID.to_uppercase())),
        ("reasons", Php::strs(reasons(event))),
        ("consent_html", Php::s(inert_html(&input.consent_html))),
    ]);
    add(
        &format!("{COMPONENT_DIR}/fields.php"),
        data_file("What Bitrix does not know about the questions.", &meta).into_bytes(),
    );
    let lang_file = |values: &dyn Fn(&str) -> String| {
        let mut s = String::from("<?php\n// Messages of the registration form (bxland).\n");
        for code in texts::MESSAGES {
            s.push_str(&format!(
                "$MESS['BXLAND_{code}'] = {};\n",
                escape::php_sq(&values(code))
            ));
        }
        s
    };
    add(
        &format!("{COMPONENT_DIR}/lang/{}/template.php", lang.code()),
        lang_file(&|code| message(input, code)).into_bytes(),
    );
    if lang == Language::Kk {
        add(
            &format!("{COMPONENT_DIR}/lang/ru/template.php"),
            lang_file(&|code| texts::message(Language::Ru, code).to_string()).into_bytes(),
        );
    }

    // Setup.
    let (index, section) = page_sources(input, &description, &sid);
    let mut statuses = vec![
        Php::map([
            ("code", Php::s("bxland-new")),
            (
                "title",
                Php::s(catalog::staff("site_management.status_new")),
            ),
            (
                "description",
                Php::s(catalog::staff("site_management.status_new_description")),
            ),
            ("default", Php::Bool(true)),
            ("handler", Php::s("status_new.php")),
            ("mail", Php::s("")),
            ("reason", Php::s("")),
            ("sort", Php::Int(100)),
        ]),
        Php::map([
            ("code", Php::s("bxland-accepted")),
            (
                "title",
                Php::s(catalog::staff("site_management.status_accepted")),
            ),
            (
                "description",
                Php::s(catalog::staff(
                    "site_management.status_accepted_description",
                )),
            ),
            ("default", Php::Bool(false)),
            ("handler", Php::s("status_mail.php")),
            ("mail", Php::s("accepted")),
            ("reason", Php::s("")),
            ("sort", Php::Int(200)),
        ]),
    ];
    for (i, r) in reasons(event).into_iter().enumerate() {
        statuses.push(Php::map([
            ("code", Php::s(format!("bxland-rejected-{r}"))),
            ("title", Php::s(reason_title(lang, r))),
            (
                "description",
                Php::s(catalog::staff(
                    "site_management.status_rejected_description",
                )),
            ),
            ("default", Php::Bool(false)),
            ("handler", Php::s("status_mail.php")),
            ("mail", Php::s("rejected")),
            ("reason", Php::s(r)),
            ("sort", Php::Int(300 + 10 * i as i64)),
        ]));
    }
    let agreement_label = fields.last().map(|f| f.title.clone()).unwrap_or_default();
    let config = Php::map([
        ("template_id", Php::s(slug.as_str())),
        ("lang", Php::s(lang.code())),
        (
            "form",
            Php::map([
                ("sid", Php::s(sid.as_str())),
                ("name", Php::s(staff_on(input, "site_management.form_name"))),
                ("button", Php::s(message(input, "SUBMIT"))),
                ("description", Php::s(input.when_human.as_str())),
            ]),
        ),
        (
            "fields",
            Php::List(
                fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        Php::map([
                            ("sid", Php::s(f.sid.as_str())),
                            ("title", Php::s(f.title.as_str())),
                            ("type", Php::s(f.bitrix_type)),
                            ("required", Php::Bool(f.required)),
                            ("answers", Php::strs(&f.answers)),
                            ("sort", Php::Int(100 * (i as i64 + 1))),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("email_sid", Php::s("EMAIL")),
        ("first_name_sid", Php::s("FIRST_NAME")),
        ("last_name_sid", Php::s("LAST_NAME")),
        ("statuses", Php::List(statuses)),
        (
            "agreement",
            Php::map([
                ("code", Php::s(sid.as_str())),
                (
                    "name",
                    Php::s(staff_on(input, "site_management.agreement_name")),
                ),
                ("text", Php::s(input.consent_plain.as_str())),
                ("label", Php::s(agreement_label)),
                ("lang", Php::s(lang.code())),
            ]),
        ),
        ("mail", mail_config(input, &sid, &fields)),
        (
            "page",
            Php::map([
                ("dir", Php::s(page_dir(event))),
                ("index", Php::s(index)),
                ("section", Php::s(section)),
                ("ics", Php::s(input.ics.as_str())),
            ]),
        ),
    ]);
    add(
        "install/config.php",
        data_file(
            "Settings for install/setup.php and the status handlers.",
            &config,
        )
        .into_bytes(),
    );
    add(
        "install/setup.php",
        include_str!("php/install/setup.php").into(),
    );
    add(
        "install/status_new.php",
        include_str!("php/install/status_new.php").into(),
    );
    add(
        "install/status_mail.php",
        include_str!("php/install/status_mail.php").into(),
    );

    for (name, bytes) in &input.extra_files {
        let safe = !name.is_empty()
            && !name.starts_with('/')
            && name.split('/').all(|p| {
                !p.is_empty()
                    && p != "."
                    && p != ".."
                    && p.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            });
        if !safe || files.iter().any(|(n, _)| n == name) {
            return Err(ExportError::ExtraFile(name.clone()));
        }
        files.push((name.clone(), bytes.clone()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// A staff text (`staff.<key>`) about this event: its one slot is `{{ event.title }}`.
fn staff_on(input: &SiteManagementInput, key: &str) -> String {
    catalog::fill(
        catalog::staff(key),
        &[("event.title", input.title.as_str())],
    )
    .unwrap_or_else(|u| u.partial)
}

/// The folder of the site the page is created in: the path of `[event] page_url` when it is
/// a plain folder path (so the mails, the post and the Open Graph tags that link there find the
/// page), else the slug.
pub fn page_dir(event: &Webinar) -> String {
    let from_url = event.page_url_given.as_deref().and_then(|u| {
        let rest = u.trim().split_once("://")?.1;
        let path = rest.split_once('/')?.1;
        let path = path.split(['?', '#']).next()?.trim_matches('/');
        let plain = !path.is_empty()
            && path.split('/').all(|seg| {
                !seg.is_empty()
                    && seg != "."
                    && seg != ".."
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            });
        plain.then(|| path.to_string())
    });
    from_url.unwrap_or_else(|| event.slug.clone())
}

/// The page's address for the mails and the notes: `[event] page_url` or the organizer's
/// website with the page folder; `None` when neither is known.
fn page_address(event: &Webinar) -> Option<String> {
    event.page_url.clone().filter(|u| !u.contains('#'))
}

/// The Russian install note (`README.txt`), also printed by bxland after a build.
pub fn readme(input: &SiteManagementInput) -> String {
    let slug = input.event.slug.clone();
    let sid = form_sid(&slug);
    let (_, org_address) = organizer(input.event);
    let notify =
        org_address.unwrap_or_else(|| catalog::staff("site_management.notify_default").to_string());
    let line = install_line(&slug);
    let dir = page_dir(input.event);
    let open_page = match page_address(input.event) {
        Some(url) => (
            catalog::staff("site_management.open_page"),
            ("event.url", url),
        ),
        None => (
            catalog::staff("site_management.open_page_no_url"),
            ("page_dir", dir.clone()),
        ),
    };
    let open_page = catalog::fill(open_page.0, &[open_page.1]).unwrap_or_else(|u| u.partial);
    let slots = [
        ("event.title", input.title.clone()),
        ("slug", slug),
        ("install_line", line),
        ("form_sid", sid),
        ("page_dir", dir),
        ("open_page", open_page),
        ("notify", notify),
    ];
    // An empty title stays empty, as `check` has already said.
    let part = |key: &str| catalog::fill(catalog::staff(key), &slots).unwrap_or_else(|u| u.partial);
    let mut out = part("site_management.readme");
    out.push_str(&withheld_notes(input.event));
    out.push_str(&part("site_management.readme_rest"));
    out
}

/// The reminders the setup does not install and why (no `join_url`, no recording or slides),
/// under step 3 of the notes; empty when everything planned is installed. What is
/// withheld does not depend on the build day, so the event's own date stands for it.
fn withheld_notes(event: &Webinar) -> String {
    let Some(notes) = crate::comms::EventComms::new(event, event.date).withheld_notes() else {
        return String::new();
    };
    format!("\n{}\n", notes.trim_end())
}
