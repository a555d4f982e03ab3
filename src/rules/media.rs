//! `media.*`: photos on the page (Посадочная 10).

use super::{rule, Ctx, Rule};
use crate::diag::Diagnostic;
use crate::t;

pub fn rules() -> Vec<Rule> {
    vec![rule!(
        "media.photo-source",
        Error,
        "фото в галерее — собственные или стоковые, не с мероприятий других организаторов",
        "gallery photos are own or stock, never another organizer's event",
        "Посадочная 10",
        photo_source
    )]
}

fn photo_source(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, g) in ctx.event.file.gallery.iter().enumerate() {
        let n = i + 1;
        match &g.get_ref().source {
            None => out.push(
                Diagnostic::new(
                    "media.photo-source",
                    t!(
                        "у фото №{n} в галерее не указан источник",
                        "gallery photo {n} has no source"
                    ),
                )
                .at(Some(g.span()))
                .help(t!(
                    "укажите source = \"own\" (ваше мероприятие) или \"stock\" (фотобанк)",
                    "add source = \"own\" or \"stock\""
                )),
            ),
            Some(s) if !matches!(s.get_ref().as_str(), "own" | "stock") => {
                let written = s.get_ref();
                out.push(Diagnostic::new("media.photo-source", t!("источник фото «{written}» не допускается: нельзя использовать фото мероприятий других организаторов", "photo source \"{written}\" is not allowed: no photos of other organizers' events"))
                    .at(Some(s.span()))
                    .help(t!("используйте свои фото (\"own\") или стоковые (\"stock\")", "use your own (\"own\") or stock (\"stock\") photos")));
            }
            Some(_) => {}
        }
    }
    out
}
