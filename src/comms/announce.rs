//! The announcement kit («Анонсирование»): the post for social networks and city news portals,
//! and, when asked (`[announcement] cold_mail = true`), the cold-mailing variant that names
//! neither 1C-Bitrix nor any of its products (Анонсирование 4).

use super::mails::{self, contact_lines, organizer_name};
use super::strings::{self, Mode, Vars};
use crate::webinar::Webinar;

pub use crate::rules::texts::bitrix_word;

fn clean(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && bitrix_word(s).is_none()).then_some(s)
}

/// «10:00–10:10 — Приветственное слово организатора».
fn program_lines(event: &Webinar, with_speakers: bool, only_clean: bool) -> Vec<String> {
    event
        .program
        .iter()
        .filter_map(|item| {
            let mut title = Some(item.title.as_str()).filter(|t| !t.is_empty())?;
            if only_clean {
                // The partner's own cold title when it is clean (`announce.cold-mail` reports
                // it at its line when not); else a title that names 1C-Bitrix keeps its slot
                // under a neutral one: the timing has no hole.
                if let Some(cold) = item.cold_title.as_deref().and_then(clean) {
                    title = cold;
                } else if clean(title).is_none() {
                    title = &strings::get(event.language).cold.neutral_item;
                }
            }
            let time = if item.start.is_empty() || item.end.is_empty() {
                String::new()
            } else {
                format!("{}–{} — ", item.start, item.end)
            };
            let mut line = format!("{time}{title}");
            if with_speakers {
                let who: Vec<String> = item
                    .speakers
                    .iter()
                    .filter_map(|k| event.speaker(k))
                    .filter_map(|s| {
                        let name = s.name.as_deref()?;
                        Some(match s.company.as_deref() {
                            Some(c) => format!("{name}, {c}"),
                            None => name.to_string(),
                        })
                    })
                    .collect();
                if !who.is_empty() {
                    line.push_str(&format!(" ({})", who.join("; ")));
                }
            }
            Some(line)
        })
        .collect()
}

/// The post's own introduction: the override, else the summary and the description (whose
/// last lines usually say what attendees take away: the post keeps them).
fn intro(event: &Webinar) -> String {
    if let Some(post) = event.announcement.post.as_deref() {
        return mails::markdown_to_text(post).trim().to_string();
    }
    let parts: Vec<String> = [
        event.summary.clone(),
        event
            .description
            .as_deref()
            .map(|d| mails::markdown_to_text(d).trim().to_string()),
    ]
    .into_iter()
    .flatten()
    .filter(|p| !p.is_empty())
    .collect();
    parts.join("\n\n")
}

/// The text template of the post, with the event's own values written in and bxland's words
/// given by `mode` (Plain for the file, Masked for the rules).
fn post_with(event: &Webinar, mode: Mode) -> String {
    let s = strings::get(event.language);
    let v = mails::vars(event);
    let lang = event.language;
    let mut out = String::new();
    out.push_str(&v.fill(&s.post.invite, Mode::Plain));
    out.push_str("\n\n");
    let place = match v.get("event.platform") {
        Some(p) => format!("{}, {p}", s.post.online),
        None => s.post.online.clone(),
    };
    out.push_str(&format!("{} · {place}\n", event.when.human(lang)));
    out.push_str(&v.fill(&s.post.free, mode));
    out.push_str("\n\n");
    let intro = intro(event);
    if !intro.is_empty() {
        out.push_str(&intro);
        out.push_str("\n\n");
    }
    out.push_str(&s.post.program);
    out.push('\n');
    for line in program_lines(event, true, false) {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(a) = event.audience.as_deref() {
        out.push('\n');
        out.push_str(&s.post.audience);
        out.push(' ');
        out.push_str(&mails::lower_first(
            &mails::markdown_to_text(a)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&v.fill(
        if v.get("registration_url").is_some() {
            &s.post.registration
        } else {
            &s.post.registration_missing
        },
        mode,
    ));
    out.push('\n');
    out.push_str(&v.fill(&s.post.organizer, mode));
    out.push('\n');
    out.push_str(&s.post.contacts);
    out.push('\n');
    for c in contact_lines(event) {
        out.push_str(&format!("- {c}\n"));
    }
    out
}

pub fn post(event: &Webinar) -> String {
    post_with(event, Mode::Plain)
}

/// bxland's own words in the post (the values masked), for the text rules.
pub fn post_template_words(event: &Webinar) -> String {
    let s = strings::get(event.language);
    let v = mails::vars(event);
    [
        v.fill(&s.post.invite, Mode::Masked),
        v.fill(&s.post.free, Mode::Masked),
        s.post.online.clone(),
        s.post.program.clone(),
        s.post.audience.clone(),
        // The registration line the post really has: a template left unfilled never ships.
        v.fill(
            if v.get("registration_url").is_some() {
                &s.post.registration
            } else {
                &s.post.registration_missing
            },
            Mode::Masked,
        ),
        v.fill(&s.post.organizer, Mode::Masked),
        s.post.contacts.clone(),
    ]
    .join("\n")
}

/// The cold mailing's topic: the title if it names no 1C-Bitrix product, else its part after
/// a colon, else the summary, else a neutral phrase.
pub fn cold_topic(event: &Webinar) -> String {
    let title = event.title.as_str();
    if let Some(t) = clean(title) {
        return t.to_string();
    }
    if let Some((_, after)) = title.split_once(':') {
        if let Some(t) = clean(after) {
            let mut c = t.chars();
            if let Some(first) = c.next() {
                return first.to_uppercase().chain(c).collect();
            }
        }
    }
    if let Some(s) = event.summary.as_deref().and_then(clean) {
        if s.chars().count() <= 120 {
            return s.trim_end_matches('.').to_string();
        }
    }
    strings::get(event.language).cold.topic_fallback.clone()
}

/// The cold variant's values: no product names anywhere bxland chooses the words.
pub fn cold_vars(event: &Webinar) -> Vars {
    let s = strings::get(event.language);
    let mut v = mails::vars(event);
    v.set("topic", cold_topic(event));
    let lines = program_lines(event, false, true);
    let program = if lines.is_empty() {
        String::new()
    } else {
        let mut p = s.cold.program.clone();
        p.push('\n');
        for l in lines {
            p.push_str(&format!("\n- {l}"));
        }
        p
    };
    v.set("program", program);
    v
}

/// Whether the event asks for the cold variant.
pub fn cold_wanted(event: &Webinar) -> bool {
    event.announcement.cold_mail == Some(true)
}

pub struct ColdMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The parts of the cold mail: subject and body templates (override or default, and whether
/// each is the default) and the contacts footer.
pub fn cold_templates(event: &Webinar) -> ((String, bool), (String, bool)) {
    let s = strings::get(event.language);
    let subject = event.announcement.cold_subject.as_deref();
    let body = event.announcement.cold_body.as_deref();
    // Without the page's address the default's registration line says where to register
    // in words: a `{{ registration_url }}` left unfilled would ship as written.
    let default_body = if mails::registration_url(event).is_some() {
        s.cold.body.clone()
    } else {
        s.cold
            .body
            .lines()
            .map(|l| {
                if l.contains("{{ registration_url }}") {
                    s.post.registration_missing.as_str()
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    (
        subject
            .map(|t| (t.to_string(), false))
            .unwrap_or_else(|| (s.cold.subject.clone(), true)),
        body.map(|t| (t.to_string(), false))
            .unwrap_or((default_body, true)),
    )
}

/// The footer of the cold mail: the organizer and contacts (roles that name a product left
/// out), as plain text lines.
pub fn cold_footer(event: &Webinar) -> String {
    let s = strings::get(event.language);
    let mut out = format!("{}: {}\n", s.details.contacts, organizer_name(event));
    for c in &event.organizer.contacts {
        let role = c.role.as_deref().and_then(clean).map(mails::lower_first);
        let parts: Vec<&str> = [
            c.name.as_deref(),
            role.as_deref(),
            c.email.as_deref(),
            c.phone.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            out.push_str(&format!("- {}\n", parts.join(", ")));
        }
    }
    out.push('\n');
    out.push_str(&s.cold.unsubscribe);
    out.push('\n');
    out
}

pub fn cold_mail(event: &Webinar) -> ColdMail {
    let v = cold_vars(event);
    let ((subject_t, _), (body_t, _)) = cold_templates(event);
    let subject = v
        .fill(&subject_t, Mode::Plain)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut md = v.fill(body_t.trim(), Mode::Markdown);
    md.push_str("\n\n");
    for line in cold_footer(event).lines() {
        match line.strip_prefix("- ") {
            Some(item) => md.push_str(&format!("- {}\n", strings::md_escape(item))),
            None => md.push_str(&format!("{}\n\n", strings::md_escape(line))),
        }
    }
    let html = mails::html_document(event.language, &subject, &mails::markdown_to_html(&md));
    let text = format!("{subject}\n\n{}", mails::markdown_to_text(&md));
    ColdMail {
        subject,
        text,
        html,
    }
}

/// The files under `announce/` besides the cards.
pub fn files(event: &Webinar) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("post.txt".to_string(), post(event).into_bytes())];
    if cold_wanted(event) {
        let c = cold_mail(event);
        out.push(("cold-mail.html".into(), c.html.into_bytes()));
        out.push(("cold-mail.txt".into(), c.text.into_bytes()));
    }
    out
}
