//! The data a theme's templates get (documented for theme authors in the README), and the
//! rendering of the page from it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Serialize;

use super::markdown::{to_html, to_inline_html};
use super::minify::{minify, visible_text};
use super::theme::{event_accent, tera_message, Theme};
use super::{consent_text, Asset, Page, PageOptions, RenderError, Section};
use crate::catalog::{self, Language};
use crate::event::form::{form_fields, FormField};
use crate::event::model::{text, Sp};
use crate::event::paths::{self, ImageKind};
use crate::event::when::{human_date, When};
use crate::event::Event;
use crate::t;

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
    by_source: HashMap<PathBuf, Image>,
}

impl Assets {
    fn add(&mut self, event: &Event, value: &Sp<String>, alt: &str) -> Option<Image> {
        let base = event
            .sources
            .dir_of(&value.span())
            .unwrap_or_else(|| event.dir.clone());
        let path = paths::resolve(&base, value.get_ref()).ok()?;
        let real = std::fs::canonicalize(&path).unwrap_or(path.clone());
        if let Some(img) = self.by_source.get(&real) {
            return Some(Image {
                alt: alt.to_string(),
                ..img.clone()
            });
        }
        // The one place outputs read an image: the checked copy (an SVG sanitized), so the
        // page, the Site Management archive and Bitrix24 never ship what input.image refused.
        let checked = crate::event::image::read(&path).ok()?;
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

fn own(v: &Option<Sp<String>>) -> Option<String> {
    text(v).map(|s| s.trim().to_string())
}

/// A web address that may stand in an `href`: http(s) only.
fn web_url(v: &Option<Sp<String>>) -> Option<String> {
    let u = own(v)?;
    let l = u.to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://")).then_some(u)
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

/// A form string (`form_accepted`, `reason_student`, ...): the theme's, else the catalog's
/// (`form.*`, its `{{ reason }}` the page's own `{reason}`).
fn form_str(strings: &BTreeMap<String, String>, lang: Language, key: &str) -> Option<String> {
    strings
        .get(key)
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .or_else(|| {
            let t = catalog::try_text(lang, &format!("form.{key}"))?;
            Some(
                catalog::fill(t, &[("reason", catalog::PAGE_REASON)]).unwrap_or_else(|u| u.partial),
            )
        })
}

pub fn render(event: &Event, theme: &Theme, opts: &PageOptions) -> Result<Page, RenderError> {
    let lang = event.language().code();
    let strings = theme.strings(lang).clone();
    let when = When::of(event).ok_or_else(|| {
        RenderError::Event(t!(
            "нельзя вычислить время вебинара: проверьте date, timezone и программу",
            "the webinar time cannot be computed: check date, timezone and the program"
        ))
    })?;
    let section = event.section().cloned().unwrap_or_default();
    let title = event.title().to_string();
    if title.is_empty() {
        return Err(RenderError::Event(t!("нет названия", "no title")));
    }
    let mut assets = Assets::default();

    // Organizer.
    let org = event
        .file
        .organizer
        .as_ref()
        .map(|o| o.get_ref().clone())
        .unwrap_or_default();
    let org_name = own(&org.name).unwrap_or_default();
    let logo_alt = sstr(&strings, "logo_alt").replace("{name}", &org_name);
    let logo = org
        .logo
        .as_ref()
        .and_then(|l| assets.add(event, l, &logo_alt))
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
            let c = c.get_ref();
            let phone = own(&c.phone);
            ContactCtx {
                name: own(&c.name),
                role: own(&c.role),
                email: own(&c.email),
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
        let s = event.speaker(key)?;
        let name = own(&s.name)?;
        let photo = s.photo.as_ref().and_then(|p| assets.add(event, p, &name));
        let ctx = SpeakerCtx {
            key: key.to_string(),
            position: own(&s.position).unwrap_or_default(),
            position_inline: own(&s.position)
                .map(|p| crate::typography::lower_first(&p))
                .unwrap_or_default(),
            company: own(&s.company).unwrap_or_default(),
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
    let iso = |hhmm: &str| -> String {
        crate::event::parse_hhmm(hhmm)
            .and_then(|t| {
                use chrono::TimeZone;
                tz.from_local_datetime(&date.and_time(t)).earliest()
            })
            .map(|dt| dt.format("%Y-%m-%dT%H:%M%:z").to_string())
            .unwrap_or_default()
    };
    let mut program = Vec::new();
    for (index, item) in event.program().enumerate() {
        let start = own(&item.start).unwrap_or_default();
        let end = own(&item.end).unwrap_or_default();
        let minutes = match (
            crate::event::parse_hhmm(&start),
            crate::event::parse_hhmm(&end),
        ) {
            (Some(a), Some(b)) => (b - a).num_minutes(),
            _ => 0,
        };
        let kind = item.kind().as_str();
        program.push(ItemCtx {
            index,
            start_iso: iso(&start),
            end_iso: iso(&end),
            start,
            end,
            minutes,
            title: own(&item.title).unwrap_or_default(),
            kind,
            kind_label: strings.get(&format!("kind_{kind}")).cloned(),
            product: own(&item.product),
            theses_html: item
                .theses
                .iter()
                .map(|t| to_inline_html(t.get_ref()))
                .filter(|t| !t.is_empty())
                .collect(),
            speakers: item
                .speakers
                .iter()
                .filter_map(|k| speaker(k.get_ref(), &mut assets))
                .collect(),
        });
    }

    // The form.
    let consent = consent_text(event);
    let reg = event
        .file
        .registration
        .as_ref()
        .map(|r| r.get_ref().clone())
        .unwrap_or_default();
    let consent_label = event
        .file
        .consent
        .as_ref()
        .and_then(|c| own(&c.get_ref().label))
        .unwrap_or_else(|| {
            form_str(&strings, event.language(), "consent_label").unwrap_or_default()
        });
    let form = FormCtx {
        action: opts.form_action.clone(),
        method: opts.form_method.clone(),
        fields: form_fields(event)
            .into_iter()
            .map(|f| FieldCtx {
                html_id: format!("f-{}", f.id),
                field: f,
            })
            .collect(),
        submit_label: own(&reg.submit_label)
            .unwrap_or_else(|| form_str(&strings, event.language(), "submit").unwrap_or_default()),
        consent_label,
        consent_title: consent.title.clone(),
        consent_html: consent.html.clone(),
    };
    let mut reasons: Vec<String> = reg
        .reject_reasons
        .as_ref()
        .map(|l| l.get_ref().iter().map(|r| r.get_ref().clone()).collect())
        .unwrap_or_default();
    if reasons.is_empty() {
        reasons = vec!["competitor".into(), "student".into()];
    }
    let rejected_template = own(&reg.rejected_message).unwrap_or_else(|| {
        form_str(&strings, event.language(), "form_rejected").unwrap_or_default()
    });
    let results = ResultsCtx {
        accepted: own(&reg.accepted_message).unwrap_or_else(|| {
            form_str(&strings, event.language(), "form_accepted").unwrap_or_default()
        }),
        rejected: reasons
            .iter()
            .map(|r| {
                let reason = form_str(&strings, event.language(), &format!("reason_{r}"))
                    .unwrap_or_else(|| r.clone());
                RejectedCtx {
                    id: format!("registration-rejected-{r}"),
                    text: rejected_template.replace(catalog::PAGE_REASON, &reason),
                    reason,
                }
            })
            .collect(),
        retry: form_str(&strings, event.language(), "form_retry").unwrap_or_default(),
    };

    // Partners and gallery.
    let mut header_partners = Vec::new();
    let mut partners = Vec::new();
    for p in &event.file.partners {
        let p = p.get_ref();
        let name = own(&p.name).unwrap_or_default();
        let ctx = PartnerCtx {
            logo: p.logo.as_ref().and_then(|l| assets.add(event, l, &name)),
            website: web_url(&p.website),
            name,
        };
        match text(&p.placement) {
            Some("header") => header_partners.push(ctx),
            _ => partners.push(ctx),
        }
    }
    let gallery = event
        .file
        .gallery
        .iter()
        .filter_map(|g| {
            let g = g.get_ref();
            let caption = own(&g.caption);
            let alt = caption.clone().unwrap_or_else(|| title.clone());
            Some(GalleryCtx {
                image: assets.add(event, g.image.as_ref()?, &alt)?,
                caption,
            })
        })
        .collect();

    let palette = theme.palette(event_accent(event));
    let mut vars: BTreeMap<String, String> = theme
        .manifest
        .variables
        .keys()
        .filter_map(|k| Some((k.clone(), theme.variable(k)?)))
        .collect();
    vars.insert("accent".into(), palette.accent.hex());
    vars.insert("on_accent".into(), palette.on_accent.hex());
    vars.insert("accent_ink".into(), palette.ink.hex());

    let description_html = own(&section.description)
        .map(|d| to_html(&d))
        .unwrap_or_default();
    let summary = own(&section.summary);
    let event_ctx = EventCtx {
        title: title.clone(),
        slug: event.slug(),
        summary: summary.clone(),
        audience_html: own(&section.audience)
            .map(|d| to_html(&d))
            .unwrap_or_default(),
        description_html: description_html.clone(),
        platform: own(&section.platform),
        products: section
            .products
            .as_ref()
            .map(|l| l.get_ref().iter().map(|p| p.get_ref().clone()).collect())
            .unwrap_or_default(),
        when: when.human(event.language()),
        date: human_date(date, event.language()),
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
        event,
        lang,
        title: &title,
        description: &description_plain,
        when: &when,
        organizer: &org_name,
        organizer_website: web_url(&org.website).as_deref(),
        logo: &logo.src,
        speakers: &speakers
            .iter()
            .map(|s| (s.name.clone(), s.position.clone(), s.company.clone()))
            .collect::<Vec<_>>(),
        opts,
    });
    let ics = super::ics::event_ics(event, &when, &description_plain, opts);

    let ctx = Ctx {
        lang,
        t: strings.clone(),
        vars,
        event: event_ctx,
        organizer: OrganizerCtx {
            name: org_name.clone(),
            website: web_url(&org.website),
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

    let css = theme.css(event_accent(event));
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
    verify(event, &page, &strings, &when)?;
    Ok(page)
}

/// The page holds what the rules demand, whatever the theme did.
fn verify(
    event: &Event,
    page: &Page,
    strings: &BTreeMap<String, String>,
    when: &When,
) -> Result<(), RenderError> {
    let html = &page.index_html;
    let attrs = AttrIndex::new(html);
    let page_tag = |name: &str, value: &str| attrs.find_tag(name, value);
    // visible_text gives lines of single-spaced words, each ending in '\n': joined with
    // spaces they are the page text with whitespace normalised as `norm` does.
    let mut shown = visible_text(html).replace('\n', " ");
    shown.pop();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut missing = Vec::new();
    let mut want_text = |what: &str, s: &str| {
        let s = norm(s);
        if !s.is_empty() && !shown.contains(&s) {
            missing.push(format!("{what} «{s}»"));
        }
    };
    want_text("title", event.title());
    want_text("date", &when.human(event.language()));
    want_text("free_registration", &strings["free_registration"]);
    for item in event.program() {
        if let (Some(s), Some(e)) = (text(&item.start), text(&item.end)) {
            want_text("program time", s);
            want_text("program time", e);
        }
        if let Some(t) = text(&item.title) {
            want_text("program title", t);
        }
        for key in &item.speakers {
            if let Some(s) = event.speaker(key.get_ref()) {
                for v in [&s.name, &s.position, &s.company] {
                    if let Some(v) = text(v) {
                        want_text("speaker", v);
                    }
                }
            }
        }
    }
    if let Some(o) = &event.file.organizer {
        for c in &o.get_ref().contacts {
            let c = c.get_ref();
            for v in [&c.email, &c.phone] {
                if let Some(v) = text(v) {
                    want_text("contact", v);
                }
            }
        }
    }
    for f in form_fields(event) {
        let Some(tag) = page_tag("name", &f.id) else {
            missing.push(format!("form field {}", f.id));
            continue;
        };
        let label_bound = tag_attr(tag, "id").is_some_and(|id| page_tag("for", id).is_some());
        if !label_bound {
            missing.push(format!("<label for> of {}", f.id));
        }
        if f.required && !has_attr(tag, "required") {
            missing.push(format!("required on {}", f.id));
        }
        if let Some(ac) = f.autocomplete {
            if find_tag(tag, "autocomplete", ac).is_none() {
                missing.push(format!("autocomplete on {}", f.id));
            }
        }
    }
    match page_tag("name", "consent") {
        Some(tag)
            if has_attr(tag, "required")
                && !has_attr(tag, "checked")
                && tag_attr(tag, "id").is_some_and(|id| page_tag("for", id).is_some()) => {}
        _ => missing.push("consent checkbox (required, unchecked, with a <label for>)".into()),
    }
    let consent_shown = norm(&visible_text(&page.consent.html).replace('\n', " "));
    if !shown.contains(&consent_shown) {
        missing.push("the full consent text".into());
    }
    if page_tag("id", "registration-accepted").is_none() {
        missing.push("accepted message (id=registration-accepted)".into());
    }
    if !html.contains("registration-rejected-") {
        missing.push("rejected message (id=registration-rejected-…)".into());
    }
    let first_logo = page
        .assets
        .first()
        .map(|a| a.path.clone())
        .unwrap_or_default();
    if !html.contains(&first_logo) {
        missing.push("organizer logo".into());
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(RenderError::Incomplete(missing))
    }
}

/// The start tag holding the attribute `name=value` (quoted or not, as minify-html leaves it).
fn find_tag<'a>(html: &'a str, name: &str, value: &str) -> Option<&'a str> {
    for pat in [
        format!("{name}=\"{value}\""),
        format!("{name}={value} "),
        format!("{name}={value}>"),
    ] {
        if let Some(at) = html.find(&pat) {
            return tag_around(html, at);
        }
    }
    None
}

/// The tag from the last `<` before `at` to the first `>` after it.
fn tag_around(html: &str, at: usize) -> Option<&str> {
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..=end])
}

/// Every `=` of a page, found once, so that looking up many `name=value` attributes does not
/// search the whole page again for each (the page self-check looks up two dozen).
struct AttrIndex<'a> {
    html: &'a str,
    eqs: Vec<usize>,
}

impl<'a> AttrIndex<'a> {
    fn new(html: &'a str) -> Self {
        let eqs = html
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'=')
            .map(|(i, _)| i)
            .collect();
        AttrIndex { html, eqs }
    }

    /// What [`find_tag`] over the whole page gives: the first `name="value"`, else the first
    /// `name=value ` , else the first `name=value>`. Every such match has its `=` right after
    /// `name`, so only the bytes around each `=` are compared.
    fn find_tag(&self, name: &str, value: &str) -> Option<&'a str> {
        let bytes = self.html.as_bytes();
        let (name, value) = (name.as_bytes(), value.as_bytes());
        let mut first = [None::<usize>; 3];
        for &eq in &self.eqs {
            if eq < name.len() || &bytes[eq - name.len()..eq] != name {
                continue;
            }
            let after = &bytes[eq + 1..];
            let quoted = after.len() > value.len() + 1
                && after[0] == b'"'
                && &after[1..=value.len()] == value
                && after[value.len() + 1] == b'"';
            let bare = |end: u8| {
                after.len() > value.len()
                    && &after[..value.len()] == value
                    && after[value.len()] == end
            };
            let at = eq - name.len();
            if quoted {
                // Nothing can come before the first quoted match.
                return tag_around(self.html, at);
            }
            for (slot, end) in first[1..].iter_mut().zip([b' ', b'>']) {
                if slot.is_none() && bare(end) {
                    *slot = Some(at);
                }
            }
        }
        first[1..]
            .iter()
            .flatten()
            .next()
            .and_then(|&at| tag_around(self.html, at))
    }
}

/// The value of `attr` in a start tag, quoted or not.
fn tag_attr<'a>(tag: &'a str, attr: &str) -> Option<&'a str> {
    let i = tag.find(&format!(" {attr}="))? + attr.len() + 2;
    let rest = &tag[i..];
    match rest.strip_prefix('"') {
        Some(r) => Some(&r[..r.find('"')?]),
        None => Some(&rest[..rest.find([' ', '>'])?]),
    }
}

fn has_attr(tag: &str, attr: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .any(|w| w == attr || w.starts_with(&format!("{attr}=")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexed look-up gives what a search of the whole page gives, whichever form the
    /// attribute takes and wherever the same text occurs again.
    #[test]
    fn attr_index_finds_what_a_page_search_finds() {
        let html = concat!(
            "<p>data-name=email x</p><form><label for=email>E</label>",
            "<input id=email name=email required><input name=\"phone\" id=\"ph\">",
            "<label for=\"ph\">P</label><input aria-name=\"cons\" name=cons>",
            "<input name=consent type=checkbox><i name=\"consent\">",
            "<b id=registration-accepted>ok</b></form>=name=x>"
        );
        let index = AttrIndex::new(html);
        for (name, value) in [
            ("name", "email"),
            ("name", "phone"),
            ("name", "cons"),
            ("name", "consent"),
            ("name", "x"),
            ("name", "missing"),
            ("for", "email"),
            ("for", "ph"),
            ("id", "ph"),
            ("id", "registration-accepted"),
            ("data-name", "email"),
        ] {
            assert_eq!(
                index.find_tag(name, value),
                find_tag(html, name, value),
                "{name}={value}"
            );
        }
        assert_eq!(
            index.find_tag("name", "consent"),
            Some("<i name=\"consent\">")
        );
    }
}
