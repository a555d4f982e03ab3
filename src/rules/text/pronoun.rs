//! `text.pronoun-case` (Посадочная 8): advertising text addresses many people, so «вы» and
//! «ваш» in every case and gender are lowercase in the middle of a sentence.

use crate::diag::Diagnostic;
use crate::event::Event;
use crate::rules::Ctx;
use crate::t;

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

pub fn is_pronoun(word: &str) -> bool {
    let lower = word.to_lowercase();
    FORMS.contains(&lower.as_str())
}

/// Byte ranges of capitalised pronouns that stand in the middle of a sentence.
pub fn find_mid_sentence(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch.is_alphabetic() {
            let mut end = i + ch.len_utf8();
            while let Some(&(j, c)) = chars.peek() {
                if c.is_alphanumeric() || c == '-' {
                    end = j + c.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let word = &text[i..end];
            if !sentence_start && ch.is_uppercase() && is_pronoun(word) {
                out.push(i..end);
            }
            sentence_start = false;
        } else if matches!(ch, '.' | '!' | '?' | '…') {
            sentence_start = true;
        } else if ch == '\n' {
            // A blank line, a list item or a heading starts a sentence in Markdown.
            let rest = &text[i + 1..];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if rest.starts_with('\n')
                || trimmed.starts_with(['-', '*', '#', '>', '|'])
                || trimmed.starts_with(|c: char| c.is_ascii_digit())
            {
                sentence_start = true;
            }
        } else if ch == ':' {
            // «Внимание: Вы …» continues the sentence.
        }
    }
    out
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for range in find_mid_sentence(&piece.text) {
            let word = &piece.text[range.clone()];
            let lower = word.to_lowercase();
            out.push(
                Diagnostic::error("text.pronoun-case", t!("«{word}» в середине предложения пишется со строчной буквы", "\"{word}\" mid-sentence is written in lowercase"))
                    .at(piece.span_of(&ctx.event.sources, range))
                    .help(t!("замените на «{lower}»: текст обращён ко множеству читателей (исправит `bxland check --fix`)", "write \"{lower}\" (`bxland check --fix` does it)")),
            );
        }
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

/// Lower-cases the first letter of every pronoun that `text.pronoun-case` reported in
/// `event.toml`, leaving every other byte of the file as it was.
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
        .filter(|s| s.end <= file.text.len())
        .collect();
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    for span in spans.into_iter().rev() {
        let word = &file.text[span.clone()];
        if !is_pronoun(word) || !word.starts_with(char::is_uppercase) {
            continue; // written with an escape: leave it for the person
        }
        let first = word.chars().next().unwrap_or_default();
        let lower: String = first.to_lowercase().collect();
        if lower.len() != first.len_utf8() {
            continue;
        }
        let (line, column) = file.line_col(span.start);
        fixes.push(PronounFix {
            line,
            column,
            from: word.to_string(),
            to: format!("{lower}{}", &word[first.len_utf8()..]),
        });
        text.replace_range(span.start..span.start + first.len_utf8(), &lower);
    }
    fixes.reverse();
    (text, fixes)
}
