//! An HTML-hostile string in any event field comes out escaped: as text on the page, never
//! as markup, never breaking out of an attribute or the JSON-LD script.

use crate::support::render_common;

use bxland::render::{render_page, Theme};
use render_common::*;

/// What a partner could paste by mistake (or on purpose). Written inside TOML basic strings.
const HOSTILE_TOML: &str = r#"</title></textarea><script>alert(1)</script><img src=x onerror=alert(2)>\"'><b>bold</b>&amp;{{ x }}"#;
/// The same string as the page must show it.
const HOSTILE: &str = r#"</title></textarea><script>alert(1)</script><img src=x onerror=alert(2)>"'><b>bold</b>&amp;{{ x }}"#;

/// Keys whose values must stay as they are for the event to load and render.
const KEEP: &[&str] = &[
    "date",
    "timezone",
    "language",
    "format",
    "slug",
    "start",
    "end",
    "kind",
    "email",
    "phone",
    "logo",
    "photo",
    "image",
    "placement",
    "source",
    "website",
    "accent",
    "id",
    "type",
    "name = \"default\"",
    "name = \"horizon\"",
    "reject_reasons",
    "products",
    "product",
    "reminders",
    "recording_url",
    "slides_url",
    "speakers",
    "captcha",
    "confirm_by_link",
    "required",
];

/// Appends the hostile string to every free-text value of an event.toml.
fn poison(src: &str) -> (String, usize) {
    let mut out = String::new();
    let mut n = 0;
    let mut in_multiline = false;
    for line in src.lines() {
        let t = line.trim_start();
        if in_multiline {
            if t.starts_with("\"\"\"") {
                in_multiline = false;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let key = t.split('=').next().unwrap_or("").trim();
        let keep = KEEP.iter().any(|k| key == *k || t.starts_with(k));
        if !keep && t.contains("= \"\"\"") {
            in_multiline = true;
            out.push_str(line);
            out.push('\n');
            out.push_str(&format!("{HOSTILE_TOML} first line\n\n"));
            n += 1;
            continue;
        }
        if !keep
            && (t.contains("= \"")
                || (t.starts_with('"') && !out.trim_end().ends_with("speakers = [")))
        {
            // Every string literal on the line gets the hostile tail.
            let mut rebuilt = String::new();
            let mut rest = line;
            let mut inside = false;
            while let Some(q) = rest.find('"') {
                rebuilt.push_str(&rest[..q]);
                if inside {
                    rebuilt.push(' ');
                    rebuilt.push_str(HOSTILE_TOML);
                    n += 1;
                }
                rebuilt.push('"');
                inside = !inside;
                rest = &rest[q + 1..];
            }
            rebuilt.push_str(rest);
            out.push_str(&rebuilt);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    (out, n)
}

#[test]
fn hostile_strings_are_escaped_everywhere() {
    for (src_dir, theme) in [(example_dir(), "default"), (kk_dir(), "horizon")] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("event");
        copy_dir(&src_dir, &dir);
        let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
        let (poisoned, n) = poison(&toml);
        assert!(n > 25, "only {n} values poisoned");
        std::fs::write(dir.join("event.toml"), &poisoned).unwrap();
        // Also the partner's own consent text and result messages.
        let event = load(&dir);
        let theme = Theme::load(theme, &root()).unwrap();
        let page = render_page(&event, &theme, &opts()).expect("renders");
        let html = &page.index_html;
        // No markup from the event survives as markup: the only elements are the theme's.
        let tags = start_tags(html);
        let count = |n: &str| tags.iter().filter(|(t, _)| t == n).count();
        assert_eq!(count("script"), 1, "only the JSON-LD script");
        assert_eq!(count("b"), 0, "no <b> from the event");
        assert_eq!(count("title"), 1);
        assert_eq!(count("textarea"), 0);
        for (name, attrs) in &tags {
            assert!(
                !attrs.iter().any(|a| a.starts_with("on")),
                "event handler on <{name}>: {attrs:?}"
            );
        }
        assert!(
            !tags
                .iter()
                .any(|(n, a)| n == "img" && a.len() == 2 && a[0] == "src" && a[1] == "onerror"),
            "injected img"
        );
        // The title element cannot be closed early.
        let t0 = html.find("<title>").unwrap() + 7;
        let title = &html[t0..t0 + html[t0..].find("</title>").unwrap()];
        assert!(
            title.contains("&lt;/title>") || title.contains("&lt;/title&gt;"),
            "{title}"
        );
        // The JSON-LD script cannot be closed by the string.
        let ld = &page.head_html;
        let body = &ld[ld.find("<script").unwrap()..];
        assert_eq!(body.matches("</script").count(), 1);
        // The strings are shown as text, as written.
        let text = shown(html);
        let shown_count = text.matches(HOSTILE).count();
        assert!(shown_count >= 20, "hostile text shown {shown_count} times");
        for needle in [
            format!("ТОО «Алтын Софт» {HOSTILE}"),
            format!("Айгерим Сапарова {HOSTILE}"),
        ] {
            if src_dir == example_dir() {
                assert!(text.contains(&needle), "«{needle}» not shown");
            }
        }
        // Templates are not evaluated inside values.
        assert!(text.contains("{{ x }}"));
        // The form and consent carry the strings escaped too.
        assert!(!page.form_html.contains("<b>bold"));
        assert!(page.consent.plain.contains(HOSTILE));
        assert!(!page.consent.html.contains("<script>"));
        // The calendar file carries the title as text.
        assert!(page
            .ics
            .replace("\r\n ", "")
            .contains("<script>alert(1)</script>"));
    }
}

#[test]
fn own_consent_text_is_used_as_written_and_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(&example_dir(), &dir);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    let start = toml.find("[consent]").unwrap();
    let end = start + toml[start..].find("[[partners]]").unwrap();
    let own = "[consent]\ntext = \"\"\"\nЯ даю согласие ТОО «Алтын Софт» на обработку моих данных <b>в целях</b> регистрации.\n\n«1С-Битрикс» также вправе обрабатывать эти данные.\n\"\"\"\n\n";
    let edited = format!("{}{}{}", &toml[..start], own, &toml[end..]);
    std::fs::write(dir.join("event.toml"), edited).unwrap();
    let event = load(&dir);
    let c = bxland::render::consent_text(&event);
    assert!(c.own);
    assert_eq!(
        c.plain,
        "Я даю согласие ТОО «Алтын Софт» на обработку моих данных <b>в целях</b> регистрации.\n\n«1С-Битрикс» также вправе обрабатывать эти данные.\n"
    );
    assert!(c.html.contains("&lt;b&gt;в целях&lt;/b&gt;"), "{}", c.html);
    assert_eq!(c.html.matches("<p>").count(), 2, "{}", c.html);
}

#[test]
fn generated_consent_follows_the_order_of_the_law() {
    let event = load(&example_dir());
    let c = bxland::render::consent_text(&event);
    assert!(!c.own);
    let order = [
        "ТОО «Алтын Софт», БИН",
        "Цель обработки",
        "Перечень персональных данных",
        "Перечень действий",
        "Передача третьим лицам",
        "компании ТОО «1С-Битрикс Казахстан», которая также вправе обрабатывать их в тех же целях",
        "хранятся в базе данных на территории Республики Казахстан",
        "Срок обработки",
        "Срок хранения",
        "отозвать согласие",
        "удаляет их у себя и сообщает о запросе «1С-Битрикс»",
    ];
    let mut at = 0;
    for s in order {
        let i = c.plain[at..]
            .find(s)
            .unwrap_or_else(|| panic!("«{s}» missing or out of order:\n{}", c.plain));
        at += i;
    }
    assert_eq!(c.html.matches("<p>").count(), c.plain.split("\n\n").count());
}

#[test]
fn script_urls_never_become_links() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(&example_dir(), &dir);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    let edited = toml
        .replace("website = \"https://altyn-soft.example.kz\"", "website = \"javascript:alert(1)\"")
        .replace(
            "Вы уйдёте с готовым планом",
            "[Подробнее](javascript:alert(2)) ![x](https://tracker.example/p.gif) Вы уйдёте с готовым планом",
        );
    assert_ne!(edited, toml);
    std::fs::write(dir.join("event.toml"), edited).unwrap();
    let event = load(&dir);
    let theme = Theme::load("default", &root()).unwrap();
    let page = render_page(&event, &theme, &opts()).unwrap();
    let lower = page.index_html.to_lowercase();
    assert!(!lower.contains("javascript:"), "script URL on the page");
    assert!(
        !lower.contains("tracker.example"),
        "remote image on the page"
    );
    assert!(shown(&page.index_html).contains("Подробнее x Вы уйдёте"));
}
