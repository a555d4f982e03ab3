//! The data a theme's templates get (documented for theme authors in the README), and the
//! rendering of the page from it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Serialize;

use super::markdown::{to_html, to_inline_html};
use super::minify::{minify, visible_text};
use super::theme::{tera_message, Theme};
use super::{consent_text, Asset, Page, PageOptions, RenderError, Section};
use crate::catalog;
use crate::t;
use crate::webinar::{human_date, image, FileRef, FormField, ImageKind, Webinar, When};

#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub width: Option<usize>,
    pub height: Option<usize>,
}

#[derive(Debug, Serialize)]
struct EventCtx {
    title: String,
    slug: String,
    summary: Option<String>,
    description_html: String,
    audience_html: String,
    platform: Option<String>,
    products: Vec<String>,
    /// «18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)».
    when: String,
    date: String,
    date_iso: String,
    start: String,
    end: String,
    start_iso: String,
    end_iso: String,
    timezone: String,
    utc_offset: String,
}

#[derive(Debug, Serialize)]
struct ContactCtx {
    name: Option<String>,
    role: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    phone_href: Option<String>,
}

#[derive(Debug, Serialize)]
struct OrganizerCtx {
    name: String,
    website: Option<String>,
    logo: Image,
    contacts: Vec<ContactCtx>,
}

#[derive(Debug, Clone, Serialize)]
struct SpeakerCtx {
    key: String,
    name: String,
    position: String,
    /// The position continuing a line after the name and a comma: «Айгерим Сапарова,
    /// руководитель отдела маркетинга» (abbreviations keep their capitals).
    position_inline: String,
    company: String,
    /// Up to two initials, for a placeholder avatar.
    initials: String,
    photo: Option<Image>,
}

#[derive(Debug, Serialize)]
struct ItemCtx {
    index: usize,
    start: String,
    end: String,
    start_iso: String,
    end_iso: String,
    minutes: i64,
    title: String,
    kind: &'static str,
    kind_label: Option<String>,
    product: Option<String>,
    theses_html: Vec<String>,
    speakers: Vec<SpeakerCtx>,
}

#[derive(Debug, Serialize)]
struct FieldCtx {
    #[serde(flatten)]
    field: FormField,
    /// The element id (`f-<id>`), for `<label for>`.
    html_id: String,
}

#[derive(Debug, Serialize)]
struct FormCtx {
    action: String,
    method: String,
    fields: Vec<FieldCtx>,
    submit_label: String,
    consent_label: String,
    consent_title: String,
    consent_html: String,
}

#[derive(Debug, Serialize)]
struct RejectedCtx {
    id: String,
    reason: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct ResultsCtx {
    accepted: String,
    rejected: Vec<RejectedCtx>,
    retry: String,
}

#[derive(Debug, Serialize)]
struct PartnerCtx {
    name: String,
    website: Option<String>,
    logo: Option<Image>,
}

#[derive(Debug, Serialize)]
struct GalleryCtx {
    image: Image,
    caption: Option<String>,
}

#[derive(Debug, Serialize)]
struct Ctx {
    lang: &'static str,
    t: BTreeMap<String, String>,
    vars: BTreeMap<String, String>,
    event: EventCtx,
    organizer: OrganizerCtx,
    program: Vec<ItemCtx>,
    speakers: Vec<SpeakerCtx>,
    form: FormCtx,
    results: ResultsCtx,
    header_partners: Vec<PartnerCtx>,
    partners: Vec<PartnerCtx>,
    gallery: Vec<GalleryCtx>,
    ics_href: &'static str,
    css_href: &'static str,
    favicon: Image,
    favicon_type: &'static str,
    /// The rendered form (in section partials: `{{ form_html | safe }}`).
    form_html: String,
    /// The rendered head extras (in page.html: `{{ head_html | safe }}`).
    head_html: String,
    /// The rendered sections (in page.html: `{{ sections.hero | safe }}`).
    sections: BTreeMap<&'static str, String>,
}

/// Collects the files a page refers to under `assets/`, each once.
#[derive(Default)]
struct Assets {
    list: Vec<Asset>,
    by_source: HashMap<SourceKey, Image>,
}

/// What makes two asset paths one file: its device and inode where there are such (one
/// `stat`; resolving the whole path walked every folder up to the root), else its real path.
#[derive(PartialEq, Eq, Hash)]
enum SourceKey {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    Path(PathBuf),
}

impl SourceKey {
    fn of(path: &std::path::Path) -> SourceKey {
        #[cfg(unix)]
        if let Ok(meta) = std::fs::metadata(path) {
            use std::os::unix::fs::MetadataExt;
            return SourceKey::Inode(meta.dev(), meta.ino());
        }
        SourceKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

impl Assets {
    fn add(&mut self, file: &FileRef, alt: &str) -> Option<Image> {
        let path = file.path.clone();
        let real = SourceKey::of(&path);
        if let Some(img) = self.by_source.get(&real) {
            return Some(Image {
                alt: alt.to_string(),
                ..img.clone()
            });
        }
        // The one place outputs read an image: the checked copy (an SVG sanitized), so the
        // page, the Site Management archive and Bitrix24 never ship what input.image refused.
        let checked = image::read(&path).ok()?;
        let kind = checked.kind;
        let bytes = checked.bytes.to_vec();
        let stem: String = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let stem = if stem.trim_matches('-').is_empty() {
            "image".to_string()
        } else {
            stem
        };
        let mut name = format!("assets/{stem}.{}", kind.extension());
        let mut n = 2;
        while self.list.iter().any(|a| a.path == name) {
            name = format!("assets/{stem}-{n}.{}", kind.extension());
            n += 1;
        }
        let (width, height) = match kind {
            ImageKind::Svg => svg_size(&bytes),
            _ => (Some(checked.width as usize), Some(checked.height as usize)),
        };
        let img = Image {
            src: name.clone(),
            alt: alt.to_string(),
            width,
            height,
        };
        self.list.push(Asset {
            path: name,
            bytes,
            mime: kind.mime(),
        });
        self.by_source.insert(real, img.clone());
        Some(img)
    }
}

/// width/height of an SVG from its root attributes or its viewBox.
fn svg_size(bytes: &[u8]) -> (Option<usize>, Option<usize>) {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let Some(start) = head.find("<svg") else {
        return (None, None);
    };
    let tag = &head[start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let attr = |name: &str| -> Option<f64> {
        let pat = format!(" {name}=\"");
        let i = tag.find(&pat)? + pat.len();
        let v = &tag[i..];
        let v = &v[..v.find('"')?];
        v.trim_end_matches("px").trim().parse().ok()
    };
    if let (Some(w), Some(h)) = (attr("width"), attr("height")) {
        return (Some(w.round() as usize), Some(h.round() as usize));
    }
    if let Some(i) = tag.find("viewBox=\"") {
        let v = &tag[i + 9..];
        let v = &v[..v.find('"').unwrap_or(0)];
        let nums: Vec<f64> = v
            .split([' ', ','])
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        if nums.len() == 4 {
            return (
                Some(nums[2].round() as usize),
                Some(nums[3].round() as usize),
            );
        }
    }
    (None, None)
}

fn phone_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// Slots put in place of rendered parts, so that every part is minified once and appears
/// verbatim in the page; `catalog::fill` puts the parts in, in one pass (what is put in is
/// not searched again).
fn placeholder(name: &str) -> String {
    format!("{{{{ bxland.{name} }}}}")
}

/// `html` with every slot of `parts` filled. A part may be empty (a section the theme leaves
/// out), and the page may hold other `{{` (the partner's text, which `check` has refused):
/// those stay as written.
fn fill_placeholders(html: &str, parts: &[(String, &str)]) -> String {
    let slots: Vec<(String, &str)> = parts
        .iter()
        .map(|(p, text)| (p[2..p.len() - 2].trim().to_string(), *text))
        .collect();
    catalog::fill(html, &slots).unwrap_or_else(|u| u.partial)
}

fn sstr(strings: &BTreeMap<String, String>, key: &str) -> String {
    strings.get(key).cloned().unwrap_or_default()
}

use super::theme::form_string as form_str;

pub fn render(w: &Webinar, theme: &Theme, opts: &PageOptions) -> Result<Page, RenderError> {
    let lang = w.language.code();
    let strings = theme.strings(lang).clone();
    let when = w.when;
    let title = w.title.clone();
    let mut assets = Assets::default();

    // Organizer.
    let org = &w.organizer;
    let org_name = org.name.clone();
    let logo_alt = sstr(&strings, "logo_alt").replace("{name}", &org_name);
    let logo = org
        .logo
        .as_ref()
        .and_then(|l| assets.add(l, &logo_alt))
        .ok_or_else(|| {
            RenderError::Event(t!(
                "логотип организатора не читается",
                "the organizer logo cannot be read"
            ))
        })?;
    let favicon_type = assets
        .list
        .iter()
        .find(|a| a.path == logo.src)
        .map(|a| a.mime)
        .unwrap_or("image/svg+xml");
    let contacts = org
        .contacts
        .iter()
        .map(|c| {
            let phone = c.phone.clone();
            ContactCtx {
                name: c.name.clone(),
                role: c.role.clone(),
                email: c.email.clone(),
                phone_href: phone.as_deref().map(phone_href),
                phone,
            }
        })
        .collect();

    // Speakers, in the order they first appear in the program.
    let mut speakers: Vec<SpeakerCtx> = Vec::new();
    let mut speaker = |key: &str, assets: &mut Assets| -> Option<SpeakerCtx> {
        if let Some(s) = speakers.iter().find(|s| s.key == key) {
            return Some(s.clone());
        }
        let s = w.speaker(key)?;
        let name = s.name.clone()?;
        let photo = s.photo.as_ref().and_then(|p| assets.add(p, &name));
        let ctx = SpeakerCtx {
            key: key.to_string(),
            position: s.position.clone().unwrap_or_default(),
            position_inline: s
                .position
                .as_deref()
                .map(crate::typography::lower_first)
                .unwrap_or_default(),
            company: s.company.clone().unwrap_or_default(),
            initials: name
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .take(2)
                .collect(),
            name,
            photo,
        };
        speakers.push(ctx.clone());
        Some(ctx)
    };
    let date = when.start.date_naive();
    let tz = when.tz;
    let iso = |time: Option<chrono::NaiveTime>| -> String {
        time.and_then(|t| {
            use chrono::TimeZone;
            tz.from_local_datetime(&date.and_time(t)).earliest()
        })
        .map(|dt| dt.format("%Y-%m-%dT%H:%M%:z").to_string())
        .unwrap_or_default()
    };
    let mut program = Vec::new();
    for (index, item) in w.program.iter().enumerate() {
        let minutes = match (item.start_time, item.end_time) {
            (Some(a), Some(b)) => (b - a).num_minutes(),
            _ => 0,
        };
        let kind = item.kind.as_str();
        program.push(ItemCtx {
            index,
            start_iso: iso(item.start_time),
            end_iso: iso(item.end_time),
            start: item.start.clone(),
            end: item.end.clone(),
            minutes,
            title: item.title.clone(),
            kind,
            kind_label: strings.get(&format!("kind_{kind}")).cloned(),
            product: item.product.clone(),
            theses_html: item
                .theses
                .iter()
                .map(|t| to_inline_html(t))
                .filter(|t| !t.is_empty())
                .collect(),
            speakers: item
                .speakers
                .iter()
                .filter_map(|k| speaker(k, &mut assets))
                .collect(),
        });
    }

    // The form.
    let consent = consent_text(w);
    let reg = &w.registration;
    let consent_label = w
        .consent
        .label
        .clone()
        .unwrap_or_else(|| form_str(&strings, w.language, "consent_label").unwrap_or_default());
    let form = FormCtx {
        action: opts.form_action.clone(),
        method: opts.form_method.clone(),
        fields: w
            .form
            .iter()
            .cloned()
            .map(|f| FieldCtx {
                html_id: format!("f-{}", f.id),
                field: f,
            })
            .collect(),
        submit_label: reg
            .submit_label
            .clone()
            .unwrap_or_else(|| form_str(&strings, w.language, "submit").unwrap_or_default()),
        consent_label,
        consent_title: consent.title.clone(),
        consent_html: consent.html.clone(),
    };
    let rejected_template = reg
        .rejected_message
        .clone()
        .unwrap_or_else(|| form_str(&strings, w.language, "form_rejected").unwrap_or_default());
    let results = ResultsCtx {
        accepted: reg
            .accepted_message
            .clone()
            .unwrap_or_else(|| form_str(&strings, w.language, "form_accepted").unwrap_or_default()),
        rejected: reg
            .reject_reasons
            .iter()
            .map(|r| {
                let reason = form_str(&strings, w.language, &format!("reason_{r}"))
                    .unwrap_or_else(|| r.clone());
                RejectedCtx {
                    id: format!("registration-rejected-{r}"),
                    text: rejected_template.replace(catalog::PAGE_REASON, &reason),
                    reason,
                }
            })
            .collect(),
        retry: form_str(&strings, w.language, "form_retry").unwrap_or_default(),
    };

    // Partners and gallery.
    let mut header_partners = Vec::new();
    let mut partners = Vec::new();
    for p in &w.partners {
        let name = p.name.clone();
        let ctx = PartnerCtx {
            logo: p.logo.as_ref().and_then(|l| assets.add(l, &name)),
            website: p.website.clone(),
            name,
        };
        match p.placement.as_deref() {
            Some("header") => header_partners.push(ctx),
            _ => partners.push(ctx),
        }
    }
    let gallery = w
        .gallery
        .iter()
        .filter_map(|g| {
            let caption = g.caption.clone();
            let alt = caption.clone().unwrap_or_else(|| title.clone());
            Some(GalleryCtx {
                image: assets.add(&g.image, &alt)?,
                caption,
            })
        })
        .collect();

    let accent = w.theme.accent.as_deref();
    let palette = theme.palette(accent);
    let mut vars: BTreeMap<String, String> = theme
        .manifest
        .variables
        .keys()
        .filter_map(|k| Some((k.clone(), theme.variable(k)?)))
        .collect();
    vars.insert("accent".into(), palette.accent.hex());
    vars.insert("on_accent".into(), palette.on_accent.hex());
    vars.insert("accent_ink".into(), palette.ink.hex());

    let description_html = w
        .description
        .as_deref()
        .map(|d| to_html(d.trim()))
        .unwrap_or_default();
    let summary = w.summary.clone();
    let event_ctx = EventCtx {
        title: title.clone(),
        slug: w.slug.clone(),
        summary: summary.clone(),
        audience_html: w
            .audience
            .as_deref()
            .map(|d| to_html(d.trim()))
            .unwrap_or_default(),
        description_html: description_html.clone(),
        platform: w.platform.clone(),
        products: w.products.clone(),
        when: when.human(w.language),
        date: human_date(date, w.language),
        date_iso: date.format("%Y-%m-%d").to_string(),
        start: when.start.format("%H:%M").to_string(),
        end: when.end.format("%H:%M").to_string(),
        start_iso: when.start.format("%Y-%m-%dT%H:%M%:z").to_string(),
        end_iso: when.end.format("%Y-%m-%dT%H:%M%:z").to_string(),
        timezone: tz.name().to_string(),
        utc_offset: when.utc_offset(),
    };

    let description_plain = summary.clone().unwrap_or_else(|| {
        let t = visible_text(&description_html).replace('\n', " ");
        let t = t.trim();
        match t.char_indices().nth(200) {
            Some((i, _)) => format!("{}…", t[..i].trim_end()),
            None => t.to_string(),
        }
    });
    let head_html = super::head::head_html(&super::head::HeadInput {
        webinar: w,
        lang,
        title: &title,
        description: &description_plain,
        when: &when,
        organizer: &org_name,
        organizer_website: org.website.as_deref(),
        logo: &logo.src,
        speakers: &speakers
            .iter()
            .map(|s| (s.name.clone(), s.position.clone(), s.company.clone()))
            .collect::<Vec<_>>(),
        opts,
    });
    let ics = super::ics::event_ics(w, &description_plain, opts);

    let ctx = Ctx {
        lang,
        t: strings.clone(),
        vars,
        event: event_ctx,
        organizer: OrganizerCtx {
            name: org_name.clone(),
            website: org.website.clone(),
            logo: logo.clone(),
            contacts,
        },
        program,
        speakers,
        form,
        results,
        header_partners,
        partners,
        gallery,
        ics_href: "event.ics",
        css_href: "style.css",
        favicon: logo.clone(),
        favicon_type,
        form_html: placeholder("form"),
        head_html: placeholder("head"),
        sections: super::theme::SECTION_NAMES
            .iter()
            .map(|s| (*s, placeholder(s)))
            .collect(),
    };

    // Serialised once for every template of the page: the form, each section and the page
    // itself (converting the whole context per template was a tenth of a page's cost).
    let mut tera_ctx = tera::Context::from_serialize(&ctx).map_err(|e| RenderError::Template {
        file: "page.html".to_string(),
        error: tera_message(&e),
    })?;
    let render = |name: &str, c: &tera::Context| -> Result<String, RenderError> {
        theme
            .tera
            .render(name, c)
            .map_err(|e| RenderError::Template {
                file: name.to_string(),
                error: tera_message(&e),
            })
    };

    let minify = |s: &str| {
        if opts.minify {
            minify(s)
        } else {
            s.to_string()
        }
    };
    let form_html = minify(render("form.html", &tera_ctx)?.trim());
    let mut sections = Vec::new();
    for name in &theme.sections {
        let raw = render(&format!("sections/{name}.html"), &tera_ctx)?;
        if raw.trim().is_empty() {
            continue;
        }
        let html = fill_placeholders(
            &minify(raw.trim()),
            &[(placeholder("form"), form_html.as_str())],
        );
        sections.push(Section { name, html });
    }
    tera_ctx.insert("form_html", &form_html);
    let page_html = minify(&render("page.html", &tera_ctx)?);
    let mut parts = vec![(placeholder("head"), head_html.as_str())];
    for name in super::theme::SECTION_NAMES {
        let html = sections
            .iter()
            .find(|s| s.name == *name)
            .map(|s| s.html.as_str())
            .unwrap_or("");
        parts.push((placeholder(name), html));
    }
    let index_html = fill_placeholders(&page_html, &parts);

    let css = theme.css(accent);
    let mut all_assets = assets.list;
    all_assets.push(Asset {
        path: "style.css".into(),
        bytes: css.clone().into_bytes(),
        mime: "text/css",
    });
    all_assets.push(Asset {
        path: "event.ics".into(),
        bytes: ics.clone().into_bytes(),
        mime: "text/calendar",
    });
    let page = Page {
        index_html,
        sections,
        form_html,
        head_html,
        title,
        css,
        assets: all_assets,
        ics,
        consent,
        notes: palette.notes,
    };
    verify(w, &page, &strings, &when)?;
    Ok(page)
}

/// The page holds what the rules demand, whatever the theme did.
fn verify(
    w: &Webinar,
    page: &Page,
    strings: &BTreeMap<String, String>,
    when: &When,
) -> Result<(), RenderError> {
    let html = &page.index_html;
    let tags = PageTags::read(html);
    // visible_text gives lines of single-spaced words, each ending in '\n': joined with
    // spaces they are the page text with whitespace normalised as `norm` does.
    let mut shown = visible_text(html).replace('\n', " ");
    shown.pop();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut missing = Vec::new();
    // memmem's vectorised search: `str::contains` set up a two-way searcher for each of the
    // page's ~40 texts and scanned the page with it. A long text (the consent) is looked for
    // by its first 64 bytes, then compared whole: a searcher for all of it costs more to set
    // up than the search.
    let on_page = |s: &str| {
        let (page, text) = (shown.as_bytes(), s.as_bytes());
        let head = &text[..text.len().min(64)];
        memchr::memmem::find_iter(page, head).any(|at| page[at..].starts_with(text))
    };
    let mut want_text = |what: &str, s: &str| {
        let s = norm(s);
        if !s.is_empty() && !on_page(&s) {
            missing.push(format!("{what} «{s}»"));
        }
    };
    want_text("title", &w.title);
    want_text("date", &when.human(w.language));
    want_text("free_registration", &strings["free_registration"]);
    for item in &w.program {
        if !item.start.is_empty() && !item.end.is_empty() {
            want_text("program time", &item.start);
            want_text("program time", &item.end);
        }
        want_text("program title", &item.title);
        for key in &item.speakers {
            if let Some(s) = w.speaker(key) {
                for v in [&s.name, &s.position, &s.company].into_iter().flatten() {
                    want_text("speaker", v);
                }
            }
        }
    }
    for c in &w.organizer.contacts {
        for v in [&c.email, &c.phone].into_iter().flatten() {
            want_text("contact", v);
        }
    }
    for f in &w.form {
        let Some(control) = tags.controls.get(f.id.as_str()) else {
            missing.push(format!("form field {}", f.id));
            continue;
        };
        if !tags.labelled(control) {
            missing.push(format!("<label for> of {}", f.id));
        }
        if f.required && !control.required {
            missing.push(format!("required on {}", f.id));
        }
        if let Some(ac) = f.autocomplete {
            if control.autocomplete.as_deref() != Some(ac) {
                missing.push(format!("autocomplete on {}", f.id));
            }
        }
    }
    match tags.controls.get("consent") {
        Some(c) if c.required && !c.checked && tags.labelled(c) => {}
        _ => missing.push("consent checkbox (required, unchecked, with a <label for>)".into()),
    }
    let consent_shown = norm(&visible_text(&page.consent.html).replace('\n', " "));
    if !on_page(&consent_shown) {
        missing.push("the full consent text".into());
    }
    if !tags.accepted {
        missing.push("accepted message (id=registration-accepted)".into());
    }
    if !tags.rejected {
        missing.push("rejected message (id=registration-rejected-…)".into());
    }
    let first_logo = page.assets.first().map(|a| a.path.as_str()).unwrap_or("");
    if !tags.img_srcs.contains(first_logo) {
        missing.push("organizer logo".into());
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(RenderError::Incomplete(missing))
    }
}

/// A form control of the page, as the self-check needs it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Control {
    id: Option<String>,
    required: bool,
    checked: bool,
    autocomplete: Option<String>,
}

/// What the page self-check reads of the markup, gathered in one parse (lol_html).
/// Attribute values are as written: the theme writes no character references in names,
/// ids or paths.
#[derive(Debug, Default)]
struct PageTags {
    /// The first `<input>`, `<select>` or `<textarea>` of each `name`.
    controls: HashMap<String, Control>,
    /// The `for` of every `<label>`.
    label_for: std::collections::HashSet<String>,
    /// An element with `id="registration-accepted"`.
    accepted: bool,
    /// An element whose id starts with `registration-rejected-`.
    rejected: bool,
    /// The `src` of every `<img>`.
    img_srcs: std::collections::HashSet<String>,
}

impl PageTags {
    fn read(html: &str) -> Self {
        use lol_html::{element, HtmlRewriter, Settings};
        use std::cell::RefCell;
        let tags = RefCell::new(PageTags::default());
        let settings = Settings::new()
            .append_element_content_handler(element!(
                "input[name], select[name], textarea[name]",
                |el| {
                    let name = el.get_attribute("name").unwrap_or_default();
                    let control = Control {
                        id: el.get_attribute("id"),
                        required: el.has_attribute("required"),
                        checked: el.has_attribute("checked"),
                        autocomplete: el.get_attribute("autocomplete"),
                    };
                    tags.borrow_mut().controls.entry(name).or_insert(control);
                    Ok(())
                }
            ))
            .append_element_content_handler(element!("label[for]", |el| {
                let id = el.get_attribute("for").unwrap_or_default();
                tags.borrow_mut().label_for.insert(id);
                Ok(())
            }))
            .append_element_content_handler(element!("#registration-accepted", |_| {
                tags.borrow_mut().accepted = true;
                Ok(())
            }))
            .append_element_content_handler(element!(r#"[id^="registration-rejected-"]"#, |_| {
                tags.borrow_mut().rejected = true;
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                tags.borrow_mut().img_srcs.insert(src);
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // Nothing here can fail: no handler returns an error, and no memory limit is set.
        let _ = rewriter
            .write(html.as_bytes())
            .and_then(|()| rewriter.end());
        tags.into_inner()
    }

    /// Whether a `<label for>` names the control's id.
    fn labelled(&self, c: &Control) -> bool {
        c.id.as_ref().is_some_and(|id| self.label_for.contains(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parse finds form controls by their `name` attribute only (not by text that looks
    /// like one, nor by `data-name`), quoted or not, the first of each name.
    #[test]
    fn page_tags_read_controls_labels_and_messages() {
        let html = concat!(
            "<p>name=email x</p><form><label for=email>E</label>",
            "<input id=email name=email required autocomplete=email>",
            "<input data-name=phone><input name=\"phone\" id=\"ph\">",
            "<label for=\"ph\">P</label><input aria-name=\"cons\" name=cons>",
            "<input name=consent type=checkbox id=c required><input name=consent checked>",
            "<i name=\"x\"></i><b id=registration-accepted>ok</b>",
            "<b id=registration-rejected-full hidden>no</b></form><img src=assets/logo.svg>"
        );
        let tags = PageTags::read(html);
        let email = &tags.controls["email"];
        assert_eq!(
            email,
            &Control {
                id: Some("email".into()),
                required: true,
                checked: false,
                autocomplete: Some("email".into()),
            }
        );
        assert!(tags.labelled(email));
        assert!(tags.labelled(&tags.controls["phone"]));
        assert!(!tags.labelled(&tags.controls["cons"]));
        let consent = &tags.controls["consent"];
        assert!(consent.required && !consent.checked && !tags.labelled(consent));
        assert!(!tags.controls.contains_key("x"));
        assert_eq!(tags.controls.len(), 4);
        assert!(tags.accepted && tags.rejected);
        assert!(tags.img_srcs.contains("assets/logo.svg"));
        let none = PageTags::read("<p id=registration-rejected>registration-rejected-x</p>");
        assert!(!none.accepted && !none.rejected && none.controls.is_empty());
    }
}
