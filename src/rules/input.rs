//! `input.*`: the file itself (parse errors come from the loader) and the files it names.

use super::{rule, Ctx, Rule};
use crate::diag::Diagnostic;
use crate::event::model::Sp;
use crate::event::paths;

pub fn rules() -> Vec<Rule> {
    vec![
        rule!(
            "input.parse",
            Error,
            "event.toml читается: синтаксис TOML, известные ключи, верные типы",
            "event.toml parses: TOML syntax, known keys, right types",
            "(формат)",
            parse
        ),
        rule!(
            "input.path",
            Error,
            "каждый упомянутый файл существует и лежит внутри папки события",
            "every referenced file exists, is a regular file inside the event folder",
            "(безопасность)",
            asset_paths
        ),
    ]
}

/// Parse errors are reported by the loader, before any rule can run.
fn parse(_: &Ctx) -> Vec<Diagnostic> {
    vec![]
}

/// Every path the event names, with its key.
pub fn asset_paths_of<'a>(ctx: &Ctx<'a>) -> Vec<&'a Sp<String>> {
    let f = &ctx.event.file;
    let mut out = Vec::new();
    if let Some(o) = &f.organizer {
        out.extend(o.get_ref().logo.as_ref());
    }
    for s in f.speakers.values() {
        out.extend(s.get_ref().photo.as_ref());
    }
    for p in &f.partners {
        out.extend(p.get_ref().logo.as_ref());
    }
    for g in &f.gallery {
        out.extend(g.get_ref().image.as_ref());
    }
    out
}

fn asset_paths(ctx: &Ctx) -> Vec<Diagnostic> {
    asset_paths_of(ctx)
        .into_iter()
        .filter_map(|p| {
            let base = ctx
                .event
                .sources
                .dir_of(&p.span())
                .unwrap_or_else(|| ctx.event.dir.clone());
            paths::resolve(&base, p.get_ref()).err().map(|problem| {
                Diagnostic::error("input.path", problem.message(p.get_ref()))
                    .at(Some(p.span()))
                    .help(problem.help())
            })
        })
        .collect()
}
