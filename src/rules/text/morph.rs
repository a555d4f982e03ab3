//! The Russian lexicon of the text rules: every form of the words the rules and the annotator
//! need, with lemma, part of speech and grammemes (`data/lexicon/ru.tsv`, generated offline by
//! `tools/lexicon/generate.py` from OpenCorpora and compiled by `build.rs` into a table sorted
//! by the word's `key`). A word the lexicon lacks gets a guess from its
//! ending ([`guess`]): part of speech, case and number, no lemma.

use std::sync::OnceLock;

pub use super::grammar::{feat_bit, pos_bit};

mod table {
    include!(concat!(env!("OUT_DIR"), "/lexicon.rs"));
}

/// No lemma: a guessed analysis, a brand, a number.
pub const NO_LEMMA: u16 = u16::MAX;

/// One reading of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    pub lemma: u16,
    /// One bit of [`POS`].
    pub pos: u32,
    /// Bits of [`FEATS`].
    pub feats: u64,
}

impl Analysis {
    pub fn lemma_name(&self) -> Option<&'static str> {
        table::LEMMAS.get(usize::from(self.lemma)).copied()
    }
}

/// The readings the lexicon holds for a word's key; empty if it has none. One hash and,
/// mostly, one comparison (see `key_hash`).
pub fn lookup(key: &str) -> impl Iterator<Item = Analysis> + Clone {
    let k = key.as_bytes();
    let form = |e: &(u32, u32, u16, u32, u64)| &table::KEYS.as_bytes()[e.0 as usize..e.1 as usize];
    let mask = table::SLOTS.len() - 1;
    let mut h = super::grammar::key_hash(k) as usize & mask;
    let mut found = 0..0;
    loop {
        let slot = table::SLOTS[h];
        if slot == 0 {
            break;
        }
        let (from, to) = table::RANGES[slot as usize - 1];
        if form(&table::ENTRIES[from as usize]) == k {
            found = from as usize..to as usize;
            break;
        }
        h = (h + 1) & mask;
    }
    table::ENTRIES[found].iter().map(|e| Analysis {
        lemma: e.2,
        pos: e.3,
        feats: e.4,
    })
}

/// How many lemmas the lexicon holds.
pub fn lemma_count() -> usize {
    table::LEMMAS.len()
}

fn bits(names: &[&str]) -> u64 {
    names
        .iter()
        .filter_map(|n| feat_bit(n))
        .fold(0, |a, b| a | b)
}

fn pos(name: &str) -> u32 {
    pos_bit(name).expect("a part of speech of grammar.rs")
}

/// (ending, part of speech, grammemes), longest endings first.
const ENDINGS: &[(&str, &str, &[&str])] = &[
    ("ами", "NOUN", &["plur", "ablt"]),
    ("ями", "NOUN", &["plur", "ablt"]),
    ("ого", "ADJF", &["sing", "gent", "accs", "masc", "neut"]),
    ("его", "ADJF", &["sing", "gent", "accs", "masc", "neut"]),
    ("ому", "ADJF", &["sing", "datv", "masc", "neut"]),
    ("ему", "ADJF", &["sing", "datv", "masc", "neut"]),
    ("ыми", "ADJF", &["plur", "ablt"]),
    ("ых", "ADJF", &["plur", "gent", "accs", "loct"]),
    ("их", "ADJF", &["plur", "gent", "accs", "loct"]),
    ("ими", "ADJF", &["plur", "ablt"]),
    ("ться", "INFN", &[]),
    ("ть", "INFN", &[]),
    ("ешь", "VERB", &["sing", "2per"]),
    ("ишь", "VERB", &["sing", "2per"]),
    ("ете", "VERB", &["plur", "2per"]),
    ("ите", "VERB", &["plur", "2per", "impr"]),
    ("ает", "VERB", &["sing", "3per"]),
    ("яет", "VERB", &["sing", "3per"]),
    ("ует", "VERB", &["sing", "3per"]),
    ("ают", "VERB", &["plur", "3per"]),
    ("яют", "VERB", &["plur", "3per"]),
    ("уют", "VERB", &["plur", "3per"]),
    ("ах", "NOUN", &["plur", "loct"]),
    ("ях", "NOUN", &["plur", "loct"]),
    ("ам", "NOUN", &["plur", "datv"]),
    ("ям", "NOUN", &["plur", "datv"]),
    ("ов", "NOUN", &["plur", "gent"]),
    ("ев", "NOUN", &["plur", "gent"]),
    ("ом", "NOUN", &["sing", "ablt", "masc"]),
    ("ем", "NOUN", &["sing", "ablt", "masc"]),
    ("ый", "ADJF", &["sing", "nomn", "accs", "masc"]),
    ("ий", "ADJF", &["sing", "nomn", "accs", "masc"]),
    ("ая", "ADJF", &["sing", "nomn", "femn"]),
    ("яя", "ADJF", &["sing", "nomn", "femn"]),
    ("ое", "ADJF", &["sing", "nomn", "accs", "neut"]),
    ("ые", "ADJF", &["plur", "nomn", "accs"]),
    ("ие", "ADJF", &["plur", "nomn", "accs"]),
    ("ую", "ADJF", &["sing", "accs", "femn"]),
    (
        "ой",
        "NOUN",
        &["sing", "gent", "datv", "ablt", "loct", "femn"],
    ),
    (
        "ей",
        "NOUN",
        &["sing", "gent", "datv", "ablt", "loct", "femn", "plur"],
    ),
    ("ла", "VERB", &["sing", "past", "femn"]),
    ("ло", "VERB", &["sing", "past", "neut"]),
    ("ли", "VERB", &["plur", "past"]),
    ("а", "NOUN", &["sing", "nomn", "gent", "femn", "masc"]),
    ("я", "NOUN", &["sing", "nomn", "gent", "femn", "masc"]),
    ("у", "NOUN", &["sing", "accs", "datv", "femn", "masc"]),
    ("ю", "NOUN", &["sing", "accs", "datv", "femn", "masc"]),
    ("е", "NOUN", &["sing", "loct", "datv", "femn", "masc"]),
    ("ы", "NOUN", &["plur", "nomn", "accs", "sing", "gent"]),
    (
        "и",
        "NOUN",
        &["plur", "nomn", "accs", "sing", "gent", "datv", "loct"],
    ),
    ("о", "NOUN", &["sing", "nomn", "accs", "neut"]),
    ("ь", "NOUN", &["sing", "nomn", "accs"]),
];

/// Case and number (and a part of speech) guessed from the ending of a word the lexicon
/// lacks; `key` is the word's key. The cases an ending may stand for are all set: a pattern
/// asking for one of them matches.
pub fn guess(key: &str) -> Analysis {
    static TABLE: OnceLock<(Vec<(String, Analysis)>, Analysis)> = OnceLock::new();
    let (table, fallback) = TABLE.get_or_init(|| {
        let table = ENDINGS
            .iter()
            .map(|(ending, p, feats)| {
                let a = Analysis {
                    lemma: NO_LEMMA,
                    pos: pos(p),
                    feats: bits(feats),
                };
                (super::spelling::key(ending), a)
            })
            .collect();
        // A consonant at the end: a masculine noun, nominative or accusative.
        let fallback = Analysis {
            lemma: NO_LEMMA,
            pos: pos("NOUN"),
            feats: bits(&["sing", "nomn", "accs", "masc"]),
        };
        (table, fallback)
    });
    // The last byte first: a word ends in one of ~55 endings at most, and comparing each
    // whole (a `memcmp` call apiece) was most of the cost of annotating a text's unknown
    // words (names, made-up project names).
    let last = key.as_bytes().last().copied();
    table
        .iter()
        .find(|(ending, _)| {
            ending.as_bytes().last().copied() == last
                && key.len() > ending.len() + 2
                && key.ends_with(ending.as_str())
        })
        .map_or(*fallback, |(_, a)| *a)
}

#[cfg(test)]
mod tests {
    use super::super::spelling::key;
    use super::*;

    fn lemmas(word: &str) -> Vec<&'static str> {
        lookup(&key(word)).filter_map(|a| a.lemma_name()).collect()
    }

    #[test]
    fn forms_find_their_lemmas() {
        assert!(lemmas("проведёт").contains(&"провести"));
        assert!(lemmas("Проведут").contains(&"провести"));
        assert!(lemmas("организован").contains(&"организовать"));
        assert!(lemmas("вебинаре").contains(&"вебинар"));
        assert!(lemmas("экспертами").contains(&"эксперт"));
        assert!(lemmas("нет-такого-слова").is_empty());
        let a = lookup(&key("приглашает")).next().unwrap();
        assert_ne!(a.feats & feat_bit("3per").unwrap(), 0);
        assert_eq!(a.pos, pos_bit("VERB").unwrap());
    }

    /// Testing the last byte first finds what the plain scan of the endings finds.
    #[test]
    fn the_guess_takes_the_first_ending_that_fits() {
        let plain = |word: &str| {
            let k = key(word);
            ENDINGS
                .iter()
                .find(|(e, _, _)| {
                    let e = key(e);
                    k.len() > e.len() + 2 && k.ends_with(e.as_str())
                })
                .map(|(_, p, feats)| (pos(p), bits(feats)))
        };
        let words = [
            "мегапланами",
            "кайтеном",
            "настраивать",
            "Каралика",
            "Сапаровой",
            "ботом",
            "вебинар",
            "Ерлан",
            "Тезис",
            "ai",
            "амоCRMу",
            "ой",
            "проектах",
            "Жумабаевых",
        ];
        for word in words {
            let g = guess(&key(word));
            let fallback = (pos("NOUN"), bits(&["sing", "nomn", "accs", "masc"]));
            assert_eq!((g.pos, g.feats), plain(word).unwrap_or(fallback), "{word}");
        }
    }

    #[test]
    fn endings_guess_case_and_number() {
        let g = guess(&key("мегапланами"));
        assert_ne!(g.feats & feat_bit("ablt").unwrap(), 0);
        assert_ne!(g.feats & feat_bit("plur").unwrap(), 0);
        let g = guess(&key("кайтеном"));
        assert_ne!(g.feats & feat_bit("ablt").unwrap(), 0);
        assert_eq!(guess(&key("настраивать")).pos, pos_bit("INFN").unwrap());
    }
}
