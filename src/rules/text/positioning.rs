//! `text.positioning` (Анонсирование, «Внимание! Запрещается»).
//!
//! > позиционирование мероприятия в СМИ, в т.ч., в соц.сети, как «вебинар от «1С-Битрикс».
//! > Можно указать, что мероприятие проходит при поддержке «1С-Битрикс».
//!
//! The partner organises the webinar; 1C-Bitrix only supports it. Caught: the webinar «от»,
//! «компании», «официальный … » 1C-Bitrix or Bitrix24; 1C-Bitrix as «организатор» or as the one
//! who «проводит», «организует», «приглашает»; «совместно с 1С-Битрикс». Quotes, dashes,
//! inflection and Latin spellings do not matter. «При поддержке «1С-Битрикс»» is fine.
//!
//! The spellings are in `positioning_words.rs`, which `build.rs` compiles into the lexicons.

use std::ops::Range;
use std::sync::OnceLock;

use super::lexicon::{joined, longest_first, Hit, Lexicon};
use super::tokens::Word;
use crate::diag::Diagnostic;
use crate::rules::Ctx;
use crate::t;

// `EVENTS`, `BRANDS`, `COMPANY`, `MIDDLES`, `VERBS` and `leads()`: the spellings.
#[cfg(test)]
mod words {
    include!("positioning_words.rs");
}

// `LEADS`, `BRANDS`, `COMPANY` and `VERBS` as `build.rs` compiled them from
// `positioning_words.rs`.
mod compiled {
    use crate::rules::text::lexicon::{Endings, Pattern, Token};

    include!(concat!(env!("OUT_DIR"), "/positioning.rs"));
}

/// The forbidden phrases, as pairs of shorter lexicons: the product of leads and brands is
/// ~1,400 spellings, and building that lexicon cost more than checking a whole event.
struct Positioning {
    leads: Lexicon<()>,
    brands: Lexicon<()>,
    companies: Lexicon<()>,
    verbs: Lexicon<()>,
}

impl Positioning {
    /// Byte ranges of the phrases in `text`, longest first where they overlap.
    fn find(&self, text: &str, ws: &[Word]) -> Vec<Range<usize>> {
        let leads = self.leads.find_all(text, ws);
        let brands = self.brands.find_all(text, ws);
        let companies = self.companies.find_all(text, ws);
        let verbs = self.verbs.find_all(text, ws);
        let spans = adjoining(text, ws, &leads, &brands)
            .chain(adjoining(text, ws, &companies, &verbs))
            .chain(adjoining(text, ws, &verbs, &companies));
        longest_first(spans)
            .into_iter()
            .map(|w| ws[w.start].range.start..ws[w.end - 1].range.end)
            .collect()
    }
}

/// The word spans of a hit of `first` directly followed by a hit of `second`, the two joined
/// as the words of one phrase are.
fn adjoining<'a>(
    text: &'a str,
    ws: &'a [Word],
    first: &'a [Hit<()>],
    second: &'a [Hit<()>],
) -> impl Iterator<Item = Range<usize>> + 'a {
    first.iter().flat_map(move |a| {
        second
            .iter()
            .filter(move |b| {
                b.words.start == a.words.end
                    && joined(text, &ws[a.words.end - 1], &ws[b.words.start])
            })
            .map(move |b| a.words.start..b.words.end)
    })
}

fn positioning() -> &'static Positioning {
    static P: OnceLock<Positioning> = OnceLock::new();
    P.get_or_init(|| Positioning {
        leads: Lexicon::compiled(&compiled::LEADS),
        brands: Lexicon::compiled(&compiled::BRANDS),
        companies: Lexicon::compiled(&compiled::COMPANY),
        verbs: Lexicon::compiled(&compiled::VERBS),
    })
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for range in positioning().find(piece.text, piece.words()) {
            let written = &piece.text[range.clone()];
            out.push(
                Diagnostic::new(
                    "text.positioning",
                    t!(
                        "вебинар позиционируется как мероприятие «1С-Битрикс»: «{written}»",
                        "the webinar is positioned as 1C-Bitrix's own: \"{written}\""
                    ),
                )
                .at(piece.span_of(&ctx.event.sources, range))
                .help(t!(
                    "организатор — ваша компания; напишите «при поддержке «1С-Битрикс»»",
                    "you are the organizer; write «при поддержке «1С-Битрикс»» (supported by 1C-Bitrix)"
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::words;
    use super::words::{leads, BRANDS, COMPANY, EVENTS, MIDDLES, VERBS};
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let ws = words(text, false);
        positioning()
            .find(text, &ws)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    /// Every spelling the rule stands for, written out: each lead or company-verb pair with
    /// each brand. The pairs of small lexicons must find exactly what this one finds.
    fn phrases() -> Vec<String> {
        let mut out = Vec::new();
        for b in BRANDS {
            for lead in leads() {
                out.push(format!("{lead} {b}"));
            }
        }
        for c in COMPANY {
            for verb in VERBS {
                out.push(format!("{c} {verb}"));
                out.push(format!("{verb} {c}"));
            }
        }
        out
    }

    #[test]
    fn pairs_find_what_the_written_out_phrases_find() {
        let mut written_out = Lexicon::default();
        for p in phrases() {
            written_out.add(&p, ()).unwrap();
        }
        let mut texts: Vec<String> = vec![
            "организатор вебинар от Битрикс".into(),
            "Организатор вебинара — 1С-Битрикс, вебинар от компании Битрикс24".into(),
            "Битрикс проводит вебинар от 1С-Битрикс; приглашает 1C Bitrix".into(),
            "официальный семинар от команды Bitrix24 и совместная трансляция с Битрикс 24".into(),
        ];
        // Every lead before every brand, inflected and spaced as a text would have them.
        for lead in [
            "вебинаре от",
            "официальной конференции компании",
            "совместном эфире с",
            "организатором",
            "от имени",
        ] {
            for brand in [
                "«1С-Битрикс»",
                "Битрикс24",
                "Bitrix",
                "1c-bitrix",
                "Битрикса",
            ] {
                texts.push(format!("Это {lead} {brand}. Потом {lead} нас."));
            }
        }
        for corpus in [
            include_str!("../../../tests/corpus/compliant.txt"),
            include_str!("../../../tests/corpus/text.positioning.txt"),
        ] {
            texts.extend(corpus.lines().map(String::from));
        }
        let mut hits = 0;
        for t in &texts {
            let ws = words(t, false);
            let expected: Vec<_> = written_out
                .find(t, &ws)
                .into_iter()
                .map(|h| h.range)
                .collect();
            assert_eq!(positioning().find(t, &ws), expected, "{t}");
            hits += expected.len();
        }
        assert!(hits >= 25, "the texts above hold phrases: {hits}");
    }

    fn read(spellings: &[impl AsRef<str>]) -> Lexicon<()> {
        let mut lex = Lexicon::default();
        for s in spellings {
            lex.add(s.as_ref(), ()).unwrap();
        }
        lex
    }

    #[test]
    fn the_compiled_lexicons_are_the_words() {
        let p = positioning();
        let leads = leads();
        assert_eq!(p.leads, read(&leads));
        assert_eq!(p.brands, read(BRANDS));
        assert_eq!(p.companies, read(COMPANY));
        assert_eq!(p.verbs, read(VERBS));
        assert_eq!(leads.len(), EVENTS.len() * (2 * MIDDLES.len() + 3) + 4);
        assert_ne!(p.leads, read(&leads[1..]));
    }

    #[test]
    fn positioning_variants() {
        assert_eq!(
            found("Приглашаем на вебинар от «1С-Битрикс»"),
            ["вебинар от «1С-Битрикс"]
        );
        assert_eq!(
            found("Организатор — 1C-Битрикс."),
            ["Организатор — 1C-Битрикс"]
        );
        assert_eq!(
            found("Официальный вебинар Битрикс24"),
            ["Официальный вебинар Битрикс24"]
        );
        assert_eq!(found("на вебинаре от Битрикса"), ["вебинаре от Битрикса"]);
        assert!(found("Вебинар проходит при поддержке «1С-Битрикс»").is_empty());
        assert!(found("Вебинар по Битрикс24 от ТОО «Алтын Софт»").is_empty());
        assert!(found("Битрикс24 проводит сделку по стадиям").is_empty());
    }
}
