//! The plain, typed shape of a webinar after `check`: no spans, no raw TOML values, every
//! default applied once. Field names follow `event.toml` so that a reader can find each value's
//! source key; a value that is blank in the file is `None` here, one-line values are trimmed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

pub use crate::event::form::FormField;
pub use crate::event::model::{ItemKind, Language};
pub use crate::event::when::When;

/// A file the event names: as written, and where it is on disk (relative paths are taken from
/// the folder of the file that names them, `event.toml` or `agency.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    pub written: String,
    pub path: PathBuf,
}

/// The checked webinar: what render, comms and export read.
#[derive(Debug, Clone)]
pub struct Webinar {
    /// The event folder.
    pub dir: PathBuf,
    pub language: Language,
    pub title: String,
    /// `[event] slug`, or one made from the title and the date.
    pub slug: String,
    pub date: NaiveDate,
    pub timezone: Tz,
    /// The first item's start to the last item's end.
    pub when: When,
    pub products: Vec<String>,
    pub platform: Option<String>,
    pub format: Option<String>,
    pub summary: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Markdown.
    pub audience: Option<String>,
    pub join_url: Option<String>,
    /// The page's public address: `[event] page_url`, else `organizer.website + /<slug>/`;
    /// never a bare home page.
    pub page_url: Option<String>,
    /// `[event] page_url` alone, when it is a page address: Bitrix24 puts the page elsewhere
    /// than `organizer.website + /<slug>/`, so its outputs use only this one (or the address
    /// Bitrix24 returns on publish).
    pub page_url_given: Option<String>,
    pub organizer: Organizer,
    /// In the order of `event.toml`.
    pub speakers: Vec<Speaker>,
    pub program: Vec<ProgramItem>,
    pub registration: Registration,
    /// The form: the six mandatory fields, then the event's extra fields.
    pub form: Vec<FormField>,
    pub consent: Consent,
    pub partners: Vec<Partner>,
    pub gallery: Vec<GalleryItem>,
    pub theme: ThemeChoice,
    pub mailings: Mailings,
    pub announcement: Announcement,
}

#[derive(Debug, Clone, Default)]
pub struct Organizer {
    pub name: String,
    pub logo: Option<FileRef>,
    /// An http(s) address, as written.
    pub website: Option<String>,
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub name: Option<String>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Speaker {
    /// The key under `[speakers.<key>]`, which program items name.
    pub key: String,
    pub name: Option<String>,
    pub position: Option<String>,
    pub company: Option<String>,
    pub photo: Option<FileRef>,
}

#[derive(Debug, Clone)]
pub struct ProgramItem {
    /// "HH:MM" as written.
    pub start: String,
    pub end: String,
    pub start_time: Option<NaiveTime>,
    pub end_time: Option<NaiveTime>,
    pub title: String,
    pub kind: ItemKind,
    pub product: Option<String>,
    /// Markdown, blank ones dropped.
    pub theses: Vec<String>,
    /// Speaker keys.
    pub speakers: Vec<String>,
    pub cold_title: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub submit_label: Option<String>,
    pub captcha: bool,
    pub confirm_by_link: bool,
    /// `reject_reasons`, or `competitor` and `student` when none is written.
    pub reject_reasons: Vec<String>,
    pub confirmation_email: ConfirmationEmail,
    pub accepted_message: Option<String>,
    pub rejected_message: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ConfirmationEmail {
    pub enabled: bool,
    pub subject: Option<String>,
    pub body: Option<String>,
}

impl Default for ConfirmationEmail {
    fn default() -> Self {
        ConfirmationEmail {
            enabled: true,
            subject: None,
            body: None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Consent {
    pub operator: Option<String>,
    pub purposes: Vec<String>,
    pub data: Vec<String>,
    pub actions: Vec<String>,
    pub third_parties: Vec<String>,
    pub term: Option<String>,
    pub storage: Option<String>,
    pub withdrawal: Option<String>,
    pub cross_border: Option<String>,
    pub storage_location: Option<String>,
    /// The partner's own consent text (Markdown), used as written.
    pub text: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Partner {
    pub name: String,
    pub logo: Option<FileRef>,
    pub placement: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GalleryItem {
    pub image: FileRef,
    pub caption: Option<String>,
    pub source: Option<String>,
}

/// The theme an event asks for and the folder a relative theme path is taken from.
#[derive(Debug, Clone)]
pub struct ThemeChoice {
    /// `default` when none is named.
    pub name: String,
    pub base: PathBuf,
    pub accent: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Mailings {
    /// The reminders wanted: all of them unless `reminders` narrows them.
    pub reminders: Vec<String>,
    pub sms: bool,
    pub recording_url: Option<String>,
    pub slides_url: Option<String>,
    pub followup_after_days: Option<i64>,
    pub followup_offer: Option<String>,
    /// `[mailings.mail.<name>]` overrides.
    pub mail: BTreeMap<String, MailOverride>,
}

#[derive(Debug, Clone, Default)]
pub struct MailOverride {
    pub subject: Option<String>,
    pub body: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Announcement {
    pub post: Option<String>,
    pub cold_mail: Option<bool>,
    pub cold_subject: Option<String>,
    pub cold_body: Option<String>,
    pub registration_url: Option<String>,
}

impl Webinar {
    pub fn speaker(&self, key: &str) -> Option<&Speaker> {
        self.speakers.iter().find(|s| s.key == key)
    }
}
