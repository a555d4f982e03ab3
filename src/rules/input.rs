//! `input.*`: the file itself (parse errors come from the loader) and the files it names.

use super::{rule, Ctx, Rule};
use crate::diag::Diagnostic;
use crate::event::model::Sp;
use crate::event::{image, paths};

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
        rule!(
            "input.image",
            Error,
            "каждое изображение (логотипы, фото, галерея) декодируется целиком, в пределах размеров (байты и пиксели); SVG без скриптов, обработчиков событий, внешних ссылок и foreignObject",
            "every image (logos, photos, gallery) decodes fully, within size limits (bytes and pixels), and an SVG holds no script, event handler, external reference or foreign object",
            "(безопасность)",
            images
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

/// Every image the event names, read the way the outputs read it ([`image::read`]); a path
/// that does not resolve is `input.path`'s to report.
fn images(ctx: &Ctx) -> Vec<Diagnostic> {
    asset_paths_of(ctx)
        .into_iter()
        .filter_map(|p| {
            let base = ctx
                .event
                .sources
                .dir_of(&p.span())
                .unwrap_or_else(|| ctx.event.dir.clone());
            let path = paths::resolve(&base, p.get_ref()).ok()?;
            image::read(&path).err().map(|problem| {
                Diagnostic::error("input.image", problem.message(p.get_ref()))
                    .at(Some(p.span()))
                    .help(problem.help())
            })
        })
        .collect()
}
