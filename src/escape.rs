//! The two escapes every output shares: text into HTML, and text into a PHP single-quoted
//! literal. One of each, so the page, the mails and both platform exports agree on what is
//! special (they were written four and two times, and the two PHP writers disagreed on
//! control characters).

/// Plain text for HTML element content or a quoted attribute value.
///
/// Tera calls this for every value a template prints: runs without a special character
/// (most of a Cyrillic text) are copied whole, not character by character.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    push_html(&mut out, s);
    out
}

/// [`html`] written onto `out`.
pub fn push_html(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII: `i` is a character boundary.
        out.push_str(&s[run..i]);
        out.push_str(with);
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

/// A PHP single-quoted string literal holding `s`: `\` and `'` escaped (the only characters
/// special there), control characters other than newline and tab dropped (none belongs in
/// these texts, and a CR must never reach a mail header).
pub fn php_sq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_php_sq(&mut out, s);
    out
}

/// [`php_sq`] written onto `out`; runs of ordinary characters are copied whole (mail bodies
/// are long).
pub fn push_php_sq(out: &mut String, s: &str) {
    out.push('\'');
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // The first byte of what may need a change: `\`, `'`, a C0 control or DEL, or a C1
        // control (U+0080–U+009F, written 0xC2 0x80–0x9F).
        let special =
            matches!(b, b'\\' | b'\'' | 0x7f | 0xc2) || (b < 0x20 && b != b'\n' && b != b'\t');
        if !special {
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().expect("char boundary");
        let with = match c {
            '\\' => Some("\\\\"),
            '\'' => Some("\\'"),
            c if c.is_control() && c != '\n' && c != '\t' => Some(""),
            _ => None,
        };
        if let Some(with) = with {
            out.push_str(&s[run..i]);
            out.push_str(with);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&s[run..]);
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<b a="1">'&'</b>"#),
            "&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;"
        );
        assert_eq!(html("<?php"), "&lt;?php");
        assert_eq!(html("«Ққ»"), "«Ққ»");
    }

    /// The character-by-character escape `html` replaced, for comparison.
    fn html_by_chars(s: &str) -> String {
        let mut out = String::new();
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

    proptest::proptest! {
        #[test]
        fn html_escapes_as_by_characters(s in "[a-zа-яҚқ«» &<>\"'\\n;#0-9]{0,40}") {
            proptest::prop_assert_eq!(html(&s), html_by_chars(&s));
        }
    }

    #[test]
    fn php_literal_escapes_backslash_and_quote_and_drops_controls() {
        assert_eq!(php_sq(""), "''");
        assert_eq!(php_sq("abc"), "'abc'");
        assert_eq!(php_sq("'; system('id'); //"), r"'\'; system(\'id\'); //'");
        assert_eq!(php_sq(r"end\"), r"'end\\'");
        assert_eq!(php_sq("{$x} $y \\n"), r"'{$x} $y \\n'");
        assert_eq!(php_sq("<?php ?>"), "'<?php ?>'");
        assert_eq!(php_sq("a\nb\tc"), "'a\nb\tc'");
        assert_eq!(php_sq("a\u{0}b\u{1b}c\u{7f}d\r"), "'abcd'");
        // C1 controls go, other characters that share their first byte stay.
        assert_eq!(php_sq("«x»\u{85}\u{9f}é"), "'«x»é'");
        assert_eq!(php_sq("Қазақ 'тіл' \\"), "'Қазақ \\'тіл\\' \\\\'");
    }
}
