//! `text.positioning` (Анонсирование, «Внимание»): not «вебинар от 1С-Битрикс».

use crate::diag::Diagnostic;
use crate::rules::texts::find_ci;
use crate::rules::Ctx;
use crate::t;

const PHRASES: &[&str] = &[
    "вебинар от 1с-битрикс",
    "вебинар от «1с-битрикс",
    "вебинар от битрикс",
    "официальный вебинар 1с-битрикс",
    "организатор — 1с-битрикс",
    "организатор - 1с-битрикс",
];

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for phrase in PHRASES {
            if let Some(range) = find_ci(&piece.text, phrase) {
                out.push(
                    Diagnostic::error(
                        "text.positioning",
                        t!(
                            "вебинар позиционируется как мероприятие «1С-Битрикс»",
                            "the webinar is positioned as 1C-Bitrix's own"
                        ),
                    )
                    .at(piece.span_of(&ctx.event.sources, range))
                    .help(t!(
                        "пишите «при поддержке «1С-Битрикс»»: организатор — ваша компания",
                        "write «при поддержке «1С-Битрикс»»: you are the organizer"
                    )),
                );
            }
        }
    }
    out
}
