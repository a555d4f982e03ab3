//! Every generated mail, SMS, post and cold-mail text passes the rulebook; a violating
//! override is refused with its line and column; the cold variant never names 1C-Bitrix or its
//! products; the mails carry the date and time in the zone, the join details and the contacts.

use crate::support::comms_common;

use assert_cmd::Command;
use base64::Engine;
use bxland::check::check_dir;
use bxland::comms::{self, announce, strings};
use bxland::i18n::Lang;
use bxland::rules::{self, Ctx, GeneratedText, TextRole};
use comms_common::*;

const TODAY: (i32, u32, u32) = (2026, 11, 25);

fn today() -> chrono::NaiveDate {
    date(TODAY.0, TODAY.1, TODAY.2)
}

fn report(dir: &std::path::Path) -> bxland::check::JsonEvent {
    check_dir(dir, today(), &bxland::render::ThemeCache::new()).json(Lang::Ru)
}

/// Every text a registrant or a reader actually gets, values written in.
fn delivered_texts(ev: &bxland::webinar::Webinar) -> Vec<GeneratedText> {
    let mut out = Vec::new();
    for (name, bytes) in comms::export_mailings(ev, today()).unwrap() {
        if name.ends_with(".txt") {
            let role = if name.starts_with("followup") {
                TextRole::FollowUp
            } else {
                TextRole::Mail
            };
            out.push(GeneratedText::new(
                String::from_utf8(bytes).unwrap(),
                name,
                true,
                role,
            ));
        }
    }
    for (name, bytes) in announce::files(ev) {
        if name.ends_with(".txt") {
            let role = if name.starts_with("cold") {
                TextRole::ColdMail
            } else {
                TextRole::Announcement
            };
            out.push(GeneratedText::new(
                String::from_utf8(bytes).unwrap(),
                name,
                true,
                role,
            ));
        }
    }
    out
}

fn assert_delivered_texts_pass(dir: &std::path::Path) {
    let texts = delivered_texts(&load(dir));
    assert!(texts.len() >= 7, "{}", texts.len());
    let ev = load_event(dir);
    let ctx = Ctx::new(&ev, today(), &texts);
    let bad: Vec<_> = rules::check(&ctx)
        .into_iter()
        .filter(|d| d.span.is_none())
        .map(|d| format!("{}: {}", d.rule, d.message.ru))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn example_with_generated_texts_passes() {
    let r = report(&example_dir());
    assert!(r.ok, "{:#?}", r.diagnostics);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
}

#[test]
fn every_delivered_text_passes_the_rulebook_ru_and_kk() {
    let dir = event_dir(|t| format!("{t}\n[announcement]\ncold_mail = true\n"));
    assert_delivered_texts_pass(dir.path());
    let dir = event_dir(|t| {
        let t = replace_once(t, "language = \"ru\"", "language = \"kk\"");
        format!("{t}\n[announcement]\ncold_mail = true\n")
    });
    assert_delivered_texts_pass(dir.path());
    let ev = load(dir.path());
    let weekly = comms::mails::build(&ev, "weekly");
    assert!(weekly.text.contains("Сәлеметсіз бе!"), "{}", weekly.text);
    assert!(
        weekly.text.contains("Алматы уақыты бойынша (UTC+5)"),
        "{}",
        weekly.text
    );
}

#[test]
fn the_rules_do_catch_a_bad_delivered_text() {
    // The check above can fail: the same rules over a text with a capital «Вас» mid-sentence.
    let ev = load_event(&example_dir());
    let texts = [GeneratedText::new(
        "Ждём Вас на вебинаре".into(),
        "x",
        false,
        TextRole::Mail,
    )];
    let ctx = Ctx::new(&ev, today(), &texts);
    assert!(rules::check(&ctx)
        .iter()
        .any(|d| d.rule == "text.pronoun-case"));
}

fn find<'a>(r: &'a bxland::check::JsonEvent, rule: &str) -> Vec<&'a bxland::diag::JsonDiagnostic> {
    r.diagnostics.iter().filter(|d| d.rule == rule).collect()
}

#[test]
fn a_violating_override_is_refused_with_line_and_column() {
    let extra = "\n[mailings.mail.weekly]\nbody = \"Напоминаем: ждём Вас на вебинаре.\"\n";
    let dir = event_dir(|t| format!("{t}{extra}"));
    let toml = std::fs::read_to_string(dir.path().join("event.toml")).unwrap();
    let r = report(dir.path());
    assert!(!r.ok);
    let d = find(&r, "text.pronoun-case");
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    let (line, col) = line_col(&toml, "Вас на вебинаре");
    assert_eq!((d[0].line, d[0].column), (Some(line), Some(col)));
    assert_eq!(d[0].file.as_deref(), Some("event.toml"));
}

#[test]
fn text_sales_does_not_apply_to_the_followup_only() {
    let offer = "body = \"Участникам — скидка 10% на внедрение.\"";
    let dir = event_dir(|t| format!("{t}\n[mailings.mail.followup]\n{offer}\n"));
    let r = report(dir.path());
    assert!(find(&r, "text.sales").is_empty(), "{:#?}", r.diagnostics);
    assert!(r.ok, "{:#?}", r.diagnostics);
    let body = comms::mails::build(&load(dir.path()), "followup").text;
    assert!(body.contains("скидка 10%"), "{body}");

    let dir = event_dir(|t| format!("{t}\n[mailings.mail.day-before]\n{offer}\n"));
    let toml = std::fs::read_to_string(dir.path().join("event.toml")).unwrap();
    let r = report(dir.path());
    let d = find(&r, "text.sales");
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(d[0].line, Some(line_col(&toml, "скидка 10%").0));
}

#[test]
fn cold_variant_of_a_bitrix24_event_is_produced_without_the_name() {
    let dir = event_dir(|t| format!("{t}\n[announcement]\ncold_mail = true\n"));
    let ev = load(dir.path());
    // The title and the program name Битрикс24.
    assert!(announce::bitrix_word(&ev.title).is_some());
    let files = announce::files(&ev);
    let text = String::from_utf8(
        files
            .iter()
            .find(|f| f.0 == "cold-mail.txt")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let html = String::from_utf8(
        files
            .iter()
            .find(|f| f.0 == "cold-mail.html")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert_eq!(announce::bitrix_word(&text), None, "{text}");
    assert_eq!(announce::bitrix_word(&html), None);
    assert!(text.contains("От заявки до сделки"), "{text}");
    assert!(text.contains("бесплатное, нужна регистрация"), "{text}");
    assert!(text.contains("events@altyn-soft.example.kz"));
    // The program item that names the product is left out, the others stay.
    assert!(!text.contains("Обзор"));
    assert!(text.contains("Кейс: как дистрибьютор"));
    let r = report(dir.path());
    assert!(r.ok, "{:#?}", r.diagnostics);
}

#[test]
fn cold_variant_naming_the_product_is_refused() {
    let extra = "\n[announcement]\ncold_mail = true\ncold_body = \"Покажем, как работает Битрикс24 в отделе продаж.\"\n";
    let dir = event_dir(|t| format!("{t}{extra}"));
    let toml = std::fs::read_to_string(dir.path().join("event.toml")).unwrap();
    let r = report(dir.path());
    assert!(!r.ok);
    let d = find(&r, "announce.cold-mail");
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert!(d[0].message.contains("«Битрикс24»"), "{}", d[0].message);
    let (line, col) = line_col(&toml, "Битрикс24 в отделе");
    assert_eq!((d[0].line, d[0].column), (Some(line), Some(col)));

    // An organizer whose name is the vendor's cannot send a cold mail at all.
    let dir = event_dir(|t| {
        let t = replace_once(
            t,
            "name = \"ТОО «Алтын Софт»\"",
            "name = \"ТОО «Битрикс Партнёр Алматы»\"",
        );
        format!("{t}\n[announcement]\ncold_mail = true\n")
    });
    let r = report(dir.path());
    let d = find(&r, "announce.cold-mail");
    assert!(!d.is_empty(), "{:#?}", r.diagnostics);
    assert!(
        d.iter().any(|d| d.message.contains("«Битрикс»")),
        "{:#?}",
        d
    );
}

#[test]
fn sms_fits_one_cyrillic_segment() {
    for lang in ["ru", "kk"] {
        let dir = event_dir(|t| {
            let t = replace_once(t, "language = \"ru\"", &format!("language = \"{lang}\""));
            replace_once(
                t,
                "join_url = \"https://events.webinar.ru/altyn-soft/b24-sales-2027-03\"",
                "join_url = \"https://altyn-soft.example.kz/webinars/b24-sales-2027-03/join?utm_source=sms\"",
            )
        });
        let ev = load(dir.path());
        let sms = comms::mails::sms_text(&ev);
        assert!(
            strings::sms_units(&sms) <= 70,
            "{lang}: {sms} ({})",
            strings::sms_units(&sms)
        );
        // When it goes out («через час» / «бір сағаттан кейін») and what: the topic or the time.
        assert!(
            sms.contains("10:00") || sms.contains("«От заявки") || sms.contains("«Өтінім"),
            "{sms}"
        );
        assert!(sms.ends_with('.'), "{sms}");
        let day_of = comms::mails::build(&ev, "day-of");
        assert!(day_of.text.contains(
            "https://altyn-soft.example.kz/webinars/b24-sales-2027-03/join?utm_source=sms"
        ));
        assert!(day_of.html.contains(
            "href=\"https://altyn-soft.example.kz/webinars/b24-sales-2027-03/join?utm_source=sms\""
        ));
    }
    // A short join link fits into the SMS itself.
    let dir = event_dir(|t| {
        replace_once(
            t,
            "join_url = \"https://events.webinar.ru/altyn-soft/b24-sales-2027-03\"",
            "join_url = \"https://ws.kz/b24\"",
        )
    });
    let sms = comms::mails::sms_text(&load(dir.path()));
    assert!(sms.contains("https://ws.kz/b24"), "{sms}");
    assert!(strings::sms_units(&sms) <= 70, "{sms}");

    let long =
        "Напоминаем: через час начнётся наш вебинар, подключайтесь по ссылке из письма, ждём!";
    let dir = event_dir(|t| format!("{t}\n[mailings.mail.sms]\nbody = \"{long}\"\n"));
    let toml = std::fs::read_to_string(dir.path().join("event.toml")).unwrap();
    let r = report(dir.path());
    let d = find(&r, "mail.reminder-schedule");
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(d[0].line, Some(line_col(&toml, long).0));
}

#[test]
fn schedule_rules_refuse_missing_reminders_and_unknown_mails() {
    let dir = event_dir(|t| {
        replace_once(
            t,
            "reminders = [\"weekly\", \"day-before\", \"day-of\", \"15-min\"]",
            "reminders = [\"weekly\", \"day-before\", \"sms\"]",
        )
    });
    let r = report(dir.path());
    let msgs: Vec<&str> = find(&r, "mail.reminder-schedule")
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    // The partner's words, not the file's keys.
    assert!(
        msgs.iter()
            .any(|m| m.contains("напоминание в день вебинара")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("напоминание за 15 минут")),
        "{msgs:?}"
    );
    assert!(
        !msgs
            .iter()
            .any(|m| m.contains("day-of") || m.contains("15-min")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("СМС не заменяет")),
        "{msgs:?}"
    );

    let dir = event_dir(|t| format!("{t}\n[mailings.mail.weekley]\nsubject = \"Напоминание\"\n"));
    let r = report(dir.path());
    let d = find(&r, "mail.reminder-schedule");
    assert_eq!(d.len(), 1, "{:#?}", r.diagnostics);
    assert!(d[0].help.as_deref().unwrap().contains("«weekly»"));

    let dir = event_dir(|t| {
        replace_once(
            t,
            "slides_url = \"https://altyn-soft.example.kz/webinars/b24-sales/slides\"\n",
            "followup_after_days = 5\n",
        )
    });
    let r = report(dir.path());
    assert!(r.ok);
    // Five working days, and no slides (the recording alone is sent).
    let d = find(&r, "mail.followup");
    assert_eq!(d.len(), 2, "{:#?}", r.diagnostics);
    assert!(d.iter().any(|d| d.message.contains("слайды")), "{:#?}", d);
}

#[test]
fn mails_carry_time_zone_join_details_and_contacts() {
    let ev = load(&example_dir());
    for name in ["weekly", "day-before", "day-of", "15-min"] {
        let m = comms::mails::build(&ev, name);
        for body in [&m.text, &m.html] {
            assert!(
                body.contains("18 марта 2027, 10:00–11:45 по времени Алматы (UTC+5)"),
                "{name}: {body}"
            );
            assert!(body.contains("events@altyn-soft.example.kz"), "{name}");
            assert!(body.contains("+7 727 355 00 00"), "{name}");
            assert!(body.contains("Ссылка для подключения"), "{name}");
        }
    }
    let f = comms::mails::build(&ev, "followup");
    assert!(f
        .text
        .contains("https://altyn-soft.example.kz/webinars/b24-sales/recording"));
    assert!(f
        .text
        .contains("https://altyn-soft.example.kz/webinars/b24-sales/slides"));

    let files = comms::export_mailings(&ev, today()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    for n in ["weekly", "day-before", "day-of", "15-min", "followup"] {
        for ext in ["html", "txt", "eml"] {
            assert!(
                names.contains(&format!("{n}.{ext}").as_str()),
                "{n}.{ext} in {names:?}"
            );
        }
    }
    assert!(names.contains(&"sms.txt") && names.contains(&"schedule.json"));
    // The .eml: a MIME message whose subject and parts decode to the mail.
    let eml = String::from_utf8(
        files
            .iter()
            .find(|f| f.0 == "weekly.eml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let weekly = comms::mails::build(&ev, "weekly");
    assert!(eml.contains("Content-Type: multipart/alternative"));
    let subject: String = eml
        .lines()
        .skip_while(|l| !l.starts_with("Subject:"))
        .take_while(|l| l.starts_with("Subject:") || l.starts_with(' '))
        .flat_map(|l| l.split_whitespace())
        .filter_map(|w| {
            w.strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
        })
        .map(|b| {
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap()
        })
        .collect();
    assert_eq!(subject, weekly.subject);
    let part: String = eml
        .split("Content-Transfer-Encoding: base64\r\n\r\n")
        .nth(1)
        .unwrap()
        .split("--")
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let decoded = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(part)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(decoded, weekly.text);
}

#[test]
fn bitrix24_checklist_lists_times_and_texts() {
    let ev = load(&example_dir());
    let c = comms::EventComms::new(&ev, date(2027, 2, 1));
    let md = bxland::export::bitrix24::checklist::checklist_with(&ev, c.schedule(), c.mails());
    let s = comms::schedule::plan(&ev, date(2027, 2, 1));
    for send in &s.sends {
        assert!(
            md.contains(&send.local.format("%d.%m.%Y %H:%M").to_string()),
            "{}",
            send.id
        );
        assert!(
            md.contains(&send.utc.format("%d.%m.%Y %H:%M").to_string()),
            "{}",
            send.id
        );
    }
    for name in ["weekly", "day-before", "day-of", "15-min", "followup"] {
        assert!(
            md.contains(&comms::mails::build(&ev, name).subject),
            "{name}"
        );
    }
    assert!(md.contains(&comms::mails::sms_text(&ev)));
    assert!(md.contains("Отправить письмо"));
}

#[test]
fn rules_command_prints_the_new_ids() {
    let out = Command::cargo_bin("bxland")
        .unwrap()
        .arg("rules")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "mail.reminder-schedule",
        "mail.followup",
        "announce.cold-mail",
        "announce.logo",
    ] {
        assert!(text.contains(id), "{id} in {text}");
    }
}

/// A mail body goes through the page's Markdown sanitizer: a partner's `javascript:` link is
/// not a link, a remote image is not fetched, raw HTML is text.
#[test]
fn mail_markdown_is_sanitized_like_the_page() {
    let body = "body = \"\"\"Материалы: [запись](javascript:alert(1)) ![трекер](https://evil.example/p.png) <b onclick=x>жирный</b>\"\"\"";
    let dir = event_dir(|t| format!("{t}\n[mailings.mail.followup]\n{body}\n"));
    let html = comms::mails::build(&load(dir.path()), "followup").html;
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b onclick"), "{html}");
    assert!(html.contains("<em>запись</em>"), "{html}");
}
