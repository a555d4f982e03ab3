//! The `<head>` extras of a page: meta description, Open Graph and Twitter card tags, and the
//! schema.org `Event` as JSON-LD (online attendance, free offer, organizer, speakers).

use serde_json::{json, Value};

use super::{esc, PageOptions};
use crate::webinar::{Webinar, When};

pub struct HeadInput<'a> {
    pub webinar: &'a Webinar,
    pub lang: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub when: &'a When,
    pub organizer: &'a str,
    pub organizer_website: Option<&'a str>,
    /// The logo path relative to the page.
    pub logo: &'a str,
    /// (name, position, company) of each speaker.
    pub speakers: &'a [(String, String, String)],
    pub opts: &'a PageOptions,
}

/// `rel` joined to the page address `base` (a folder address, with or without its final `/`).
pub fn absolute(base: Option<&str>, rel: &str) -> Option<String> {
    let base = base?;
    Some(if base.ends_with('/') {
        format!("{base}{rel}")
    } else {
        format!("{base}/{rel}")
    })
}

/// The page's public address: `--base-url`, else `[event] page_url` (or where Site Management
/// puts the page, see `comms::mails::page_url`). Social previews need absolute addresses.
pub fn page_address(w: &Webinar, opts: &PageOptions) -> Option<String> {
    opts.base_url.clone().or_else(|| w.page_url.clone())
}

/// The schema.org `Event` description.
pub fn json_ld(h: &HeadInput) -> Value {
    let base = page_address(h.webinar, h.opts);
    let base = base.as_deref();
    let join_url = h.webinar.join_url.as_deref();
    let page_url = base.map(str::to_string);
    let location_url = join_url
        .map(str::to_string)
        .or(page_url.clone())
        .or(h.organizer_website.map(str::to_string));
    let mut organizer = json!({ "@type": "Organization", "name": h.organizer });
    if let Some(w) = h.organizer_website {
        organizer["url"] = json!(w);
    }
    if let Some(logo) = absolute(base, h.logo) {
        organizer["logo"] = json!(logo);
    }
    let mut location = json!({ "@type": "VirtualLocation" });
    if let Some(u) = &location_url {
        location["url"] = json!(u);
    }
    let mut offer = json!({
        "@type": "Offer",
        "price": "0",
        "priceCurrency": "KZT",
        "availability": "https://schema.org/InStock",
    });
    if let Some(u) = &page_url {
        offer["url"] = json!(format!("{u}#registration"));
    }
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": h.title,
        "description": h.description,
        "startDate": h.when.start.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        "endDate": h.when.end.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "inLanguage": h.lang,
        "isAccessibleForFree": true,
        "location": location,
        "offers": offer,
        "organizer": organizer,
    });
    if !h.speakers.is_empty() {
        v["performer"] = Value::Array(
            h.speakers
                .iter()
                .map(|(name, position, company)| {
                    json!({
                        "@type": "Person",
                        "name": name,
                        "jobTitle": position,
                        "worksFor": { "@type": "Organization", "name": company },
                    })
                })
                .collect(),
        );
    }
    if let Some(u) = page_url {
        v["url"] = json!(u);
    }
    // The announcement card (when the page has one) and the logo.
    let images: Vec<String> = [h.opts.og_image.as_deref(), Some(h.logo)]
        .into_iter()
        .flatten()
        .filter_map(|rel| absolute(base, rel))
        .collect();
    if !images.is_empty() {
        v["image"] = json!(images);
    }
    v
}

/// JSON safe inside `<script>`: `<`, `>` and `&` written as `\u003c` etc. (only strings can
/// hold them, where the escape means the same).
pub fn script_json(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One `<meta {attr}="{key}" content="{content}">` of the head (`attr` is `name` or `property`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaTag {
    pub attr: String,
    pub key: String,
    pub content: String,
}

/// The head extras as data: the meta tags in page order and the schema.org `Event`. The
/// preview writes them with [`Head::to_html`]; the platform exports read them back from the
/// rendered page with [`Head::from_html`], so every target carries what this one builder made.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub meta: Vec<MetaTag>,
    pub json_ld: Value,
}

impl Head {
    /// The content of the first meta tag named `key` (`description`, `og:url`, ...).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.content.as_str())
    }

    /// The page's public address (`og:url`), when it was known.
    pub fn page_url(&self) -> Option<&str> {
        self.get("og:url")
    }

    /// The meta tags, each as the preview writes it.
    pub fn meta_html(&self, keep: impl Fn(&MetaTag) -> bool) -> String {
        let mut out = String::new();
        for m in self.meta.iter().filter(|m| keep(m)) {
            out.push_str(&format!(
                "<meta {}=\"{}\" content=\"{}\">",
                m.attr,
                esc(&m.key),
                esc(&m.content)
            ));
        }
        out
    }

    /// The JSON-LD `<script>` element.
    pub fn json_ld_html(&self) -> String {
        format!(
            "<script type=\"application/ld+json\">{}</script>",
            script_json(&self.json_ld)
        )
    }

    pub fn to_html(&self) -> String {
        let mut out = self.meta_html(|_| true);
        out.push_str(&self.json_ld_html());
        out
    }

    /// Reads back what [`Head::to_html`] wrote; `None` for anything else.
    pub fn from_html(html: &str) -> Option<Head> {
        let mut meta = Vec::new();
        let mut rest = html;
        while let Some(tail) = rest.strip_prefix("<meta ") {
            let (attr, tail) = tail.split_once("=\"")?;
            if attr != "name" && attr != "property" {
                return None;
            }
            let (key, tail) = tail.split_once("\" content=\"")?;
            let (content, tail) = tail.split_once("\">")?;
            meta.push(MetaTag {
                attr: attr.to_string(),
                key: unescape(key),
                content: unescape(content),
            });
            rest = tail;
        }
        let json = rest
            .strip_prefix("<script type=\"application/ld+json\">")?
            .strip_suffix("</script>")?;
        let json_ld = serde_json::from_str(json).ok()?;
        Some(Head { meta, json_ld })
    }
}

/// The inverse of [`esc`] (the five entities it writes).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The Open Graph locale of a page language.
pub fn og_locale(lang: &str) -> &'static str {
    match lang {
        "kk" => "kk_KZ",
        _ => "ru_RU",
    }
}

/// The head extras of the page.
pub fn head(h: &HeadInput) -> Head {
    let base = page_address(h.webinar, h.opts);
    let base = base.as_deref();
    let mut meta = Vec::new();
    let mut tag = |attr: &str, key: &str, value: &str| {
        meta.push(MetaTag {
            attr: attr.to_string(),
            key: key.to_string(),
            content: value.to_string(),
        });
    };
    tag("name", "description", h.description);
    tag("property", "og:type", "website");
    tag("property", "og:title", h.title);
    tag("property", "og:description", h.description);
    tag("property", "og:locale", og_locale(h.lang));
    tag("property", "og:site_name", h.organizer);
    if let Some(u) = base {
        tag("property", "og:url", u);
    }
    match h.opts.og_image.as_deref() {
        // The wide announcement card: absolute where the page's address is known.
        Some(card) => {
            let img = absolute(base, card).unwrap_or_else(|| card.to_string());
            tag("property", "og:image", &img);
            tag("property", "og:image:width", OG_CARD_WIDTH);
            tag("property", "og:image:height", OG_CARD_HEIGHT);
            tag("name", "twitter:card", "summary_large_image");
            tag("name", "twitter:image", &img);
        }
        None => {
            if let Some(img) = absolute(base, h.logo) {
                tag("property", "og:image", &img);
            }
            tag("name", "twitter:card", "summary");
        }
    }
    tag("name", "twitter:title", h.title);
    tag("name", "twitter:description", h.description);
    Head {
        meta,
        json_ld: json_ld(h),
    }
}

/// The announcement card's size, as `og:image:width` / `og:image:height` state it.
pub const OG_CARD_WIDTH: &str = "1200";
pub const OG_CARD_HEIGHT: &str = "630";

pub fn head_html(h: &HeadInput) -> String {
    head(h).to_html()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({ "name": "</script><script>alert(1)</script> & co" });
        let s = script_json(&v);
        assert!(!s.contains("</script"), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn head_reads_back_what_it_wrote() {
        let tag = |attr: &str, key: &str, content: &str| MetaTag {
            attr: attr.into(),
            key: key.into(),
            content: content.into(),
        };
        let head = Head {
            meta: vec![
                tag(
                    "name",
                    "description",
                    "«Кавычки» & <теги> \"и\" 'апострофы'",
                ),
                tag("property", "og:url", "https://example.kz/a/?x=1&y=2"),
            ],
            json_ld: json!({ "@type": "Event", "name": "</script> & co" }),
        };
        let html = head.to_html();
        assert_eq!(Head::from_html(&html), Some(head.clone()));
        assert_eq!(head.get("og:url"), Some("https://example.kz/a/?x=1&y=2"));
        assert_eq!(Head::from_html("<meta charset=utf-8>"), None);
    }
}
