//! header.php + the page written by setup.php + the form component template + footer.php,
//! rendered under PHP with a stand-in $APPLICATION and the form $arResult (see
//! tests/fixtures/site_management/render_page.php): a fresh form, accepted, rejected with
//! field errors, rejected with the event's reason.

mod site_management_common;

use bxland::event::form::form_fields;
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
    for f in form_fields(&event) {
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
    assert!(html.contains("«1С-Битрикс» также вправе обрабатывать эти данные"));
    assert!(html.contains("Участие бесплатное, нужна регистрация."));
    assert!(!html.to_lowercase().contains("captcha"));
    assert!(
        html.contains("name=\"web_form_submit\"") && html.contains(">Зарегистрироваться</button>")
    );
    assert!(html.contains("<form name=\"WEBINAR_B24_SALES_2027_03\""));
}

fn assert_page(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">"));
    assert!(html.contains("<title>Битрикс24 для отдела продаж: от заявки до сделки</title>"));
    assert!(html.contains("<meta name=\"description\" content=\"Как настроить CRM Битрикс24"));
    assert!(html.contains("<h1>Битрикс24 для отдела продаж: от заявки до сделки</h1>"));
    assert!(html.contains("18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)"));
    assert!(html.contains("<time>10:10–10:55</time>"));
    assert!(html.contains("src=\"/bitrix/templates/b24-sales-2027-03/images/img1.svg\""));
    assert!(html.contains("events@altyn-soft.example.kz"));
    assert!(html.contains("/bitrix/templates/b24-sales-2027-03/template_styles.css"));
    assert!(!html.contains("%%BXLAND_TPL%%") && !html.contains("<?"));
    let hero = html.find("<h1>").unwrap();
    let form = html
        .find("<form")
        .unwrap_or_else(|| html.find("form-accepted").unwrap());
    let contacts = html.find("section contacts").unwrap();
    assert!(hero < form && form < contacts, "sections around the form");
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn fresh_form() {
    let p = page();
    let html = render_as(&p, "fresh");
    assert_page(&html);
    assert_form(&html);
    assert!(!html.contains("form-accepted") && !html.contains("form-rejected"));
}

#[test]
fn accepted_state() {
    let p = page();
    let html = render_as(&p, "accepted");
    assert_page(&html);
    assert!(html.contains("class=\"form-result form-accepted\" role=\"status\""));
    assert!(html.contains("Заявка принята! Письмо-подтверждение уже отправлено"));
    assert!(!html.contains("<form"), "no second form after acceptance");
}

#[test]
fn rejected_with_field_errors_shows_each_and_the_form_again() {
    let p = page();
    let html = render_as(&p, "errors");
    assert_page(&html);
    assert_form(&html);
    assert!(html.contains("class=\"form-result form-rejected\" role=\"alert\""));
    assert!(
        html.contains("Заявка не принята: не все поля заполнены верно — ошибки перечислены ниже.")
    );
    assert!(html.contains("<li>Электронная почта: Неверный формат адреса электронной почты</li>"));
    assert!(html.contains("<li>Контактный телефон: Не заполнено обязательное поле</li>"));
    assert!(html.contains("Исправьте данные и отправьте форму ещё раз"));
    // The entered values come back, escaped; the consent must be ticked again.
    assert!(html.contains("value=\"Значение &lt;LAST_NAME&gt;\""));
    assert!(html.contains("value=\"not-an-email\""));
}

#[test]
fn rejected_by_the_organizer_names_the_reason() {
    let p = page();
    let html = render_as(&p, "rejected-student");
    assert_page(&html);
    assert_form(&html);
    assert!(html.contains("Заявка не принята: вебинар рассчитан на специалистов компаний, участие студентов и учащихся не предусмотрено."));
    // A reason the rules do not allow is never shown.
    let html = render_as(&p, "rejected-other");
    assert!(!html.contains("form-rejected"));
}
