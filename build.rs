//! Build steps:
//!
//! - links the `bxland` executable as a non-PIE binary on Linux;
//! - compiles `data/competitors.toml` into Rust statics (`$OUT_DIR/competitors.rs`), so that
//!   `bxland check` neither parses TOML nor folds spellings at every start.
//!
//! The program carries large tables of pointers (CSS browser data, time zones, rule
//! dictionaries); in a position-independent executable each of them is relocated at every
//! start, which costs about 10 ms of page faults before `main` — more than checking an event.
//! A fixed-address executable has them resolved at link time: `bxland --version` drops from
//! ~12 ms to ~2 ms (see README, Batch → Performance). The library and the tests are not
//! affected.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

// The spellings of `text.positioning`.
mod positioning_words {
    include!("src/rules/text/positioning_words.rs");
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }

    const COMPETITORS: &str = "data/competitors.toml";
    println!("cargo:rerun-if-changed={COMPETITORS}");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    match std::fs::read_to_string(COMPETITORS)
        .map_err(|e| e.to_string())
        .and_then(|text| competitors(&text))
    {
        Ok(code) => write_if_changed(&Path::new(&out).join("competitors.rs"), &code),
        Err(e) => {
            eprintln!("error: {COMPETITORS}: {e}");
            std::process::exit(1);
        }
    }

    const POSITIONING: &str = "src/rules/text/positioning_words.rs";
    println!("cargo:rerun-if-changed={POSITIONING}");
    match positioning() {
        Ok(code) => write_if_changed(&Path::new(&out).join("positioning.rs"), &code),
        Err(e) => {
            eprintln!("error: {POSITIONING}: {e}");
            std::process::exit(1);
        }
    }

    const STRINGS: &str = "src/comms/strings.toml";
    println!("cargo:rerun-if-changed={STRINGS}");
    match std::fs::read_to_string(STRINGS)
        .map_err(|e| e.to_string())
        .and_then(|text| toml::from_str::<toml::Table>(&text).map_err(|e| e.to_string()))
        .and_then(|table| {
            // One file per language: a run reads the one its event is written in.
            ["ru", "kk"]
                .map(|lang| {
                    let value = table.get(lang).ok_or(format!("no [{lang}]"))?;
                    let mut json = String::new();
                    to_json(value, &mut json).map(|()| (lang, json))
                })
                .into_iter()
                .collect::<Result<Vec<_>, String>>()
        }) {
        Ok(files) => {
            for (lang, json) in files {
                write_if_changed(&Path::new(&out).join(format!("strings.{lang}.json")), &json);
            }
        }
        Err(e) => {
            eprintln!("error: {STRINGS}: {e}");
            std::process::exit(1);
        }
    }
}

/// `value` as JSON, which `serde_json` reads several times faster than `toml` reads TOML
/// (the built-in texts are read at every start).
fn to_json(value: &toml::Value, out: &mut String) -> Result<(), String> {
    match value {
        toml::Value::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        toml::Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_json(v, out)?;
            }
            out.push(']');
        }
        toml::Value::Table(table) => {
            out.push('{');
            for (i, (k, v)) in table.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_json(&toml::Value::String(k.clone()), out)?;
                out.push(':');
                to_json(v, out)?;
            }
            out.push('}');
        }
        other => {
            return Err(format!(
                "{other}: only strings, arrays and tables are expected"
            ))
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, code: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(code) {
        std::fs::write(path, code).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

// The format of data/competitors.toml; src/rules/text/competitor.rs reads the same format at
// run time in its tests, and a test there checks that both give the same dictionary.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileData {
    category: Vec<CategoryData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryData {
    id: String,
    ru: String,
    en: String,
    product: Vec<ProductData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductData {
    name: String,
    spellings: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<String>,
}

/// The Rust source of the dictionary: `CATEGORIES`, `PRODUCTS` and `SPELLINGS` (each spelling
/// compiled into words as `lexicon::Pattern::parse` would, with its product).
fn competitors(text: &str) -> Result<String, String> {
    let data: FileData = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut categories = String::new();
    let mut products = String::new();
    let mut spellings = String::new();
    let mut words = String::new();
    let (mut count, mut product) = (0, 0);
    for (c, cat) in data.category.iter().enumerate() {
        writeln!(
            categories,
            "    Category {{ id: Cow::Borrowed({:?}), ru: Cow::Borrowed({:?}), en: Cow::Borrowed({:?}) }},",
            cat.id, cat.ru, cat.en
        )
        .unwrap();
        for p in &cat.product {
            if p.spellings.is_empty() && p.ambiguous.is_empty() {
                return Err(format!("{}: no spellings", p.name));
            }
            let all = p.spellings.iter().map(|s| (s, false));
            for (s, ambiguous) in all.chain(p.ambiguous.iter().map(|s| (s, true))) {
                let tokens = tokens(s).map_err(|e| format!("product «{}»: {e}", p.name))?;
                // A static of its own: a temporary array would not live long enough.
                writeln!(
                    words,
                    "static W{count}: [Token; {}] = [{}];",
                    tokens.len(),
                    tokens.join(", ")
                )
                .unwrap();
                writeln!(
                    spellings,
                    "    (Pattern::compiled({s:?}, &W{count}), Entry {{ product: {product}, ambiguous: {ambiguous} }}),"
                )
                .unwrap();
                count += 1;
            }
            writeln!(
                products,
                "    Competitor {{ name: Cow::Borrowed({:?}), category: {c} }},",
                p.name
            )
            .unwrap();
            product += 1;
        }
    }
    Ok(format!(
        "// Generated by build.rs from data/competitors.toml: edit that file, not this one.\n\n\
         static CATEGORIES: [Category; {}] = [\n{categories}];\n\n\
         static PRODUCTS: [Competitor; {}] = [\n{products}];\n\n\
         static SPELLINGS: [(Pattern, Entry); {count}] = [\n{spellings}];\n\n{words}",
        data.category.len(),
        product,
    ))
}

/// The Rust source of the lexicons of `text.positioning`: `LEADS`, `BRANDS`, `COMPANY` and
/// `VERBS`, each a static array of compiled patterns.
fn positioning() -> Result<String, String> {
    use positioning_words::{leads, BRANDS, COMPANY, VERBS};
    let leads = leads();
    let leads: Vec<&str> = leads.iter().map(String::as_str).collect();
    let mut code = String::from(
        "// Generated by build.rs from src/rules/text/positioning_words.rs: edit that file.\n",
    );
    for (name, list) in [
        ("LEADS", &leads[..]),
        ("BRANDS", BRANDS),
        ("COMPANY", COMPANY),
        ("VERBS", VERBS),
    ] {
        let mut patterns = String::new();
        for (i, s) in list.iter().enumerate() {
            let tokens = tokens(s)?;
            // A static of its own: a temporary array would not live long enough.
            writeln!(
                code,
                "static {name}_{i}: [Token; {}] = [{}];",
                tokens.len(),
                tokens.join(", ")
            )
            .unwrap();
            writeln!(patterns, "    Pattern::compiled({s:?}, &{name}_{i}),").unwrap();
        }
        writeln!(
            code,
            "pub static {name}: [Pattern; {}] = [\n{patterns}];",
            list.len()
        )
        .unwrap();
    }
    Ok(code)
}

/// The words of a spelling as `Token::compiled(..)` expressions: the syntax of
/// `lexicon::Pattern::parse` (src/rules/text/lexicon.rs), keys as `tokens::key` folds them.
fn tokens(spelling: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for part in spelling.split([' ', '-', '.']).filter(|p| !p.is_empty()) {
        let (word, endings) = match part.split_once('~') {
            None => (part, "Exact"),
            Some((w, "m")) => (w, "Masc"),
            Some((w, "f")) => (w, "Fem"),
            Some((w, "y")) => (w, "FemSoft"),
            Some((w, "a")) => (w, "Adj"),
            Some((w, "*")) => (w, "Prefix"),
            Some((_, m)) => return Err(format!("«{spelling}»: unknown declension mark ~{m}")),
        };
        if word.is_empty() || !word.chars().all(is_word_char) {
            return Err(format!(
                "«{spelling}»: «{word}» is not a word (letters and digits only)"
            ));
        }
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        out.push(format!(
            "Token::compiled({:?}, Endings::{endings}, {capital})",
            key(word)
        ));
    }
    if out.is_empty() {
        return Err(format!("«{spelling}» is empty"));
    }
    Ok(out)
}

/// `tokens::is_word_char`.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// `tokens::key`: lower case, Cyrillic look-alikes folded onto Latin letters.
fn key(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'а' => 'a',
            'в' => 'b',
            'е' | 'ё' => 'e',
            'к' => 'k',
            'м' => 'm',
            'н' => 'h',
            'о' => 'o',
            'р' => 'p',
            'с' => 'c',
            'т' => 't',
            'у' => 'y',
            'х' => 'x',
            'і' => 'i',
            'ј' => 'j',
            'ѕ' => 's',
            'һ' => 'h',
            'ԛ' => 'q',
            'ԝ' => 'w',
            c => c,
        })
        .collect()
}
