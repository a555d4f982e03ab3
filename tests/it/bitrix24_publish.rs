//! `bxland publish --bitrix24 WEBHOOK` against the recording stand-in of the REST endpoint
//! (`bitrix24_stand_in`, see its README for what it imitates and where that was confirmed).
//! Every test publishes a copy of the event: publish writes its state file into the folder.

use crate::support::bitrix24_stand_in;
use crate::support::serve::copy_dir;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use bitrix24_stand_in::{start, Canned, Portal, PUBLIC_HOST, SECRET};
use serde_json::{json, Value};

const TODAY: &str = "2026-11-25";
const SECTIONS: usize = 9; // header … partners of the example event
const STATE: &str = ".bxland-bitrix24.json";

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-event")
}

fn kk_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/kk-event")
}

/// A copy of `src` in a temporary folder; the folder lives as long as the guard.
fn event_copy(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(src, &dir);
    (tmp, dir)
}

fn publish(dir: &Path, webhook: &str, extra: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("bxland")
        .unwrap()
        .arg("publish")
        .arg(dir)
        .args(["--bitrix24", webhook, "--today", TODAY])
        .args(extra)
        .env_remove("BXLAND_BITRIX24_WEBHOOK")
        .env_remove("BXLAND_LANG")
        // The card cache in the test target folder, never the user's home.
        .env(
            "BXLAND_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/bxland-cache"),
        )
        .output()
        .unwrap();
    let r = (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        !r.1.contains(SECRET) && !r.2.contains(SECRET),
        "the webhook secret leaked:\n{}\n{}",
        r.1,
        r.2
    );
    r
}

fn methods(state: &Arc<Mutex<Portal>>) -> Vec<String> {
    state
        .lock()
        .unwrap()
        .calls
        .iter()
        .map(|c| c.method.clone())
        .collect()
}

fn count(m: &[String], method: &str) -> usize {
    m.iter().filter(|x| *x == method).count()
}

const WRITES: &[&str] = &[
    "landing.repo.register",
    "landing.site.add",
    "landing.landing.add",
    "landing.landing.update",
    "landing.landing.addblock",
    "landing.block.updatecontent",
    "landing.landing.publication",
];

#[test]
fn first_publication_then_an_idempotent_second_one() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");

    let calls = state.lock().unwrap().calls.clone();
    let m = methods(&state);
    // The form is checked before anything is written; the page is looked up (live, then
    // trashed) before any block is registered.
    assert_eq!(m[0], "crm.webform.list");
    assert_eq!(
        m[1..9],
        [
            "landing.site.getList",
            "landing.site.add",
            "landing.landing.getList",
            "landing.landing.getList",
            "disk.storage.getlist",
            "disk.storage.uploadfile",
            "disk.file.getExternalLink",
            "landing.repo.register"
        ]
    );
    let calls: Vec<_> = calls[8..].to_vec();
    assert!(calls[..SECTIONS]
        .iter()
        .all(|c| c.method == "landing.repo.register"));
    assert!(calls
        .iter()
        .all(|c| c.content_type.starts_with("application/json")));
    let codes: Vec<&str> = calls[..SECTIONS]
        .iter()
        .map(|c| c.body["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "bxland-b24-sales-2027-03-header");
    assert_eq!(codes[6], "bxland-b24-sales-2027-03-registration");
    let reg = &calls[6].body;
    assert_eq!(reg["manifest"]["block"]["subtype"], "form");
    let reg_content = reg["fields"]["CONTENT"].as_str().unwrap();
    assert!(reg_content.contains(r##"data-b24form="#crmFormInline31""##));
    assert!(reg_content.contains(r#"data-b24form-use-style="Y""#));
    assert!(reg_content.contains("data-b24form-design=\"{"));
    for c in &calls[..SECTIONS] {
        assert!(bxland::export::bitrix24::check_content(
            c.body["fields"]["CONTENT"].as_str().unwrap()
        )
        .is_empty());
    }
    assert_eq!(count(&m, "landing.site.add"), 1);
    assert_eq!(count(&m, "landing.landing.add"), 1);
    assert_eq!(count(&m, "landing.landing.addblock"), SECTIONS);
    assert_eq!(m.last().unwrap(), "landing.block.getlist");
    assert_eq!(count(&m, "landing.landing.publication"), 1);

    let portal = state.lock().unwrap();
    let page = &portal.pages[0];
    assert_eq!(page.code, "b24-sales-2027-03");
    assert_eq!(
        page.title,
        "Битрикс24 для отдела продаж: от заявки до сделки"
    );
    assert!(page.published);
    let lid = page.id;
    // Blocks stand in section order: repo_<ID> of each registration, each after the previous.
    let order: Vec<String> = portal.blocks[&lid].iter().map(|b| b.code.clone()).collect();
    let want: Vec<String> = codes
        .iter()
        .map(|c| format!("repo_{}", portal.repo[*c].0))
        .collect();
    assert_eq!(order, want, "blocks stand on the page in section order");
    let adds: Vec<&Value> = calls
        .iter()
        .filter(|c| c.method == "landing.landing.addblock")
        .map(|c| &c.body)
        .collect();
    assert!(adds[0]["fields"].get("AFTER_ID").is_none());
    for (i, add) in adds.iter().enumerate().skip(1) {
        assert_eq!(
            add["fields"]["AFTER_ID"].as_u64(),
            Some(portal.blocks[&lid][i - 1].id)
        );
    }
    // The registration block carries the anchor the page's buttons point at.
    let registration = &portal.blocks[&lid][6];
    assert_eq!(registration.anchor.as_deref(), Some("registration"));
    drop(portal);

    // Every call reported; the public address printed; the state file written.
    let reported = stdout.lines().filter(|l| l.starts_with('[')).count();
    assert_eq!(reported, m.len(), "{stdout}");
    assert!(stdout.contains("/rest/1/***/"), "{stdout}");
    let url = format!("{PUBLIC_HOST}/b24-sales-2027-03/");
    assert!(
        stdout.contains(&format!("адрес страницы: {url}")),
        "{stdout}"
    );
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(STATE)).unwrap()).unwrap();
    assert_eq!(saved["page_id"], lid);
    assert_eq!(saved["portal"], webhook.split('/').nth(2).unwrap());
    assert!(!std::fs::read_to_string(dir.join(STATE))
        .unwrap()
        .contains(SECRET));
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains(".tmp")));

    // Second run: same repository entries, the recorded page updated, nothing added, no
    // file uploaded again.
    state.lock().unwrap().calls.clear();
    let before_repo = state.lock().unwrap().repo.clone();
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let m = methods(&state);
    for absent in [
        "disk.storage.uploadfile",
        "landing.site.getList",
        "landing.site.add",
        "landing.landing.add",
        "landing.landing.addblock",
        "landing.block.uploadfile",
        "landing.repo.unregister",
    ] {
        assert_eq!(count(&m, absent), 0, "{absent} in {m:?}");
    }
    assert_eq!(count(&m, "landing.block.updatecontent"), SECTIONS);
    assert_eq!(count(&m, "landing.landing.update"), 1);
    let portal = state.lock().unwrap();
    assert_eq!(
        portal.repo.keys().collect::<Vec<_>>(),
        before_repo.keys().collect::<Vec<_>>()
    );
    assert_eq!(portal.pages.len(), 1);
    assert_eq!(portal.blocks[&lid].len(), SECTIONS, "no block added twice");
    assert!(
        stdout.contains("блоков добавлено 0, обновлено 9"),
        "{stdout}"
    );
}

#[test]
fn a_title_change_updates_the_one_live_page() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    let changed = toml.replace(
        "Битрикс24 для отдела продаж: от заявки до сделки",
        "Битрикс24 для продаж: от заявки до оплаты",
    );
    assert_ne!(toml, changed);
    std::fs::write(dir.join("event.toml"), changed).unwrap();
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let portal = state.lock().unwrap();
    let live = portal.live_pages();
    assert_eq!(live.len(), 1, "one live page: {:?}", portal.pages);
    assert_eq!(live[0].title, "Битрикс24 для продаж: от заявки до оплаты");
    assert_eq!(live[0].code, "b24-sales-2027-03");
}

#[test]
fn a_page_in_the_trash_is_reported_and_never_duplicated() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    let (code, ..) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0);
    state.lock().unwrap().pages[0].deleted = true;

    // With the state file: the recorded page is found in the trash.
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(stderr.contains("в корзине"), "{stderr}");
    assert!(stderr.contains("Восстановить"), "{stderr}");
    assert_eq!(state.lock().unwrap().pages.len(), 1);

    // Without it: the event's address is taken by the trashed page; reported too.
    std::fs::remove_file(dir.join(STATE)).unwrap();
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(stderr.contains("из корзины"), "{stderr}");
    assert_eq!(state.lock().unwrap().pages.len(), 1);
    assert_eq!(count(&methods(&state), "landing.landing.add"), 1);

    // Restored: the same page is updated.
    state.lock().unwrap().pages[0].deleted = false;
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(state.lock().unwrap().pages.len(), 1);
}

#[test]
fn a_deleted_page_is_reported_and_new_page_or_page_id_say_what_to_update() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    assert_eq!(publish(&dir, &webhook, &["--form-id", "31"]).0, 0);
    state.lock().unwrap().pages.clear();
    let (code, _, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("больше нет"), "{stderr}");
    assert!(stderr.contains("--new-page"), "{stderr}");
    assert!(state.lock().unwrap().pages.is_empty());
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31", "--new-page"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(state.lock().unwrap().pages.len(), 1);

    // --page-id wins over the state file.
    let other = {
        let mut p = state.lock().unwrap();
        let mut page = p.pages[0].clone();
        page.id = 999;
        page.code = "other".into();
        p.pages.push(page);
        999
    };
    state.lock().unwrap().calls.clear();
    let (code, stdout, stderr) = publish(
        &dir,
        &webhook,
        &["--form-id", "31", "--page-id", &other.to_string()],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let calls = state.lock().unwrap().calls.clone();
    let update = calls
        .iter()
        .find(|c| c.method == "landing.landing.update")
        .unwrap();
    assert_eq!(update.body["lid"], other);
}

#[test]
fn edits_in_the_bitrix24_editor_are_kept_unless_forced() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    assert_eq!(publish(&dir, &webhook, &["--form-id", "31"]).0, 0);
    {
        let mut p = state.lock().unwrap();
        let lid = p.pages[0].id;
        let b = &mut p.blocks.get_mut(&lid).unwrap()[3];
        b.content = b.content.replace("</h2>", " (правка)</h2>");
    }
    state.lock().unwrap().calls.clear();
    let (code, _, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("редакторе Битрикс24"), "{stderr}");
    assert!(stderr.contains("(блоки: «О вебинаре»)"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    let m = methods(&state);
    assert!(
        !m.iter().any(|x| WRITES.contains(&x.as_str())),
        "nothing written: {m:?}"
    );
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31", "--force"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    // And the next run is clean again.
    assert_eq!(publish(&dir, &webhook, &["--form-id", "31"]).0, 0);
}

#[test]
fn a_wrong_or_inactive_form_id_fails_before_anything_is_written() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "32"]);
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(stderr.contains("CRM-формы 32 нет"), "{stderr}");
    assert!(stderr.contains("31 «Регистрация на вебинар»"), "{stderr}");
    assert_eq!(methods(&state), vec!["crm.webform.list"]);
    assert!(!dir.join(STATE).exists());
}

#[test]
fn limits_and_gateway_pages_are_retried_with_backoff() {
    let portal = Portal {
        inject: vec![
            (
                "landing.repo.register".into(),
                Canned::json(
                    429,
                    json!({"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked due to operation time limit."}),
                ),
            ),
            (
                "landing.repo.register".into(),
                Canned::json(
                    503,
                    json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}),
                ),
            ),
            ("landing.site.add".into(), Canned::html(503)),
            ("landing.landing.addblock".into(), Canned::html(502)),
            ("landing.landing.publication".into(), Canned::html(429)),
        ],
        ..Portal::default()
    };
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(portal);
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let m = methods(&state);
    let first = m.iter().position(|x| x == "landing.repo.register").unwrap();
    assert_eq!(m[first..first + 3], ["landing.repo.register"; 3]);
    assert!(stdout.contains("OPERATION_TIME_LIMIT, повтор"), "{stdout}");
    assert!(stdout.contains("HTTP 503, повтор"), "{stdout}");
    assert!(stdout.contains("HTTP 502, повтор"), "{stdout}");
    let p = state.lock().unwrap();
    assert_eq!(p.pages.len(), 1);
    assert!(p.pages[0].published);
    assert_eq!(p.blocks[&p.pages[0].id].len(), SECTIONS);
}

#[test]
fn a_rest_error_stops_with_the_method_the_portal_message_and_the_fix() {
    let portal = Portal {
        fail: Some((
            "landing.site.add".into(),
            Canned::json(
                400,
                json!({"error": "ACCESS_DENIED", "error_description": "Доступ запрещён: нет прав на создание сайтов"}),
            ),
        )),
        ..Portal::default()
    };
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(portal);
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let m = methods(&state);
    assert_eq!(m.last().unwrap(), "landing.site.add", "{m:?}");
    assert!(stderr.contains("landing.site.add"), "{stderr}");
    assert!(stderr.contains("Доступ запрещён: нет прав на создание сайтов"));
    assert!(stderr.contains("HTTP 400"));
    assert!(stderr.contains("право изменять сайты"), "{stderr}");
}

#[test]
fn auth_errors_and_the_free_plan_name_their_fix() {
    let (_tmp, dir) = event_copy(&example_dir());
    let portal = Portal {
        fail: Some((
            "crm.webform.list".into(),
            Canned::json(
                401,
                json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the webhook token"}),
            ),
        )),
        ..Portal::default()
    };
    let (webhook, _) = start(portal);
    let (code, _, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3);
    assert!(
        stderr.contains("(landing)") && stderr.contains("(crm)"),
        "{stderr}"
    );
    assert!(!stderr.contains("повторный запуск"), "{stderr}");

    let portal = Portal {
        fail_all: Some(Canned::json(
            401,
            json!({"error": "ACCESS_DENIED", "error_description": "REST is available only by subscription"}),
        )),
        ..Portal::default()
    };
    let (webhook, _) = start(portal);
    let (code, _, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3);
    assert!(stderr.contains("коммерческого тарифа"), "{stderr}");
    assert!(
        stderr.contains("bxland build --target bitrix24"),
        "{stderr}"
    );
}

/// Every `#x` link has an element with that id; no image or link is relative.
fn assert_links_resolve(html: &str) {
    let mut ids = std::collections::BTreeSet::new();
    for part in html.split(" id=\"").skip(1) {
        ids.insert(part.split('"').next().unwrap().to_string());
    }
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let v = part.split('"').next().unwrap();
            if let Some(id) = v.strip_prefix('#') {
                assert!(ids.contains(id), "#{id} has no target");
            } else {
                assert!(
                    v.starts_with("https://") || v.starts_with("mailto:") || v.starts_with("tel:"),
                    "relative or unsafe URL: {attr}{v}"
                );
            }
        }
    }
}

#[test]
fn the_published_page_has_working_anchors_and_uploaded_images() {
    for src in [example_dir(), kk_dir()] {
        let (_tmp, dir) = event_copy(&src);
        let (webhook, state) = start(Portal::default());
        let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
        assert_eq!(code, 0, "{}: {stdout}\n{stderr}", src.display());
        let p = state.lock().unwrap();
        let lid = p.pages[0].id;
        let html = p.public_html(lid);
        assert_links_resolve(&html);
        assert!(html.contains("href=\"#registration\""));
        // The calendar file is on the Drive with a public link.
        assert_eq!(p.disk.len(), 1);
        assert!(p.disk[0].2.starts_with(b"BEGIN:VCALENDAR"));
        assert!(
            html.contains(&format!("href=\"{PUBLIC_HOST}/~f{}\"", p.disk[0].0)),
            "{html}"
        );
        // The logo is an uploaded file in an editable img node.
        assert!(!p.files.is_empty());
        let logo = &p.files[0].3;
        assert!(p.files[0].1 != "og-card.png");
        assert!(html.contains(&format!("src=\"{logo}\"")), "{html}");
        assert!(html.contains("bxl-node-img"));
        // The library's copies point at the uploads too.
        for (code, (_, content)) in &p.repo {
            assert!(!content.contains("src=\"assets/"), "{code}");
        }
        // CSS: scoped under the root class, range media queries lowered, the form block styled.
        let css = p.pages[0].fields["ADDITIONAL_FIELDS"]["CSSBLOCK_CODE"]
            .as_str()
            .unwrap();
        assert!(!css.contains("width<="), "range syntax left");
        assert!(
            css.contains(".bxl-page .bxl-registration"),
            "registration CSS"
        );
        assert!(css.contains(".bxl-page .bxl-container"));
        assert!(!css.contains("}body{") && !css.starts_with("body{") && !css.contains("}a{"));
    }
}

#[test]
fn seo_and_open_graph_fields_are_filled_with_the_card_as_og_image() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (extra, card_id) = {
        let p = state.lock().unwrap();
        let extra = p.pages[0].fields["ADDITIONAL_FIELDS"].clone();
        let card = p
            .files
            .iter()
            .find(|f| f.1 == "og-card.png")
            .expect("the card was uploaded");
        // A 1200×630 PNG.
        assert!(card.2.starts_with(b"\x89PNG"));
        let w = u32::from_be_bytes(card.2[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(card.2[20..24].try_into().unwrap());
        assert_eq!((w, h), (1200, 630));
        (extra, card.4)
    };
    let title = "Битрикс24 для отдела продаж: от заявки до сделки";
    assert_eq!(extra["METAOG_IMAGE"], card_id);
    assert_eq!(extra["METAOG_TITLE"], title);
    assert_eq!(extra["METAMAIN_TITLE"], title);
    assert_eq!(extra["METAMAIN_USE"], "Y");
    let description = extra["METAOG_DESCRIPTION"].as_str().unwrap();
    assert!(
        description.starts_with("Как настроить CRM Битрикс24"),
        "{description}"
    );
    assert_eq!(extra["METAMAIN_DESCRIPTION"], description);
    // The next publish keeps the card without uploading it again.
    state.lock().unwrap().calls.clear();
    assert_eq!(publish(&dir, &webhook, &["--form-id", "31"]).0, 0);
    let p = state.lock().unwrap();
    assert_eq!(p.files.iter().filter(|f| f.1 == "og-card.png").count(), 1);
    let update = p
        .calls
        .iter()
        .find(|c| c.method == "landing.landing.update")
        .unwrap();
    assert_eq!(
        update.body["fields"]["ADDITIONAL_FIELDS"]["METAOG_IMAGE"],
        card_id
    );
    assert_eq!(
        p.pages[0].fields["ADDITIONAL_FIELDS"]["METAOG_IMAGE"],
        card_id
    );
}

#[test]
fn without_drive_rights_the_calendar_link_is_left_out_and_said() {
    let (_tmp, dir) = event_copy(&example_dir());
    let portal = Portal {
        fail: Some((
            "disk.storage.getlist".into(),
            Canned::json(
                401,
                json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the webhook token"}),
            ),
        )),
        ..Portal::default()
    };
    let (webhook, state) = start(portal);
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("«Добавить в календарь» не поставлена"),
        "{stderr}"
    );
    assert!(stderr.contains("(disk)"), "{stderr}");
    let p = state.lock().unwrap();
    let html = p.public_html(p.pages[0].id);
    assert!(!html.contains(".ics"), "{html}");
    assert_links_resolve(&html);
}

#[test]
fn form_setup_is_written_again_with_the_page_address() {
    let (_tmp, dir) = event_copy(&example_dir());
    // Without `[event] page_url` the address is the one Bitrix24 reports on publish (with it,
    // the partner's own address wins, as event-format.md says).
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    let toml: String = toml
        .lines()
        .filter(|l| !l.starts_with("page_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("event.toml"), toml).unwrap();
    let (webhook, _) = start(Portal::default());
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let md = std::fs::read_to_string(dir.join("bitrix24-form-setup.md")).unwrap();
    let url = format!("{PUBLIC_HOST}/b24-sales-2027-03/");
    assert!(md.contains(&format!("Страница вебинара: {url}")), "{md}");
    assert!(!md.contains("адрес страницы вебинара"), "{md}");
    assert!(!md.contains("{{"), "{md}");
    // The failure message and each rejection mail: the reason and the way back, with the link.
    assert!(
        md.contains(&format!("Заявка не отправлена: не удалось передать данные (сбой связи или сервера), регистрация не состоялась. Отправьте форму ещё раз на странице вебинара: {url}")),
        "{md}"
    );
    assert_eq!(
        md.matches(&format!(
            "Если это ошибка, зарегистрируйтесь ещё раз на странице вебинара: {url}"
        ))
        .count(),
        2,
        "{md}"
    );
    assert_eq!(md.matches("отклонена. Причина: ").count(), 2, "{md}");
    assert!(!md.contains("появится после публикации"), "{md}");
    // The reminders part, as in build's form-setup.md.
    assert!(
        md.contains("## Напоминания и письмо после вебинара"),
        "{md}"
    );
}

#[test]
fn blocks_of_an_earlier_slug_are_unregistered() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    assert_eq!(publish(&dir, &webhook, &["--form-id", "31"]).0, 0);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(
        dir.join("event.toml"),
        toml.replace("slug = \"b24-sales-2027-03\"", "slug = \"b24-sales-march\""),
    )
    .unwrap();
    let (code, stdout, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let p = state.lock().unwrap();
    assert_eq!(p.repo.len(), SECTIONS, "{:?}", p.repo.keys());
    assert!(p.repo.keys().all(|k| k.contains("b24-sales-march")));
    assert_eq!(p.live_pages().len(), 1);
}

#[test]
fn nothing_is_sent_for_an_event_that_breaks_a_rule() {
    let (_tmp, dir) = event_copy(&example_dir());
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(
        dir.join("event.toml"),
        toml.replace("captcha = false", "captcha = true"),
    )
    .unwrap();
    let (webhook, state) = start(Portal::default());
    let (code, _, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("form.captcha"), "{stderr}");
    assert!(stderr.contains("ничего не отправлено"));
    assert!(methods(&state).is_empty());
}

#[test]
fn without_a_form_id_nothing_is_sent_but_a_dry_run_may_check_content() {
    let (_tmp, dir) = event_copy(&example_dir());
    let (webhook, state) = start(Portal::default());
    let (code, _, stderr) = publish(&dir, &webhook, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--form-id"), "{stderr}");
    assert!(methods(&state).is_empty());

    let (code, stdout, stderr) = publish(&dir, &webhook, &["--dry-run"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(methods(&state), vec!["landing.repo.checkContent"; SECTIONS]);
    let first = &state.lock().unwrap().calls[0].body;
    assert_eq!(first["splitter"], "#SANITIZE#");
    assert!(first["content"]
        .as_str()
        .unwrap()
        .contains("bxl-block-header"));
    assert!(!dir.join(STATE).exists());
}

#[test]
fn a_malformed_webhook_is_refused_without_echoing_it() {
    let (code, _, stderr) = publish(
        &example_dir(),
        &format!("https://example.bitrix24.kz/rest/{SECRET}/"),
        &["--form-id", "31"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("/rest/<"), "{stderr}");
    let (code, _, stderr) = publish(
        &example_dir(),
        &format!("http://portal.example.kz/rest/1/{SECRET}/"),
        &["--form-id", "31"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("https://"));
}
