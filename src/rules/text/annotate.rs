//! Words annotated once per text for the pattern rules (`engine.rs`): each token carries its
//! readings from the lexicon (`morph.rs`: lemma, part of speech, grammemes; a guess from the
//! ending for an unknown word), what brand it names, whether it stands in quotes, starts a
//! sentence or a clause, or is part of a price.
//!
//! A brand of several words («1С-Битрикс», «МТС Линк», «Яндекс Формы») is one token; so is
//! «1С-Битрикс: Управление сайтом», the product.

use std::ops::Range;
use std::sync::OnceLock;

use super::competitor::dictionary;
use super::lexicon::{Hit, Lexicon};
use super::morph::{self, Analysis, NO_LEMMA};
use super::price::Price;
use super::spelling::key;
use super::tokens::Word;

/// Brand kinds, as bits (the order of `BRANDS` in `compile.rs`).
pub const BITRIX: u8 = 1;
pub const PRODUCT: u8 = 2;
pub const COMPETITOR: u8 = 4;
pub const PLATFORM: u8 = 8;
pub const SERVICE: u8 = 16;
/// A messenger bot's handle: `@altyn_webinar_bot`.
pub const BOT: u8 = 32;

mod compiled {
    use crate::rules::text::lexicon::{Endings, Pattern, Token};

    include!(concat!(env!("OUT_DIR"), "/brand.rs"));
}

/// One token: a word, or the words of one brand.
#[derive(Debug, Clone)]
pub struct Tok {
    /// The words (indexes into the text's words).
    pub words: Range<usize>,
    /// Bytes in the text.
    pub range: Range<usize>,
    /// Bytes a diagnostic points at: the range, or the whole price it is part of («5 000 ₸»).
    pub extent: Range<usize>,
    /// Its readings: a range of [`Annotated::analyses`].
    analyses: Range<u32>,
    pub brand: u8,
    /// Inside «…», „…“ or "…" (a name, a label, a quotation).
    pub quoted: bool,
    pub cap: bool,
    pub sentence_start: bool,
    /// A comma, semicolon or bracket stands before it: a new clause.
    pub comma: bool,
    pub price: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Annotated {
    pub toks: Vec<Tok>,
    analyses: Vec<Analysis>,
    /// Every lemma some token may have, as bits: a rule whose tokens need a lemma the text
    /// lacks is not tried.
    pub lemmas: Vec<u64>,
    /// Every brand kind of the text, as [`Tok::brand`] bits.
    pub brands: u8,
    /// Every part of speech some token may be, as bits.
    pub pos: u32,
    pub has_price: bool,
    /// The competing products named (what `text.competitor` reports).
    pub competitors: Vec<Named>,
}

impl Annotated {
    pub fn analyses(&self, t: &Tok) -> &[Analysis] {
        &self.analyses[t.analyses.start as usize..t.analyses.end as usize]
    }
}

struct Brands {
    bitrix: Lexicon<()>,
    platforms: Lexicon<()>,
    services: Lexicon<()>,
}

fn brands() -> &'static Brands {
    static B: OnceLock<Brands> = OnceLock::new();
    B.get_or_init(|| Brands {
        bitrix: Lexicon::compiled(&compiled::BITRIX),
        platforms: Lexicon::compiled(&compiled::PLATFORMS),
        services: super::third_party::services_lexicon(),
    })
}

fn noun_all_cases() -> Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    *A.get_or_init(|| Analysis {
        lemma: NO_LEMMA,
        pos: morph::pos_bit("NOUN").unwrap(),
        feats: [
            "nomn", "gent", "datv", "accs", "ablt", "loct", "sing", "plur",
        ]
        .iter()
        .filter_map(|f| morph::feat_bit(f))
        .fold(0, |a, b| a | b),
    })
}

/// A competing product named in a text: its words, the product (an index into the
/// dictionary's products) and whether it is only a warning.
#[derive(Debug, Clone)]
pub struct Named {
    pub words: Range<usize>,
    pub product: usize,
    pub ambiguous: bool,
}

/// The brand spans of a text: (words, kind), without overlaps, in text order.
fn brand_spans(text: &str, ws: &[Word], competitors: &[Named]) -> Vec<(Range<usize>, u8)> {
    let b = brands();
    let mut all: Vec<(Range<usize>, u8)> = Vec::new();
    let add = |all: &mut Vec<(Range<usize>, u8)>, hits: Vec<Hit<()>>, kind: u8| {
        all.extend(hits.into_iter().map(|h| (h.words, kind)));
    };
    add(&mut all, b.bitrix.find(text, ws), BITRIX);
    add(&mut all, b.services.find(text, ws), SERVICE);
    add(&mut all, b.platforms.find(text, ws), PLATFORM);
    all.extend(competitors.iter().map(|n| (n.words.clone(), COMPETITOR)));
    all.extend(bot_handles(text, ws).into_iter().map(|w| (w, BOT)));
    // Earliest first, then longest, then by the order of the kinds above.
    all.sort_by_key(|(r, _)| (r.start, usize::MAX - r.end));
    let mut out: Vec<(Range<usize>, u8)> = Vec::new();
    for (r, kind) in all {
        if out.last().is_some_and(|(l, _)| l.end > r.start) {
            continue;
        }
        out.push((r, kind));
    }
    // «1С-Битрикс: Управление сайтом»: the product, one token.
    for (r, kind) in &mut out {
        if *kind == BITRIX && r.end + 1 < ws.len() {
            let gap = &text[ws[r.end - 1].range.end..ws[r.end].range.start];
            if gap.contains(':')
                && ws[r.end].key == key("управление")
                && ws[r.end + 1].key.starts_with(&key("сайт"))
            {
                r.end += 2;
                *kind = PRODUCT;
            }
        }
    }
    out
}

/// `@name_bot`: the words after an `@`, joined by underscores, the last ending in «bot».
fn bot_handles(text: &str, ws: &[Word]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        if !text[..w.range.start].ends_with('@') {
            continue;
        }
        let mut end = i + 1;
        while end < ws.len() && &text[ws[end - 1].range.end..ws[end].range.start] == "_" {
            end += 1;
        }
        let last = &ws[end - 1];
        let glued = text[last.range.end..].starts_with("_bot") || last.key.ends_with("bot");
        if glued {
            out.push(i..end);
        }
    }
    out
}

/// The words count a word after an opening quote as a sentence start (for capitals); for
/// the patterns a quote alone does not end a sentence.
fn quote_only(gap: &str) -> bool {
    gap.contains(['«', '„', '“', '"']) && !gap.contains(['.', '!', '?', '\n', '…'])
}

fn clause_break(gap: &str) -> bool {
    gap.contains([',', ';', '(', ')'])
}

/// Annotates the words `ws` of `text` (the engine's tests; `TextPiece` finds the prices once).
#[cfg(test)]
pub fn annotate(text: &str, ws: &[Word]) -> Annotated {
    annotate_with_prices(text, ws, &super::price::prices_in(text, ws))
}

/// [`annotate`] with the prices of the text already found (`TextPiece` finds them once for
/// this and for `event.free`).
pub fn annotate_with_prices(text: &str, ws: &[Word], prices: &[Price]) -> Annotated {
    let competitors = dictionary().named(text, ws);
    let brands = brand_spans(text, ws, &competitors);
    let prices: Vec<Range<usize>> = prices
        .iter()
        .filter(|p| !p.attendance)
        .map(|p| p.range.clone())
        .collect();
    let mut out = Annotated {
        toks: Vec::with_capacity(ws.len()),
        analyses: Vec::with_capacity(ws.len() * 2),
        lemmas: vec![0; morph::lemma_count().div_ceil(64)],
        brands: 0,
        pos: 0,
        has_price: !prices.is_empty(),
        competitors,
    };
    let mut quote_depth = 0i32;
    let mut straight_open = false;
    let mut next_brand = brands.iter().peekable();
    let mut i = 0;
    while i < ws.len() {
        let w = &ws[i];
        let gap = &text[w.gap_start.min(w.range.start)..w.range.start];
        for c in gap.chars() {
            match c {
                '«' | '„' | '“' => quote_depth += 1,
                '»' | '”' => quote_depth = (quote_depth - 1).max(0),
                '"' => straight_open = !straight_open,
                _ => {}
            }
        }
        if w.sentence_start {
            straight_open = false;
        }
        let (words, brand) = match next_brand.peek() {
            Some((r, kind)) if r.start == i => {
                let r = r.clone();
                let kind = *kind;
                next_brand.next();
                (r, kind)
            }
            _ => (i..i + 1, 0),
        };
        let range = w.range.start..ws[words.end - 1].range.end;
        let start = out.analyses.len() as u32;
        if brand != 0 {
            out.analyses.push(noun_all_cases());
        } else if w.text.chars().all(|c| c.is_ascii_digit()) {
            out.analyses.push(Analysis {
                lemma: NO_LEMMA,
                pos: morph::pos_bit("NUMB").unwrap(),
                feats: 0,
            });
        } else if w.is_latin() {
            out.analyses.push(Analysis {
                lemma: NO_LEMMA,
                pos: morph::pos_bit("LATN").unwrap(),
                feats: 0,
            });
            out.analyses.push(noun_all_cases());
        } else {
            let before = out.analyses.len();
            out.analyses.extend(morph::lookup(&w.key));
            if out.analyses.len() == before {
                out.analyses.push(morph::guess(&w.key));
            }
        }
        for a in &out.analyses[start as usize..] {
            out.pos |= a.pos;
            if a.lemma != NO_LEMMA {
                out.lemmas[usize::from(a.lemma) / 64] |= 1 << (a.lemma % 64);
            }
        }
        out.brands |= brand;
        let in_price = prices
            .iter()
            .find(|p| p.start <= range.start && range.end <= p.end);
        let price = in_price.is_some();
        let mut extent = in_price.map_or(range.clone(), |p| p.clone());
        if brand == BOT && text[..range.start].ends_with('@') {
            extent.start -= 1;
        }
        out.toks.push(Tok {
            words: words.clone(),
            range,
            extent,
            analyses: start..out.analyses.len() as u32,
            brand,
            quoted: quote_depth > 0 || straight_open,
            cap: w.is_capitalised() && !w.is_all_caps(),
            sentence_start: w.sentence_start && (i == 0 || !quote_only(gap)),
            comma: clause_break(gap),
            price,
        });
        // The words of a brand: the quotes between them are the brand's own.
        i = words.end;
    }
    out
}
