//! Every piece of text that reaches the page, the e-mails or the announcements, with the
//! place it was written: the input of the `text.*` rules.

use std::ops::Range;
use std::sync::OnceLock;

use super::text::tokens::{self, Word};

use crate::event::model::Sp;
use crate::event::{Event, Sources};

/// Where a text ends up; some rules treat them differently (`text.sales` does not apply to
/// the follow-up, `announce.cold-mail` only to the cold mailing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextRole {
    Page,
    Consent,
    Mail,
    FollowUp,
    Announcement,
    ColdMail,
    /// The theme's own strings.
    Theme,
    /// Install notes and checklists bxland writes for the partner (Site Management's README,
    /// Bitrix24's form-setup.md): never shown to a registrant, so the rules about what the
    /// page offers (offline venue, confirmation links) do not read them; the text rules do.
    Notes,
}

#[derive(Debug, Clone)]
pub struct TextPiece<'a> {
    pub text: &'a str,
    /// The span of the TOML string literal that holds the text, if it came from a file.
    pub span: Option<Range<usize>>,
    /// The key it was written under, e.g. `program[2].theses[0]`.
    pub key: String,
    pub markdown: bool,
    pub role: TextRole,
    /// Compiled into bxland and checked by its test suite (see [`GeneratedText::checked_ahead`]):
    /// the rules that read each text skip it.
    pub checked_ahead: bool,
    /// The text read into words, once: every text rule walks the same words.
    words: OnceLock<Vec<Word<'a>>>,
    /// The links in the text, once: the words and `form.third-party` both need them.
    urls: OnceLock<Vec<Range<usize>>>,
    /// The text in lower case, once: for [`TextPiece::find_any_ci`].
    lower: OnceLock<Lowered>,
    /// The words annotated for the pattern rules, once.
    annotated: OnceLock<super::text::Annotated>,
    /// The prices in the text, once: the annotation and `event.free` both need them.
    prices: OnceLock<Vec<super::text::price::Price>>,
}

impl<'a> TextPiece<'a> {
    pub fn new(
        text: &'a str,
        span: Option<Range<usize>>,
        key: impl Into<String>,
        markdown: bool,
        role: TextRole,
    ) -> Self {
        TextPiece {
            text,
            span,
            key: key.into(),
            markdown,
            role,
            checked_ahead: false,
            words: OnceLock::new(),
            urls: OnceLock::new(),
            lower: OnceLock::new(),
            annotated: OnceLock::new(),
            prices: OnceLock::new(),
        }
    }

    pub fn from_value(
        v: &'a Sp<String>,
        key: impl Into<String>,
        markdown: bool,
        role: TextRole,
    ) -> Self {
        // Past `input.text`'s limit a value is already an error: the text rules read no
        // further (a 4 MB text of «Вы» took minutes and gigabytes, issue 21).
        let text = v.get_ref().as_str();
        let text = match text.char_indices().nth(crate::rules::input::MAX_TEXT_CHARS) {
            Some((end, _)) => &text[..end],
            None => text,
        };
        Self::new(text, Some(v.span()), key, markdown, role)
    }

    /// The words of the text (see [`tokens::words`]), read on first use.
    pub fn words(&self) -> &[Word<'a>] {
        self.words
            .get_or_init(|| tokens::words_with_urls(self.text, self.markdown, self.urls()))
    }

    /// The words annotated for the pattern rules of `text.*` (lemmas, brands, quotes), on
    /// first use.
    pub fn annotated(&self) -> &super::text::Annotated {
        self.annotated.get_or_init(|| {
            super::text::annotate::annotate_with_prices(self.text, self.words(), self.prices())
        })
    }

    /// The prices in the text (see [`super::text::price::prices_in`]), found on first use.
    pub fn prices(&self) -> &[super::text::price::Price] {
        self.prices
            .get_or_init(|| super::text::price::prices_in(self.text, self.words()))
    }

    /// The links in the text (see [`tokens::url_ranges`]), found on first use.
    pub fn urls(&self) -> &[Range<usize>] {
        self.urls.get_or_init(|| tokens::url_ranges(self.text))
    }

    /// The first (leftmost) of several lower-case phrases in the text, case-insensitively:
    /// the byte range and the phrase. The text is lowered once; each phrase is one substring
    /// search over it.
    pub fn find_any_ci(&self, phrases: &Phrases) -> Option<(Range<usize>, &'static str)> {
        let lower = self.lower.get_or_init(|| Lowered::of(self.text));
        // The leftmost match; of those starting at one byte, the phrase listed first.
        let (at, phrase) = phrases
            .finders()
            .iter()
            .zip(phrases.list)
            .filter_map(|(f, &p)| Some((f.find(lower.text.as_bytes())?, p)))
            .min_by_key(|&(at, _)| at)?;
        let end = at + phrase.len();
        if lower.same_offsets {
            return Some((at..end, phrase));
        }
        // Some letter changed its length in lower case (rare): map the match back.
        let (_, map) = lowercase_with_map(self.text);
        Some((map[at]..map[end], phrase))
    }

    /// The first match of each phrase that occurs (ignoring case), in the order of `phrases`;
    /// the text is lowered once per piece and shared with [`TextPiece::find_any_ci`].
    pub fn find_each_ci(&self, phrases: &Phrases) -> Vec<(Range<usize>, &'static str)> {
        let lower = self.lower.get_or_init(|| Lowered::of(self.text));
        let found: Vec<(usize, &'static str)> = phrases
            .finders()
            .iter()
            .zip(phrases.list)
            .filter_map(|(f, &p)| Some((f.find(lower.text.as_bytes())?, p)))
            .collect();
        if found.is_empty() || lower.same_offsets {
            return found
                .into_iter()
                .map(|(at, p)| (at..at + p.len(), p))
                .collect();
        }
        let (_, map) = lowercase_with_map(self.text);
        found
            .into_iter()
            .map(|(at, p)| (map[at]..map[at + p.len()], p))
            .collect()
    }

    /// Where a text bxland made itself ends up, for a message that has no line to point at:
    /// ` (тема письма «напоминание за день до вебинара»)` in Russian, the key in English.
    /// Empty for a text written in the event file (its line and column say where).
    pub fn place(&self) -> crate::i18n::Text {
        if self.span.is_some() {
            return crate::i18n::Text::new("", "");
        }
        let key = self.key.as_str();
        let ru = generated_place_ru(key);
        crate::i18n::Text::new(format!(" ({ru})"), format!(" ({key})"))
    }

    /// `text[range]` as a [`super::PieceCheck`] reports it: a range in the text, which
    /// `rules::check` maps into the sources (see [`TextPiece::span_of`]).
    pub fn local(&self, range: Range<usize>) -> Option<Range<usize>> {
        Some(range)
    }

    /// The span in the sources of `text[range]`, down to the word.
    pub fn span_of(&self, sources: &Sources, range: Range<usize>) -> Option<Range<usize>> {
        self.span
            .as_ref()
            .map(|lit| sources.span_in_string(lit, range))
    }
}

/// A mail as the partner calls it: the file's keys (`weekly`, `day-of`) are not for messages.
fn mail_ru(name: &str) -> String {
    match name {
        "weekly" => "«еженедельное напоминание»".into(),
        "day-before" => "«напоминание за день до вебинара»".into(),
        "day-of" => "«напоминание в день вебинара»".into(),
        "15-min" => "«напоминание за 15 минут до начала»".into(),
        "followup" => "«письмо после вебинара»".into(),
        "sms" => "«СМС-напоминание»".into(),
        "confirmation" => "«подтверждение регистрации»".into(),
        other => format!("«{other}»"),
    }
}

/// The Russian name of the place a generated text (see [`GeneratedText`]) goes to.
fn generated_place_ru(key: &str) -> String {
    if let Some(rest) = key.strip_prefix("mailings.mail.") {
        let rest = rest.trim_end_matches(" (default)");
        if let Some(name) = rest.strip_suffix(".subject") {
            return format!("тема письма {}", mail_ru(name));
        }
        if let Some(name) = rest.strip_suffix(".body") {
            return format!("текст письма {}", mail_ru(name));
        }
        return format!("письмо {}", mail_ru(rest));
    }
    if let Some(rest) = key.strip_prefix("mailings/") {
        if let Some(name) = rest.strip_suffix(" (details)") {
            return format!("сведения о вебинаре в письме {}", mail_ru(name));
        }
        if rest == "sms.txt" {
            return "СМС-напоминание".into();
        }
        return "письма участникам".into();
    }
    if let Some(rest) = key.strip_prefix("theme.") {
        let name = rest.split('.').next().unwrap_or(rest);
        return format!("текст темы оформления «{name}»");
    }
    match key {
        "announce/post.txt" => "пост для соцсетей".into(),
        "announce/cards" => "карточки анонса".into(),
        "announce/cold-mail" => "в письме, которое составляет bxland".into(),
        k if k.starts_with("bitrix24/") => "письмо-подтверждение регистрации в Битрикс24".into(),
        k if k.starts_with("site_management/") || k.starts_with("site-management/") => {
            "файлы для «1С-Битрикс: Управление сайтом»".into()
        }
        _ => "текст, который составляет bxland".into(),
    }
}

/// A list of lower-case phrases searched for at once (see [`TextPiece::find_any_ci`]).
/// Written as a `static` beside its rule. The lists are a handful of phrases searched in
/// short texts: a substring search per phrase costs a fraction of building an automaton for
/// the list, which one process checking one event would do for every list.
pub struct Phrases {
    list: &'static [&'static str],
    finders: OnceLock<Vec<memchr::memmem::Finder<'static>>>,
}

impl Phrases {
    pub const fn new(list: &'static [&'static str]) -> Self {
        Phrases {
            list,
            finders: OnceLock::new(),
        }
    }

    fn finders(&self) -> &[memchr::memmem::Finder<'static>] {
        self.finders.get_or_init(|| {
            self.list
                .iter()
                .map(|p| memchr::memmem::Finder::new(p.as_bytes()))
                .collect()
        })
    }
}

/// A text in lower case (as [`lowercase_with_map`] makes it, without the map).
#[derive(Debug, Clone)]
struct Lowered {
    text: String,
    /// Every character kept its byte length: offsets in `text` are offsets in the original.
    /// True of ASCII and Russian; otherwise a match is mapped back with [`lowercase_with_map`].
    same_offsets: bool,
}

impl Lowered {
    fn of(s: &str) -> Lowered {
        let mut text = String::with_capacity(s.len());
        let mut same_offsets = true;
        for ch in s.chars() {
            if let Some(lc) = tokens::simple_lowercase(ch) {
                text.push(lc);
                continue;
            }
            let before = text.len();
            text.extend(ch.to_lowercase());
            same_offsets &= text.len() - before == ch.len_utf8();
        }
        Lowered { text, same_offsets }
    }
}

/// A text made by bxland itself (a theme string, a default mail, a generated post), with no
/// place in the sources. The caller keeps it while the rules look at its [`TextPiece`].
#[derive(Debug, Clone)]
pub struct GeneratedText {
    pub text: String,
    pub key: String,
    pub markdown: bool,
    pub role: TextRole,
    /// A text compiled into bxland as it is delivered (a built-in theme's strings): the test
    /// suite runs every text rule over each one in every language
    /// (`tests/it/delivered_texts.rs`), so `check` does not run them again. The rules about
    /// the event as a whole (does the theme say «бесплатно»?) still read it.
    pub checked_ahead: bool,
}

impl GeneratedText {
    pub fn new(text: String, key: impl Into<String>, markdown: bool, role: TextRole) -> Self {
        GeneratedText {
            text,
            key: key.into(),
            markdown,
            role,
            checked_ahead: false,
        }
    }

    pub fn piece(&self) -> TextPiece<'_> {
        let mut piece =
            TextPiece::new(&self.text, None, self.key.clone(), self.markdown, self.role);
        piece.checked_ahead = self.checked_ahead;
        piece
    }
}

/// `[announcement] cold_mail = true`: the cold mailing is made.
fn cold_mail_on(event: &Event) -> bool {
    event
        .file
        .announcement
        .as_ref()
        .and_then(|a| a.get_ref().cold_mail.as_ref())
        .is_some_and(|c| *c.get_ref())
}

pub fn collect(event: &Event) -> Vec<TextPiece<'_>> {
    let f = &event.file;
    let mut out = Vec::new();
    fn opt<'a>(
        out: &mut Vec<TextPiece<'a>>,
        v: &'a Option<Sp<String>>,
        key: String,
        md: bool,
        role: TextRole,
    ) {
        if let Some(v) = v {
            out.push(TextPiece::from_value(v, key, md, role));
        }
    }
    fn list<'a>(
        out: &mut Vec<TextPiece<'a>>,
        v: &'a Option<Sp<Vec<Sp<String>>>>,
        key: &str,
        role: TextRole,
    ) {
        if let Some(v) = v {
            for (i, s) in v.get_ref().iter().enumerate() {
                out.push(TextPiece::from_value(s, format!("{key}[{i}]"), false, role));
            }
        }
    }

    if let Some(e) = &f.event {
        let e = e.get_ref();
        opt(
            &mut out,
            &e.title,
            "event.title".into(),
            false,
            TextRole::Page,
        );
        opt(
            &mut out,
            &e.summary,
            "event.summary".into(),
            false,
            TextRole::Page,
        );
        opt(
            &mut out,
            &e.description,
            "event.description".into(),
            true,
            TextRole::Page,
        );
        opt(
            &mut out,
            &e.audience,
            "event.audience".into(),
            true,
            TextRole::Page,
        );
        opt(
            &mut out,
            &e.platform,
            "event.platform".into(),
            false,
            TextRole::Page,
        );
    }
    if let Some(o) = &f.organizer {
        let o = o.get_ref();
        opt(
            &mut out,
            &o.name,
            "organizer.name".into(),
            false,
            TextRole::Page,
        );
        for (i, c) in o.contacts.iter().enumerate() {
            let c = c.get_ref();
            opt(
                &mut out,
                &c.name,
                format!("organizer.contacts[{i}].name"),
                false,
                TextRole::Page,
            );
            opt(
                &mut out,
                &c.role,
                format!("organizer.contacts[{i}].role"),
                false,
                TextRole::Page,
            );
        }
    }
    for (key, s) in &f.speakers {
        let s = s.get_ref();
        let k = key.get_ref();
        opt(
            &mut out,
            &s.name,
            format!("speakers.{k}.name"),
            false,
            TextRole::Page,
        );
        opt(
            &mut out,
            &s.position,
            format!("speakers.{k}.position"),
            false,
            TextRole::Page,
        );
        opt(
            &mut out,
            &s.company,
            format!("speakers.{k}.company"),
            false,
            TextRole::Page,
        );
    }
    for (i, item) in f.program.iter().enumerate() {
        let item = item.get_ref();
        opt(
            &mut out,
            &item.title,
            format!("program[{i}].title"),
            false,
            TextRole::Page,
        );
        for (j, t) in item.theses.iter().enumerate() {
            out.push(TextPiece::from_value(
                t,
                format!("program[{i}].theses[{j}]"),
                true,
                TextRole::Page,
            ));
        }
        // Only the cold mailing reads it, only if cold_mail is on.
        if cold_mail_on(event) {
            opt(
                &mut out,
                &item.cold_title,
                format!("program[{i}].cold_title"),
                false,
                TextRole::ColdMail,
            );
        }
    }
    if let Some(r) = &f.registration {
        let r = r.get_ref();
        opt(
            &mut out,
            &r.submit_label,
            "registration.submit_label".into(),
            false,
            TextRole::Page,
        );
        opt(
            &mut out,
            &r.accepted_message,
            "registration.accepted_message".into(),
            false,
            TextRole::Page,
        );
        opt(
            &mut out,
            &r.rejected_message,
            "registration.rejected_message".into(),
            false,
            TextRole::Page,
        );
        for (i, x) in r.extra_fields.iter().enumerate() {
            let x = x.get_ref();
            opt(
                &mut out,
                &x.label,
                format!("registration.extra_fields[{i}].label"),
                false,
                TextRole::Page,
            );
            for (j, o) in x.options.iter().enumerate() {
                out.push(TextPiece::from_value(
                    o,
                    format!("registration.extra_fields[{i}].options[{j}]"),
                    false,
                    TextRole::Page,
                ));
            }
        }
        if let Some(m) = &r.confirmation_email {
            let m = m.get_ref();
            opt(
                &mut out,
                &m.subject,
                "registration.confirmation_email.subject".into(),
                false,
                TextRole::Mail,
            );
            opt(
                &mut out,
                &m.body,
                "registration.confirmation_email.body".into(),
                true,
                TextRole::Mail,
            );
        }
    }
    if let Some(c) = &f.consent {
        let c = c.get_ref();
        opt(
            &mut out,
            &c.text,
            "consent.text".into(),
            true,
            TextRole::Consent,
        );
        opt(
            &mut out,
            &c.label,
            "consent.label".into(),
            false,
            TextRole::Consent,
        );
        opt(
            &mut out,
            &c.operator,
            "consent.operator".into(),
            false,
            TextRole::Consent,
        );
        list(&mut out, &c.purposes, "consent.purposes", TextRole::Consent);
        list(&mut out, &c.data, "consent.data", TextRole::Consent);
        list(
            &mut out,
            &c.third_parties,
            "consent.third_parties",
            TextRole::Consent,
        );
        opt(
            &mut out,
            &c.term,
            "consent.term".into(),
            false,
            TextRole::Consent,
        );
        opt(
            &mut out,
            &c.storage,
            "consent.storage".into(),
            false,
            TextRole::Consent,
        );
        opt(
            &mut out,
            &c.withdrawal,
            "consent.withdrawal".into(),
            false,
            TextRole::Consent,
        );
    }
    for (i, p) in f.partners.iter().enumerate() {
        opt(
            &mut out,
            &p.get_ref().name,
            format!("partners[{i}].name"),
            false,
            TextRole::Page,
        );
    }
    for (i, g) in f.gallery.iter().enumerate() {
        opt(
            &mut out,
            &g.get_ref().caption,
            format!("gallery[{i}].caption"),
            false,
            TextRole::Page,
        );
    }
    if let Some(m) = &f.mailings {
        opt(
            &mut out,
            &m.get_ref().followup_offer,
            "mailings.followup_offer".into(),
            true,
            TextRole::FollowUp,
        );
        for (name, mail) in &m.get_ref().mail {
            let role = if name.get_ref() == "followup" {
                TextRole::FollowUp
            } else {
                TextRole::Mail
            };
            let n = name.get_ref();
            opt(
                &mut out,
                &mail.get_ref().subject,
                format!("mailings.mail.{n}.subject"),
                false,
                role,
            );
            opt(
                &mut out,
                &mail.get_ref().body,
                format!("mailings.mail.{n}.body"),
                true,
                role,
            );
        }
    }
    if let Some(a) = &f.announcement {
        let a = a.get_ref();
        opt(
            &mut out,
            &a.post,
            "announcement.post".into(),
            true,
            TextRole::Announcement,
        );
        opt(
            &mut out,
            &a.cold_subject,
            "announcement.cold_subject".into(),
            false,
            TextRole::ColdMail,
        );
        opt(
            &mut out,
            &a.cold_body,
            "announcement.cold_body".into(),
            true,
            TextRole::ColdMail,
        );
    }
    out
}

/// Lower-cases `s` and keeps, for every byte of the result, the byte offset in `s` it came
/// from: a match found in the lower-cased text maps back to the original exactly.
pub fn lowercase_with_map(s: &str) -> (String, Vec<usize>) {
    let mut lower = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    for (i, ch) in s.char_indices() {
        if let Some(lc) = tokens::simple_lowercase(ch) {
            lower.push(lc);
            map.extend(std::iter::repeat_n(i, lc.len_utf8()));
            continue;
        }
        for lc in ch.to_lowercase() {
            let before = lower.len();
            lower.push(lc);
            map.extend(std::iter::repeat_n(i, lower.len() - before));
        }
    }
    map.push(s.len());
    (lower, map)
}

/// Words that name the company itself.
const BITRIX_WORDS: &[&str] = &["1с-битрикс", "1c-bitrix", "битрикс", "bitrix"];

/// The first mention of 1C-Bitrix or one of its products in `s`, if any.
pub fn bitrix_word(s: &str) -> Option<Range<usize>> {
    BITRIX_WORDS
        .iter()
        .filter_map(|w| find_ci(s, w))
        .chain(
            crate::event::products::PRODUCTS
                .iter()
                .flat_map(|p| p.names.iter())
                .filter_map(|n| find_ci(s, n)),
        )
        // The earliest, and the longest there («1С-Битрикс», not «битрикс»).
        .min_by_key(|r| (r.start, usize::MAX - r.end))
}

/// Case-insensitive search: the byte range in `haystack` of the first match of `needle`
/// (given in lower case).
pub fn find_ci(haystack: &str, needle: &str) -> Option<Range<usize>> {
    let (lower, map) = lowercase_with_map(haystack);
    let at = lower.find(needle)?;
    Some(map[at]..map[at + needle.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_map_agrees_with_unicode_and_maps_back() {
        let text: String = ('\u{20}'..='\u{052F}').chain("İẞǅ".chars()).collect();
        let (lower, map) = lowercase_with_map(&text);
        let general: String = text.chars().flat_map(char::to_lowercase).collect();
        assert_eq!(lower, general);
        for (at, _) in lower.char_indices() {
            assert!(text.is_char_boundary(map[at]), "{at}");
        }
        let piece = TextPiece::new("Приглашаем на ВЕБИНАР", None, "k", false, TextRole::Page);
        static WORDS: Phrases = Phrases::new(&["семинар", "вебинар"]);
        assert_eq!(piece.find_any_ci(&WORDS), Some((26..40, "вебинар")));
        // The leftmost match wins; of two at one place, the phrase listed first.
        static BOTH: Phrases = Phrases::new(&["на вебинар", "приглашаем на", "на"]);
        assert_eq!(piece.find_any_ci(&BOTH), Some((0..25, "приглашаем на")));
        let piece = TextPiece::new("На ВЕБИНАР", None, "k", false, TextRole::Page);
        assert_eq!(piece.find_any_ci(&BOTH), Some((0..19, "на вебинар")));
        // «İ» is longer in lower case: the match is mapped back to the original bytes.
        let piece = TextPiece::new("İİ: Вебинар", None, "k", false, TextRole::Page);
        assert_eq!(piece.find_any_ci(&WORDS), Some((6..20, "вебинар")));
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;

    /// Messages name the places of bxland's own texts in Russian, never by the file's keys.
    #[test]
    fn generated_places_have_russian_names() {
        let cases = [
            (
                "mailings.mail.day-of.subject (default)",
                " (тема письма «напоминание в день вебинара»)",
            ),
            (
                "mailings.mail.15-min.body (default)",
                " (текст письма «напоминание за 15 минут до начала»)",
            ),
            (
                "mailings/weekly (details)",
                " (сведения о вебинаре в письме «еженедельное напоминание»)",
            ),
            ("mailings/sms.txt", " (СМС-напоминание)"),
            (
                "theme.default.ru.hero_title",
                " (текст темы оформления «default»)",
            ),
            ("announce/post.txt", " (пост для соцсетей)"),
        ];
        for (key, ru) in cases {
            let piece = TextPiece::new("x", None, key, false, TextRole::Mail);
            let place = piece.place();
            assert_eq!(place.ru, ru);
            assert_eq!(place.en, format!(" ({key})"));
        }
        let written = TextPiece::new("x", Some(0..1), "event.title", false, TextRole::Page);
        assert_eq!(written.place().ru, "");
    }
}
