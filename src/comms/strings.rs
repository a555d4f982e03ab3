//! The default texts (`strings.toml` beside this file, ru and kk) and the small placeholder
//! language they and the partner's overrides share: `{{ event.title }}` and friends.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::webinar::Language;
pub use crate::webinar::{sms_units, SMS_SEGMENT};

#[derive(Debug, Deserialize, PartialEq)]
pub struct Strings {
    pub mail: BTreeMap<String, MailText>,
    pub details: Details,
    pub sms: Sms,
    pub post: Post,
    pub cold: Cold,
    pub card: Card,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Details {
    pub when: String,
    #[serde(rename = "where")]
    pub where_: String,
    pub online: String,
    pub join: String,
    pub recording: String,
    pub slides: String,
    pub contacts: String,
    pub footer: String,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Sms {
    /// When the event gives a join link.
    pub candidates: Vec<String>,
    /// When it does not: no word about a link.
    pub candidates_no_link: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
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

#[derive(Debug, Deserialize, PartialEq)]
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

#[derive(Debug, Deserialize, PartialEq)]
pub struct Card {
    pub free: String,
    pub online: String,
    pub partner: String,
}

/// One language of `strings.toml` as JSON: `build.rs` converts it, as `serde_json` reads JSON
/// several times faster than `toml` reads TOML, and every `check` reads these texts (one
/// language per event, so each is read only when asked for).
const RU_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/strings.ru.json"));
const KK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/strings.kk.json"));

pub fn get(lang: Language) -> &'static Strings {
    static RU: OnceLock<Strings> = OnceLock::new();
    static KK: OnceLock<Strings> = OnceLock::new();
    let (cell, json) = match lang {
        Language::Ru => (&RU, RU_JSON),
        Language::Kk => (&KK, KK_JSON),
    };
    cell.get_or_init(|| {
        serde_json::from_str(json).expect("src/comms/strings.toml is valid (build.rs)")
    })
}

impl Strings {
    pub fn mail(&self, name: &str) -> &MailText {
        self.mail
            .get(name)
            .unwrap_or_else(|| panic!("strings.toml has no mail {name}"))
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

    /// Replaces every `{{ name }}` in `template`; an unknown name stays as written.
    pub fn fill(&self, template: &str, mode: Mode) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}") else {
                break;
            };
            let name = rest[open + 2..open + close].trim();
            out.push_str(&rest[..open]);
            match self.values.get(name) {
                Some((value, is_url)) => render(&mut out, value, *is_url, mode),
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &rest[open + close + 2..];
        }
        out.push_str(rest);
        out
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

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        ru: Strings,
        kk: Strings,
    }

    #[test]
    fn the_json_build_rs_writes_reads_as_strings_toml() {
        let toml: File = toml::from_str(include_str!("strings.toml")).unwrap();
        assert_eq!(*get(Language::Ru), toml.ru);
        assert_eq!(*get(Language::Kk), toml.kk);
        assert_ne!(toml.ru, toml.kk);
        assert!(toml.ru.mail.len() >= 3 && !toml.kk.sms.candidates.is_empty());
    }
}
