//! `form.third-party` (Посадочная 2).
//!
//! > Посадочные страницы, размещенные в базах мероприятий, или имеющие форму регистрации,
//! > сделанную с помощью сторонних сервисов, к публикации не принимаются (например, на
//! > timerpad.ru, google forms и т.д.).
//!
//! Registration goes through the page's own Bitrix form: no link to, embed of or mention of
//! an outside registration service, and no raw `<form>`, `<iframe>`, `<script>` in content.
//!
//! The spellings are in `third_party_words.rs`, which `build.rs` compiles into the lexicons.

use std::ops::Range;
use std::sync::OnceLock;

use super::lexicon::Lexicon;
use crate::diag::Diagnostic;
use crate::rules::{PieceCtx, TextPiece};
use crate::t;

// The word lists of `third_party_words.rs`, as `build.rs` compiled them.
mod compiled {
    use crate::rules::text::lexicon::{Endings, Pattern, Token};

    include!(concat!(env!("OUT_DIR"), "/third_party.rs"));
}

/// Addresses of the same services, found inside links.
const ADDRESSES: &[&str] = &[
    "timepad.ru",
    "timerpad.ru",
    "forms.gle",
    "docs.google.com/forms",
    "forms.yandex",
    "yandex.ru/forms",
    "forms.office.com",
    "typeform.com",
    "eventbrite.",
    "tilda.ws",
    "jotform.",
    "surveymonkey.",
    "anketolog.ru",
    "testograf.ru",
    "ticketon.kz",
    "radario.ru",
    "qtickets.",
    "ticketscloud.",
    "leader-id.ru",
    "meetup.com",
    "zoom.us/webinar/register",
    "zoom.us/meeting/register",
];

/// A link to a Telegram bot: `t.me/altyn_webinar_bot`, `telegram.me/…bot?start=reg`.
fn telegram_bot(url: &str) -> bool {
    ["t.me/", "telegram.me/"].iter().any(|host| {
        url.split(host).nth(1).is_some_and(|path| {
            let name = path.split(['/', '?', '#']).next().unwrap_or("");
            name.ends_with("bot")
        })
    })
}

/// HTML elements that embed something else into the page.
const TAGS: &[&str] = &["form", "iframe", "script", "embed", "object"];

/// The registration services, as a lexicon of its own (the annotator's).
pub(super) fn services_lexicon() -> Lexicon<()> {
    Lexicon::compiled(&compiled::SERVICES)
}

fn services() -> &'static Lexicon<()> {
    static L: OnceLock<Lexicon<()>> = OnceLock::new();
    L.get_or_init(|| Lexicon::compiled(&compiled::SERVICES))
}

/// Raw HTML tags that embed content: `<iframe …>`, `< script>`.
pub fn embed_tags(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('<') {
        let rest = text[i + 1..].trim_start();
        let name_at = text.len() - rest.len();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase();
        let after = &rest[name.len()..];
        if TAGS.contains(&name.as_str())
            && (after.is_empty()
                || after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
        {
            out.push(i..name_at + name.len());
        }
    }
    out
}

/// Links to outside registration services among the links of `text` (its
/// [`url_ranges`](super::tokens::url_ranges)): the range of the whole link.
fn service_links(text: &str, urls: &[Range<usize>]) -> Vec<Range<usize>> {
    urls.iter()
        .filter(|r| {
            let url = text[(*r).clone()].to_lowercase();
            ADDRESSES.iter().any(|a| url.contains(a)) || telegram_bot(&url)
        })
        .cloned()
        .collect()
}

pub fn check(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text = piece.text;
    let links = service_links(text, piece.urls());
    let ws = piece.words();
    let mut found: Vec<(Range<usize>, bool)> = links.iter().map(|r| (r.clone(), false)).collect();
    found.extend(
        services()
            .find(text, ws)
            .into_iter()
            .map(|h| h.range)
            .filter(|r| !links.iter().any(|l| l.start <= r.start && r.end <= l.end))
            .map(|r| (r, false)),
    );
    found.extend(embed_tags(text).into_iter().map(|r| (r, true)));
    // Bots and webinar platforms as the way to register (data/rules/third_party.toml).
    found.extend(
        super::engine::find_all("form.third-party", ws, piece.annotated())
            .into_iter()
            .filter(|r| {
                !found
                    .iter()
                    .any(|(f, _)| f.start < r.end && r.start < f.end)
            })
            .map(|r| (r, false))
            .collect::<Vec<_>>(),
    );
    found.sort_by_key(|(r, _)| r.start);
    for (range, tag) in found {
        let written = &text[range.clone()];
        let d = if tag {
            Diagnostic::new("form.third-party", t!("встраивание чужого кода в текст: «{written}»", "an embed in the text: \"{written}\""))
                .help(t!("уберите HTML-тег: форма регистрации — только штатная форма Битрикс24.Сайты или «1С-Битрикс: Управление сайтом», без сторонних виджетов", "remove the HTML tag: registration is the page's own Bitrix form only, no third-party widgets"))
        } else {
            Diagnostic::new("form.third-party", t!("сторонний сервис регистрации: «{written}»", "a third-party registration service: \"{written}\""))
                .help(t!("регистрация — только через форму на странице Битрикс24.Сайты или «1С-Битрикс: Управление сайтом»; уберите ссылку и упоминание", "register only through the page's own Bitrix form; remove the link and the mention"))
        };
        out.push(d.at(piece.local(range)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_lexicons_are_the_words() {
        mod words {
            include!("third_party_words.rs");
        }
        crate::rules::text::lexicon::assert_compiled_from(&[(
            &compiled::SERVICES,
            words::SERVICES,
        )]);
    }

    #[test]
    fn tags_and_links() {
        let t = "Текст <iframe src=x></iframe> и < SCRIPT>x</script>, <formula> нет";
        let tags: Vec<&str> = embed_tags(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(tags, ["<iframe", "< SCRIPT"]);
        let t =
            "Регистрация: https://forms.gle/abc, или [тут](https://example.timepad.ru/event/1).";
        let links: Vec<&str> = service_links(t, &crate::rules::text::tokens::url_ranges(t))
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(
            links,
            [
                "https://forms.gle/abc",
                "https://example.timepad.ru/event/1"
            ]
        );
    }
}
