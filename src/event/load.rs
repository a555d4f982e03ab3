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
    let bytes =
        crate::sources::regular::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
            crate::sources::regular::ReadError::NotAFile => parse_error(
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
        // A date or time without quotes reaches serde as a table (`start = 10:00`).
        let raw = span
            .as_ref()
            .and_then(|s| text.get(s.clone()))
            .unwrap_or("")
            .trim();
        let bare_datetime = raw.starts_with(|c: char| c.is_ascii_digit())
            && raw.contains([':', '-'])
            && (found.starts_with("map") || found.starts_with("struct"));
        let found_ru = if bare_datetime {
            "дата или время без кавычек".to_string()
        } else {
            type_ru(found)
        };
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
            "`{key}` — это {expected_ru}: см. пример в example-event/event.toml",
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
        let table = span.as_ref().and_then(|s| table_at(text, s.start));
        let (ru, en) = match (&key, &table) {
            (Some(key), _) => (
                format!("ключ `{key}` задан дважды"),
                format!("duplicate key `{key}`"),
            ),
            (None, Some(table)) => (
                format!("таблица [{table}] задана дважды"),
                format!("duplicate table [{table}]"),
            ),
            (None, None) => ("ключ задан дважды".into(), message.clone()),
        };
        return Diagnostic::new("input.parse", crate::i18n::Text::new(ru, en))
            .at(span)
            .help(t!(
                "оставьте одно из двух значений, а строку с другим удалите",
                "keep one of the two values and delete the other line"
            ));
    }
    // TOML syntax: the parser's words, in Russian where we know them, with the place.
    let (ru, help_ru) = syntax_ru(&message);
    Diagnostic::new(
        "input.parse",
        t!("ошибка в записи TOML: {ru}", "TOML syntax error: {message}"),
    )
    .at(span)
    .help(crate::i18n::Text::new(
        help_ru.to_string(),
        "check the quotes, brackets and `=` on this line; strings are quoted, dates are not",
    ))
}

/// The parser's `description, expected a, b` in Russian, and a fix for it. What is not
/// known here is said in general words: never the parser's English inside a Russian message.
fn syntax_ru(message: &str) -> (String, &'static str) {
    const GENERAL_HELP: &str =
        "проверьте кавычки, скобки и знак `=` в этой строке; строки пишутся в кавычках, даты — без";
    let (what, expected) = match message.split_once(", expected ") {
        Some((what, expected)) => (what.trim(), Some(expected.trim())),
        None => (message.trim(), None),
    };
    let expected_list: Vec<&str> = expected
        .map(|e| e.split(", ").map(str::trim).collect())
        .unwrap_or_default();
    let (ru, help): (String, &'static str) = match what {
        "invalid basic string" | "invalid string" | "invalid literal string" => (
            "строка не закрыта кавычкой".into(),
            "поставьте закрывающую кавычку `\"` в конце значения, на той же строке; длинный текст на несколько строк пишется в тройных кавычках \"\"\"…\"\"\"",
        ),
        "invalid multi-line basic string" | "invalid multi-line literal string" => (
            "многострочный текст не закрыт тройными кавычками".into(),
            "закончите текст строкой с тремя кавычками \"\"\"",
        ),
        "missing escaped value" => (
            "после обратной косой черты `\\` нет допустимого знака".into(),
            "чтобы написать саму косую черту, удвойте её: `\\\\`; или уберите её",
        ),
        "key with no value" | "missing assignment between key-value pairs" => (
            "после ключа нет знака `=` и значения".into(),
            "запишите ключ, знак `=` и значение: timezone = \"Asia/Almaty\"; текст на несколько строк начинается с \"\"\"",
        ),
        "string values must be quoted" | "unquoted string" => (
            "текст записан без кавычек".into(),
            "заключите значение в кавычки: title = \"Ответы на вопросы\"; без кавычек пишутся только числа, даты, true и false",
        ),
        "invalid boolean" => (
            "вместо true или false записано другое слово".into(),
            "да и нет пишутся как true и false, строчными буквами и без кавычек",
        ),
        "missing comma between array elements" => (
            "в списке не хватает запятой или закрывающей скобки `]`".into(),
            "разделяйте элементы списка запятыми и закройте список скобкой: [\"первый\", \"второй\"]",
        ),
        "extra comma in array" => (
            "в списке лишняя запятая".into(),
            "между элементами списка ставится одна запятая: [\"первый\", \"второй\"]",
        ),
        "unclosed table" | "unclosed array table" => (
            "заголовок таблицы не закрыт скобкой `]`".into(),
            "закройте заголовок: [theme] или [[program]]",
        ),
        "unclosed array" => (
            "список не закрыт скобкой `]`".into(),
            "закройте список скобкой: [\"первый\", \"второй\"]",
        ),
        "unclosed inline table" => (
            "таблица в фигурных скобках не закрыта `}`".into(),
            "закройте таблицу скобкой `}` на той же строке",
        ),
        "unexpected key or value" | "unexpected content" => (
            "после значения в строке есть что-то ещё".into(),
            "в одной строке — один ключ и одно значение; лишнее удалите или перенесите на новую строку",
        ),
        "invalid date" | "invalid date-time" | "invalid datetime" | "invalid time" => {
            let detail = expected_list
                .first()
                .and_then(|e| date_expected_ru(e))
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            let thing = if what == "invalid time" {
                "неверное время"
            } else {
                "неверная дата"
            };
            (
                format!("{thing}{detail}"),
                "дата пишется без кавычек как ГГГГ-ММ-ДД, например date = 2027-03-18; время пунктов программы — в кавычках: start = \"10:00\"",
            )
        }
        "invalid float" | "invalid integer number" | "invalid mantissa" | "invalid fraction"
        | "invalid exponent" | "unexpected leading zero" => (
            "неверно записано число или дата".into(),
            "дата пишется как ГГГГ-ММ-ДД (date = 2027-03-18), время и текст — в кавычках",
        ),
        "invalid key" | "invalid unquoted key" => (
            "неверно записан ключ".into(),
            "ключ пишется латиницей без пробелов, например title = \"…\"; текст на других языках — только в значении, в кавычках",
        ),
        "invalid table" | "invalid key-value pair" | "invalid inline table element" => (
            "неверно записана строка".into(),
            GENERAL_HELP,
        ),
        _ => ("не удалось прочитать эту строку".into(), GENERAL_HELP),
    };
    (ru, help)
}

/// What toml_datetime expected of a date or a time, in Russian.
fn date_expected_ru(expected: &str) -> Option<String> {
    let ru = match expected {
        "month between 01 and 12" => "месяц должен быть от 01 до 12".into(),
        "a four-digit year (YYYY)" => "год пишется четырьмя цифрами".into(),
        "a two-digit month (MM)" => "месяц пишется двумя цифрами (03, а не 3)".into(),
        "a two-digit day (DD)" => "день пишется двумя цифрами (05, а не 5)".into(),
        "a two-digit hour (HH)" => "часы пишутся двумя цифрами".into(),
        "a two-digit minute (MM)" => "минуты пишутся двумя цифрами".into(),
        "hour between 00 and 23" => "часы должны быть от 00 до 23".into(),
        "minute between 00 and 59" => "минуты должны быть от 00 до 59".into(),
        e => {
            let days = e.strip_prefix("day between 01 and ")?;
            format!("такого дня в этом месяце нет, в нём {days} дн.")
        }
    };
    Some(ru)
}

/// The table named on the line where `offset` is (`theme` in `[theme]`, `program` in
/// `[[program]]`).
fn table_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text[start..].split('\n').next().unwrap_or("").trim();
    let name = line.strip_prefix('[')?.trim_start_matches('[');
    let name = name.split(']').next()?.trim();
    (!name.is_empty()).then(|| name.to_string())
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
