//! The whole Site Management export run as a site runs it, against the recording stand-in
//! (tests/fixtures/site_management/bitrix_standin.php, see its README.md): the setup line
//! pasted from README.txt into «Командная PHP-строка» (through `eval`, twice), the reminder
//! agent executed the way `CAgent::ExecuteAgents` runs it, the status handlers run on a new
//! registration and on each status change.

use crate::support::site_management_common;

use serde_json::Value;
use site_management_common::*;

const SLUG: &str = "b24-sales-2027-03";

/// Where setup puts the example's page: the path of its `page_url`, where the mails, the post
/// and the Open Graph tags link.
fn page_dir() -> String {
    let dir = bxland::export::site_management::page_dir(&example());
    assert_eq!(dir, "webinars/b24-sales-2027-03");
    dir
}

fn calls<'a>(run: &'a Value, name: &str) -> Vec<&'a Value> {
    run["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["call"] == name)
        .map(|c| &c["args"])
        .collect()
}

struct Site {
    _tmp: tempfile::TempDir,
    docroot: std::path::PathBuf,
    state: std::path::PathBuf,
}

fn site(event: &bxland::webinar::Webinar, today: chrono::NaiveDate) -> (Site, String) {
    let (archive, readme) = build_export(event, today);
    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    install_template(&docroot, &event.slug, &archive);
    let state = tmp.path().join("state.json");
    (
        Site {
            _tmp: tmp,
            docroot,
            state,
        },
        readme,
    )
}

#[test]
fn the_pasted_line_sets_everything_up_and_a_second_run_changes_nothing() {
    let event = example();
    let (s, readme) = site(&event, chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
    let line = pasted_line(&readme);
    let first = run_setup_line(&s.state, &s.docroot, &line);
    let out = first["output"].as_str().unwrap();
    assert!(!out.contains("[ОШИБКА]"), "{out}");
    // The reminder templates and the agent exist: the mailer ran to its end.
    assert_eq!(calls(&first, "CAgent::AddAgent").len(), 1, "{out}");
    assert!(
        out.contains("[создано] Агент рассылки напоминаний"),
        "{out}"
    );
    assert!(out.contains("СМС"), "{out}");
    assert!(out.contains("Готово."), "{out}");
    let templates = first["state"]["event_messages"].as_object().unwrap().len();
    assert_eq!(templates, 4 + 5, "4 form and status mails, 5 reminders");
    // The calendar file next to the page.
    let ics = std::fs::read_to_string(s.docroot.join(page_dir()).join("event.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");

    let second = run_setup_line(&s.state, &s.docroot, &line);
    let out2 = second["output"].as_str().unwrap();
    assert!(
        !out2.contains("[создано]") && !out2.contains("[обновлено]") && !out2.contains("[ОШИБКА]"),
        "{out2}"
    );
    assert!(out2.contains("ничего не изменено"), "{out2}");
    for name in [
        "CForm::Set",
        "CFormField::Set",
        "CFormStatus::Set",
        "CEventMessage::Add",
        "CEventMessage::Update",
        "CEventType::Add",
        "CAgent::AddAgent",
        "COption::SetOptionString",
    ] {
        assert!(calls(&second, name).is_empty(), "second run called {name}");
    }
    assert_eq!(first["state"], second["state"]);
}

#[test]
fn the_agent_sends_each_reminder_as_execute_agents_runs_it_and_catches_up_late() {
    let event = example();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    let schedule = bxland::comms::schedule::plan(&event, today);
    let (s, readme) = site(&event, today);
    run_setup_line(&s.state, &s.docroot, &pasted_line(&readme));
    let sid = "WEBINAR_B24_SALES_2027_03";
    site_action(&s.state, &s.docroot, &["add", sid, "a@example.kz"]);
    let added = site_action(&s.state, &s.docroot, &["add", sid, "b@example.kz"]);
    let b = added["state"]["results"]
        .as_object()
        .unwrap()
        .keys()
        .next_back()
        .unwrap()
        .clone();
    site_action(
        &s.state,
        &s.docroot,
        &["status", &b, "bxland-rejected-competitor"],
    );
    let sent_in = |run: &Value| -> Vec<(String, String)> {
        calls(run, "CEvent::Send")
            .iter()
            .map(|a| {
                (
                    a[0].as_str().unwrap().to_string(),
                    a[2]["EMAIL_TO"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let at = |id: &str| {
        schedule
            .sends
            .iter()
            .find(|x| x.id == id)
            .unwrap()
            .utc
            .timestamp()
    };
    let ev_type = |mail: &str| bxland::export::site_management::agent::event_type(&event, mail);
    // The day-before reminder, an hour late on a quiet site: still sent, once, to a only.
    let late = at("day-before") + 40 * 60;
    let run = site_action(&s.state, &s.docroot, &["agents", &late.to_string()]);
    let sent = sent_in(&run);
    assert_eq!(
        sent,
        [(ev_type("day-before"), "a@example.kz".to_string())],
        "{sent:?}"
    );
    let again = site_action(&s.state, &s.docroot, &["agents", &(late + 300).to_string()]);
    assert!(sent_in(&again).is_empty());
    // The agent keeps its name while sends remain, and removes itself once all are over.
    assert_eq!(again["state"]["agents"].as_object().unwrap().len(), 1);
    let over = at("followup") + 20 * 86400;
    let end = site_action(&s.state, &s.docroot, &["agents", &over.to_string()]);
    assert!(end["state"]["agents"]
        .as_object()
        .is_none_or(|a| a.is_empty()));
}

#[test]
fn status_handlers_record_the_consent_and_mail_the_registrant_on_each_change() {
    let event = example();
    let (s, readme) = site(&event, chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
    run_setup_line(&s.state, &s.docroot, &pasted_line(&readme));
    let sid = "WEBINAR_B24_SALES_2027_03";
    let add = site_action(&s.state, &s.docroot, &["add", sid, "a@example.kz"]);
    assert_eq!(calls(&add, "Consent::addByContext").len(), 1);
    assert!(calls(&add, "CEvent::Send").is_empty());
    let id = add["state"]["results"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    for (code, event_name, reason) in [
        ("bxland-accepted", format!("{sid}_ACCEPTED"), ""),
        (
            "bxland-rejected-competitor",
            format!("{sid}_REJECTED"),
            "competitor",
        ),
        (
            "bxland-rejected-student",
            format!("{sid}_REJECTED"),
            "student",
        ),
    ] {
        let run = site_action(&s.state, &s.docroot, &["status", &id, code]);
        let sends = calls(&run, "CEvent::Send");
        assert_eq!(sends.len(), 1, "{code}");
        assert_eq!(sends[0][0], event_name.as_str());
        assert_eq!(sends[0][2]["EMAIL"], "a@example.kz");
        let path = sends[0][2]["PAGE_PATH"].as_str().unwrap();
        if reason.is_empty() {
            assert_eq!(path, format!("/{}/", page_dir()));
        } else {
            assert_eq!(
                path,
                format!("/{}/?rejected={reason}#registration", page_dir())
            );
            assert!(!sends[0][2]["REASON"].as_str().unwrap().is_empty());
        }
    }
}

#[test]
fn a_windows_1251_site_stops_before_anything_is_created_with_a_russian_message() {
    let event = example();
    let (s, readme) = site(&event, chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
    std::fs::write(&s.state, r#"{"utf": false}"#).unwrap();
    let run = run_setup_line(&s.state, &s.docroot, &pasted_line(&readme));
    // Printed in the site's charset (the harness reads windows-1251 back): readable Russian.
    let out = run["output"].as_str().unwrap();
    assert!(
        out.contains("[ОШИБКА] Сайт работает в кодировке windows-1251"),
        "{out}"
    );
    assert!(out.contains("Ничего не создано"), "{out}");
    assert!(calls(&run, "CForm::Set").is_empty());
    assert!(calls(&run, "CModule::IncludeModule").is_empty());
    assert!(!s.docroot.join(page_dir()).exists());
}

#[test]
fn event_text_cannot_form_macros_or_header_lines_in_any_mail_template() {
    let tmp = tempfile::tempdir().unwrap();
    let event = hostile(tmp.path());
    // A title with a line break and macros, as TOML allows.
    let toml_path = tmp.path().join("event.toml");
    let t = std::fs::read_to_string(&toml_path).unwrap();
    let title = toml::Value::String(HOSTILE.to_string()).to_string();
    let evil = toml::Value::String(format!(
        "Вебинар\r\nBcc: spy@example.com #DEFAULT_EMAIL_FROM# #EMAIL_TO# {HOSTILE}"
    ))
    .to_string();
    std::fs::write(&toml_path, t.replacen(&title, &evil, 1)).unwrap();
    drop(event);
    let event = load(tmp.path());
    assert!(event.title.contains("\r\nBcc:"));
    let (s, readme) = site(&event, chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
    let run = run_setup_line(&s.state, &s.docroot, &pasted_line(&readme));
    let out = run["output"].as_str().unwrap();
    assert!(!out.contains("[ОШИБКА]"), "{out}");
    let messages = run["state"]["event_messages"].as_object().unwrap();
    assert_eq!(messages.len(), 9);
    for m in messages.values() {
        let subject = m["SUBJECT"].as_str().unwrap();
        assert!(!subject.contains(['\r', '\n']), "{subject:?}");
        assert!(subject.contains("Bcc: spy@example.com"), "{subject}");
        for macro_ in ["#DEFAULT_EMAIL_FROM#", "#EMAIL_TO#", "#EMAIL#"] {
            assert!(!subject.contains(macro_), "{macro_} in {subject}");
        }
        let message = m["MESSAGE"].as_str().unwrap();
        assert!(
            !message.contains("#DEFAULT_EMAIL_FROM# #EMAIL_TO#"),
            "{message}"
        );
        assert!(!message.contains("#EMAIL# \\"), "{message}");
    }
}

#[test]
fn the_installer_files_opened_directly_do_nothing_and_show_no_paths() {
    let event = example();
    let (s, _) = site(&event, chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
    let tpl = s.docroot.join("bitrix/templates").join(SLUG);
    for f in [
        "install/mailings.php",
        "install/setup.php",
        "include/bxland-mailer.php",
    ] {
        let out = php(&[tpl.join(f).to_str().unwrap()]);
        assert!(
            out.stdout.is_empty(),
            "{f}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// Setup twice from the README's line, then the page in each state: for the example, the
/// Kazakh fixture and an event whose texts are hostile.
#[test]
fn example_kazakh_and_hostile_events_install_twice_and_render_every_state() {
    let tmp = tempfile::tempdir().unwrap();
    let kk = load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/kk-event"),
    );
    for event in [example(), kk, hostile(tmp.path())] {
        let slug = event.slug.clone();
        let (s, readme) = site(
            &event,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        );
        let line = pasted_line(&readme);
        let first = run_setup_line(&s.state, &s.docroot, &line);
        let out = first["output"].as_str().unwrap();
        assert!(
            !out.contains("[ОШИБКА]") && out.contains("Готово."),
            "{slug}: {out}"
        );
        let second = run_setup_line(&s.state, &s.docroot, &line);
        let out2 = second["output"].as_str().unwrap();
        assert!(out2.contains("ничего не изменено"), "{slug}: {out2}");
        assert_eq!(first["state"], second["state"], "{slug}");
        for scenario in [
            "fresh",
            "accepted",
            "errors",
            "expired",
            "rejected-competitor",
        ] {
            let html = render(&s.state, &s.docroot, &slug, scenario);
            assert!(html.contains("id=\"registration\""), "{slug} {scenario}");
            assert!(!html.contains("<script>x</script>"), "{slug} {scenario}");
            assert!(!html.contains("<?"), "{slug} {scenario}");
            if scenario != "fresh" {
                assert!(html.contains("bxland-shown"), "{slug} {scenario}");
            }
        }
    }
}

/// At each reminder's time the agent, run as `CAgent::ExecuteAgents` runs it, sends that mail
/// once to every registrant not rejected, and nothing on the next run.
#[test]
fn at_each_send_time_the_agent_sends_that_mail_once_to_each_registrant_not_rejected() {
    let event = example();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    let schedule = bxland::comms::schedule::plan(&event, today);
    let (s, readme) = site(&event, today);
    run_setup_line(&s.state, &s.docroot, &pasted_line(&readme));
    let sid = "WEBINAR_B24_SALES_2027_03";
    site_action(&s.state, &s.docroot, &["add", sid, "a@example.kz"]);
    let v = site_action(&s.state, &s.docroot, &["add", sid, "b@example.kz"]);
    let b = v["state"]["results"]
        .as_object()
        .unwrap()
        .keys()
        .max_by_key(|k| k.parse::<u64>().unwrap())
        .unwrap()
        .clone();
    site_action(
        &s.state,
        &s.docroot,
        &["status", &b, "bxland-rejected-student"],
    );
    let emails: Vec<_> = schedule
        .sends
        .iter()
        .filter(|x| x.channel == bxland::comms::schedule::Channel::Email && !x.skipped)
        .collect();
    assert!(emails.len() >= 4);
    for send in emails {
        let t = send.utc.timestamp() + 60;
        let run = site_action(&s.state, &s.docroot, &["agents", &t.to_string()]);
        let sent: Vec<(String, String)> = calls(&run, "CEvent::Send")
            .iter()
            .map(|a| {
                (
                    a[0].as_str().unwrap().to_string(),
                    a[2]["EMAIL_TO"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            sent,
            [(
                bxland::export::site_management::agent::event_type(&event, send.mail),
                "a@example.kz".to_string()
            )],
            "{}",
            send.id
        );
        let again = site_action(&s.state, &s.docroot, &["agents", &(t + 300).to_string()]);
        assert!(calls(&again, "CEvent::Send").is_empty(), "{}", send.id);
    }
}
