//! `bxland publish --bitrix24 WEBHOOK`: the REST calls that put an export on a portal.
//!
//! The order: `landing.repo.register` for every block (same code = the same repository entry,
//! updated), `landing.site.getList` → `landing.site.add` when missing, `landing.landing.getList`
//! → `landing.landing.update` or `landing.landing.add`, `landing.block.getlist` on an existing
//! page, then per block `landing.block.updatecontent` (already on the page) or
//! `landing.landing.addblock` with `repo_<ID>` after the previous one, and last
//! `landing.landing.publication`. The first REST error stops everything.
//!
//! The webhook URL `https://<portal>/rest/<user>/<secret>/` carries a credential: every message
//! that leaves this module goes through [`Webhook::redact`].

use std::time::Duration;

use serde_json::{json, Value};

use super::{Plan, SITE_CODE};
use crate::i18n::Text;
use crate::t;

/// An incoming webhook: where to call, and the secret to keep out of every message.
#[derive(Clone)]
pub struct Webhook {
    base: String,
    secret: String,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Webhook({})", self.redacted())
    }
}

impl Webhook {
    /// Accepts `https://<portal>/rest/<user id>/<secret>/` (the trailing slash optional).
    /// Plain `http://` only for a loopback host (a local stand-in of the REST endpoint).
    pub fn parse(url: &str) -> Result<Webhook, Text> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            t!(
                "адрес вебхука должен начинаться с https://",
                "the webhook URL must start with https://"
            )
        })?;
        let rest = rest.trim_end_matches('/');
        let parts: Vec<&str> = rest.split('/').collect();
        let host = parts.first().copied().unwrap_or("");
        let hostname = host.split(':').next().unwrap_or("");
        let loopback = hostname == "localhost"
            || hostname
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !(scheme == "https" || scheme == "http" && loopback) {
            return Err(t!(
                "адрес вебхука должен начинаться с https://",
                "the webhook URL must start with https://"
            ));
        }
        let shape_ok = parts.len() == 4
            && !host.is_empty()
            && parts[1] == "rest"
            && !parts[2].is_empty()
            && parts[2].bytes().all(|b| b.is_ascii_digit())
            && !parts[3].is_empty()
            && parts[3].bytes().all(|b| b.is_ascii_alphanumeric());
        if !shape_ok {
            return Err(t!(
                "адрес вебхука должен иметь вид https://<портал>/rest/<номер пользователя>/<код>/ — скопируйте его из «Разработчикам → Другое → Входящий вебхук»",
                "the webhook URL must look like https://<portal>/rest/<user id>/<code>/ — copy it from Developer resources → Other → Inbound webhook"
            ));
        }
        Ok(Webhook {
            base: format!("{scheme}://{host}/rest/{}/{}/", parts[2], parts[3]),
            secret: parts[3].to_string(),
        })
    }

    pub fn method_url(&self, method: &str) -> String {
        format!("{}{method}.json", self.base)
    }

    /// The URL with the secret replaced by `***`.
    pub fn redacted(&self) -> String {
        self.redact(&self.base)
    }

    /// Any text with every occurrence of the secret replaced by `***`.
    pub fn redact(&self, s: &str) -> String {
        if self.secret.is_empty() {
            s.to_string()
        } else {
            s.replace(&self.secret, "***")
        }
    }
}

/// Posts a JSON body and returns the status and body. Implemented over `ureq` for real
/// portals; tests may give their own.
pub trait Transport {
    fn post_json(&mut self, url: &str, body: &str) -> Result<(u16, String), String>;
}

pub struct UreqTransport {
    agent: ureq::Agent,
}

impl Default for UreqTransport {
    fn default() -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        UreqTransport { agent }
    }
}

impl Transport for UreqTransport {
    fn post_json(&mut self, url: &str, body: &str) -> Result<(u16, String), String> {
        let mut resp = self
            .agent
            .post(url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .send(body)
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        Ok((status, text))
    }
}

/// Why a REST call failed; every string already redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestError {
    /// The portal answered with `{"error", "error_description"}`.
    Api {
        method: String,
        status: u16,
        code: String,
        description: String,
    },
    /// No answer (network, TLS, timeout).
    Transport { method: String, message: String },
    /// An answer that is not the JSON the REST API gives.
    BadReply {
        method: String,
        status: u16,
        body: String,
    },
    /// `landing.repo.checkContent` marked a block as dangerous (dry run).
    BadContent { code: String, marked: String },
}

impl RestError {
    pub fn message(&self) -> Text {
        match self {
            RestError::Api {
                method,
                status,
                code,
                description,
            } => t!(
                "Битрикс24 вернул ошибку в методе {method}: {code} — {description} (HTTP {status})",
                "Bitrix24 returned an error from {method}: {code} — {description} (HTTP {status})"
            ),
            RestError::Transport { method, message } => t!(
                "не удалось вызвать {method}: {message}",
                "calling {method} failed: {message}"
            ),
            RestError::BadReply {
                method,
                status,
                body,
            } => t!(
                "непонятный ответ на {method} (HTTP {status}): {body}",
                "unexpected reply to {method} (HTTP {status}): {body}"
            ),
            RestError::BadContent { code, marked } => t!(
                "landing.repo.checkContent нашёл опасное содержимое в блоке {code}: {marked}",
                "landing.repo.checkContent found dangerous content in block {code}: {marked}"
            ),
        }
    }
}

/// A REST client over a webhook: JSON in, `result` out, retries `QUERY_LIMIT_EXCEEDED`.
pub struct Client<'a> {
    pub webhook: Webhook,
    transport: Box<dyn Transport + 'a>,
    report: Box<dyn FnMut(String) + 'a>,
    /// First wait after `QUERY_LIMIT_EXCEEDED`; doubled each time.
    pub backoff: Duration,
    pub max_retries: u32,
    pub calls: usize,
}

impl<'a> Client<'a> {
    pub fn new(
        webhook: Webhook,
        transport: impl Transport + 'a,
        report: impl FnMut(String) + 'a,
    ) -> Self {
        Client {
            webhook,
            transport: Box::new(transport),
            report: Box::new(report),
            backoff: Duration::from_millis(500),
            max_retries: 5,
            calls: 0,
        }
    }

    fn say(&mut self, line: String) {
        let line = self.webhook.redact(&line);
        (self.report)(line);
    }

    /// Calls `method` with `params`; returns the `result` of the reply.
    pub fn call(&mut self, method: &str, params: &Value, what: &str) -> Result<Value, RestError> {
        let url = self.webhook.method_url(method);
        let body = params.to_string();
        let mut attempt = 0;
        loop {
            self.calls += 1;
            let n = self.calls;
            let reply = self.transport.post_json(&url, &body);
            let (status, text) = match reply {
                Ok(r) => r,
                Err(e) => {
                    let message = self.webhook.redact(&e);
                    self.say(format!("[{n}] {method} {what} → ошибка / error: {message}"));
                    return Err(RestError::Transport {
                        method: method.into(),
                        message,
                    });
                }
            };
            let parsed: Option<Value> = serde_json::from_str(&text).ok();
            let error = parsed
                .as_ref()
                .and_then(|v| v.get("error"))
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(code) = error {
                let description = parsed
                    .as_ref()
                    .and_then(|v| v.get("error_description"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let description = self.webhook.redact(&description);
                if code == "QUERY_LIMIT_EXCEEDED" && attempt < self.max_retries {
                    let wait = self.backoff * 2u32.pow(attempt);
                    attempt += 1;
                    self.say(format!(
                        "[{n}] {method} {what} → QUERY_LIMIT_EXCEEDED, повтор через {} мс / retry in {} ms",
                        wait.as_millis(),
                        wait.as_millis()
                    ));
                    std::thread::sleep(wait);
                    continue;
                }
                self.say(format!(
                    "[{n}] {method} {what} → {code}: {description} (HTTP {status})"
                ));
                return Err(RestError::Api {
                    method: method.into(),
                    status,
                    code,
                    description,
                });
            }
            match parsed.and_then(|mut v| v.get_mut("result").map(Value::take)) {
                Some(result) if (200..300).contains(&status) => {
                    self.say(format!("[{n}] {method} {what} → {}", short(&result)));
                    return Ok(result);
                }
                _ => {
                    let body: String = self.webhook.redact(&text).chars().take(200).collect();
                    self.say(format!("[{n}] {method} {what} → HTTP {status}: {body}"));
                    return Err(RestError::BadReply {
                        method: method.into(),
                        status,
                        body,
                    });
                }
            }
        }
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("{} шт. / items", a.len()),
        Value::Object(_) => "ok".into(),
        other => other.to_string(),
    }
}

fn as_id(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn bad_reply(method: &str, v: &Value) -> RestError {
    RestError::BadReply {
        method: method.into(),
        status: 200,
        body: v.to_string().chars().take(200).collect(),
    }
}

/// What `publish` did on the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub site_id: u64,
    pub page_id: u64,
    /// (block code, repository id, block id on the page).
    pub blocks: Vec<(String, u64, u64)>,
    pub site_created: bool,
    pub page_created: bool,
    pub added_blocks: usize,
    pub updated_blocks: usize,
    pub published: bool,
}

/// Performs the calls (see the module doc). `publish_page` = also `landing.landing.publication`.
pub fn publish(
    client: &mut Client,
    plan: &Plan,
    publish_page: bool,
) -> Result<Published, RestError> {
    // 1. Blocks into the repository: the same code updates the same entry.
    let mut repo_ids = Vec::new();
    for (_, block) in &plan.blocks {
        let params = serde_json::to_value(block).unwrap_or_default();
        let r = client.call(
            "landing.repo.register",
            &params,
            &format!("code={}", block.code),
        )?;
        let id = as_id(&r).ok_or_else(|| bad_reply("landing.repo.register", &r))?;
        repo_ids.push((block.code.clone(), id));
    }

    // 2. The site, found by its code ("/code/" as stored).
    let r = client.call(
        "landing.site.getList",
        &json!({ "params": {
            "select": ["ID", "CODE"],
            "filter": { "=CODE": format!("/{SITE_CODE}/") },
        }}),
        &format!("CODE={SITE_CODE}"),
    )?;
    let existing_site = r.as_array().and_then(|a| {
        a.iter()
            .find(|s| {
                s.get("CODE")
                    .and_then(Value::as_str)
                    .map(|c| c.trim_matches('/'))
                    == Some(SITE_CODE)
            })
            .and_then(|s| s.get("ID").and_then(as_id))
    });
    let (site_id, site_created) = match existing_site {
        Some(id) => (id, false),
        None => {
            let r = client.call(
                "landing.site.add",
                &json!({ "fields": plan.site_fields }),
                &format!("CODE={SITE_CODE}"),
            )?;
            (
                as_id(&r).ok_or_else(|| bad_reply("landing.site.add", &r))?,
                true,
            )
        }
    };

    // 3. The page, found by its code within the site.
    let r = client.call(
        "landing.landing.getList",
        &json!({ "params": {
            "select": ["ID", "CODE", "SITE_ID"],
            "filter": { "SITE_ID": site_id, "=CODE": plan.slug },
        }}),
        &format!("CODE={}", plan.slug),
    )?;
    let existing_page = r.as_array().and_then(|a| {
        a.iter()
            .find(|p| p.get("CODE").and_then(Value::as_str) == Some(plan.slug.as_str()))
            .and_then(|p| p.get("ID").and_then(as_id))
    });
    let mut page_fields = plan.page_fields.clone();
    page_fields["SITE_ID"] = json!(site_id);
    let (page_id, page_created) = match existing_page {
        Some(lid) => {
            client.call(
                "landing.landing.update",
                &json!({ "lid": lid, "fields": page_fields }),
                &format!("lid={lid}"),
            )?;
            (lid, false)
        }
        None => {
            let r = client.call(
                "landing.landing.add",
                &json!({ "fields": page_fields }),
                &format!("CODE={}", plan.slug),
            )?;
            (
                as_id(&r).ok_or_else(|| bad_reply("landing.landing.add", &r))?,
                true,
            )
        }
    };

    // 4. The blocks on the page: update the ones there, add the missing ones in order.
    let mut on_page: Vec<(String, u64)> = Vec::new();
    if !page_created {
        let r = client.call(
            "landing.block.getlist",
            &json!({ "lid": page_id, "params": { "edit_mode": 1 } }),
            &format!("lid={page_id}"),
        )?;
        for b in r.as_array().into_iter().flatten() {
            if let (Some(code), Some(id)) = (
                b.get("code").and_then(Value::as_str),
                b.get("id").and_then(as_id),
            ) {
                on_page.push((code.to_string(), id));
            }
        }
    }
    let mut after: Option<u64> = None;
    let mut placed = Vec::new();
    let (mut added, mut updated) = (0, 0);
    for ((_, block), (code, repo_id)) in plan.blocks.iter().zip(&repo_ids) {
        let repo_code = format!("repo_{repo_id}");
        let existing = on_page
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(&repo_code))
            .map(|(_, id)| *id);
        let block_id = match existing {
            Some(id) => {
                client.call(
                    "landing.block.updatecontent",
                    &json!({ "lid": page_id, "block": id, "content": block.fields.content }),
                    &format!("block={id} ({code})"),
                )?;
                updated += 1;
                id
            }
            None => {
                let mut fields = json!({ "CODE": repo_code, "ACTIVE": "Y" });
                if let Some(a) = after {
                    fields["AFTER_ID"] = json!(a);
                }
                let r = client.call(
                    "landing.landing.addblock",
                    &json!({ "lid": page_id, "fields": fields }),
                    &format!("{repo_code} ({code})"),
                )?;
                added += 1;
                as_id(&r).ok_or_else(|| bad_reply("landing.landing.addblock", &r))?
            }
        };
        after = Some(block_id);
        placed.push((code.clone(), *repo_id, block_id));
    }

    // 5. Publication.
    if publish_page {
        client.call(
            "landing.landing.publication",
            &json!({ "lid": page_id }),
            &format!("lid={page_id}"),
        )?;
    }
    Ok(Published {
        site_id,
        page_id,
        blocks: placed,
        site_created,
        page_created,
        added_blocks: added,
        updated_blocks: updated,
        published: publish_page,
    })
}

/// The dry run: `landing.repo.checkContent` for every block, nothing written.
pub fn check_remote(client: &mut Client, plan: &Plan) -> Result<(), RestError> {
    for (_, block) in &plan.blocks {
        let r = client.call(
            "landing.repo.checkContent",
            &json!({ "content": block.fields.content, "splitter": "#SANITIZE#" }),
            &format!("code={}", block.code),
        )?;
        let bad = match r.get("is_bad") {
            Some(Value::Bool(b)) => *b,
            Some(v) => as_id(v).unwrap_or(0) != 0,
            None => false,
        };
        if bad {
            let content = r.get("content").and_then(Value::as_str).unwrap_or("");
            let marked: Vec<String> = content
                .match_indices("#SANITIZE#")
                .map(|(i, _)| {
                    let start = content[..i]
                        .char_indices()
                        .rev()
                        .nth(15)
                        .map(|(p, _)| p)
                        .unwrap_or(0);
                    let end = (i + 10 + 16).min(content.len());
                    let mut end = end;
                    while !content.is_char_boundary(end) {
                        end += 1;
                    }
                    content[start..end].to_string()
                })
                .collect();
            return Err(RestError::BadContent {
                code: block.code.clone(),
                marked: marked.join(" | "),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_parses_and_redacts() {
        let w = Webhook::parse("https://example.bitrix24.kz/rest/1/abc123def456/").unwrap();
        assert_eq!(
            w.method_url("landing.site.add"),
            "https://example.bitrix24.kz/rest/1/abc123def456/landing.site.add.json"
        );
        assert_eq!(w.redacted(), "https://example.bitrix24.kz/rest/1/***/");
        assert_eq!(
            w.redact("failed https://example.bitrix24.kz/rest/1/abc123def456/x.json"),
            "failed https://example.bitrix24.kz/rest/1/***/x.json"
        );
        assert!(!format!("{w:?}").contains("abc123def456"));
        // Without the trailing slash too.
        assert!(Webhook::parse("https://p.bitrix24.ru/rest/15/Zz9").is_ok());
    }

    #[test]
    fn webhook_shape_and_scheme_are_checked() {
        assert!(Webhook::parse("http://example.bitrix24.kz/rest/1/abc/").is_err());
        assert!(Webhook::parse("https://example.bitrix24.kz/rest/abc/").is_err());
        assert!(Webhook::parse("https://example.bitrix24.kz/1/abc/").is_err());
        assert!(Webhook::parse("example.bitrix24.kz/rest/1/abc/").is_err());
        assert!(Webhook::parse("http://127.0.0.1:8080/rest/1/abc/").is_ok());
        assert!(Webhook::parse("http://127.0.0.1.evil.kz/rest/1/abc/").is_err());
    }

    struct Canned(Vec<(u16, String)>, Vec<String>);
    impl Transport for &mut Canned {
        fn post_json(&mut self, url: &str, _body: &str) -> Result<(u16, String), String> {
            self.1.push(url.to_string());
            if self.0.is_empty() {
                return Err(format!("connection refused: {url}"));
            }
            Ok(self.0.remove(0))
        }
    }

    #[test]
    fn query_limit_is_retried_then_errors_are_redacted() {
        let w = Webhook::parse("https://p.bitrix24.kz/rest/7/s3cr3tvalue/").unwrap();
        let mut canned = Canned(
            vec![
                (
                    503,
                    r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#
                        .into(),
                ),
                (200, r#"{"result":42}"#.into()),
            ],
            vec![],
        );
        let mut lines = Vec::new();
        {
            let mut c = Client::new(w.clone(), &mut canned, |l| lines.push(l));
            c.backoff = Duration::from_millis(1);
            assert_eq!(
                c.call("landing.site.add", &json!({}), "").unwrap(),
                json!(42)
            );
            // The transport error message holds the URL: it must come out redacted.
            let err = c.call("landing.site.add", &json!({}), "").unwrap_err();
            match &err {
                RestError::Transport { message, .. } => {
                    assert!(message.contains("/rest/7/***/"), "{message}");
                    assert!(!message.contains("s3cr3tvalue"));
                }
                other => panic!("{other:?}"),
            }
            assert!(!err.message().ru.contains("s3cr3tvalue"));
        }
        assert_eq!(canned.1.len(), 3);
        assert!(lines[0].contains("QUERY_LIMIT_EXCEEDED"), "{lines:?}");
        assert!(lines.iter().all(|l| !l.contains("s3cr3tvalue")));
    }
}
