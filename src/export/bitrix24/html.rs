//! Turning a theme section into block content the Bitrix24 filter accepts: a small HTML
//! tokenizer and the safe rewrites (inline `style=` → a class and a CSS rule, `<style>` → CSS,
//! decorative inline `<svg>` icons dropped, comments dropped, text that trips the filter written
//! with character references). What cannot be rewritten safely is left in place for
//! [`super::check_content`] to refuse.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::check_content;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: String,
    /// The raw value as written (entities not decoded); `None` for a bare attribute.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Text(String),
    Comment(String),
    /// `<!DOCTYPE …>` and other `<!…>` declarations.
    Decl(String),
    Start {
        name: String,
        attrs: Vec<Attr>,
        self_closing: bool,
    },
    End(String),
    /// The content of `<script>` / `<style>`, kept verbatim.
    Raw(String),
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

pub fn is_void(name: &str) -> bool {
    VOID.contains(&name)
}

/// Splits HTML into tokens. Lenient: a `<` that does not open a tag is text.
pub fn tokenize(html: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < html.len() {
        if bytes[i] != b'<' {
            let next = html[i..].find('<').map(|p| p + i).unwrap_or(html.len());
            text.push_str(&html[i..next]);
            i = next;
            continue;
        }
        let rest = &html[i..];
        let flush = |text: &mut String, out: &mut Vec<Token>| {
            if !text.is_empty() {
                out.push(Token::Text(std::mem::take(text)));
            }
        };
        if let Some(body) = rest.strip_prefix("<!--") {
            flush(&mut text, &mut out);
            let end = body.find("-->").unwrap_or(body.len());
            out.push(Token::Comment(body[..end].to_string()));
            i += 4 + (end + 3).min(body.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            flush(&mut text, &mut out);
            let end = rest.find('>').map(|p| p + 1).unwrap_or(rest.len());
            out.push(Token::Decl(rest[..end].to_string()));
            i += end;
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = if closing { 2 } else { 1 };
        let name_len = rest[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
            .count();
        if name_len == 0 || !rest.as_bytes()[name_start].is_ascii_alphabetic() {
            text.push('<');
            i += 1;
            continue;
        }
        flush(&mut text, &mut out);
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        let mut j = name_start + name_len;
        if closing {
            let end = rest[j..].find('>').map(|p| p + j + 1).unwrap_or(rest.len());
            out.push(Token::End(name));
            i += end;
            continue;
        }
        let (attrs, self_closing, consumed) = parse_attrs(&rest[j..]);
        j += consumed;
        i += j;
        let raw = name == "script" || name == "style";
        out.push(Token::Start {
            name: name.clone(),
            attrs,
            self_closing,
        });
        if raw {
            let body = &html[i..];
            let close = format!("</{name}");
            let end = find_ci(body, &close).unwrap_or(body.len());
            out.push(Token::Raw(body[..end].to_string()));
            i += end;
        }
    }
    if !text.is_empty() {
        out.push(Token::Text(text));
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Attributes after the tag name, up to and including `>`.
fn parse_attrs(s: &str) -> (Vec<Attr>, bool, usize) {
    let b = s.as_bytes();
    let mut attrs = Vec::new();
    let mut i = 0;
    let mut self_closing = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, self_closing, i);
        }
        match b[i] {
            b'>' => return (attrs, self_closing, i + 1),
            b'/' => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if i == start {
            i += 1; // a stray `=`
            continue;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut k = i;
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        if k < b.len() && b[k] == b'=' {
            k += 1;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let value;
            if k < b.len() && (b[k] == b'"' || b[k] == b'\'') {
                let q = b[k];
                let vstart = k + 1;
                let vend = s[vstart..]
                    .bytes()
                    .position(|c| c == q)
                    .map(|p| p + vstart)
                    .unwrap_or(s.len());
                value = s[vstart..vend].to_string();
                i = (vend + 1).min(s.len());
            } else {
                let vstart = k;
                while k < b.len() && !b[k].is_ascii_whitespace() && b[k] != b'>' {
                    k += 1;
                }
                value = s[vstart..k].to_string();
                i = k;
            }
            attrs.push(Attr {
                name,
                value: Some(value),
            });
        } else {
            attrs.push(Attr { name, value: None });
        }
    }
}

/// Writes tokens back as HTML; attribute values are always double-quoted.
pub fn serialize(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        match t {
            Token::Text(s) | Token::Raw(s) => out.push_str(s),
            Token::Comment(s) => {
                out.push_str("<!--");
                out.push_str(s);
                out.push_str("-->");
            }
            Token::Decl(s) => out.push_str(s),
            Token::Start {
                name,
                attrs,
                self_closing,
            } => {
                out.push('<');
                out.push_str(name);
                for a in attrs {
                    out.push(' ');
                    out.push_str(&a.name);
                    if let Some(v) = &a.value {
                        out.push_str("=\"");
                        out.push_str(&v.replace('"', "&quot;"));
                        out.push('"');
                    }
                }
                if *self_closing {
                    out.push_str(" /");
                }
                out.push('>');
            }
            Token::End(name) => {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
    out
}

/// What [`prepare`] did to a section, for the export notes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub html: String,
    /// CSS rules moved out of the markup (inline `style=` and `<style>` elements).
    pub css: String,
    pub moved_styles: usize,
    pub dropped_icons: usize,
    pub escaped_texts: usize,
    /// The editable node classes present: `bxl-node-title`, `bxl-node-text`, `bxl-node-img`.
    pub nodes: BTreeSet<&'static str>,
}

pub const NODE_TITLE: &str = "bxl-node-title";
pub const NODE_TEXT: &str = "bxl-node-text";
pub const NODE_IMG: &str = "bxl-node-img";

fn node_class(tag: &str) -> Option<&'static str> {
    match tag {
        "h1" | "h2" | "h3" | "h4" => Some(NODE_TITLE),
        "p" | "li" => Some(NODE_TEXT),
        "img" => Some(NODE_IMG),
        _ => None,
    }
}

fn attr<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.value.as_deref().unwrap_or(""))
}

fn add_class(attrs: &mut Vec<Attr>, class: &str) {
    match attrs.iter_mut().find(|a| a.name == "class") {
        Some(a) => {
            let v = a.value.get_or_insert_with(String::new);
            if !v.split_whitespace().any(|c| c == class) {
                if !v.trim().is_empty() {
                    v.push(' ');
                }
                v.push_str(class);
            }
        }
        None => attrs.push(Attr {
            name: "class".into(),
            value: Some(class.into()),
        }),
    }
}

/// Whether the element whose start tag precedes `rest` contains an `<img>` before it closes.
fn holds_img(rest: &[Token], name: &str) -> bool {
    let mut depth = 0usize;
    for t in rest {
        match t {
            Token::Start {
                name: n,
                self_closing,
                ..
            } => {
                if n == "img" {
                    return true;
                }
                if n == name && !self_closing {
                    depth += 1;
                }
            }
            Token::End(n) if n == name => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    false
}

/// Rewrites one section's markup into block content (see the module doc).
pub fn prepare(html: &str) -> Prepared {
    let mut tokens = tokenize(html);
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut p = Prepared::default();
    let mut seen_rules = BTreeSet::new();
    // Open elements: (name, marked as an editable node).
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Comment(_) | Token::Decl(_) => {}
            Token::Start { name, .. } if name == "style" => {
                if let Some(Token::Raw(css)) = tokens.get(i + 1) {
                    p.css.push_str(css.trim());
                    p.css.push('\n');
                    p.moved_styles += 1;
                    i += 1;
                }
                if matches!(tokens.get(i + 1), Some(Token::End(n)) if n == "style") {
                    i += 1;
                }
            }
            Token::Start { name, attrs, .. } if name == "svg" => {
                let end = matching_end(&tokens, i, "svg");
                if svg_is_decorative(attrs, &tokens[i..end]) {
                    p.dropped_icons += 1;
                    i = end;
                    continue;
                }
                out.extend_from_slice(&tokens[i..end]);
                i = end;
                continue;
            }
            Token::Start { .. } => {
                // Nothing looks back at a token once it is passed: take it instead of a copy.
                let Token::Start {
                    name,
                    mut attrs,
                    self_closing,
                } = std::mem::replace(&mut tokens[i], Token::Text(String::new()))
                else {
                    unreachable!("matched a start tag")
                };
                if let Some(pos) = attrs.iter().position(|a| a.name == "style") {
                    let style = attrs.remove(pos).value.unwrap_or_default();
                    let style = style.trim().trim_end_matches(';').trim().to_string();
                    if !style.is_empty() {
                        let class = style_class(&style);
                        if seen_rules.insert(class.clone()) {
                            p.css.push_str(&format!(".{class}{{{style}}}\n"));
                        }
                        add_class(&mut attrs, &class);
                        p.moved_styles += 1;
                    }
                }
                // Plain-text attributes that trip the filter get character references; never
                // URLs (`href="javascript&#58;…"` would be decoded back by the browser).
                for a in attrs.iter_mut() {
                    if TEXT_ATTRS.contains(&a.name.as_str()) {
                        if let Some(v) = a.value.as_mut() {
                            if !check_content(v).is_empty() {
                                *v = escape_text(v);
                                p.escaped_texts += 1;
                            }
                        }
                    }
                }
                let inside_node = stack.iter().any(|(_, marked)| *marked);
                // An element holding an image is not a text node: the image gets its own
                // `img` node, which the editor can replace.
                let node = node_class(&name).filter(|c| {
                    !inside_node
                        && (*c == NODE_IMG
                            || is_void(&name)
                            || self_closing
                            || !holds_img(&tokens[i + 1..], &name))
                });
                if let Some(class) = node {
                    add_class(&mut attrs, class);
                    p.nodes.insert(class);
                }
                if !is_void(&name) && !self_closing {
                    stack.push((name.clone(), node.is_some()));
                }
                out.push(Token::Start {
                    name,
                    attrs,
                    self_closing,
                });
            }
            Token::End(name) => {
                if let Some(pos) = stack.iter().rposition(|(n, _)| n == name) {
                    stack.truncate(pos);
                }
                out.push(std::mem::replace(
                    &mut tokens[i],
                    Token::Text(String::new()),
                ));
            }
            Token::Text(t) => {
                if check_content(t).is_empty() {
                    out.push(std::mem::replace(
                        &mut tokens[i],
                        Token::Text(String::new()),
                    ));
                } else {
                    p.escaped_texts += 1;
                    out.push(Token::Text(escape_text(t)));
                }
            }
            Token::Raw(_) => out.push(std::mem::replace(
                &mut tokens[i],
                Token::Text(String::new()),
            )),
        }
        i += 1;
    }
    p.html = serialize(&out);
    p
}

/// Attributes whose value is shown as text, never followed as a URL.
const TEXT_ATTRS: &[&str] = &["alt", "title", "aria-label", "placeholder"];

fn escape_text(t: &str) -> String {
    t.replace(':', "&#58;")
        .replace('=', "&#61;")
        .replace('(', "&#40;")
}

/// The index just past the end tag that closes the element opened at `start`.
fn matching_end(tokens: &[Token], start: usize, name: &str) -> usize {
    if matches!(
        &tokens[start],
        Token::Start {
            self_closing: true,
            ..
        }
    ) {
        return start + 1;
    }
    let mut depth = 0usize;
    for (k, t) in tokens.iter().enumerate().skip(start) {
        match t {
            Token::Start {
                name: n,
                self_closing: false,
                ..
            } if n == name => depth += 1,
            Token::End(n) if n == name => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// An icon is decorative when it is hidden from assistive technology or carries no name:
/// no `aria-label`, no `role="img"`, no `<title>`.
fn svg_is_decorative(attrs: &[Attr], inner: &[Token]) -> bool {
    if attr(attrs, "aria-hidden") == Some("true") {
        return true;
    }
    let named = attr(attrs, "aria-label").is_some_and(|v| !v.trim().is_empty())
        || attr(attrs, "aria-labelledby").is_some()
        || attr(attrs, "role") == Some("img")
        || inner
            .iter()
            .any(|t| matches!(t, Token::Start { name, .. } if name == "title"));
    !named
}

fn style_class(style: &str) -> String {
    let hash = Sha256::digest(style.as_bytes());
    let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("bxl-s-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenize_and_serialize_round_trip_normalises_quotes() {
        let html = r#"<p class=lead data-x='a"b'>Текст <b>жирный</b><br/></p><!-- c -->"#;
        let tokens = tokenize(html);
        assert_eq!(
            serialize(&tokens),
            r#"<p class="lead" data-x="a&quot;b">Текст <b>жирный</b><br /></p><!-- c -->"#
        );
    }

    #[test]
    fn a_lone_less_than_is_text() {
        let tokens = tokenize("1 < 2 <3");
        assert_eq!(tokens, vec![Token::Text("1 < 2 <3".into())]);
    }

    #[test]
    fn inline_styles_move_into_css_with_a_stable_class() {
        let p = prepare(
            r#"<div class="card" style="background: var(--accent); color: #fff;">x</div><span style="background: var(--accent); color: #fff">y</span>"#,
        );
        assert!(!p.html.contains("style="), "{}", p.html);
        let class = style_class("background: var(--accent); color: #fff");
        assert!(
            p.html.contains(&format!(r#"class="card {class}""#)),
            "{}",
            p.html
        );
        assert!(p.html.contains(&format!(r#"<span class="{class}">"#)));
        assert_eq!(
            p.css,
            format!(".{class}{{background: var(--accent); color: #fff}}\n")
        );
        assert_eq!(p.moved_styles, 2);
        assert!(check_content(&p.html).is_empty());
    }

    #[test]
    fn style_elements_move_into_css() {
        let p = prepare("<style>.a{color:red}</style><p>x</p>");
        assert_eq!(p.css, ".a{color:red}\n");
        assert_eq!(p.html, r#"<p class="bxl-node-text">x</p>"#);
    }

    #[test]
    fn decorative_svg_is_dropped_named_svg_is_kept_for_refusal() {
        let p = prepare(
            r#"<li><svg aria-hidden="true" viewBox="0 0 8 8"><path d="M0 0h8v8z"/></svg>Пункт</li>"#,
        );
        assert_eq!(p.html, r#"<li class="bxl-node-text">Пункт</li>"#);
        assert_eq!(p.dropped_icons, 1);
        let p = prepare(
            r#"<p><svg role="img" aria-label="Логотип"><title>Логотип</title><rect/></svg></p>"#,
        );
        assert_eq!(p.dropped_icons, 0);
        assert!(!check_content(&p.html).is_empty());
    }

    #[test]
    fn text_that_trips_the_filter_is_written_with_references() {
        let p = prepare("<h2>JavaScript: основы</h2><p>Формат online=бесплатно</p>");
        assert_eq!(
            p.html,
            r#"<h2 class="bxl-node-title">JavaScript&#58; основы</h2><p class="bxl-node-text">Формат online&#61;бесплатно</p>"#
        );
        assert_eq!(p.escaped_texts, 2);
        assert!(check_content(&p.html).is_empty());
    }

    #[test]
    fn text_attributes_are_escaped_but_urls_never() {
        let p = prepare(r#"<img src="a.png" alt="Курс JavaScript: основы">"#);
        assert!(
            p.html.contains(r#"alt="Курс JavaScript&#58; основы""#),
            "{}",
            p.html
        );
        assert!(check_content(&p.html).is_empty());
        let p = prepare(r#"<a href="javascript:alert(1)" title="x">x</a>"#);
        assert!(p.html.contains(r#"href="javascript:alert(1)""#));
        assert!(!check_content(&p.html).is_empty());
    }

    #[test]
    fn nodes_are_not_nested_and_comments_go() {
        let p =
            prepare("<ul><li><p>a</p></li></ul><!-- x --><img src=\"data:image/png;base64,AA\">");
        assert_eq!(
            p.html,
            r#"<ul><li class="bxl-node-text"><p>a</p></li></ul><img src="data:image/png;base64,AA" class="bxl-node-img">"#
        );
        assert_eq!(
            p.nodes.iter().copied().collect::<Vec<_>>(),
            vec![NODE_IMG, NODE_TEXT]
        );
    }

    #[test]
    fn scripts_and_iframes_stay_for_the_checker_to_refuse() {
        let p = prepare(r#"<script>alert(1)</script><iframe src="https://x"></iframe>"#);
        let kinds: Vec<_> = check_content(&p.html).iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec!["tag", "tag", "tag"]);
    }
}
