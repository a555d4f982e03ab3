//! Snapshots of the rendered pages (insta): the example event through the default theme and
//! the Kazakh fixture through "horizon". The minified HTML is broken into lines before block
//! tags so that a change reads as a small diff.

use crate::support::render_common;

use render_common::*;

const BREAK_BEFORE: &[&str] = &[
    "<section",
    "</section",
    "<div",
    "</div",
    "<header",
    "<footer",
    "<main",
    "</main",
    "<nav",
    "<p",
    "<h1",
    "<h2",
    "<h3",
    "<ul",
    "</ul",
    "<ol",
    "</ol",
    "<li",
    "<form",
    "</form",
    "<label",
    "<input",
    "<select",
    "<option",
    "<textarea",
    "<button",
    "<script",
    "<meta",
    "<link",
    "<title",
    "<head",
    "</head",
    "<body",
    "</body",
    "</html",
    "<figure",
    "<img",
];

fn pretty(html: &str) -> String {
    let mut out = String::with_capacity(html.len() * 11 / 10);
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if i > 0
            && BREAK_BEFORE.iter().any(|t| {
                rest.starts_with(t)
                    && rest[t.len()..]
                        .starts_with(|c: char| c == '>' || c == ' ' || c.is_ascii_digit())
            })
        {
            out.push('\n');
        }
        let ch = rest.chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    out.push('\n');
    out
}

#[test]
fn example_event_through_the_default_theme() {
    let page = render_with(&example_dir(), "default", true);
    insta::assert_snapshot!("example_event_default", pretty(&page.index_html));
}

#[test]
fn kazakh_event_through_horizon() {
    let (_, page) = render(&kk_dir());
    insta::assert_snapshot!("kk_event_horizon", pretty(&page.index_html));
    insta::assert_snapshot!("kk_event_consent", page.consent.plain);
}

#[test]
fn example_event_calendar_file() {
    let page = render_with(&example_dir(), "default", true);
    insta::assert_snapshot!("example_event_ics", page.ics.replace("\r\n", "\n"));
}
