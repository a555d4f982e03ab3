//! `text.sales` (Посадочная 9) and `text.comparison` (Основные 11).
//!
//! The spellings are in `sales_words.rs`, which `build.rs` compiles into the lexicons.

use std::sync::OnceLock;

use super::competitor::dictionary;
use super::lexicon::Lexicon;
use super::price::prices_in;
use super::tokens::Word;
use crate::diag::Diagnostic;
use crate::rules::{Ctx, TextRole};
use crate::t;

// The word lists of `sales_words.rs`, as `build.rs` compiled them.
mod compiled {
    use crate::rules::text::lexicon::{Endings, Pattern, Token};

    include!(concat!(env!("OUT_DIR"), "/sales.rs"));
}

/// `text.sales` (Посадочная 9):
///
/// > На посадочной странице **не должно** быть продажи услуг партнера или рекламы продуктов
/// > 1С-Битрикс, на странице размещаем информацию о мероприятии.
///
/// The follow-up mail is exempt: «Предложите в письме скидки на свои услуги, бонусы»
/// (Работа с лидами 1). A price of attendance is `event.free`'s, not this rule's.
pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    static LEX: OnceLock<Lexicon<()>> = OnceLock::new();
    let lex = LEX.get_or_init(|| Lexicon::compiled(&compiled::SELLING));
    let mut out = Vec::new();
    for piece in ctx.texts.iter().filter(|p| p.role != TextRole::FollowUp) {
        let text = piece.text;
        let ws = piece.words();
        let mut found: Vec<_> = lex.find(text, ws).into_iter().map(|h| h.range).collect();
        found.extend(
            prices_in(text, ws)
                .into_iter()
                .filter(|p| !p.attendance)
                .map(|p| p.range),
        );
        found.sort_by_key(|r| r.start);
        for range in found {
            let written = &text[range.clone()];
            out.push(
                Diagnostic::new(
                    "text.sales",
                    t!(
                        "продажа или реклама на странице вебинара: «{written}»",
                        "selling or advertising on the webinar page: \"{written}\""
                    ),
                )
                .at(piece.span_of(&ctx.event.sources, range))
                .help(t!(
                    "страница рассказывает только о вебинаре: уберите цены, скидки, промокоды и призывы купить (предложение своих услуг уместно в письме после вебинара)",
                    "the page is about the webinar only: remove prices, discounts, promo codes and calls to buy (offers belong in the follow-up mail)"
                )),
            );
        }
    }
    out
}

struct Comparison {
    comparators: Lexicon<()>,
    claims: Lexicon<()>,
    strong: Lexicon<()>,
    weak: Lexicon<()>,
    kinds: Lexicon<()>,
}

fn comparison_lex() -> &'static Comparison {
    static L: OnceLock<Comparison> = OnceLock::new();
    L.get_or_init(|| Comparison {
        comparators: Lexicon::compiled(&compiled::COMPARATORS),
        claims: Lexicon::compiled(&compiled::CLAIMS),
        strong: Lexicon::compiled(&compiled::OTHERS_STRONG),
        weak: Lexicon::compiled(&compiled::OTHERS_WEAK),
        kinds: Lexicon::compiled(&compiled::PRODUCT_KINDS),
    })
}

/// Whether another product is in view in `ws` (the words after a comparator).
fn other_product(l: &Comparison, text: &str, ws: &[Word]) -> bool {
    if !l.strong.find(text, ws).is_empty() {
        return true;
    }
    let rest_start = ws.first().map_or(0, |w| w.range.start);
    let rest_end = ws.last().map_or(0, |w| w.range.end);
    if dictionary()
        .find(&text[rest_start..rest_end], false)
        .iter()
        .any(|(_, _, ambiguous)| !ambiguous)
    {
        return true;
    }
    l.weak.find(text, ws).iter().any(|h| {
        let after = &ws[h.words.end..(h.words.end + 2).min(ws.len())];
        l.kinds
            .find(text, after)
            .first()
            .is_some_and(|k| k.words.start <= 1)
    })
}

/// `text.comparison` (Основные 11):
///
/// > Также не должно быть сравнения продуктов «1С-Битрикс» с другими аналогичными
/// > продуктами, даже в том случае, если от слушателей поступает вопрос про сторонние
/// > компании/продукты.
///
/// «Быстрее, чем раньше» and «по сравнению с прошлым годом» compare with the past, not with
/// a product: a comparator warns only when another product is named or meant within the next
/// six words of the sentence.
pub fn comparison(ctx: &Ctx) -> Vec<Diagnostic> {
    let l = comparison_lex();
    let mut out = Vec::new();
    for piece in &ctx.texts {
        let text = piece.text;
        let ws = piece.words();
        let mut found: Vec<_> = l
            .claims
            .find(text, ws)
            .into_iter()
            .map(|h| h.range)
            .collect();
        for h in l.comparators.find(text, ws) {
            let end = ws[h.words.end..]
                .iter()
                .take(6)
                .take_while(|w| !w.sentence_start)
                .count();
            if other_product(l, text, &ws[h.words.end..h.words.end + end]) {
                found.push(h.range);
            }
        }
        found.sort_by_key(|r| r.start);
        for range in found {
            let written = &text[range.clone()];
            out.push(
                Diagnostic::new(
                    "text.comparison",
                    t!(
                        "сравнение с другими продуктами: «{written}»",
                        "a comparison with other products: \"{written}\""
                    ),
                )
                .at(piece.span_of(&ctx.event.sources, range))
                .help(t!(
                    "не сравнивайте продукты «1С-Битрикс» с другими: расскажите, какие задачи они решают и как",
                    "do not compare 1C-Bitrix products with others: say what they do and how"
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_compiled_lexicons_are_the_words() {
        mod words {
            include!("sales_words.rs");
        }
        use super::compiled;
        crate::rules::text::lexicon::assert_compiled_from(&[
            (&compiled::SELLING, words::SELLING),
            (&compiled::COMPARATORS, words::COMPARATORS),
            (&compiled::CLAIMS, words::CLAIMS),
            (&compiled::OTHERS_STRONG, words::OTHERS_STRONG),
            (&compiled::OTHERS_WEAK, words::OTHERS_WEAK),
            (&compiled::PRODUCT_KINDS, words::PRODUCT_KINDS),
        ]);
    }
}
