// Parts of speech and grammemes of the lexicon (OpenCorpora's tag set), as bits. Plain data
// and std only: `build.rs` includes this file too, to compile `data/lexicon/ru.tsv` and the
// `pos`/`feats` of `data/rules/*.toml` into the same numbers the annotator uses.

/// Parts of speech; a part of speech is the bit `1 << index`.
pub const POS: &[&str] = &[
    "NOUN", "ADJF", "ADJS", "COMP", "VERB", "INFN", "PRTF", "PRTS", "GRND", "NUMR", "ADVB", "NPRO",
    "PRED", "PREP", "CONJ", "PRCL", "INTJ",
    // Not OpenCorpora's: a word of Latin letters, a number, a word the lexicon lacks.
    "LATN", "NUMB", "UNKN",
];

/// Grammemes; a grammeme is the bit `1 << index`. Those not listed are dropped.
pub const FEATS: &[&str] = &[
    "nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2", "sing", "plur",
    "masc", "femn", "neut", "1per", "2per", "3per", "past", "pres", "futr", "indc", "impr", "actv",
    "pssv", "perf", "impf", "anim", "inan", "excl", "incl", "Supr", "Cmp2", "Name", "Surn", "Abbr",
];

pub fn pos_bit(name: &str) -> Option<u32> {
    POS.iter().position(|p| *p == name).map(|i| 1 << i)
}

pub fn feat_bit(name: &str) -> Option<u64> {
    FEATS.iter().position(|p| *p == name).map(|i| 1 << i)
}

/// The hash of a word's key in the lexicon's table (FNV-1a): `build.rs` places every key
/// with it, the program looks words up with it.
pub fn key_hash(key: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in key {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
