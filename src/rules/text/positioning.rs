//! `text.positioning` (Анонсирование, «Внимание! Запрещается»).
//!
//! > позиционирование мероприятия в СМИ, в т.ч., в соц.сети, как «вебинар от «1С-Битрикс».
//! > Можно указать, что мероприятие проходит при поддержке «1С-Битрикс».
//!
//! The partner organises the webinar; 1C-Bitrix only supports it. The rules are data:
//! `data/rules/positioning.toml` (the event «от» 1C-Bitrix, 1C-Bitrix or its people as the
//! organizer or the subject who holds, invites, presents — any verb form, any order — the
//! passive, joint events), matched by the engine over annotated words (`engine.rs`).

use super::engine;
use crate::diag::Diagnostic;
use crate::rules::{PieceCtx, TextPiece};
use crate::t;

pub fn check(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    engine::diagnostics(
        "text.positioning",
        piece,
        |written| {
            t!(
                "вебинар позиционируется как мероприятие «1С-Битрикс»: «{written}»",
                "the webinar is positioned as 1C-Bitrix's own: \"{written}\""
            )
        },
        t!(
            "организатор — ваша компания; напишите «при поддержке «1С-Битрикс»»",
            "you are the organizer; write «при поддержке «1С-Битрикс»» (supported by 1C-Bitrix)"
        ),
    )
}
