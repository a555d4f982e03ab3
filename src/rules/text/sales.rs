//! `text.sales` (Посадочная 9) and `text.comparison` (Основные 11): pattern rules of
//! `data/rules/sales.toml` and `data/rules/comparison.toml`, matched by the engine.

use super::engine;
use crate::diag::Diagnostic;
use crate::rules::{PieceCtx, TextPiece, TextRole};
use crate::t;

/// `text.sales` (Посадочная 9):
///
/// > На посадочной странице **не должно** быть продажи услуг партнера или рекламы продуктов
/// > 1С-Битрикс, на странице размещаем информацию о мероприятии.
///
/// The follow-up mail is exempt: «Предложите в письме скидки на свои услуги, бонусы»
/// (Работа с лидами 1). A price of attendance is `event.free`'s, not this rule's.
pub fn check(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    if piece.role == TextRole::FollowUp {
        return Vec::new();
    }
    engine::diagnostics(
        "text.sales",
        piece,
        |written| {
            t!(
                "продажа или реклама на странице вебинара: «{written}»",
                "selling or advertising on the webinar page: \"{written}\""
            )
        },
        t!(
            "страница рассказывает только о вебинаре: уберите цены, скидки, промокоды и призывы купить (предложение своих услуг уместно в письме после вебинара)",
            "the page is about the webinar only: remove prices, discounts, promo codes and calls to buy (offers belong in the follow-up mail)"
        ),
    )
}

/// `text.comparison` (Основные 11):
///
/// > Также не должно быть сравнения продуктов «1С-Битрикс» с другими аналогичными
/// > продуктами, даже в том случае, если от слушателей поступает вопрос про сторонние
/// > компании/продукты.
///
/// «Быстрее, чем раньше» and «по сравнению с прошлым годом» compare with the past, not with
/// a product: only a comparison with another product or system named or meant is one.
pub fn comparison(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    engine::diagnostics(
        "text.comparison",
        piece,
        |written| {
            t!(
                "сравнение с другими продуктами: «{written}»",
                "a comparison with other products: \"{written}\""
            )
        },
        t!(
            "не сравнивайте продукты «1С-Битрикс» с другими: расскажите, какие задачи они решают и как",
            "do not compare 1C-Bitrix products with others: say what they do and how"
        ),
    )
}
