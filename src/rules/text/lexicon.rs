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

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::tokens::{is_word_char, key, Word};

const MASC: &[&str] = &["", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"];
const FEM: &[&str] = &["а", "ы", "и", "е", "у", "ой", "ою", "", "ам", "ами", "ах"];
const FEM_SOFT: &[&str] = &["я", "и", "е", "ю", "ей", "ею", "ь", "й", "ям", "ями", "ях"];
const ADJ: &[&str] = &[
    "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им",
    "ом", "ем", "ую", "юю", "ых", "их", "ыми", "ими", "ей", "ою", "ею",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Endings {
    Exact,
    /// Folded endings, built once per declension (shared by every pattern using it).
    Set(&'static [String]),
    Prefix,
}

#[derive(Debug, Clone)]
struct Token {
    stem: String,
    endings: Endings,
    capital: bool,
}

impl Token {
    fn matches(&self, w: &Word) -> bool {
        let Some(rest) = w.key.strip_prefix(self.stem.as_str()) else {
            return false;
        };
        let ending_ok = match &self.endings {
            Endings::Exact => rest.is_empty(),
            Endings::Prefix => true,
            Endings::Set(set) => set.iter().any(|e| e == rest),
        };
        ending_ok && (!self.capital || w.is_capitalised())
    }
}

/// One spelling, compiled.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub spelling: String,
    tokens: Vec<Token>,
}

impl Pattern {
    pub fn parse(spelling: &str) -> Result<Pattern, String> {
        let mut tokens = Vec::new();
        for part in spelling.split([' ', '-', '.']).filter(|p| !p.is_empty()) {
            let (word, endings) = match part.split_once('~') {
                None => (part, Endings::Exact),
                Some((w, "m")) => (w, set(&SETS[0], MASC)),
                Some((w, "f")) => (w, set(&SETS[1], FEM)),
                Some((w, "y")) => (w, set(&SETS[2], FEM_SOFT)),
                Some((w, "a")) => (w, set(&SETS[3], ADJ)),
                Some((w, "*")) => (w, Endings::Prefix),
                Some((_, m)) => return Err(format!("«{spelling}»: unknown declension mark ~{m}")),
            };
            if word.is_empty() || !word.chars().all(is_word_char) {
                return Err(format!(
                    "«{spelling}»: «{word}» is not a word (letters and digits only)"
                ));
            }
            tokens.push(Token {
                stem: key(word),
                endings,
                capital: word.chars().next().is_some_and(char::is_uppercase),
            });
        }
        if tokens.is_empty() {
            return Err(format!("«{spelling}» is empty"));
        }
        Ok(Pattern {
            spelling: spelling.to_string(),
            tokens,
        })
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

static SETS: [std::sync::OnceLock<Vec<String>>; 4] = [const { std::sync::OnceLock::new() }; 4];

fn set(cell: &'static std::sync::OnceLock<Vec<String>>, endings: &[&str]) -> Endings {
    Endings::Set(cell.get_or_init(|| endings.iter().map(|e| key(e)).collect()))
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
#[derive(Debug)]
pub struct Lexicon<T> {
    entries: Vec<(Pattern, T)>,
    /// First word's stem → entries. Looked up for every prefix of every word of every text,
    /// hence the fast hasher and the stem lengths below.
    index: FxHashMap<String, Vec<usize>>,
    /// The byte lengths of the first words' stems, ascending: the only prefixes worth a lookup.
    stem_lens: Vec<usize>,
}

impl<T> Default for Lexicon<T> {
    fn default() -> Self {
        Lexicon {
            entries: Vec::new(),
            index: FxHashMap::default(),
            stem_lens: Vec::new(),
        }
    }
}

impl<T> Lexicon<T> {
    pub fn add(&mut self, spelling: &str, payload: T) -> Result<(), String> {
        let pattern = Pattern::parse(spelling)?;
        let len = pattern.tokens[0].stem.len();
        if let Err(at) = self.stem_lens.binary_search(&len) {
            self.stem_lens.insert(at, len);
        }
        self.index
            .entry(pattern.tokens[0].stem.clone())
            .or_default()
            .push(self.entries.len());
        self.entries.push((pattern, payload));
        Ok(())
    }

    /// A lexicon of fixed spellings; panics on a malformed one (a bug in the source).
    pub fn of(spellings: &[&str], payload: impl Fn(&str) -> T) -> Self {
        let mut lex = Lexicon::default();
        for s in spellings {
            if let Err(e) = lex.add(s, payload(s)) {
                panic!("{e}");
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
            let prefixes = self.stem_lens.iter().take_while(|&&b| b <= w.key.len());
            for &b in prefixes.filter(|&&b| w.key.is_char_boundary(b)) {
                let Some(candidates) = self.index.get(&w.key[..b]) else {
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
    fn bad_spellings_are_refused() {
        assert!(Pattern::parse("foo~q").is_err());
        assert!(Pattern::parse("a+b").is_err());
        assert!(Pattern::parse("  ").is_err());
    }
}
