//! The Site Management mailing agent under the recording stand-in of the Bitrix API
//! (`tests/fixtures/comms/bitrix_stand_in.php`): setup is idempotent, each reminder reaches
//! each registrant whose result is not «Отклонена» exactly once, and a second tick sends
//! nothing. Needs `php` (installed by `.ci/run`); fails loudly without it.

use crate::support::comms_common;

use std::path::Path;
use std::process::Command;

use bxland::comms::schedule::{self, Schedule};
use comms_common::*;
use serde_json::{json, Value};

/// Writes the generated PHP into a fake document root as the template archive would place it.
fn install(ev: &bxland::webinar::Webinar, today: chrono::NaiveDate) -> (tempfile::TempDir, String) {
    let root = tempfile::tempdir().unwrap();
    let tpl = root.path().join("bitrix/templates").join(&ev.slug);
    let comms = bxland::comms::EventComms::new(ev, today);
    for (path, bytes) in
        bxland::export::site_management::agent::files_with(ev, comms.schedule(), comms.mails())
    {
        let p = tpl.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let mailings = tpl.join("install/mailings.php").display().to_string();
    (root, mailings)
}

fn php(args: &[&str]) -> std::process::Output {
    Command::new("php")
        .args(args)
        .output()
        .expect("php is required for the Site Management tests (apt-get install php-cli)")
}

fn run(root: &Path, mailings: &str, steps: Value) -> Value {
    let scenario =
        json!({"docroot": root.display().to_string(), "mailings": mailings, "steps": steps});
    let file = root.join("scenario.json");
    std::fs::write(&file, scenario.to_string()).unwrap();
    let driver =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/comms/agent_driver.php");
    let out = php(&[driver.to_str().unwrap(), file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "driver failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn at(s: &Schedule, id: &str) -> i64 {
    s.sends.iter().find(|x| x.id == id).unwrap().utc.timestamp()
}

fn sent(step: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = step["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["event"].as_str().unwrap().to_string(),
                s["to"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn register(id: u32, email: &str, status: &str) -> Value {
    json!({"do": "register", "id": id, "form_id": 7, "email": email, "status": status})
}

#[test]
fn generated_php_is_valid() {
    let ev = load(&example_dir());
    let (_root, mailings) = install(&ev, date(2027, 2, 1));
    for f in [
        mailings.clone(),
        mailings.replace("install/mailings.php", "include/bxland-mailer.php"),
    ] {
        let out = php(&["-l", &f]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn each_reminder_once_to_each_registrant_not_rejected() {
    let ev = load(&example_dir());
    let today = date(2027, 2, 1);
    let s = schedule::plan(&ev, today);
    let (root, mailings) = install(&ev, today);
    let ev_type = |mail: &str| bxland::export::site_management::agent::event_type(&ev, mail);
    let setup = json!({"do": "setup", "form_id": 7, "form_sid": "WEBINAR_B24", "site": "s1"});
    let tick = |t: i64| json!({"do": "run_agents", "now": t});
    let out = run(
        root.path(),
        &mailings,
        json!([
            setup,
            setup,
            register(1, "a@example.kz", "Принята"),
            register(2, "b@example.kz", "Отклонена: конкурент"),
            register(3, "c@example.kz", "Принята"),
            tick(at(&s, "weekly-1") - 60),
            tick(at(&s, "weekly-1") + 60),
            tick(at(&s, "weekly-1") + 360),
            register(4, "d@example.kz", "Принята"),
            tick(at(&s, "weekly-1") + 660),
            {"do": "status", "id": 3, "status": "Отклонена: студент"},
            tick(at(&s, "day-before") + 30),
            tick(at(&s, "day-before") + 330),
            // A missed day: the agent wakes up after the 15-minute reminder began; the stale
            // morning mail is not sent, the 15-minute one is.
            tick(at(&s, "15-min") + 120),
            tick(at(&s, "15-min") + 420),
            tick(at(&s, "followup") + 60),
            tick(at(&s, "followup") + 360),
            tick(at(&s, "followup") + 15 * 86400),
        ]),
    );
    let steps = out["steps"].as_array().unwrap();

    // Setup, twice: one event type and one template per mail, the second run changes
    // nothing, one agent.
    let mails = ["weekly", "day-before", "day-of", "15-min", "followup"];
    assert_eq!(
        out["event_types"].as_array().unwrap().len(),
        mails.len(),
        "{:#}",
        out["event_types"]
    );
    let messages = out["messages"].as_array().unwrap();
    assert_eq!(messages.len(), mails.len());
    for m in messages {
        assert_eq!(m["to"], "#EMAIL_TO#");
        assert_eq!(m["site"], "s1");
    }
    let weekly_mail = bxland::comms::mails::build(&ev, "weekly");
    assert!(messages
        .iter()
        .any(|m| m["event"] == ev_type("weekly") && m["subject"] == weekly_mail.subject.as_str()));
    let second_setup_calls: Vec<&str> = steps[1]["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap())
        .collect();
    assert!(second_setup_calls.is_empty(), "{second_setup_calls:?}");
    let second_reports: Vec<&str> = steps[1]["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        second_reports
            .iter()
            .all(|r| r.starts_with("[found]") || r.starts_with("[kept]")),
        "{second_reports:?}"
    );
    assert_eq!(steps[1]["agents"].as_array().unwrap().len(), 1);
    assert!(steps[0]["reports"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().contains("СМС")));

    let w = ev_type("weekly");
    let pair = |e: &str, to: &str| (e.to_string(), to.to_string());
    // A minute before the last weekly reminder the one of two weeks before is still the
    // current one: registrants who have not had it get it (not the rejected 2).
    assert_eq!(
        sent(&steps[5]),
        [pair(&w, "a@example.kz"), pair(&w, "c@example.kz")]
    );
    // The last weekly reminder is due: to 1 and 3 again, a new mail.
    assert_eq!(
        sent(&steps[6]),
        [pair(&w, "a@example.kz"), pair(&w, "c@example.kz")]
    );
    // The next tick: nothing twice.
    assert!(sent(&steps[7]).is_empty());
    // A late registrant still gets the current reminder, alone.
    assert_eq!(sent(&steps[9]), [pair(&w, "d@example.kz")]);
    // Day before: 3 is rejected now.
    let db = ev_type("day-before");
    assert_eq!(
        sent(&steps[11]),
        [pair(&db, "a@example.kz"), pair(&db, "d@example.kz")]
    );
    assert!(sent(&steps[12]).is_empty());
    let m15 = ev_type("15-min");
    assert_eq!(
        sent(&steps[13]),
        [pair(&m15, "a@example.kz"), pair(&m15, "d@example.kz")]
    );
    assert!(sent(&steps[14]).is_empty());
    let fu = ev_type("followup");
    assert_eq!(
        sent(&steps[15]),
        [pair(&fu, "a@example.kz"), pair(&fu, "d@example.kz")]
    );
    assert!(sent(&steps[16]).is_empty());
    // The day-of mail was never sent: its time passed while the agent did not run.
    let all: Vec<(String, String)> = steps.iter().flat_map(sent).collect();
    assert!(!all.iter().any(|(e, _)| *e == ev_type("day-of")));
    // Everything over: the agent removed itself.
    assert!(steps[16]["agents"].as_array().unwrap().len() == 1);
    assert!(steps[17]["agents"].as_array().unwrap().is_empty());
    // What was sent is remembered per send.
    let opts = &out["options"]["bxland"];
    let key = bxland::export::site_management::agent::key(&ev);
    assert_eq!(opts[format!("{key}_sent_weekly-1")], "1,3,4");
    assert_eq!(opts[format!("{key}_sent_weekly-2")], "1,3");
    assert_eq!(opts[format!("{key}_form")], "7");
}

#[test]
fn skipped_sends_are_not_in_the_agent() {
    let ev = load(&example_dir());
    let today = date(2027, 3, 12);
    let s = schedule::plan(&ev, today);
    let (_root, mailings) = install(&ev, today);
    let mailer = std::fs::read_to_string(
        mailings.replace("install/mailings.php", "include/bxland-mailer.php"),
    )
    .unwrap();
    for send in &s.sends {
        let listed = mailer.contains(&format!("'id' => '{}'", send.id));
        assert_eq!(
            listed,
            !send.skipped && send.channel == schedule::Channel::Email,
            "{}",
            send.id
        );
    }
}

#[test]
fn event_strings_are_escaped_for_php() {
    let title = r#"Битрикс24: «кавычки» 'одинарные' \ обратный слэш ?> и $var {${x}}"#;
    let dir = event_dir(|t| {
        replace_once(
            t,
            "title = \"Битрикс24 для отдела продаж: от заявки до сделки\"",
            &format!("title = '''{title}'''"),
        )
    });
    let ev = load(dir.path());
    let today = date(2027, 2, 1);
    let (root, mailings) = install(&ev, today);
    let lint = php(&["-l", &mailings]);
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stdout)
    );
    let out = run(
        root.path(),
        &mailings,
        json!([{"do": "setup", "form_id": 7, "form_sid": "F", "site": "s1"}]),
    );
    let weekly = bxland::comms::mails::build(&ev, "weekly");
    assert!(weekly.subject.contains(title));
    assert!(out["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["subject"] == weekly.subject.as_str()));
}
