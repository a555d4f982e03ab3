//! Every text bxland delivers, read back from the built files and run through the text rules:
//! the mails and the SMS, the post and the cold mail, Site Management's install notes and
//! Bitrix24's form-setup checklist. `check` judges the event's own texts and the generated
//! mail texts before building; this holds the files themselves to the same rules, so that no
//! placeholder, competitor, comparison or «Вы» ships in a text `check` never saw.

use crate::support::render_common::*;

use std::path::Path;

use bxland::rules::{self, Ctx, GeneratedText, TextRole};

/// The delivered text files of one built event, with the role each plays.
fn delivered_files(out: &Path) -> Vec<(String, TextRole)> {
    let mut files = vec![
        ("site-management/README.txt".to_string(), TextRole::Notes),
        ("bitrix24/form-setup.md".to_string(), TextRole::Notes),
    ];
    for dir in ["mailings", "announce"] {
        let mut names: Vec<String> = std::fs::read_dir(out.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        names.sort();
        for name in names {
            let role = match (dir, name.as_str()) {
                ("mailings", "README.txt") => TextRole::Notes,
                ("mailings", n) if n.starts_with("followup") => TextRole::FollowUp,
                ("mailings", _) => TextRole::Mail,
                (_, n) if n.contains("cold") => TextRole::ColdMail,
                _ => TextRole::Announcement,
            };
            files.push((format!("{dir}/{name}"), role));
        }
    }
    files
}

fn assert_delivered_texts_pass(event_dir: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    bxland()
        .args(["build", "--today", "2026-11-25", "--out"])
        .arg(&out)
        .arg(event_dir)
        .assert()
        .code(0);
    let out = std::fs::read_dir(&out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let files = delivered_files(&out);
    assert!(files.len() >= 6, "{files:?}");
    let texts: Vec<GeneratedText> = files
        .iter()
        .map(|(path, role)| {
            let text = std::fs::read_to_string(out.join(path)).unwrap();
            assert!(!text.trim().is_empty(), "{path} is empty");
            GeneratedText::new(text, path.clone(), false, *role)
        })
        .collect();
    let event = load_event(event_dir);
    let ctx = Ctx::new(&event, today(), &texts);
    // The files have no place in event.toml: what the rules find in them has no span.
    let found: Vec<String> = rules::check(&ctx)
        .iter()
        .filter(|d| d.span.is_none() && d.rule.starts_with("text."))
        .map(|d| format!("{}: {}", d.rule, d.message.ru))
        .collect();
    assert!(
        found.is_empty(),
        "{}: the delivered files break text rules:\n{}",
        event_dir.display(),
        found.join("\n")
    );
}

#[test]
fn the_example_delivers_only_compliant_texts() {
    assert_delivered_texts_pass(&example_dir());
}

#[test]
fn the_kazakh_event_delivers_only_compliant_texts() {
    assert_delivered_texts_pass(&kk_dir());
}

/// The check above can fail: a placeholder left in a delivered text is found.
#[test]
fn a_placeholder_in_a_delivered_file_is_found() {
    let event = load_event(&example_dir());
    let texts = [GeneratedText::new(
        "4. Откройте страницу: https://ваш-сайт/b24/".to_string(),
        "site-management/README.txt",
        false,
        TextRole::Notes,
    )];
    let ctx = Ctx::new(&event, today(), &texts);
    assert!(rules::check(&ctx)
        .iter()
        .any(|d| d.rule == "text.placeholder" && d.span.is_none()));
}
