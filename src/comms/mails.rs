//! The reminders, the follow-up and the SMS: subject and Markdown body (the theme's default or
//! the partner's `[mailings.mail.<name>]` override), then a block bxland always adds with the
//! date and time in the event's zone, the join (or recording) details and the organizer's
//! contacts. Each mail is written as HTML, plain text and `.eml`.

use base64::Engine;
use pulldown_cmark::{Event as Md, Options, Parser, Tag, TagEnd};

use super::schedule::{self, Kind, Schedule};
use super::strings::{self, Mode, Vars};
use crate::catalog;
pub use crate::typography::lower_first;
use crate::webinar::human_date;
pub use crate::webinar::is_page_address;
use crate::webinar::Language;
use crate::webinar::Webinar;

/// One e-mail, ready to write.
#[derive(Debug, Clone)]
pub struct Mail {
    pub name: &'static str,
    pub subject: String,
    /// The whole body as Markdown (values escaped).
    pub markdown: String,
    pub text: String,
    pub html: String,
}

/// When the event is, as the day-before reminder says it on the day it goes out: «завтра», or,
/// when a holiday or a weekend moved the reminder back, the event's weekday («в понедельник»).
pub fn soon_word(event_date: chrono::NaiveDate, lang: Language) -> String {
    use chrono::Datelike;
    let sent = schedule::previous_working_day(event_date - chrono::Duration::days(1));
    let tomorrow = sent.succ_opt() == Some(event_date);
    let wd = event_date.weekday().num_days_from_monday() as usize;
    if tomorrow {
        catalog::text(lang, "words.tomorrow").to_string()
    } else {
        catalog::list(lang, "words.on_weekday")[wd].to_string()
    }
}

/// «в 10:00» as a Kazakh text needs it: the time with its locative ending, as it is read
/// («сағат 11:00-де», «10:30-да», «9:45-те»); in Russian the time as it is («в 10:00»).
pub fn time_at(t: chrono::NaiveTime, lang: Language) -> String {
    use chrono::Timelike;
    let hhmm = t.format("%H:%M").to_string();
    if lang == Language::Ru {
        return hhmm;
    }
    // The ending follows the last word read aloud: the minutes, or «нөл нөл» for :00.
    let m = t.minute();
    let suffix = if m == 0 {
        "де"
    } else {
        match (m % 10, m / 10) {
            (1 | 2 | 7 | 8, _) => "де",
            (3..=5, _) => "те",
            (6 | 9, _) => "да",
            (0, 1..=3) => "да",
            (0, 4) => "та",
            _ => "де", // 50: «елу»
        }
    };
    format!("{hhmm}-{suffix}")
}

/// A title short enough for an SMS: its part after a colon («Битрикс24 для отдела продаж: от
/// заявки до сделки» → «От заявки до сделки»), or the title itself.
pub fn short_title(title: &str) -> String {
    let title = title.trim();
    match title.split_once(':') {
        Some((_, after)) if after.trim().chars().count() >= 8 => {
            let after = after.trim();
            let mut c = after.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect(),
                None => title.to_string(),
            }
        }
        _ => title.to_string(),
    }
}

/// The values every text may use.
pub fn vars(event: &Webinar) -> Vars {
    let mut v = Vars::default();
    let lang = event.language;
    v.set("event.title", event.title.as_str());
    v.set("event.short_title", short_title(event.title.as_str()));
    if let Some(when) = Some(event.when) {
        v.set("event.when", when.human(lang));
        v.set("event.date", human_date(when.start.date_naive(), lang));
        v.set("event.time", when.start.format("%H:%M").to_string());
        v.set("event.time_at", time_at(when.start.time(), lang));
        let soon = soon_word(when.start.date_naive(), lang);
        let mut c = soon.chars();
        let cap: String = c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
        v.set("event.soon", cap);
        v.set("event.soon_lc", soon);
        v.set("event.offset", when.utc_offset());
    }
    if let Some(p) = &event.platform {
        v.set("event.platform", p);
    }
    if let Some(u) = &event.join_url {
        v.set_url("event.join_url", u);
    }
    v.set("organizer.name", organizer_name(event));
    if let Some(u) = &event.mailings.recording_url {
        v.set_url("recording_url", u);
    }
    if let Some(u) = &event.mailings.slides_url {
        v.set_url("slides_url", u);
    }
    if let Some(u) = registration_url(event) {
        v.set_url("registration_url", u);
    }
    if let Some(u) = &event.page_url {
        v.set_url("event.url", u);
    }
    v
}

pub fn organizer_name(event: &Webinar) -> &str {
    &event.organizer.name
}

/// Where people register: `[announcement] registration_url`, else the page's own address
/// ([`page_url`]). Never the organizer's home page: without either there is no link
/// (`announce.registration-link` says what to add).
pub fn registration_url(event: &Webinar) -> Option<String> {
    event
        .announcement
        .registration_url
        .clone()
        .or_else(|| event.page_url.clone())
}

/// The partner's override of one mail, if any.
pub fn override_of<'e>(event: &'e Webinar, name: &str) -> (Option<&'e str>, Option<&'e str>) {
    match event.mailings.mail.get(name) {
        Some(o) => (o.subject.as_deref(), o.body.as_deref()),
        None => (None, None),
    }
}

/// The mails this event sends, in schedule order (each name once).
pub fn mail_names(schedule: &Schedule) -> Vec<&'static str> {
    let mut names = Vec::new();
    for s in &schedule.sends {
        if s.kind != Kind::Sms1h && !names.contains(&s.mail) {
            names.push(s.mail);
        }
    }
    names
}

/// The subject and the body template (with placeholders) of a mail, and whether each is the
/// default (`true`) or the partner's.
pub fn templates(event: &Webinar, name: &str) -> ((String, bool), (String, bool)) {
    let defaults = strings::get(event.language).mail(name);
    let (subject, body) = override_of(event, name);
    (
        subject
            .map(|s| (s.to_string(), false))
            .unwrap_or_else(|| (defaults.subject.clone(), true)),
        body.map(|s| (s.to_string(), false))
            .unwrap_or_else(|| (defaults.body.clone(), true)),
    )
}

/// The block bxland adds under every mail, as a Markdown template.
pub fn details_template(event: &Webinar, name: &str) -> String {
    details_template_with(event, name, &vars(event))
}

/// [`details_template`] given the event's [`vars`], which its callers have already made.
pub fn details_template_with(event: &Webinar, name: &str, v: &Vars) -> String {
    let lang = event.language;
    let s = strings::get(lang);
    let d = &s.details;
    let mut lines = Vec::new();
    if name != "followup" {
        lines.push(format!("**{}:** {{{{ event.when }}}}", d.when));
        let place = match v.get("event.platform") {
            Some(_) => format!("{}, {{{{ event.platform }}}}", d.online),
            None => d.online.clone(),
        };
        lines.push(format!("**{}:** {place}", d.where_));
        // The join link where the event gives one; without it no reminder mentions a link
        // (the day-of and 15-minute reminders, which exist to carry it, are withheld).
        if v.get("event.join_url").is_some() {
            lines.push(format!("**{}:** {{{{ event.join_url }}}}", d.join));
        }
    } else {
        // The follow-up is only sent with at least one of them (`schedule::has_materials`).
        let rec = v.get("recording_url").is_some();
        let sl = v.get("slides_url").is_some();
        if rec {
            lines.push(format!("**{}:** {{{{ recording_url }}}}", d.recording));
        }
        if sl {
            lines.push(format!("**{}:** {{{{ slides_url }}}}", d.slides));
        }
    }
    let mut out = lines.join("  \n");
    out.push_str("\n\n");
    out.push_str(&contacts_markdown(event, &d.contacts));
    out.push_str("\n\n");
    out.push('_');
    out.push_str(&d.footer);
    out.push_str("_\n");
    out
}

/// The organizer's contacts as Markdown (values escaped here, not placeholders).
fn contacts_markdown(event: &Webinar, heading: &str) -> String {
    let mut out = format!(
        "**{heading}:** {}\n",
        strings::md_escape(organizer_name(event))
    );
    for line in contact_lines(event) {
        out.push_str("\n- ");
        out.push_str(&strings::md_escape(&line));
    }
    out
}

/// «Айгерим Сапарова, Координатор мероприятия: events@example.kz, +7 727 355 00 00».
pub fn contact_lines(event: &Webinar) -> Vec<String> {
    event
        .organizer
        .contacts
        .iter()
        .map(|c| {
            let role = c.role.as_deref().map(lower_first);
            let who: Vec<&str> = [c.name.as_deref(), role.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let how: Vec<&str> = [c.email.as_deref(), c.phone.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            match (who.is_empty(), how.is_empty()) {
                (false, false) => format!("{}: {}", who.join(", "), how.join(", ")),
                (true, _) => how.join(", "),
                (false, true) => who.join(", "),
            }
        })
        .collect()
}

/// Builds one mail.
pub fn build(event: &Webinar, name: &'static str) -> Mail {
    let v = vars(event);
    let ((subject_t, _), (body_t, _)) = templates(event, name);
    let subject = one_line(&v.fill(&subject_t, Mode::Plain));
    let mut markdown = v.fill(body_t.trim(), Mode::Markdown);
    markdown.push_str("\n\n");
    // The partner's offer (the one text where the rules invite it), as written: its words
    // are checked where they stand in event.toml.
    if let Some(offer) = followup_offer(event).filter(|_| name == "followup") {
        markdown.push_str(offer);
        markdown.push_str("\n\n");
    }
    markdown.push_str(&v.fill(&details_template_with(event, name, &v), Mode::Markdown));
    let html = html_document(event.language, &subject, &markdown_to_html(&markdown));
    let text = markdown_to_text(&markdown);
    Mail {
        name,
        subject,
        markdown,
        text,
        html,
    }
}

/// `[mailings] followup_offer`, when it says something.
pub fn followup_offer(event: &Webinar) -> Option<&str> {
    event
        .mailings
        .followup_offer
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The SMS sent an hour before: the override, or the first default that fits one segment.
pub fn sms_text(event: &Webinar) -> String {
    sms_text_with(event, &vars(event))
}

/// [`sms_text`] given the event's [`vars`], which its caller has already made.
pub fn sms_text_with(event: &Webinar, v: &Vars) -> String {
    if let (_, Some(body)) = override_of(event, "sms") {
        return one_line(&v.fill(body, Mode::Plain));
    }
    let sms = &strings::get(event.language).sms;
    // With a join link: the link itself, else «the link is in the e-mail» (the day-of mail
    // carries it). Without one, no candidate speaks of a link.
    let candidates = if v.get("event.join_url").is_some() {
        &sms.candidates
    } else {
        &sms.candidates_no_link
    };
    let usable = candidates.iter().map(|c| one_line(&v.fill(c, Mode::Plain)));
    let mut last = String::new();
    for c in usable {
        if strings::sms_units(&c) <= strings::SMS_SEGMENT {
            return c;
        }
        last = c;
    }
    last
}

/// Markdown to an HTML fragment; raw HTML in the source is shown as text, never passed on.
pub fn markdown_to_html(md: &str) -> String {
    // The page's sanitizer: raw HTML as text, only safe link schemes, no remote images.
    let mut html = crate::markdown::to_mail_html(md);
    html.push('\n');
    html
}

/// Markdown to readable plain text: paragraphs, «- » list items, links as «text (url)».
pub fn markdown_to_text(md: &str) -> String {
    let mut out = String::new();
    let mut link: Vec<(String, usize)> = Vec::new();
    let mut list_depth: usize = 0;
    for e in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH) {
        match e {
            Md::Text(t) | Md::Code(t) | Md::Html(t) | Md::InlineHtml(t) => out.push_str(&t),
            Md::SoftBreak | Md::HardBreak => out.push('\n'),
            Md::Start(Tag::Item) => {
                out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
                out.push_str("- ");
            }
            Md::Start(Tag::List(_)) => {
                if list_depth > 0 && !out.ends_with('\n') {
                    out.push('\n');
                }
                list_depth += 1;
            }
            Md::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 {
                    out.push('\n');
                }
            }
            Md::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Md::Start(Tag::Link { dest_url, .. }) => link.push((dest_url.to_string(), out.len())),
            Md::End(TagEnd::Link) => {
                if let Some((url, at)) = link.pop() {
                    if out[at..] != url {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Md::End(TagEnd::Paragraph) | Md::End(TagEnd::Heading(_)) => {
                if list_depth == 0 {
                    out.push_str("\n\n");
                } else {
                    out.push('\n');
                }
            }
            Md::Rule => out.push_str("———\n\n"),
            _ => {}
        }
    }
    let mut text = out.trim_end().to_string();
    text.push('\n');
    text
}

/// A complete, e-mail-safe HTML document (inline styles only).
pub fn html_document(lang: Language, subject: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n</head>\n\
         <body style=\"margin:0;padding:0;background:#f4f5f7;\">\n\
         <div style=\"max-width:600px;margin:0 auto;padding:24px;background:#ffffff;\
         font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;\">\n\
         {}</div>\n</body>\n</html>\n",
        lang.code(),
        crate::escape::html(subject),
        body
    )
}

/// An RFC 5322 message (multipart/alternative: text and HTML, UTF-8, base64), for the
/// partner's own mail client or service. It has no recipient: it is a template.
pub fn eml(event: &Webinar, mail: &Mail) -> String {
    let from_name = organizer_name(event);
    let from_addr = event
        .organizer
        .contacts
        .iter()
        .find_map(|c| c.email.as_deref())
        .unwrap_or("events@example.invalid");
    let boundary = format!("bxland-{}-{}", event.slug.clone(), mail.name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>();
    let mut out = String::new();
    out.push_str(&format!(
        "From: {} <{}>\r\n",
        encode_word(from_name),
        from_addr.trim()
    ));
    out.push_str("To: undisclosed-recipients:;\r\n");
    out.push_str(&format!("Subject: {}\r\n", encode_word(&mail.subject)));
    out.push_str("MIME-Version: 1.0\r\n");
    out.push_str(&format!("Content-Language: {}\r\n", event.language.code()));
    out.push_str(&format!(
        "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
    ));
    for (ctype, body) in [("text/plain", &mail.text), ("text/html", &mail.html)] {
        out.push_str(&format!("--{boundary}\r\n"));
        out.push_str(&format!("Content-Type: {ctype}; charset=utf-8\r\n"));
        out.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
        out.push_str(&base64_lines(body.as_bytes()));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// RFC 2047 encoded-words (UTF-8, base64), split so that no word exceeds 75 characters.
pub fn encode_word(s: &str) -> String {
    if s.is_ascii() && !s.contains(['"', '=', '?', '\r', '\n']) {
        return s.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(w.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

fn base64_lines(bytes: &[u8]) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(b.len() + b.len() / 76 * 2 + 2);
    for chunk in b.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// The mails of one event, each built once however many outputs show it (the mailings, the
/// Site Management installer and the Bitrix24 checklist all do). Holds mails of the event it
/// was first asked about: use one per event.
#[derive(Debug, Default)]
pub struct Built(std::cell::RefCell<Vec<std::rc::Rc<Mail>>>);

impl Built {
    /// [`build`]`(event, name)`, made on the first call.
    pub fn get(&self, event: &Webinar, name: &'static str) -> std::rc::Rc<Mail> {
        if let Some(m) = self.0.borrow().iter().find(|m| m.name == name) {
            return m.clone();
        }
        let mail = std::rc::Rc::new(build(event, name));
        self.0.borrow_mut().push(mail.clone());
        mail
    }
}

/// The files under `mailings/`.
pub fn files(event: &Webinar, schedule: &Schedule) -> Vec<(String, Vec<u8>)> {
    files_with(event, schedule, &Built::default())
}

/// [`files`] with the event's mails taken from `built`.
pub fn files_with(event: &Webinar, schedule: &Schedule, built: &Built) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for name in mail_names(schedule) {
        let mail = built.get(event, name);
        out.push((format!("{name}.html"), mail.html.clone().into_bytes()));
        out.push((
            format!("{name}.txt"),
            format!("{}\n\n{}", mail.subject, mail.text).into_bytes(),
        ));
        out.push((format!("{name}.eml"), eml(event, &mail).into_bytes()));
    }
    if event.mailings.sms {
        out.push((
            "sms.txt".into(),
            format!("{}\n", sms_text(event)).into_bytes(),
        ));
    }
    out.push(("schedule.json".into(), schedule.to_json().into_bytes()));
    if let Some(notes) = withheld_notes(schedule) {
        out.push(("README.txt".into(), notes.into_bytes()));
    }
    out
}

/// What is not sent and why, in Russian (the partner's language of work), for
/// `mailings/README.txt` and the install notes; `None` when everything planned is sent.
pub fn withheld_notes(schedule: &Schedule) -> Option<String> {
    if schedule.withheld.is_empty() {
        return None;
    }
    let staff = |key: &str| catalog::staff(&format!("mailings.{key}"));
    let mut out = format!("{}\n\n", staff("withheld"));
    let mut reasons = Vec::new();
    for s in &schedule.withheld {
        let (what, why) = match s.kind {
            Kind::DayOf => ("withheld_day_of", "no_join_url"),
            Kind::Min15 => ("withheld_15_min", "no_join_url"),
            _ => ("withheld_followup", "no_materials"),
        };
        let line = catalog::fill(
            staff("withheld_at"),
            &[
                ("what", staff(what).to_string()),
                ("time", s.local.format("%d.%m.%Y %H:%M").to_string()),
            ],
        )
        .unwrap_or_else(|u| u.partial);
        out.push_str(&format!("- {line}\n"));
        if !reasons.contains(&why) {
            reasons.push(why);
        }
    }
    out.push('\n');
    for why in reasons {
        out.push_str(staff(why));
        out.push('\n');
    }
    Some(out)
}
