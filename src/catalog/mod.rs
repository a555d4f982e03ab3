//! The one catalog of bxland's own sentences, in Russian and Kazakh (`ru.toml`, `kk.toml`
//! beside this file), and the one [`fill`] that writes values into their slots.
//!
//! Every text bxland writes itself comes from here: the reminders, the SMS, the post, the
//! cold mail, the registration mails, the page's form messages, Site Management's states and
//! Bitrix24's blocks. `build.rs` compiles both files into sorted tables, so a lookup parses
//! nothing at run time. A key the code asks for and the catalog lacks is a bug: it panics,
//! and the tests that build the example and the Kazakh event reach every key.
//!
//! This is a bottom layer: it knows no event, only languages, keys and slots.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The language of an event and of everything delivered for it.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Ru,
    Kk,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::Kk => "kk",
        }
    }
}

// `static RU: [(&str, &[&str]); _]` and `KK`, sorted by key: a text is a list of one.
include!(concat!(env!("OUT_DIR"), "/catalog.ru.rs"));
include!(concat!(env!("OUT_DIR"), "/catalog.kk.rs"));

/// The page's own macro for the rejection reason in a form message (`form.form_rejected`,
/// a theme's `form_rejected`, an event's `rejected_message`): the page replaces it when it
/// shows the outcome, so the catalog's `{{ reason }}` is filled with it.
pub const PAGE_REASON: &str = "{reason}";

/// Keys under this group are read by the partner's staff and exist in Russian only.
pub const STAFF: &str = "staff.";

fn table(lang: Language) -> &'static [(&'static str, &'static [&'static str])] {
    match lang {
        Language::Ru => &RU,
        Language::Kk => &KK,
    }
}

fn entry(lang: Language, key: &str) -> Option<&'static [&'static str]> {
    let t = table(lang);
    t.binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| t[i].1)
}

/// The text under `key` (`"mail.weekly.subject"`), with its slots unfilled.
///
/// # Panics
/// When the catalog has no single text under `key`: the code names a key the catalog lacks.
pub fn text(lang: Language, key: &str) -> &'static str {
    match entry(lang, key) {
        Some([one]) => one,
        _ => panic!("src/catalog/{}.toml has no text {key}", lang.code()),
    }
}

/// The text under `key`, if the catalog has one (for keys made from a theme string's name).
pub fn try_text(lang: Language, key: &str) -> Option<&'static str> {
    match entry(lang, key) {
        Some([one]) => Some(one),
        _ => None,
    }
}

/// The list under `key` (`"sms.candidates"`).
///
/// # Panics
/// When the catalog has no list under `key`.
pub fn list(lang: Language, key: &str) -> &'static [&'static str] {
    let t = table(lang);
    match t.binary_search_by(|(k, _)| (*k).cmp(key)) {
        Ok(i) => t[i].1,
        Err(_) => panic!("src/catalog/{}.toml has no list {key}", lang.code()),
    }
}

/// A text the partner's staff read (`staff.*`): always Russian.
pub fn staff(key: &str) -> &'static str {
    text(Language::Ru, &format!("{STAFF}{key}"))
}

/// Every key of one language, in order, with its texts: what the tests hold to the rules.
pub fn entries(
    lang: Language,
) -> impl Iterator<Item = (&'static str, &'static [&'static str])> + 'static {
    table(lang).iter().copied()
}

/// The names of the groups under `prefix` (`"mail."` gives `weekly`, `day-before`, ...).
pub fn groups(lang: Language, prefix: &str) -> Vec<&'static str> {
    let mut out: Vec<&str> = table(lang)
        .iter()
        .filter_map(|(k, _)| k.strip_prefix(prefix)?.split_once('.').map(|(g, _)| g))
        .collect();
    out.dedup();
    out
}

/// The slots of the reminders, the follow-up, the SMS, the post and the cards (what
/// `comms::mails::vars` gives; some only when the event has the value).
const REMINDER_SLOTS: &[&str] = &[
    "event.title",
    "event.short_title",
    "event.when",
    "event.date",
    "event.time",
    "event.time_at",
    "event.soon",
    "event.soon_lc",
    "event.offset",
    "event.platform",
    "event.join_url",
    "event.url",
    "organizer.name",
    "recording_url",
    "slides_url",
    "registration_url",
];

/// The slots every exporter fills in the registration mails (Site Management with Bitrix
/// macros, Bitrix24 with CRM fields).
const REGISTRATION_SLOTS: &[&str] = &[
    "event.title",
    "event.date",
    "event.url",
    "first_name",
    "last_name",
];

/// The slots a template of `group` may use: its key without the last part (`mail.weekly`,
/// `mail.rejected`, `cold`, `form`, ...). A partner's override of a template has the same
/// slots (`text.placeholder` holds it to them).
pub fn slots_of(group: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    match group {
        "mail.confirmation" | "mail.accepted" => out.extend(REGISTRATION_SLOTS),
        "mail.rejected" => {
            out.extend(REGISTRATION_SLOTS);
            out.push("reason");
        }
        "cold" => {
            out.extend(REMINDER_SLOTS);
            out.extend(["topic", "program"]);
        }
        "form" => out.extend(["reason", "event.url"]),
        "serve" => out.extend(["field", "fields"]),
        "bitrix24" => out.extend(["organizer.name", "event.title"]),
        "staff.mailings" => out.extend(["what", "time"]),
        "staff.bitrix24" => out.extend(["timezone", "offset", "name", "kind", "subject"]),
        "staff.bitrix24.setup" => out.extend([
            "event.title",
            "options",
            "label",
            "text",
            "reason",
            "subject",
            "event_dir",
            "form_id",
        ]),
        "staff.site_management" => {
            out.extend(["event.title", "event.date", "slug", "result_url", "times"]);
            out.extend([
                "email",
                "first_name",
                "last_name",
                "reason",
                "page_path",
                "result_id",
            ]);
            out.extend([
                "install_line",
                "form_sid",
                "page_dir",
                "open_page",
                "notify",
                "event.url",
            ]);
        }
        _ => out.extend(REMINDER_SLOTS),
    }
    out
}

/// Where the values of a template's slots come from.
pub trait Slots {
    fn value(&self, name: &str) -> Option<Cow<'_, str>>;
}

impl<K: AsRef<str>, V: AsRef<str>> Slots for [(K, V)] {
    fn value(&self, name: &str) -> Option<Cow<'_, str>> {
        self.iter()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| Cow::Borrowed(v.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Slots for [(K, V); N] {
    fn value(&self, name: &str) -> Option<Cow<'_, str>> {
        self.as_slice().value(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Slots for Vec<(K, V)> {
    fn value(&self, name: &str) -> Option<Cow<'_, str>> {
        self.as_slice().value(name)
    }
}

impl<V: AsRef<str>> Slots for BTreeMap<&str, V> {
    fn value(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).map(|v| Cow::Borrowed(v.as_ref()))
    }
}

/// Slots given by a function: `fill(t, &SlotFn(|name| ...))`.
pub struct SlotFn<F>(pub F);

impl<F: Fn(&str) -> Option<String>> Slots for SlotFn<F> {
    fn value(&self, name: &str) -> Option<Cow<'_, str>> {
        (self.0)(name).map(Cow::Owned)
    }
}

/// Why [`fill`] refused a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// A slot nobody gives a value for.
    Unknown,
    /// A slot whose value is empty (or only spaces).
    Empty,
    /// `{{` with no `}}` after it.
    Unclosed,
}

/// A template [`fill`] could not fill whole: the first slot at fault, and the text with every
/// slot it could fill filled and the others left as written (`text.placeholder` finds those
/// in a delivered text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfilled {
    pub slot: String,
    pub gap: Gap,
    pub partial: String,
}

impl fmt::Display for Unfilled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.gap {
            Gap::Unknown => write!(f, "no value for {{{{ {} }}}}", self.slot),
            Gap::Empty => write!(f, "{{{{ {} }}}} is empty", self.slot),
            Gap::Unclosed => write!(f, "`{{{{` without `}}}}`"),
        }
    }
}

impl std::error::Error for Unfilled {}

/// The first `{{` (or `}}`) in `text`: `str::find` set up a two-way searcher for every slot of
/// every text: a third of what building the generated texts cost `check`.
pub fn find_doubled(text: &str, brace: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(brace, &bytes[from..]) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&brace) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Writes the value of every `{{ name }}` slot of `template`; refuses a slot `slots` has no
/// value for, a value that is empty, and a `{{` that is never closed.
pub fn fill<S: Slots + ?Sized>(template: &str, slots: &S) -> Result<String, Unfilled> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut first: Option<(String, Gap)> = None;
    let mut rest = template;
    while let Some(open) = find_doubled(rest, b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = find_doubled(after, b'}') else {
            first.get_or_insert(("{{".to_string(), Gap::Unclosed));
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = after[..close].trim();
        match slots.value(name) {
            Some(v) if !v.trim().is_empty() => out.push_str(&v),
            found => {
                let gap = if found.is_some() {
                    Gap::Empty
                } else {
                    Gap::Unknown
                };
                first.get_or_insert((name.to_string(), gap));
                if found.is_none() {
                    out.push_str(&rest[open..open + 2 + close + 2]);
                }
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    match first {
        None => Ok(out),
        Some((slot, gap)) => Err(Unfilled {
            slot,
            gap,
            partial: out,
        }),
    }
}

/// The names of the slots of `template`, in order (each once).
pub fn slot_names(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = find_doubled(rest, b'{') {
        let after = &rest[open + 2..];
        let Some(close) = find_doubled(after, b'}') else {
            break;
        };
        let name = after[..close].trim();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[close + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: Language) -> Vec<&'static str> {
        entries(lang)
            .map(|(k, _)| k)
            .filter(|k| !k.starts_with(STAFF))
            .collect()
    }

    #[test]
    fn russian_and_kazakh_have_the_same_keys() {
        assert_eq!(keys(Language::Ru), keys(Language::Kk));
        assert!(keys(Language::Ru).len() > 80);
        assert!(entries(Language::Kk).all(|(k, _)| !k.starts_with(STAFF)));
        assert!(entries(Language::Ru).any(|(k, _)| k.starts_with(STAFF)));
    }

    #[test]
    fn the_two_languages_differ_and_no_text_is_empty() {
        for lang in [Language::Ru, Language::Kk] {
            for (key, texts) in entries(lang) {
                assert!(!texts.is_empty(), "{key}");
                assert!(texts.iter().all(|t| !t.trim().is_empty()), "{key}");
            }
        }
        assert_ne!(
            text(Language::Ru, "form.form_accepted"),
            text(Language::Kk, "form.form_accepted")
        );
    }

    #[test]
    fn lookups() {
        assert!(text(Language::Ru, "mail.weekly.subject").contains("{{ event.title }}"));
        assert!(list(Language::Kk, "sms.candidates").len() > 3);
        assert_eq!(try_text(Language::Ru, "form.no_such_key"), None);
        assert!(staff("site_management.status_new").starts_with("Нов"));
        let mails = groups(Language::Ru, "mail.");
        for m in [
            "weekly",
            "day-before",
            "followup",
            "confirmation",
            "rejected",
        ] {
            assert!(mails.contains(&m), "{mails:?}");
        }
    }

    /// The mailer skips a registration whose status title is `status_rejected` or starts with
    /// it and «:»: every rejecting status the setup makes must.
    #[test]
    fn every_rejecting_status_starts_with_the_rejected_word() {
        let word = staff("site_management.status_rejected");
        for reason in ["competitor", "student"] {
            let title = staff(&format!("site_management.status_rejected_{reason}"));
            assert!(title.starts_with(&format!("{word}:")), "{title}");
        }
    }

    #[test]
    #[should_panic(expected = "has no text")]
    fn a_missing_key_is_a_bug() {
        text(Language::Kk, "staff.site_management.status_new");
    }

    /// Every slot of every text is one its group declares: a slot no code fills would ship.
    #[test]
    fn every_slot_is_declared() {
        for lang in [Language::Ru, Language::Kk] {
            for (key, texts) in entries(lang) {
                let group = key.rsplit_once('.').map_or("", |(g, _)| g);
                let allowed = slots_of(group);
                for t in texts {
                    for slot in slot_names(t) {
                        assert!(
                            allowed.contains(&slot),
                            "{}: {key} has {{{{ {slot} }}}}",
                            lang.code()
                        );
                    }
                    let filled = fill(t, &SlotFn(|_: &str| Some("x".to_string())));
                    assert!(filled.is_ok(), "{key}: {filled:?}");
                }
            }
        }
        assert!(!slots_of("mail.confirmation").contains(&"reason"));
        assert!(slots_of("mail.rejected").contains(&"reason"));
    }

    #[test]
    fn fill_writes_every_slot() {
        let got = fill(
            "«{{ event.title }}», {{event.date}} — {{ event.title }}",
            &[("event.title", "Учёт"), ("event.date", "1 марта")],
        );
        assert_eq!(got.unwrap(), "«Учёт», 1 марта — Учёт");
        assert_eq!(fill("без слотов", &[("a", "b")]).unwrap(), "без слотов");
        // A platform macro is a value like any other.
        assert_eq!(
            fill("{{ first_name }}!", &[("first_name", "#FIRST_NAME#")]).unwrap(),
            "#FIRST_NAME#!"
        );
    }

    #[test]
    fn fill_refuses_an_unknown_slot_an_empty_value_and_an_unclosed_one() {
        let e = fill(
            "Привет, {{ first_name }}: {{ event.title }}",
            &[("event.title", "Учёт")],
        )
        .unwrap_err();
        assert_eq!((e.slot.as_str(), &e.gap), ("first_name", &Gap::Unknown));
        assert_eq!(e.partial, "Привет, {{ first_name }}: Учёт");
        let e = fill(
            "Организатор — {{ organizer.name }}.",
            &[("organizer.name", " ")],
        )
        .unwrap_err();
        assert_eq!((e.slot.as_str(), &e.gap), ("organizer.name", &Gap::Empty));
        assert_eq!(e.partial, "Организатор — .");
        let e = fill("{{ a }} и {{ b", &[("a", "x")]).unwrap_err();
        assert_eq!(e.gap, Gap::Unclosed);
        assert_eq!(e.partial, "x и {{ b");
        assert_eq!(e.to_string(), "`{{` without `}}`");
    }

    #[test]
    fn slot_names_lists_each_once() {
        assert_eq!(slot_names("{{ a }} {{b}} {{ a }} {{ c"), vec!["a", "b"]);
    }
}
