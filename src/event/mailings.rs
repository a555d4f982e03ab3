//! What the event says about its mailings once defaults are applied: the reminders wanted, the
//! join link, the page's public address, the SMS channel's size. Both the rules (which judge
//! the mailings) and `comms` (which writes them) read these; they live here, below both, so
//! that the rules never reach into the layer that builds the outputs.

use super::model::text;
use super::Event;

/// The reminders the rules require (SMS only adds to them).
pub const REMINDERS: &[&str] = &["weekly", "day-before", "day-of", "15-min"];

/// Every mail bxland writes, by the name used in `[mailings.mail.<name>]`.
pub const MAIL_NAMES: &[&str] = &[
    "weekly",
    "day-before",
    "day-of",
    "15-min",
    "followup",
    "sms",
];

/// The reminders the event asks for (all of them unless `[mailings] reminders` narrows them;
/// `mail.reminder-schedule` refuses a narrower list, so this only matters for a broken event).
pub fn wanted_reminders(event: &Event) -> Vec<String> {
    match event
        .file
        .mailings
        .as_ref()
        .and_then(|m| m.get_ref().reminders.as_ref())
    {
        Some(list) => list.get_ref().iter().map(|r| r.get_ref().clone()).collect(),
        None => REMINDERS.iter().map(|s| s.to_string()).collect(),
    }
}

pub fn sms_wanted(event: &Event) -> bool {
    event
        .file
        .mailings
        .as_ref()
        .and_then(|m| m.get_ref().sms.as_ref())
        .is_some_and(|s| *s.get_ref())
}

/// The join link of the broadcast, if the event gives one.
pub fn join_url(event: &Event) -> Option<&str> {
    event.section().and_then(|e| text(&e.join_url))
}

/// Whether `url` is a web address with a path: not a bare home page like `https://example.kz/`.
pub fn is_page_address(url: &str) -> bool {
    let u = url.trim();
    let Some(rest) = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
    else {
        return false;
    };
    if rest.contains(char::is_whitespace) {
        return false;
    }
    match rest.split_once(['/', '?', '#']) {
        Some((host, path)) => !host.is_empty() && !path.trim_matches('/').is_empty(),
        None => false,
    }
}

/// The page's public address: `[event] page_url`, else where Site Management puts the page,
/// `organizer.website + "/<slug>/"`. `None` when neither is known, or when `page_url` is a
/// bare home page (never used as the page's address).
pub fn page_url(event: &Event) -> Option<String> {
    if let Some(u) = event.section().and_then(|e| text(&e.page_url)) {
        return is_page_address(u).then(|| u.trim().to_string());
    }
    let site = event
        .file
        .organizer
        .as_ref()
        .and_then(|o| text(&o.get_ref().website))?
        .trim();
    if !(site.starts_with("https://") || site.starts_with("http://"))
        || site.contains(char::is_whitespace)
    {
        return None;
    }
    Some(format!("{}/{}/", site.trim_end_matches('/'), event.slug()))
}

/// UTF-16 code units: what an SMS segment counts for Cyrillic text (70 per segment).
pub fn sms_units(s: &str) -> usize {
    s.encode_utf16().count()
}

pub const SMS_SEGMENT: usize = 70;
