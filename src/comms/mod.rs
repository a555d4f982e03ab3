//! Communications around the webinar: the reminder e-mails and SMS, the follow-up, the
//! announcement kit (cards, post, cold mailing), and how sending is set up on both platforms
//! (a Bitrix agent for Site Management, an automation checklist for Bitrix24).
//!
//! The program rules demand all of it («Работа с зарегистрированными до вебинара», «Работа с
//! лидами после мероприятия», «Анонсирование»); every text here goes through the same rulebook
//! as the page ([`generated_texts`]).

pub mod announce;
pub mod card_cache;
mod card_font;
pub mod cards;
pub mod mails;
pub mod schedule;
pub mod strings;

use chrono::NaiveDate;

use crate::rules::{Delivered, GeneratedText, TextRole};
use crate::webinar::Webinar;
use strings::Mode;

pub use cards::CardError;
pub use schedule::{plan, Schedule};

/// Why a communications output could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommsError {
    /// The event has no valid date, zone or program times: nothing can be scheduled.
    NoSchedule,
    Card(CardError),
}

impl std::fmt::Display for CommsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommsError::NoSchedule => {
                write!(f, "the event has no valid date, time zone or program times")
            }
            CommsError::Card(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CommsError {}

impl From<CardError> for CommsError {
    fn from(e: CardError) -> Self {
        CommsError::Card(e)
    }
}

/// What the rules judge beyond the texts (see [`Delivered`]): the partner's SMS as it is sent,
/// and whether the card can draw the organizer's logo.
pub fn delivered_for_rules(event: &Webinar) -> Delivered {
    let sms = mails::override_of(event, "sms").1.map(|body| {
        mails::vars(event)
            .fill(body, Mode::Plain)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let card_logo_problem = match cards::organizer_logo(event) {
        Err(CardError::Logo(why)) => Some(why),
        _ => None,
    };
    Delivered {
        sms,
        card_logo_problem,
        ..Delivered::default()
    }
}

/// Every text bxland itself writes into the mails, the SMS, the post, the cards and the cold
/// mailing, for the text rules. Where the partner overrode a text, the override is checked
/// where it was written (with its line and column, by `rules::texts`) and is not repeated
/// here; the event's own values inside bxland's sentences are masked for the same reason,
/// except in the cold mailing, whose rule is about every word its reader sees.
pub fn generated_texts(event: &Webinar) -> Vec<GeneratedText> {
    let mut out = Vec::new();
    let today = event.date;
    let sched = schedule::plan(event, today);
    let v = mails::vars(event);
    let mut names = mails::mail_names(&sched);
    if names.is_empty() {
        names = schedule::MAIL_NAMES
            .iter()
            .copied()
            .filter(|n| *n != "sms")
            .collect();
    }
    for name in names {
        let role = if name == "followup" {
            TextRole::FollowUp
        } else {
            TextRole::Mail
        };
        let ((subject, subject_default), (body, body_default)) = mails::templates(event, name);
        if subject_default {
            out.push(GeneratedText::new(
                v.fill(&subject, Mode::Masked),
                format!("mailings.mail.{name}.subject (default)"),
                false,
                role,
            ));
        }
        if body_default {
            out.push(GeneratedText::new(
                v.fill(&body, Mode::Masked),
                format!("mailings.mail.{name}.body (default)"),
                true,
                role,
            ));
        }
        out.push(GeneratedText::new(
            v.fill(&mails::details_template_with(event, name, &v), Mode::Masked),
            format!("mailings/{name} (details)"),
            true,
            role,
        ));
    }
    if event.mailings.sms && mails::override_of(event, "sms").1.is_none() {
        out.push(GeneratedText::new(
            mails::sms_text_with(event, &v),
            "mailings/sms.txt",
            false,
            TextRole::Mail,
        ));
    }
    out.push(GeneratedText::new(
        announce::post_template_words(event),
        "announce/post.txt",
        false,
        TextRole::Announcement,
    ));
    let card = strings::get(event.language).card.clone_texts();
    out.push(GeneratedText::new(
        card,
        "announce/cards",
        false,
        TextRole::Announcement,
    ));
    if announce::cold_wanted(event) {
        out.push(GeneratedText::new(
            cold_rule_text(event),
            "announce/cold-mail",
            true,
            TextRole::ColdMail,
        ));
    }
    out
}

/// The cold mail as its rule must see it: every word its reader gets, except the partner's
/// overrides (checked where they were written, with their line and column).
fn cold_rule_text(event: &Webinar) -> String {
    let ((subject, subject_default), (body, body_default)) = announce::cold_templates(event);
    let v = announce::cold_vars(event);
    let part = |template: &str, default: bool| {
        if default {
            v.fill(template, Mode::Plain)
        } else {
            String::new()
        }
    };
    format!(
        "{}\n\n{}\n\n{}",
        part(&subject, subject_default),
        part(&body, body_default),
        announce::cold_footer(event)
    )
}

impl strings::Card {
    fn clone_texts(&self) -> String {
        format!("{}\n{}\n{}", self.free, self.online, self.partner)
    }
}

/// The files under `OUT/<slug>/mailings/`: each mail as `.html`, `.txt` and `.eml`,
/// `sms.txt` when SMS is on, and `schedule.json`.
pub fn export_mailings(
    event: &Webinar,
    today: NaiveDate,
) -> Result<Vec<(String, Vec<u8>)>, CommsError> {
    EventComms::new(event, today).mailings()
}

/// What the outputs of one event share: its schedule and its mails, each made once for the
/// mailings, the Site Management installer and the Bitrix24 checklist (they were built three
/// times per event).
#[derive(Debug)]
pub struct EventComms<'e> {
    event: &'e Webinar,
    today: NaiveDate,
    schedule: std::cell::OnceCell<Schedule>,
    mails: mails::Built,
}

impl<'e> EventComms<'e> {
    pub fn new(event: &'e Webinar, today: NaiveDate) -> Self {
        EventComms {
            event,
            today,
            schedule: std::cell::OnceCell::new(),
            mails: mails::Built::default(),
        }
    }

    /// [`schedule::plan`] of the event.
    pub fn schedule(&self) -> &Schedule {
        self.schedule
            .get_or_init(|| schedule::plan(self.event, self.today))
    }

    /// [`export_mailings`].
    pub fn mailings(&self) -> Result<Vec<(String, Vec<u8>)>, CommsError> {
        let sched = self.schedule();
        if sched.sends.is_empty() {
            return Err(CommsError::NoSchedule);
        }
        Ok(mails::files_with(self.event, sched, &self.mails))
    }

    /// What is not sent and why (the day-of and 15-minute reminders without `join_url`, the
    /// follow-up without recording and slides), in Russian, for the install notes of both
    /// platforms; `None` when everything planned is sent. `mailings/README.txt` holds the same.
    pub fn withheld_notes(&self) -> Option<String> {
        mails::withheld_notes(self.schedule())
    }

    /// The mails of the event, each built once.
    pub fn mails(&self) -> &mails::Built {
        &self.mails
    }
}

/// The files under `OUT/<slug>/announce/`: `card-1200x630.png` (the page's Open Graph image),
/// `card-1080x1080.png` (with their `.svg` sources), `post.txt`, and `cold-mail.html/.txt`
/// when `[announcement] cold_mail = true`.
pub fn export_announce(event: &Webinar) -> Result<Vec<(String, Vec<u8>)>, CommsError> {
    let mut out = cards::render_all(event)?;
    out.extend(announce::files(event));
    Ok(out)
}

/// The Open Graph image of the preview page, relative to `OUT/<slug>/`.
pub const OG_IMAGE: &str = "announce/card-1200x630.png";
