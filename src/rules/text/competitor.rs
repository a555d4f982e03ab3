//! `text.competitor` (Основные 11, Программа 3).
//!
//! > Запрещено любое упоминание (во время выступления, на слайдах презентаций, в раздатке и
//! > т.п.) и/или демонстрация конкурирующих с продуктами «1С-Битрикс» продуктов других
//! > вендоров, а именно: корпоративных порталов, систем для совместной работы над задачами и
//! > проектами; CRM; систем сквозной аналитики, колл-трекинга и онлайн-чатов; систем для
//! > создания сайтов или конструкторов сайтов/лендингов.
//!
//! The products are data: `data/competitors.toml`, one file grouped by those four categories.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::lexicon::{Endings, Hit, Lexicon, Pattern, Token};
use super::tokens::{words, Word};
use crate::diag::Diagnostic;
use crate::rules::Ctx;
use crate::t;

// `CATEGORIES`, `PRODUCTS` and `SPELLINGS`: `data/competitors.toml` as `build.rs` compiled it.
include!(concat!(env!("OUT_DIR"), "/competitors.rs"));

/// One of the four categories of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: Cow<'static, str>,
    pub ru: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

/// A competing product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Competitor {
    pub name: Cow<'static, str>,
    /// Index into [`Dictionary::categories`].
    pub category: usize,
}

#[derive(Debug, PartialEq)]
pub struct Dictionary {
    pub categories: Cow<'static, [Category]>,
    pub products: Cow<'static, [Competitor]>,
    lexicon: Lexicon<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    product: usize,
    ambiguous: bool,
}

impl Dictionary {
    /// The dictionary `build.rs` compiled from `data/competitors.toml`.
    fn compiled() -> Dictionary {
        let mut lexicon = Lexicon::with_capacity(SPELLINGS.len());
        for (pattern, entry) in &SPELLINGS {
            lexicon.push(pattern.clone(), *entry);
        }
        Dictionary {
            categories: Cow::Borrowed(&CATEGORIES),
            products: Cow::Borrowed(&PRODUCTS),
            lexicon,
        }
    }

    pub fn spellings(&self) -> usize {
        self.lexicon.len()
    }

    /// Every competing product named in `text`: (byte range, product, is it only a warning).
    pub fn find(
        &self,
        text: &str,
        markdown: bool,
    ) -> Vec<(std::ops::Range<usize>, &Competitor, bool)> {
        self.find_in_words(text, &words(text, markdown))
    }

    /// [`Dictionary::find`] over words already read from `text`.
    pub fn find_in_words(
        &self,
        text: &str,
        ws: &[Word],
    ) -> Vec<(std::ops::Range<usize>, &Competitor, bool)> {
        self.findings(text, ws)
            .into_iter()
            .map(|h| {
                (
                    h.range.clone(),
                    &self.products[h.payload.product],
                    h.payload.ambiguous,
                )
            })
            .collect()
    }

    /// The words of every competing product named in `ws` (for the annotator).
    pub(super) fn brand_words(&self, text: &str, ws: &[Word]) -> Vec<std::ops::Range<usize>> {
        self.findings(text, ws).into_iter().map(|h| h.words).collect()
    }

    fn findings<'l>(&'l self, text: &str, ws: &[Word]) -> Vec<Hit<'l, Entry>> {
        self.lexicon
            .find(text, ws)
            .into_iter()
            .filter(|h| !h.payload.ambiguous || reads_as_name(h, ws))
            .collect()
    }
}

/// An ambiguous spelling (an ordinary word too) counts only where it cannot be the ordinary
/// word: written with its capital mid-sentence, and a Latin one not among Latin words (the
/// weekday in «every Monday» is not monday.com).
fn reads_as_name(hit: &Hit<Entry>, ws: &[Word]) -> bool {
    let first = &ws[hit.words.start];
    if hit.pattern.has_capitals() && first.sentence_start {
        return false;
    }
    let latin = ws[hit.words.clone()].iter().all(Word::is_latin);
    !(latin && latin_context(ws, hit.words.clone()))
}

/// Whether the words around `range` (up to three each side, in the same sentence) are mostly
/// Latin.
fn latin_context(ws: &[Word], range: std::ops::Range<usize>) -> bool {
    let before = ws[..range.start].iter().rev().take(3);
    let sentence_from = ws[..=range.start]
        .iter()
        .rposition(|w| w.sentence_start)
        .unwrap_or(0);
    let before = before.filter(|w| w.range.start >= ws[sentence_from].range.start);
    let after = ws[range.end..]
        .iter()
        .take_while(|w| !w.sentence_start)
        .take(3);
    let (mut latin, mut cyrillic) = (0, 0);
    for w in before.chain(after).filter(|w| !w.in_url) {
        if w.is_latin() {
            latin += 1;
        } else if w.is_cyrillic() {
            cyrillic += 1;
        }
    }
    latin > cyrillic
}

/// The dictionary of `data/competitors.toml` (compiled by `build.rs`), indexed once.
pub fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(Dictionary::compiled)
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let dict = dictionary();
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for (range, product, ambiguous) in dict.find_in_words(piece.text, piece.words()) {
            let written = &piece.text[range.clone()];
            let name = &product.name;
            let category = &dict.categories[product.category];
            let (cat_ru, cat_en) = (&category.ru, &category.en);
            let d = if ambiguous {
                Diagnostic::new(
                    "text.competitor-ambiguous",
                    t!(
                        "«{written}» похоже на название продукта конкурента {name} ({cat_ru})",
                        "\"{written}\" looks like the competing product {name} ({cat_en})"
                    ),
                )
                .help(t!(
                    "если речь о продукте — уберите упоминание; если это обычное слово — перефразируйте, чтобы его не приняли за название",
                    "if it names the product, remove it; if it is an ordinary word, rephrase so it cannot be read as the name"
                ))
            } else {
                // «amoCRM» is named as it is; «амосрм» is said to be amoCRM.
                let message = if written.to_lowercase() == name.to_lowercase() {
                    t!(
                        "упомянут продукт конкурента «{written}» ({cat_ru})",
                        "a competing product is named: \"{written}\" ({cat_en})"
                    )
                } else {
                    t!(
                        "упомянут продукт конкурента: «{written}» — это {name} ({cat_ru})",
                        "a competing product is named: \"{written}\" is {name} ({cat_en})"
                    )
                };
                Diagnostic::new("text.competitor", message)
                .help(t!(
                    "уберите упоминание: конкурирующие продукты нельзя называть, показывать и сравнивать; расскажите, как задача решается в продуктах «1С-Битрикс»",
                    "remove it: competing products may not be named, shown or compared; say how the task is solved with 1C-Bitrix products"
                ))
            };
            out.push(d.at(piece.span_of(&ctx.event.sources, range)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = include_str!("../../../data/competitors.toml");

    // The format of `data/competitors.toml`, shared with `build.rs`:
    // `the_compiled_dictionary_is_the_data_file` holds the two readings equal.
    mod data {
        include!("competitor_data.rs");
    }

    impl Dictionary {
        /// Reads a dictionary in the format of `data/competitors.toml`.
        fn parse(text: &str) -> Result<Dictionary, String> {
            let data: data::FileData = toml::from_str(text).map_err(|e| e.to_string())?;
            let (mut categories, mut products) = (Vec::new(), Vec::new());
            let mut lexicon = Lexicon::default();
            for (c, cat) in data.category.into_iter().enumerate() {
                categories.push(Category {
                    id: cat.id.into(),
                    ru: cat.ru.into(),
                    en: cat.en.into(),
                });
                for p in cat.product {
                    let product = products.len();
                    if p.spellings.is_empty() && p.ambiguous.is_empty() {
                        return Err(format!("{}: no spellings", p.name));
                    }
                    let all = p.spellings.iter().map(|s| (s, false));
                    for (s, ambiguous) in all.chain(p.ambiguous.iter().map(|s| (s, true))) {
                        lexicon.add(s, Entry { product, ambiguous })?;
                    }
                    products.push(Competitor {
                        name: p.name.into(),
                        category: c,
                    });
                }
            }
            Ok(Dictionary {
                categories: categories.into(),
                products: products.into(),
                lexicon,
            })
        }
    }

    #[test]
    fn the_compiled_dictionary_is_the_data_file() {
        let parsed = Dictionary::parse(DATA).unwrap();
        assert_eq!(*dictionary(), parsed);
        // Not vacuous: a spelling or a product more or less is a difference.
        let fewer = DATA.replacen("\"trello\", ", "", 1);
        assert_ne!(*dictionary(), Dictionary::parse(&fewer).unwrap());
        let renamed = DATA.replacen("name = \"Trello\"", "name = \"Trelo\"", 1);
        assert_ne!(*dictionary(), Dictionary::parse(&renamed).unwrap());
    }

    #[test]
    fn data_file_parses_with_four_categories_and_100_names() {
        let d = dictionary();
        let ids: Vec<&str> = d.categories.iter().map(|c| &*c.id).collect();
        assert_eq!(ids, ["portals", "crm", "analytics", "builders"]);
        assert!(d.products.len() >= 100, "{} products", d.products.len());
        for c in 0..4 {
            assert!(d.products.iter().filter(|p| p.category == c).count() >= 20);
        }
        assert!(d.spellings() > d.products.len());
    }

    #[test]
    fn extending_the_data_needs_no_code() {
        let d = Dictionary::parse(
            "[[category]]\nid = \"crm\"\nru = \"CRM\"\nen = \"CRM\"\nproduct = [{ name = \"Новая\", spellings = [\"новосрм~m\"] }]\n",
        )
        .unwrap();
        let found = d.find("ушли из Новосрма", false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.name, "Новая");
        assert!(Dictionary::parse("[[category]]\nid = \"x\"\n").is_err());
    }

    fn names(text: &str) -> Vec<(String, &'static str, bool)> {
        dictionary()
            .find(text, true)
            .into_iter()
            .map(|(r, p, amb)| (text[r].to_string(), &*p.name, amb))
            .collect()
    }

    #[test]
    fn inflected_and_mixed_script_names_are_found() {
        let n = names("Переход из Мегаплана, с Тильды и из амоСРМ; в Трелло и Jira.");
        let written: Vec<&str> = n.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(written, ["Мегаплана", "Тильды", "амоСРМ", "Трелло", "Jira"]);
        // Latin «e», «a» inside Cyrillic words.
        assert_eq!(names("из Мeгаплaнa")[0].1, "Мегаплан");
    }

    #[test]
    fn weekday_is_not_monday_com() {
        assert!(names("Every Monday at 10 am we meet").is_empty());
        assert_eq!(names("Задачи в monday.com")[0].1, "monday.com");
        assert!(names("Задачи ведём в Monday")[0].2);
        assert!(names("пачка документов и живой диалог").is_empty());
    }
}
