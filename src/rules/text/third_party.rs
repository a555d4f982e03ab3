//! `form.third-party` (Посадочная 2): the registration form is the platform's own.

use crate::diag::Diagnostic;
use crate::rules::texts::find_ci;
use crate::rules::Ctx;
use crate::t;

const MARKERS: &[&str] = &[
    "timepad",
    "forms.gle",
    "docs.google.com/forms",
    "google forms",
    "google форм",
    "яндекс форм",
    "forms.yandex",
    "typeform",
    "eventbrite",
    "<form",
    "<iframe",
    "<script",
];

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for m in MARKERS {
            if let Some(range) = find_ci(&piece.text, m) {
                out.push(
                    Diagnostic::error("form.third-party", t!("сторонняя форма регистрации или встраивание: «{m}»", "a third-party registration form or embed: \"{m}\""))
                        .at(piece.span_of(&ctx.event.sources, range))
                        .help(t!("регистрация — только через форму на странице Битрикс24.Сайты или «1С-Битрикс: Управление сайтом»", "register only through the page's own Bitrix form")),
                );
            }
        }
    }
    out
}
