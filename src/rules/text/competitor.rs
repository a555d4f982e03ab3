//! `text.competitor` (Основные 11, Программа 3): no competing vendor's product is named.

use crate::diag::Diagnostic;
use crate::rules::texts::find_ci;
use crate::rules::Ctx;
use crate::t;

const NAMES: &[(&str, &str)] = &[
    ("amocrm", "CRM"),
    ("амосрм", "CRM"),
    ("мегаплан", "порталы и задачи"),
    ("tilda", "конструкторы сайтов"),
    ("тильд", "конструкторы сайтов"),
    ("wix", "конструкторы сайтов"),
    ("jivosite", "онлайн-чаты"),
    ("roistat", "сквозная аналитика"),
    ("calltouch", "колл-трекинг"),
    ("trello", "порталы и задачи"),
    ("jira", "порталы и задачи"),
    ("asana", "порталы и задачи"),
    ("pipedrive", "CRM"),
    ("hubspot", "CRM"),
];

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for (name, category) in NAMES {
            if let Some(range) = find_ci(&piece.text, name) {
                let word = piece.text[range.clone()].to_string();
                out.push(
                    Diagnostic::error(
                        "text.competitor",
                        t!(
                            "упомянут продукт конкурента «{word}» ({category})",
                            "a competitor's product is named: \"{word}\" ({category})"
                        ),
                    )
                    .at(piece.span_of(&ctx.event.sources, range))
                    .help(t!(
                        "уберите упоминание: конкурирующие продукты нельзя называть и сравнивать",
                        "remove it: competing products may not be named"
                    )),
                );
            }
        }
    }
    out
}
