//! One violating event per rule id: each test asserts the exit status, the rule id and the
//! line it is reported at (computed from the mutated file, so the test follows the example).

use crate::support::common;

use common::Scratch;

/// A mutated example that must be refused with `rule` at the line holding `needle`.
fn refused(s: &Scratch, rule: &str, needle: &str) -> serde_json::Value {
    let line = s.line_of(needle);
    let checked = s.check();
    assert_eq!(checked.code, 1, "{rule}: {:#?}", checked.diagnostics());
    let d = checked.expect_at(rule, line);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "event.toml");
    assert!(!d["message"].as_str().unwrap().is_empty());
    assert!(
        !d["help"].as_str().unwrap_or("").is_empty(),
        "{rule} has no help"
    );
    // The diagnostic as a person reads it: the message, the line with the word marked, the
    // help (a change in any of them shows in the snapshot's diff).
    // Named after the test, the rule and the call within the test (tests run in parallel,
    // each on its own thread, so a global counter would not be stable).
    thread_local!(static CALLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
    let call = CALLS.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let test = std::thread::current()
        .name()
        .and_then(|n| n.rsplit("::").next())
        .unwrap_or("unnamed")
        .to_string();
    let name = match call {
        1 => format!("{test}@{}", rule.replace('.', "_")),
        n => format!("{test}@{}-{n}", rule.replace('.', "_")),
    };
    insta::assert_snapshot!(name, checked.rendered(rule));
    d
}

/// A mutated example that passes with a warning `rule` (at `needle`'s line when given).
fn warned(s: &Scratch, rule: &str, needle: Option<&str>) {
    let checked = s.check();
    assert_eq!(checked.code, 0, "{rule}: {:#?}", checked.diagnostics());
    let found = checked.with_rule(rule);
    assert!(!found.is_empty(), "no {rule}: {:#?}", checked.diagnostics());
    assert!(found.iter().all(|d| d["severity"] == "warning"));
    if let Some(needle) = needle {
        checked.expect_at(rule, s.line_of(needle));
    }
}

#[test]
fn example_event_passes_without_any_diagnostic() {
    let checked = common::check_dirs(&[common::example_dir()]);
    assert_eq!(checked.code, 0);
    assert_eq!(checked.diagnostics(), Vec::<serde_json::Value>::new());
    assert_eq!(checked.json["events"][0]["ok"], true);
}

#[test]
fn event_title_empty() {
    let s = Scratch::example();
    s.replace(
        "title = \"Битрикс24 для отдела продаж: от заявки до сделки\"",
        "title = \"  \"",
    );
    refused(&s, "event.title", "title = \"  \"");
}

#[test]
fn event_title_missing_points_at_event_table() {
    let s = Scratch::example();
    s.remove_key("title");
    refused(&s, "event.title", "[event]");
}

#[test]
fn event_date_in_the_past() {
    let s = Scratch::example();
    s.replace("date = 2027-03-18", "date = 2026-11-24");
    refused(&s, "event.date", "date = 2026-11-24");
}

#[test]
fn event_date_quoted() {
    let s = Scratch::example();
    s.replace("date = 2027-03-18", "date = \"2027-03-18\"");
    refused(&s, "event.date", "date = \"2027-03-18\"");
}

#[test]
fn event_audience_missing() {
    let s = Scratch::example();
    s.remove_key("audience");
    refused(&s, "event.audience", "[event]");
}

#[test]
fn event_description_blank() {
    let s = Scratch::example();
    s.remove_key("description");
    s.replace(
        "format = \"online\"",
        "format = \"online\"\ndescription = \"\"",
    );
    refused(&s, "event.description", "description = \"\"");
}

#[test]
fn event_online_format() {
    let s = Scratch::example();
    s.replace("format = \"online\"", "format = \"offline\"");
    refused(&s, "event.online", "format = \"offline\"");
}

#[test]
fn event_online_address_in_text() {
    let s = Scratch::example();
    s.replace(
        "Руководители отделов продаж",
        "Ждём вас по адресу ул. Абая, 1. Руководители отделов продаж",
    );
    let d = refused(&s, "event.online", "по адресу");
    let (_, col) = s.place_of("по адресу");
    assert_eq!(d["column"].as_u64(), Some(col));
}

#[test]
fn event_free_paid_attendance() {
    let s = Scratch::example();
    s.replace(
        "summary = \"",
        "summary = \"Стоимость участия символическая. ",
    );
    refused(&s, "event.free", "Стоимость участия");
}

#[test]
fn event_timezone_invalid_with_suggestion() {
    let s = Scratch::example();
    s.replace("timezone = \"Asia/Almaty\"", "timezone = \"Asia/Almati\"");
    let d = refused(&s, "event.timezone", "Asia/Almati");
    assert!(d["help"].as_str().unwrap().contains("Asia/Almaty"));
}

#[test]
fn event_products_unknown() {
    let s = Scratch::example();
    s.replace("products = [\"Битрикс24\"]", "products = [\"Photoshop\"]");
    refused(&s, "event.products", "products = [\"Photoshop\"]");
}

#[test]
fn event_slug_invalid() {
    let s = Scratch::example();
    s.replace("slug = \"b24-sales-2027-03\"", "slug = \"Мой вебинар\"");
    refused(&s, "event.slug", "slug = \"Мой вебинар\"");
}

#[test]
fn program_present() {
    let s = Scratch::example();
    let text = s.toml();
    let start = text.find("[[program]]").unwrap();
    let end = text.find("[registration]").unwrap();
    s.set_toml(&format!("{}{}", &text[..start], &text[end..]));
    let checked = s.check();
    assert_eq!(checked.code, 1);
    assert!(checked.rules().contains(&"program.present".to_string()));
}

#[test]
fn program_timing_end_before_start() {
    let s = Scratch::example();
    s.replace("end = \"10:10\"", "end = \"09:50\"");
    refused(&s, "program.timing", "end = \"09:50\"");
}

#[test]
fn program_timing_overlap() {
    let s = Scratch::example();
    s.replace("start = \"10:55\"", "start = \"10:45\"");
    refused(&s, "program.timing", "start = \"10:45\"");
}

#[test]
fn program_timing_not_hhmm() {
    let s = Scratch::example();
    s.replace("start = \"11:25\"", "start = \"11.25\"");
    refused(&s, "program.timing", "start = \"11.25\"");
}

#[test]
fn program_talk_details_missing_theses() {
    let s = Scratch::example();
    s.replace("kind = \"qa\"", "kind = \"talk\"");
    let d = refused(
        &s,
        "program.talk-details",
        "title = \"Ответы на вопросы слушателей\"",
    );
    // The kind in Russian, not the file's `talk`.
    assert_eq!(d["message"], "у пункта №4 (доклад) нет тезисов");
}

#[test]
fn program_speaker_unknown_key() {
    let s = Scratch::example();
    s.replace("speakers = [\"nurlanov\"]", "speakers = [\"nurlanow\"]");
    let d = refused(&s, "program.speaker", "speakers = [\"nurlanow\"]");
    assert!(d["help"].as_str().unwrap().contains("nurlanov"));
}

#[test]
fn program_speaker_without_company() {
    let s = Scratch::example();
    s.replace("company = \"ТОО «Дала Трейд»\"\n", "");
    refused(&s, "program.speaker", "[speakers.nurlanov]");
}

#[test]
fn program_product_talk_not_a_bitrix_product() {
    let s = Scratch::example();
    s.replace("product = \"Битрикс24\"", "product = \"1С:Бухгалтерия\"");
    refused(&s, "program.product-talk", "product = \"1С:Бухгалтерия\"");
}

#[test]
fn program_product_talk_too_short() {
    let s = Scratch::example();
    // The product talk shrinks to 25 minutes; the next items move up.
    s.replace("end = \"10:55\"", "end = \"10:35\"");
    s.replace("start = \"10:55\"", "start = \"10:35\"");
    let checked = s.check();
    assert_eq!(checked.code, 1);
    // It has its product key: the message says how long it is, at its end.
    let d = checked.expect_at("program.product-talk", s.line_of("end = \"10:35\""));
    assert_eq!(
        d["message"],
        "доклад о продукте (пункт программы №2) длится 25 минут, нужно не меньше 30"
    );
    assert!(
        !d["help"].as_str().unwrap().contains("ключом product"),
        "{d}"
    );
}

/// A time that cannot be read is reported once, by `program.timing`: not as a missing product
/// talk, nor as a change of the approved program.
#[test]
fn broken_time_reports_only_the_cause() {
    let s = Scratch::example();
    s.replace("end = \"10:55\"", "end = \"10:5\"");
    let checked = s.check();
    assert_eq!(checked.code, 1);
    assert_eq!(
        checked.rules(),
        vec!["program.timing"],
        "{:#?}",
        checked.diagnostics()
    );
    checked.expect_at("program.timing", s.line_of("end = \"10:5\""));
}

/// A past date is `event.date`'s error only: no approval «less than 14 days before».
#[test]
fn past_date_reports_only_the_cause() {
    let s = Scratch::example();
    s.replace("date = 2027-03-18", "date = 2026-03-18");
    let checked = s.check();
    assert_eq!(checked.code, 1);
    assert_eq!(
        checked.rules(),
        vec!["event.date"],
        "{:#?}",
        checked.diagnostics()
    );
}

/// A date that is no date leaves bxland's own mails without one: `event.date` says so, and
/// their unfilled date placeholders are not reported as the partner's.
#[test]
fn unreadable_date_reports_only_the_cause() {
    let s = Scratch::example();
    s.replace("date = 2027-03-18", "date = \"18.03.2027\"");
    let checked = s.check();
    assert_eq!(checked.code, 1);
    assert_eq!(
        checked.rules(),
        vec!["event.date"],
        "{:#?}",
        checked.diagnostics()
    );
}

#[test]
fn program_product_named_nowhere() {
    let s = Scratch::example();
    let text = s.toml();
    // Drop every product name from titles, summary, description and theses.
    let text = text
        .replace(
            "title = \"Битрикс24 для отдела продаж",
            "title = \"Порядок в отделе продаж",
        )
        .replace("Обзор Битрикс24: CRM", "Обзор платформы: CRM")
        .replace("CRM Битрикс24", "CRM")
        .replace("Как устроена CRM Битрикс24", "Как устроена CRM");
    s.set_toml(&text);
    // The lock is about the old titles; approve again so only product-named remains.
    common::bxland()
        .args([
            "approve",
            s.dir().to_str().unwrap(),
            "--today",
            common::TODAY,
        ])
        .assert()
        .success();
    let checked = s.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics());
    assert_eq!(checked.rules(), vec!["program.product-named"]);
    checked.expect_at(
        "program.product-named",
        s.line_of("title = \"Приветственное слово"),
    );
}

#[test]
fn program_approval_warns_without_lock() {
    let s = Scratch::example();
    std::fs::remove_file(s.dir().join("program.lock")).unwrap();
    warned(&s, "program.approval", None);
}

#[test]
fn program_approval_warns_when_approved_late() {
    let s = Scratch::example();
    s.replace("date = 2027-03-18", "date = 2026-12-01");
    warned(&s, "program.approval", Some("date = 2026-12-01"));
}

#[test]
fn program_changed_after_approval_points_at_the_item() {
    let s = Scratch::example();
    s.replace(
        "Что изменилось в работе менеджеров",
        "Что поменялось в работе менеджеров",
    );
    let checked = s.check();
    assert_eq!(checked.code, 1);
    // The third [[program]] item (the case) changed.
    let text = s.toml();
    let third = text.match_indices("[[program]]").nth(2).unwrap().0;
    let line = text[..third].matches('\n').count() as u64 + 1;
    let d = checked.expect_at("program.changed-after-approval", line);
    assert!(
        d["message"].as_str().unwrap().contains("изменены тезисы"),
        "{d}"
    );
}

/// The message says what changed: the field, before → after.
#[test]
fn program_changed_after_approval_says_what_changed() {
    let cases: &[(&str, &str, &str)] = &[
        ("time", "end = \"11:45\"", "end = \"11:40\""),
        (
            "title",
            "title = \"Ответы на вопросы слушателей\"",
            "title = \"Ответы на вопросы\"",
        ),
        (
            "added",
            "[registration]",
            "[[program]]\nstart = \"11:45\"\nend = \"11:50\"\ntitle = \"Розыгрыш\"\nkind = \"opening\"\n\n[registration]",
        ),
    ];
    let mut report = String::new();
    for (name, from, to) in cases {
        let s = Scratch::example();
        s.replace(from, to);
        let checked = s.check();
        assert_eq!(checked.code, 1, "{name}");
        assert_eq!(
            checked.rules(),
            vec!["program.changed-after-approval"],
            "{name}: {:#?}",
            checked.diagnostics()
        );
        let d = &checked.diagnostics()[0];
        report.push_str(&format!("{name}: line {}: {}\n", d["line"], d["message"]));
    }
    // A removed item: the last one, cut from the file.
    let s = Scratch::example();
    let text = s.toml();
    let last = text.rfind("[[program]]").unwrap();
    let next = text.find("[registration]").unwrap();
    s.set_toml(&format!("{}{}", &text[..last], &text[next..]));
    let checked = s.check();
    let found = checked.with_rule("program.changed-after-approval");
    assert_eq!(found.len(), 1, "{:#?}", checked.diagnostics());
    report.push_str(&format!("removed: {}\n", found[0]["message"]));
    insta::assert_snapshot!(report);
}

#[test]
fn organizer_logo_not_an_image() {
    let s = Scratch::example();
    std::fs::write(s.dir().join("assets/logo.svg"), "это не картинка").unwrap();
    refused(&s, "organizer.logo", "logo = \"assets/logo.svg\"");
    // One cause, one diagnostic: input.image leaves a non-image logo to organizer.logo.
    assert!(s.check().with_rule("input.image").is_empty());
}

#[test]
fn a_damaged_organizer_logo_is_input_image_alone() {
    let s = Scratch::example();
    // A PNG signature and nothing after it: a known format whose size cannot even be read.
    let png = b"\x89PNG\r\n\x1a\n\0\0".to_vec();
    std::fs::write(s.dir().join("assets/logo.png"), png).unwrap();
    s.replace("logo = \"assets/logo.svg\"", "logo = \"assets/logo.png\"");
    let checked = s.check();
    assert_eq!(
        checked.with_rule("input.image").len(),
        1,
        "{:#?}",
        checked.diagnostics()
    );
    assert!(
        checked.with_rule("organizer.logo").is_empty(),
        "{:#?}",
        checked.diagnostics()
    );
}

#[test]
fn organizer_logo_missing() {
    let s = Scratch::example();
    s.replace("logo = \"assets/logo.svg\"\n", "");
    refused(&s, "organizer.logo", "[organizer]");
}

#[test]
fn organizer_contacts_bad_email() {
    let s = Scratch::example();
    s.replace(
        "email = \"events@altyn-soft.example.kz\"",
        "email = \"events@\"",
    );
    refused(&s, "organizer.contacts", "email = \"events@\"");
}

#[test]
fn organizer_contacts_without_email_or_phone() {
    let s = Scratch::example();
    s.replace("email = \"events@altyn-soft.example.kz\"\n", "");
    s.replace("phone = \"+7 727 355 00 00\"\n", "");
    refused(&s, "organizer.contacts", "[[organizer.contacts]]");
}

#[test]
fn logo_bitrix_placement() {
    let s = Scratch::example();
    s.replace("placement = \"partners\"", "placement = \"hero\"");
    refused(&s, "logo.bitrix-placement", "placement = \"hero\"");
}

#[test]
fn logo_bitrix_as_organizer_logo() {
    let s = Scratch::example();
    s.replace(
        "logo = \"assets/logo.svg\"",
        "logo = \"assets/bitrix24.svg\"",
    );
    refused(
        &s,
        "logo.bitrix-placement",
        "logo = \"assets/bitrix24.svg\"",
    );
}

#[test]
fn form_fields_cannot_redefine_a_mandatory_field() {
    let s = Scratch::example();
    s.replace("id = \"city\"", "id = \"phone\"");
    refused(&s, "form.fields", "id = \"phone\"");
}

#[test]
fn form_fields_cannot_relax_a_mandatory_field() {
    let s = Scratch::example();
    s.replace("label = \"Город\"", "label = \"Должность\"");
    refused(&s, "form.fields", "label = \"Должность\"");
}

#[test]
fn form_captcha() {
    let s = Scratch::example();
    s.replace("captcha = false", "captcha = true");
    refused(&s, "form.captcha", "captcha = true");
}

#[test]
fn form_confirm_by_link() {
    let s = Scratch::example();
    s.replace("confirm_by_link = false", "confirm_by_link = true");
    refused(&s, "form.confirm-by-link", "confirm_by_link = true");
}

#[test]
fn form_confirmation_email_switched_off() {
    let s = Scratch::example();
    s.replace(
        "[consent]",
        "[registration.confirmation_email]\nenabled = false\n\n[consent]",
    );
    refused(&s, "form.confirmation-email", "enabled = false");
}

/// A placeholder bxland fills in the reminders but not in the registration mails: the
/// exporters would ship it as written, so `check` refuses it at the partner's line.
#[test]
fn text_placeholder_the_confirmation_mail_does_not_fill() {
    let s = Scratch::example();
    s.replace(
        "[consent]",
        "[registration.confirmation_email]\nsubject = \"Ждём вас {{ event.when }}\"\n\n[consent]",
    );
    let d = refused(&s, "text.placeholder", "Ждём вас {{ event.when }}");
    assert!(d["message"].as_str().unwrap().contains("{{ event.when }}"));
}

/// The same placeholder in a reminder is filled: no diagnostic.
#[test]
fn text_placeholder_a_reminder_may_use_the_reminder_slots() {
    let s = Scratch::example();
    s.append(
        "\n[mailings.mail.weekly]\nsubject = \"Вебинар «{{ event.title }}» — {{ event.when }}\"\n",
    );
    let checked = s.check();
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics());
    assert!(s.toml().contains("{{ event.when }}"));
    assert!(checked.with_rule("text.placeholder").is_empty());
}

#[test]
fn form_result_messages_rejected_without_reason() {
    let s = Scratch::example();
    s.replace(
        "reject_reasons = [",
        "rejected_message = \"Заявка отклонена.\"\nreject_reasons = [",
    );
    refused(&s, "form.result-messages", "rejected_message");
}

#[test]
fn form_reject_reasons() {
    let s = Scratch::example();
    s.replace(
        "reject_reasons = [\"competitor\", \"student\"]",
        "reject_reasons = [\"competitor\", \"student\", \"no-budget\"]",
    );
    let d = refused(&s, "form.reject-reasons", "reject_reasons");
    let (_, col) = s.place_of("\"no-budget\"");
    assert_eq!(d["column"].as_u64(), Some(col));
    assert_eq!(
        d["help"],
        "отказать в регистрации можно только конкурентам (\"competitor\") и студентам (\"student\"); всех остальных нужно зарегистрировать — уберите «no-budget» из списка"
    );
}

#[test]
fn form_third_party_link() {
    let s = Scratch::example();
    s.replace(
        "Вы уйдёте с готовым планом",
        "Регистрация: https://forms.gle/abc123. Вы уйдёте с готовым планом",
    );
    refused(&s, "form.third-party", "forms.gle");
}

#[test]
fn consent_sections_missing_term() {
    let s = Scratch::example();
    s.replace("term = \"до отзыва согласия, но не более 3 лет\"\n", "");
    refused(&s, "consent.sections", "[consent]");
}

#[test]
fn consent_bitrix_clause_missing() {
    let s = Scratch::example();
    s.replace("third_parties = [\"ТОО «1С-Битрикс Казахстан» — вправе обрабатывать эти данные в тех же целях\"]", "third_parties = [\"ТОО «Курьер» — доставка материалов\"]");
    refused(&s, "consent.bitrix-clause", "third_parties = [");
}

#[test]
fn consent_own_text_without_bitrix_clause() {
    let s = Scratch::example();
    let text = s.toml();
    let start = text.find("[consent]").unwrap();
    let end = text.find("[[partners]]").unwrap();
    let own = "[consent]\ntext = \"\"\"\nЯ даю согласие ТОО «Алтын Софт» на обработку моих персональных данных: фамилия, имя, название компании, должность, адрес электронной почты, контактный телефон, город. \
Цель — регистрация на вебинар. Действия: сбор, хранение, использование. Передача третьим лицам не производится. \
Срок обработки — до отзыва согласия. Срок хранения — 3 года.\n\"\"\"\n\n";
    s.set_toml(&format!("{}{}{}", &text[..start], own, &text[end..]));
    let checked = s.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics());
    assert_eq!(checked.rules(), vec!["consent.bitrix-clause"]);
    checked.expect_at("consent.bitrix-clause", s.line_of("text = \"\"\""));
}

#[test]
fn consent_data_coverage() {
    let s = Scratch::example();
    s.replace(", \"контактный телефон\"", "");
    let d = refused(&s, "consent.data-coverage", "data = [");
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("Контактный телефон"));
}

#[test]
fn text_competitor() {
    let s = Scratch::example();
    s.replace(
        "Вы уйдёте с готовым планом",
        "Покажем, как перенести клиентов из Мегаплана. Вы уйдёте с готовым планом",
    );
    let d = refused(&s, "text.competitor", "из Мегаплана");
    let (_, col) = s.place_of("Мегаплана");
    assert_eq!(d["column"].as_u64(), Some(col));
}

#[test]
fn text_comparison_is_refused() {
    let s = Scratch::example();
    s.replace(
        "Вы уйдёте с готовым планом",
        "В отличие от других CRM, здесь всё в одном окне. Вы уйдёте с готовым планом",
    );
    refused(&s, "text.comparison", "В отличие от");
}

#[test]
fn text_pronoun_case_points_at_the_word() {
    let s = Scratch::example();
    s.replace("под ваш процесс", "под Ваш процесс");
    let d = refused(&s, "text.pronoun-case", "Ваш процесс");
    let (_, col) = s.place_of("Ваш процесс");
    assert_eq!(d["column"].as_u64(), Some(col));
}

#[test]
fn text_positioning() {
    let s = Scratch::example();
    s.replace("summary = \"", "summary = \"Вебинар от 1С-Битрикс. ");
    refused(&s, "text.positioning", "Вебинар от 1С-Битрикс");
}

#[test]
fn text_sales() {
    let s = Scratch::example();
    s.replace(
        "Вы уйдёте с готовым планом",
        "Участникам скидка 20% на внедрение. Вы уйдёте с готовым планом",
    );
    refused(&s, "text.sales", "скидка 20%");
}

#[test]
fn media_photo_source() {
    let s = Scratch::example();
    std::fs::copy(
        s.dir().join("assets/logo.svg"),
        s.dir().join("assets/photo.svg"),
    )
    .unwrap();
    s.append("[[gallery]]\nimage = \"assets/photo.svg\"\ncaption = \"Наш прошлый вебинар\"\nsource = \"partner-event\"\n");
    refused(&s, "media.photo-source", "source = \"partner-event\"");
}

#[test]
fn input_path_outside_the_folder() {
    let s = Scratch::example();
    std::fs::write(s.tmp.path().join("outside.svg"), "<svg></svg>").unwrap();
    s.replace("logo = \"assets/logo.svg\"", "logo = \"../outside.svg\"");
    refused(&s, "input.path", "logo = \"../outside.svg\"");
}

#[test]
fn input_path_absolute_and_missing() {
    let s = Scratch::example();
    s.replace("logo = \"assets/bitrix24.svg\"", "logo = \"/etc/passwd\"");
    refused(&s, "input.path", "logo = \"/etc/passwd\"");
    let s = Scratch::example();
    s.replace(
        "logo = \"assets/bitrix24.svg\"",
        "logo = \"assets/nope.svg\"",
    );
    refused(&s, "input.path", "logo = \"assets/nope.svg\"");
}

#[cfg(unix)]
#[test]
fn input_path_symlink_out_of_the_folder() {
    let s = Scratch::example();
    std::fs::write(s.tmp.path().join("secret.svg"), "<svg></svg>").unwrap();
    std::os::unix::fs::symlink(
        s.tmp.path().join("secret.svg"),
        s.dir().join("assets/link.svg"),
    )
    .unwrap();
    s.replace(
        "logo = \"assets/bitrix24.svg\"",
        "logo = \"assets/link.svg\"",
    );
    refused(&s, "input.path", "logo = \"assets/link.svg\"");
}

#[test]
fn mail_reminder_schedule() {
    let s = Scratch::example();
    s.replace(
        "reminders = [\"weekly\", \"day-before\", \"day-of\", \"15-min\"]",
        "reminders = [\"weekly\", \"day-of\"]",
    );
    refused(&s, "mail.reminder-schedule", "reminders = [");
}

#[test]
fn mail_followup_warns_without_materials() {
    let s = Scratch::example();
    s.remove_key("recording_url");
    s.remove_key("slides_url");
    warned(&s, "mail.followup", Some("[mailings]"));
}

#[test]
fn announce_cold_mail_names_bitrix() {
    let s = Scratch::example();
    s.append("[announcement]\ncold_mail = true\ncold_body = \"Расскажем, как навести порядок в продажах с Битрикс24.\"\n");
    refused(&s, "announce.cold-mail", "с Битрикс24");
}

#[test]
fn announce_logo_needs_the_organizer_logo() {
    let s = Scratch::example();
    s.replace("logo = \"assets/logo.svg\"\n", "");
    s.append("[announcement]\npost = \"Приглашаем на вебинар. Бесплатно, нужна регистрация.\"\n");
    refused(&s, "announce.logo", "[announcement]");
}

/// The stable rule ids of the rulebook contract (`rulebook.md` of the project's spec, copied
/// here so that the repo stands alone). Ids may be added, never renamed or dropped. Every one
/// is an error but [`CONTRACT_WARNINGS`].
const CONTRACT_RULE_IDS: &[&str] = &[
    "event.title",
    "event.date",
    "event.audience",
    "event.description",
    "event.online",
    "event.free",
    "event.timezone",
    "program.present",
    "program.timing",
    "program.talk-details",
    "program.speaker",
    "program.product-talk",
    "program.product-named",
    "program.approval",
    "program.changed-after-approval",
    "organizer.logo",
    "organizer.contacts",
    "logo.bitrix-placement",
    "form.fields",
    "form.captcha",
    "form.confirm-by-link",
    "form.confirmation-email",
    "form.result-messages",
    "form.reject-reasons",
    "form.third-party",
    "consent.sections",
    "consent.bitrix-clause",
    "consent.data-coverage",
    "text.competitor",
    "text.comparison",
    "text.pronoun-case",
    "text.positioning",
    "text.sales",
    "media.photo-source",
    "input.path",
    "input.image",
    "input.text",
    "mail.reminder-schedule",
    "mail.followup",
    "announce.cold-mail",
    "announce.logo",
    "mail.join-link",
    "announce.registration-link",
    "text.placeholder",
];

const CONTRACT_WARNINGS: &[&str] = &[
    "program.approval",
    "mail.followup",
    "mail.join-link",
    "announce.registration-link",
];

#[test]
fn every_rule_id_of_the_contract_is_known_to_bxland_with_its_severity() {
    let out = common::bxland()
        .args(["rules", "--lang", "en"])
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    for id in CONTRACT_RULE_IDS {
        let severity = if CONTRACT_WARNINGS.contains(id) {
            "warning"
        } else {
            "error"
        };
        assert!(
            printed.contains(&format!("| `{id}` | {severity} |")),
            "bxland rules lacks {id} as {severity}"
        );
    }
}

/// The README's rules table is `bxland rules --lang en`, between two markers, to the byte.
#[test]
fn the_readme_rules_table_is_what_bxland_rules_prints() {
    let out = common::bxland()
        .args(["rules", "--lang", "en"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let begin = "<!-- rules table: `bxland rules --lang en` -->\n";
    let end = "<!-- end of rules table -->";
    let from = readme
        .find(begin)
        .expect("README has the rules-table marker")
        + begin.len();
    let to = from + readme[from..].find(end).expect("README has the end marker");
    assert_eq!(
        &readme[from..to],
        printed,
        "the README's rules table differs from `bxland rules --lang en`: paste its output \
         between the markers in README.md"
    );
}

/// A diagnostic takes its level from its rule's declaration (`rules::grade`), so every id the
/// code emits must be in the table: an undeclared id would be graded by nothing.
#[test]
fn every_emitted_rule_is_declared() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut emitted = 0;
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        for (at, _) in src.match_indices("Diagnostic::new(") {
            let rest = src[at + "Diagnostic::new(".len()..].trim_start();
            let Some(lit) = rest.strip_prefix('"') else {
                continue; // an id passed through a variable
            };
            let id = &lit[..lit.find('"').unwrap()];
            if id.is_empty() || f.ends_with("diag.rs") {
                continue; // diag.rs's own tests use sample ids
            }
            assert!(
                bxland::rules::find(id).is_some(),
                "{} emits «{id}», which the rule table does not declare",
                f.display()
            );
            emitted += 1;
        }
    }
    assert!(emitted > 100, "found only {emitted} emissions");
}

/// A text bxland makes itself is named in Russian in a message, not by an internal key.
#[test]
fn generated_text_is_named_in_russian() {
    let s = Scratch::example();
    s.replace(
        "name = \"ТОО «Алтын Софт»\"",
        "name = \"ТОО «Битрикс24 Софт»\"",
    );
    s.append("[announcement]\ncold_mail = true\n");
    let checked = s.check();
    let found = checked.with_rule("announce.cold-mail");
    let generated: Vec<_> = found.iter().filter(|d| d["line"].is_null()).collect();
    assert_eq!(generated.len(), 1, "{:#?}", checked.diagnostics());
    assert_eq!(
        generated[0]["message"],
        "холодная рассылка упоминает «Битрикс24» (в письме, которое составляет bxland)"
    );
}

/// The rules remember what they found in a text by its words (`rules::memo`), in ranges of
/// the text: the same words written at another place of another event point at that place.
#[test]
fn the_same_words_elsewhere_point_where_they_are_written() {
    let words = "Участникам скидка 20% на внедрение. ";
    let first = Scratch::example();
    first.replace(
        "Вы уйдёте с готовым планом",
        &format!("{words}Вы уйдёте с готовым планом"),
    );
    let second = Scratch::example();
    second.replace(
        "Вы уйдёте с готовым планом",
        &format!("{words}Вы уйдёте с готовым планом"),
    );
    // Three more lines above it.
    second.replace("[event]", "# one\n# two\n# three\n[event]");
    for s in [&first, &second, &first] {
        let (line, col) = s.place_of("скидка 20%");
        let d = s.check().expect_at("text.sales", line);
        assert_eq!(d["column"].as_u64(), Some(col), "{d}");
    }
    assert_eq!(
        second.line_of("скидка 20%"),
        first.line_of("скидка 20%") + 3
    );
}
