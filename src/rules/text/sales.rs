//! `text.sales` (Посадочная 9) and `text.comparison` (Основные 11).

use crate::diag::Diagnostic;
use crate::rules::texts::find_ci;
use crate::rules::{Ctx, TextRole};
use crate::t;

const SALES: &[&str] = &[
    "скидк",
    "промокод",
    "купить",
    "закажите",
    "акция",
    "тенге",
    "₸",
    "руб.",
];
const COMPARISON: &[&str] = &["в отличие от", "лучше чем", "лучше, чем", "по сравнению с"];

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The follow-up may offer the partner's own services (Работа с лидами 1).
    for piece in ctx.texts.iter().filter(|p| p.role != TextRole::FollowUp) {
        for word in SALES {
            if let Some(range) = find_ci(&piece.text, word) {
                out.push(
                    Diagnostic::error(
                        "text.sales",
                        t!(
                            "на странице продажа или реклама: «{word}»",
                            "selling or advertising: \"{word}\""
                        ),
                    )
                    .at(piece.span_of(&ctx.event.sources, range))
                    .help(t!(
                        "страница только о вебинаре: уберите цены, скидки и призывы купить",
                        "the page is about the webinar only"
                    )),
                );
                break;
            }
        }
    }
    out
}

pub fn comparison(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for phrase in COMPARISON {
            if let Some(range) = find_ci(&piece.text, phrase) {
                out.push(
                    Diagnostic::warning(
                        "text.comparison",
                        t!(
                            "сравнение с другими продуктами: «{phrase}»",
                            "comparison with other products: \"{phrase}\""
                        ),
                    )
                    .at(piece.span_of(&ctx.event.sources, range))
                    .help(t!(
                        "не сравнивайте продукты «1С-Битрикс» с другими: расскажите, что они умеют",
                        "do not compare with other products"
                    )),
                );
            }
        }
    }
    out
}
