//! Names and phrases matched against the words of a text, through Russian inflection and
//! mixed Latin/Cyrillic spelling.
//!
//! A spelling is written as words separated by spaces, hyphens or dots (`monday.com`,
//! `яндекс формы`); in the text the words may stand apart by spaces, hyphens, dots, quotes or
//! a dash, never across a sentence. A word may end in a declension mark, and then it is a stem:
//!
//! | mark | endings | example |
//! |---|---|---|
//! | `~m` | «», а, у, ом, е, ы, ов, ам, ами, ах | `мегаплан~m`: «из Мегаплана» |
//! | `~f` | а, ы, и, е, у, ой, ою, «», ам, ами, ах | `тильд~f`: «с Тильды» |
//! | `~y` | я, и, е, ю, ей, ею, ь | `конференци~y` |
//! | `~a` | adjective endings (ый, ая, ое, ого, ому, ым, ую, ых …) | `официальн~a` |
//! | `~*` | anything: a prefix | `промокод~*` |
//!
//! A spelling with capital letters is case-sensitive for the words it capitalises: `Пачка` is
//! the messenger, «пачка» is a pack.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

pub use super::spelling::Endings;
use super::spelling::{key, spelling_words};
use super::tokens::Word;

const MASC: &[&str] = &["", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"];
const FEM: &[&str] = &["а", "ы", "и", "е", "у", "ой", "ою", "", "ам", "ами", "ах"];
const FEM_SOFT: &[&str] = &["я", "и", "е", "ю", "ей", "ею", "ь", "й", "ям", "ями", "ях"];
const ADJ: &[&str] = &[
    "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им",
    "ом", "ем", "ую", "юю", "ых", "их", "ыми", "ими", "ей", "ою", "ею",
];

impl Endings {
    /// Folded endings, built once per declension (shared by every pattern using it).
    fn set(self) -> &'static [String] {
        static SETS: [OnceLock<Vec<String>>; 4] = [const { OnceLock::new() }; 4];
        let (cell, endings) = match self {
            Endings::Masc => (&SETS[0], MASC),
            Endings::Fem => (&SETS[1], FEM),
            Endings::FemSoft => (&SETS[2], FEM_SOFT),
            Endings::Adj => (&SETS[3], ADJ),
            Endings::Exact | Endings::Prefix => return &[],
        };
        cell.get_or_init(|| endings.iter().map(|e| key(e)).collect())
    }
}

/// One word of a spelling: its [`key`] (a stem when it takes endings), and whether it is
/// case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    stem: Cow<'static, str>,
    endings: Endings,
    capital: bool,
}

impl Token {
    /// A word compiled ahead of time (by `build.rs`): `stem` must already be a [`key`].
    pub const fn compiled(stem: &'static str, endings: Endings, capital: bool) -> Token {
        Token {
            stem: Cow::Borrowed(stem),
            endings,
            capital,
        }
    }

    pub(crate) fn matches(&self, w: &Word) -> bool {
        let Some(rest) = w.key.strip_prefix(&*self.stem) else {
            return false;
        };
        let ending_ok = match self.endings {
            Endings::Exact => rest.is_empty(),
            Endings::Prefix => true,
            set => set.set().iter().any(|e| e == rest),
        };
        ending_ok && (!self.capital || w.is_capitalised())
    }
}

/// One spelling, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub spelling: Cow<'static, str>,
    tokens: Cow<'static, [Token]>,
}

impl Pattern {
    pub fn parse(spelling: &str) -> Result<Pattern, String> {
        Ok(Pattern {
            spelling: Cow::Owned(spelling.to_string()),
            tokens: Cow::Owned(parse_tokens(spelling)?),
        })
    }

    /// [`Pattern::parse`] of a spelling that lives as long as the program (no copy of it).
    pub fn parse_static(spelling: &'static str) -> Result<Pattern, String> {
        Ok(Pattern {
            spelling: Cow::Borrowed(spelling),
            tokens: Cow::Owned(parse_tokens(spelling)?),
        })
    }

    /// A spelling compiled ahead of time (by `build.rs`): what [`Pattern::parse`] would make
    /// of `spelling`.
    pub const fn compiled(spelling: &'static str, tokens: &'static [Token]) -> Pattern {
        Pattern {
            spelling: Cow::Borrowed(spelling),
            tokens: Cow::Borrowed(tokens),
        }
    }

    /// Whether any of its words is case-sensitive.
    pub fn has_capitals(&self) -> bool {
        self.tokens.iter().any(|t| t.capital)
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

fn parse_tokens(spelling: &str) -> Result<Vec<Token>, String> {
    Ok(spelling_words(spelling)?
        .into_iter()
        .map(|w| Token {
            stem: Cow::Owned(w.key),
            endings: w.endings,
            capital: w.capital,
        })
        .collect())
}

/// A match: the words `words` of the text, bytes `range`, and what was matched.
#[derive(Debug)]
pub struct Hit<'l, T> {
    pub words: Range<usize>,
    pub range: Range<usize>,
    pub pattern: &'l Pattern,
    pub payload: &'l T,
}

/// A set of spellings, each with a payload (the product it names, the phrase's kind).
#[derive(Debug, PartialEq)]
pub struct Lexicon<T> {
    entries: Vec<(Pattern, T)>,
    /// The [`head`] of the first word's stem → entries. Looked up for every word of every
    /// text: one lookup of a number per word finds every stem the word may begin with (a
    /// lookup per stem length, of a string, cost several times more).
    index: FxHashMap<u64, Candidates>,
    /// A bit per [`head`] in `index` (1,024 bits, by [`head_bit`]): most words start with no
    /// stem of a small lexicon, and a bit test turns them away before the hash look-up.
    heads: [u64; 16],
    /// Some first stem is one character long: words are looked up by their first character
    /// too.
    short_stems: bool,
}

/// What a lexicon indexes its spellings by: the first two characters of the first word's
/// stem, or its only one. A word can begin with a stem only if it has the stem's head.
fn head(first: char, second: Option<char>) -> u64 {
    // A key never holds U+0000, so 0 stands for «no second character».
    (u64::from(first) << 32) | second.map_or(0, u64::from)
}

/// The bit of [`Lexicon::heads`] that stands for `head`: its top 10 bits after a
/// multiplicative hash.
fn head_bit(head: u64) -> (usize, u64) {
    let h = (head.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize;
    (h / 64, 1 << (h % 64))
}

impl<T> Default for Lexicon<T> {
    fn default() -> Self {
        Lexicon::with_capacity(0)
    }
}

impl<T> Lexicon<T> {
    /// An empty lexicon with room for `n` spellings.
    pub fn with_capacity(n: usize) -> Self {
        Lexicon {
            entries: Vec::with_capacity(n),
            index: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            heads: [0; 16],
            short_stems: false,
        }
    }

    pub fn add(&mut self, spelling: &str, payload: T) -> Result<(), String> {
        self.push(Pattern::parse(spelling)?, payload);
        Ok(())
    }

    /// Adds a spelling already compiled (see [`Pattern::compiled`]).
    pub fn push(&mut self, pattern: Pattern, payload: T) {
        let mut stem = pattern.tokens[0].stem.chars();
        let first = stem.next().expect("a spelling's word is not empty");
        let second = stem.next();
        self.short_stems |= second.is_none();
        let e = self.entries.len();
        let h = head(first, second);
        let (word, bit) = head_bit(h);
        self.heads[word] |= bit;
        self.index
            .entry(h)
            .and_modify(|c| c.push(e))
            .or_insert(Candidates::One(e));
        self.entries.push((pattern, payload));
    }

    /// A lexicon of spellings compiled ahead of time (by `build.rs`).
    pub fn compiled(patterns: &'static [Pattern]) -> Self
    where
        T: Default,
    {
        let mut lex = Lexicon::with_capacity(patterns.len());
        for p in patterns {
            lex.push(p.clone(), T::default());
        }
        lex
    }

    /// A lexicon of fixed spellings; panics on a malformed one (a bug in the source).
    pub fn of(spellings: &[&'static str], payload: impl Fn(&str) -> T) -> Self {
        let mut lex = Lexicon::with_capacity(spellings.len());
        for s in spellings {
            match Pattern::parse_static(s) {
                Ok(p) => lex.push(p, payload(s)),
                Err(e) => panic!("{e}"),
            }
        }
        lex
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every match in `words` (of `text`), longest first where they overlap, in text order.
    pub fn find<'l>(&'l self, text: &str, words: &[Word]) -> Vec<Hit<'l, T>> {
        without_overlaps(self.find_all(text, words), |h| h.words.clone())
    }

    /// Every match, overlapping ones included, by start, then longest first, then entry.
    pub fn find_all<'l>(&'l self, text: &str, words: &[Word]) -> Vec<Hit<'l, T>> {
        let mut all: Vec<(usize, usize, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let [first, second] = w.key_head;
            if first == '\0' {
                continue;
            }
            let second = (second != '\0').then_some(second);
            // The stems of two characters or more that the word may begin with, and those of
            // its first character alone.
            let heads = [
                second.map(|c| head(first, Some(c))),
                self.short_stems.then(|| head(first, None)),
            ];
            for h in heads.into_iter().flatten() {
                let (word, bit) = head_bit(h);
                if self.heads[word] & bit == 0 {
                    continue;
                }
                let Some(candidates) = self.index.get(&h) else {
                    continue;
                };
                for &e in candidates {
                    let tokens = &self.entries[e].0.tokens;
                    if i + tokens.len() > words.len() {
                        continue;
                    }
                    let ok = tokens.iter().enumerate().all(|(k, t)| {
                        let w = &words[i + k];
                        t.matches(w) && (k == 0 || joined(text, &words[i + k - 1], w))
                    });
                    if ok {
                        all.push((i, i + tokens.len(), e));
                    }
                }
            }
        }
        all.sort_by_key(|&(i, j, e)| (i, usize::MAX - j, e));
        all.into_iter()
            .map(|(i, j, e)| {
                let (pattern, payload) = &self.entries[e];
                Hit {
                    words: i..j,
                    range: words[i].range.start..words[j - 1].range.end,
                    pattern,
                    payload,
                }
            })
            .collect()
    }
}

/// The entries whose first word has one stem, in the order added: most stems start one
/// spelling only, and those need no list of their own.
#[derive(Debug, PartialEq)]
enum Candidates {
    One(usize),
    Many(Vec<usize>),
}

impl Candidates {
    fn push(&mut self, e: usize) {
        match self {
            Candidates::One(first) => *self = Candidates::Many(vec![*first, e]),
            Candidates::Many(list) => list.push(e),
        }
    }
}

impl<'a> IntoIterator for &'a Candidates {
    type Item = &'a usize;
    type IntoIter = std::slice::Iter<'a, usize>;

    fn into_iter(self) -> Self::IntoIter {
        match self {
            Candidates::One(e) => std::slice::from_ref(e).iter(),
            Candidates::Many(list) => list.iter(),
        }
    }
}

/// Of overlapping word spans, the one that starts first, and of those the longest; the
/// rest in text order. The spans kept, without repeats.
pub fn longest_first(spans: impl IntoIterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut all: Vec<Range<usize>> = spans.into_iter().collect();
    all.sort_by_key(|r| (r.start, usize::MAX - r.end));
    without_overlaps(all, Range::clone)
}

/// Keeps, of items sorted by start and then longest first, each one that does not overlap
/// the one kept before it (so of equal spans, the first).
fn without_overlaps<T>(
    sorted: impl IntoIterator<Item = T>,
    span: impl Fn(&T) -> Range<usize>,
) -> Vec<T> {
    let mut taken_to = 0;
    sorted
        .into_iter()
        .filter(|item| {
            let r = span(item);
            let free = r.start >= taken_to;
            if free {
                taken_to = r.end;
            }
            free
        })
        .collect()
}

/// Whether two neighbouring words belong to one name or phrase: only spaces, a hyphen or a
/// dash, a glued dot, quotes, a comma or a colon between them, and no new sentence.
pub fn joined(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.range.end..b.range.start];
    // A quotation opens a sentence of its own, but «вебинар от «1С-Битрикс»» is one phrase.
    let new_sentence = b.sentence_start && !gap.trim_end().ends_with(['«', '„', '“', '"']);
    !new_sentence
        && gap.chars().count() <= 5
        && !gap.contains("\n\n")
        && gap
            .chars()
            .all(|c| c.is_whitespace() || "-–—.,«»\"'’“”„_/:".contains(c))
        && (!gap.contains('.') || gap == ".")
}

/// Test support for the word lists `build.rs` compiles from `*_words.rs`: each compiled list
/// is the lexicon its words make when read at run time, and the comparison tells lexicons
/// apart (the list less its first pattern is another lexicon).
#[cfg(test)]
pub(crate) fn assert_compiled_from(lists: &[(&'static [Pattern], &'static [&'static str])]) {
    for &(compiled, words) in lists {
        let read = Lexicon::of(words, |_| ());
        assert_eq!(
            Lexicon::<()>::compiled(compiled),
            read,
            "{:?}",
            words.first()
        );
        assert_ne!(
            Lexicon::compiled(&compiled[1..]),
            read,
            "{:?}",
            words.first()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::words;
    use super::*;

    fn found(lex: &Lexicon<()>, text: &str) -> Vec<String> {
        let ws = words(text, false);
        lex.find(text, &ws)
            .into_iter()
            .map(|h| text[h.range].to_string())
            .collect()
    }

    #[test]
    fn stems_take_their_endings_only() {
        let lex = Lexicon::of(&["мегаплан~m", "тильд~f", "monday.com"], |_| ());
        assert_eq!(
            found(&lex, "перешли из Мегаплана и с Тильды"),
            ["Мегаплана", "Тильды"]
        );
        assert_eq!(
            found(&lex, "мегапланировщик, тильдовый"),
            Vec::<String>::new()
        );
        assert_eq!(found(&lex, "see monday.com, not Monday"), ["monday.com"]);
        assert_eq!(found(&lex, "из Мeгаплaнa"), ["Мeгаплaнa"]);
    }

    #[test]
    fn capitals_make_a_spelling_case_sensitive() {
        let lex = Lexicon::of(&["Пачк~f"], |_| ());
        assert_eq!(found(&lex, "общаемся в Пачке"), ["Пачке"]);
        assert!(found(&lex, "пачка бумаги").is_empty());
    }

    #[test]
    fn longest_match_wins_and_sentences_split_phrases() {
        let lex = Lexicon::of(&["zoho", "zoho crm"], |_| ());
        assert_eq!(found(&lex, "в Zoho CRM"), ["Zoho CRM"]);
        let lex = Lexicon::of(&["яндекс формы"], |_| ());
        assert!(found(&lex, "Яндекс. Формы").is_empty());
        assert_eq!(found(&lex, "Яндекс.Формы"), ["Яндекс.Формы"]);
    }

    #[test]
    fn compiled_patterns_equal_parsed_ones() {
        const TOKENS: &[Token] = &[
            Token::compiled("mega", Endings::Exact, false),
            Token::compiled("плah", Endings::Masc, true),
        ];
        let parsed = Pattern::parse("mega План~m").unwrap();
        assert_eq!(Pattern::compiled("mega План~m", TOKENS), parsed);
        assert_eq!(Pattern::parse_static("mega План~m").unwrap(), parsed);
        assert_ne!(Pattern::compiled("mega план~m", TOKENS), parsed);
    }

    #[test]
    fn bad_spellings_are_refused() {
        assert!(Pattern::parse("foo~q").is_err());
        assert!(Pattern::parse("a+b").is_err());
        assert!(Pattern::parse("  ").is_err());
    }
}
