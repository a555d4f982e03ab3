//! The rendered page holds everything the program rules demand, in order, with a compliant
//! form; every event string is escaped; minification keeps every visible space.

use crate::support::render_common;

use bxland::event::form::MANDATORY;
use render_common::*;

const THEMES: &[&str] = &["default", "horizon"];

#[test]
fn required_elements_in_order_of_importance() {
    for theme in THEMES {
        let page = render_with(&example_dir(), theme, true);
        let text = shown(&page.index_html);
        let order = [
            "Битрикс24 для отдела продаж: от заявки до сделки",
            "18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)",
            "Бесплатно, нужна регистрация",
            "Руководители отделов продаж и коммерческие директора",
            "Заявки приходят с сайта, из мессенджеров",
            "10:10–10:55",
            "Обзор Битрикс24: CRM, задачи и сайты в одном окне",
            "Роботы и триггеры: что автоматизировать в первую очередь",
            "Иван Иванов, руководитель отдела внедрения, ТОО «Алтын Софт»",
            "Фамилия",
            "events@altyn-soft.example.kz",
            "+7 727 355 00 00",
        ];
        let mut at = 0;
        for s in order {
            let Some(i) = text[at..].find(s) else {
                panic!("[{theme}] «{s}» missing or out of order in:\n{text}");
            };
            at += i;
        }
        // Every programme item: start–end, title, theses, each speaker with position and company.
        for line in [
            "10:00–10:10",
            "Приветственное слово организатора, технические вопросы",
            "Айгерим Сапарова, руководитель отдела маркетинга, ТОО «Алтын Софт»",
            "10:55–11:25",
            "Ерлан Нурланов, коммерческий директор, ТОО «Дала Трейд»",
            "11:25–11:45",
            "Цифры: скорость ответа клиенту и доля потерянных обращений",
        ] {
            assert!(text.contains(line), "[{theme}] «{line}» missing");
        }
        // The organizer logo is on the page with an alt text; the Bitrix24 logo only in the
        // partners block.
        let logo = tag(&page.index_html, "src", "assets/logo.svg").expect("organizer logo");
        assert!(
            attr_value(logo, "alt").unwrap().contains("Алтын Софт"),
            "{logo}"
        );
        let b24 = page
            .index_html
            .find("assets/bitrix24.svg")
            .expect("partner logo");
        let partners = page.section("partners").expect("partners section");
        assert!(partners.html.contains("assets/bitrix24.svg"));
        for s in &page.sections {
            if s.name != "partners" {
                assert!(
                    !s.html.contains("bitrix24.svg"),
                    "[{theme}] Bitrix24 logo in {}",
                    s.name
                );
            }
        }
        assert!(
            b24 > page
                .index_html
                .find("id=\"contacts\"")
                .or(page.index_html.find("id=contacts"))
                .unwrap()
        );
        assert!(
            page.index_html.starts_with("<!doctype html><html lang=ru>"),
            "[{theme}]"
        );
    }
}

#[test]
fn kazakh_page_is_in_kazakh() {
    let (_, page) = render(&kk_dir());
    let text = shown(&page.index_html);
    assert!(page.index_html.contains("<html lang=kk>"));
    for s in [
        "2027 жылғы 15 сәуір, 11:00–12:35, Ақтөбе уақыты бойынша (UTC+5)",
        "Қатысу тегін, тіркелу қажет",
        "Тегі",
        "Лауазымы",
        "Дербес деректерді өңдеуге келісім",
        "«1С-Битрикс Қазақстан» ЖШС компаниясына береді, ол да осы деректерді сол мақсаттарда өңдеуге құқылы",
        "Айнұр Сәрсенова, енгізу бөлімінің басшысы, «Дала Софт» ЖШС",
    ] {
        assert!(text.contains(s), "«{s}» missing in:\n{text}");
    }
    // The header partner stands in the header, nowhere else.
    let header = page.section("header").unwrap();
    assert!(header.html.contains("assets/bitrix24.svg"));
    assert!(page.section("partners").is_none());
    assert_eq!(page.index_html.matches("assets/bitrix24.svg").count(), 1);
    // A PNG logo gives a PNG favicon.
    assert!(page.index_html.contains("type=image/png"), "favicon type");
    let gallery = page.section("gallery").expect("gallery");
    assert!(gallery.html.contains("Өткен вебинарымыздан көрініс"));
}

#[test]
fn form_has_the_mandatory_fields_consent_and_no_captcha() {
    for theme in THEMES {
        let page = render_with(&example_dir(), theme, true);
        let form = &page.form_html;
        for m in MANDATORY {
            let input = tag(form, "name", m.id).unwrap_or_else(|| panic!("[{theme}] no {}", m.id));
            assert!(has_attr(input, "required"), "[{theme}] {input}");
            assert_eq!(
                attr_value(input, "type"),
                Some(m.input_type),
                "[{theme}] {input}"
            );
            assert_eq!(
                attr_value(input, "autocomplete"),
                Some(m.autocomplete),
                "[{theme}] {input}"
            );
            let id = attr_value(input, "id").unwrap();
            let label =
                tag(form, "for", id).unwrap_or_else(|| panic!("[{theme}] no label for {id}"));
            let after = &form[form.find(label).unwrap() + label.len()..];
            let label_text = &after[..after.find("</label>").unwrap()];
            assert!(
                label_text.starts_with(m.label_ru),
                "[{theme}] label {label_text}"
            );
        }
        // The extra field from the event, not required.
        let city = tag(form, "name", "city").expect("extra field");
        assert!(!has_attr(city, "required"));
        // Consent: a required, unticked checkbox bound to a label, with the full text.
        let consent = tag(form, "name", "consent").expect("consent checkbox");
        assert_eq!(attr_value(consent, "type"), Some("checkbox"));
        assert!(
            has_attr(consent, "required") && !has_attr(consent, "checked"),
            "{consent}"
        );
        assert!(tag(form, "for", "f-consent").is_some());
        let text = shown(form);
        for clause in [
            "ТОО «Алтын Софт», БИН 000000000000, г. Алматы, ул. Абая, 1",
            "Цель обработки: регистрация на вебинар",
            "фамилия, имя, название компании, должность, адрес электронной почты, контактный телефон, город",
            "сбор, запись, систематизация",
            "Оператор передаёт персональные данные компании ТОО «1С-Битрикс Казахстан», которая также вправе обрабатывать их в тех же целях.",
            "в базе данных на территории Республики Казахстан",
            "до отзыва согласия, но не более 3 лет",
            "3 года с даты регистрации",
            "письмом на events@altyn-soft.example.kz",
            "сообщает о запросе «1С-Битрикс»",
        ] {
            assert!(text.contains(clause), "[{theme}] consent lacks «{clause}»");
        }
        let lower = page.index_html.to_lowercase();
        for word in ["captcha", "recaptcha", "hcaptcha", "smartcaptcha"] {
            assert!(!lower.contains(word), "[{theme}] {word}");
        }
        assert!(
            !lower.contains("<script src"),
            "[{theme}] no external scripts"
        );
    }
}

#[test]
fn result_states_are_on_the_page() {
    for theme in THEMES {
        let page = render_with(&example_dir(), theme, true);
        let reg = page.section("registration").unwrap();
        assert!(
            reg.html.contains(&page.form_html),
            "[{theme}] form inside registration"
        );
        let accepted = tag(&reg.html, "id", "registration-accepted").expect("accepted");
        assert!(accepted.starts_with("<div") || accepted.starts_with("<section"));
        let text = shown(&reg.html);
        assert!(
            text.contains("Заявка принята! Письмо с подтверждением регистрации уже отправлено"),
            "[{theme}]"
        );
        for (id, expected) in [
            (
                "registration-rejected-competitor",
                "Заявка отклонена. Причина: на вебинар не принимаются заявки от сотрудников компаний — конкурентов организатора.",
            ),
            (
                "registration-rejected-student",
                "Заявка отклонена. Причина: вебинар предназначен для специалистов компаний, заявки студентов и учащихся не принимаются.",
            ),
        ] {
            let open = tag(&reg.html, "id", id).unwrap_or_else(|| panic!("[{theme}] {id}"));
            let start = reg.html.find(open).unwrap();
            let block = &reg.html[start..start + reg.html[start..].find("</div>").unwrap()];
            let block_text = shown(block);
            assert!(block_text.contains(expected), "[{theme}] {block_text}");
            assert!(block_text.contains("Зарегистрироваться ещё раз"), "[{theme}] retry in {id}");
            assert!(tag(block, "href", "#registration-form").is_some(), "[{theme}] retry link in {id}");
        }
        assert!(text.contains("Зарегистрироваться ещё раз"));
        assert!(
            tag(&reg.html, "href", "#registration-form").is_some(),
            "[{theme}] retry link"
        );
        // The static form shows the accepted state after a submit.
        let form = tag(&page.form_html, "id", "registration-form").unwrap();
        assert_eq!(attr_value(form, "action"), Some("#registration-accepted"));
    }
}

#[test]
fn sections_are_the_page_markup_verbatim() {
    for theme in THEMES {
        let page = render_with(&example_dir(), theme, true);
        let names: Vec<&str> = page.sections.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "header",
                "hero",
                "audience",
                "description",
                "program",
                "speakers",
                "registration",
                "contacts",
                "partners"
            ],
            "[{theme}]"
        );
        let mut at = 0;
        for s in &page.sections {
            let i = page.index_html[at..]
                .find(&s.html)
                .unwrap_or_else(|| panic!("[{theme}] {} not verbatim", s.name));
            at += i + s.html.len();
        }
        assert!(page.index_html.contains(&page.head_html));
        assert!(!page.index_html.contains("BXLANDPLACEHOLDER"));
        let paths: Vec<&str> = page.assets.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "assets/logo.svg",
                "assets/bitrix24.svg",
                "style.css",
                "event.ics"
            ]
        );
        assert!(
            page.css.starts_with(":root{--accent:#0b5cad;"),
            "[{theme}] {}",
            &page.css[..60]
        );
    }
}

#[test]
fn minification_keeps_the_visible_text() {
    for dir in [example_dir(), kk_dir()] {
        for theme in THEMES {
            let raw = render_with(&dir, theme, false);
            let min = render_with(&dir, theme, true);
            assert!(min.index_html.len() < raw.index_html.len());
            let (a, b) = (
                bxland::render::minify::visible_text(&raw.index_html),
                bxland::render::minify::visible_text(&min.index_html),
            );
            if a != b {
                let diff = a
                    .lines()
                    .zip(b.lines())
                    .find(|(x, y)| x != y)
                    .map(|(x, y)| format!("raw: {x}\nmin: {y}"))
                    .unwrap_or_default();
                panic!(
                    "[{theme}] {}: rendered text differs after minification\n{diff}",
                    dir.display()
                );
            }
        }
    }
}

#[test]
fn head_has_json_ld_open_graph_and_twitter() {
    let page = render_with(&example_dir(), "default", true);
    let head = &page.head_html;
    for needle in [
        "property=\"og:title\" content=\"Битрикс24 для отдела продаж: от заявки до сделки\"",
        "property=\"og:locale\" content=\"ru_RU\"",
        "name=\"twitter:card\" content=\"summary\"",
        "name=\"description\"",
    ] {
        assert!(head.contains(needle), "{needle} in {head}");
    }
    let start = head.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let json: serde_json::Value =
        serde_json::from_str(&head[start..head.rfind("</script>").unwrap()]).unwrap();
    assert_eq!(json["@type"], "Event");
    assert_eq!(
        json["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(json["isAccessibleForFree"], true);
    assert_eq!(json["offers"]["price"], "0");
    assert_eq!(json["organizer"]["name"], "ТОО «Алтын Софт»");
    assert_eq!(json["startDate"], "2027-03-18T10:00:00+05:00");
    assert_eq!(json["endDate"], "2027-03-18T11:45:00+05:00");
    assert_eq!(json["performer"].as_array().unwrap().len(), 3);
}

#[test]
fn calendar_file_is_valid_ics() {
    let page = render_with(&example_dir(), "default", true);
    let ics = &page.ics;
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.contains("\r\nDTSTART:20270318T050000Z\r\n"), "{ics}");
    assert!(ics.contains("\r\nDTEND:20270318T064500Z\r\n"));
    assert!(ics.contains("\r\nUID:b24-sales-2027-03@bxland\r\n"));
    assert!(ics.contains("\r\nDTSTAMP:20261125T000000Z\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line}");
    }
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("SUMMARY:Битрикс24 для отдела продаж: от заявки до сделки\r\n"));
    assert!(
        page.index_html.contains("href=event.ics")
            || page.index_html.contains("href=\"event.ics\"")
    );
}

#[test]
fn nothing_is_fetched_from_outside() {
    for theme in THEMES {
        let page = render_with(&kk_dir(), theme, true);
        let html = &page.index_html;
        for attr in ["src=", "href="] {
            for (i, _) in html.match_indices(attr) {
                let v = html[i + attr.len()..].trim_start_matches('"');
                let tag_start = html[..i].rfind('<').unwrap();
                let tag_name: String = html[tag_start + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                // Links (<a>) are navigation; everything else must be local.
                if tag_name == "a" {
                    continue;
                }
                assert!(
                    !v.starts_with("http") && !v.starts_with("//"),
                    "[{theme}] external {tag_name}: {}",
                    &v[..v.len().min(60)]
                );
            }
        }
        assert!(
            !page.css.contains("url(http") && !page.css.contains("@import"),
            "[{theme}] css fetches"
        );
    }
}

#[test]
fn accent_colour_is_contrast_checked() {
    use bxland::render::color::{contrast, Rgb, AA};
    for theme in THEMES {
        let t = bxland::render::Theme::load(theme, &root()).unwrap();
        let css = t.css(Some("#FFE066"));
        let root_rule = &css[..css.find('}').unwrap()];
        let get = |name: &str| {
            let i = root_rule.find(&format!("--{name}:")).unwrap() + name.len() + 3;
            Rgb::parse(&root_rule[i..i + 7]).unwrap()
        };
        let (accent, on, ink) = (get("accent"), get("on-accent"), get("accent-ink"));
        assert!(contrast(accent, on) >= AA, "[{theme}] text on accent");
        assert!(
            contrast(ink, Rgb(255, 255, 255)) >= AA,
            "[{theme}] accent ink on white"
        );
        assert!(!t.palette(Some("#FFE066")).notes.is_empty());
    }
}

#[test]
fn a_known_page_address_goes_into_open_graph_json_ld_and_the_calendar() {
    let event = load(&example_dir());
    let theme = bxland::render::Theme::load("default", &root()).unwrap();
    let mut o = opts();
    o.base_url = Some("https://altyn-soft.example.kz/webinar/".into());
    let page = bxland::render::render_page(&event, &theme, &o).unwrap();
    assert!(page
        .head_html
        .contains("property=\"og:url\" content=\"https://altyn-soft.example.kz/webinar/\""));
    assert!(page.head_html.contains(
        "property=\"og:image\" content=\"https://altyn-soft.example.kz/webinar/assets/logo.svg\""
    ));
    assert!(page
        .head_html
        .contains("\"url\":\"https://altyn-soft.example.kz/webinar/#registration\""));
    assert!(page
        .ics
        .contains("\r\nURL:https://altyn-soft.example.kz/webinar/\r\n"));
}
