//! A source file the user wrote, and the arithmetic that turns byte spans into the line and
//! column an editor shows, including offsets inside a TOML string literal.

use std::ops::Range;
use std::path::PathBuf;

#[derive(Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics: relative to the event folder (`event.toml`,
    /// `../agency.toml`).
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters, as editors count) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        (line + 1, column)
    }

    /// Byte offset where the string value held by the literal at `literal` starts, plus the
    /// value offset `value_offset`: maps a word found in a decoded TOML string back to the
    /// file. Falls back to the literal's start when the literal cannot be read.
    pub fn offset_in_string(&self, literal: &Range<usize>, value_offset: usize) -> usize {
        let raw = match self.text.get(literal.clone()) {
            Some(raw) => raw,
            None => return literal.start,
        };
        literal.start + raw_offset_of_value(raw, value_offset)
    }

    /// The span of `value[value_range]` inside the literal at `literal`.
    pub fn span_in_string(
        &self,
        literal: &Range<usize>,
        value_range: Range<usize>,
    ) -> Range<usize> {
        let start = self.offset_in_string(literal, value_range.start);
        let end = self.offset_in_string(literal, value_range.end).max(start);
        start..end
    }
}

/// Walks a raw TOML string literal (with its quotes) and returns the raw offset at which the
/// decoded value's byte `value_offset` was written. Escapes, line-ending backslashes and the
/// newline trimmed after `"""` are accounted for.
pub fn raw_offset_of_value(raw: &str, value_offset: usize) -> usize {
    let bytes = raw.as_bytes();
    let (open, basic) = if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else if raw.starts_with('\'') {
        (1, false)
    } else {
        return 0;
    };
    let close = open.min(raw.len().saturating_sub(open));
    let body_end = raw.len() - close;
    let mut i = open;
    // A newline right after a multi-line opening delimiter is not part of the value.
    if open == 3 {
        if raw[i..].starts_with("\r\n") {
            i += 2;
        } else if raw[i..].starts_with('\n') {
            i += 1;
        }
    }
    // Without escapes up to the offset the value is the body byte for byte up to it: no
    // walk (a text rule mapping 10,000 hits in a 50 KB string walked it 10,000 times, issue
    // 21 point 9), and only the bytes up to it are searched (the whole body, searched for
    // each hit in a 2 MB string, took minutes). The byte at the offset counts: a line-ending
    // backslash there produces nothing and is skipped by the walk.
    let upto = i
        .saturating_add(value_offset)
        .saturating_add(1)
        .min(body_end);
    if !basic || memchr::memchr(b'\\', &bytes[i..upto]).is_none() {
        let mut at = (i + value_offset).min(body_end);
        while !raw.is_char_boundary(at) {
            at -= 1;
        }
        return at;
    }
    let mut produced = 0usize;
    while i < body_end {
        // A line-ending backslash produces nothing: skip it before deciding where we are.
        if basic
            && bytes[i] == b'\\'
            && matches!(bytes.get(i + 1), Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            let mut j = i + 1;
            while j < body_end && matches!(bytes[j], b' ' | b'\t' | b'\r' | b'\n') {
                j += 1;
            }
            i = j;
            continue;
        }
        if produced >= value_offset {
            return i;
        }
        if basic && bytes[i] == b'\\' {
            let next = bytes.get(i + 1).copied().unwrap_or(b' ');
            let (raw_len, value_len) = match next {
                b'u' => (6, decoded_len(raw, i + 2, 4)),
                b'U' => (10, decoded_len(raw, i + 2, 8)),
                b'x' => (4, decoded_len(raw, i + 2, 2)),
                _ => (2, 1),
            };
            i += raw_len;
            produced += value_len;
            continue;
        }
        let ch_len = raw[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        i += ch_len;
        produced += ch_len;
    }
    i.min(body_end)
}

fn decoded_len(raw: &str, hex_start: usize, digits: usize) -> usize {
    raw.get(hex_start..hex_start + digits)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32)
        .map(char::len_utf8)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, value: &str, needle: &str) {
        let at = value.find(needle).unwrap();
        let off = raw_offset_of_value(raw, at);
        assert!(raw[off..].starts_with(needle), "{raw:?} @ {off}");
    }

    #[test]
    fn maps_plain_and_escaped_strings() {
        check("\"Привет, Вы\"", "Привет, Вы", "Вы");
        check("\"a\\\"b\\u0410 Вы\"", "a\"bА Вы", "Вы");
        check("'lit Вы'", "lit Вы", "Вы");
        check("\"\"\"\nline one\nВаш\"\"\"", "line one\nВаш", "Ваш");
        check("'''\nx\n  Вам'''", "x\n  Вам", "Вам");
        check("\"\"\"a \\\n    Вас\"\"\"", "a Вас", "Вас");
    }

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("e", PathBuf::new(), "a = 1\nтитул = \"Вы\"\n".into());
        let off = f.text.find("Вы").unwrap();
        assert_eq!(f.line_col(off), (2, 10));
        assert_eq!(f.line_col(0), (1, 1));
    }
}
