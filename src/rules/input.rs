//! `input.*`: the file itself (parse errors come from the loader) and the files it names.

use super::{rule, Ctx, Rule};
use crate::diag::Diagnostic;
use crate::event::model::Sp;
use crate::event::{image, paths};
use crate::t;

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
        rule!(
            "input.text",
            Error,
            "нет управляющих символов (кроме табуляции и перевода строки в Markdown) и переводов строки в однострочных значениях (название, имена, адреса, e-mail, темы писем); длины в разумных пределах; адреса — http(s)",
            "no control characters (other than tab and newline in Markdown) and no line breaks in one-line values (title, names, URLs, e-mails, subjects); lengths within sane limits; addresses are http(s)",
            "(безопасность)",
            texts
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
    let mut out = theme_path(ctx);
    out.extend(file_paths(ctx));
    out
}

/// `[theme] name` names a built-in theme or a theme folder that builds: `check` passed an
/// unknown name that `build` then failed on (found by the issue 21 fuzz run), and a folder whose
/// template did not compile.
fn theme_path(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(name) = ctx
        .event
        .file
        .theme
        .as_ref()
        .and_then(|t| t.get_ref().name.as_ref())
    else {
        return vec![];
    };
    let Some(problem) = &ctx.delivered.theme_problem else {
        return vec![];
    };
    let help = if problem.broken {
        t!(
            "исправьте файл темы (страница собирается из него) или укажите встроенную тему, например \"default\"",
            "fix the theme's file (the page is built from it) or name a built-in theme such as \"default\""
        )
    } else {
        t!(
            "укажите имя встроенной темы (например, \"default\") или путь к папке темы с theme.toml",
            "name a built-in theme (e.g. \"default\") or the path of a theme folder holding theme.toml"
        )
    };
    vec![Diagnostic::new("input.path", problem.message.clone())
        .at(Some(name.span()))
        .help(help)]
}

fn file_paths(ctx: &Ctx) -> Vec<Diagnostic> {
    asset_paths_of(ctx)
        .into_iter()
        .filter_map(|p| {
            let base = ctx
                .event
                .sources
                .dir_of(&p.span())
                .unwrap_or_else(|| ctx.event.dir.clone());
            paths::resolve(&base, p.get_ref()).err().map(|problem| {
                Diagnostic::new("input.path", problem.message(p.get_ref()))
                    .at(Some(p.span()))
                    .help(problem.help())
            })
        })
        .collect()
}

/// Every image the event names, read the way the outputs read it ([`image::read`]); a path
/// that does not resolve is `input.path`'s to report.
fn images(ctx: &Ctx) -> Vec<Diagnostic> {
    let organizer_logo = ctx
        .event
        .file
        .organizer
        .as_ref()
        .and_then(|o| o.get_ref().logo.as_ref())
        .map(|l| l.span());
    asset_paths_of(ctx)
        .into_iter()
        .filter_map(|p| {
            let base = ctx
                .event
                .sources
                .dir_of(&p.span())
                .unwrap_or_else(|| ctx.event.dir.clone());
            let path = paths::resolve(&base, p.get_ref()).ok()?;
            let problem = image::read(&path).err()?;
            // An organizer logo that is no image at all is `organizer.logo`'s to report
            // (Посадочная 5): one cause, one diagnostic.
            if problem == image::Problem::NotAnImage && Some(p.span()) == organizer_logo {
                return None;
            }
            Some(
                Diagnostic::new("input.image", problem.message(p.get_ref()))
                    .at(Some(p.span()))
                    .help(problem.help()),
            )
        })
        .collect()
}

/// How a string value may look.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One line: a title, a name, a label.
    Line,
    /// A web address: one line, `http://` or `https://`.
    Url,
    /// Text over lines (Markdown bodies, descriptions): tab and line breaks allowed.
    Lines,
}

impl Shape {
    fn max_chars(self) -> usize {
        match self {
            Shape::Line => MAX_LINE_CHARS,
            Shape::Url => 2_000,
            Shape::Lines => MAX_TEXT_CHARS,
        }
    }
}

/// A one-line value longer than this is not a title but a pasted text.
pub const MAX_LINE_CHARS: usize = 300;
/// A Markdown body longer than this is not a webinar description.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Diagnostics of `input.text` per event; the rest are counted in one «…и ещё N».
const MAX_TEXT_DIAGNOSTICS: usize = 20;

/// Every string value of the event file with its key and shape.
fn strings<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Sp<String>, &'static str, Shape)> {
    use Shape::*;
    let f = &ctx.event.file;
    let mut out: Vec<(&'a Sp<String>, &'static str, Shape)> = Vec::new();
    let mut one = |v: &'a Option<Sp<String>>, key: &'static str, shape: Shape| {
        if let Some(v) = v {
            out.push((v, key, shape));
        }
    };
    if let Some(e) = &f.event {
        let e = e.get_ref();
        one(&e.title, "event.title", Line);
        one(&e.timezone, "event.timezone", Line);
        one(&e.platform, "event.platform", Line);
        one(&e.format, "event.format", Line);
        one(&e.slug, "event.slug", Line);
        one(&e.summary, "event.summary", Lines);
        one(&e.description, "event.description", Lines);
        one(&e.audience, "event.audience", Lines);
        one(&e.join_url, "event.join_url", Url);
        one(&e.page_url, "event.page_url", Url);
    }
    if let Some(o) = &f.organizer {
        let o = o.get_ref();
        one(&o.name, "organizer.name", Line);
        one(&o.logo, "organizer.logo", Line);
        one(&o.website, "organizer.website", Url);
        for c in &o.contacts {
            let c = c.get_ref();
            one(&c.name, "organizer.contacts.name", Line);
            one(&c.role, "organizer.contacts.role", Line);
            one(&c.email, "organizer.contacts.email", Line);
            one(&c.phone, "organizer.contacts.phone", Line);
        }
    }
    for s in f.speakers.values() {
        let s = s.get_ref();
        one(&s.name, "speakers.name", Line);
        one(&s.position, "speakers.position", Line);
        one(&s.company, "speakers.company", Line);
        one(&s.photo, "speakers.photo", Line);
    }
    for p in &f.program {
        let p = p.get_ref();
        one(&p.start, "program.start", Line);
        one(&p.end, "program.end", Line);
        one(&p.title, "program.title", Line);
        one(&p.product, "program.product", Line);
        one(&p.cold_title, "program.cold_title", Line);
    }
    if let Some(r) = &f.registration {
        let r = r.get_ref();
        one(&r.submit_label, "registration.submit_label", Line);
        one(&r.accepted_message, "registration.accepted_message", Lines);
        one(&r.rejected_message, "registration.rejected_message", Lines);
        for x in &r.extra_fields {
            let x = x.get_ref();
            one(&x.id, "registration.extra_fields.id", Line);
            one(&x.label, "registration.extra_fields.label", Line);
        }
        if let Some(c) = &r.confirmation_email {
            let c = c.get_ref();
            one(&c.subject, "registration.confirmation_email.subject", Line);
            one(&c.body, "registration.confirmation_email.body", Lines);
        }
    }
    if let Some(c) = &f.consent {
        let c = c.get_ref();
        one(&c.operator, "consent.operator", Line);
        one(&c.term, "consent.term", Lines);
        one(&c.storage, "consent.storage", Lines);
        one(&c.withdrawal, "consent.withdrawal", Lines);
        one(&c.cross_border, "consent.cross_border", Lines);
        one(&c.storage_location, "consent.storage_location", Lines);
        one(&c.text, "consent.text", Lines);
        one(&c.label, "consent.label", Lines);
    }
    for p in &f.partners {
        let p = p.get_ref();
        one(&p.name, "partners.name", Line);
        one(&p.logo, "partners.logo", Line);
        one(&p.placement, "partners.placement", Line);
        one(&p.website, "partners.website", Url);
    }
    for g in &f.gallery {
        let g = g.get_ref();
        one(&g.image, "gallery.image", Line);
        one(&g.caption, "gallery.caption", Line);
        one(&g.source, "gallery.source", Line);
    }
    if let Some(t) = &f.theme {
        let t = t.get_ref();
        one(&t.name, "theme.name", Line);
        one(&t.accent, "theme.accent", Line);
    }
    if let Some(m) = &f.mailings {
        let m = m.get_ref();
        one(&m.recording_url, "mailings.recording_url", Url);
        one(&m.slides_url, "mailings.slides_url", Url);
        one(&m.followup_offer, "mailings.followup_offer", Lines);
        for o in m.mail.values() {
            let o = o.get_ref();
            one(&o.subject, "mailings.mail.subject", Line);
            one(&o.body, "mailings.mail.body", Lines);
        }
    }
    if let Some(a) = &f.announcement {
        let a = a.get_ref();
        one(&a.post, "announcement.post", Lines);
        one(&a.cold_subject, "announcement.cold_subject", Line);
        one(&a.cold_body, "announcement.cold_body", Lines);
        one(&a.registration_url, "announcement.registration_url", Url);
    }
    // Lists of one-line values, and the speakers' keys.
    let lists = [
        f.event.as_ref().and_then(|e| e.get_ref().products.as_ref()),
        f.registration
            .as_ref()
            .and_then(|r| r.get_ref().reject_reasons.as_ref()),
        f.consent
            .as_ref()
            .and_then(|c| c.get_ref().purposes.as_ref()),
        f.consent.as_ref().and_then(|c| c.get_ref().data.as_ref()),
        f.consent
            .as_ref()
            .and_then(|c| c.get_ref().actions.as_ref()),
        f.consent
            .as_ref()
            .and_then(|c| c.get_ref().third_parties.as_ref()),
        f.mailings
            .as_ref()
            .and_then(|m| m.get_ref().reminders.as_ref()),
    ];
    for list in lists.into_iter().flatten() {
        out.extend(list.get_ref().iter().map(|v| (v, "[…]", Lines)));
    }
    for p in &f.program {
        let p = p.get_ref();
        out.extend(p.theses.iter().map(|v| (v, "program.theses", Lines)));
        out.extend(p.speakers.iter().map(|v| (v, "program.speakers", Line)));
    }
    if let Some(r) = &f.registration {
        for x in &r.get_ref().extra_fields {
            let opts = &x.get_ref().options;
            out.extend(
                opts.iter()
                    .map(|v| (v, "registration.extra_fields.options", Line)),
            );
        }
    }
    out.extend(f.speakers.keys().map(|k| (k, "speakers", Line)));
    out
}

/// A character no value may hold: control characters, noncharacters (U+FFFE), and line or
/// paragraph separators outside multi-line text. Tab and line breaks only in multi-line text.
fn bad_char(c: char, shape: Shape) -> bool {
    let multi = shape == Shape::Lines;
    match c {
        '\t' | '\n' | '\r' => !multi,
        '\u{2028}' | '\u{2029}' | '\u{85}' => !multi,
        c if c.is_control() => true,
        '\u{fdd0}'..='\u{fdef}' => true,
        c => (c as u32) & 0xFFFE == 0xFFFE,
    }
}

/// The first character of `s` that [`bad_char`] refuses. Only the bytes that can start one are
/// decoded: ASCII controls, and the lead bytes of U+0080–U+009F, U+2028/U+2029, U+FDD0–U+FFFF
/// and the planes above (every value's text went through `char_indices` before).
fn first_bad_char(s: &str, shape: Shape) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 || b == 0x7f || matches!(b, 0xc2 | 0xe2 | 0xef | 0xf0..=0xf4) {
            let c = s[i..].chars().next()?;
            if bad_char(c, shape) {
                return Some((i, c));
            }
            i += c.len_utf8();
        } else {
            i += 1;
        }
    }
    None
}

fn char_name(c: char) -> String {
    match c {
        '\n' => "перевод строки \\n".into(),
        '\r' => "возврат каретки \\r".into(),
        '\t' => "табуляция \\t".into(),
        c => format!("U+{:04X}", c as u32),
    }
}

fn texts(ctx: &Ctx) -> Vec<Diagnostic> {
    let sources = &ctx.event.sources;
    let mut out = Vec::new();
    for (v, key, shape) in strings(ctx) {
        let s = v.get_ref();
        let at = |range: std::ops::Range<usize>| Some(sources.span_in_string(&v.span(), range));
        if let Some((i, c)) = first_bad_char(s, shape) {
            let name = char_name(c);
            let line_break = matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}');
            let (message, help) = if line_break {
                (
                    t!(
                        "в однострочном значении `{key}` перевод строки ({name})",
                        "the one-line value `{key}` holds a line break ({name})"
                    ),
                    t!(
                        "запишите `{key}` в одну строку: в письмах, календаре и заголовках перевод строки ломает формат",
                        "write `{key}` on one line: a line break breaks mails, the calendar and headers"
                    ),
                )
            } else {
                (
                    t!(
                        "в значении `{key}` управляющий или недопустимый символ {name}",
                        "the value `{key}` holds a control or invalid character {name}"
                    ),
                    t!(
                        "удалите невидимый символ (он мог попасть при копировании из другой программы)",
                        "delete the invisible character (it may have come with a copy-paste)"
                    ),
                )
            };
            out.push(
                Diagnostic::new("input.text", message)
                    .at(at(i..i + c.len_utf8()))
                    .help(help),
            );
            continue;
        }
        let max = shape.max_chars();
        // No more bytes than the limit: no more characters either.
        if let Some((cut, _)) = (s.len() > max).then(|| s.char_indices().nth(max)).flatten() {
            out.push(
                Diagnostic::new(
                    "input.text",
                    t!(
                        "значение `{key}` слишком длинное: больше {max} символов",
                        "the value `{key}` is too long: more than {max} characters"
                    ),
                )
                .at(at(cut..cut))
                .help(t!(
                    "сократите текст до {max} символов",
                    "shorten it to {max} characters"
                )),
            );
            continue;
        }
        // Markup and scripting in a value: the Bitrix24 content filter refuses the page for
        // it, so check refuses it first (build failed on `<svg` in a caption; point 10).
        if shape != Shape::Url {
            if let Some(p) = super::content_filter::check_content(s).into_iter().next() {
                let snippet = p.snippet.clone();
                let why_ru = p.message.ru.clone();
                let why_en = p.message.en.clone();
                let end = (p.offset + snippet.len()).min(s.len());
                out.push(
                    Diagnostic::new(
                        "input.text",
                        t!(
                            "в `{key}` есть «{snippet}»: это код, а не текст ({why_ru})",
                            "`{key}` holds \"{snippet}\": that is code, not text ({why_en})"
                        ),
                    )
                    .at(at(p.offset..end.max(p.offset)))
                    .help(t!(
                        "уберите разметку и скрипты из текста: страница и письма собираются из простого текста и Markdown",
                        "remove the markup and scripts: the page and mails are made from plain text and Markdown"
                    )),
                );
                continue;
            }
        }
        if shape == Shape::Url && !s.trim().is_empty() {
            let t = s.trim().to_ascii_lowercase();
            let ok = (t.starts_with("https://") || t.starts_with("http://"))
                && !t.contains(char::is_whitespace)
                && t.len() > "https://".len();
            if !ok {
                out.push(
                    Diagnostic::new(
                        "input.text",
                        t!(
                            "`{key}` — не веб-адрес http(s): «{s}»",
                            "`{key}` is not an http(s) address: \"{s}\""
                        ),
                    )
                    .at(Some(v.span()))
                    .help(t!(
                        "укажите полный адрес, начиная с https://",
                        "write the full address starting with https://"
                    )),
                );
            }
        }
    }
    out.extend(counts(ctx));
    cap(out, MAX_TEXT_DIAGNOSTICS)
}

/// Lists the input drives work by (every program item is laid out on the page, in both
/// exports and the mails) are capped well above any real webinar.
fn counts(ctx: &Ctx) -> Vec<Diagnostic> {
    let f = &ctx.event.file;
    let mut lists: Vec<(&'static str, usize, usize, Option<std::ops::Range<usize>>)> = vec![
        (
            "program",
            f.program.len(),
            60,
            f.program.get(60).map(|p| p.span()),
        ),
        (
            "speakers",
            f.speakers.len(),
            60,
            f.speakers.values().nth(60).map(|p| p.span()),
        ),
        (
            "partners",
            f.partners.len(),
            30,
            f.partners.get(30).map(|p| p.span()),
        ),
        (
            "gallery",
            f.gallery.len(),
            60,
            f.gallery.get(60).map(|p| p.span()),
        ),
    ];
    for p in &f.program {
        let p = p.get_ref();
        lists.push((
            "program.theses",
            p.theses.len(),
            30,
            p.theses.get(30).map(|t| t.span()),
        ));
        lists.push((
            "program.speakers",
            p.speakers.len(),
            20,
            p.speakers.get(20).map(|t| t.span()),
        ));
    }
    if let Some(o) = &f.organizer {
        let c = &o.get_ref().contacts;
        lists.push((
            "organizer.contacts",
            c.len(),
            20,
            c.get(20).map(|t| t.span()),
        ));
    }
    if let Some(r) = &f.registration {
        let x = &r.get_ref().extra_fields;
        lists.push((
            "registration.extra_fields",
            x.len(),
            20,
            x.get(20).map(|t| t.span()),
        ));
        for field in x {
            let o = &field.get_ref().options;
            lists.push((
                "registration.extra_fields.options",
                o.len(),
                100,
                o.get(100).map(|t| t.span()),
            ));
        }
    }
    if let Some(m) = &f.mailings {
        let mail = &m.get_ref().mail;
        lists.push((
            "mailings.mail",
            mail.len(),
            20,
            mail.values().nth(20).map(|t| t.span()),
        ));
    }
    lists
        .into_iter()
        .filter(|(_, n, max, _)| n > max)
        .map(|(key, n, max, span)| {
            Diagnostic::new(
                "input.text",
                t!(
                    "слишком много элементов `{key}`: {n} (предел {max})",
                    "too many `{key}` entries: {n} (limit {max})"
                ),
            )
            .at(span)
            .help(t!(
                "оставьте не больше {max}: страница вебинара — не каталог",
                "keep at most {max}: a webinar page is not a catalogue"
            ))
        })
        .collect()
}

/// At most `max` diagnostics, then one that counts the rest.
fn cap(mut out: Vec<Diagnostic>, max: usize) -> Vec<Diagnostic> {
    if out.len() > max {
        let more = out.len() - max;
        let last_span = out[max].span.clone();
        out.truncate(max);
        out.push(
            Diagnostic::new(
                "input.text",
                t!(
                    "…и ещё {more} таких же ошибок",
                    "…and {more} more of the same"
                ),
            )
            .at(last_span),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds what decoding every character finds, for every character between
    /// two letters, in one-line and multi-line values.
    #[test]
    fn the_byte_scan_finds_every_bad_character() {
        let mut s = String::new();
        for shape in [Shape::Line, Shape::Lines] {
            for c in (0..=0x10ffff).filter_map(char::from_u32) {
                s.clear();
                s.push_str("я«a");
                s.push(c);
                s.push('b');
                let naive = s.char_indices().find(|(_, c)| bad_char(*c, shape));
                assert_eq!(first_bad_char(&s, shape), naive, "U+{:04X}", c as u32);
            }
        }
    }
}
