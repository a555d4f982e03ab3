//! The default texts of the reminders, the SMS, the post, the cold mail and the cards, read
//! from the catalog (`src/catalog`), and the placeholders they and the partner's overrides
//! share: `{{ event.title }}` and friends, filled by `catalog::fill`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::catalog::{self, Slots};
use crate::webinar::Language;
pub use crate::webinar::{sms_units, SMS_SEGMENT};

#[derive(Debug, PartialEq)]
pub struct Strings {
    pub mail: BTreeMap<String, MailText>,
    pub details: Details,
    pub sms: Sms,
    pub post: Post,
    pub cold: Cold,
    pub card: Card,
}

#[derive(Debug, PartialEq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, PartialEq)]
pub struct Details {
    pub when: String,
    pub where_: String,
    pub online: String,
    pub join: String,
    pub recording: String,
    pub slides: String,
    pub contacts: String,
    pub footer: String,
}

#[derive(Debug, PartialEq)]
pub struct Sms {
    /// When the event gives a join link.
    pub candidates: Vec<String>,
    /// When it does not: no word about a link.
    pub candidates_no_link: Vec<String>,
}

#[derive(Debug, PartialEq)]
pub struct Post {
    pub invite: String,
    pub free: String,
    pub online: String,
    pub program: String,
    pub audience: String,
    pub registration: String,
    pub registration_missing: String,
    pub contacts: String,
    pub organizer: String,
}

#[derive(Debug, PartialEq)]
pub struct Cold {
    pub subject: String,
    pub body: String,
    pub program: String,
    pub topic_fallback: String,
    /// The title of a program slot whose own title names a 1C-Bitrix product: the slot stays,
    /// so the timing has no hole.
    pub neutral_item: String,
    pub unsubscribe: String,
}

#[derive(Debug, PartialEq)]
pub struct Card {
    pub free: String,
    pub online: String,
    pub partner: String,
}

pub fn get(lang: Language) -> &'static Strings {
    static RU: OnceLock<Strings> = OnceLock::new();
    static KK: OnceLock<Strings> = OnceLock::new();
    let cell = match lang {
        Language::Ru => &RU,
        Language::Kk => &KK,
    };
    cell.get_or_init(|| Strings::from_catalog(lang))
}

impl Strings {
    fn from_catalog(lang: Language) -> Strings {
        let t = |key: &str| catalog::text(lang, key).to_string();
        let l = |key: &str| {
            catalog::list(lang, key)
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        Strings {
            mail: catalog::groups(lang, "mail.")
                .into_iter()
                .map(|name| {
                    let text = MailText {
                        subject: t(&format!("mail.{name}.subject")),
                        body: t(&format!("mail.{name}.body")),
                    };
                    (name.to_string(), text)
                })
                .collect(),
            details: Details {
                when: t("details.when"),
                where_: t("details.where"),
                online: t("details.online"),
                join: t("details.join"),
                recording: t("details.recording"),
                slides: t("details.slides"),
                contacts: t("details.contacts"),
                footer: t("details.footer"),
            },
            sms: Sms {
                candidates: l("sms.candidates"),
                candidates_no_link: l("sms.candidates_no_link"),
            },
            post: Post {
                invite: t("post.invite"),
                free: t("post.free"),
                online: t("post.online"),
                program: t("post.program"),
                audience: t("post.audience"),
                registration: t("post.registration"),
                registration_missing: t("post.registration_missing"),
                contacts: t("post.contacts"),
                organizer: t("post.organizer"),
            },
            cold: Cold {
                subject: t("cold.subject"),
                body: t("cold.body"),
                program: t("cold.program"),
                topic_fallback: t("cold.topic_fallback"),
                neutral_item: t("cold.neutral_item"),
                unsubscribe: t("cold.unsubscribe"),
            },
            card: Card {
                free: t("card.free"),
                online: t("card.online"),
                partner: t("card.partner"),
            },
        }
    }

    pub fn mail(&self, name: &str) -> &MailText {
        self.mail
            .get(name)
            .unwrap_or_else(|| panic!("the catalog has no mail {name}"))
    }
}

/// How a value is written into a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// As it is (plain text, SMS, posts).
    Plain,
    /// Escaped for Markdown, URLs as autolinks.
    Markdown,
    /// Every value replaced by a neutral word: the template's own words, for the text rules
    /// (the event's values are checked where the partner wrote them).
    Masked,
}

/// The values placeholders stand for; URLs are marked so Markdown can link them.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    values: BTreeMap<&'static str, (String, bool)>,
}

impl Vars {
    pub fn set(&mut self, name: &'static str, value: impl Into<String>) {
        self.values.insert(name, (value.into(), false));
    }

    pub fn set_url(&mut self, name: &'static str, value: impl Into<String>) {
        self.values.insert(name, (value.into(), true));
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|v| v.0.as_str())
    }

    /// Fills every `{{ name }}` of `template` (`catalog::fill`). A slot with no value stays
    /// as written and an empty value is left empty: `check` fills the same templates masked
    /// and `text.placeholder` reports such a slot before anything is built.
    pub fn fill(&self, template: &str, mode: Mode) -> String {
        self.try_fill(template, mode).unwrap_or_else(|u| u.partial)
    }

    /// [`Vars::fill`], refusing a slot it has no value for or an empty value.
    pub fn try_fill(&self, template: &str, mode: Mode) -> Result<String, catalog::Unfilled> {
        catalog::fill(template, &Rendered { vars: self, mode })
    }
}

/// The values of [`Vars`] as `mode` writes them.
struct Rendered<'a> {
    vars: &'a Vars,
    mode: Mode,
}

impl Slots for Rendered<'_> {
    fn value(&self, name: &str) -> Option<Cow<'_, str>> {
        let (value, is_url) = self.vars.values.get(name)?;
        let mut out = String::with_capacity(value.len() + 2);
        render(&mut out, value, *is_url, self.mode);
        Some(Cow::Owned(out))
    }
}

/// Writes `value` into `out` as `mode` wants it.
fn render(out: &mut String, value: &str, is_url: bool, mode: Mode) {
    match mode {
        Mode::Plain => out.push_str(value),
        Mode::Masked => out.push('x'),
        Mode::Markdown if is_url && is_plain_url(value) => {
            out.push('<');
            out.push_str(value);
            out.push('>');
        }
        Mode::Markdown => md_escape_into(out, value),
    }
}

fn is_plain_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
}

/// Backslash-escapes what Markdown would read as markup (and raw HTML).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    md_escape_into(&mut out, s);
    out
}

fn md_escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '&' | '|' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_catalogs() {
        let ru = get(Language::Ru);
        assert_eq!(
            ru.details.where_,
            catalog::text(Language::Ru, "details.where")
        );
        assert_ne!(*ru, *get(Language::Kk));
        assert!(ru.mail.len() >= 5 && !get(Language::Kk).sms.candidates.is_empty());
        assert_eq!(
            ru.mail("15-min").subject,
            catalog::text(Language::Ru, "mail.15-min.subject")
        );
    }

    #[test]
    fn fill_writes_values_as_the_mode_wants_and_keeps_an_unknown_slot() {
        let mut v = Vars::default();
        v.set("event.title", "1С *и* Битрикс");
        v.set_url("event.url", "https://example.kz/w/");
        let t = "«{{ event.title }}» {{ event.url }} {{ reason }}";
        assert_eq!(
            v.fill(t, Mode::Markdown),
            "«1С \\*и\\* Битрикс» <https://example.kz/w/> {{ reason }}"
        );
        assert_eq!(v.fill(t, Mode::Masked), "«x» x {{ reason }}");
        assert_eq!(v.try_fill(t, Mode::Plain).unwrap_err().slot, "reason");
    }
}
