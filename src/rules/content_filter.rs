//! A local equivalent of `landing.repo.checkContent`.
//!
//! Bitrix24 runs every block's `CONTENT` through the XSS auditor of its `security` module
//! (`Manager::sanitize` → `Filter\Auditor\Xss`); `landing.repo.register` refuses the block with
//! `CONTENT_IS_BAD` when the auditor changes anything. The auditor is a set of patterns over the
//! raw text, markup and text nodes alike:
//!
//! - active tags: `<script`, `</script`, `<x:script`, `<applet`, `<embed`, `<style`, `<frame`,
//!   `<iframe`, `<form`, `<object`, `<link`, `<meta`, `<layer`, `<html`, `<xml`, `<base`,
//!   `<svg`, `<isindex`, `<math`, `<!doctype`, `<!entity` (the name not followed by a word
//!   character: `<formula` passes, `<form>` does not);
//! - `javascript:`, `vbscript:`, `expression(`, `behavior:` (also `=` for `:`, also hex
//!   escapes like `\6a`, also tabs, line breaks and backslashes between the letters);
//! - attributes: `on…=` event handlers (`on` and at least three letters), `formaction=`,
//!   `seekSegmentTime=`, `FSCommand=`, and a `style=` whose value is anything but plain
//!   `property: value` pairs (no `url(`, `var(`, `calc(`, `expression(`…, only `rgb(…)`);
//!   the name must not be preceded by a letter, digit or `&_?-` (so `data-style=` passes);
//! - `data:` after a quote, `=` or `:` unless it is `data:image…` or followed by a digit;
//! - `urn:schemas-microsoft-com:` and `-moz-binding: url`.
//!
//! [`check_content`] reports each match with its byte offset, so a diagnostic can show where.
//! It lives with the rules, not the Bitrix24 export: `input.text` refuses in `check` what this
//! filter would refuse at publish (whatever `check` accepts, `build` builds), and the export
//! checks its final blocks with the same function.

use crate::i18n::Text;
use crate::t;

/// One dangerous spot in block content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentProblem {
    /// Byte offset of the match in the checked HTML.
    pub offset: usize,
    /// Stable id of the pattern: `tag`, `scheme`, `expression`, `behavior`, `event-handler`,
    /// `formaction`, `style-attr`, `data-url`, `ms-urn`, `moz-binding`, `legacy-attr`.
    pub kind: &'static str,
    /// The matched text (at most 60 characters).
    pub snippet: String,
    pub message: Text,
}

/// Characters the auditor lets stand between the letters of a keyword.
#[derive(Clone, Copy)]
enum Gap {
    /// Tab, LF, CR and backslash (the auditor's `$_M`).
    Tight,
    /// The same plus any whitespace (`$_M3`).
    Spaced,
    /// The same plus CSS comments (`$_M2`).
    Commented,
}

/// Matches `word` at `bytes[at..]` case-insensitively with the given gaps and, when `hex` is
/// set, letters written as CSS escapes (`\6a` for `j`). Returns the end offset.
fn match_word(bytes: &[u8], mut at: usize, word: &str, gap: Gap, hex: bool) -> Option<usize> {
    let letters = word.as_bytes();
    for (i, &want) in letters.iter().enumerate() {
        if i > 0 {
            at = skip_gap(bytes, at, gap);
        }
        let b = *bytes.get(at)?;
        if b.eq_ignore_ascii_case(&want) {
            at += 1;
            continue;
        }
        if hex && b == b'\\' {
            if let Some(end) = match_hex_escape(bytes, at, want) {
                at = end;
                continue;
            }
        }
        return None;
    }
    Some(at)
}

fn skip_gap(bytes: &[u8], mut at: usize, gap: Gap) -> usize {
    loop {
        match (bytes.get(at), gap) {
            (Some(b'\t' | b'\n' | b'\r' | b'\\'), _) => {
                // A backslash that starts a hex escape is not a gap.
                if bytes[at] == b'\\'
                    && bytes
                        .get(at + 1)
                        .is_some_and(|c| c.is_ascii_hexdigit() && *c != b'\\')
                {
                    return at;
                }
                at += 1;
            }
            (Some(b), Gap::Spaced | Gap::Commented) if b.is_ascii_whitespace() => at += 1,
            (Some(b'/'), Gap::Commented) if bytes.get(at + 1) == Some(&b'*') => {
                match find(bytes, at + 2, b"*/") {
                    Some(end) => at = end + 2,
                    None => return at,
                }
            }
            _ => return at,
        }
    }
}

/// `\` + zeros + the two hex digits of `want` (either case of the letter).
fn match_hex_escape(bytes: &[u8], at: usize, want: u8) -> Option<usize> {
    let mut i = at + 1;
    while bytes.get(i) == Some(&b'0') {
        i += 1;
    }
    let h = std::str::from_utf8(bytes.get(i..i + 2)?).ok()?;
    let code = u8::from_str_radix(h, 16).ok()?;
    code.eq_ignore_ascii_case(&want).then_some(i + 2)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The auditor's `$_Al`: the name must not continue a word, an entity or a dashed name.
fn starts_name(bytes: &[u8], at: usize) -> bool {
    at == 0 || {
        let p = bytes[at - 1];
        !(p.is_ascii_alphanumeric() || matches!(p, b'&' | b'_' | b'?' | b'-'))
    }
}

/// `:` or `=`, literal or escaped (`\3a`, `\3d`).
fn match_colon_or_eq(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b':' | b'=' => Some(at + 1),
        b'\\' => {
            let mut i = at + 1;
            while bytes.get(i) == Some(&b'0') {
                i += 1;
            }
            let h = std::str::from_utf8(bytes.get(i..i + 2)?).ok()?;
            matches!(h.to_ascii_lowercase().as_str(), "3a" | "3d").then_some(i + 2)
        }
        _ => None,
    }
}

const TAGS: &[&str] = &[
    "script", "/script", "x:script", "applet", "embed", "style", "frame", "iframe", "form",
    "object", "link", "meta", "layer", "html", "xml", "base", "svg", "isindex", "math", "!doctype",
    "!entity",
];

/// The bytes at which a pattern of [`check_content`] can start: `<`, the backslash of a hex
/// escape, the quote, `=` or `:` before `data:`, `-` of `-moz-binding`, and the first letters
/// (either case) of `javascript`, `vbscript`, `expression`, `behavior`, `on…`, `formaction`,
/// `fscommand`, `seeksegmenttime`, `style` and `urn:`.
static STARTS_PATTERN: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b"<\\\"'=:-jvebofsu";
    let mut k = 0;
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        t[bytes[k].to_ascii_uppercase() as usize] = true;
        k += 1;
    }
    t
};

/// Local equivalent of `landing.repo.checkContent`: every spot Bitrix24's content filter
/// would mark. An empty result means the portal will accept the content.
pub fn check_content(html: &str) -> Vec<ContentProblem> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, kind: &'static str, message: Text| {
        out.push(ContentProblem {
            offset: start,
            kind,
            snippet: snippet(html, start, end),
            message,
        });
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Most bytes (all of Cyrillic text) can start no pattern below.
        if !STARTS_PATTERN[b as usize] {
            i += 1;
            continue;
        }
        // Active tags.
        if b == b'<' {
            let at = skip_gap(bytes, i + 1, Gap::Tight);
            for tag in TAGS {
                if let Some(end) = match_word(bytes, at, tag, Gap::Tight, false) {
                    if !bytes.get(end).copied().is_some_and(is_word) {
                        let name = tag.trim_start_matches('/');
                        push(
                            i,
                            end,
                            "tag",
                            t!(
                                "тег <{name}> запрещён фильтром Битрикс24",
                                "the <{name}> tag is refused by the Bitrix24 filter"
                            ),
                        );
                        break;
                    }
                }
            }
            if html[i..].starts_with("<!--'start_frame_cache_")
                || html[i..].starts_with("<!--'end_frame_cache_")
            {
                push(
                    i,
                    i + 20,
                    "tag",
                    t!(
                        "служебный комментарий кэша запрещён",
                        "a cache frame comment is refused"
                    ),
                );
            }
        }
        let lower = b.to_ascii_lowercase();
        let hex_start = b == b'\\';
        // Scripting schemes: javascript: / vbscript: (any place, not only in attributes).
        if matches!(lower, b'j' | b'v') || hex_start {
            for (word, name) in [("javascript", "javascript:"), ("vbscript", "vbscript:")] {
                if let Some(end) = match_word(bytes, i, word, Gap::Spaced, true) {
                    let end = skip_gap(bytes, end, Gap::Spaced);
                    if let Some(end) = match_colon_or_eq(bytes, end) {
                        push(
                            i,
                            end,
                            "scheme",
                            t!(
                                "«{name}» запрещено фильтром Битрикс24 (даже в тексте)",
                                "\"{name}\" is refused by the Bitrix24 filter (even in text)"
                            ),
                        );
                    }
                }
            }
        }
        if lower == b'e' || hex_start {
            if let Some(end) = match_word(bytes, i, "expression", Gap::Commented, true) {
                let end = skip_gap(bytes, end, Gap::Commented);
                if bytes.get(end) == Some(&b'(') || html[end..].starts_with("\\28") {
                    push(
                        i,
                        end + 1,
                        "expression",
                        t!(
                            "CSS expression( запрещено фильтром Битрикс24",
                            "CSS expression( is refused by the Bitrix24 filter"
                        ),
                    );
                }
            }
        }
        if (lower == b'b' || hex_start) && starts_name(bytes, i) {
            if let Some(end) = match_word(bytes, i, "behavior", Gap::Tight, true) {
                let end = skip_ws(bytes, end);
                if let Some(end) = match_colon_or_eq(bytes, end) {
                    push(
                        i,
                        end,
                        "behavior",
                        t!(
                            "CSS behavior: запрещено фильтром Битрикс24",
                            "CSS behavior: is refused by the Bitrix24 filter"
                        ),
                    );
                }
            }
        }
        // Attribute-like names followed by `=`.
        if starts_name(bytes, i) && b.is_ascii_alphabetic() {
            if lower == b'o' {
                if let Some(end) = event_handler(bytes, i) {
                    let name = html[i..end].trim_end_matches(['=', ' ', '\t', '\n', '\r']);
                    push(
                        i,
                        end,
                        "event-handler",
                        t!(
                            "обработчик события «{name}=» запрещён фильтром Битрикс24 (даже в тексте)",
                            "the event handler \"{name}=\" is refused by the Bitrix24 filter (even in text)"
                        ),
                    );
                }
            }
            for (word, kind) in [
                ("formaction", "formaction"),
                ("seeksegmenttime", "legacy-attr"),
                ("fscommand", "legacy-attr"),
            ] {
                if let Some(end) = match_word(bytes, i, word, Gap::Tight, false) {
                    let end = skip_ws(bytes, end);
                    if bytes.get(end) == Some(&b'=') {
                        push(
                            i,
                            end + 1,
                            kind,
                            t!(
                                "атрибут «{word}=» запрещён фильтром Битрикс24",
                                "the \"{word}=\" attribute is refused by the Bitrix24 filter"
                            ),
                        );
                    }
                }
            }
            if lower == b's' {
                if let Some(end) = match_word(bytes, i, "style", Gap::Tight, false) {
                    let eq = skip_ws(bytes, end);
                    if bytes.get(eq) == Some(&b'=') && !style_value_is_plain(&html[eq + 1..]) {
                        push(
                            i,
                            eq + 1,
                            "style-attr",
                            t!(
                                "встроенный style= с функциями (url(), var(), calc()…) или сложным значением вырезается фильтром Битрикс24",
                                "an inline style= with functions (url(), var(), calc()…) or a complex value is refused by the Bitrix24 filter"
                            ),
                        );
                    }
                }
            }
        }
        // data: URLs after a quote, `=` or `:`.
        if matches!(b, b'"' | b'\'' | b'=' | b':') {
            let at = skip_gap(bytes, i + 1, Gap::Spaced);
            if let Some(end) = match_word(bytes, at, "data", Gap::Tight, false) {
                let end = skip_gap(bytes, end, Gap::Tight);
                if bytes.get(end) == Some(&b':') {
                    let rest = &html[end + 1..];
                    let allowed = rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
                        || rest
                            .get(..5)
                            .is_some_and(|s| s.eq_ignore_ascii_case("image"));
                    if !allowed {
                        push(
                            at,
                            end + 1,
                            "data-url",
                            t!(
                                "адрес data: (кроме data:image) запрещён фильтром Битрикс24",
                                "a data: URL (other than data:image) is refused by the Bitrix24 filter"
                            ),
                        );
                    }
                }
            }
        }
        if lower == b'u' {
            if let Some(end) = match_word(bytes, i, "urn:schemas-microsoft-com:", Gap::Tight, false)
            {
                push(
                    i,
                    end,
                    "ms-urn",
                    t!(
                        "urn:schemas-microsoft-com: запрещено фильтром Битрикс24",
                        "urn:schemas-microsoft-com: is refused by the Bitrix24 filter"
                    ),
                );
            }
        }
        if b == b'-' {
            if let Some(end) = match_word(bytes, i, "-moz-binding", Gap::Tight, false) {
                let end = skip_ws(bytes, end);
                if bytes.get(end) == Some(&b':') {
                    let u = skip_ws(bytes, end + 1);
                    if let Some(end) = match_word(bytes, u, "url", Gap::Tight, false) {
                        push(
                            i,
                            end,
                            "moz-binding",
                            t!(
                                "-moz-binding запрещено фильтром Битрикс24",
                                "-moz-binding is refused by the Bitrix24 filter"
                            ),
                        );
                    }
                }
            }
        }
        i += 1;
    }
    out
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b'\\' || *b == 0x0b)
    {
        at += 1;
    }
    at
}

/// `on` followed by at least three letters (gaps allowed) and `=`.
fn event_handler(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = match_word(bytes, at, "on", Gap::Tight, false)?;
    let mut letters = 0;
    loop {
        let j = skip_gap(bytes, i, Gap::Tight);
        match bytes.get(j) {
            Some(b) if b.is_ascii_alphabetic() => {
                letters += 1;
                i = j + 1;
            }
            _ => break,
        }
    }
    if letters < 3 {
        return None;
    }
    let eq = skip_ws(bytes, i);
    (bytes.get(eq) == Some(&b'=')).then_some(eq + 1)
}

/// Whether a `style=` value (the text right after `=`) is what the filter lets through:
/// a quoted list of `property: value` declarations built of letters, digits, spaces and
/// `%,.#!-'"/`, `rgb(…)` of numbers, or a background with `url(…)`.
fn style_value_is_plain(after_eq: &str) -> bool {
    let s = after_eq.trim_start();
    let (quote, rest) = if let Some(r) = s.strip_prefix("&quot;") {
        ("&quot;", r)
    } else if let Some(r) = s.strip_prefix('"') {
        ("\"", r)
    } else if let Some(r) = s.strip_prefix('\'') {
        ("'", r)
    } else {
        return false;
    };
    let Some(end) = rest.find(quote) else {
        return false;
    };
    let value = &rest[..end];
    value
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .all(declaration_is_plain)
}

fn declaration_is_plain(decl: &str) -> bool {
    let Some((prop, value)) = decl.split_once(':') else {
        return false;
    };
    let prop = prop.trim().to_ascii_lowercase();
    if prop.is_empty() || !prop.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        return false;
    }
    let value = value.trim();
    if prop == "background-image" || prop == "background" {
        if let Some(inner) = value.strip_prefix("url(").and_then(|v| v.strip_suffix(')')) {
            return !inner.contains(')');
        }
    }
    // rgb(1, 2, 3) is the only function allowed.
    let mut v = value.to_ascii_lowercase();
    while let Some(p) = v.find("rgb(") {
        let Some(close) = v[p..].find(')') else {
            return false;
        };
        let args = &v[p + 4..p + close];
        if !args
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b.is_ascii_whitespace())
        {
            return false;
        }
        v.replace_range(p..p + close + 1, "");
    }
    let v = v.trim_end_matches("!important").trim_end();
    v.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || b.is_ascii_whitespace()
            || matches!(
                b,
                b'%' | b',' | b'.' | b'#' | b'!' | b'-' | b'\'' | b'"' | b'/'
            )
    })
}

fn snippet(html: &str, start: usize, end: usize) -> String {
    let mut end = end.min(html.len()).max(start);
    while !html.is_char_boundary(end) {
        end += 1;
    }
    let s = &html[start..end];
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<&'static str> {
        check_content(html).into_iter().map(|p| p.kind).collect()
    }

    #[test]
    fn documented_example_is_bad_in_two_places() {
        // The example of the landing.repo.checkContent documentation: onclick and iframe.
        let html = r#"<div style="color: red" onclick="alert(123)"><iframe src="//evil.com"></iframe></div>"#;
        let problems = check_content(html);
        assert_eq!(kinds(html), vec!["event-handler", "tag"]);
        assert_eq!(problems[0].offset, html.find("onclick").unwrap());
        assert_eq!(problems[1].offset, html.find("<iframe").unwrap());
    }

    #[test]
    fn plain_markup_passes() {
        let html = r##"<section class="landing-block bxl-hero"><div class="container"><h1 class="bxl-node-title">Вебинар: CRM — от заявки до сделки</h1><p class="bxl-node-text" style="color: #333; font-size: 16px">Online, бесплатно (нужна регистрация)</p><img src="data:image/png;base64,iVBOR" alt=""><a href="https://example.kz/page?a=1&amp;b=2">Ссылка</a><div class="bitrix24forms" data-b24form="#crmFormInline12" data-b24form-use-style="Y"></div></div></section>"##;
        assert!(check_content(html).is_empty(), "{:?}", check_content(html));
    }

    #[test]
    fn active_tags_are_caught_but_not_longer_names() {
        assert_eq!(kinds("<script>alert(1)</script>"), vec!["tag", "tag"]);
        assert_eq!(kinds("<SCRIPT src=x>"), vec!["tag"]);
        assert_eq!(kinds("<sc\tript>"), vec!["tag"]);
        assert_eq!(kinds(r#"<svg viewBox="0 0 1 1"></svg>"#), vec!["tag"]);
        assert_eq!(kinds("<form action=/x>"), vec!["tag"]);
        assert_eq!(kinds("<style>.a{}</style>"), vec!["tag"]);
        assert_eq!(
            kinds(r#"<link rel="stylesheet" href="x.css">"#),
            vec!["tag"]
        );
        assert_eq!(kinds(r#"<meta http-equiv="refresh">"#), vec!["tag"]);
        assert_eq!(kinds("<object data=x>"), vec!["tag"]);
        assert_eq!(kinds("<embed src=x>"), vec!["tag"]);
        assert_eq!(kinds("<math>"), vec!["tag"]);
        assert_eq!(kinds("<!DOCTYPE html>"), vec!["tag"]);
        assert!(kinds("<formula>x</formula><stylesheet>").is_empty());
        assert!(kinds("<b>bold</b><base64>").is_empty());
    }

    #[test]
    fn scripting_schemes_even_in_text_and_obfuscated() {
        assert_eq!(
            kinds(r#"<a href="javascript:alert(1)">x</a>"#),
            vec!["scheme"]
        );
        assert_eq!(
            kinds(r#"<a href="JaVa&#x09;Script:x">"#),
            Vec::<&str>::new()
        );
        assert_eq!(kinds("<a href=\"java\tscript:x\">"), vec!["scheme"]);
        assert_eq!(kinds(r#"<a href="java script:x">"#), vec!["scheme"]);
        assert_eq!(kinds(r#"<a href="\6a avascript:x">"#), vec!["scheme"]);
        assert_eq!(kinds("<p>Курс JavaScript: основы</p>"), vec!["scheme"]);
        assert_eq!(kinds("<p>vbscript=1</p>"), vec!["scheme"]);
        assert!(kinds("<p>JavaScript &#58; основы</p>").is_empty());
    }

    #[test]
    fn event_handlers_need_three_letters_and_a_name_start() {
        assert_eq!(
            kinds(r#"<img src=x onerror=alert(1)>"#),
            vec!["event-handler"]
        );
        assert_eq!(kinds(r#"<body ONLOAD = "x">"#), vec!["event-handler"]);
        assert_eq!(kinds("<p>online=бесплатно</p>"), vec!["event-handler"]);
        assert!(kinds(r#"<p data-onion="1" button="x">on=1 one=2</p>"#).is_empty());
        assert!(kinds("<p>only you = me</p>").is_empty());
    }

    #[test]
    fn inline_styles_with_functions_are_refused() {
        assert_eq!(
            kinds(r#"<div style="background: var(--accent)">"#),
            vec!["style-attr"]
        );
        assert_eq!(
            kinds(r#"<div style="width: calc(100% - 2rem)">"#),
            vec!["style-attr"]
        );
        assert_eq!(
            kinds(r#"<div style="color: red; width: expression(alert(1))">"#),
            vec!["style-attr", "expression"]
        );
        assert_eq!(kinds("<div style=color:red>"), vec!["style-attr"]);
        assert!(
            kinds(r#"<div style="color: rgb(1, 2, 3); margin: 0 auto !important">"#).is_empty()
        );
        assert!(kinds(r#"<div style="background-image: url(https://x.kz/a.png)">"#).is_empty());
        assert!(kinds(r#"<div data-style="x" bxstyle="a">"#).is_empty());
    }

    #[test]
    fn data_urls_other_than_images() {
        assert_eq!(
            kinds(r#"<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>"#),
            vec!["data-url"]
        );
        assert!(kinds(r#"<img src="data:image/svg+xml;base64,PHN2Zz4=">"#).is_empty());
        assert!(kinds("<p>Big data: 2027</p>").is_empty());
    }

    #[test]
    fn css_tricks() {
        assert_eq!(kinds("<p>x{behavior: url(a.htc)}</p>"), vec!["behavior"]);
        assert_eq!(
            kinds("<p>x{-moz-binding: url(a.xml)}</p>"),
            vec!["moz-binding"]
        );
        assert_eq!(
            kinds("<p>urn:schemas-microsoft-com:vml</p>"),
            vec!["ms-urn"]
        );
        assert_eq!(
            kinds(r#"<button formaction="https://x">"#),
            vec!["formaction"]
        );
    }

    #[test]
    fn snippets_respect_char_boundaries() {
        let html = "Привет <iframe>";
        let p = check_content(html);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].snippet, "<iframe");
        assert_eq!(&html[p[0].offset..p[0].offset + 7], "<iframe");
    }
}
