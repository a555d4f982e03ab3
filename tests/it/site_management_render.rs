//! header.php + the page written by setup.php + the form component template + footer.php,
//! rendered under PHP with a stand-in $APPLICATION and the form $arResult (see
//! tests/fixtures/site_management/render_page.php): a fresh form, accepted, not sent after
//! field errors or an expired session, rejected with the event's reason.

use crate::support::site_management_common;

use site_management_common::*;

struct Page {
    _tmp: tempfile::TempDir,
    state: std::path::PathBuf,
    docroot: std::path::PathBuf,
}

fn page() -> Page {
    let event = example();
    let archive = archive_of(&input(&event));
    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    install_template(&docroot, "b24-sales-2027-03", &archive);
    let state = tmp.path().join("state.json");
    run_setup(&state, &docroot, "b24-sales-2027-03");
    Page {
        _tmp: tmp,
        state,
        docroot,
    }
}

fn render_as(p: &Page, scenario: &str) -> String {
    render(&p.state, &p.docroot, "b24-sales-2027-03", scenario)
}

/// The elements the static preview also holds: every form field with its type, autocomplete
/// and required flag, the unticked required consent with its full text, no CAPTCHA.
fn assert_form(html: &str) {
    let event = example();
    for f in &event.form {
        let tag_start = html
            .find(&format!("id=\"bxland-{}\"", f.sid.to_lowercase()))
            .unwrap_or_else(|| panic!("field {} missing", f.id));
        let tag_open = html[..tag_start].rfind('<').unwrap();
        let tag = &html[tag_open..tag_open + html[tag_open..].find('>').unwrap()];
        assert!(tag.starts_with("<input"), "{tag}");
        assert!(tag.contains(&format!("type=\"{}\"", f.input_type)), "{tag}");
        if let Some(a) = f.autocomplete {
            assert!(tag.contains(&format!("autocomplete=\"{a}\"")), "{tag}");
        }
        assert_eq!(tag.contains(" required"), f.required, "{tag}");
        assert!(html.contains(&format!(">{}", f.label)), "label {}", f.label);
    }
    // Names come from the form's answers (form_text_<answer id>), not from the event.
    assert!(html.contains("name=\"form_email_"));
    assert!(html.contains("name=\"form_text_"));
    let consent_at = html
        .find("id=\"bxland-consent\"")
        .expect("consent checkbox");
    let open = html[..consent_at].rfind('<').unwrap();
    let tag = &html[open..open + html[open..].find('>').unwrap()];
    assert!(tag.contains("type=\"checkbox\"") && tag.contains("name=\"form_checkbox_CONSENT[]\""));
    assert!(
        tag.contains(" required") && !tag.contains("checked"),
        "{tag}"
    );
    // The full consent text of the preview, and the theme's own words.
    let input = input(&event);
    assert!(html.contains(input.consent_html.trim()), "the consent text");
    assert!(input.consent_plain.contains("1С-Битрикс"));
    assert!(html.contains(&input.strings["free_registration"]));
    assert!(!html.to_lowercase().contains("captcha"));
    assert!(
        html.contains("name=\"web_form_submit\"") && html.contains(">Зарегистрироваться</button>")
    );
    // The theme's form: its classes, and an action that opens the page at the outcome.
    assert!(html.contains(
        "<form class=\"reg-form\" id=\"registration-form\" name=\"WEBINAR_B24_SALES_2027_03\" action=\"/#registration\""
    ));
    assert!(html.contains("<p class=\"submit\"><button type=\"submit\" class=\"btn btn-lg\""));
    assert!(html.contains("<div class=\"field field-check consent\">"));
    assert!(html.contains("<div class=\"consent-text\" id=\"consent-text\""));
    assert!(!html.contains("bxland-form") && !html.contains("form-field"));
}

/// Every in-page link (`href="#x"` or, minified, `href=#x`) has its target on the page.
fn assert_anchors(html: &str) {
    let mut seen = 0;
    for (open, close) in [("href=\"#", '"'), ("href=#", ' ')] {
        let mut rest = html;
        while let Some(at) = rest.find(open) {
            let after = &rest[at + open.len()..];
            let end = after.find([close, '>', '"']).unwrap();
            let id = &after[..end];
            if !id.is_empty() {
                assert!(
                    html.contains(&format!("id=\"{id}\""))
                        || html.contains(&format!("id={id}>"))
                        || html.contains(&format!("id={id} ")),
                    "#{id} has no target on the page"
                );
                seen += 1;
            }
            rest = &after[end..];
        }
    }
    assert!(seen > 0, "the page links to its registration section");
}

/// The page around the form is the static preview's: every section other than the
/// registration appears verbatim (its images moved to the template's folder), in the same
/// order, with the form between them.
fn assert_page(html: &str) {
    let event = example();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let theme = bxland::render::Theme::for_choice(&event.theme).unwrap();
    let preview =
        bxland::render::render_page(&event, &theme, &bxland::render::PageOptions::new(today))
            .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">"));
    assert!(html.contains("<title>Битрикс24 для отдела продаж: от заявки до сделки</title>"));
    assert!(html.contains("<meta name=\"description\" content=\"Как настроить CRM Битрикс24"));
    assert!(html.contains("/bitrix/templates/b24-sales-2027-03/template_styles.css"));
    assert!(!html.contains("%%BXLAND_TPL%%") && !html.contains("<?"));
    let mut last = 0;
    for section in preview.sections.iter().filter(|s| s.name != "registration") {
        let expected = section
            .html
            .replace(
                "src=assets/logo.svg",
                "src=\"/bitrix/templates/b24-sales-2027-03/images/img1.svg\"",
            )
            .replace(
                "src=assets/bitrix24.svg",
                "src=\"/bitrix/templates/b24-sales-2027-03/images/img2.svg\"",
            );
        let at = html.find(&expected).unwrap_or_else(|| {
            panic!(
                "section {} of the preview is not on the Bitrix page",
                section.name
            )
        });
        assert!(at >= last, "section {} out of order", section.name);
        last = at;
        if section.name == "speakers" {
            let form = html
                .find("<form")
                .unwrap_or_else(|| html.find("registration-accepted").unwrap());
            assert!(at < form, "the form comes after the speakers");
        }
        if section.name == "contacts" {
            let form = html
                .find("<form")
                .unwrap_or_else(|| html.find("registration-accepted").unwrap());
            assert!(form < at, "the form comes before the contacts");
        }
    }
    assert!(html.contains("18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)"));
    assert!(html.contains("events@altyn-soft.example.kz"));
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn fresh_form() {
    let p = page();
    let html = render_as(&p, "fresh");
    assert_page(&html);
    assert_form(&html);
    assert_anchors(&html);
    assert!(!html.contains("bxland-shown"));
}

#[test]
fn accepted_state() {
    let p = page();
    let html = render_as(&p, "accepted");
    assert_page(&html);
    assert_anchors(&html);
    assert!(html.contains(
        "<div class=\"result result-ok bxland-shown\" id=\"registration-accepted\" role=\"status\">"
    ));
    let event = example();
    assert!(html.contains(&input(&event).strings["form_accepted"]));
    assert!(!html.contains("<form"), "no second form after acceptance");
}

#[test]
fn field_errors_are_not_a_rejection_each_is_named_and_the_form_comes_again() {
    let p = page();
    let html = render_as(&p, "errors");
    assert_page(&html);
    assert_form(&html);
    assert_anchors(&html);
    assert!(html.contains(
        "<div class=\"result result-no bxland-shown\" id=\"registration-errors\" role=\"alert\">\n<p>Заявка не отправлена: исправьте поля ниже и отправьте форму ещё раз.</p>"
    ));
    // A typo is never a rejection.
    assert!(!html.to_lowercase().contains("отклонен"), "no rejection");
    assert!(html.contains("<li>Электронная почта: Неверный формат адреса электронной почты</li>"));
    assert!(html.contains("<li>Контактный телефон: Не заполнено обязательное поле</li>"));
    // The entered values come back, escaped; the consent must be ticked again.
    assert!(html.contains("value=\"Значение &lt;LAST_NAME&gt;\""));
    assert!(html.contains("value=\"not-an-email\""));
}

#[test]
fn an_expired_session_says_so_and_shows_the_form_again() {
    let p = page();
    let html = render_as(&p, "expired");
    assert_form(&html);
    assert!(html.contains("id=\"registration-expired\" role=\"alert\""));
    assert!(html.contains("сеанс истёк"));
    assert!(!html.to_lowercase().contains("отклонен"));
    // A fresh GET shows no such message.
    assert!(!render_as(&p, "fresh").contains("registration-expired"));
}

#[test]
fn rejected_by_the_organizer_names_the_reason() {
    let p = page();
    let html = render_as(&p, "rejected-student");
    assert_page(&html);
    assert_form(&html);
    let event = example();
    let strings = input(&event).strings;
    let expected = strings["form_rejected"].replace("{reason}", &strings["reason_student"]);
    assert!(html.contains(&expected), "{expected}");
    // «Зарегистрироваться ещё раз» is a link to the form, which is on the page.
    assert!(html.contains(&format!(
        "<p><a class=\"btn\" href=\"#registration-form\">{}</a></p>",
        strings["form_retry"]
    )));
    assert_anchors(&html);
    // A reason the rules do not allow is never shown.
    let html = render_as(&p, "rejected-other");
    assert!(!html.contains("registration-rejected"));
}
