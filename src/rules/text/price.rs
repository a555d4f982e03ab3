//! Money in a text: a sum with a currency («5 000 ₸», «$50», «2 тыс. тенге»), a price without
//! one («стоимость — 5000»), and words that make attendance paid. Shared by `text.sales`
//! (a price is selling) and `event.free` (a price of attendance).
//!
//! The spellings are in `price_words.rs`, which `build.rs` compiles into the lexicons.

use std::ops::Range;
use std::sync::OnceLock;

use super::lexicon::Lexicon;
use super::tokens::{words, Word};

// The word lists of `price_words.rs`, as `build.rs` compiled them.
mod compiled {
    use crate::rules::text::lexicon::{Endings, Pattern, Token};

    include!(concat!(env!("OUT_DIR"), "/price.rs"));
}

/// A price found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    /// From the first digit (or the currency sign before it) to the end of the currency.
    pub range: Range<usize>,
    /// The sentence speaks of attending: participation, a ticket, access, the recording.
    pub attendance: bool,
}

/// Currency signs, before or after the number.
const SIGNS: &[char] = &['₸', '₽', '$', '€', '£'];

struct Lexicons {
    currency: Lexicon<()>,
    multiplier: Lexicon<()>,
    price_words: Lexicon<()>,
    attendance: Lexicon<()>,
    figures: Lexicon<()>,
    paid: Lexicon<()>,
}

fn lex() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| Lexicons {
        currency: Lexicon::compiled(&compiled::CURRENCY_WORDS),
        multiplier: Lexicon::compiled(&compiled::MULTIPLIERS),
        price_words: Lexicon::compiled(&compiled::PRICE_WORDS),
        attendance: Lexicon::compiled(&compiled::ATTENDANCE),
        figures: Lexicon::compiled(&compiled::FIGURES),
        paid: Lexicon::compiled(&compiled::PAID),
    })
}

fn is_number(w: &Word) -> bool {
    w.text.chars().all(|c| c.is_ascii_digit())
}

fn one(lex: &Lexicon<()>, text: &str, w: &[Word]) -> bool {
    lex.find(text, w)
        .first()
        .is_some_and(|h| h.words.start == 0)
}

/// The words of the sentence holding word `i`.
fn sentence<'a, 't>(ws: &'a [Word<'t>], i: usize) -> &'a [Word<'t>] {
    let start = ws[..=i].iter().rposition(|w| w.sentence_start).unwrap_or(0);
    let end = ws[i + 1..]
        .iter()
        .position(|w| w.sentence_start)
        .map_or(ws.len(), |p| i + 1 + p);
    &ws[start..end]
}

/// Every price in `text`.
pub fn find_prices(text: &str, markdown: bool) -> Vec<Price> {
    prices_in(text, &words(text, markdown))
}

/// [`find_prices`] over words already read from `text`.
pub fn prices_in(text: &str, ws: &[Word]) -> Vec<Price> {
    let l = lex();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if !is_number(&ws[i]) || ws[i].in_url {
            i += 1;
            continue;
        }
        // «5 000», «1 500,50», «2.5»: digit groups.
        let mut j = i + 1;
        while j < ws.len()
            && is_number(&ws[j])
            && matches!(
                &text[ws[j - 1].range.end..ws[j].range.start],
                " " | "\u{a0}" | "\u{202f}" | "\u{2009}" | "," | "."
            )
        {
            j += 1;
        }
        let mut end = ws[j - 1].range.end;
        let mut start = ws[i].range.start;
        // A sign right before: «$50», «₸ 5000».
        let before = text[..start].trim_end_matches([' ', '\u{a0}']);
        let sign_before = before.ends_with(SIGNS);
        if sign_before {
            start = before.len() - before.chars().next_back().map_or(0, char::len_utf8);
        }
        if j < ws.len() && one(&l.multiplier, text, &ws[j..]) && near(text, end, &ws[j]) {
            end = ws[j].range.end;
            j += 1;
        }
        let after = &text[end..];
        let after_trim = after.trim_start_matches([' ', '\u{a0}', '\u{202f}', '.']);
        let mut currency = sign_before;
        if after_trim.starts_with(SIGNS) {
            let sign = after_trim.chars().next().map_or(0, char::len_utf8);
            end = text.len() - after_trim.len() + sign;
            currency = true;
        } else if j < ws.len() && near(text, end, &ws[j]) && one(&l.currency, text, &ws[j..]) {
            // «р» alone is a currency only as «р.» after a number.
            let w = &ws[j];
            if w.key != "p" || text[w.range.end..].starts_with('.') {
                end = w.range.end;
                currency = true;
            }
        }
        let sent = sentence(ws, i);
        let price_word = {
            let from = ws[..i].len().saturating_sub(3);
            !l.price_words.find(text, &ws[from..i]).is_empty()
        };
        let attendance = !l.attendance.find(text, sent).is_empty();
        let figure = !l.figures.find(text, sent).is_empty();
        if (currency || price_word) && (attendance || !figure) {
            out.push(Price {
                range: start..end,
                attendance,
            });
        }
        i = j.max(i + 1);
    }
    out
}

fn near(text: &str, end: usize, w: &Word) -> bool {
    w.range.start >= end
        && w.range.start - end <= 3
        && text[end..w.range.start]
            .chars()
            .all(|c| c.is_whitespace() || c == '.')
}

/// Phrases that make attendance paid («стоимость участия», «платный вебинар»): byte ranges.
pub fn paid_phrases(text: &str, markdown: bool) -> Vec<Range<usize>> {
    paid_phrases_in(text, &words(text, markdown))
}

/// [`paid_phrases`] over words already read from `text`.
pub fn paid_phrases_in(text: &str, ws: &[Word]) -> Vec<Range<usize>> {
    lex()
        .paid
        .find(text, ws)
        .into_iter()
        .map(|h| h.range)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_lexicons_are_the_words() {
        mod words {
            include!("price_words.rs");
        }
        crate::rules::text::lexicon::assert_compiled_from(&[
            (&compiled::CURRENCY_WORDS, words::CURRENCY_WORDS),
            (&compiled::MULTIPLIERS, words::MULTIPLIERS),
            (&compiled::PRICE_WORDS, words::PRICE_WORDS),
            (&compiled::ATTENDANCE, words::ATTENDANCE),
            (&compiled::FIGURES, words::FIGURES),
            (&compiled::PAID, words::PAID),
        ]);
    }

    fn prices(text: &str) -> Vec<(&str, bool)> {
        find_prices(text, false)
            .into_iter()
            .map(|p| (&text[p.range], p.attendance))
            .collect()
    }

    #[test]
    fn sums_with_currency() {
        assert_eq!(
            prices("Лицензия всего 5 000 ₸ в месяц"),
            [("5 000 ₸", false)]
        );
        assert_eq!(prices("Тариф за $50"), [("$50", false)]);
        assert_eq!(prices("Участие — 3 тыс. тенге"), [("3 тыс. тенге", true)]);
        assert_eq!(prices("Внедрение от 150000 руб."), [("150000 руб", false)]);
        assert_eq!(prices("Стоимость пакета: 20000"), [("20000", false)]);
    }

    #[test]
    fn figures_times_and_counts_are_not_prices() {
        assert!(prices("Компания сэкономила 2 млн тенге за год").is_empty());
        assert!(prices("Начало в 10:00, 3 доклада, 45 минут, 2.5 часа").is_empty());
        assert!(prices("За 2 месяца 100 сделок").is_empty());
    }

    #[test]
    fn paid_attendance_phrases() {
        let t = "Стоимость участия уточняйте; это платный вебинар. Участие бесплатное.";
        let found: Vec<&str> = paid_phrases(t, false).into_iter().map(|r| &t[r]).collect();
        assert_eq!(found, ["Стоимость участия", "платный вебинар"]);
    }
}
