//! `text.placeholder` (Посадочная 6): no placeholder, template variable or unfilled slot
//! reaches a delivered text: «адрес страницы вебинара» written where the address should be,
//! `{{ … }}` left over from a template, a `#MACRO#` of a mail template, «[ЗАМЕНИТЕ…]».
//!
//! The partner's own mail templates may use the placeholders bxland fills (`{{ event.title }}`
//! and friends): only an unknown name there is a slot that would ship as written.

use std::ops::Range;

use crate::catalog::{self, find_doubled};
use crate::diag::Diagnostic;
use crate::rules::texts::{Phrases, TextPiece};
use crate::rules::PieceCtx;
use crate::t;

/// Phrases that stand where a value should be (lower case).
const SLOT_PHRASES: &[&str] = &[
    "адрес страницы вебинара",
    "ссылка на страницу вебинара]",
    "вебинар бетінің мекенжайы",
    "[заменит",
    "[замените",
    "[вставьте",
    "[укажите",
    "lorem ipsum",
    "ваш-сайт",
    "your-site",
    "todo:",
];

/// The placeholders a template the partner wrote may use: those bxland fills in the text it
/// overrides (the catalog's slots of that text); `None` when the piece is no template.
fn template_slots(piece: &TextPiece) -> Option<Vec<&'static str>> {
    Some(catalog::slots_of(&template_group(piece)?))
}

/// The catalog group of the text a partner's template overrides (see [`template_slots`]):
/// the only thing about a text's key that changes what `text.placeholder` finds in it.
pub fn template_group(piece: &TextPiece) -> Option<String> {
    piece.span.as_ref()?;
    let key = piece.key.as_str();
    if key.starts_with("registration.confirmation_email.") {
        Some("mail.confirmation".to_string())
    } else if let Some(rest) = key.strip_prefix("mailings.mail.") {
        Some(format!("mail.{}", rest.split('.').next().unwrap_or("")))
    } else if key.starts_with("announcement.cold_") {
        Some("cold".to_string())
    } else {
        None
    }
}

/// Every slot in a piece: template markup and slot phrases, in order.
fn slots(piece: &TextPiece, template: Option<&[&str]>) -> Vec<Range<usize>> {
    let mut found = markup_slots(piece.text, template);
    found.extend(phrase_slots(piece));
    found.sort_by_key(|r| r.start);
    found.dedup_by(|b, a| b.start < a.end);
    found
}

/// The template markup left in `text`: `{{ … }}` (but the placeholders bxland fills, in a
/// partner's template: `template`) and `#MACRO#`.
fn markup_slots(text: &str, template: Option<&[&str]>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // `{{ name }}`, or an unclosed `{{` / a stray `}}`.
    let mut at = 0;
    while let Some(open) = find_doubled(&text[at..], b'{').map(|i| at + i) {
        match find_doubled(&text[open..], b'}').map(|i| open + i + 2) {
            Some(end) => {
                let name = text[open + 2..end - 2].trim();
                if !template.is_some_and(|known| known.contains(&name)) {
                    out.push(open..end);
                }
                at = end;
            }
            None => {
                out.push(open..open + 2);
                break;
            }
        }
    }
    if out.is_empty() && template.is_none() {
        if let Some(close) = find_doubled(text, b'}') {
            out.push(close..close + 2);
        }
    }
    // `#MACRO#`: capitals, digits and underscores between two hashes.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' {
            let start = i;
            let mut j = i + 1;
            while j < bytes.len()
                && (bytes[j].is_ascii_uppercase()
                    || bytes[j] == b'_'
                    || (j > i + 1 && bytes[j].is_ascii_digit()))
            {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'#' && j - start >= 3 {
                out.push(start..j + 1);
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The slot phrases in a piece («адрес страницы вебинара», «[замените …]»), bracketed ones
/// to their closing bracket. The piece's lowered text is shared with the other rules.
fn phrase_slots(piece: &TextPiece) -> Vec<Range<usize>> {
    static PHRASES: Phrases = Phrases::new(SLOT_PHRASES);
    let text = piece.text;
    let mut out = Vec::new();
    for (r, phrase) in piece.find_each_ci(&PHRASES) {
        // To the closing bracket, when the slot is bracketed.
        let end = if phrase.starts_with('[') {
            text[r.start..].find(']').map_or(r.end, |e| r.start + e + 1)
        } else {
            r.end
        };
        out.push(r.start..end);
    }
    out
}

pub fn check(ctx: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Without a readable date bxland's own texts keep their date placeholders unfilled:
    // `event.date` reports the cause, and they are not reported again here.
    let date_unknown = !ctx.date_known;
    let template = match template_slots(piece) {
        Some(known) => Some(known),
        // bxland's own texts with their date slots left unfilled: reported as `event.date`.
        None if date_unknown && piece.span.is_none() => Some(catalog::slots_of("")),
        None => None,
    };
    for range in slots(piece, template.as_deref()) {
        let written = piece.text[range.clone()].to_string();
        out.push(
            Diagnostic::new(
                "text.placeholder",
                t!(
                    "в тексте осталась заготовка вместо значения: «{written}»",
                    "a placeholder is left in the text: \"{written}\""
                ),
            )
            .at(piece.local(range))
            .help(t!(
                "напишите вместо неё настоящее значение (адрес страницы — в [event] page_url); в шаблонах писем допустимы только {{{{ event.title }}}}, {{{{ event.date }}}}, {{{{ event.url }}}}, {{{{ first_name }}}} и другие из README",
                "write the real value instead (the page address goes to [event] page_url); mail templates may only use the placeholders listed in the README"
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, template: bool) -> Vec<&str> {
        found_in(text, template.then_some("mail.confirmation"))
    }

    fn found_in<'a>(text: &'a str, template: Option<&str>) -> Vec<&'a str> {
        let piece = TextPiece::new(text, None, "k", false, crate::rules::TextRole::Page);
        let known = template.map(catalog::slots_of);
        slots(&piece, known.as_deref())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn finds_every_kind_of_slot() {
        assert_eq!(
            found("Страница вебинара: адрес страницы вебинара", false),
            ["адрес страницы вебинара"]
        );
        assert_eq!(
            found("Здравствуйте, {{ first_name }}!", false),
            ["{{ first_name }}"]
        );
        assert_eq!(
            found("Здравствуйте, {{ first_name }}!", true),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("Здравствуйте, {{ frist_name }}!", true),
            ["{{ frist_name }}"]
        );
        // A placeholder bxland fills elsewhere, but not in this template.
        assert_eq!(
            found("Отказ: {{ reason }}, {{ event.when }}", true),
            ["{{ reason }}", "{{ event.when }}"]
        );
        assert!(found_in("Отказ: {{ reason }}", Some("mail.rejected")).is_empty());
        assert!(found_in("Уже {{ event.soon_lc }}", Some("mail.day-before")).is_empty());
        assert_eq!(found("Ваш e-mail: #EMAIL#.", false), ["#EMAIL#"]);
        assert_eq!(
            found("Регистрация: [ЗАМЕНИТЕ на ссылку] — ждём", false),
            ["[ЗАМЕНИТЕ на ссылку]"]
        );
        // Not slots: a hashtag, a heading, a number sign, a Markdown link.
        assert!(found("#вебинар #CRM и № 5, # Заголовок", false).is_empty());
        assert!(found(
            "[Ссылка на запись](https://x.kz/r) и [URL](https://x.kz)",
            false
        )
        .is_empty());
    }
}
