//! The typed shape of `event.toml` (see `shared/spec/event-format.md`). Every value the rules
//! may point at is kept with its span. Keys the contract calls required are still `Option`
//! here: their absence is a rule violation with its own id, not a parse error.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

pub type Sp<T> = Spanned<T>;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub event: Option<Sp<EventSection>>,
    pub organizer: Option<Sp<Organizer>>,
    #[serde(default)]
    pub speakers: BTreeMap<Sp<String>, Sp<Speaker>>,
    #[serde(default)]
    pub program: Vec<Sp<ProgramItem>>,
    pub registration: Option<Sp<Registration>>,
    pub consent: Option<Sp<Consent>>,
    #[serde(default)]
    pub partners: Vec<Sp<Partner>>,
    #[serde(default)]
    pub gallery: Vec<Sp<GalleryItem>>,
    pub theme: Option<Sp<ThemeRef>>,
    pub mailings: Option<Sp<Mailings>>,
    pub announcement: Option<Sp<Announcement>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EventSection {
    pub title: Option<Sp<String>>,
    /// A TOML local date; kept as a value so that a quoted date gets a rule diagnostic.
    pub date: Option<Sp<toml::Value>>,
    pub timezone: Option<Sp<String>>,
    pub language: Option<Sp<Language>>,
    pub products: Option<Sp<Vec<Sp<String>>>>,
    pub platform: Option<Sp<String>>,
    pub format: Option<Sp<String>>,
    pub slug: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub description: Option<Sp<String>>,
    pub audience: Option<Sp<String>>,
    /// Added key: where attendees join (the broadcast link), sent in reminders.
    pub join_url: Option<Sp<String>>,
    /// Added key: the page's public address (og:image, the `.ics` URL, the post, the mails).
    /// Without it: `organizer.website + "/<slug>/"` for Site Management; never the home page.
    pub page_url: Option<Sp<String>>,
}

/// The event's language: the catalog's (`src/catalog`).
pub use crate::catalog::Language;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Organizer {
    pub name: Option<Sp<String>>,
    pub logo: Option<Sp<String>>,
    pub website: Option<Sp<String>>,
    #[serde(default)]
    pub contacts: Vec<Sp<Contact>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: Option<Sp<String>>,
    pub role: Option<Sp<String>>,
    pub email: Option<Sp<String>>,
    pub phone: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: Option<Sp<String>>,
    pub position: Option<Sp<String>>,
    pub company: Option<Sp<String>>,
    pub photo: Option<Sp<String>>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Opening,
    #[default]
    Talk,
    Masterclass,
    Case,
    Qa,
    Break,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Opening => "opening",
            ItemKind::Talk => "talk",
            ItemKind::Masterclass => "masterclass",
            ItemKind::Case => "case",
            ItemKind::Qa => "qa",
            ItemKind::Break => "break",
        }
    }

    /// Talks, master classes and cases must have theses and a speaker (Посадочная 3).
    pub fn needs_details(self) -> bool {
        matches!(
            self,
            ItemKind::Talk | ItemKind::Masterclass | ItemKind::Case
        )
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProgramItem {
    pub start: Option<Sp<String>>,
    pub end: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub kind: Option<Sp<ItemKind>>,
    pub product: Option<Sp<String>>,
    #[serde(default)]
    pub theses: Vec<Sp<String>>,
    #[serde(default)]
    pub speakers: Vec<Sp<String>>,
    /// Added key: the item's title in the cold mailing, which names neither 1C-Bitrix nor its
    /// products (without it such an item keeps its slot under a generic title).
    pub cold_title: Option<Sp<String>>,
}

impl ProgramItem {
    pub fn kind(&self) -> ItemKind {
        self.kind.as_ref().map(|k| *k.get_ref()).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub submit_label: Option<Sp<String>>,
    pub captcha: Option<Sp<bool>>,
    pub confirm_by_link: Option<Sp<bool>>,
    pub reject_reasons: Option<Sp<Vec<Sp<String>>>>,
    #[serde(default)]
    pub extra_fields: Vec<Sp<ExtraField>>,
    pub confirmation_email: Option<Sp<ConfirmationEmail>>,
    /// Added keys: the result messages shown after submitting; the theme has defaults.
    pub accepted_message: Option<Sp<String>>,
    pub rejected_message: Option<Sp<String>>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    #[default]
    Text,
    Email,
    Tel,
    Select,
    Checkbox,
    Textarea,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Email => "email",
            FieldType::Tel => "tel",
            FieldType::Select => "select",
            FieldType::Checkbox => "checkbox",
            FieldType::Textarea => "textarea",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExtraField {
    pub id: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    #[serde(rename = "type")]
    pub field_type: Option<Sp<FieldType>>,
    pub required: Option<Sp<bool>>,
    /// Added key: the choices of a `select` field.
    #[serde(default)]
    pub options: Vec<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationEmail {
    /// Added key: `false` switches the confirmation e-mail off, which the rules forbid.
    pub enabled: Option<Sp<bool>>,
    pub subject: Option<Sp<String>>,
    pub body: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub operator: Option<Sp<String>>,
    pub purposes: Option<Sp<Vec<Sp<String>>>>,
    pub data: Option<Sp<Vec<Sp<String>>>>,
    pub actions: Option<Sp<Vec<Sp<String>>>>,
    pub third_parties: Option<Sp<Vec<Sp<String>>>>,
    pub term: Option<Sp<String>>,
    pub storage: Option<Sp<String>>,
    pub withdrawal: Option<Sp<String>>,
    /// Added keys: cross-border transfer and where the database is kept (Kazakhstan law).
    pub cross_border: Option<Sp<String>>,
    pub storage_location: Option<Sp<String>>,
    pub text: Option<Sp<String>>,
    /// Added key: the checkbox label; the theme has a default.
    pub label: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: Option<Sp<String>>,
    pub logo: Option<Sp<String>>,
    pub placement: Option<Sp<String>>,
    pub website: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct GalleryItem {
    pub image: Option<Sp<String>>,
    pub caption: Option<Sp<String>>,
    pub source: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ThemeRef {
    pub name: Option<Sp<String>>,
    pub accent: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Mailings {
    pub reminders: Option<Sp<Vec<Sp<String>>>>,
    pub sms: Option<Sp<bool>>,
    pub recording_url: Option<Sp<String>>,
    pub slides_url: Option<Sp<String>>,
    /// Working days after the webinar when the follow-up goes out (1 to 3).
    pub followup_after_days: Option<Sp<i64>>,
    /// Added key: an offer of the partner's own services (a discount, a bonus), a Markdown
    /// paragraph of the follow-up, between its text and the recording and slides.
    pub followup_offer: Option<Sp<String>>,
    #[serde(default)]
    pub mail: BTreeMap<Sp<String>, Sp<MailOverride>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MailOverride {
    pub subject: Option<Sp<String>>,
    pub body: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    pub post: Option<Sp<String>>,
    pub cold_mail: Option<Sp<bool>>,
    pub cold_subject: Option<Sp<String>>,
    pub cold_body: Option<Sp<String>>,
    /// Added key: the registration page's address, for the post and the cold mailing.
    pub registration_url: Option<Sp<String>>,
}

/// A string value of the event, with its span when it came from the file.
pub fn text(v: &Option<Sp<String>>) -> Option<&str> {
    v.as_ref()
        .map(|s| s.get_ref().as_str())
        .filter(|s| !s.trim().is_empty())
}
