//! Reading an event folder: `event.toml` (and an `agency.toml` above it) into an [`Event`],
//! or `input.parse` diagnostics that say where and how the file is wrong.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::event::model::EventFile;
use crate::event::{merge, Event, Sources};
use crate::t;

pub const EVENT_FILE: &str = "event.toml";
pub const AGENCY_FILE: &str = "agency.toml";
/// Larger inputs are refused before parsing: an event file is a page of text, not a database.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A folder that could not be loaded: the diagnostics, and the files they point into.
#[derive(Debug)]
pub struct LoadFailure {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn load(dir: &Path) -> Result<Event, LoadFailure> {
    let mut sources = Sources::default();
    let event_path = dir.join(EVENT_FILE);
    let text = match read_text(&event_path, EVENT_FILE) {
        Ok(text) => text,
        Err(d) => {
            return Err(LoadFailure {
                sources,
                diagnostics: vec![d],
            })
        }
    };
    let (_, padded) = sources.add(EVENT_FILE, event_path, text);
    let mut diagnostics = Vec::new();
    let file = parse_event_file(&padded, &sources, &mut diagnostics);

    let mut agency = None;
    if let Some(agency_path) = find_agency_file(dir) {
        let name = relative_name(dir, &agency_path);
        match read_text(&agency_path, &name) {
            Ok(text) => {
                let (_, padded) = sources.add(name, agency_path, text);
                agency = parse_event_file(&padded, &sources, &mut diagnostics);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    match file {
        Some(file) if diagnostics.is_empty() => {
            let file = match agency {
                Some(agency) => merge::under(file, agency),
                None => file,
            };
            Ok(Event {
                dir: dir.to_path_buf(),
                file,
                sources,
            })
        }
        _ => Err(LoadFailure {
            sources,
            diagnostics,
        }),
    }
}

// A large error is fine here: it is built once per unreadable file, never in a loop.
#[allow(clippy::result_large_err)]
fn read_text(path: &Path, name: &str) -> Result<String, Diagnostic> {
    let parse_error = |ru: String, en: String| {
        Diagnostic::new("input.parse", crate::i18n::Text::new(ru, en)).in_file(name)
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(parse_error(
                format!("файл {name} не найден"),
                format!("{name} not found"),
            )
            .help(t!(
                "создайте папку события командой `bxland new ПАПКА` или укажите папку, в которой лежит {name}",
                "create an event folder with `bxland new DIR`, or name the folder that holds {name}"
            )))
        }
        Err(e) => {
            return Err(parse_error(
                format!("не удалось прочитать {name}: {e}"),
                format!("cannot read {name}: {e}"),
            ))
        }
    };
    if meta.is_dir() {
        return Err(parse_error(
            format!("{name} — это папка, а должен быть файл"),
            format!("{name} is a directory, not a file"),
        )
        .help(t!(
            "замените папку {name} файлом в формате TOML",
            "replace the directory {name} with a TOML file"
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(parse_error(
            format!("{name} слишком большой ({} байт, предел {MAX_FILE_BYTES})", meta.len()),
            format!("{name} is too large ({} bytes, limit {MAX_FILE_BYTES})", meta.len()),
        )
        .help(t!("вынесите длинные тексты и картинки из файла; в нём остаются только описание и программа", "keep only the description and program in the file")));
    }
    // Opened without blocking and checked to be a regular file before a byte is read: a FIFO
    // named event.toml blocked check and build forever.
    let bytes = crate::event::files::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::event::files::ReadError::NotAFile => parse_error(
            format!("{name} — не обычный файл (канал, устройство или сокет)"),
            format!("{name} is not a regular file (a pipe, device or socket)"),
        )
        .help(t!(
            "замените {name} обычным текстовым файлом в формате TOML",
            "replace {name} with a plain TOML text file"
        )),
        e => parse_error(
            format!("не удалось прочитать {name}: {e}"),
            format!("cannot read {name}: {e}"),
        ),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or_default();
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        parse_error(
            format!("{name}: строка {line}, столбец {column}: файл не в кодировке UTF-8"),
            format!("{name}: line {line}, column {column}: the file is not valid UTF-8"),
        )
        .help(t!(
            "сохраните файл в кодировке UTF-8 (в редакторе: «Сохранить с кодировкой» → UTF-8)",
            "save the file as UTF-8"
        ))
    })
}

fn parse_event_file(text: &str, sources: &Sources, out: &mut Vec<Diagnostic>) -> Option<EventFile> {
    match toml::from_str::<EventFile>(text) {
        Ok(file) => Some(file),
        Err(err) => {
            out.push(parse_diagnostic(&err, text, sources));
            None
        }
    }
}

/// Turns a toml/serde error into an `input.parse` diagnostic with a fix.
fn parse_diagnostic(err: &toml::de::Error, text: &str, _sources: &Sources) -> Diagnostic {
    let message = err.message().trim().to_string();
    let span = err.span();
    let key = span.as_ref().and_then(|s| key_at(text, s.start));
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (unknown, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let best = did_you_mean(unknown, &candidates);
        let help = match best {
            Some(best) => t!(
                "возможно, вы имели в виду `{best}`",
                "did you mean `{best}`?"
            ),
            None => {
                let list = candidates.join(", ");
                t!(
                    "допустимые ключи здесь: {list}",
                    "the keys allowed here: {list}"
                )
            }
        };
        return Diagnostic::new(
            "input.parse",
            t!("неизвестный ключ `{unknown}`", "unknown key `{unknown}`"),
        )
        .at(span)
        .help(help);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        let found_ru = type_ru(found);
        let expected_ru = type_ru(expected);
        let key = key.unwrap_or_else(|| "?".into());
        return Diagnostic::new(
            "input.parse",
            t!(
                "неверный тип значения `{key}`: ожидается {expected_ru}, а записано {found_ru}",
                "wrong type for `{key}`: expected {expected}, found {found}"
            ),
        )
        .at(span)
        .help(t!(
            "запишите `{key}` как {expected_ru}: см. пример в example-event/event.toml",
            "write `{key}` as {expected}; see example-event/event.toml"
        ));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let list = candidates.join(", ");
        let key = key.unwrap_or_else(|| "?".into());
        let help = match did_you_mean(value, &candidates) {
            Some(best) => t!(
                "возможно, вы имели в виду \"{best}\"",
                "did you mean \"{best}\"?"
            ),
            None => t!("допустимые значения: {list}", "allowed values: {list}"),
        };
        return Diagnostic::new(
            "input.parse",
            t!(
                "недопустимое значение \"{value}\" для `{key}`",
                "\"{value}\" is not allowed for `{key}`"
            ),
        )
        .at(span)
        .help(help);
    }
    if message.starts_with("duplicate key") {
        return Diagnostic::new(
            "input.parse",
            t!("ключ задан дважды: {message}", "{message}"),
        )
        .at(span)
        .help(t!(
            "оставьте одно значение ключа",
            "keep one value of the key"
        ));
    }
    // TOML syntax: the parser's own words, with the place.
    Diagnostic::new(
        "input.parse",
        t!(
            "синтаксическая ошибка TOML: {message}",
            "TOML syntax error: {message}"
        ),
    )
    .at(span)
    .help(t!(
        "проверьте кавычки, скобки и знак `=` в этой строке; строки пишутся в кавычках, даты — без",
        "check the quotes, brackets and `=` on this line; strings are quoted, dates are not"
    ))
}

fn type_ru(s: &str) -> String {
    let s = s.trim();
    let word = s.split_whitespace().next().unwrap_or(s);
    let ru = match word {
        "string" | "a" if s.contains("string") => "строка в кавычках",
        "string" => "строка в кавычках",
        "integer" => "целое число",
        "float" => "число",
        "boolean" => "true или false",
        "sequence" => "список [ ... ]",
        "map" | "struct" => "таблица",
        _ if s.contains("sequence") => "список [ ... ]",
        _ if s.contains("boolean") => "true или false",
        _ if s.contains("string") => "строка в кавычках",
        _ if s.contains("integer") => "целое число",
        _ if s.contains("map") || s.contains("struct") || s.contains("table") => "таблица",
        _ => return s.to_string(),
    };
    ru.to_string()
}

/// The key written on the line where `offset` is (`title` in `title = 5`).
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &text[start..];
    let line = line.split('\n').next().unwrap_or("");
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}

pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The nearest `agency.toml` in a folder above the event (agency defaults).
fn find_agency_file(dir: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(dir).ok()?;
    dir.ancestors()
        .skip(1)
        .map(|d| d.join(AGENCY_FILE))
        .find(|p| p.is_file())
}

fn relative_name(dir: &Path, path: &Path) -> String {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut ups = String::new();
    for ancestor in dir.ancestors() {
        if let Ok(rest) = path.strip_prefix(ancestor) {
            return format!("{ups}{}", rest.display());
        }
        ups.push_str("../");
    }
    path.display().to_string()
}
