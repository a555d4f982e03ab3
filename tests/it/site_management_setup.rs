//! install/setup.php run under PHP against the recording stand-in for the documented Bitrix
//! classes (tests/fixtures/site_management/bitrix_standin.php), twice.

use crate::support::site_management_common;

use serde_json::Value;
use site_management_common::*;

fn calls<'a>(run: &'a Value, name: &str) -> Vec<&'a Value> {
    run["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["call"] == name)
        .map(|c| &c["args"])
        .collect()
}

fn setup_example() -> (tempfile::TempDir, Value, Value) {
    let event = example();
    let archive = archive_of(&input(&event));
    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    install_template(&docroot, "b24-sales-2027-03", &archive);
    let state = tmp.path().join("state.json");
    let first = run_setup(&state, &docroot, "b24-sales-2027-03");
    let second = run_setup(&state, &docroot, "b24-sales-2027-03");
    (tmp, first, second)
}

#[test]
fn setup_creates_the_form_statuses_agreement_mails_page_and_binding() {
    let (tmp, run, _) = setup_example();
    let out = run["output"].as_str().unwrap();
    assert!(!out.contains("[ОШИБКА]"), "{out}");
    let sid = "WEBINAR_B24_SALES_2027_03";

    // The web form: no captcha, everyone may fill it in.
    let forms = calls(&run, "CForm::Set");
    let form = &forms[0][0];
    assert_eq!(form["SID"], sid);
    assert_eq!(form["USE_CAPTCHA"], "N");
    assert_eq!(form["arGROUP"]["2"], 10);
    assert!(out.contains(&format!("[создано] Веб-форма {sid}")));

    // Questions: the six mandatory ones required, the extra one as the event says, the consent.
    let fields = calls(&run, "CFormField::Set");
    let summary: Vec<(String, String, String)> = fields
        .iter()
        .map(|a| {
            (
                a[0]["SID"].as_str().unwrap().to_string(),
                a[0]["REQUIRED"].as_str().unwrap().to_string(),
                a[0]["arANSWER"][0]["FIELD_TYPE"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    let expect = [
        ("LAST_NAME", "Y", "text"),
        ("FIRST_NAME", "Y", "text"),
        ("COMPANY", "Y", "text"),
        ("POSITION", "Y", "text"),
        ("EMAIL", "Y", "email"),
        ("PHONE", "Y", "text"),
        ("CITY", "N", "text"),
        ("CONSENT", "Y", "checkbox"),
    ];
    let expect: Vec<(String, String, String)> = expect
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(summary, expect);
    assert_eq!(
        fields[0][0]["arANSWER"][0]["MESSAGE"], " ",
        "a text answer's MESSAGE is one space"
    );
    assert_eq!(fields[0][0]["TITLE"], "Фамилия");

    // Statuses: «Новая» the only default, anonymous visitors may create results in it.
    let statuses = calls(&run, "CFormStatus::Set");
    let titles: Vec<&str> = statuses
        .iter()
        .map(|s| s[0]["TITLE"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Новая",
            "Принята",
            "Отклонена: конкурент",
            "Отклонена: студент"
        ]
    );
    let defaults: Vec<&str> = statuses
        .iter()
        .map(|s| s[0]["DEFAULT_VALUE"].as_str().unwrap())
        .collect();
    assert_eq!(defaults, ["Y", "N", "N", "N"]);
    assert_eq!(statuses[0][0]["arPERMISSION_MOVE"], serde_json::json!([2]));
    assert_eq!(
        statuses[0][0]["HANDLER_IN"],
        "/bitrix/templates/b24-sales-2027-03/install/status_new.php"
    );
    assert_eq!(
        statuses[3][0]["HANDLER_IN"],
        "/bitrix/templates/b24-sales-2027-03/install/status_mail.php"
    );

    // The consent agreement with the generated text and its 1C-Bitrix clause.
    let agreement = &calls(&run, "AgreementTable::add")[0][0];
    assert_eq!(agreement["CODE"], sid);
    assert_eq!(agreement["TYPE"], "C");
    let text = agreement["AGREEMENT_TEXT"].as_str().unwrap();
    // Exactly the consent text of the page, with the 1C-Bitrix clause.
    assert_eq!(text.trim(), input(&example()).consent_plain.trim());
    assert!(
        text.contains("компании ТОО «1С-Битрикс Казахстан», которая также вправе обрабатывать их в тех же целях"),
        "{text}"
    );
    assert!(text.contains("ТОО «1С-Битрикс Казахстан»"));

    // Mail: the registrant's confirmation to the e-mail question's raw macro, the organizer's
    // notification, the status mails to #EMAIL# through their own event types.
    let messages = calls(&run, "CEventMessage::Add");
    let to: Vec<(&str, &str)> = messages
        .iter()
        .map(|m| {
            (
                m[0]["EVENT_NAME"].as_str().unwrap(),
                m[0]["EMAIL_TO"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        to,
        [
            ("FORM_FILLING_WEBINAR_B24_SALES_2027_03", "#EMAIL_RAW#"),
            (
                "FORM_FILLING_WEBINAR_B24_SALES_2027_03",
                "events@altyn-soft.example.kz"
            ),
            ("WEBINAR_B24_SALES_2027_03_ACCEPTED", "#EMAIL#"),
            ("WEBINAR_B24_SALES_2027_03_REJECTED", "#EMAIL#"),
        ]
    );
    let confirmation = messages[0][0]["MESSAGE"].as_str().unwrap();
    assert!(
        confirmation.contains("Здравствуйте, #FIRST_NAME_RAW#!"),
        "{confirmation}"
    );
    assert!(confirmation.contains("18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)"));
    assert!(!confirmation.contains("{{"));
    let rejected = messages[3][0]["MESSAGE"].as_str().unwrap();
    assert!(rejected.contains("Причина: #REASON#.") && rejected.contains("#PAGE_PATH#"));
    let set_templates: Vec<&Value> = forms
        .iter()
        .copied()
        .filter(|a| a[0].get("arMAIL_TEMPLATE").is_some())
        .collect();
    let attached = &set_templates[0][0]["arMAIL_TEMPLATE"];
    assert_eq!(attached.as_array().unwrap().len(), 2);
    let types: Vec<&str> = calls(&run, "CEventType::Add")
        .iter()
        .map(|t| t[0]["EVENT_NAME"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "WEBINAR_B24_SALES_2027_03_ACCEPTED",
            "WEBINAR_B24_SALES_2027_03_REJECTED"
        ]
    );
    // The form's own mail event lists the question macros.
    let form_type = &run["state"]["event_types"]["FORM_FILLING_WEBINAR_B24_SALES_2027_03"];
    assert!(form_type["DESCRIPTION"]
        .as_str()
        .unwrap()
        .contains("#EMAIL_RAW#"));

    // The page and its section file, written and valid PHP, where the example's page_url
    // says the page is (the mails and the post link there).
    let page = tmp.path().join("www/webinars/b24-sales-2027-03/index.php");
    let src = std::fs::read_to_string(&page).unwrap();
    assert!(
        src.contains("'bitrix:form.result.new'") && src.contains("'USE_EXTENDED_ERRORS' => 'Y'")
    );
    assert!(src.contains("'LIST_URL' => ''") && src.contains("'EDIT_URL' => ''"));
    assert!(src.contains("'WEB_FORM_ID' => 'WEBINAR_B24_SALES_2027_03'"));
    for f in ["index.php", ".section.php"] {
        php(&[
            "-l",
            tmp.path()
                .join("www/webinars/b24-sales-2027-03")
                .join(f)
                .to_str()
                .unwrap(),
        ]);
    }

    // The template bound to the folder, every existing row kept.
    let update = &calls(&run, "CSite::Update")[0];
    assert_eq!(update[0], "s1");
    assert_eq!(
        update[1]["TEMPLATE"],
        serde_json::json!([
            {"TEMPLATE": ".default", "SORT": 150, "CONDITION": ""},
            {"TEMPLATE": "b24-sales-2027-03", "SORT": 1, "CONDITION": "CSite::InDir('/webinars/b24-sales-2027-03/')"}
        ])
    );
    assert!(out.contains("Готово."));
}

#[test]
fn a_second_run_changes_nothing_and_says_so() {
    let (_tmp, first, second) = setup_example();
    for name in [
        "CForm::Set",
        "CFormField::Set",
        "CFormStatus::Set",
        "AgreementTable::add",
        "AgreementTable::update",
        "CEventMessage::Add",
        "CEventType::Add",
        "CSite::Update",
        "CForm::SetMailTemplate",
    ] {
        assert!(calls(&second, name).is_empty(), "second run called {name}");
    }
    assert_eq!(first["state"], second["state"]);
    let out = second["output"].as_str().unwrap();
    assert!(
        !out.contains("[создано]") && !out.contains("[обновлено]"),
        "{out}"
    );
    assert!(out.contains("[уже есть] Веб-форма WEBINAR_B24_SALES_2027_03"));
    assert!(out.contains("ничего не изменено"));
}

#[test]
fn setup_refuses_without_admin_or_form_module_and_a_direct_request_does_nothing() {
    let event = example();
    let archive = archive_of(&input(&event));
    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    let dir = install_template(&docroot, "b24-sales-2027-03", &archive);
    let state = tmp.path().join("state.json");
    std::fs::write(&state, r#"{"admin": false}"#).unwrap();
    let run = run_setup(&state, &docroot, "b24-sales-2027-03");
    assert!(run["output"]
        .as_str()
        .unwrap()
        .contains("под администратором"));
    assert!(calls(&run, "CForm::Set").is_empty());
    std::fs::write(&state, r#"{"modules": ["main"]}"#).unwrap();
    let run = run_setup(&state, &docroot, "b24-sales-2027-03");
    assert!(run["output"].as_str().unwrap().contains("«Веб-формы»"));
    assert!(calls(&run, "CForm::Set").is_empty());
    // Requested directly (no prolog): no output, nothing done.
    let out = php(&[dir.join("install/setup.php").to_str().unwrap()]);
    assert!(out.stdout.is_empty());
}

#[test]
fn extra_mailings_file_runs_after_the_form_with_its_variables() {
    let event = example();
    let mut inp = input(&event);
    inp.extra_files.push((
        "install/mailings.php".into(),
        b"<?php\nif (!defined('B_PROLOG_INCLUDED')) die();\n$report('found', 'mailings: ' . $formSid . ' ' . $formId . ' ' . $siteId . ' ' . $config['template_id']);\n".to_vec(),
    ));
    let archive = archive_of(&inp);
    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    install_template(&docroot, "b24-sales-2027-03", &archive);
    let run = run_setup(
        &tmp.path().join("state.json"),
        &docroot,
        "b24-sales-2027-03",
    );
    let out = run["output"].as_str().unwrap();
    assert!(
        out.contains("[уже есть] mailings: WEBINAR_B24_SALES_2027_03 1 s1 b24-sales-2027-03"),
        "{out}"
    );
}
