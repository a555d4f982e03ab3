//! `--target bitrix24`: the payloads' shape against the documented fields of
//! `landing.repo.register`, `landing.site.add` and `landing.landing.add`, the CRM-form block,
//! form-setup.md, and refusals of content the Bitrix24 filter would reject.

use std::collections::BTreeSet;
use std::path::PathBuf;

use bxland::export::bitrix24::{
    block_code, check_content, export, plan, Bitrix24Input, ExportError,
};
use serde_json::Value;

fn example() -> bxland::webinar::Webinar {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-event");
    let event = bxland::event::load(&dir).expect("example event loads");
    bxland::webinar::Webinar::from_event(&event).expect("the example has a webinar model")
}

fn files(input: &Bitrix24Input) -> Vec<(String, Vec<u8>)> {
    export(input).expect("export succeeds")
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"));
    std::str::from_utf8(bytes).unwrap()
}

/// Keys of `fields` documented for landing.repo.register.
const REPO_FIELDS: &[&str] = &[
    "NAME",
    "DESCRIPTION",
    "SECTIONS",
    "PREVIEW",
    "CONTENT",
    "ACTIVE",
    "SITE_TEMPLATE_ID",
    "RESET",
];
/// Keys of a block manifest documented in «Manifest File».
const MANIFEST_KEYS: &[&str] = &[
    "block",
    "nodes",
    "cards",
    "style",
    "attrs",
    "assets",
    "lang_original",
    "lang",
    "menu",
];
const NODE_TYPES: &[&str] = &[
    "text",
    "img",
    "link",
    "icon",
    "embed",
    "map",
    "component",
    "styleimg",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

#[test]
fn blocks_json_is_a_list_of_repo_register_payloads() {
    let event = example();
    let input = input_for(&event, Some(17), None);
    let files = files(&input);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec!["blocks.json", "page.json", "form-setup.md", "styles.css"]
    );
    let blocks: Value = serde_json::from_str(file(&files, "blocks.json")).unwrap();
    let blocks = blocks.as_array().expect("an array of payloads");
    let sections: Vec<String> = blocks
        .iter()
        .map(|b| {
            b["code"]
                .as_str()
                .unwrap()
                .strip_prefix("bxland-b24-sales-2027-03-")
                .expect("code = bxland-<slug>-<section>")
                .to_string()
        })
        .collect();
    // One block per section of the rendered page, in the page's order.
    let page_sections: Vec<String> = input.sections.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(sections, page_sections);
    assert_eq!(
        sections,
        vec![
            "header",
            "hero",
            "audience",
            "description",
            "program",
            "speakers",
            "registration",
            "contacts",
            "partners",
        ]
    );
    for b in blocks {
        assert_eq!(
            keys(b),
            ["code", "fields", "manifest"]
                .iter()
                .map(|s| s.to_string())
                .collect::<BTreeSet<String>>()
        );
        let code = b["code"].as_str().unwrap();
        assert!(code
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        let fields = &b["fields"];
        for k in keys(fields) {
            assert!(REPO_FIELDS.contains(&k.as_str()), "undocumented field {k}");
        }
        for k in ["NAME", "DESCRIPTION", "SECTIONS", "PREVIEW", "CONTENT"] {
            assert!(fields[k].is_string(), "{code}: {k} must be a string");
        }
        assert_eq!(fields["ACTIVE"], "Y");
        assert!(!fields["NAME"].as_str().unwrap().is_empty());
        // SECTIONS: catalogue codes separated by commas.
        let cats: Vec<&str> = fields["SECTIONS"].as_str().unwrap().split(',').collect();
        assert!(cats.len() >= 2 && cats.contains(&"bxland"), "{cats:?}");
        let content = fields["CONTENT"].as_str().unwrap();
        assert!(content.starts_with("<section class=\"landing-block"));
        assert_eq!(
            check_content(content),
            vec![],
            "{code} would be refused by landing.repo.checkContent"
        );
        assert!(!content.contains(" style="), "{code}: inline style left");
        let manifest = &b["manifest"];
        for k in keys(manifest) {
            assert!(
                MANIFEST_KEYS.contains(&k.as_str()),
                "undocumented manifest key {k}"
            );
        }
        assert_eq!(manifest["block"]["section"][0], cats[0]);
        assert_eq!(manifest["block"]["type"], serde_json::json!(["page"]));
        for (selector, node) in manifest["nodes"].as_object().unwrap() {
            assert!(selector.starts_with('.'));
            assert!(
                content.contains(&selector[1..]),
                "{code}: node {selector} not in content"
            );
            assert!(NODE_TYPES.contains(&node["type"].as_str().unwrap()));
            assert!(node["name"].is_string());
        }
    }
    // Titles and texts are editable nodes.
    let hero = &blocks[1];
    assert!(hero["manifest"]["nodes"][".bxl-node-title"].is_object());
    assert!(hero["fields"]["CONTENT"]
        .as_str()
        .unwrap()
        .contains("Битрикс24 для отдела продаж: от заявки до сделки"));
}

#[test]
fn registration_is_a_crm_form_block() {
    let event = example();
    let input = input_for(&event, Some(17), None);
    let plan = plan(&input).unwrap();
    let (_, reg) = plan
        .blocks
        .iter()
        .find(|(s, _)| s == "registration")
        .unwrap();
    let manifest = &reg.manifest;
    assert_eq!(manifest["block"]["subtype"], "form");
    assert_eq!(
        manifest["assets"]["ext"],
        serde_json::json!(["landing_form"])
    );
    let content = &reg.fields.content;
    assert!(
        content.contains(r##"<div class="bitrix24forms" data-b24form="#crmFormInline17" data-b24form-embed data-b24form-use-style="Y" data-b24form-design="{&quot;dark&quot;:false"##),
        "{content}"
    );
    // The theme's own form markup never reaches Bitrix24: exactly one form node, no <form>.
    assert_eq!(content.matches("bitrix24forms").count(), 1);
    assert!(!content.contains("<form"));
    // No other block is a form block.
    for (s, b) in &plan.blocks {
        if s != "registration" {
            assert!(b.manifest["block"].get("subtype").is_none());
            assert!(!b.fields.content.contains("bitrix24forms"));
        }
    }
    // Until the form exists, blocks.json holds a placeholder for its ID.
    let input = input_for(&event, None, None);
    let plan = bxland::export::bitrix24::plan(&input).unwrap();
    let reg = &plan
        .blocks
        .iter()
        .find(|(s, _)| s == "registration")
        .unwrap()
        .1;
    assert!(reg.fields.content.contains("#crmFormInlineFORM_ID"));
}

#[test]
fn codes_are_stable_per_event_and_section() {
    let event = example();
    let a = plan(&input_for(&event, Some(1), None)).unwrap();
    let b = plan(&input_for(&event, Some(2), None)).unwrap();
    let codes = |p: &bxland::export::bitrix24::Plan| -> Vec<String> {
        p.blocks.iter().map(|(_, b)| b.code.clone()).collect()
    };
    assert_eq!(codes(&a), codes(&b));
    let unique: BTreeSet<_> = codes(&a).into_iter().collect();
    assert_eq!(unique.len(), a.blocks.len());
    assert_eq!(
        block_code("b24-sales-2027-03", "hero"),
        "bxland-b24-sales-2027-03-hero"
    );
    assert_eq!(block_code("Ab c", "x/y"), "bxland-ab-c-x-y");
}

#[test]
fn page_json_has_site_and_page_fields_and_the_block_order() {
    let event = example();
    let mut input = input_for(
        &event,
        Some(17),
        Some("https://altyn-soft.example.kz/bxland/styles.css".into()),
    );
    input.sections.insert(
        1,
        (
            "gallery".into(),
            r#"<div style="display: grid; gap: var(--gap)"><p>Фото</p></div>"#.into(),
        ),
    );
    let files = files(&input);
    let page: Value = serde_json::from_str(file(&files, "page.json")).unwrap();
    assert_eq!(page["site"]["method"], "landing.site.add");
    let site = &page["site"]["fields"];
    assert_eq!(
        keys(site),
        ["CODE", "TITLE", "TYPE"]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<String>>()
    );
    assert_eq!(site["TYPE"], "PAGE");
    assert_eq!(site["CODE"], "bxland-webinars");
    assert_eq!(site["TITLE"], "Вебинары — ТОО «Алтын Софт»");
    assert_eq!(page["page"]["method"], "landing.landing.add");
    let fields = &page["page"]["fields"];
    assert_eq!(fields["CODE"], "b24-sales-2027-03");
    assert_eq!(
        fields["TITLE"],
        "Битрикс24 для отдела продаж: от заявки до сделки"
    );
    let additional = &fields["ADDITIONAL_FIELDS"];
    for k in keys(additional) {
        assert!(
            [
                "METAMAIN_USE",
                "METAMAIN_TITLE",
                "METAMAIN_DESCRIPTION",
                "METAOG_TITLE",
                "METAOG_DESCRIPTION",
                "CSSBLOCK_USE",
                "CSSBLOCK_CODE"
            ]
            .contains(&k.as_str()),
            "undocumented additional field {k}"
        );
    }
    // The gallery's inline style moved into the page CSS under a class the block carries.
    let css = additional["CSSBLOCK_CODE"].as_str().unwrap();
    assert!(css.contains("{gap:var(--gap);display:grid}"), "{css}");
    // Scoped: every selector starts at the page's root class, so neither Bitrix24's page nor
    // the CRM form is styled by it; range media queries lowered for older Safari and Chrome.
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let head = rest[..open].rsplit(['}', ';']).next().unwrap().trim();
        if !head.starts_with('@') {
            for selector in head.split(',') {
                assert!(
                    selector.trim().starts_with(".bxl-page"),
                    "global selector {selector}"
                );
            }
        }
        rest = &rest[open + 1..];
    }
    assert!(!css.contains("width<="), "{css}");
    assert!(css.contains("@media (max-width:860px)"), "{css}");
    assert_eq!(css, file(&files, "styles.css"));
    let order: Vec<&str> = page["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["section"].as_str().unwrap())
        .collect();
    assert_eq!(order[..3], ["header", "gallery", "hero"]);
    assert_eq!(page["form_id"], 17);
    // The CSS URL is listed in every block's assets.
    let blocks: Value = serde_json::from_str(file(&files, "blocks.json")).unwrap();
    for b in blocks.as_array().unwrap() {
        assert_eq!(
            b["manifest"]["assets"]["css"],
            serde_json::json!(["https://altyn-soft.example.kz/bxland/styles.css"])
        );
    }
}

#[test]
fn form_setup_is_a_russian_checklist_of_the_crm_form() {
    let event = example();
    let mut input = input_for(&event, None, None);
    input.extra_checklist = "## 8. Напоминания\n\n- [ ] Роботы напоминаний созданы.".into();
    let files = files(&input);
    let md = file(&files, "form-setup.md");
    for (label, required) in [
        ("Фамилия", true),
        ("Имя", true),
        ("Название компании", true),
        ("Должность", true),
        ("Электронная почта", true),
        ("Контактный телефон", true),
        ("Город", false),
    ] {
        let row = md
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("| {label} |")))
            .unwrap_or_else(|| panic!("no table row for {label}"));
        assert_eq!(row.contains("**да**"), required, "{row}");
    }
    assert!(md.contains("- [ ] «Электронная почта» — E-mail; включите «Обязательное поле»."));
    assert!(md.contains("- [ ] «Город» — Строка; оставьте необязательным."));
    // The consent text, exactly as generated, to paste as the agreement.
    assert!(md.contains(input.consent_plain.trim_end()));
    assert!(input.consent_plain.contains("ТОО «1С-Битрикс Казахстан»"));
    assert!(md.contains("**не отмечен по умолчанию**"));
    assert!(md.contains("**обязательный**"));
    assert!(md.contains("**выключите капчу**"));
    // The result messages are the theme's, the same as on the preview page.
    assert!(md.contains(&input.strings["form_accepted"]));
    assert!(md.contains(&input.strings["reason_competitor"]));
    assert!(md.contains(&input.strings["reason_student"]));
    assert!(md.contains(&input.confirmation_subject));
    assert!(md.contains("--form-id <ID>"));
    assert!(md.contains("замените в блоке регистрации `FORM_ID`"));
    assert!(md.trim_end().ends_with("- [ ] Роботы напоминаний созданы."));
    // Which CRM field each form field goes to, in both CRM modes; the deal-mode greeting.
    assert!(
        md.contains("| 1 | Фамилия | Лид → Фамилия | Контакт → Фамилия | **да** |"),
        "{md}"
    );
    assert!(md.contains("Компания → Название компании"));
    assert!(md.contains("«Контакт → Имя»"));
    assert!(md.contains("«Добавить отправителя»"));
    // No placeholder where the page address is not known yet; the failure message says why
    // and how to register again, each rejection mail names its reason and a way back.
    assert!(
        !md.contains("адрес страницы вебинара") && !md.contains("{{"),
        "{md}"
    );
    assert!(md.contains("Заявка не отправлена: не удалось передать данные"));
    assert!(md.contains("«Зарегистрироваться» ещё раз на этой странице"));
    assert_eq!(
        md.matches("Если это ошибка, ответьте на это письмо")
            .count(),
        2,
        "{md}"
    );
    assert!(md.contains("появится после публикации"));
    // The editor shows the blocks without the page CSS: said where the partner reads.
    assert!(md.contains("редактор в режиме правки не применяет"));
    assert!(md.lines().filter(|l| l.starts_with("- [ ]")).count() >= 20);
}

fn with_section(
    event: &bxland::webinar::Webinar,
    name: &str,
    html: &str,
) -> Result<(), ExportError> {
    let mut input = input_for(event, Some(3), None);
    input.sections.push((name.into(), html.into()));
    plan(&input).map(|_| ())
}

#[test]
fn theme_markup_the_filter_refuses_is_refused_with_the_section_and_spot() {
    let event = example();
    let err = with_section(
        &event,
        "promo",
        r#"<p>Смотрите</p><iframe src="https://www.youtube.com/embed/x"></iframe>"#,
    )
    .unwrap_err();
    let ExportError::Content { section, problems } = &err;
    assert_eq!(section, "promo");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].snippet, "<iframe");
    assert!(err.message().ru.contains("раздел «promo»"));

    for (html, snippet) in [
        ("<script>track()</script>", "<script"),
        (r#"<a href="javascript:void(0)">x</a>"#, "javascript:"),
        (r#"<img src="x.png" onerror="steal()">"#, "onerror="),
        (
            r#"<form action="https://timepad.ru/x"><input></form>"#,
            "<form",
        ),
        (r#"<a href="data:text/html;base64,AAAA">x</a>"#, "data:"),
        (
            r#"<p><svg role="img" aria-label="Логотип"><rect/></svg></p>"#,
            "<svg",
        ),
    ] {
        match with_section(&event, "promo", html) {
            Err(ExportError::Content { problems, .. }) => {
                assert!(
                    problems.iter().any(|p| p.snippet.starts_with(snippet)),
                    "{html}: {problems:?}"
                )
            }
            Ok(()) => panic!("{html} was accepted"),
        }
    }
}

#[test]
fn what_can_be_rewritten_safely_is_rewritten() {
    let event = example();
    let mut input = input_for(&event, Some(3), None);
    input.sections.push((
        "benefits".into(),
        concat!(
            "<style>.bxl-benefit{color:#0B5CAD}</style>",
            r#"<ul><li style="padding-left: calc(1rem + 4px)"><svg aria-hidden="true" viewBox="0 0 8 8"><path d="M0 0h8v8H0z"/></svg>JavaScript: с нуля</li></ul>"#,
            "<!-- theme comment -->"
        )
        .into(),
    ));
    let plan = plan(&input).unwrap();
    let (_, b) = plan.blocks.iter().find(|(s, _)| s == "benefits").unwrap();
    let content = &b.fields.content;
    assert!(check_content(content).is_empty());
    assert!(!content.contains("<svg") && !content.contains("<style") && !content.contains("<!--"));
    assert!(content.contains("JavaScript&#58; с нуля"));
    assert!(
        plan.css.contains(".bxl-page .bxl-benefit{color:#0b5cad}"),
        "{}",
        plan.css
    );
    assert!(
        plan.css.contains("{padding-left:calc(1rem + 4px)}"),
        "{}",
        plan.css
    );
}

/// The Bitrix24 input of an event, from its real rendering through the theme.
fn input_for(
    event: &bxland::webinar::Webinar,
    form_id: Option<u64>,
    css_url: Option<String>,
) -> Bitrix24Input<'_> {
    // What `publish` sends: the page as `build` renders it, the card as its Open Graph image.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let theme = bxland::render::Theme::for_choice(&event.theme).expect("the theme loads");
    let page = bxland::render::render_page(event, &theme, &bxland::render::PageOptions::new(today))
        .expect("the example renders");
    let mut input =
        bxland::export::from_page::bitrix24(event, &page, &theme, String::new(), form_id, css_url);
    input.og_image = bxland::comms::cards::render_all(event)
        .ok()
        .and_then(|cards| cards.into_iter().find(|(n, _)| n == "card-1200x630.png"))
        .map(|(_, png)| png);
    input
}
