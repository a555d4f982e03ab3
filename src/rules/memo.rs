//! What the rules found in each text, kept for the rest of the process.
//!
//! Half the words an event delivers are bxland's own: the default mails, SMS, post and cards,
//! with the event's values masked. They are the same in most events of a batch (and on every
//! save under `serve`), and reading them into annotated words is most of what the text rules
//! cost; the four reminders of one event share their details, and the events of an agency's
//! series share speakers, consent and contacts. What a [`super::PieceCheck`] finds depends only
//! on the words, their role and Markdown flag, whether the date is known (see
//! [`super::PieceCtx`]), whether the text was written in `event.toml` and, for a partner's
//! mail template, which text it overrides: that is the key here. The findings are ranges in
//! the text; `rules::check` maps them into each event's own file.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use super::{TextPiece, TextRole};
use crate::diag::Diagnostic;

/// Enough for bxland's own texts and those of the last hundred or so events (about 2 MB);
/// past it the table starts again, so a long `serve` session or a huge batch cannot grow it
/// without end (16,384 kept 10 MB more at 1,000 events for no measurable gain).
const MAX_TEXTS: usize = 4096;

/// What the findings in a text depend on besides its words and template group.
#[derive(PartialEq, Eq, Hash, Clone, Copy)]
struct Flags {
    markdown: bool,
    role: TextRole,
    date_known: bool,
    written: bool,
}

/// What the findings in a text depend on, borrowed from the text being judged.
#[derive(PartialEq, Eq, Hash, Clone, Copy)]
struct KeyOf<'a> {
    text: &'a str,
    template: Option<&'a str>,
    flags: Flags,
}

/// [`KeyOf`], kept in the table.
struct Key {
    text: String,
    template: Option<String>,
    flags: Flags,
}

impl Key {
    fn view(&self) -> KeyOf<'_> {
        KeyOf {
            text: &self.text,
            template: self.template.as_deref(),
            flags: self.flags,
        }
    }
}

type Table = HashMap<u64, Vec<(Key, Arc<[Diagnostic]>)>>;

fn table() -> &'static Mutex<(Table, usize)> {
    static TABLE: OnceLock<Mutex<(Table, usize)>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new((HashMap::new(), 0)))
}

/// Forgets every text judged: the next check reads each text afresh, as a new process does
/// (`benches/rules_time.rs` times one event that way).
pub fn forget() {
    *table().lock().unwrap_or_else(|e| e.into_inner()) = (HashMap::new(), 0);
}

/// What `find` finds in `piece`, found once per process for each distinct key (see the module).
pub fn found_in(
    piece: &TextPiece,
    date_known: bool,
    find: impl FnOnce() -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let template = super::text::placeholder::template_group(piece);
    let key = KeyOf {
        text: piece.text,
        template: template.as_deref(),
        flags: Flags {
            markdown: piece.markdown,
            role: piece.role,
            date_known,
            written: piece.span.is_some(),
        },
    };
    let print = {
        let mut h = rustc_hash::FxHasher::default();
        key.hash(&mut h);
        h.finish()
    };
    {
        let guard = table().lock().unwrap_or_else(|e| e.into_inner());
        let kept = guard.0.get(&print).and_then(|bucket| {
            bucket
                .iter()
                .find(|(k, _)| k.view() == key)
                .map(|(_, found)| Arc::clone(found))
        });
        if let Some(found) = kept {
            return found.to_vec();
        }
    }
    // Found outside the lock: two threads may both judge a new text; the second keeps its own.
    let found = find();
    let mut guard = table().lock().unwrap_or_else(|e| e.into_inner());
    if guard.1 >= MAX_TEXTS {
        *guard = (HashMap::new(), 0);
    }
    guard.1 += 1;
    guard.0.entry(print).or_default().push((
        Key {
            text: key.text.to_string(),
            template: key.template.map(str::to_string),
            flags: key.flags,
        },
        found.clone().into(),
    ));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn judged(piece: &TextPiece, date_known: bool, calls: &Cell<u32>) -> Vec<Diagnostic> {
        found_in(piece, date_known, || {
            calls.set(calls.get() + 1);
            vec![Diagnostic::new(
                "text.sales",
                crate::i18n::Text::new(piece.text.to_string(), ""),
            )]
        })
    }

    #[test]
    fn a_generated_text_is_judged_once_per_role_markdown_and_date() {
        // A text no other test uses, so the process-wide table starts without it.
        let text = "memo test: скидка 17 % для первых 5 слушателей";
        let calls = Cell::new(0);
        let piece_as = |key: &'static str, markdown: bool, role: TextRole| {
            TextPiece::new(text, None, key, markdown, role)
        };
        let piece = piece_as("mailings/weekly (details)", true, TextRole::Mail);
        let first = judged(&piece, true, &calls);
        let again = judged(&piece, true, &calls);
        assert_eq!(calls.get(), 1, "the second look must come from the table");
        assert_eq!(first.len(), 1);
        assert_eq!(again[0].message.ru, first[0].message.ru);
        // Anything the rules may read besides the words makes it another text.
        judged(&piece, false, &calls);
        // The same words in another mail: the place is named by `rules::check`, not the rules.
        judged(
            &piece_as("mailings/day-of (details)", true, TextRole::Mail),
            true,
            &calls,
        );
        judged(
            &piece_as("mailings/weekly (details)", true, TextRole::FollowUp),
            true,
            &calls,
        );
        judged(
            &piece_as("mailings/weekly (details)", false, TextRole::Mail),
            true,
            &calls,
        );
        assert_eq!(calls.get(), 4);
    }
}
