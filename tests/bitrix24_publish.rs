//! `bxland publish --bitrix24 WEBHOOK` against a local HTTP stand-in of the REST endpoint.
//!
//! The stand-in below is a recording fake, NOT Bitrix24: a thread on 127.0.0.1 that records
//! every call (method and JSON body) and answers canned JSON shaped like the portal's replies
//! (`{"result": …}` or `{"error", "error_description"}`), keeping just enough state — repository
//! entries by code, sites and pages by code, blocks per page — to tell a first publication from
//! a repeated one.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use serde_json::{json, Value};

const SECRET: &str = "q7w8e9r0t1y2";
const TODAY: &str = "2026-11-25";

#[derive(Debug, Clone)]
struct Call {
    method: String,
    body: Value,
    content_type: String,
}

#[derive(Default)]
struct Portal {
    calls: Vec<Call>,
    next_id: u64,
    repo: BTreeMap<String, u64>,
    sites: Vec<(u64, String)>,
    pages: Vec<(u64, u64, String)>,
    blocks: BTreeMap<u64, Vec<(u64, String)>>,
    /// Methods answered once with QUERY_LIMIT_EXCEEDED before being served.
    limit_once: Vec<String>,
    /// A method always answered with this error.
    fail: Option<(String, u16, Value)>,
}

impl Portal {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id * 10 + 7
    }

    fn answer(&mut self, method: &str, body: &Value) -> (u16, Value) {
        if let Some(pos) = self.limit_once.iter().position(|m| m == method) {
            self.limit_once.remove(pos);
            return (
                503,
                json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}),
            );
        }
        if let Some((m, status, err)) = &self.fail {
            if m == method {
                return (*status, err.clone());
            }
        }
        let result = match method {
            "landing.repo.register" => {
                let code = body["code"].as_str().unwrap_or_default().to_string();
                match self.repo.get(&code) {
                    Some(id) => json!(*id),
                    None => {
                        let id = self.id();
                        self.repo.insert(code, id);
                        json!(id)
                    }
                }
            }
            "landing.site.getList" => {
                let code = body["params"]["filter"]["=CODE"].as_str().unwrap_or("");
                json!(self
                    .sites
                    .iter()
                    .filter(|(_, c)| c == code)
                    .map(|(id, c)| json!({"ID": id.to_string(), "CODE": c}))
                    .collect::<Vec<_>>())
            }
            "landing.site.add" => {
                let id = self.id();
                let code = body["fields"]["CODE"].as_str().unwrap_or("");
                self.sites.push((id, format!("/{code}/")));
                json!(id)
            }
            "landing.landing.getList" => {
                let f = &body["params"]["filter"];
                let site = f["SITE_ID"].as_u64().unwrap_or(0);
                let code = f["=CODE"].as_str().unwrap_or("");
                json!(self
                    .pages
                    .iter()
                    .filter(|(_, s, c)| *s == site && c == code)
                    .map(|(id, s, c)| json!({"ID": id.to_string(), "SITE_ID": s.to_string(), "CODE": c}))
                    .collect::<Vec<_>>())
            }
            "landing.landing.add" => {
                let id = self.id();
                let f = &body["fields"];
                self.pages.push((
                    id,
                    f["SITE_ID"].as_u64().unwrap_or(0),
                    f["CODE"].as_str().unwrap_or("").to_string(),
                ));
                json!(id)
            }
            "landing.landing.update"
            | "landing.block.updatecontent"
            | "landing.landing.publication" => json!(true),
            "landing.block.getlist" => {
                let lid = body["lid"].as_u64().unwrap_or(0);
                json!(self
                    .blocks
                    .get(&lid)
                    .map(|b| b
                        .iter()
                        .map(
                            |(id, code)| json!({"id": id, "lid": lid, "code": code, "active": true})
                        )
                        .collect::<Vec<_>>())
                    .unwrap_or_default())
            }
            "landing.landing.addblock" => {
                let id = self.id();
                let lid = body["lid"].as_u64().unwrap_or(0);
                let code = body["fields"]["CODE"].as_str().unwrap_or("").to_string();
                let after = body["fields"]["AFTER_ID"].as_u64();
                let list = self.blocks.entry(lid).or_default();
                let at = after
                    .and_then(|a| list.iter().position(|(b, _)| *b == a).map(|p| p + 1))
                    .unwrap_or(0);
                list.insert(at, (id, code));
                json!(id)
            }
            "landing.repo.checkContent" => {
                let content = body["content"].as_str().unwrap_or("");
                json!({"is_bad": false, "content": content})
            }
            _ => {
                return (
                    404,
                    json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"}),
                )
            }
        };
        (200, json!({"result": result, "time": {"start": 0}}))
    }
}

/// Starts the recording stand-in; returns the webhook URL and the shared state.
fn stand_in(portal: Portal) -> (String, Arc<Mutex<Portal>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = Arc::new(Mutex::new(portal));
    let shared = state.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let shared = shared.clone();
            std::thread::spawn(move || serve(stream, shared));
        }
    });
    (format!("http://127.0.0.1:{port}/rest/1/{SECRET}/"), state)
}

fn serve(stream: std::net::TcpStream, state: Arc<Mutex<Portal>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .to_string();
        let mut length = 0;
        let mut content_type = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = v.trim().parse().unwrap_or(0),
                    "content-type" => content_type = v.trim().to_string(),
                    _ => {}
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let prefix = format!("/rest/1/{SECRET}/");
        let (status, reply) = match path
            .strip_prefix(&prefix)
            .and_then(|m| m.strip_suffix(".json"))
        {
            Some(method) => {
                let mut portal = state.lock().unwrap();
                portal.calls.push(Call {
                    method: method.to_string(),
                    body: body.clone(),
                    content_type,
                });
                portal.answer(method, &body)
            }
            None => (
                401,
                json!({"error": "INVALID_CREDENTIALS", "error_description": "Invalid request credentials"}),
            ),
        };
        let text = reply.to_string();
        let _ = write!(
            out,
            "HTTP/1.1 {status} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        let _ = out.flush();
    }
}

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-event")
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
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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

const SECTIONS: usize = 9; // header … partners of the example event

#[test]
fn first_publication_then_an_idempotent_second_one() {
    let (webhook, state) = stand_in(Portal::default());
    let (code, stdout, stderr) = publish(&example_dir(), &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");

    let calls = state.lock().unwrap().calls.clone();
    let mut expected = vec!["landing.repo.register"; SECTIONS];
    expected.extend([
        "landing.site.getList",
        "landing.site.add",
        "landing.landing.getList",
        "landing.landing.add",
    ]);
    expected.extend(vec!["landing.landing.addblock"; SECTIONS]);
    expected.push("landing.landing.publication");
    assert_eq!(methods(&state), expected);
    assert!(calls
        .iter()
        .all(|c| c.content_type.starts_with("application/json")));

    // The register payloads are the export's, with the form ID in the registration block.
    let codes: Vec<&str> = calls[..SECTIONS]
        .iter()
        .map(|c| c.body["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "bxland-b24-sales-2027-03-header");
    assert_eq!(codes[6], "bxland-b24-sales-2027-03-registration");
    let reg = &calls[6].body;
    assert_eq!(reg["manifest"]["block"]["subtype"], "form");
    assert!(reg["fields"]["CONTENT"]
        .as_str()
        .unwrap()
        .contains(r##"data-b24form="#crmFormInline31""##));
    for c in &calls[..SECTIONS] {
        assert!(bxland::export::bitrix24::check_content(
            c.body["fields"]["CONTENT"].as_str().unwrap()
        )
        .is_empty());
    }

    // Site and page: found by code, created with the export's fields.
    assert_eq!(
        calls[SECTIONS].body["params"]["filter"]["=CODE"],
        "/bxland-webinars/"
    );
    assert_eq!(calls[SECTIONS + 1].body["fields"]["TYPE"], "PAGE");
    let site_id = state.lock().unwrap().sites[0].0;
    assert_eq!(
        calls[SECTIONS + 2].body["params"]["filter"],
        json!({"SITE_ID": site_id, "=CODE": "b24-sales-2027-03"})
    );
    let page = &calls[SECTIONS + 3].body["fields"];
    assert_eq!(page["SITE_ID"], site_id);
    assert_eq!(page["CODE"], "b24-sales-2027-03");
    assert_eq!(
        page["TITLE"],
        "Битрикс24 для отдела продаж: от заявки до сделки"
    );
    let lid = state.lock().unwrap().pages[0].0;

    // Blocks placed in page order: repo_<ID> of each registration, each after the previous.
    let repo = state.lock().unwrap().repo.clone();
    let adds = &calls[SECTIONS + 4..SECTIONS + 4 + SECTIONS];
    let mut previous: Option<u64> = None;
    let placed = state.lock().unwrap().blocks[&lid].clone();
    for (i, add) in adds.iter().enumerate() {
        assert_eq!(add.body["lid"], lid);
        assert_eq!(
            add.body["fields"]["CODE"],
            format!("repo_{}", repo[codes[i]])
        );
        assert_eq!(add.body["fields"]["ACTIVE"], "Y");
        assert_eq!(add.body["fields"]["AFTER_ID"].as_u64(), previous);
        previous = Some(placed[i].0);
    }
    let order: Vec<String> = placed.iter().map(|(_, c)| c.clone()).collect();
    let want: Vec<String> = codes.iter().map(|c| format!("repo_{}", repo[*c])).collect();
    assert_eq!(order, want, "blocks stand on the page in section order");
    assert_eq!(calls.last().unwrap().body, json!({"lid": lid}));

    // Every call reported; the secret nowhere.
    let reported = stdout.lines().filter(|l| l.starts_with('[')).count();
    assert_eq!(reported, calls.len(), "{stdout}");
    assert!(stdout.contains("landing.repo.register code=bxland-b24-sales-2027-03-hero"));
    assert!(stdout.contains("/rest/1/***/"), "{stdout}");
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));

    // Second run: the blocks are registered again under the same codes (same repository
    // IDs), the site and page are found, and the blocks already on the page are updated in
    // place instead of being added twice.
    state.lock().unwrap().calls.clear();
    let (code, stdout, stderr) = publish(&example_dir(), &webhook, &["--form-id", "31"]);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let mut expected = vec!["landing.repo.register"; SECTIONS];
    expected.extend([
        "landing.site.getList",
        "landing.landing.getList",
        "landing.landing.update",
        "landing.block.getlist",
    ]);
    expected.extend(vec!["landing.block.updatecontent"; SECTIONS]);
    expected.push("landing.landing.publication");
    assert_eq!(methods(&state), expected);
    let portal = state.lock().unwrap();
    assert_eq!(
        portal.repo, repo,
        "re-registration kept the same repository entries"
    );
    assert_eq!(portal.sites.len(), 1);
    assert_eq!(portal.pages.len(), 1);
    assert_eq!(portal.blocks[&lid], placed, "no block added twice");
    let updates = &portal.calls[SECTIONS + 4..SECTIONS + 4 + SECTIONS];
    for (u, (block_id, _)) in updates.iter().zip(&placed) {
        assert_eq!(u.body["lid"], lid);
        assert_eq!(u.body["block"], *block_id);
        assert!(u.body["content"]
            .as_str()
            .unwrap()
            .starts_with("<section class=\"landing-block"));
    }
    assert!(
        stdout.contains("блоков добавлено 0, обновлено 9"),
        "{stdout}"
    );
}

#[test]
fn a_rest_error_stops_with_the_method_and_the_portal_message() {
    let portal = Portal {
        fail: Some((
            "landing.site.add".into(),
            403,
            json!({"error": "ACCESS_DENIED", "error_description": "Доступ запрещён: нет прав на создание сайтов"}),
        )),
        ..Portal::default()
    };
    let (webhook, state) = stand_in(portal);
    let (code, stdout, stderr) = publish(&example_dir(), &webhook, &["--form-id", "31"]);
    assert_eq!(code, 3, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let m = methods(&state);
    assert_eq!(
        m.last().unwrap(),
        "landing.site.add",
        "nothing after the failing call: {m:?}"
    );
    assert_eq!(m.len(), SECTIONS + 2);
    assert!(stderr.contains("landing.site.add"), "{stderr}");
    assert!(stderr.contains("ACCESS_DENIED"));
    assert!(stderr.contains("Доступ запрещён: нет прав на создание сайтов"));
    assert!(stderr.contains("HTTP 403"));
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
}

#[test]
fn query_limit_is_retried_with_backoff() {
    let portal = Portal {
        limit_once: vec!["landing.repo.register".into()],
        ..Portal::default()
    };
    let (webhook, state) = stand_in(portal);
    let (code, stdout, stderr) = publish(&example_dir(), &webhook, &["--form-id", "31", "--draft"]);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let m = methods(&state);
    // The first register was refused once and sent again; --draft skips the publication.
    assert_eq!(m[..2], ["landing.repo.register", "landing.repo.register"]);
    let calls = state.lock().unwrap().calls.clone();
    assert_eq!(calls[0].body, calls[1].body);
    assert_eq!(
        m.iter().filter(|x| *x == "landing.repo.register").count(),
        SECTIONS + 1
    );
    assert!(!m.contains(&"landing.landing.publication".to_string()));
    assert!(stdout.contains("QUERY_LIMIT_EXCEEDED"), "{stdout}");
    assert!(stdout.contains("сохранена черновиком"));
}

#[test]
fn nothing_is_sent_for_an_event_that_breaks_a_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    for f in [
        "event.toml",
        "program.lock",
        "assets/logo.svg",
        "assets/bitrix24.svg",
    ] {
        std::fs::copy(example_dir().join(f), dir.join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(
        dir.join("event.toml"),
        toml.replace("captcha = false", "captcha = true"),
    )
    .unwrap();
    let (webhook, state) = stand_in(Portal::default());
    let (code, _, stderr) = publish(&dir, &webhook, &["--form-id", "31"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("form.captcha"), "{stderr}");
    assert!(stderr.contains("ничего не отправлено"));
    assert!(methods(&state).is_empty());
}

#[test]
fn without_a_form_id_nothing_is_sent_but_a_dry_run_may_check_content() {
    let (webhook, state) = stand_in(Portal::default());
    let (code, _, stderr) = publish(&example_dir(), &webhook, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--form-id"), "{stderr}");
    assert!(methods(&state).is_empty());

    let (code, stdout, stderr) = publish(&example_dir(), &webhook, &["--dry-run"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(methods(&state), vec!["landing.repo.checkContent"; SECTIONS]);
    let first = &state.lock().unwrap().calls[0].body;
    assert_eq!(first["splitter"], "#SANITIZE#");
    assert!(first["content"]
        .as_str()
        .unwrap()
        .contains("bxl-block-header"));
}

#[test]
fn a_malformed_webhook_is_refused_without_echoing_it() {
    let (code, stdout, stderr) = publish(
        &example_dir(),
        &format!("https://example.bitrix24.kz/rest/{SECRET}/"),
        &["--form-id", "31"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("/rest/<"), "{stderr}");
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
    let (code, _, stderr) = publish(
        &example_dir(),
        &format!("http://portal.example.kz/rest/1/{SECRET}/"),
        &["--form-id", "31"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("https://"));
    assert!(!stderr.contains(SECRET));
}
