//! Every text bxland delivers, read back from the built files and run through the text rules:
//! the mails and the SMS, the post and the cold mail, Site Management's install notes, its
//! form messages (lang files), statuses and registration mails (install/config.php), and
//! Bitrix24's blocks, site title and form-setup checklist. And every entry of the text
//! catalog (`src/catalog`), ru and kk, on its own. `check` judges the event's own texts and the generated
//! mail texts before building; this holds the files themselves to the same rules, so that no
//! placeholder, competitor, comparison or «Вы» ships in a text `check` never saw.

use crate::support::render_common::*;

use std::path::Path;

use bxland::catalog::{self, Language, SlotFn};
use bxland::event::Event;
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

/// The values of the PHP single-quoted strings in `php`, in order.
fn php_strings(php: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = php.chars();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => s.extend(chars.next()),
                '\'' => break,
                c => s.push(c),
            }
        }
        out.push(s);
    }
    out
}

/// The text a Bitrix mail macro (`#FIRST_NAME_RAW#`) stands for once Bitrix sends the mail.
fn without_macros(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('#') {
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if len >= 2 && after[len..].starts_with('#') {
            out.push_str(&rest[..at]);
            out.push('x');
            rest = &after[len + 1..];
        } else {
            out.push_str(&rest[..=at]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The visible text of an HTML fragment, one line per element's text.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .replace("&#58;", ":")
        .replace("&#61;", "=")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Site Management's texts inside its template: the form messages of every lang file, the
/// statuses and the registration mails of install/config.php (with Bitrix's macros filled).
fn site_management_texts(out: &Path) -> Vec<GeneratedText> {
    let archive = std::fs::read_dir(out.join("site-management"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "gz"))
        .expect("the template archive");
    let unpacked = tempfile::tempdir().unwrap();
    let tree = unpacked.path();
    tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(&archive).unwrap(),
    ))
    .unpack(tree)
    .unwrap();
    let mut texts = Vec::new();
    let lang_dir = tree.join("components/bitrix/form.result.new/webinar/lang");
    let mut langs = 0;
    for lang in std::fs::read_dir(&lang_dir).unwrap() {
        let file = lang.unwrap().path().join("template.php");
        let php = std::fs::read_to_string(&file).unwrap();
        let values = php_strings(&php);
        // `$MESS['BXLAND_X'] = 'text';`: every second string is a message.
        assert!(values.len() >= 26, "{}", file.display());
        for pair in values.chunks(2) {
            texts.push(GeneratedText::new(
                pair[1].clone(),
                format!("{} {}", file.display(), pair[0]),
                false,
                TextRole::Page,
            ));
        }
        langs += 1;
    }
    assert!(langs >= 1);
    let config = std::fs::read_to_string(tree.join("install/config.php")).unwrap();
    let values = php_strings(&config);
    let after = |key: &str| -> Vec<String> {
        values
            .windows(2)
            .filter(|w| w[0] == key)
            .map(|w| w[1].clone())
            .collect()
    };
    let statuses: Vec<String> = after("title")
        .into_iter()
        .chain(after("description"))
        .collect();
    assert!(
        statuses.iter().any(|s| s.contains("письмо")),
        "{statuses:?}"
    );
    for s in statuses
        .into_iter()
        .filter(|s| s.chars().any(char::is_alphabetic))
    {
        // The mail event type's description names Bitrix's macros on purpose: the staff read
        // there which field is which.
        texts.push(GeneratedText::new(
            without_macros(&s),
            "install/config.php status",
            false,
            TextRole::Notes,
        ));
    }
    let mails: Vec<String> = after("subject")
        .into_iter()
        .chain(after("message"))
        .collect();
    assert!(mails.len() >= 8, "{mails:?}");
    for m in mails {
        texts.push(GeneratedText::new(
            without_macros(&m),
            "install/config.php mail",
            false,
            TextRole::Mail,
        ));
    }
    texts
}

/// Bitrix24's blocks (their names, descriptions and visible text) and the site's title.
fn bitrix24_texts(out: &Path) -> Vec<GeneratedText> {
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(out.join("bitrix24").join(name)).unwrap())
            .unwrap()
    };
    let mut texts = Vec::new();
    let blocks = read("blocks.json");
    let blocks = blocks.as_array().unwrap();
    assert!(blocks.len() >= 5);
    for b in blocks {
        let f = &b["fields"];
        for key in ["NAME", "DESCRIPTION"] {
            texts.push(GeneratedText::new(
                f[key].as_str().unwrap().to_string(),
                format!("blocks.json {} {key}", b["code"]),
                false,
                TextRole::Notes,
            ));
        }
        texts.push(GeneratedText::new(
            visible_text(f["CONTENT"].as_str().unwrap()),
            format!("blocks.json {} CONTENT", b["code"]),
            false,
            TextRole::Page,
        ));
    }
    let page = read("page.json");
    texts.push(GeneratedText::new(
        page["site"]["fields"]["TITLE"]
            .as_str()
            .unwrap()
            .to_string(),
        "page.json site TITLE",
        false,
        TextRole::Notes,
    ));
    texts
}

/// What the text rules find in `texts`, which have no place in event.toml (no span).
fn text_findings(event: &Event, texts: &[GeneratedText]) -> Vec<String> {
    let ctx = Ctx::new(event, today(), texts);
    rules::check(&ctx)
        .iter()
        .filter(|d| d.span.is_none() && d.rule.starts_with("text."))
        .map(|d| format!("{}: {}", d.rule, d.message.ru))
        .collect()
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
    let mut texts: Vec<GeneratedText> = files
        .iter()
        .map(|(path, role)| {
            let text = std::fs::read_to_string(out.join(path)).unwrap();
            assert!(!text.trim().is_empty(), "{path} is empty");
            GeneratedText::new(text, path.clone(), false, *role)
        })
        .collect();
    texts.extend(site_management_texts(&out));
    texts.extend(bitrix24_texts(&out));
    let event = load_event(event_dir);
    let found = text_findings(&event, &texts);
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

/// The role a catalog entry plays where it is delivered.
fn catalog_role(key: &str) -> TextRole {
    let group = key.split('.').next().unwrap_or("");
    match group {
        "mail" if key.starts_with("mail.followup.") => TextRole::FollowUp,
        "mail" | "details" | "sms" => TextRole::Mail,
        "cold" => TextRole::ColdMail,
        "post" | "card" => TextRole::Announcement,
        "staff" => TextRole::Notes,
        _ => TextRole::Page,
    }
}

/// Every catalog entry, its slots filled with a neutral word (the values are checked where
/// they are written), passes the text rules, Russian against the example, Kazakh against
/// the Kazakh event.
#[test]
fn every_catalog_entry_passes_the_text_rules() {
    for (lang, dir) in [(Language::Ru, example_dir()), (Language::Kk, kk_dir())] {
        let texts: Vec<GeneratedText> = catalog::entries(lang)
            .flat_map(|(key, list)| {
                list.iter().map(move |t| {
                    let filled = catalog::fill(t, &SlotFn(|_: &str| Some("x".to_string())))
                        .unwrap_or_else(|u| panic!("{key}: {u}"));
                    GeneratedText::new(filled, key, false, catalog_role(key))
                })
            })
            .collect();
        assert!(texts.len() > 80, "{}", texts.len());
        let event = load_event(&dir);
        let found = text_findings(&event, &texts);
        assert!(
            found.is_empty(),
            "src/catalog/{}.toml breaks text rules:\n{}",
            lang.code(),
            found.join("\n")
        );
    }
}

/// The catalog check can fail: a «Вы» written into a form message is found.
#[test]
fn a_catalog_like_text_that_breaks_a_rule_is_found() {
    let event = load_event(&example_dir());
    let texts = [GeneratedText::new(
        "Заявка принята! Спасибо, что Вы с нами.".to_string(),
        "form.form_accepted",
        false,
        catalog_role("form.form_accepted"),
    )];
    assert!(!text_findings(&event, &texts).is_empty());
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

/// `check` does not run the text rules over a built-in theme's strings as shipped
/// (`GeneratedText::checked_ahead`): this test is where they are run, for every built-in theme
/// in every language.
#[test]
fn every_built_in_theme_string_passes_the_text_rules() {
    let themes = bxland::render::ThemeCache::new();
    // A folder with no `themes/` of its own: the names find the built-in themes.
    let nowhere = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for name in bxland::render::theme::embedded_names() {
        for (lang, event_dir) in [(Language::Ru, example_dir()), (Language::Kk, kk_dir())] {
            let choice = bxland::webinar::ThemeChoice {
                name: name.to_string(),
                base: nowhere.path().to_path_buf(),
                accent: None,
            };
            let mut texts = themes.check_texts(&choice, lang).unwrap();
            assert!(
                texts.len() >= 20,
                "{name} {lang:?}: {} strings",
                texts.len()
            );
            assert!(
                texts.iter().all(|t| t.checked_ahead),
                "{name} {lang:?}: a built-in theme's strings are checked here, not by `check`"
            );
            for t in &mut texts {
                t.checked_ahead = false;
            }
            let found = text_findings(&load_event(&event_dir), &texts);
            assert!(found.is_empty(), "{name} {lang:?}:\n{}", found.join("\n"));
            checked += texts.len();
        }
    }
    assert!(checked >= 80, "{checked} strings checked");
}

/// A theme folder whose strings differ from every built-in theme's is checked by `check`.
#[test]
fn a_changed_theme_copy_is_checked_by_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("themes/mine");
    copy_dir(&root().join("themes/default"), &dir);
    let themes = bxland::render::ThemeCache::new();
    let choice = |name: &str| bxland::webinar::ThemeChoice {
        name: name.to_string(),
        base: tmp.path().to_path_buf(),
        accent: None,
    };
    // An unchanged copy is the shipped theme.
    let texts = themes.check_texts(&choice("mine"), Language::Ru).unwrap();
    assert!(texts.iter().all(|t| t.checked_ahead));
    let strings = dir.join("strings.ru.toml");
    let s = std::fs::read_to_string(&strings).unwrap();
    std::fs::write(&strings, s.replace("Бесплатно", "Бесплатно!")).unwrap();
    let themes = bxland::render::ThemeCache::new();
    let texts = themes.check_texts(&choice("mine"), Language::Ru).unwrap();
    assert!(!texts.is_empty() && texts.iter().all(|t| !t.checked_ahead));
}
