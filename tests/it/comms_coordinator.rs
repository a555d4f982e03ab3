//! Issue 19: everything bxland writes around the page, read as the program's coordinator reads
//! it. The example event (with the cold mailing on) and the Kazakh fixture are built with the
//! real `bxland build`, and the generated files are checked and snapshotted: no placeholder,
//! no link promised that is not there, reminders that agree with each other, the page's own
//! address wherever a link is given.

use crate::support::common;

use std::path::{Path, PathBuf};

use common::*;

fn kk_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/kk-event")
}

/// A built event: its output folder and the JSON report of `check`.
struct Built {
    _tmp: tempfile::TempDir,
    out: PathBuf,
}

impl Built {
    fn file(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.out.join(rel)).ok()
    }

    fn read(&self, rel: &str) -> String {
        self.file(rel)
            .unwrap_or_else(|| panic!("no {rel} in {}", self.out.display()))
    }

    fn files_under(&self, dir: &str, ext: &str) -> Vec<(String, String)> {
        let mut names: Vec<String> = std::fs::read_dir(self.out.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(ext))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|n| {
                let text = self.read(&format!("{dir}/{n}"));
                (format!("{dir}/{n}"), text)
            })
            .collect()
    }

    /// Every text a registrant or a reader gets, by file.
    fn delivered(&self) -> Vec<(String, String)> {
        let mut out = self.files_under("mailings", ".txt");
        out.retain(|(n, _)| !n.ends_with("README.txt"));
        out.extend(self.files_under("announce", ".txt"));
        out.push(("preview/event.ics".into(), self.read("preview/event.ics")));
        out
    }
}

/// `bxland build` of a copy of `src` (after `edit` of its event.toml) on the usual day.
fn build(src: &Path, edit: impl FnOnce(String) -> String) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(src, &dir);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(dir.join("event.toml"), edit(toml)).unwrap();
    let out_root = tmp.path().join("out");
    let run = bxland()
        .arg("build")
        .arg(&dir)
        .arg("--out")
        .arg(&out_root)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = std::fs::read_dir(&out_root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    Built { _tmp: tmp, out }
}

fn with_cold(t: String) -> String {
    format!("{t}\n[announcement]\ncold_mail = true\n")
}

fn example() -> Built {
    build(&example_dir(), with_cold)
}

fn kk() -> Built {
    build(&kk_fixture(), with_cold)
}

/// The generated texts as one document, for the snapshot.
fn digest(b: &Built) -> String {
    let mut out = String::new();
    for (name, text) in b.delivered() {
        out.push_str(&format!("===== {name}\n{}\n", text.replace("\r\n", "\n")));
    }
    if let Some(notes) = b.file("mailings/README.txt") {
        out.push_str(&format!("===== mailings/README.txt\n{notes}\n"));
    }
    let schedule: serde_json::Value =
        serde_json::from_str(&b.read("mailings/schedule.json")).unwrap();
    out.push_str("===== mailings/schedule.json (sends)\n");
    for key in ["sends", "withheld"] {
        for s in schedule[key].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "{key}: {} {} {}\n",
                s["id"].as_str().unwrap(),
                s["local"].as_str().unwrap(),
                s["skip_reason"].as_str().unwrap_or("-")
            ));
        }
    }
    let html = b.read("preview/index.html");
    for tag in html.split('<').filter(|t| t.contains("og:image\"")) {
        out.push_str(&format!("===== og:image\n<{tag}\n"));
    }
    out
}

#[test]
fn example_texts_as_the_coordinator_reads_them() {
    insta::assert_snapshot!("example_generated_texts", digest(&example()));
}

#[test]
fn kk_texts_as_the_coordinator_reads_them() {
    insta::assert_snapshot!("kk_generated_texts", digest(&kk()));
}

/// Placeholders and slots that must never ship.
const SLOTS: &[&str] = &[
    "{{",
    "}}",
    "адрес страницы вебинара",
    "вебинар бетінің мекенжайы",
    "[ЗАМЕНИТЕ",
];

#[test]
fn no_placeholder_ships_in_any_generated_file() {
    for b in [example(), kk()] {
        let mut texts = b.delivered();
        texts.push((
            "bitrix24/form-setup.md".into(),
            b.read("bitrix24/form-setup.md"),
        ));
        texts.extend(b.files_under("mailings", ".html"));
        for (name, text) in texts {
            for slot in SLOTS {
                assert!(!text.contains(slot), "{name} holds {slot:?}:\n{text}");
            }
        }
    }
}

#[test]
fn without_any_address_the_texts_say_where_to_register_in_words() {
    let b = build(&example_dir(), |t| {
        let t = t
            .replace(
                "page_url = \"https://altyn-soft.example.kz/webinars/b24-sales-2027-03/\"\n",
                "",
            )
            .replace("website = \"https://altyn-soft.example.kz\"\n", "");
        with_cold(t)
    });
    for file in ["announce/post.txt", "announce/cold-mail.txt"] {
        let text = b.read(file);
        assert!(!text.contains("{{"), "{file}:\n{text}");
        assert!(
            text.contains("Регистрация — на странице вебинара на сайте организатора."),
            "{file}:\n{text}"
        );
    }
    assert!(!b.read("bitrix24/form-setup.md").contains("адрес страницы"));
    assert!(b.read("report.json").contains("announce.registration-link"));
}

#[test]
fn reminders_give_the_join_link_and_agree_with_each_other() {
    let b = example();
    let link = "https://events.webinar.ru/altyn-soft/b24-sales-2027-03";
    for name in ["weekly", "day-before", "day-of", "15-min"] {
        let text = b.read(&format!("mailings/{name}.txt"));
        assert!(
            text.contains(&format!("Ссылка для подключения: {link}")),
            "{name}:\n{text}"
        );
        // Nothing is promised for later: the link is in every reminder.
        for promise in ["пришлём", "уточните у организатора", "ещё раз"]
        {
            assert!(!text.contains(promise), "{name}: {promise}\n{text}");
        }
    }
    // Point 14: the topic, a full stop, one segment.
    let sms = b.read("mailings/sms.txt");
    assert_eq!(
        sms.trim_end(),
        "Через час вебинар «От заявки до сделки». Ссылка — в письме."
    );
    assert!(sms.chars().count() <= 70, "{sms}");
}

#[test]
fn without_join_url_no_text_speaks_of_a_link_and_the_link_reminders_are_withheld() {
    for (b, words) in [
        (
            build(&example_dir(), |t| {
                let t = t.replace(
                    "join_url = \"https://events.webinar.ru/altyn-soft/b24-sales-2027-03\"\n",
                    "",
                );
                with_cold(t)
            }),
            &["ссылк", "Ссылк"][..],
        ),
        (kk(), &["сілтеме", "Сілтеме"][..]),
    ] {
        for (name, text) in b.delivered() {
            if name.ends_with(".ics") || name.contains("cold") || name.contains("post") {
                continue;
            }
            for w in words {
                assert!(!text.contains(w), "{name} speaks of a link:\n{text}");
            }
        }
        for gone in ["day-of", "15-min"] {
            assert!(b.file(&format!("mailings/{gone}.txt")).is_none(), "{gone}");
        }
        let notes = b.read("mailings/README.txt");
        assert!(notes.contains("join_url"), "{notes}");
        let report = b.read("report.json");
        assert!(report.contains("mail.join-link"), "{report}");
        let agent = b
            .file("site-management/README.txt")
            .unwrap_or_default()
            .to_string();
        assert!(!agent.contains("15-min.html"), "{agent}");
    }
    // The rule itself: a warning on [event], and at a partner's text that promises a link.
    let s = Scratch::example();
    s.remove_key("join_url");
    s.append("[mailings.mail.weekly]\nbody = \"Ссылку на трансляцию пришлём накануне.\"\n");
    let checked = s.check();
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics());
    let d = checked.with_rule("mail.join-link");
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(d.iter().all(|d| d["severity"] == "warning"));
    checked.expect_at("mail.join-link", s.line_of("[event]"));
    let (line, col) = s.place_of("Ссылку на трансляцию");
    let at = checked.expect_at("mail.join-link", line);
    assert_eq!(at["column"].as_u64(), Some(col));
}

#[test]
fn text_placeholder_refuses_slots_where_they_were_written() {
    let s = Scratch::example();
    s.append("[mailings.mail.weekly]\nbody = \"Ждём вас на вебинаре «{{ evnt.title }}».\"\n");
    let checked = s.check();
    assert_eq!(checked.code, 1);
    let d = checked.with_rule("text.placeholder");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["severity"], "error");
    let (line, col) = s.place_of("{{ evnt.title }}");
    assert_eq!(
        (d[0]["line"].as_u64(), d[0]["column"].as_u64()),
        (Some(line), Some(col))
    );
    // A known placeholder in a mail template is fine; on the page it is a slot.
    let s = Scratch::example();
    s.append("[mailings.mail.weekly]\nbody = \"Ждём вас на вебинаре «{{ event.title }}».\"\n");
    assert!(s.check().with_rule("text.placeholder").is_empty());
    let s = Scratch::example();
    s.replace(
        "summary = \"",
        "summary = \"Регистрация: [ЗАМЕНИТЕ на адрес страницы]. ",
    );
    let checked = s.check();
    assert_eq!(checked.code, 1);
    checked.expect_at("text.placeholder", s.line_of("[ЗАМЕНИТЕ"));
    let s = Scratch::example();
    s.replace("summary = \"", "summary = \"Ваш адрес: #EMAIL#. ");
    assert_eq!(s.check().with_rule("text.placeholder").len(), 1);
}

#[test]
fn page_url_is_the_address_of_every_link() {
    let b = example();
    let page = "https://altyn-soft.example.kz/webinars/b24-sales-2027-03/";
    assert!(b
        .read("announce/post.txt")
        .contains(&format!("Регистрация: {page}")));
    assert!(b
        .read("announce/cold-mail.txt")
        .contains(&format!("Зарегистрироваться: {page}")));
    assert!(b.read("preview/event.ics").contains(&format!("URL:{page}")));
    assert!(b.read("preview/index.html").contains(&format!(
        "<meta property=\"og:image\" content=\"{page}og-card.png\">"
    )));
    assert!(b
        .read("bitrix24/form-setup.md")
        .contains(&format!("Страница вебинара: {page}")));

    // Without page_url: the Site Management address, with a warning, never the home page.
    let b = kk();
    let derived = "https://dala-soft.example.kz/b24-kk-2027-04/";
    assert!(b
        .read("announce/post.txt")
        .contains(&format!("Тіркелу: {derived}")));
    assert!(b.read("report.json").contains("announce.registration-link"));
    // The Bitrix24 confirmation mail leaves the line out rather than ship a slot.
    let setup = b.read("bitrix24/form-setup.md");
    assert!(!setup.contains("Вебинар беті:"), "{setup}");

    // A bare home page as page_url is refused as a registration link.
    let s = Scratch::example();
    s.replace(
        "page_url = \"https://altyn-soft.example.kz/webinars/b24-sales-2027-03/\"",
        "page_url = \"https://altyn-soft.example.kz/\"",
    );
    let checked = s.check();
    checked.expect_at(
        "announce.registration-link",
        s.line_of("page_url = \"https://altyn-soft.example.kz/\""),
    );
    // The example itself has no warning.
    assert!(check_dirs(&[example_dir()]).diagnostics().is_empty());
}

#[test]
fn explicit_comparisons_are_errors_and_1c_crm_is_a_competitor() {
    let s = Scratch::example();
    s.replace(
        "Вы уйдёте с готовым планом",
        "Покажем, почему Битрикс24 удобнее Excel и 1С:CRM. Вы уйдёте с готовым планом",
    );
    let checked = s.check();
    assert_eq!(checked.code, 1);
    let cmp = checked.with_rule("text.comparison");
    assert!(!cmp.is_empty(), "{:#?}", checked.diagnostics());
    assert!(cmp.iter().all(|d| d["severity"] == "error"));
    let competitor = checked.with_rule("text.competitor");
    assert!(
        competitor
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("1С:CRM")),
        "{:#?}",
        checked.diagnostics()
    );

    let s = Scratch::example();
    s.replace(
        "Вы уйдёте с готовым планом",
        "Настроить воронку здесь проще, чем в других системах. Вы уйдёте с готовым планом",
    );
    let checked = s.check();
    assert_eq!(checked.code, 1);
    assert_eq!(checked.with_rule("text.comparison")[0]["severity"], "error");

    // Comparing with manual work is not a product comparison.
    let s = Scratch::example();
    s.replace(
        "Вы уйдёте с готовым планом",
        "Это быстрее, чем вести заявки вручную. Вы уйдёте с готовым планом",
    );
    assert!(s.check().with_rule("text.comparison").is_empty());
}

#[test]
fn followup_is_not_scheduled_without_materials() {
    let b = kk();
    assert!(b.file("mailings/followup.txt").is_none());
    let notes = b.read("mailings/README.txt");
    assert!(notes.contains("recording_url"), "{notes}");
    let s = Scratch::example();
    s.remove_key("recording_url");
    s.remove_key("slides_url");
    let checked = s.check();
    let d = checked.expect_at("mail.followup", s.line_of("[mailings]"));
    assert!(
        d["message"].as_str().unwrap().contains("не запланировано"),
        "{d:#?}"
    );
    assert!(d["help"].as_str().unwrap().contains("recording_url"));
}

fn load(dir: &Path) -> bxland::webinar::Webinar {
    let event = bxland::event::load(dir)
        .unwrap_or_else(|f| panic!("event did not load: {:?}", f.diagnostics));
    bxland::webinar::Webinar::from_event(&event).expect("the event has a webinar model")
}

/// The numbered clause `n` of a generated consent.
fn clause(plain: &str, n: usize) -> String {
    plain
        .split("\n\n")
        .find(|c| c.starts_with(&format!("{n}. ")))
        .unwrap_or_else(|| panic!("no clause {n} in {plain}"))
        .to_string()
}

#[test]
fn consent_states_the_transfer_in_one_sentence_and_covers_the_leads() {
    let ru = bxland::render::consent::consent_text(&load(&example_dir())).plain;
    let transfer = clause(&ru, 4);
    assert_eq!(
        transfer,
        "4. Передача третьим лицам: Оператор передаёт персональные данные компании ТОО «1С-Битрикс Казахстан», которая также вправе обрабатывать их в тех же целях."
    );
    assert!(clause(&ru, 1).contains("внесение данных в CRM Оператора"));
    assert!(clause(&ru, 1).contains("предложений Оператора"));
    assert!(ru
        .contains("Персональные данные хранятся в базе данных на территории Республики Казахстан"));

    let kk = bxland::render::consent::consent_text(&load(&kk_fixture())).plain;
    let transfer = clause(&kk, 4);
    assert_eq!(transfer.matches("құқылы").count(), 1, "{transfer}");
    assert_eq!(transfer.matches("Битрикс").count(), 1, "{transfer}");
    assert!(clause(&kk, 1).contains("CRM"));

    // A recipient outside Kazakhstan: a cross-border sentence, the other recipient as written.
    let s = Scratch::example();
    s.replace(
        "third_parties = [\"ТОО «1С-Битрикс Казахстан» — вправе обрабатывать эти данные в тех же целях\"]",
        "third_parties = [\"ООО «1С-Битрикс», Российская Федерация — вправе обрабатывать эти данные в тех же целях\", \"ТОО «Рассылки.kz» — рассылка напоминаний\"]",
    );
    let plain = bxland::render::consent::consent_text(&load(&s.dir())).plain;
    let transfer = clause(&plain, 4);
    assert!(
        transfer.contains("компании ООО «1С-Битрикс», Российская Федерация, которая также вправе")
            && transfer.contains("Кроме того, Оператор вправе передавать их: ТОО «Рассылки.kz» — рассылка напоминаний."),
        "{transfer}"
    );
    assert!(
        clause(&plain, 5).starts_with("5. Трансграничная передача: персональные данные передаются за пределы Республики Казахстан получателю ООО «1С-Битрикс»"),
        "{plain}"
    );

    // Without the storage location the statement would silently go: a warning says so.
    let s = Scratch::example();
    s.remove_key("storage_location");
    let checked = s.check();
    assert_eq!(checked.code, 0);
    let d = checked.with_rule("consent.details");
    assert!(
        d.iter().any(|d| d["severity"] == "warning"
            && d["message"].as_str().unwrap().contains("место хранения")),
        "{d:#?}"
    );
}

#[test]
fn post_and_cold_mail_read_as_written_by_hand() {
    let b = example();
    let post = b.read("announce/post.txt");
    // Point 8: it says what it is, links the page, keeps the description's benefit.
    assert!(post.starts_with("Приглашаем на вебинар «"), "{post}");
    assert!(
        post.contains("Вы уйдёте с готовым планом внедрения"),
        "{post}"
    );
    // Point 11: lower case after a colon or a comma inside a line.
    assert!(
        post.contains("Для кого: руководители отделов продаж"),
        "{post}"
    );
    assert!(
        post.contains("Айгерим Сапарова, координатор мероприятия"),
        "{post}"
    );

    let cold = b.read("announce/cold-mail.txt");
    let subject = cold.lines().next().unwrap();
    // Point 9: no capital right after a colon in the subject, «бесплатн…» once, the product
    // talk's slot kept (10:10–10:55) with a neutral title, an unsubscribe line.
    assert!(
        !subject
            .split(": ")
            .skip(1)
            .any(|after| after.starts_with(char::is_uppercase)),
        "{subject}"
    );
    assert_eq!(cold.to_lowercase().matches("бесплатн").count(), 1, "{cold}");
    assert!(cold.contains("10:10–10:55 — "), "{cold}");
    assert!(cold.contains("Отписаться"), "{cold}");
    assert!(!cold.contains("Онлайн-вебинар"), "{cold}");
    let kk_cold = kk().read("announce/cold-mail.txt");
    assert!(kk_cold.contains("11:10–11:50 — "), "{kk_cold}");
    assert_eq!(
        kk_cold.to_lowercase().matches("тегін").count(),
        1,
        "{kk_cold}"
    );
}

#[test]
fn reminders_on_holidays_go_out_the_working_day_before_and_past_sends_are_skipped() {
    use bxland::comms::schedule::plan;
    use chrono::NaiveDate;
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    // Thursday 17 December 2026: the day before is Independence Day (16 December), a weekly
    // reminder would fall on 31 December and on 7 January (Christmas) for an event on
    // Thursday 14 January 2027.
    for (date, id, want) in [
        ("2026-12-17", "day-before", "2026-12-15"),
        ("2027-01-07", "weekly-1", "2026-12-30"),
        ("2027-01-14", "weekly-1", "2027-01-06"),
        ("2027-01-08", "day-before", "2027-01-06"),
    ] {
        let s = Scratch::example();
        s.replace("date = 2027-03-18", &format!("date = {date}"));
        let ev = load(&s.dir());
        let sched = plan(&ev, d(2026, 11, 25));
        let send = sched.sends.iter().find(|x| x.id == id).unwrap();
        assert_eq!(
            send.local.format("%Y-%m-%d").to_string(),
            want,
            "{date} {id}"
        );
    }
    // A reminder moved back does not say «завтра».
    for (date, lang, subject) in [
        ("2027-03-18", "ru", "Завтра вебинар «"),
        ("2027-03-15", "ru", "В понедельник вебинар «"),
        ("2026-12-17", "ru", "В четверг вебинар «"),
        ("2026-12-17", "kk", "Бейсенбіде «"),
        ("2027-03-18", "kk", "Ертең «"),
    ] {
        let s = Scratch::example();
        s.replace("date = 2027-03-18", &format!("date = {date}"));
        s.replace("language = \"ru\"", &format!("language = \"{lang}\""));
        let mail = bxland::comms::mails::build(&load(&s.dir()), "day-before");
        assert!(
            mail.subject.starts_with(subject),
            "{date}: {}",
            mail.subject
        );
        assert!(!mail.text.contains("{{"), "{}", mail.text);
    }
    // Built on the event's eve: the day-before reminder is due today at the start time; it is
    // skipped exactly when that moment has passed.
    let tz: chrono_tz::Tz = "Asia/Almaty".parse().unwrap();
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let s = Scratch::example();
    s.replace("date = 2027-03-18", &format!("date = {tomorrow}"));
    let sched = plan(&load(&s.dir()), today);
    let now = chrono::Utc::now();
    for send in &sched.sends {
        if send.utc < now - chrono::Duration::minutes(1) {
            assert!(send.skipped, "{} at {} is past", send.id, send.utc);
        }
        if send.utc > now + chrono::Duration::minutes(1) {
            assert!(!send.skipped, "{} at {} is ahead", send.id, send.utc);
        }
    }
}

#[test]
fn kazakh_times_take_the_locative() {
    use bxland::comms::mails::time_at;
    use bxland::event::Language;
    let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(time_at(t(11, 0), Language::Kk), "11:00-де");
    assert_eq!(time_at(t(10, 30), Language::Kk), "10:30-да");
    assert_eq!(time_at(t(9, 45), Language::Kk), "09:45-те");
    assert_eq!(time_at(t(14, 40), Language::Kk), "14:40-та");
    assert_eq!(time_at(t(14, 50), Language::Kk), "14:50-де");
    assert_eq!(time_at(t(10, 0), Language::Ru), "10:00");
    let b = build(&kk_fixture(), |t| {
        t.replace(
            "format = \"online\"",
            "format = \"online\"\njoin_url = \"https://zoom.us/j/123\"",
        )
    });
    let day_of = b.read("mailings/day-of.txt");
    assert!(
        day_of.starts_with("Бүгін сағат 11:00-де (UTC+5)"),
        "{day_of}"
    );
}

#[test]
fn the_example_logo_holds_its_text() {
    // Point 15: «внедрение и сопровождение» at 13 px ran past the 240 px canvas. DejaVu Sans
    // advances Cyrillic lower case by about 0.62 em: every text line must end inside the
    // canvas.
    let svg = std::fs::read_to_string(example_dir().join("assets/logo.svg")).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let width = attr(&svg[..svg.find('>').unwrap()], "width");
    for part in svg.split("<text").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap();
        let text = &rest[..rest.find("</text>").unwrap()];
        let end = attr(tag, "x") + text.chars().count() as f64 * 0.62 * attr(tag, "font-size");
        assert!(end <= width, "«{text}» ends at {end:.0} px of {width}");
    }
}

/// Point 7: the follow-up may carry the partner's offer, as its own paragraph before the
/// recording and the slides; `text.sales` does not apply to it (it does on the page).
#[test]
fn followup_carries_the_partner_offer() {
    const OFFER: &str =
        "Участникам вебинара — скидка 15 % на внедрение CRM до 30 апреля: ответьте на это письмо.";
    let add_offer = |t: String| {
        assert_eq!(t.matches("slides_url = ").count(), 1);
        t.replacen(
            "slides_url = ",
            &format!("followup_offer = \"{OFFER}\"\nslides_url = "),
            1,
        )
    };
    let b = build(&example_dir(), add_offer);
    let followup = b.read("mailings/followup.txt");
    let offer = followup
        .find("скидка 15 %")
        .expect("the offer is in the follow-up");
    let recording = followup.find("https://altyn-soft.example.kz/webinars/b24-sales/recording");
    assert!(recording.is_some_and(|r| offer < r), "{followup}");
    assert!(b.read("mailings/followup.html").contains("скидка 15 %"));
    // Only the follow-up carries it.
    for other in ["weekly", "day-before", "day-of", "15-min"] {
        assert!(!b.read(&format!("mailings/{other}.txt")).contains("скидка"));
    }
    // The sales rule lets it pass there, and the key has its line in event.toml.
    let s = Scratch::example();
    s.set_toml(&add_offer(s.toml()));
    let checked = s.check();
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics());
    assert!(checked.with_rule("text.sales").is_empty());
}

/// Point 9: a program item's own `cold_title` stands in its slot of the cold mailing; one that
/// names 1C-Bitrix itself is refused at its line, and the mail falls back to the generic title.
#[test]
fn cold_mail_takes_the_item_cold_title() {
    const COLD: &str = "Обзор CRM: задачи и сайты в одном окне";
    let with_title = |title: &'static str| {
        move |t: String| {
            let t = with_cold(t);
            assert_eq!(t.matches("kind = \"talk\"\nproduct").count(), 1);
            t.replacen(
                "kind = \"talk\"\nproduct",
                &format!("kind = \"talk\"\ncold_title = \"{title}\"\nproduct"),
                1,
            )
        }
    };
    let b = build(&example_dir(), with_title(COLD));
    let cold = b.read("announce/cold-mail.txt");
    assert!(cold.contains(&format!("10:10–10:55 — {COLD}")), "{cold}");
    assert!(!cold.contains("Доклад организатора"), "{cold}");
    // The page keeps the program's title.
    let page = b.read("preview/index.html");
    assert!(page.contains("Обзор Битрикс24: CRM"));

    let s = Scratch::example();
    s.set_toml(&with_title("Обзор Битрикс24 для отдела продаж")(
        s.toml(),
    ));
    let checked = s.check();
    assert_eq!(checked.code, 1);
    let (line, column) = s.place_of("Битрикс24 для отдела продаж\"\nproduct");
    let d = checked.expect_at("announce.cold-mail", line);
    assert_eq!(d["column"].as_u64(), Some(column), "{d}");
}

/// Point 1 (install notes): without `join_url` the Site Management install notes and the
/// Bitrix24 checklist say which reminders are not installed and what to add; with it, and with
/// the follow-up's materials, they say nothing of the kind.
#[test]
fn install_notes_say_which_reminders_are_withheld() {
    let b = build(&example_dir(), |t| {
        t.replace(
            "join_url = \"https://events.webinar.ru/altyn-soft/b24-sales-2027-03\"\n",
            "",
        )
    });
    let readme = b.read("site-management/README.txt");
    let checklist = b.read("bitrix24/form-setup.md");
    for (name, text) in [("README.txt", &readme), ("form-setup.md", &checklist)] {
        for needed in [
            "Не отправляются и не устанавливаются:",
            "- напоминание в день вебинара (18.03.2027 08:00 по местному времени)",
            "- напоминание за 15 минут до начала (18.03.2027 09:45 по местному времени)",
            "Добавьте в [event] join_url",
        ] {
            assert!(text.contains(needed), "{name} lacks {needed:?}:\n{text}");
        }
    }
    // In the notes, under step 3 (the reminders), before step 4.
    let at = readme.find("Не отправляются").unwrap();
    assert!(readme.find("\n3. ").unwrap() < at && at < readme.find("\n4. ").unwrap());
    // In the checklist, after the table of sends and before the robots are set up.
    let at = checklist.find("Не отправляются").unwrap();
    assert!(checklist.find("| Отправка |").unwrap() < at);
    assert!(at < checklist.find("### Вариант 1").unwrap());

    let full = example();
    for rel in ["site-management/README.txt", "bitrix24/form-setup.md"] {
        assert!(!full.read(rel).contains("Не отправляются"), "{rel}");
    }
}
