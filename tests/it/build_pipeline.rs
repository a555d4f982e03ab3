//! `bxland build`: outputs for a passing event, nothing for a refused one (and the previous
//! output left as it was), replaced as a whole, exit codes like `check`.

use crate::support::render_common;

use std::path::Path;

use assert_cmd::Command;
use render_common::*;

fn build(dirs: &[&Path], out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = bxland();
    c.arg("build");
    for d in dirs {
        c.arg(d);
    }
    c.arg("--out")
        .arg(out)
        .args(["--today", "2026-11-25"])
        .args(extra);
    c.assert()
}

#[test]
fn builds_the_html_preview_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    build(&[&example_dir()], &out, &["--target", "html"])
        .code(0)
        .stdout(predicates::str::contains("собрано в"));
    let names: Vec<String> = tree(&out.join("b24-sales-2027-03"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "preview/assets/bitrix24.svg",
            "preview/assets/logo.svg",
            "preview/event.ics",
            "preview/index.html",
            "preview/style.css",
            "report.json",
        ]
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("b24-sales-2027-03/report.json")).unwrap())
            .unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["slug"], "b24-sales-2027-03");
    assert_eq!(report["targets"], serde_json::json!(["html"]));
    assert_eq!(report["theme"], "default");
    let index = std::fs::read_to_string(out.join("b24-sales-2027-03/preview/index.html")).unwrap();
    assert!(index.contains("Бесплатно, нужна регистрация"));
    let css = std::fs::read_to_string(out.join("b24-sales-2027-03/preview/style.css")).unwrap();
    assert!(css.starts_with(":root{--accent:#0b5cad;"));
    assert!(!css.contains("\n  "), "CSS is minified");
    // Nothing left over from staging.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["b24-sales-2027-03"]);
}

#[test]
fn the_default_target_set_includes_html() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&[&kk_dir()], &out, &[]).code(0);
    assert!(out.join("b24-kk-2027-04/preview/index.html").is_file());
    assert!(out
        .join("b24-kk-2027-04/preview/assets/dala-logo.png")
        .is_file());
}

#[test]
fn a_refused_event_gets_no_output_and_keeps_the_previous_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(&example_dir(), &dir);
    let out = tmp.path().join("dist");
    build(&[&dir], &out, &["--target", "html"]).code(0);
    let slug_dir = out.join("b24-sales-2027-03");
    let before = tree(&slug_dir);
    assert!(!before.is_empty());

    // Break a rule: a CAPTCHA, and a new title that would change the page.
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    let broken = toml.replace("captcha = false", "captcha = true").replace(
        "Битрикс24 для отдела продаж: от заявки до сделки",
        "Новое название",
    );
    assert_ne!(broken, toml);
    std::fs::write(dir.join("event.toml"), broken).unwrap();
    build(&[&dir], &out, &["--target", "html"])
        .code(1)
        .stdout(predicates::str::contains("form.captcha"))
        .stdout(predicates::str::contains("ничего не записано"));
    assert_eq!(tree(&slug_dir), before, "previous output changed");
    let entries: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["b24-sales-2027-03"], "no staging left behind");
}

#[test]
fn a_refused_event_without_previous_output_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(&example_dir(), &dir);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(
        dir.join("event.toml"),
        toml.replace("confirm_by_link = false", "confirm_by_link = true"),
    )
    .unwrap();
    let out = tmp.path().join("dist");
    build(&[&dir], &out, &[]).code(1);
    assert!(!out.join("b24-sales-2027-03").exists());
}

#[test]
fn a_second_build_replaces_the_output_as_a_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    let slug_dir = out.join("b24-sales-2027-03");
    build(&[&example_dir()], &out, &["--target", "html"]).code(0);
    std::fs::write(slug_dir.join("preview/stale.txt"), "old").unwrap();
    build(&[&example_dir()], &out, &["--target", "html"]).code(0);
    assert!(
        !slug_dir.join("preview/stale.txt").exists(),
        "old files are gone"
    );
    assert!(slug_dir.join("preview/index.html").is_file());
}

#[test]
fn every_target_by_default_and_only_the_named_ones_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    build(&[&example_dir()], &out, &[]).code(0);
    let slug = out.join("b24-sales-2027-03");
    for file in [
        "preview/index.html",
        "site-management/b24-sales-2027-03.tar.gz",
        "site-management/README.txt",
        "bitrix24/blocks.json",
        "bitrix24/page.json",
        "bitrix24/form-setup.md",
        "report.json",
    ] {
        assert!(slug.join(file).is_file(), "{file} missing");
    }
    let only = tmp.path().join("only");
    build(&[&example_dir()], &only, &["--target", "site-management"]).code(0);
    let mut dirs: Vec<String> = std::fs::read_dir(only.join("b24-sales-2027-03"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert_eq!(dirs, vec!["report.json", "site-management"]);
    // An unknown target is a usage error.
    build(&[&example_dir()], &out, &["--target", "pdf"]).code(2);
}

#[test]
fn a_missing_theme_is_refused_by_check_so_build_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(&example_dir(), &dir);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(
        dir.join("event.toml"),
        toml.replace("name = \"default\"", "name = \"nosuchtheme\""),
    )
    .unwrap();
    let out = tmp.path().join("dist");
    // `check` refuses what `build` could not build (input.path), so the exit is a rule's.
    build(&[&dir], &out, &[])
        .code(1)
        .stdout(predicates::str::contains(
            "error[input.path]: тема «nosuchtheme» не найдена",
        ));
    assert!(!out.join("b24-sales-2027-03").exists());
}

#[test]
fn a_batch_builds_every_event_and_exits_with_the_worst_status() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("events");
    copy_dir(&example_dir(), &batch.join("a-example"));
    copy_dir(&kk_dir(), &batch.join("b-kk"));
    let bad = batch.join("c-bad");
    copy_dir(&example_dir(), &bad);
    let toml = std::fs::read_to_string(bad.join("event.toml")).unwrap();
    std::fs::write(
        bad.join("event.toml"),
        toml.replace("slug = \"b24-sales-2027-03\"", "slug = \"bad-one\"")
            .replace("captcha = false", "captcha = true"),
    )
    .unwrap();
    let out = tmp.path().join("dist");
    build(&[&batch], &out, &[]).code(1);
    assert!(out.join("b24-sales-2027-03/preview/index.html").is_file());
    assert!(out.join("b24-kk-2027-04/preview/index.html").is_file());
    assert!(!out.join("bad-one").exists());
}

#[test]
fn english_messages_with_lang_en() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    build(&[&example_dir()], &out, &["--lang", "en"])
        .code(0)
        .stdout(predicates::str::contains("built into"));
}

#[test]
fn a_theme_given_by_path_is_used_and_its_strings_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(&example_dir(), &dir);
    copy_dir(&root().join("themes/default"), &dir.join("my-theme"));
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(
        dir.join("event.toml"),
        toml.replace("name = \"default\"", "name = \"./my-theme\""),
    )
    .unwrap();
    let strings = dir.join("my-theme/strings.ru.toml");
    let s = std::fs::read_to_string(&strings).unwrap();
    std::fs::write(
        &strings,
        s.replace(
            "Бесплатно, нужна регистрация",
            "Бесплатно, нужна регистрация — ждём всех",
        ),
    )
    .unwrap();
    let out = tmp.path().join("dist");
    build(&[&dir], &out, &[]).code(0);
    let index = std::fs::read_to_string(out.join("b24-sales-2027-03/preview/index.html")).unwrap();
    assert!(index.contains("ждём всех"));

    // A theme string that breaks a rule refuses the event: the text rules read theme strings.
    let s = std::fs::read_to_string(&strings).unwrap();
    std::fs::write(&strings, s.replace("ждём всех", "скидка 20% на внедрение")).unwrap();
    bxland()
        .args(["check", "--today", "2026-11-25"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "error[text.sales]: продажа или реклама на странице вебинара: «скидка» (текст темы оформления «my-theme»)",
        ));
    // A theme without the result messages refuses the event too.
    let s = std::fs::read_to_string(&strings).unwrap();
    let without: String = s
        .lines()
        .filter(|l| !l.starts_with("form_retry"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&strings, without).unwrap();
    bxland()
        .args(["check", "--today", "2026-11-25"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicates::str::contains("form.result-messages"));
}

#[test]
fn check_texts_names_the_theme_strings() {
    let themes = bxland::render::ThemeCache::new();
    let event = load(&example_dir());
    let texts = themes.check_texts(&event.theme, event.language).unwrap();
    let keys: Vec<&str> = texts.iter().map(|t| t.key.as_str()).collect();
    for k in [
        "free_registration",
        "form_accepted",
        "form_rejected",
        "form_retry",
    ] {
        let key = format!("theme.default.ru.{k}");
        assert!(keys.contains(&key.as_str()), "{key} in {keys:?}");
    }
    // Theme strings have no place in event.toml (GeneratedText carries no span).
    assert!(texts
        .iter()
        .all(|t| t.role == bxland::rules::TextRole::Theme));
    let rejected = texts
        .iter()
        .find(|t| t.key.ends_with("form_rejected"))
        .unwrap();
    assert!(rejected.text.contains("{reason}"));
    let kk_event = load(&kk_dir());
    let kk = themes
        .check_texts(&kk_event.theme, kk_event.language)
        .unwrap();
    let free = kk
        .iter()
        .find(|t| t.key == "theme.horizon.kk.free_registration")
        .unwrap();
    assert!(free.text.contains("тегін"));
}

#[test]
fn a_theme_that_drops_a_required_element_fails_the_build() {
    for (file, from, to, what) in [
        (
            "form.html",
            "{% if f.required %} required{% endif %}>",
            ">",
            "required on",
        ),
        (
            "form.html",
            "<label for=\"f-consent\">",
            "<label>",
            "consent checkbox",
        ),
        (
            "sections/hero.html",
            "{{ event.when }}",
            "{{ event.date }}",
            "date",
        ),
        // The consent's start is on the page, its end is not.
        (
            "form.html",
            "{{ form.consent_html | safe }}",
            "{{ form.consent_html | truncate(length=400) | safe }}",
            "the full consent text",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("event");
        copy_dir(&example_dir(), &dir);
        copy_dir(&root().join("themes/default"), &dir.join("broken"));
        let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
        std::fs::write(
            dir.join("event.toml"),
            toml.replace("name = \"default\"", "name = \"./broken\""),
        )
        .unwrap();
        let path = dir.join("broken").join(file);
        let src = std::fs::read_to_string(&path).unwrap();
        assert!(src.contains(from), "{file} lacks {from}");
        std::fs::write(&path, src.replace(from, to)).unwrap();
        let out = tmp.path().join("dist");
        build(&[&dir], &out, &[])
            .code(2)
            .stdout(predicates::str::contains("не хватает обязательного"))
            .stdout(predicates::str::contains(what));
        assert!(!out.join("b24-sales-2027-03").exists());
    }
}

#[test]
fn works_from_any_folder_with_the_built_in_themes() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = tmp.path().join("dist");
    Command::cargo_bin("bxland")
        .unwrap()
        .env("BXLAND_CACHE_DIR", TEST_CACHE_DIR)
        .current_dir(&elsewhere)
        .arg("build")
        .arg(example_dir())
        .arg(kk_dir())
        .arg("--out")
        .arg(&out)
        .args(["--today", "2026-11-25"])
        .assert()
        .code(0);
    assert!(out.join("b24-sales-2027-03/preview/index.html").is_file());
    let kk = std::fs::read_to_string(out.join("b24-kk-2027-04/report.json")).unwrap();
    assert!(kk.contains("\"theme\": \"horizon\""), "{kk}");
}

#[test]
fn a_light_accent_is_adjusted_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(&example_dir(), &dir);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(
        dir.join("event.toml"),
        toml.replace("accent = \"#0B5CAD\"", "accent = \"#FFE066\""),
    )
    .unwrap();
    let out = tmp.path().join("dist");
    build(&[&dir], &out, &[])
        .code(0)
        .stdout(predicates::str::contains(
            "примечание: цвет акцента #ffe066 слишком светлый",
        ));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("b24-sales-2027-03/report.json")).unwrap())
            .unwrap();
    assert!(!report["notes"].as_array().unwrap().is_empty());
    let css = std::fs::read_to_string(out.join("b24-sales-2027-03/preview/style.css")).unwrap();
    assert!(
        css.starts_with(":root{--accent:#ffe066;--on-accent:#111827;"),
        "{}",
        &css[..80]
    );
}

#[test]
fn themes_are_compiled_once_and_shared() {
    let cache = bxland::render::ThemeCache::new();
    let a = cache.for_choice(&load(&example_dir()).theme).unwrap();
    let b = cache.for_choice(&load(&example_dir()).theme).unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &b));
    let c = cache.for_choice(&load(&kk_dir()).theme).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&a, &c));
    // Shareable across threads.
    let t = std::thread::spawn(move || c.name.clone());
    assert_eq!(t.join().unwrap(), "horizon");
}
