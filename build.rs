//! Build steps:
//!
//! - links the `bxland` executable as a non-PIE binary on Linux;
//! - compiles `data/competitors.toml` into Rust statics (`$OUT_DIR/competitors.rs`), so that
//!   `bxland check` neither parses TOML nor folds spellings at every start;
//! - compiles `data/lexicon/ru.tsv` (the Russian lexicon) and `data/rules/*.toml` (the pattern
//!   rules of `text.*`) into static tables (see `src/rules/text/compile.rs`);
//! - compiles the word lists of the text rules (`src/rules/text/*_words.rs`) into patterns,
//!   and the built-in mail texts into JSON, for the same reason.
//!
//! The program carries large tables of pointers (CSS browser data, time zones, rule
//! dictionaries); in a position-independent executable each of them is relocated at every
//! start, which costs about 10 ms of page faults before `main` — more than checking an event.
//! A fixed-address executable has them resolved at link time: `bxland --version` drops from
//! ~12 ms to ~2 ms (see README, Batch → Performance). The library and the tests are not
//! affected.

use std::fmt::Write as _;
use std::path::Path;

// How spellings are read and words keyed: the program's own code (`lexicon.rs` uses it too).
// The build script needs only part of it.
#[allow(dead_code)]
mod spelling {
    include!("src/rules/text/spelling.rs");
}

// The format of `data/competitors.toml` (the tests of `competitor.rs` read it with it too).
mod competitor_data {
    include!("src/rules/text/competitor_data.rs");
}

// The spellings of prices and `form.third-party`.
mod price_words {
    include!("src/rules/text/price_words.rs");
}
mod third_party_words {
    include!("src/rules/text/third_party_words.rs");
}
mod brand_words {
    include!("src/rules/text/brand_words.rs");
}
// Parts of speech and grammemes as bits, shared with the annotator.
#[allow(dead_code)]
mod grammar {
    include!("src/rules/text/grammar.rs");
}
// Compiles the lexicon and the pattern rules (the code is beside the annotator that reads it).
#[path = "src/rules/text/compile.rs"]
mod text_rules;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/rules/text/spelling.rs");
    println!("cargo:rerun-if-changed=src/rules/text/competitor_data.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }

    generate("data/competitors.toml", |text| {
        Ok(vec![("competitors.rs".into(), competitors(text)?)])
    });
    {
        use price_words::*;
        word_lists(
            "price",
            &[
                ("CURRENCY_WORDS", CURRENCY_WORDS),
                ("MULTIPLIERS", MULTIPLIERS),
                ("PRICE_WORDS", PRICE_WORDS),
                ("ATTENDANCE", ATTENDANCE),
                ("FIGURES", FIGURES),
                ("PAID", PAID),
            ],
        );
    }
    word_lists("third_party", &[("SERVICES", third_party_words::SERVICES)]);
    word_lists(
        "brand",
        &[
            ("BITRIX", brand_words::BITRIX),
            ("PLATFORMS", brand_words::PLATFORMS),
        ],
    );
    println!("cargo:rerun-if-changed=src/rules/text/grammar.rs");
    println!("cargo:rerun-if-changed=src/rules/text/compile.rs");
    text_rules::compile();
    generate("src/comms/strings.toml", |text| {
        let table = toml::from_str::<toml::Table>(text).map_err(|e| e.to_string())?;
        // One file per language: a run reads the one its event is written in.
        ["ru", "kk"]
            .into_iter()
            .map(|lang| {
                let value = table.get(lang).ok_or(format!("no [{lang}]"))?;
                let mut json = String::new();
                to_json(value, &mut json).map(|()| (format!("strings.{lang}.json"), json))
            })
            .collect()
    });
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

/// Runs `make` over the text of `source` and writes the files it returns (name, content) into
/// `OUT_DIR`; a mistake in `source` stops the build, naming the file.
pub(crate) fn generate(
    source: &str,
    make: impl FnOnce(&str) -> Result<Vec<(String, String)>, String>,
) {
    println!("cargo:rerun-if-changed={source}");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    match std::fs::read_to_string(source)
        .map_err(|e| e.to_string())
        .and_then(|text| make(&text))
    {
        Ok(files) => {
            for (name, content) in files {
                write_if_changed(&Path::new(&out).join(name), &content);
            }
        }
        Err(e) => {
            eprintln!("error: {source}: {e}");
            std::process::exit(1);
        }
    }
}

pub(crate) fn write_if_changed(path: &Path, code: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(code) {
        std::fs::write(path, code).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// The Rust source of the dictionary: `CATEGORIES`, `PRODUCTS` and `SPELLINGS` (each spelling
/// compiled into words as `lexicon::Pattern::parse` would, with its product).
fn competitors(text: &str) -> Result<String, String> {
    let data: competitor_data::FileData = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut categories = String::new();
    let mut products = String::new();
    let mut spellings = String::new();
    let mut words = String::new();
    let (mut count, mut product) = (0, 0);
    // The brand recogniser's phonetic stems (see `competitor.rs`, mod phonetic): the full
    // stem, and the stem without its last vowel (for derived words).
    let mut phonetic: std::collections::BTreeMap<String, usize> = Default::default();
    let mut trimmed: std::collections::BTreeMap<String, usize> = Default::default();
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
            for s in &p.spellings {
                if s.contains([' ', '-', '.', '\'']) {
                    continue;
                }
                let stem = s.split('~').next().unwrap_or(s);
                let k = spelling::phon_key(&spelling::key(stem));
                if k.chars().count() < 4 {
                    continue;
                }
                let t = k.trim_end_matches(['a', 'o', 'e', 'и', 'y', 'ы', 'я', 'ю']);
                if t.chars().count() >= 4 && t != k {
                    trimmed.entry(t.to_string()).or_insert(product);
                }
                phonetic.entry(k).or_insert(product);
            }
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
    let table = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, p)| format!("({k:?}, {p})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut heads: Vec<String> = phonetic
        .keys()
        .chain(trimmed.keys())
        .map(|k| k.chars().take(3).collect())
        .collect();
    heads.sort();
    heads.dedup();
    let phonetic_code = format!(
        "/// Phonetic stems → product, sorted.\nstatic PHONETIC: [(&str, usize); {}] = [{}];\n\
         /// Stems without their last vowel → product, sorted.\nstatic PHONETIC_TRIMMED: [(&str, usize); {}] = [{}];\n\
         /// The first three characters of every stem, sorted.\nstatic PHONETIC_HEADS: [&str; {}] = {heads:?};\n",
        phonetic.len(),
        table(&phonetic),
        trimmed.len(),
        table(&trimmed),
        heads.len(),
    );
    Ok(format!(
        "// Generated by build.rs from data/competitors.toml: edit that file, not this one.\n\n{phonetic_code}\
         static CATEGORIES: [Category; {}] = [\n{categories}];\n\n\
         static PRODUCTS: [Competitor; {}] = [\n{products}];\n\n\
         static SPELLINGS: [(Pattern, Entry); {count}] = [\n{spellings}];\n\n{words}",
        data.category.len(),
        product,
    ))
}

/// Compiles the lists of `src/rules/text/{stem}_words.rs` into `$OUT_DIR/{stem}.rs` (see
/// [`patterns`]), which the rule file `{stem}.rs` includes.
fn word_lists(stem: &str, lists: &[(&str, &[&str])]) {
    let source = format!("{stem}_words.rs");
    generate(&format!("src/rules/text/{source}"), |_| {
        Ok(vec![(format!("{stem}.rs"), patterns(&source, lists)?)])
    });
}

/// The Rust source of word lists compiled into patterns: for each `(NAME, spellings)`, a
/// `pub static NAME: [Pattern; n]` (see `lexicon::Pattern::compiled`).
fn patterns(source: &str, lists: &[(&str, &[&str])]) -> Result<String, String> {
    let mut code =
        format!("// Generated by build.rs from src/rules/text/{source}: edit that file.\n");
    for (name, list) in lists {
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

/// The words of a spelling as `Token::compiled(..)` expressions, read by the same
/// `spelling::spelling_words` as `lexicon::Pattern::parse` reads them at run time.
pub(crate) fn tokens(spelling: &str) -> Result<Vec<String>, String> {
    Ok(spelling::spelling_words(spelling)?
        .into_iter()
        .map(|w| {
            format!(
                "Token::compiled({:?}, Endings::{:?}, {})",
                w.key, w.endings, w.capital
            )
        })
        .collect())
}
