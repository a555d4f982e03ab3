//! The Russian lexicon of the text rules: every form of the words the rules and the annotator
//! need, with lemma, part of speech and grammemes (`data/lexicon/ru.tsv`, generated offline by
//! `tools/lexicon/generate.py` from OpenCorpora and compiled by `build.rs` into a table sorted
//! by the word's `key`). A word the lexicon lacks gets a guess from its
//! ending ([`guess`]): part of speech, case and number, no lemma.

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

/// The readings the lexicon holds for a word's key; empty if it has none.
pub fn lookup(key: &str) -> impl Iterator<Item = Analysis> + Clone {
    let k = key.as_bytes();
    let form = |e: &(u32, u32, u16, u32, u64)| &table::KEYS.as_bytes()[e.0 as usize..e.1 as usize];
    let from = table::ENTRIES.partition_point(|e| form(e) < k);
    let to = from + table::ENTRIES[from..].partition_point(|e| form(e) == k);
    table::ENTRIES[from..to].iter().map(|e| Analysis {
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

/// Case and number (and a part of speech) guessed from the ending of a Cyrillic word the
/// lexicon lacks. The cases an ending may stand for are all set: a pattern asking for one of
/// them matches. `word` is in lower case.
pub fn guess(word: &str) -> Analysis {
    // (ending, part of speech, grammemes), longest endings first.
    const TABLE: &[(&str, &str, &[&str])] = &[
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
    for (ending, p, feats) in TABLE {
        if word.len() > ending.len() + 2 && word.ends_with(ending) {
            return Analysis {
                lemma: NO_LEMMA,
                pos: pos(p),
                feats: bits(feats),
            };
        }
    }
    // A consonant at the end: a masculine noun, nominative or accusative.
    Analysis {
        lemma: NO_LEMMA,
        pos: pos("NOUN"),
        feats: bits(&["sing", "nomn", "accs", "masc"]),
    }
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

    #[test]
    fn endings_guess_case_and_number() {
        let g = guess("мегапланами");
        assert_ne!(g.feats & feat_bit("ablt").unwrap(), 0);
        assert_ne!(g.feats & feat_bit("plur").unwrap(), 0);
        let g = guess("кайтеном");
        assert_ne!(g.feats & feat_bit("ablt").unwrap(), 0);
        assert_eq!(guess("настраивать").pos, pos_bit("INFN").unwrap());
    }
}
