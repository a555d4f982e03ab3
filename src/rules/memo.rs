//! What the rules found in each text bxland generated, kept for the rest of the process.
//!
//! Half the words an event delivers are bxland's own: the theme's strings and the default
//! mails, SMS, post and cards, with the event's values masked. They are the same in most events
//! of a batch (and on every save under `serve`), and reading them into annotated words is most
//! of what the text rules cost. What a [`super::PieceCheck`] finds depends only on the text,
//! its key, role and Markdown flag and whether the date is known (see [`super::PieceCtx`]), so
//! that is the key here. A text with a place in `event.toml` is never kept: its diagnostics
//! point into that file.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use super::{TextPiece, TextRole};
use crate::diag::Diagnostic;

/// Enough for bxland's own texts and those of the last hundred or so events (about 2 MB);
/// past it the table starts again, so a long `serve` session or a huge batch cannot grow it
/// without end (16,384 kept 10 MB more at 1,000 events for no measurable gain).
const MAX_TEXTS: usize = 4096;

#[derive(PartialEq, Eq, Hash)]
struct Key {
    text: String,
    markdown: bool,
    role: TextRole,
    date_known: bool,
    written: bool,
    template: Option<String>,
}

type Table = HashMap<u64, Vec<(Key, Arc<[Diagnostic]>)>>;

fn table() -> &'static Mutex<(Table, usize)> {
    static TABLE: OnceLock<Mutex<(Table, usize)>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new((HashMap::new(), 0)))
}

fn fingerprint(piece: &TextPiece, date_known: bool, template: &Option<String>) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    piece.text.hash(&mut h);
    piece.markdown.hash(&mut h);
    piece.role.hash(&mut h);
    date_known.hash(&mut h);
    piece.span.is_some().hash(&mut h);
    template.hash(&mut h);
    h.finish()
}

fn same(k: &Key, piece: &TextPiece, date_known: bool, template: &Option<String>) -> bool {
    k.text == piece.text
        && k.markdown == piece.markdown
        && k.role == piece.role
        && k.date_known == date_known
        && k.written == piece.span.is_some()
        && k.template == *template
}

/// Forgets every text judged: the next check reads each text afresh, as a new process does
/// (`benches/rules_time.rs` times one event that way).
pub fn forget() {
    *table().lock().unwrap_or_else(|e| e.into_inner()) = (HashMap::new(), 0);
}

/// What `find` finds in `piece`, found once per process for each distinct generated text.
pub fn found_in(
    piece: &TextPiece,
    date_known: bool,
    find: impl FnOnce() -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let template = super::text::placeholder::template_group(piece);
    let print = fingerprint(piece, date_known, &template);
    {
        let guard = table().lock().unwrap_or_else(|e| e.into_inner());
        let kept = guard.0.get(&print).and_then(|bucket| {
            bucket
                .iter()
                .find(|(k, _)| same(k, piece, date_known, &template))
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
            text: piece.text.to_string(),
            markdown: piece.markdown,
            role: piece.role,
            date_known,
            written: piece.span.is_some(),
            template,
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
        let piece = TextPiece::new(
            text,
            None,
            "mailings/weekly (details)",
            true,
            TextRole::Mail,
        );
        let first = judged(&piece, true, &calls);
        let again = judged(&piece, true, &calls);
        assert_eq!(calls.get(), 1, "the second look must come from the table");
        assert_eq!(first.len(), 1);
        assert_eq!(again[0].message.ru, first[0].message.ru);
        // Anything the rules may read besides the words makes it another text.
        judged(&piece, false, &calls);
        let other_key = TextPiece::new(
            text,
            None,
            "mailings/followup (details)",
            true,
            TextRole::Mail,
        );
        judged(&other_key, true, &calls);
        let other_role = TextPiece::new(
            text,
            None,
            "mailings/weekly (details)",
            true,
            TextRole::FollowUp,
        );
        judged(&other_role, true, &calls);
        let plain = TextPiece::new(
            text,
            None,
            "mailings/weekly (details)",
            false,
            TextRole::Mail,
        );
        judged(&plain, true, &calls);
        assert_eq!(calls.get(), 4);
    }
}
