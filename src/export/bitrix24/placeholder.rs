//! Stand-in for the theme renderer (`src/render/`), which is not wired yet: simple escaped
//! sections, a consent text and a confirmation mail built straight from the event, so that
//! `publish` works end to end. Replace [`input_for`] by the renderer's output once it exists.

use std::collections::BTreeMap;

use pulldown_cmark::{html, Event as Md, Options, Parser};

use super::{escape, Bitrix24Input};
use crate::event::model::text;
use crate::event::paths::{resolve, ImageKind};
use crate::event::when::When;
use crate::event::Event;

/// Markdown to HTML with raw HTML shown as text (partners write Markdown, not markup).
fn markdown(s: &str) -> String {
    let parser = Parser::new_ext(s, Options::empty()).map(|e| match e {
        Md::Html(h) | Md::InlineHtml(h) => Md::Text(h),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

fn logo_img(event: &Event, rel: &str, alt: &str) -> String {
    let Ok(path) = resolve(&event.dir, rel) else {
        return String::new();
    };
    let Ok(bytes) = std::fs::read(&path) else {
        return String::new();
    };
    let Some(kind) = ImageKind::sniff(&bytes) else {
        return String::new();
    };
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let img = format!(
        "<img src=\"data:{};base64,{data}\" alt=\"{}\">",
        kind.mime(),
        escape(alt)
    );
    // Base64 can spell what the Bitrix24 filter refuses (say `+onabc=`): leave such a logo
    // to be uploaded by hand rather than fail the whole page.
    if super::check_content(&img).is_empty() {
        img
    } else {
        String::new()
    }
}

/// The page sections from the event: header, hero, description, audience, program,
/// speakers, registration (replaced by the CRM-form block), contacts, partners.
pub fn sections_for(event: &Event) -> Vec<(String, String)> {
    let sec = event.section().cloned().unwrap_or_default();
    let org = event
        .file
        .organizer
        .as_ref()
        .map(|o| o.get_ref().clone())
        .unwrap_or_default();
    let org_name = text(&org.name).unwrap_or("");
    let mut out = Vec::new();

    let mut header = String::from("<div class=\"bxl-header\">");
    if let Some(logo) = text(&org.logo) {
        header.push_str(&logo_img(event, logo, org_name));
    }
    for p in &event.file.partners {
        let p = p.get_ref();
        if text(&p.placement) == Some("header") {
            if let Some(logo) = text(&p.logo) {
                header.push_str(&logo_img(event, logo, text(&p.name).unwrap_or("")));
            }
        }
    }
    header.push_str(&format!("<p>{}</p></div>", escape(org_name)));
    out.push(("header".into(), header));

    let when = When::of(event)
        .map(|w| w.human(event.language()))
        .unwrap_or_default();
    let mut hero = format!(
        "<div class=\"bxl-hero\"><h1>{}</h1><p>{}</p>",
        escape(event.title()),
        escape(&when)
    );
    if let Some(summary) = text(&sec.summary) {
        hero.push_str(&format!("<p>{}</p>", escape(summary)));
    }
    hero.push_str("</div>");
    out.push(("hero".into(), hero));

    if let Some(d) = text(&sec.description) {
        out.push((
            "description".into(),
            format!("<div class=\"bxl-description\">{}</div>", markdown(d)),
        ));
    }
    if let Some(a) = text(&sec.audience) {
        out.push((
            "audience".into(),
            format!("<div class=\"bxl-audience\">{}</div>", markdown(a)),
        ));
    }

    let mut program = String::from("<div class=\"bxl-program\"><ol>");
    for item in event.program() {
        let time = format!(
            "{}–{}",
            text(&item.start).unwrap_or(""),
            text(&item.end).unwrap_or("")
        );
        program.push_str(&format!(
            "<li><h3>{} {}</h3>",
            escape(&time),
            escape(text(&item.title).unwrap_or(""))
        ));
        if !item.theses.is_empty() {
            program.push_str("<ul>");
            for t in &item.theses {
                program.push_str(&format!("<li>{}</li>", escape(t.get_ref())));
            }
            program.push_str("</ul>");
        }
        let names: Vec<&str> = item
            .speakers
            .iter()
            .filter_map(|k| event.speaker(k.get_ref()).and_then(|s| text(&s.name)))
            .collect();
        if !names.is_empty() {
            program.push_str(&format!("<p>{}</p>", escape(&names.join(", "))));
        }
        program.push_str("</li>");
    }
    program.push_str("</ol></div>");
    out.push(("program".into(), program));

    let mut speakers = String::from("<div class=\"bxl-speakers\">");
    for s in event.file.speakers.values() {
        let s = s.get_ref();
        speakers.push_str(&format!(
            "<div class=\"bxl-speaker\"><h3>{}</h3><p>{}, {}</p></div>",
            escape(text(&s.name).unwrap_or("")),
            escape(text(&s.position).unwrap_or("")),
            escape(text(&s.company).unwrap_or(""))
        ));
    }
    speakers.push_str("</div>");
    out.push(("speakers".into(), speakers));

    out.push(("registration".into(), String::new()));

    let mut contacts = String::from("<div class=\"bxl-contacts\">");
    for c in &org.contacts {
        let c = c.get_ref();
        let mut line = escape(text(&c.name).unwrap_or(""));
        if let Some(role) = text(&c.role) {
            line.push_str(&format!(", {}", escape(role)));
        }
        if let Some(email) = text(&c.email) {
            line.push_str(&format!(
                "<br><a href=\"mailto:{0}\">{0}</a>",
                escape(email)
            ));
        }
        if let Some(phone) = text(&c.phone) {
            let tel: String = phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            line.push_str(&format!("<br><a href=\"tel:{tel}\">{}</a>", escape(phone)));
        }
        contacts.push_str(&format!("<p>{line}</p>"));
    }
    contacts.push_str("</div>");
    out.push(("contacts".into(), contacts));

    let partners: Vec<_> = event
        .file
        .partners
        .iter()
        .map(|p| p.get_ref())
        .filter(|p| text(&p.placement).unwrap_or("partners") == "partners")
        .collect();
    if !partners.is_empty() {
        let mut html = String::from("<div class=\"bxl-partners\">");
        for p in partners {
            let name = text(&p.name).unwrap_or("");
            html.push_str("<div class=\"bxl-partner\">");
            if let Some(logo) = text(&p.logo) {
                html.push_str(&logo_img(event, logo, name));
            }
            html.push_str(&format!("<p>{}</p></div>", escape(name)));
        }
        html.push_str("</div>");
        out.push(("partners".into(), html));
    }
    out
}

/// The consent text from `[consent]` (or its own `text`).
pub fn consent_for(event: &Event) -> String {
    let Some(c) = event.file.consent.as_ref().map(|c| c.get_ref()) else {
        return String::new();
    };
    if let Some(t) = text(&c.text) {
        return t.to_string();
    }
    let list = |v: &Option<crate::event::Sp<Vec<crate::event::Sp<String>>>>| -> String {
        v.as_ref()
            .map(|v| {
                v.get_ref()
                    .iter()
                    .map(|s| s.get_ref().as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let mut s = format!(
        "Я даю согласие {} (далее — оператор) на обработку моих персональных данных.\n",
        text(&c.operator).unwrap_or("")
    );
    s.push_str(&format!("Цель обработки: {}.\n", list(&c.purposes)));
    s.push_str(&format!("Перечень данных: {}.\n", list(&c.data)));
    s.push_str(&format!("Действия с данными: {}.\n", list(&c.actions)));
    s.push_str(&format!(
        "Передача третьим лицам: {}.\n",
        list(&c.third_parties)
    ));
    if let Some(x) = text(&c.cross_border) {
        s.push_str(&format!("Трансграничная передача: {x}.\n"));
    }
    s.push_str(&format!(
        "Срок обработки: {}.\n",
        text(&c.term).unwrap_or("")
    ));
    s.push_str(&format!(
        "Срок хранения: {}",
        text(&c.storage).unwrap_or("")
    ));
    if let Some(x) = text(&c.storage_location) {
        s.push_str(&format!(", {x}"));
    }
    s.push_str(".\n");
    s.push_str(&format!(
        "Согласие можно отозвать {}.\n",
        text(&c.withdrawal).unwrap_or("")
    ));
    s
}

/// A [`Bitrix24Input`] built from the event alone (see the module doc).
pub fn input_for(
    event: &Event,
    form_id: Option<u64>,
    css_url: Option<String>,
) -> Bitrix24Input<'_> {
    let sec = event.section().cloned().unwrap_or_default();
    let when = When::of(event)
        .map(|w| w.human(event.language()))
        .unwrap_or_default();
    let title = event.title().to_string();
    let conf = event
        .file
        .registration
        .as_ref()
        .and_then(|r| r.get_ref().confirmation_email.as_ref())
        .map(|c| c.get_ref().clone())
        .unwrap_or_default();
    let subject = text(&conf.subject)
        .map(str::to_string)
        .unwrap_or_else(|| format!("Вы зарегистрированы на вебинар «{title}»"));
    let body = text(&conf.body).map(str::to_string).unwrap_or_else(|| {
        format!(
            "Здравствуйте!\n\nВы зарегистрированы на вебинар «{title}».\nКогда: {when}.\n\nНакануне и в день вебинара мы пришлём напоминание со ссылкой на трансляцию."
        )
    });
    Bitrix24Input {
        event,
        title: title.clone(),
        description: text(&sec.summary).unwrap_or(&title).to_string(),
        sections: sections_for(event),
        css: ".bxl-block{padding:48px 16px}.bxl-container{max-width:960px;margin:0 auto}\n"
            .to_string(),
        consent_plain: consent_for(event),
        strings: BTreeMap::new(),
        confirmation_subject: subject,
        confirmation_body: body,
        extra_checklist: String::new(),
        form_id,
        css_url,
    }
}
