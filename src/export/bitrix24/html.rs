//! Turning a theme section into block content the Bitrix24 filter accepts: the safe rewrites
//! (inline `style=` → a class and a CSS rule, `<style>` → CSS, decorative inline `<svg>` icons
//! dropped, comments dropped, text that trips the filter written with character references),
//! done by lol_html's streaming rewriter. Text, end tags and everything the rewrites leave
//! alone pass through byte for byte; start tags are written again with every value
//! double-quoted (see [`start_tag`]). What cannot be rewritten safely is left in place for
//! [`super::check_content`] to refuse.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use lol_html::html_content::{Attribute, ContentType, Element, EndTag, TextType};
use lol_html::{doc_comments, doc_text, doctype, element, rewrite_str, RewriteStrSettings};
use sha2::{Digest, Sha256};

use super::check_content;

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

#[derive(Debug, Clone, PartialEq, Eq)]
struct Attr {
    /// Lowercase.
    name: String,
    /// The value as written (entities not decoded); `None` for a bare attribute.
    value: Option<String>,
}

impl From<&Attribute<'_>> for Attr {
    fn from(a: &Attribute<'_>) -> Self {
        // As parsed, a bare attribute has a place for its name and none for its value.
        let bare = a.name_source_location().is_some() && a.value_source_location().is_none();
        Attr {
            name: a.name(),
            value: (!bare).then(|| a.value()),
        }
    }
}

fn attr<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.value.as_deref().unwrap_or(""))
}

/// Adds `class` to the `class` attribute (appended as the last attribute when there is none),
/// unless it is there already.
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

/// A start tag as block content carries it: lowercase names, every value double-quoted.
/// The publish step finds the files a block refers to as `src="…"` / `href="…"` and puts the
/// portal's URLs there, and the sections come minified, values unquoted where they can be.
fn start_tag(name: &str, attrs: &[Attr], self_closing: bool) -> String {
    let mut out = String::with_capacity(64);
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
    if self_closing {
        out.push_str(" /");
    }
    out.push('>');
    out
}

fn write_start_tag(el: &mut Element, name: &str, attrs: &[Attr]) {
    let tag = start_tag(name, attrs, el.is_self_closing());
    el.start_tag().replace(&tag, ContentType::Html);
}

/// Where an element starts in the section's source: the key that ties what the look-ahead
/// pass learnt about an element to the same element in the rewriting pass.
fn start_of(el: &Element) -> usize {
    el.source_location().bytes().start
}

/// What the rewriting needs to know about an element before its content streams past: which
/// `<svg>` holds a `<title>` and which text-node candidate (`h1`–`h4`, `p`, `li`) holds an
/// `<img>`. Both are the start offsets of those elements, ascending.
#[derive(Default)]
struct Lookahead {
    titled_svgs: Vec<usize>,
    img_holders: Vec<usize>,
}

#[derive(Default)]
struct Open {
    /// Start offsets of the open `<svg>` and text-node candidates, and whether each holds a
    /// `<title>` / `<img>`.
    svgs: Vec<(usize, bool)>,
    nodes: Vec<(usize, bool)>,
    seen: Lookahead,
}

fn close(open: &mut Vec<(usize, bool)>, into: &mut Vec<usize>) {
    if let Some((at, true)) = open.pop() {
        into.push(at);
    }
}

/// Elements that only [`lookahead`] looks at: without them it has nothing to find.
fn may_need_lookahead(html: &str) -> bool {
    let b = html.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| {
        let name = &b[i + 1..(i + 4).min(b.len())];
        name.eq_ignore_ascii_case(b"svg") || name.eq_ignore_ascii_case(b"img")
    })
}

/// A first parse of the section, recording what [`Lookahead`] holds.
fn lookahead(html: &str) -> Lookahead {
    if !may_need_lookahead(html) {
        return Lookahead::default();
    }
    let open = Rc::new(RefCell::new(Open::default()));
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("svg", |el| {
            if el.can_have_content() {
                open.borrow_mut().svgs.push((start_of(el), false));
                let open = open.clone();
                el.on_end_tag(Box::new(move |_: &mut EndTag| {
                    let o = &mut *open.borrow_mut();
                    close(&mut o.svgs, &mut o.seen.titled_svgs);
                    Ok(())
                }))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("svg title", |_| {
            for s in &mut open.borrow_mut().svgs {
                s.1 = true;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("h1, h2, h3, h4, p, li", |el| {
            if el.can_have_content() {
                open.borrow_mut().nodes.push((start_of(el), false));
                let open = open.clone();
                el.on_end_tag(Box::new(move |_: &mut EndTag| {
                    let o = &mut *open.borrow_mut();
                    close(&mut o.nodes, &mut o.seen.img_holders);
                    Ok(())
                }))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("img", |_| {
            for n in &mut open.borrow_mut().nodes {
                n.1 = true;
            }
            Ok(())
        }));
    // Nothing here can fail: the handlers return no errors and UTF-8 is always supported.
    let _ = rewrite_str(html, settings);
    let mut o = std::mem::take(&mut *open.borrow_mut());
    // An element left open at the end still counts (the old scanner looked to the end).
    while !o.svgs.is_empty() {
        close(&mut o.svgs, &mut o.seen.titled_svgs);
    }
    while !o.nodes.is_empty() {
        close(&mut o.nodes, &mut o.seen.img_holders);
    }
    o.seen.titled_svgs.sort_unstable();
    o.seen.img_holders.sort_unstable();
    o.seen
}

/// The rewriting pass's running state.
#[derive(Default)]
struct State {
    p: Prepared,
    seen_rules: BTreeSet<String>,
    /// Depth inside `<svg>`: an icon that stays is copied as it is, nothing in it rewritten.
    in_svg: usize,
    /// Marked node elements open around the current point: nodes are not nested.
    in_node: usize,
    /// The text of the `<style>` element being moved, while it streams past.
    style: Option<String>,
    /// A text node's chunks so far (a node can arrive in several).
    text: String,
}

impl State {
    fn end_style(&mut self) {
        if let Some(css) = self.style.take() {
            self.p.css.push_str(css.trim());
            self.p.css.push('\n');
        }
    }
}

/// Rewrites one section's markup into block content (see the module doc).
pub fn prepare(html: &str) -> Prepared {
    let seen = lookahead(html);
    let st = Rc::new(RefCell::new(State::default()));
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", |el| {
            let name = el.tag_name();
            let mut attrs: Vec<Attr> = el.attributes().iter().map(Attr::from).collect();
            let mut s = st.borrow_mut();
            if s.in_svg > 0 || name == "svg" {
                if s.in_svg == 0 && svg_is_decorative(el, &attrs, &seen) {
                    el.remove();
                    s.p.dropped_icons += 1;
                } else {
                    write_start_tag(el, &name, &attrs);
                }
                if name == "svg" && el.can_have_content() {
                    s.in_svg += 1;
                    let st = st.clone();
                    el.on_end_tag(Box::new(move |_: &mut EndTag| {
                        st.borrow_mut().in_svg -= 1;
                        Ok(())
                    }))?;
                }
                return Ok(());
            }
            if name == "style" {
                el.remove();
                s.p.moved_styles += 1;
                s.style = Some(String::new());
                let st = st.clone();
                el.on_end_tag(Box::new(move |_: &mut EndTag| {
                    st.borrow_mut().end_style();
                    Ok(())
                }))?;
                return Ok(());
            }
            let s = &mut *s;
            if let Some(pos) = attrs.iter().position(|a| a.name == "style") {
                let style = attrs.remove(pos).value.unwrap_or_default();
                let style = style.trim().trim_end_matches(';').trim();
                if !style.is_empty() {
                    let class = style_class(style);
                    if !s.seen_rules.contains(&class) {
                        s.p.css.push_str(&format!(".{class}{{{style}}}\n"));
                        s.seen_rules.insert(class.clone());
                    }
                    add_class(&mut attrs, &class);
                    s.p.moved_styles += 1;
                }
            }
            // Plain-text attributes that trip the filter get character references; never
            // URLs (`href="javascript&#58;…"` would be decoded back by the browser).
            for a in attrs.iter_mut() {
                if TEXT_ATTRS.contains(&a.name.as_str()) {
                    if let Some(v) = a.value.as_mut() {
                        if !check_content(v).is_empty() {
                            *v = escape_text(v);
                            s.p.escaped_texts += 1;
                        }
                    }
                }
            }
            // An element holding an image is not a text node: the image gets its own `img`
            // node, which the editor can replace.
            let node = node_class(&name).filter(|c| {
                s.in_node == 0
                    && (*c == NODE_IMG
                        || !el.can_have_content()
                        || seen.img_holders.binary_search(&start_of(el)).is_err())
            });
            if let Some(class) = node {
                add_class(&mut attrs, class);
                s.p.nodes.insert(class);
                if el.can_have_content() {
                    s.in_node += 1;
                    let st = st.clone();
                    el.on_end_tag(Box::new(move |_: &mut EndTag| {
                        st.borrow_mut().in_node -= 1;
                        Ok(())
                    }))?;
                }
            }
            write_start_tag(el, &name, &attrs);
            Ok(())
        }))
        .append_document_content_handler(doc_comments!(|c| {
            c.remove();
            Ok(())
        }))
        .append_document_content_handler(doctype!(|d| {
            d.remove();
            Ok(())
        }))
        .append_document_content_handler(doc_text!(|t| {
            let s = &mut *st.borrow_mut();
            if let Some(css) = s.style.as_mut() {
                // Removed with its element: only collected.
                css.push_str(t.as_str());
                return Ok(());
            }
            let shown = matches!(
                t.text_type(),
                TextType::Data | TextType::RCData | TextType::PlainText
            );
            if s.in_svg > 0 || !shown {
                return Ok(());
            }
            if !t.last_in_text_node() {
                s.text.push_str(t.as_str());
                t.set_str(String::new());
                return Ok(());
            }
            let buffered = !s.text.is_empty();
            if buffered {
                s.text.push_str(t.as_str());
            }
            let whole = if buffered {
                s.text.as_str()
            } else {
                t.as_str()
            };
            if !check_content(whole).is_empty() {
                let escaped = escape_text(whole);
                t.set_str(escaped);
                s.p.escaped_texts += 1;
            } else if buffered {
                t.set_str(s.text.clone());
            }
            s.text.clear();
            Ok(())
        }));
    // Nothing here can fail: no handler returns an error and UTF-8 is always supported.
    let out = rewrite_str(html, settings).unwrap_or_default();
    let mut s = std::mem::take(&mut *st.borrow_mut());
    // A `<style>` left open runs to the end of the section.
    s.end_style();
    s.p.html = out;
    s.p
}

/// `html` without the links to a relative `.ics` file (`<a>` elements whose `href` ends in
/// `.ics`, with their content): where the calendar file could not be put on the portal (or in
/// `blocks.json`, registered by hand), it would be a dead link.
pub fn drop_ics_links(html: &str) -> String {
    if !html.contains(".ics") {
        return html.to_string();
    }
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        r#"a[href$=".ics"]"#,
        |el| {
            el.remove();
            Ok(())
        }
    ));
    // Nothing here can fail: the handler returns no error and UTF-8 is always supported.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// Attributes whose value is shown as text, never followed as a URL.
const TEXT_ATTRS: &[&str] = &["alt", "title", "aria-label", "placeholder"];

fn escape_text(t: &str) -> String {
    t.replace(':', "&#58;")
        .replace('=', "&#61;")
        .replace('(', "&#40;")
}

/// An icon is decorative when it is hidden from assistive technology or carries no name:
/// no `aria-label`, no `role="img"`, no `<title>`.
fn svg_is_decorative(el: &Element, attrs: &[Attr], seen: &Lookahead) -> bool {
    if attr(attrs, "aria-hidden") == Some("true") {
        return true;
    }
    let named = attr(attrs, "aria-label").is_some_and(|v| !v.trim().is_empty())
        || attr(attrs, "aria-labelledby").is_some()
        || attr(attrs, "role") == Some("img")
        || seen.titled_svgs.binary_search(&start_of(el)).is_ok();
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

    /// Start tags are written again with double-quoted values (bare attributes stay bare);
    /// text and end tags pass through as written.
    #[test]
    fn start_tags_are_written_with_quoted_values() {
        let html =
            r#"<div class=lead data-x='a"b' hidden>Текст&nbsp;<b>жирный</b><br/></div><!-- c -->"#;
        let p = prepare(html);
        assert_eq!(
            p.html,
            r#"<div class="lead" data-x="a&quot;b" hidden>Текст&nbsp;<b>жирный</b><br /></div>"#
        );
        assert_eq!(
            p,
            Prepared {
                html: p.html.clone(),
                ..Prepared::default()
            }
        );
    }

    #[test]
    fn a_lone_less_than_is_text() {
        let p = prepare("1 < 2 <3");
        assert_eq!(p.html, "1 < 2 <3");
        assert_eq!(p.escaped_texts, 0);
    }

    #[test]
    fn a_title_inside_names_the_icon_and_an_image_inside_unmarks_the_text() {
        let p = prepare(
            r#"<p><svg viewBox="0 0 1 1"><g><title>Схема</title></g></svg></p><svg><path d="M0"/></svg><li><a href="/"><img src="a.png"></a></li><h2>Заголовок</h2>"#,
        );
        assert_eq!(p.dropped_icons, 1);
        assert_eq!(
            p.html,
            r#"<p class="bxl-node-text"><svg viewbox="0 0 1 1"><g><title>Схема</title></g></svg></p><li><a href="/"><img src="a.png" class="bxl-node-img"></a></li><h2 class="bxl-node-title">Заголовок</h2>"#
        );
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
    fn calendar_links_go_with_their_content_other_links_stay() {
        let html = r#"<p><a class="btn" href="assets/event.ics" download>Добавить <b>в календарь</b></a> <a href="https://x.kz/a.ics?x=1">x</a><a href=cal.ics>y</a></p>"#;
        assert_eq!(
            drop_ics_links(html),
            r#"<p> <a href="https://x.kz/a.ics?x=1">x</a></p>"#
        );
        assert_eq!(drop_ics_links("<p>a</p>"), "<p>a</p>");
    }

    #[test]
    fn scripts_and_iframes_stay_for_the_checker_to_refuse() {
        let p = prepare(r#"<script>alert(1)</script><iframe src="https://x"></iframe>"#);
        let kinds: Vec<_> = check_content(&p.html).iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec!["tag", "tag", "tag"]);
    }
}
