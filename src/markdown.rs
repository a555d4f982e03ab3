//! Markdown from the event (description, audience, theses, mail bodies) to HTML through
//! pulldown-cmark: the one Markdown path of the page and the mails. Raw HTML in it is
//! neutralised (shown as text), links keep only safe schemes, images become their alt text (a
//! page or a mail fetches nothing from outside), and on the page headings are pushed below the
//! section's own `<h2>`.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Block Markdown to safe HTML for a page section (headings start at `<h3>`).
pub fn to_html(md: &str) -> String {
    sanitized(md, shift)
}

/// Block Markdown to safe HTML for a mail body: the page's sanitizer, headings as written.
pub fn to_mail_html(md: &str) -> String {
    sanitized(md, |level| level)
}

fn sanitized(md: &str, shift: fn(HeadingLevel) -> HeadingLevel) -> String {
    let mut in_unsafe_link = false;
    let events = Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH).map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
            level: shift(level),
            id: None,
            classes: vec![],
            attrs: vec![],
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        Event::Start(Tag::Image { .. }) => Event::Start(Tag::Emphasis),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Emphasis),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if safe_url(&dest_url) {
                in_unsafe_link = false;
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            } else {
                in_unsafe_link = true;
                Event::Start(Tag::Emphasis)
            }
        }
        Event::End(TagEnd::Link) if in_unsafe_link => {
            in_unsafe_link = false;
            Event::End(TagEnd::Emphasis)
        }
        Event::InlineMath(s) | Event::DisplayMath(s) | Event::Code(s) => Event::Code(s),
        other => other,
    });
    // Elements nested deeper than this are flattened (their text stays): 10,000 `>` made
    // 10,000 nested blockquotes, and the HTML minifier, which recurses, overflowed its stack
    // (issue 21).
    const MAX_DEPTH: usize = 64;
    let mut kept: Vec<bool> = Vec::new();
    let events = events.filter(|ev| match ev {
        Event::Start(_) => {
            let keep = kept.len() < MAX_DEPTH;
            kept.push(keep);
            keep
        }
        Event::End(_) => kept.pop().unwrap_or(true),
        _ => true,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// Inline Markdown (a thesis): the same, without the wrapping paragraph.
pub fn to_inline_html(md: &str) -> String {
    let out = to_html(md.trim());
    match out.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => out,
    }
}

fn shift(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn safe_url(url: &CowStr) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.starts_with("https://")
        || l.starts_with("http://")
        || l.starts_with("mailto:")
        || l.starts_with("tel:")
        || l.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_flattened_below_64_levels() {
        let html = to_html(&format!("{} deep", ">".repeat(10_000)));
        assert_eq!(html.matches("<blockquote>").count(), 64, "{html}");
        assert_eq!(html.matches("</blockquote>").count(), 64);
        assert!(html.contains("deep"));
    }

    #[test]
    fn raw_html_is_text() {
        let h = to_html("Hello <script>alert(1)</script> & <b>bold</b>");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(h.contains("&amp;"), "{h}");
        let block = to_html("<div onclick=\"x()\">hi</div>\n\ntext");
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn javascript_links_and_images_are_dropped() {
        let h = to_html("[click](javascript:alert(1)) ![logo](https://evil.example/x.png)");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("<em>click</em>"), "{h}");
        assert!(h.contains("<em>logo</em>"), "{h}");
        let mail = to_mail_html("[click](javascript:alert(1)) ![x](https://evil.example/x.png)");
        assert!(
            !mail.contains("javascript:") && !mail.contains("<img"),
            "{mail}"
        );
        let ok = to_html("[site](https://example.kz)");
        assert!(ok.contains("href=\"https://example.kz\""), "{ok}");
    }

    #[test]
    fn headings_shift_and_lists_render() {
        let h = to_html("# Title\n\n- a\n- b");
        assert!(h.contains("<h3>Title</h3>"), "{h}");
        assert!(h.contains("<li>a</li>"), "{h}");
        assert!(to_mail_html("# Title").contains("<h1>Title</h1>"));
        assert_eq!(
            to_inline_html("**важно** и всё"),
            "<strong>важно</strong> и всё"
        );
    }
}
