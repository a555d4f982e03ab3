//! The REST client of `publish`: the webhook (whose secret no message may carry), the
//! transport, the errors and the retries of the portal's own limits.

use std::time::Duration;

use serde_json::Value;

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

    /// The portal's host (and port): what the state file records, never the secret.
    pub fn portal(&self) -> String {
        self.base
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or("")
            .to_string()
    }

    /// The webhook's user id (in the URL before the secret).
    pub fn user_id(&self) -> String {
        self.base
            .trim_end_matches('/')
            .rsplit('/')
            .nth(1)
            .unwrap_or("")
            .to_string()
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

impl RestError {
    /// What the partner should do about it: each cause names its own fix; only errors a
    /// second run can get past say that running again continues.
    pub fn help(&self) -> Text {
        let resume = t!(
            "повторный запуск продолжит с того же места (сайт, страница и блоки находятся по записи в .bxland-bitrix24.json и по коду)",
            "running again picks up where it stopped (the site, page and blocks are found from .bxland-bitrix24.json and by code)"
        );
        let RestError::Api {
            code,
            status,
            description,
            ..
        } = self
        else {
            return resume;
        };
        match code.as_str() {
            "ACCESS_DENIED"
                if *status == 401 || description.contains("REST is available only") =>
            {
                t!(
                    "REST API на этом тарифе Битрикс24 недоступен: публикация через bxland publish требует коммерческого тарифа (или пробного периода). Что делать сейчас: соберите выгрузку bxland build --target bitrix24 и перенесите страницу вручную по bitrix24/form-setup.md, либо опубликуйте страницу на своём сайте (--target html или site-management)",
                    "REST API is not available on this Bitrix24 plan: bxland publish needs a commercial plan (or a trial). Meanwhile: build the export with bxland build --target bitrix24 and set the page up by hand from bitrix24/form-setup.md, or put the page on your own site (--target html or site-management)"
                )
            }
            "expired_token" | "insufficient_scope" | "NO_AUTH_FOUND" | "INVALID_CREDENTIALS"
            | "user_access_error" | "INVALID_REQUEST" => t!(
                "вебхук не подходит: создайте входящий вебхук заново («Разработчикам → Другое → Входящий вебхук») с правами «Сайты» (landing) и «CRM» (crm), от имени пользователя с правом редактировать сайты и CRM-формы, и передайте его новый адрес в --bitrix24",
                "the webhook does not fit: create an inbound webhook again (Developer resources → Other → Inbound webhook) with the «Sites» (landing) and «CRM» (crm) permissions, on behalf of a user who may edit sites and CRM forms, and pass its new URL in --bitrix24"
            ),
            "ACCESS_DENIED" => t!(
                "у пользователя вебхука нет прав на это действие: дайте ему право изменять сайты («Сайты и магазины → Права доступа») и доступ к CRM-формам, либо создайте вебхук от имени администратора портала",
                "the webhook's user lacks the rights for this: allow them to edit sites (Sites → Access permissions) and CRM forms, or create the webhook as a portal administrator"
            ),
            c if is_limit(c) => t!(
                "портал всё ещё ограничивает запросы после нескольких повторов: подождите 10–15 минут и запустите снова — уже сделанное не повторится",
                "the portal still limits requests after several retries: wait 10–15 minutes and run again — what is done will not be done twice"
            ),
            _ => resume,
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

    /// Calls `method` with `params`; returns the `result` of the reply. The portal's limits
    /// (`QUERY_LIMIT_EXCEEDED`, `OPERATION_TIME_LIMIT`) and the gateway's HTTP 429/502/503
    /// pages are retried with a doubling wait; anything else is returned at once.
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
            let retry_as = match &error {
                Some(code) if is_limit(code) => Some(code.clone()),
                None if parsed.is_none() && matches!(status, 429 | 502 | 503) => {
                    Some(format!("HTTP {status}"))
                }
                _ => None,
            };
            if let Some(why) = retry_as {
                if attempt < self.max_retries {
                    let wait = self.backoff * 2u32.pow(attempt);
                    attempt += 1;
                    self.say(format!(
                        "[{n}] {method} {what} → {why}, повтор через {} мс / retry in {} ms",
                        wait.as_millis(),
                        wait.as_millis()
                    ));
                    std::thread::sleep(wait);
                    continue;
                }
            }
            if let Some(code) = error {
                let description = parsed
                    .as_ref()
                    .and_then(|v| v.get("error_description"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let description = self.webhook.redact(&description);
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

/// The REST API's own limits, lifted by waiting (the docs' «system errors»).
pub(super) fn is_limit(code: &str) -> bool {
    code == "QUERY_LIMIT_EXCEEDED" || code == "OPERATION_TIME_LIMIT"
}

pub(super) fn short(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("{} шт. / items", a.len()),
        Value::Object(_) => "ok".into(),
        other => other.to_string(),
    }
}

pub(super) fn as_id(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn bad_reply(method: &str, v: &Value) -> RestError {
    RestError::BadReply {
        method: method.into(),
        status: 200,
        body: v.to_string().chars().take(200).collect(),
    }
}
