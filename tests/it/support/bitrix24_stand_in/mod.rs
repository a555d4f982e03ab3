//! A recording stand-in of the Bitrix24 REST endpoint for `bxland publish` tests.
//!
//! NOT Bitrix24: a thread on 127.0.0.1 that records every call (method and JSON body) and
//! answers JSON shaped like the portal's replies (`{"result": …}` or `{"error",
//! "error_description"}`), keeping only the state the landing module keeps where bxland
//! depends on it. Each imitated behaviour, and where it was confirmed, is listed in README.md
//! next to this file.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

pub const SECRET: &str = "q7w8e9r0t1y2";
pub const PUBLIC_HOST: &str = "https://partner.bitrix24site.kz";

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub body: Value,
    pub content_type: String,
}

#[derive(Debug, Clone)]
pub struct PageRec {
    pub id: u64,
    pub site: u64,
    pub code: String,
    pub title: String,
    pub deleted: bool,
    pub published: bool,
    pub fields: Value,
}

#[derive(Debug, Clone)]
pub struct BlockRec {
    pub id: u64,
    pub code: String,
    pub content: String,
    pub anchor: Option<String>,
    /// The content as of the last publication of its page.
    pub public: Option<String>,
}

/// A canned reply: HTTP status, body text (JSON or an HTML error page).
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub body: String,
}

impl Canned {
    pub fn json(status: u16, v: Value) -> Canned {
        Canned {
            status,
            body: v.to_string(),
        }
    }
    pub fn html(status: u16) -> Canned {
        Canned {
            status,
            body: format!(
                "<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
            ),
        }
    }
}

pub struct Portal {
    pub calls: Vec<Call>,
    pub next_id: u64,
    /// Repository entries: code → (id, CONTENT).
    pub repo: BTreeMap<String, (u64, String)>,
    pub sites: Vec<(u64, String)>,
    pub pages: Vec<PageRec>,
    pub blocks: BTreeMap<u64, Vec<BlockRec>>,
    /// Uploaded files: (block, name, bytes, src, id).
    pub files: Vec<(u64, String, Vec<u8>, String, u64)>,
    /// Files on the webhook user's Drive: (id, name, bytes).
    pub disk: Vec<(u64, String, Vec<u8>)>,
    /// Active CRM forms (crm.webform.list): (ID, NAME).
    pub forms: Vec<(u64, String)>,
    /// Replies given once, in order, before a method is served: (method, reply).
    pub inject: Vec<(String, Canned)>,
    /// A method always answered with this reply.
    pub fail: Option<(String, Canned)>,
    /// Every method answered with this reply (e.g. a plan without REST).
    pub fail_all: Option<Canned>,
}

impl Default for Portal {
    fn default() -> Self {
        Portal {
            calls: Vec::new(),
            next_id: 0,
            repo: BTreeMap::new(),
            sites: Vec::new(),
            pages: Vec::new(),
            blocks: BTreeMap::new(),
            files: Vec::new(),
            disk: Vec::new(),
            forms: vec![(31, "Регистрация на вебинар".into())],
            inject: Vec::new(),
            fail: None,
            fail_all: None,
        }
    }
}

fn err(status: u16, code: &str, description: &str) -> (u16, String) {
    (
        status,
        json!({"error": code, "error_description": description}).to_string(),
    )
}

fn flag(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_u64().unwrap_or(0) != 0,
        Value::String(s) => !s.is_empty() && s != "0" && s != "N",
        _ => false,
    }
}

fn id_of(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

impl Portal {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id * 10 + 7
    }

    pub fn live_pages(&self) -> Vec<&PageRec> {
        self.pages.iter().filter(|p| !p.deleted).collect()
    }

    /// A page as a visitor would get it: the published blocks, each in Bitrix's wrapper
    /// (`id` = the block's anchor, or `block<ID>`), with the page CSS.
    pub fn public_html(&self, lid: u64) -> String {
        let page = self.pages.iter().find(|p| p.id == lid).unwrap();
        let css = page.fields["ADDITIONAL_FIELDS"]["CSSBLOCK_CODE"]
            .as_str()
            .unwrap_or("");
        let mut body = String::new();
        for b in self.blocks.get(&lid).into_iter().flatten() {
            let content = b.public.as_deref().unwrap_or("");
            let id = b.anchor.clone().unwrap_or(format!("block{}", b.id));
            body.push_str(&format!(
                "<div id=\"{id}\" class=\"block-wrapper\">{content}</div>\n"
            ));
        }
        format!(
            "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{css}</style></head><body>{body}</body></html>",
            page.title
        )
    }

    fn page_matches(p: &PageRec, filter: &Value) -> bool {
        // getList hides pages marked as deleted unless the filter names DELETED.
        let deleted = filter
            .get("=DELETED")
            .or_else(|| filter.get("DELETED"))
            .and_then(Value::as_str);
        let deleted_ok = match deleted {
            Some(d) => (d == "Y") == p.deleted,
            None => !p.deleted,
        };
        deleted_ok
            && filter.get("ID").and_then(id_of).is_none_or(|id| id == p.id)
            && filter
                .get("SITE_ID")
                .and_then(id_of)
                .is_none_or(|s| s == p.site)
            && filter
                .get("=CODE")
                .and_then(Value::as_str)
                .is_none_or(|c| c == p.code)
    }

    pub fn answer(&mut self, method: &str, body: &Value) -> (u16, String) {
        if let Some(c) = &self.fail_all {
            return (c.status, c.body.clone());
        }
        if let Some(pos) = self.inject.iter().position(|(m, _)| m == method) {
            let (_, c) = self.inject.remove(pos);
            return (c.status, c.body);
        }
        if let Some((m, c)) = &self.fail {
            if m == method {
                return (c.status, c.body.clone());
            }
        }
        let result = match method {
            "crm.webform.list" => json!(self
                .forms
                .iter()
                .map(|(id, name)| json!({"ID": id.to_string(), "NAME": name, "SECURITY_CODE": "abc123", "IS_CALLBACK_FORM": "N"}))
                .collect::<Vec<_>>()),
            "landing.repo.register" => {
                let code = body["code"].as_str().unwrap_or_default().to_string();
                let content = body["fields"]["CONTENT"].as_str().unwrap_or("").to_string();
                let id = match self.repo.get(&code) {
                    Some((id, _)) => *id,
                    None => self.id(),
                };
                self.repo.insert(code, (id, content));
                json!(id)
            }
            "landing.repo.unregister" => {
                let code = body["code"].as_str().unwrap_or_default();
                json!(self.repo.remove(code).is_some())
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
                json!(self
                    .pages
                    .iter()
                    .filter(|p| Self::page_matches(p, f))
                    .map(|p| json!({"ID": p.id.to_string(), "SITE_ID": p.site.to_string(), "CODE": p.code}))
                    .collect::<Vec<_>>())
            }
            "landing.landing.add" => {
                let id = self.id();
                let f = &body["fields"];
                let site = id_of(&f["SITE_ID"]).unwrap_or(0);
                let mut code = f["CODE"].as_str().unwrap_or("").to_string();
                // A code taken within the site (trashed pages included) gets a suffix.
                if self.pages.iter().any(|p| p.site == site && p.code == code) {
                    code = format!("{code}_{:04x}", (id * 7919) & 0xffff);
                }
                self.pages.push(PageRec {
                    id,
                    site,
                    code,
                    title: f["TITLE"].as_str().unwrap_or("").to_string(),
                    deleted: false,
                    published: false,
                    fields: f.clone(),
                });
                json!(id)
            }
            "landing.landing.update" => {
                let lid = id_of(&body["lid"]).unwrap_or(0);
                let Some(p) = self.pages.iter_mut().find(|p| p.id == lid && !p.deleted) else {
                    return err(400, "LANDING_NOT_EXIST", "Landing not found");
                };
                let f = &body["fields"];
                if let Some(t) = f["TITLE"].as_str() {
                    p.title = t.to_string();
                }
                if let Some(c) = f["CODE"].as_str() {
                    p.code = c.to_string();
                }
                // Only the fields passed change; additional fields one by one.
                for (k, v) in f.as_object().into_iter().flatten() {
                    if k == "ADDITIONAL_FIELDS" {
                        for (ak, av) in v.as_object().into_iter().flatten() {
                            p.fields["ADDITIONAL_FIELDS"][ak] = av.clone();
                        }
                    } else {
                        p.fields[k] = v.clone();
                    }
                }
                json!(true)
            }
            "landing.landing.getpublicurl" => {
                let lid = id_of(&body["lid"]).unwrap_or(0);
                let Some(p) = self.pages.iter().find(|p| p.id == lid && !p.deleted) else {
                    return err(400, "LANDING_NOT_EXIST", "Landing not found");
                };
                json!(format!("{PUBLIC_HOST}/{}/", p.code))
            }
            "landing.landing.publication" => {
                let lid = id_of(&body["lid"]).unwrap_or(0);
                let Some(p) = self.pages.iter_mut().find(|p| p.id == lid && !p.deleted) else {
                    return err(400, "LANDING_NOT_EXIST", "Landing not found");
                };
                p.published = true;
                for b in self.blocks.entry(lid).or_default() {
                    b.public = Some(b.content.clone());
                }
                json!(true)
            }
            "landing.block.getlist" => {
                let lid = id_of(&body["lid"]).unwrap_or(0);
                if !self.pages.iter().any(|p| p.id == lid && !p.deleted) {
                    return err(400, "LANDING_NOT_EXIST", "Landing not found");
                }
                let content = flag(&body["params"]["get_content"]);
                json!(self
                    .blocks
                    .get(&lid)
                    .map(|b| b
                        .iter()
                        .map(|b| {
                            let mut v = json!({"id": b.id, "lid": lid, "code": b.code, "active": true});
                            if content {
                                let wrapper = b.anchor.clone().unwrap_or(format!("b{}", b.id));
                                v["content"] = json!(format!("<div id=\"{wrapper}\" class=\"block-wrapper\">{}</div>", b.content));
                                v["css"] = json!([]);
                                v["js"] = json!([]);
                            }
                            v
                        })
                        .collect::<Vec<_>>())
                    .unwrap_or_default())
            }
            "landing.landing.addblock" => {
                let lid = id_of(&body["lid"]).unwrap_or(0);
                let code = body["fields"]["CODE"].as_str().unwrap_or("").to_string();
                let content = code
                    .strip_prefix("repo_")
                    .and_then(|id| id.parse::<u64>().ok())
                    .and_then(|id| self.repo.values().find(|(r, _)| *r == id))
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
                let id = self.id();
                let after = id_of(&body["fields"]["AFTER_ID"]);
                let list = self.blocks.entry(lid).or_default();
                let at = after
                    .and_then(|a| list.iter().position(|b| b.id == a).map(|p| p + 1))
                    .unwrap_or(0);
                list.insert(
                    at,
                    BlockRec {
                        id,
                        code,
                        content,
                        anchor: None,
                        public: None,
                    },
                );
                json!(id)
            }
            "landing.block.updatecontent" => {
                let lid = id_of(&body["lid"]).unwrap_or(0);
                let block = id_of(&body["block"]).unwrap_or(0);
                let Some(b) = self
                    .blocks
                    .get_mut(&lid)
                    .and_then(|l| l.iter_mut().find(|b| b.id == block))
                else {
                    return err(400, "BLOCK_NOT_FOUND", "Block not found");
                };
                b.content = body["content"].as_str().unwrap_or("").to_string();
                json!(true)
            }
            "landing.block.changeAnchor" => {
                let lid = id_of(&body["lid"]).unwrap_or(0);
                let block = id_of(&body["block"]).unwrap_or(0);
                let data = body["data"].as_str().unwrap_or("").to_string();
                let valid = data.len() >= 2
                    && data.as_bytes()[0].is_ascii_alphabetic()
                    && data
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
                if !valid {
                    return err(400, "BAD_ANCHOR", "The anchor must start with a character from a-z");
                }
                let Some(b) = self
                    .blocks
                    .get_mut(&lid)
                    .and_then(|l| l.iter_mut().find(|b| b.id == block))
                else {
                    return err(400, "BLOCK_NOT_FOUND", "Block not found");
                };
                b.anchor = Some(data);
                json!(true)
            }
            "landing.block.uploadfile" => {
                let block = id_of(&body["block"]).unwrap_or(0);
                if !self.blocks.values().flatten().any(|b| b.id == block) {
                    return err(400, "BLOCK_NOT_FOUND", "Block not found");
                }
                let name = body["picture"][0].as_str().unwrap_or("").to_string();
                use base64::Engine;
                let Ok(data) = base64::engine::general_purpose::STANDARD
                    .decode(body["picture"][1].as_str().unwrap_or(""))
                else {
                    return err(400, "FILE_ERROR", "File upload error. The file may not be a graphic.");
                };
                let id = self.id();
                let src = format!("https://cdn.bitrix24.kz/b1/landing/{id:03}/{name}");
                self.files.push((block, name, data, src.clone(), id));
                json!({"id": id, "src": src})
            }
            "disk.storage.getlist" => {
                let f = &body["filter"];
                let user = f["ENTITY_ID"].as_str().map(str::to_string).unwrap_or_else(|| f["ENTITY_ID"].to_string());
                if f["ENTITY_TYPE"] != "user" {
                    json!([])
                } else {
                    json!([{"ID": "3", "NAME": "Мой диск", "CODE": null, "MODULE_ID": "disk", "ENTITY_TYPE": "user", "ENTITY_ID": user, "ROOT_OBJECT_ID": "5"}])
                }
            }
            "disk.storage.uploadfile" => {
                use base64::Engine;
                if id_of(&body["id"]) != Some(3) {
                    return err(400, "ERROR_NOT_FOUND", "Could not find entity with id");
                }
                let name = body["data"]["NAME"].as_str().unwrap_or("").to_string();
                let Ok(data) = base64::engine::general_purpose::STANDARD
                    .decode(body["fileContent"][1].as_str().unwrap_or(""))
                else {
                    return err(400, "ERROR_ARGUMENT", "Invalid value of parameter fileContent");
                };
                let id = self.id();
                self.disk.push((id, name.clone(), data));
                json!({"ID": id.to_string(), "NAME": name, "STORAGE_ID": "3", "TYPE": "file", "PARENT_ID": "5"})
            }
            "disk.file.getExternalLink" => {
                let id = id_of(&body["id"]).unwrap_or(0);
                if !self.disk.iter().any(|(d, _, _)| *d == id) {
                    return err(400, "ERROR_NOT_FOUND", "Could not find entity with id");
                }
                json!(format!("{PUBLIC_HOST}/~f{id}"))
            }
            "landing.repo.checkContent" => {
                let content = body["content"].as_str().unwrap_or("");
                json!({"is_bad": false, "content": content})
            }
            _ => return err(404, "ERROR_METHOD_NOT_FOUND", "Method not found!"),
        };
        (
            200,
            json!({"result": result, "time": {"start": 0}}).to_string(),
        )
    }
}

/// Starts the stand-in; returns the webhook URL and the shared state.
pub fn start(portal: Portal) -> (String, Arc<Mutex<Portal>>) {
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
        let (status, text) = match path
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
            None => err(401, "INVALID_CREDENTIALS", "Invalid request credentials"),
        };
        let ctype = if text.starts_with('<') {
            "text/html"
        } else {
            "application/json; charset=utf-8"
        };
        let _ = write!(
            out,
            "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        let _ = out.flush();
    }
}
