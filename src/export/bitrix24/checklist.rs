//! Bitrix24: what to set up by hand so the reminders and the follow-up go out (REST cannot
//! create CRM robots or mailings), with the planned times and the texts to paste. The
//! checklist becomes a section of `bitrix24/form-setup.md`.

use crate::catalog;
use crate::comms::mails;
use crate::comms::schedule::{Channel, Kind, Schedule};
use crate::webinar::Webinar;

/// The staff's name of a send (`staff.bitrix24.kind.*`).
fn kind_ru(kind: Kind) -> &'static str {
    let key = match kind {
        Kind::Weekly => "weekly",
        Kind::DayBefore => "day-before",
        Kind::DayOf => "day-of",
        Kind::Sms1h => "sms-1h",
        Kind::Min15 => "15-min",
        Kind::Followup => "followup",
    };
    staff(&format!("kind.{key}"))
}

/// A text of this checklist (`staff.bitrix24.*`).
fn staff(key: &str) -> &'static str {
    catalog::staff(&format!("bitrix24.{key}"))
}

/// A text of this checklist with its slots filled.
fn staff_with(key: &str, slots: &[(&str, &str)]) -> String {
    catalog::fill(staff(key), slots).unwrap_or_else(|u| u.partial)
}

fn fence(s: &str) -> String {
    // A fence longer than any run of backticks inside.
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

pub fn checklist(event: &Webinar, schedule: &Schedule) -> String {
    checklist_with(event, schedule, &mails::Built::default())
}

/// [`checklist`] with the event's mails taken from `built`.
pub fn checklist_with(event: &Webinar, schedule: &Schedule, built: &mails::Built) -> String {
    let mut out = String::new();
    out.push_str(staff("reminders_heading"));
    out.push_str("\n\n");
    out.push_str(staff("reminders_intro"));
    out.push_str("\n\n");
    let offset = crate::webinar::utc_offset_label(
        chrono::Offset::fix(schedule.start_local.offset()).local_minus_utc(),
    );
    out.push_str(&staff_with(
        "timezone",
        &[("timezone", &schedule.timezone), ("offset", &offset)],
    ));
    out.push_str("\n\n");
    out.push_str(staff("table_head"));
    out.push_str("\n|---|---|---|---|---|\n");
    for s in &schedule.sends {
        let channel = match s.channel {
            Channel::Email => "e-mail",
            Channel::Sms => staff("channel_sms"),
        };
        let file = if s.channel == Channel::Sms {
            "mailings/sms.txt".to_string()
        } else {
            format!("mailings/{}.html", s.mail)
        };
        let status = if s.skipped {
            format!(" {}", staff("skipped"))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "| {}{} | {} | {} | {} | `{}` |\n",
            kind_ru(s.kind),
            status,
            channel,
            s.local.format("%d.%m.%Y %H:%M"),
            s.utc.format("%d.%m.%Y %H:%M"),
            file
        ));
    }
    // What is not in the table and why: the partner must not set those robots up by hand.
    if let Some(notes) = mails::withheld_notes(schedule) {
        out.push('\n');
        out.push_str(notes.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(staff("robots"));
    out.push_str("\n\n");
    out.push_str(staff("mail_texts_heading"));
    out.push_str("\n\n");
    for name in mails::mail_names(schedule) {
        let mail = built.get(event, name);
        let f = fence(&mail.text);
        let kind = schedule
            .sends
            .iter()
            .find(|s| s.mail == name)
            .map(|s| kind_ru(s.kind))
            .unwrap_or(name);
        let subject = mail.subject.replace('*', "\\*");
        out.push_str(&format!(
            "{}\n\n{}\n\n{f}text\n{}{f}\n\n",
            staff_with("mail_heading", &[("name", name), ("kind", kind)]),
            staff_with("mail_subject", &[("subject", &subject)]),
            mail.text,
        ));
    }
    if schedule.sends.iter().any(|s| s.channel == Channel::Sms) {
        let sms = mails::sms_text(event);
        let f = fence(&sms);
        out.push_str(&format!(
            "{}\n\n{f}text\n{sms}\n{f}\n\n",
            staff("sms_heading")
        ));
    }
    out
}

/// The confirmation e-mail as a CRM robot sends it: the event's own text or the default, with
/// the registrant's name as the CRM field macro. The page's address is the event's own
/// `[event] page_url` where it is given, else `page_url` (what Bitrix24 returned on publish);
/// without either the lines that would show it are left out (never a placeholder in its place,
/// `text.placeholder`).
pub fn confirmation_mail(event: &Webinar, page_url: Option<&str>) -> (String, String) {
    let own = &event.registration.confirmation_email;
    let lang = event.language;
    let subject = own
        .subject
        .as_deref()
        .unwrap_or(catalog::text(lang, "mail.confirmation.subject"));
    let body = own
        .body
        .as_deref()
        .unwrap_or(catalog::text(lang, "mail.confirmation.body"));
    let page_url = event.page_url_given.as_deref().or(page_url);
    crm_mail(event, (subject, body), page_url, None, None)
}

/// A registration mail as a CRM robot sends it: `(subject, body)` filled with the event's
/// title and date, the registrant's names as CRM field macros, the page's address and the
/// `reason`. Without an address, each line that would show it gives way to `no_page`, or is
/// left out. A slot a partner's override names and nothing fills stays as written: `check`
/// reports it (`text.placeholder`).
pub fn crm_mail(
    event: &Webinar,
    (subject, body): (&str, &str),
    page_url: Option<&str>,
    reason: Option<&str>,
    no_page: Option<&str>,
) -> (String, String) {
    let date = event.when.human(event.language);
    let mut slots = vec![
        ("event.title", event.title.as_str()),
        ("event.date", date.as_str()),
        ("first_name", "{=Document:NAME}"),
        ("last_name", "{=Document:LAST_NAME}"),
    ];
    slots.extend(page_url.map(|u| ("event.url", u)));
    slots.extend(reason.map(|r| ("reason", r)));
    let fill = |s: &str| {
        let s = match page_url {
            Some(_) => s.to_string(),
            None => without_url_lines(s, no_page),
        };
        catalog::fill(&s, &slots).unwrap_or_else(|u| u.partial)
    };
    (fill(subject), fill(body))
}

/// `text` with each line that shows `{{ event.url }}` replaced by `instead`, or left out
/// (and then without a blank line left doubled by that).
fn without_url_lines(text: &str, instead: Option<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if catalog::slot_names(line).contains(&"event.url") {
            match instead {
                Some(other) => out.push(other),
                None => continue,
            }
            continue;
        }
        if instead.is_none()
            && line.trim().is_empty()
            && out.last().is_some_and(|l| l.trim().is_empty())
        {
            continue;
        }
        out.push(line);
    }
    out.join("\n")
}
