//! Broken input never panics: every malformed event gets an `input.parse` (exit 2) or rule
//! diagnostic with a place and a fix.

use crate::support::common;

use common::{bxland, Scratch};

fn parse_error(s: &Scratch) -> serde_json::Value {
    let checked = s.check();
    assert_eq!(checked.code, 2, "{:#?}", checked.diagnostics());
    let found = checked.with_rule("input.parse");
    assert_eq!(found.len(), 1, "{:#?}", checked.diagnostics());
    assert!(!found[0]["help"].as_str().unwrap_or("").is_empty());
    found[0].clone()
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let s = Scratch::example();
    s.replace("timezone = \"Asia/Almaty\"", "timezone = \"Asia/Almaty");
    let d = parse_error(&s);
    assert_eq!(d["line"].as_u64(), Some(s.line_of("timezone = ")));
    assert!(d["column"].as_u64().is_some());
    assert_eq!(d["file"], "event.toml");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let s = Scratch::example();
    s.replace("audience = \"\"\"", "audiense = \"\"\"");
    let d = parse_error(&s);
    assert_eq!(d["line"].as_u64(), Some(s.line_of("audiense")));
    assert_eq!(d["column"].as_u64(), Some(1));
    assert!(d["message"].as_str().unwrap().contains("audiense"));
    assert!(d["help"].as_str().unwrap().contains("`audience`"), "{d}");
}

#[test]
fn unknown_key_in_a_nested_table() {
    let s = Scratch::example();
    s.replace("captcha = false", "capcha = false");
    let d = parse_error(&s);
    assert_eq!(d["line"].as_u64(), Some(s.line_of("capcha")));
    assert!(d["help"].as_str().unwrap().contains("`captcha`"));
}

#[test]
fn wrong_type_names_the_key_and_the_expected_type() {
    let s = Scratch::example();
    s.replace("captcha = false", "captcha = \"нет\"");
    let d = parse_error(&s);
    assert_eq!(d["line"].as_u64(), Some(s.line_of("captcha = \"нет\"")));
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("captcha") && msg.contains("true или false"),
        "{msg}"
    );
}

#[test]
fn unknown_kind_value_suggests_a_valid_one() {
    let s = Scratch::example();
    s.replace("kind = \"case\"", "kind = \"cases\"");
    let d = parse_error(&s);
    assert_eq!(d["line"].as_u64(), Some(s.line_of("kind = \"cases\"")));
    assert!(d["help"].as_str().unwrap().contains("\"case\""));
}

#[test]
fn invalid_utf8_is_reported_with_its_place() {
    let s = Scratch::example();
    let mut bytes = std::fs::read(s.toml_path()).unwrap();
    let at = bytes.windows(5).position(|w| w == b"title").unwrap();
    bytes.insert(at, 0xFF);
    std::fs::write(s.toml_path(), bytes).unwrap();
    let d = parse_error(&s);
    assert!(d["message"].as_str().unwrap().contains("UTF-8"));
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains(&format!("строка {}", s_line(&s))));
}

fn s_line(s: &Scratch) -> u64 {
    let bytes = std::fs::read(s.toml_path()).unwrap();
    let at = bytes.iter().position(|b| *b == 0xFF).unwrap();
    bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

#[test]
fn event_toml_that_is_a_directory() {
    let s = Scratch::example();
    std::fs::remove_file(s.toml_path()).unwrap();
    std::fs::create_dir(s.toml_path()).unwrap();
    let d = parse_error(&s);
    assert!(d["message"].as_str().unwrap().contains("папка"));
}

#[test]
fn missing_event_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let checked = common::check_dirs(&[tmp.path().to_path_buf()]);
    assert_eq!(checked.code, 2);
    assert_eq!(checked.rules(), vec!["input.parse"]);
}

#[test]
fn logo_that_is_a_directory() {
    let s = Scratch::example();
    std::fs::create_dir(s.dir().join("assets/dir.svg")).unwrap();
    s.replace("logo = \"assets/logo.svg\"", "logo = \"assets/dir.svg\"");
    let checked = s.check();
    assert_eq!(checked.code, 1);
    checked.expect_at("input.path", s.line_of("assets/dir.svg"));
}

#[test]
fn empty_file_reports_every_missing_part_at_once() {
    let s = Scratch::example();
    s.set_toml("");
    let checked = s.check();
    assert_eq!(checked.code, 1);
    let rules = checked.rules();
    for rule in [
        "event.title",
        "event.date",
        "event.timezone",
        "event.audience",
        "event.description",
        "program.present",
        "organizer.logo",
        "organizer.contacts",
        "consent.sections",
    ] {
        assert!(
            rules.contains(&rule.to_string()),
            "{rule} missing in {rules:?}"
        );
    }
}

#[test]
fn huge_strings_are_handled() {
    let s = Scratch::example();
    let huge = "Очень длинное описание вебинара. ".repeat(20_000);
    s.replace("summary = \"", &format!("summary = \"{huge}"));
    let checked = s.check();
    // A 660 KB summary is read, and refused by its length cap (input.text), not choked on.
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics());
    let d = checked.with_rule("input.text");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["line"], 12);
}

#[test]
fn oversized_file_is_refused_before_parsing() {
    let s = Scratch::example();
    let mut text = s.toml();
    text.push_str(&format!("# {}\n", "x".repeat(5 * 1024 * 1024)));
    s.set_toml(&text);
    let d = parse_error(&s);
    assert!(d["message"].as_str().unwrap().contains("слишком большой"));
}

#[test]
fn human_report_is_rustc_style_with_help() {
    let s = Scratch::example();
    s.replace("end = \"10:10\"", "end = \"09:50\"");
    let out = bxland()
        .args(["check", s.dir().to_str().unwrap(), "--today", common::TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = s.line_of("end = \"09:50\"");
    assert!(text.contains("error[program.timing]:"), "{text}");
    assert!(text.contains(&format!("--> event.toml:{line}:7")), "{text}");
    assert!(text.contains("^^^^^^^"), "{text}");
    assert!(text.contains("= help: "), "{text}");
}

#[test]
fn english_on_request() {
    let s = Scratch::example();
    s.replace("captcha = false", "captcha = true");
    let out = bxland()
        .args([
            "--lang",
            "en",
            "check",
            s.dir().to_str().unwrap(),
            "--today",
            common::TODAY,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("CAPTCHA is forbidden by the rules"), "{text}");
}

#[test]
fn several_events_in_one_run_and_a_folder_of_events() {
    let good = Scratch::example();
    let bad = Scratch::example();
    bad.replace("captcha = false", "captcha = true");
    let checked = common::check_dirs(&[good.dir(), bad.dir()]);
    assert_eq!(checked.code, 1);
    let events = checked.json["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["ok"], true);
    assert_eq!(events[1]["ok"], false);
    // A folder holding event folders stands for all of them.
    let checked = common::check_dirs(&[good.tmp.path().to_path_buf()]);
    assert_eq!(checked.json["events"].as_array().unwrap().len(), 1);
}

#[test]
fn usage_error_exits_2() {
    bxland().args(["check"]).assert().code(2);
    bxland()
        .args(["check", ".", "--today", "tomorrow"])
        .assert()
        .code(2);
}

/// Random edits of the example never make the loader or the rules panic.
#[test]
fn mutated_events_never_panic() {
    let original = std::fs::read_to_string(common::example_dir().join("event.toml")).unwrap();
    let s = Scratch::example();
    let pieces = [
        "\"",
        "=",
        "[",
        "]",
        "\n",
        "[[program]]\n",
        "\"\"\"",
        "\\",
        "Вы",
        "10:61",
        "0",
        "{",
        "'",
        "#",
        "é",
        "\u{0}",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..300 {
        let mut text = original.clone();
        for _ in 0..1 + next(4) {
            let mut at = next(text.len().max(1)).min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match next(3) {
                0 => text.insert_str(at, pieces[next(pieces.len())]),
                1 => {
                    let mut end = (at + 1 + next(20)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => text.truncate(at),
            }
        }
        std::fs::write(s.toml_path(), &text).unwrap();
        let report = bxland::check::check_dir(
            &s.dir(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            &bxland::render::ThemeCache::new(),
        );
        for d in &report.diagnostics {
            // Rendering touches every span: it must not panic either.
            let _ = d.render(&report.sources, bxland::i18n::Lang::Ru, false);
            let _ = d.place(&report.sources);
        }
    }
}

/// The common mistakes in TOML itself, as a partner reads them: the parser's English never
/// inside a Russian message, and kept for `--lang en`.
#[test]
fn parser_errors_are_said_in_russian() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "unterminated string",
            "timezone = \"Asia/Almaty\"",
            "timezone = \"Asia/Almaty",
        ),
        (
            "missing =",
            "timezone = \"Asia/Almaty\"",
            "timezone \"Asia/Almaty\"",
        ),
        (
            "unquoted text",
            "timezone = \"Asia/Almaty\"",
            "timezone = Asia/Almaty",
        ),
        (
            "duplicate key",
            "timezone = \"Asia/Almaty\"",
            "timezone = \"Asia/Almaty\"\ntimezone = \"Asia/Almaty\"",
        ),
        (
            "duplicate table",
            "[theme]",
            "[theme]\nname = \"x\"\n[theme]",
        ),
        ("wrong type", "captcha = false", "captcha = \"нет\""),
        ("bare time", "start = \"10:00\"", "start = 10:00"),
        ("no such day", "date = 2027-03-18", "date = 2027-02-30"),
        ("one-digit month", "date = 2027-03-18", "date = 2027-3-18"),
        ("dotted date", "date = 2027-03-18", "date = 18.03.2027"),
        ("bad boolean", "captcha = false", "captcha = False"),
        (
            "list without comma",
            "products = [\"Битрикс24\"]",
            "products = [\"Битрикс24\"",
        ),
        ("unclosed table", "[theme]", "[theme"),
        (
            "extra value",
            "slug = \"b24-sales-2027-03\"",
            "slug = \"b24-sales-2027-03\" x",
        ),
        ("unknown key", "captcha = false", "capcha = false"),
    ];
    let mut report = String::new();
    for (name, from, to) in cases {
        let s = Scratch::example();
        s.replace(from, to);
        let d = parse_error(&s);
        let message = d["message"].as_str().unwrap();
        let help = d["help"].as_str().unwrap();
        for english in ["expected", "invalid", "duplicate", "string", "found", "map"] {
            assert!(
                !message.contains(english) && !help.contains(english),
                "{name}: {message} / {help}"
            );
        }
        report.push_str(&format!(
            "{name}: line {}\n  {message}\n  help: {help}\n",
            d["line"]
        ));
        let out = bxland()
            .args(["--lang", "en", "check", s.dir().to_str().unwrap()])
            .args(["--format", "json", "--today", common::TODAY])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let en = json["events"][0]["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert_ne!(en, message, "{name}");
        report.push_str(&format!("  en: {en}\n"));
    }
    insta::assert_snapshot!(report);
}

/// The keys added this round are one-line or Markdown values like the others: a line break in
/// the page address, a control character in a cold-mail title or a follow-up offer is refused.
#[test]
fn new_keys_are_held_to_input_text() {
    let s = Scratch::example();
    s.replace(
        "page_url = \"https://altyn-soft.example.kz/webinars/b24-sales-2027-03/\"",
        "page_url = \"https://altyn-soft.example.kz/webinars/b24-sales-2027-03/\\r\\nBcc: x@y.kz\"",
    );
    s.replace(
        "[mailings]",
        "[mailings]\nfollowup_offer = \"Скидка\\u001b на аудит\"",
    );
    let checked = s.check();
    let d = checked.with_rule("input.text");
    let messages: Vec<&str> = d.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert!(
        messages.iter().any(|m| m.contains("event.page_url")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("mailings.followup_offer")),
        "{messages:#?}"
    );
}
