//! The "add to calendar" file (RFC 5545): one VEVENT in UTC, with the organizer and the
//! page address; lines folded at 75 octets, CRLF line ends.

use super::PageOptions;
use crate::webinar::Webinar;

/// Escapes a TEXT value.
fn text_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            // No other control character (CR above all) may reach a content line.
            c if c.is_control() => {}
            _ => out.push(c),
        }
    }
    out
}

/// A URI value: one line with no spaces or control characters, else nothing (a CR or LF in
/// a value would end the content line and start a forged one).
fn uri_value(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && !s.chars().any(|c| c.is_control() || c.is_whitespace()))
        .then(|| s.to_string())
}

/// Folds a content line at 75 octets without splitting a UTF-8 character. A control
/// character that reached the line anyway (a CR or LF would end it and start a forged one) is
/// dropped: whatever the values, the file has exactly the lines written here.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars().filter(|c| !c.is_control()) {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
    out
}

pub fn event_ics(w: &Webinar, description: &str, opts: &PageOptions) -> String {
    let when = &w.when;
    let fmt = "%Y%m%dT%H%M%SZ";
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//bxland//webinar landing//RU".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@bxland", w.slug),
        format!("DTSTAMP:{}T000000Z", opts.today.format("%Y%m%d")),
        format!("DTSTART:{}", when.start_utc().format(fmt)),
        format!("DTEND:{}", when.end_utc().format(fmt)),
        format!("SUMMARY:{}", text_value(&w.title)),
    ];
    let mut desc = description.to_string();
    let join = w.join_url.as_deref().and_then(uri_value);
    let page = super::head::page_address(w, opts).and_then(|u| uri_value(&u));
    if let Some(u) = join.as_deref().or(page.as_deref()) {
        desc.push_str(&format!("\n{u}"));
    }
    lines.push(format!("DESCRIPTION:{}", text_value(&desc)));
    let platform = w.platform.as_deref();
    // In the event language: «Онлайн» is the same word in Russian and Kazakh.
    let online = "Онлайн";
    lines.push(format!(
        "LOCATION:{}",
        text_value(&match platform {
            Some(p) => format!("{online}, {p}"),
            None => online.to_string(),
        })
    ));
    // The page (where the event is described) as URL; the join link is in the description.
    if let Some(u) = page.as_deref().or(join.as_deref()) {
        lines.push(format!("URL:{u}"));
    }
    {
        let o = &w.organizer;
        let email = o.contacts.iter().find_map(|c| c.email.as_deref());
        if let Some(email) = email {
            let cn: String = o
                .name
                .chars()
                .filter(|c| !c.is_control())
                .map(|c| if c == '"' { '\'' } else { c })
                .collect();
            if let Some(email) = uri_value(email) {
                lines.push(format!("ORGANIZER;CN=\"{cn}\":mailto:{email}"));
            }
        }
    }
    lines.push("STATUS:CONFIRMED".into());
    lines.push("TRANSP:OPAQUE".into());
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    // No control character reaches a content line (a CR/LF in a URL or a name would start a
    // property of its own); TEXT values are escaped above, `\n` being two printable characters.
    lines
        .iter()
        .map(|l| fold(&l.replace(|c: char| c.is_control(), "")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_on_char_boundaries() {
        let long = format!("SUMMARY:{}", "Битрикс24 ".repeat(20));
        let folded = fold(&long);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n").unwrap(), long);
    }

    #[test]
    fn no_line_break_survives_in_a_line() {
        let folded = fold("UID:a\r\nATTACH:https://evil\n@bxland");
        assert_eq!(folded, "UID:aATTACH:https://evil@bxland\r\n");
    }

    #[test]
    fn no_line_break_survives_in_a_value() {
        assert_eq!(text_value("a\r\nBEGIN:VEVENT\u{b}"), "a\\nBEGIN:VEVENT");
        assert_eq!(uri_value("https://x.kz/a\r\nATTACH:evil"), None);
        assert_eq!(uri_value(" https://x.kz/a "), Some("https://x.kz/a".into()));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(text_value("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
