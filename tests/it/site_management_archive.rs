//! The archive as Bitrix reads it, `php -l` over every PHP file, and escaping of hostile
//! event strings.

use crate::support::site_management_common;

use std::collections::BTreeSet;

use bxland::export::site_management::{export, form_sid, install_line, ExportError};
use site_management_common::*;

/// The documented tree of the exported template for the example event (a Russian event with
/// one extra field, two logos).
const EXAMPLE_TREE: &[&str] = &[
    "components/",
    "components/bitrix/",
    "components/bitrix/form.result.new/",
    "components/bitrix/form.result.new/webinar/",
    "components/bitrix/form.result.new/webinar/fields.php",
    "components/bitrix/form.result.new/webinar/lang/",
    "components/bitrix/form.result.new/webinar/lang/ru/",
    "components/bitrix/form.result.new/webinar/lang/ru/template.php",
    "components/bitrix/form.result.new/webinar/result_modifier.php",
    "components/bitrix/form.result.new/webinar/template.php",
    "description.php",
    "footer.php",
    "header.php",
    "images/",
    "images/img1.svg",
    "images/img2.svg",
    "include/",
    "include/content.php",
    "install/",
    "install/config.php",
    "install/setup.php",
    "install/status_mail.php",
    "install/status_new.php",
    "styles.css",
    "template_styles.css",
];

#[test]
fn archive_reads_as_bitrix_reads_it() {
    let event = example();
    let archive = archive_of(&input(&event));
    assert_eq!(&archive[..2], &[0x1f, 0x8b], "gzip");
    let entries = entries(&archive);
    for (path, kind, ustar, _) in &entries {
        assert!(*ustar, "{path}: plain ustar header");
        assert!(
            *kind == b'0' || *kind == b'5',
            "{path}: only files and directories, got type {}",
            *kind as char
        );
        assert!(path.len() < 100, "{path}: under 100 bytes");
        assert!(path.is_ascii() && !path.starts_with('/') && !path.contains(".."));
        assert!(!path.starts_with("b24-sales"), "no top folder: {path}");
    }
    let paths: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    for root in [
        "header.php",
        "footer.php",
        "description.php",
        "template_styles.css",
        "styles.css",
    ] {
        assert!(paths.contains(&root), "{root} at the archive root");
    }
    // Unpacked into an empty folder: exactly the documented tree.
    let tmp = tempfile::tempdir().unwrap();
    let dir = install_template(tmp.path(), "b24-sales-2027-03", &archive);
    let mut found = BTreeSet::new();
    for e in walk(&dir, &dir) {
        found.insert(e);
    }
    let expected: BTreeSet<String> = EXAMPLE_TREE.iter().map(|s| s.to_string()).collect();
    assert_eq!(found, expected);
    // The logos are the event's files as sanitized (input.image: served from the partner's own
    // site, an SVG keeps no script), referenced through SITE_TEMPLATE_PATH.
    let logo = std::fs::read(event.dir.join("assets/logo.svg")).unwrap();
    let sanitized = bxland::event::image::sanitize_svg(&logo).unwrap();
    assert_eq!(
        String::from_utf8(std::fs::read(dir.join("images/img1.svg")).unwrap()).unwrap(),
        sanitized
    );
    let content = std::fs::read_to_string(dir.join("include/content.php")).unwrap();
    assert!(content.contains("src=\"%%BXLAND_TPL%%/images/img1.svg\""));
    assert!(!content.contains("assets/logo.svg"));
    assert!(!content.contains("assets/bitrix24.svg"));
    // The template's CSS is the preview's CSS (plus the form component's own rules).
    let css = std::fs::read_to_string(dir.join("template_styles.css")).unwrap();
    assert!(
        css.starts_with(&input(&event).css),
        "the theme CSS comes first"
    );
}

fn walk(root: &std::path::Path, dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        if e.file_type().unwrap().is_dir() {
            out.push(format!("{rel}/"));
            out.extend(walk(root, &e.path()));
        } else {
            out.push(rel);
        }
    }
    out
}

fn lint_all(archive: &[u8]) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let dir = install_template(tmp.path(), "t", archive);
    let mut n = 0;
    for rel in walk(&dir, &dir) {
        if rel.ends_with(".php") {
            let out = php(&["-l", dir.join(&rel).to_str().unwrap()]);
            assert!(String::from_utf8_lossy(&out.stdout).contains("No syntax errors"));
            n += 1;
        }
    }
    n
}

#[test]
fn every_php_file_lints_for_the_example_and_a_hostile_event() {
    assert_eq!(lint_all(&archive_of(&input(&example()))), 12);
    let tmp = tempfile::tempdir().unwrap();
    let event = hostile(tmp.path());
    assert_eq!(lint_all(&archive_of(&input(&event))), 12);
}

#[test]
fn hostile_strings_come_out_as_inert_text() {
    let tmp = tempfile::tempdir().unwrap();
    let event = hostile(tmp.path());
    assert_eq!(event.title, HOSTILE);
    let archive = archive_of(&input(&event));
    let root = tempfile::tempdir().unwrap();
    let dir = install_template(root.path(), "t", &archive);
    // Loading the data files under PHP gives back exactly the event's text.
    let script = format!(
        "define('B_PROLOG_INCLUDED', true); $c = include '{}'; $p = include '{}'; echo json_encode(array($c['form']['name'], $p['title'], $c['fields'][6]['title'], $c['mail']['confirmation']['subject'], $p['before'][1]['html']));",
        dir.join("install/config.php").display(),
        dir.join("include/content.php").display()
    );
    let v = json(&php(&["-r", &script]));
    assert_eq!(v[0], format!("Регистрация: {HOSTILE}"));
    assert_eq!(v[1], HOSTILE);
    assert_eq!(v[2], "Город'); die('x'); //");
    // In mail templates `#` cannot form a macro.
    let subject = v[3].as_str().unwrap();
    assert!(
        subject.contains("＃EMAIL＃") && !subject.contains("#EMAIL#"),
        "{subject}"
    );
    // HTML sections stay escaped and never carry a PHP open tag.
    let hero = v[4].as_str().unwrap();
    assert!(
        hero.contains("&lt;?php ?") && hero.contains("{$x}") && !hero.contains("<?"),
        "{hero}"
    );
    // Structurally: in every PHP file the one open tag is the first token, and the data files
    // hold no inline HTML, no close tag and nothing but literals for the event's text.
    for rel in walk(&dir, &dir) {
        if !rel.ends_with(".php") {
            continue;
        }
        let file = dir.join(&rel);
        let script = format!(
            "$t = token_get_all(file_get_contents('{}')); $open = 0; $inline = 0; $close = 0; foreach ($t as $x) {{ if (is_array($x)) {{ if ($x[0] === T_OPEN_TAG || $x[0] === T_OPEN_TAG_WITH_ECHO) $open++; if ($x[0] === T_INLINE_HTML) $inline++; if ($x[0] === T_CLOSE_TAG) $close++; }} }} echo json_encode(array($t[0][0] === T_OPEN_TAG, $open, $inline, $close));",
            file.display()
        );
        let v = json(&php(&["-r", &script]));
        assert_eq!(v[0], true, "{rel} starts with its open tag");
        let data = rel.starts_with("include/")
            || rel.ends_with("fields.php")
            || rel.ends_with("config.php")
            || rel.contains("/lang/");
        if data {
            assert_eq!(
                (v[1].as_i64(), v[2].as_i64(), v[3].as_i64()),
                (Some(1), Some(0), Some(0)),
                "{rel}"
            );
        }
    }
    // The code files do not depend on the event at all.
    let plain = archive_of(&input(&example()));
    let plain: std::collections::BTreeMap<String, Vec<u8>> =
        entries(&plain).into_iter().map(|e| (e.0, e.3)).collect();
    for (path, _, _, data) in entries(&archive) {
        let code = [
            "header.php",
            "footer.php",
            "description.php",
            "install/setup.php",
            "install/status_new.php",
            "install/status_mail.php",
        ]
        .contains(&path.as_str())
            || path.ends_with("webinar/template.php")
            || path.ends_with("result_modifier.php");
        if code {
            assert_eq!(Some(&data), plain.get(&path), "{path} is fixed code");
        }
    }
}

#[test]
fn kazakh_event_gets_kazakh_and_russian_form_strings() {
    let tmp = tempfile::tempdir().unwrap();
    let event = hostile(tmp.path());
    let t = std::fs::read_to_string(tmp.path().join("event.toml")).unwrap();
    std::fs::write(
        tmp.path().join("event.toml"),
        t.replace("language = \"ru\"", "language = \"kk\""),
    )
    .unwrap();
    drop(event);
    let event = load(tmp.path());
    let archive = archive_of(&input(&event));
    let paths: Vec<String> = entries(&archive).into_iter().map(|e| e.0).collect();
    let kk = "components/bitrix/form.result.new/webinar/lang/kk/template.php";
    assert!(paths.iter().any(|p| p == kk));
    let data = entries(&archive).into_iter().find(|e| e.0 == kk).unwrap().3;
    assert!(String::from_utf8(data)
        .unwrap()
        .contains("Өтінім қабылданды"));
}

#[test]
fn names_and_the_install_line() {
    assert_eq!(form_sid("b24-sales-2027-03"), "WEBINAR_B24_SALES_2027_03");
    let long = form_sid(&"a".repeat(60));
    assert_eq!(long.len(), 40);
    assert_ne!(long, form_sid(&format!("{}b", "a".repeat(59))));
    let line = install_line("b24-sales-2027-03");
    assert!(!line.contains("<?"));
    // Found where Bitrix keeps templates, not at a hard-coded /bitrix/templates.
    assert!(line.contains(
        "getLocalPath('templates/b24-sales-2027-03/install/setup.php', BX_PERSONAL_ROOT)"
    ));
    assert!(!line.contains("/bitrix/templates"));
    let readme = String::from_utf8(export(&input(&example())).unwrap()[1].1.clone()).unwrap();
    assert!(readme.contains(&line), "README prints the line");
    assert!(readme.contains("Загрузить шаблон") && readme.contains("тестовую регистрацию"));
    // What the README must say (issue 17, point 10).
    for must in [
        "Настройки → Инструменты → Командная PHP-строка",
        "в поле «Сайт» (привязать к сайту) ничего не выбирайте",
        "cron",
        "СМС за час до начала Битрикс не отправляет: отправьте его вручную",
        "windows-1251",
    ] {
        assert!(readme.contains(must), "README: {must}");
    }
}

#[test]
fn a_slug_that_is_no_template_id_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    hostile(tmp.path());
    let t = std::fs::read_to_string(tmp.path().join("event.toml")).unwrap();
    std::fs::write(
        tmp.path().join("event.toml"),
        t.replace("slug = \"b24-sales-2027-03\"", "slug = \"../evil name\""),
    )
    .unwrap();
    let event = load(tmp.path());
    match export(&input(&event)) {
        Err(ExportError::Slug(s)) => assert_eq!(s, "../evil name"),
        other => panic!("expected a slug error, got {:?}", other.map(|v| v.len())),
    }
}
