//! Context-specific escaping for everything an event puts into the exported PHP files.
//!
//! Event text never becomes PHP code: it is written only as single-quoted PHP literals
//! ([`php_sq`]), inside arrays built by [`Php`]. HTML fragments that render already escaped are
//! additionally made inert for PHP ([`inert_html`]), texts that go into Bitrix mail templates
//! cannot form a `#MACRO#` ([`mail_text`]), and plain text placed into HTML goes through [`html`].

/// A single-quoted PHP string literal holding `s` exactly: only `\` and `'` are special there.
pub fn php_sq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_php_sq(&mut out, s);
    out
}

/// [`php_sq`] written onto `out`: unescaped runs are copied whole, not char by char.
fn push_php_sq(out: &mut String, s: &str) {
    out.push('\'');
    let mut rest = s;
    while let Some(at) = rest.bytes().position(|b| b == b'\\' || b == b'\'') {
        out.push_str(&rest[..at]);
        out.push('\\');
        // Both special characters are one byte.
        out.push_str(&rest[at..=at]);
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('\'');
}

/// Plain text for HTML text or a double-quoted attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// An already-escaped HTML fragment, with every `<?` (a PHP open tag wherever the fragment may
/// end up outside a literal) turned into `&lt;?`, which a browser shows the same.
pub fn inert_html(fragment: &str) -> String {
    fragment.replace("<?", "&lt;?")
}

/// Text for a Bitrix mail template: `#` would start a macro (`#EMAIL#`), so it becomes the
/// full-width number sign `＃`, which reads the same and is never replaced.
pub fn mail_text(s: &str) -> String {
    s.replace('#', "＃")
}

/// A mail subject: one line (CR, LF and every other control character become one space), so
/// no event text can add a header line.
pub fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A PHP value written as source: strings are always single-quoted literals.
#[derive(Debug, Clone, PartialEq)]
pub enum Php {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<Php>),
    Map(Vec<(String, Php)>),
}

impl Php {
    pub fn s(v: impl Into<String>) -> Php {
        Php::Str(v.into())
    }

    pub fn map<K: Into<String>>(items: impl IntoIterator<Item = (K, Php)>) -> Php {
        Php::Map(items.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn strs<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Php {
        Php::List(items.into_iter().map(|s| Php::s(s.as_ref())).collect())
    }

    /// PHP source of the value (`array(...)` syntax, readable by any PHP version).
    pub fn source(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        let tabs = |out: &mut String, n: usize| out.extend(std::iter::repeat_n('\t', n));
        match self {
            Php::Str(s) => push_php_sq(out, s),
            Php::Int(i) => out.push_str(&i.to_string()),
            Php::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Php::List(items) => {
                out.push_str("array(\n");
                for item in items {
                    tabs(out, indent + 1);
                    item.write(out, indent + 1);
                    out.push_str(",\n");
                }
                tabs(out, indent);
                out.push(')');
            }
            Php::Map(items) => {
                out.push_str("array(\n");
                for (k, v) in items {
                    tabs(out, indent + 1);
                    push_php_sq(out, k);
                    out.push_str(" => ");
                    v.write(out, indent + 1);
                    out.push_str(",\n");
                }
                tabs(out, indent);
                out.push(')');
            }
        }
    }

    /// An upper bound of the length of [`Php::source`], to allocate once.
    fn source_len(&self, indent: usize) -> usize {
        match self {
            Php::Str(s) => 2 * s.len() + 2,
            Php::Int(_) => 20,
            Php::Bool(_) => 5,
            Php::List(items) => {
                8 + indent
                    + items
                        .iter()
                        .map(|v| indent + 3 + v.source_len(indent + 1))
                        .sum::<usize>()
            }
            Php::Map(items) => {
                8 + indent
                    + items
                        .iter()
                        .map(|(k, v)| indent + 9 + 2 * k.len() + v.source_len(indent + 1))
                        .sum::<usize>()
            }
        }
    }
}

/// A PHP file that only returns `value`, guarded against a direct web request.
pub fn data_file(comment: &str, value: &Php) -> String {
    let mut out = String::with_capacity(200 + comment.len() + value.source_len(0));
    out.push_str("<?php\n// ");
    out.push_str(comment);
    out.push_str("\n// Generated by bxland: data only, every string is a single-quoted literal.\nif (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) die();\n\nreturn ");
    value.write(&mut out, 0);
    out.push_str(";\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_literal_escapes_only_backslash_and_quote() {
        assert_eq!(php_sq("abc"), "'abc'");
        assert_eq!(php_sq("'; system('id'); //"), r"'\'; system(\'id\'); //'");
        assert_eq!(php_sq(r"a\b"), r"'a\\b'");
        assert_eq!(php_sq(r"end\"), r"'end\\'");
        assert_eq!(php_sq("{$x} $y \\n"), r"'{$x} $y \\n'");
        assert_eq!(php_sq("<?php ?>"), "'<?php ?>'");
        assert_eq!(php_sq("«Ққ»"), "'«Ққ»'");
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<b a="1">'&'</b>"#),
            "&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;"
        );
        assert_eq!(html("<?php"), "&lt;?php");
    }

    #[test]
    fn inert_html_breaks_php_open_tags() {
        assert_eq!(
            inert_html("<p>a</p><?php x ?><?= y ?>"),
            "<p>a</p>&lt;?php x ?>&lt;?= y ?>"
        );
        assert!(!inert_html("<<??").contains("<?"));
    }

    #[test]
    fn mail_text_cannot_form_macros() {
        assert_eq!(mail_text("#EMAIL# и #1"), "＃EMAIL＃ и ＃1");
    }

    #[test]
    fn php_values_are_literals() {
        let v = Php::map([
            ("a'b", Php::s("x\\'y")),
            ("n", Php::Int(3)),
            ("l", Php::strs(["?>", "<?php"])),
        ]);
        let src = v.source();
        assert!(src.contains(r"'a\'b' => 'x\\\'y'"));
        assert!(src.contains("'n' => 3"));
        assert!(src.contains("'?>',"));
    }
}
