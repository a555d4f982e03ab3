//! The `<head>` extras of a page: meta description, Open Graph and Twitter card tags, and the
//! schema.org `Event` as JSON-LD (online attendance, free offer, organizer, speakers).

use serde_json::{json, Value};

use super::{esc, PageOptions};
use crate::event::when::When;
use crate::event::Event;

pub struct HeadInput<'a> {
    pub event: &'a Event,
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

fn absolute(base: Option<&str>, rel: &str) -> Option<String> {
    let base = base?;
    Some(if base.ends_with('/') {
        format!("{base}{rel}")
    } else {
        format!("{base}/{rel}")
    })
}

/// The page's public address: `--base-url`, else `[event] page_url` (or where Site Management
/// puts the page, see `comms::mails::page_url`). Social previews need absolute addresses.
pub fn page_address(event: &Event, opts: &PageOptions) -> Option<String> {
    opts.base_url
        .clone()
        .or_else(|| crate::event::mailings::page_url(event))
}

/// The schema.org `Event` description.
pub fn json_ld(h: &HeadInput) -> Value {
    let base = page_address(h.event, h.opts);
    let base = base.as_deref();
    let join_url = h
        .event
        .section()
        .and_then(|s| crate::event::model::text(&s.join_url));
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
    if let Some(img) = absolute(base, h.logo) {
        v["image"] = json!([img]);
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

pub fn head_html(h: &HeadInput) -> String {
    let base = page_address(h.event, h.opts);
    let base = base.as_deref();
    let locale = match h.lang {
        "kk" => "kk_KZ",
        _ => "ru_RU",
    };
    let mut out = String::new();
    let mut meta = |attr: &str, key: &str, value: &str| {
        out.push_str(&format!(
            "<meta {attr}=\"{}\" content=\"{}\">",
            esc(key),
            esc(value)
        ));
    };
    meta("name", "description", h.description);
    meta("property", "og:type", "website");
    meta("property", "og:title", h.title);
    meta("property", "og:description", h.description);
    meta("property", "og:locale", locale);
    meta("property", "og:site_name", h.organizer);
    if let Some(u) = base {
        meta("property", "og:url", u);
    }
    match h.opts.og_image.as_deref() {
        // The wide announcement card: absolute where the page's address is known.
        Some(card) => {
            let img = absolute(base, card).unwrap_or_else(|| card.to_string());
            meta("property", "og:image", &img);
            meta("property", "og:image:width", "1200");
            meta("property", "og:image:height", "630");
            meta("name", "twitter:card", "summary_large_image");
            meta("name", "twitter:image", &img);
        }
        None => {
            if let Some(img) = absolute(base, h.logo) {
                meta("property", "og:image", &img);
            }
            meta("name", "twitter:card", "summary");
        }
    }
    meta("name", "twitter:title", h.title);
    meta("name", "twitter:description", h.description);
    out.push_str("<script type=\"application/ld+json\">");
    out.push_str(&script_json(&json_ld(h)));
    out.push_str("</script>");
    out
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
}
