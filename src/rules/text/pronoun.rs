//! `text.pronoun-case` (Посадочная 8, Анонсирование 3).
//!
//! > Текст на посадочной странице — это рекламный текст, он обращен ко множественному числу.
//! > Поэтому местоимения «вы», «ваш» (во всех падежах и родах) в середине предложения пишутся
//! > с маленькой буквы.
//!
//! Where a sentence starts is decided by [`super::tokens`]: Markdown blocks, terminal
//! punctuation (not after `т. е.`, `ул.`, initials, inside numbers or links), quotations.

use std::ops::Range;

use super::tokens::{cyrillic_lower, is_cyrillic, key, key_chars, Word};
use crate::diag::Diagnostic;
use crate::event::Event;
use crate::rules::{PieceCtx, TextPiece};
use crate::t;

/// «вы» and «ваш» in every case and gender.
const FORMS: &[&str] = &[
    "вы",
    "вас",
    "вам",
    "вами",
    "ваш",
    "ваша",
    "ваше",
    "ваши",
    "вашего",
    "вашей",
    "вашему",
    "вашим",
    "вашем",
    "вашу",
    "вашею",
    "ваших",
    "вашими",
];

/// The form a word spells, whatever its case and look-alike Latin letters.
fn form_of(word: &str) -> Option<&'static str> {
    form_with_key(&key(word))
}

/// The form whose [`key`] is `k` (compared as it is folded, without making keys).
fn form_with_key(k: &str) -> Option<&'static str> {
    FORMS.iter().copied().find(|f| {
        let mut rest = k.chars();
        let mut same = true;
        key_chars(f, |c| same &= rest.next() == Some(c));
        same && rest.next().is_none()
    })
}

/// A pronoun capitalised where no sentence starts. Words in capitals throughout are emphasis
/// («ВЫ»), not the polite capital; a word with no Cyrillic letter at all («Bam») counts only
/// among Cyrillic words.
fn capitalised_mid_sentence(ws: &[Word], i: usize) -> bool {
    let w = &ws[i];
    if w.sentence_start || w.in_url || !w.is_capitalised() || w.is_all_caps() {
        return false;
    }
    if form_with_key(&w.key).is_none() {
        return false;
    }
    w.text.chars().any(is_cyrillic)
        || [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| ws.get(j))
            .any(Word::is_cyrillic)
}

/// Byte ranges of capitalised pronouns that stand in the middle of a sentence.
#[cfg(test)]
fn find_mid_sentence(text: &str, markdown: bool) -> Vec<Range<usize>> {
    mid_sentence_in(&super::tokens::words(text, markdown))
}

/// [`find_mid_sentence`] over words already read.
fn mid_sentence_in(ws: &[Word]) -> Vec<Range<usize>> {
    (0..ws.len())
        .filter(|&i| capitalised_mid_sentence(ws, i))
        .map(|i| ws[i].range.clone())
        .collect()
}

pub fn check(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for range in mid_sentence_in(piece.words()) {
        let word = &piece.text[range.clone()];
        let lower = form_of(word).unwrap_or_default();
        out.push(
            Diagnostic::new("text.pronoun-case", t!("«{word}» в середине предложения пишется со строчной буквы", "\"{word}\" in the middle of a sentence is written in lower case"))
                .at(piece.local(range))
                .help(t!("замените на «{lower}»: рекламный текст обращён ко множеству читателей (исправит `bxland check --fix`)", "write \"{lower}\": advertising text addresses many readers (`bxland check --fix` does it)")),
        );
    }
    out
}

/// One pronoun rewritten by `check --fix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PronounFix {
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

/// Rewrites in `event.toml` every pronoun that `text.pronoun-case` reported, to its plain
/// lower-case Cyrillic form («Вы» → «вы», «Bаш» with a Latin «B» → «ваш»), leaving every other
/// byte of the file as it was. Words the file spells with escapes (`\u0412ы`) are left for the
/// person to fix.
pub fn fix_pronouns(event: &Event, diagnostics: &[Diagnostic]) -> (String, Vec<PronounFix>) {
    let Some(file) = event.sources.primary() else {
        return (String::new(), vec![]);
    };
    let mut text = file.text.clone();
    let mut fixes = Vec::new();
    let mut spans: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.rule == "text.pronoun-case")
        .filter_map(|d| d.span.clone())
        .filter(|s| s.end <= file.text.len() && s.start < s.end)
        .collect();
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    for span in spans.into_iter().rev() {
        let Some(word) = file.text.get(span.clone()) else {
            continue;
        };
        let Some(form) = form_of(word) else {
            continue; // written with an escape: leave it for the person
        };
        let first = word.chars().next().unwrap_or_default();
        if cyrillic_lower(first).is_none() || word == form {
            continue;
        }
        let (line, column) = file.line_col(span.start);
        fixes.push(PronounFix {
            line,
            column,
            from: word.to_string(),
            to: form.to_string(),
        });
        text.replace_range(span, form);
    }
    fixes.reverse();
    (text, fixes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, md: bool) -> Vec<&str> {
        find_mid_sentence(text, md)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn every_form_mid_sentence() {
        for f in FORMS {
            let mut cap = f.to_string();
            cap.replace_range(..2, &f[..2].to_uppercase());
            let text = format!("Мы покажем, что {cap} ждёт.");
            assert_eq!(found(&text, false), [cap.as_str()], "{text}");
        }
    }

    #[test]
    fn sentence_starts_and_look_alikes() {
        assert!(found("Вы узнаете. Ваш отдел! Вам? Вами…", false).is_empty());
        assert_eq!(found("Покажем Bам и Bаш", false), ["Bам", "Bаш"]);
        assert!(found("ВЫ ПОЛУЧИТЕ ВАШ ПЛАН", false).is_empty());
        assert!(found("Ваши сделки", true).is_empty());
        assert_eq!(found("г. Алматы, ул. Абая, Вас ждём", false), ["Вас"]);
    }
}
