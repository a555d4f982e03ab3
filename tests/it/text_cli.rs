//! End to end: `bxland check` on events that break the text rules reports each at the exact
//! word (line and column in event.toml), and `check --fix` rewrites the capitalised pronouns
//! and nothing else, byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// A copy of the example event in a temp dir, with event.toml transformed by `edit`.
fn event(edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ev");
    fs::create_dir_all(dir.join("assets")).unwrap();
    for e in fs::read_dir(example.join("assets")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join("assets").join(e.file_name())).unwrap();
    }
    fs::copy(example.join("program.lock"), dir.join("program.lock")).unwrap();
    let toml = fs::read_to_string(example.join("event.toml")).unwrap();
    fs::write(dir.join("event.toml"), edit(toml)).unwrap();
    (tmp, dir)
}

/// Replaces the description (its first line becomes line 14) and the summary (line 12).
fn with_texts(toml: String, summary: &str, description: &str) -> String {
    let start = toml.find("description = \"\"\"").unwrap();
    let end = toml[start + 20..].find("\"\"\"").unwrap() + start + 23;
    let toml = format!(
        "{}description = \"\"\"\n{description}\n\"\"\"{}",
        &toml[..start],
        &toml[end..]
    );
    let start = toml.find("summary = \"").unwrap();
    let end = toml[start..].find('\n').unwrap() + start;
    format!("{}summary = {summary}{}", &toml[..start], &toml[end..])
}

fn check_json(dir: &Path) -> (i32, Vec<(String, String, u64, u64)>) {
    let out = Command::cargo_bin("bxland")
        .unwrap()
        .args(["check", "--today", "2026-11-25", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let diags = doc["events"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (out.status.code().unwrap(), diags)
}

fn has(diags: &[(String, String, u64, u64)], rule: &str, line: u64, column: u64) -> bool {
    diags
        .iter()
        .any(|(r, s, l, c)| r == rule && s == "error" && *l == line && *c == column)
}

#[test]
fn every_text_rule_points_at_the_word() {
    let (_tmp, dir) = event(|t| {
        with_texts(
            t,
            r#""Цитата \"Ура\" — и Вас ждёт Trello""#,
            "Перенесём сделки из Мегаплана, а Вы получите план.\n\n- Лендинг на Тильде и форма на timepad.ru;\n- вебинар от «1С-Битрикс» и скидка 20 %.\n\nУчастие — 5 000 ₸.",
        )
    });
    let (code, diags) = check_json(&dir);
    assert_eq!(code, 1, "{diags:?}");
    let want = [
        ("text.pronoun-case", 12, 31),
        ("text.competitor", 12, 40),
        ("text.competitor", 14, 21),
        ("text.pronoun-case", 14, 34),
        ("text.competitor", 16, 14),
        ("form.third-party", 16, 32),
        ("text.positioning", 17, 3),
        ("text.sales", 17, 29),
        ("event.free", 19, 11),
    ];
    for (rule, line, col) in want {
        assert!(
            has(&diags, rule, line, col),
            "{rule} {line}:{col} not in {diags:?}"
        );
    }
    assert_eq!(diags.len(), want.len(), "{diags:?}");
}

#[test]
fn human_output_names_the_product_and_its_category() {
    let (_tmp, dir) = event(|t| with_texts(t, "\"Сводка\"", "Раньше клиенты жили в амоСРМ."));
    let out = Command::cargo_bin("bxland")
        .unwrap()
        .args(["check", "--today", "2026-11-25"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("text.competitor"), "{text}");
    assert!(text.contains("«амоСРМ» — это amoCRM (CRM)"), "{text}");
    assert!(text.contains("event.toml:14:23"), "{text}");
}

#[test]
fn a_product_named_as_it_is_is_not_named_twice() {
    let (_tmp, dir) = event(|t| with_texts(t, "\"Сводка\"", "Раньше клиенты жили в amoCRM."));
    let out = Command::cargo_bin("bxland")
        .unwrap()
        .args(["check", "--today", "2026-11-25"])
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("упомянут продукт конкурента «amoCRM» (CRM)"),
        "{text}"
    );
    assert!(!text.contains("«amoCRM» — amoCRM"), "{text}");
}

#[test]
fn ambiguous_names_only_warn() {
    let (_tmp, dir) = event(|t| {
        with_texts(
            t,
            "\"Сводка\"",
            "Раньше мы общались в Пачке. Каждый понедельник — планёрка.",
        )
    });
    let (code, diags) = check_json(&dir);
    assert_eq!(code, 0, "{diags:?}");
    assert_eq!(
        diags,
        [(
            "text.competitor-ambiguous".to_string(),
            "warning".to_string(),
            14,
            22
        )]
    );
}

fn fix(dir: &Path) -> (i32, String) {
    let out = Command::cargo_bin("bxland")
        .unwrap()
        .args(["check", "--today", "2026-11-25", "--fix"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const SUMMARY: &str = r#""Покажем, как Вы настроите CRM, и что Вас ждёт""#;
const DESCRIPTION: &str = "Вы узнаете всё.\nМы поможем Вашему отделу и Bам лично.\n\n- Ваши сделки в одном окне;\n- отчёты для Вашего руководителя.";

/// The exact bytes `--fix` must produce from `before`: the five pronouns and nothing else.
fn fixed(before: &str) -> String {
    let mut after = before.to_string();
    for (from, to) in [
        ("как Вы настроите", "как вы настроите"),
        ("что Вас ждёт", "что вас ждёт"),
        ("поможем Вашему", "поможем вашему"),
        ("и Bам лично", "и вам лично"),
        ("для Вашего", "для вашего"),
    ] {
        assert_eq!(after.matches(from).count(), 1, "{from}");
        after = after.replacen(from, to, 1);
    }
    after
}

#[test]
fn fix_rewrites_the_pronouns_and_nothing_else() {
    let (_tmp, dir) = event(|t| with_texts(t, SUMMARY, DESCRIPTION));
    let before = fs::read(dir.join("event.toml")).unwrap();
    let (code, stderr) = fix(&dir);
    let after = fs::read(dir.join("event.toml")).unwrap();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        String::from_utf8(after.clone()).unwrap(),
        fixed(&String::from_utf8(before.clone()).unwrap())
    );
    // Byte for byte: the only differing bytes are the second byte of each capital «В»
    // (D0 92 → D0 B2) and the Latin «B» (42 → D0 B2); all else is untouched.
    let diff = byte_diff(&before, &after);
    let cyr = (vec![0x92u8], vec![0xB2u8]);
    assert_eq!(
        diff,
        [
            cyr.clone(),
            cyr.clone(),
            cyr.clone(),
            (vec![b'B'], vec![0xD0, 0xB2]),
            cyr
        ]
    );
    assert_eq!(after.len(), before.len() + 1);
    for line in [
        "event.toml:12:25: «Вы» → «вы»",
        "event.toml:12:49: «Вас» → «вас»",
        "event.toml:15:12: «Вашему» → «вашему»",
        "event.toml:15:28: «Bам» → «вам»",
        "event.toml:18:14: «Вашего» → «вашего»",
    ] {
        assert!(stderr.contains(line), "{line} not in {stderr}");
    }
    // A second run has nothing left to do.
    let (code, stderr) = fix(&dir);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(fs::read(dir.join("event.toml")).unwrap(), after);
}

#[test]
fn fix_keeps_crlf_line_endings() {
    let (_tmp, dir) = event(|t| with_texts(t, SUMMARY, DESCRIPTION).replace('\n', "\r\n"));
    let before = fs::read_to_string(dir.join("event.toml")).unwrap();
    assert!(before.contains("\r\n"));
    let (code, stderr) = fix(&dir);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.join("event.toml")).unwrap(),
        fixed(&before)
    );
}

#[test]
fn fix_leaves_escaped_words_and_reports_them() {
    let (_tmp, dir) = event(|t| with_texts(t, r#""Что \u0412ас ждёт и что Вам даст""#, "Текст."));
    let before = fs::read_to_string(dir.join("event.toml")).unwrap();
    let (code, stderr) = fix(&dir);
    let after = fs::read_to_string(dir.join("event.toml")).unwrap();
    // «Вам» is fixed; «\u0412ас» is written with an escape and stays for the person.
    assert_eq!(after, before.replacen("что Вам", "что вам", 1));
    assert_eq!(code, 1, "{stderr}");
    let (_, diags) = check_json(&dir);
    assert!(has(&diags, "text.pronoun-case", 12, 16), "{diags:?}");
}

/// The differing runs of two byte strings, as (old, new) pairs.
fn byte_diff(a: &[u8], b: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        // Resynchronise on the next common 8 bytes.
        let (mut bi, mut bj) = (i, j);
        'find: for di in 0..8 {
            for dj in 0..8 {
                if a.len() >= i + di + 8
                    && b.len() >= j + dj + 8
                    && a[i + di..i + di + 8] == b[j + dj..j + dj + 8]
                {
                    (bi, bj) = (i + di, j + dj);
                    break 'find;
                }
            }
        }
        assert!(bi > i || bj > j, "no resync at {i}");
        out.push((a[i..bi].to_vec(), b[j..bj].to_vec()));
        (i, j) = (bi, bj);
    }
    assert_eq!((a.len() - i), (b.len() - j));
    out
}
