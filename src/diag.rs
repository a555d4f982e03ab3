//! Diagnostics: what a rule found, where, and how to fix it; rendered rustc-style for people
//! and as the JSON report of `shared/spec/event-format.md` for machines.

use std::ops::Range;

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::i18n::{Lang, Text};
use crate::sources::Sources;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static str,
    /// Always the level the rule is declared with: set by `rules::grade` from the rule table,
    /// never by the code that finds the problem (read it with [`Diagnostic::severity`]).
    severity: Severity,
    pub message: Text,
    pub help: Option<Text>,
    /// A span in the event's [`Sources`] span space; `None` where no place fits.
    pub span: Option<Range<usize>>,
    /// Names a file when the problem is a whole file (a missing `event.toml`, a bad logo).
    pub file: Option<String>,
}

impl Diagnostic {
    /// A problem found under `rule`. Its level is the rule's declared one, filled in by
    /// `rules::grade`; until then it counts as an error, so an ungraded diagnostic can never
    /// let an event through.
    pub fn new(rule: &'static str, message: Text) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message,
            help: None,
            span: None,
            file: None,
        }
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Sets the level from the rule table; only `rules::grade` calls it.
    pub fn graded(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn at(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    /// The message with `place` (see `rules::TextPiece::place`) after it.
    pub fn placed(mut self, place: &Text) -> Self {
        if !place.ru.is_empty() || !place.en.is_empty() {
            self.message = Text::new(
                format!("{}{}", self.message.ru, place.ru),
                format!("{}{}", self.message.en, place.en),
            );
        }
        self
    }

    pub fn help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// File name, line and column (1-based) as the report gives them.
    pub fn place(&self, sources: &Sources) -> Place {
        if let Some((file, local)) = self.span.as_ref().and_then(|s| sources.resolve_span(s)) {
            let (line, column) = file.line_col(local.start);
            return Place {
                file: Some(file.name.clone()),
                line: Some(line),
                column: Some(column),
            };
        }
        Place {
            file: self
                .file
                .clone()
                .or_else(|| sources.primary().map(|f| f.name.clone())),
            line: None,
            column: None,
        }
    }

    /// The rustc-style rendering: `error[rule]: message`, the place, the source line with the
    /// offending span underlined, and the `help:` line.
    pub fn render(&self, sources: &Sources, lang: Lang, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let message = self.message.get(lang);
        let help = self.help.as_ref().map(|h| h.get(lang));
        let mut report = level.title(message).id(self.rule);
        let resolved = self.span.as_ref().and_then(|s| sources.resolve_span(s));
        let shown = resolved
            .as_ref()
            .map(|(file, local)| one_line(&file.text, local));
        if let (Some((file, local)), Some((source, rel))) = (&resolved, &shown) {
            let rel = rel.clone();
            let (line_no, _) = file.line_col(local.start);
            report = report.snippet(
                Snippet::source(source)
                    .line_start(line_no)
                    .origin(&file.name)
                    .fold(true)
                    .annotation(level.span(rel)),
            );
        } else if let Some(name) = self.file.as_deref() {
            report = report.footer(Level::Note.title(name));
        }
        if let Some(help) = help {
            report = report.footer(Level::Help.title(help));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let rendered = renderer.render(report).to_string();
        rendered
    }
}

/// The annotation the renderer is handed: the first line of the span (without its line
/// break), and the span clamped to that line, on character boundaries, at least one
/// character wide where the line has one. A span over many lines, ending at a line break, on
/// an empty line, over CRLF or inside a multi-byte character used to reach the renderer as
/// is and panicked it (issue 21); now no span reaches it that is not inside its one line.
///
/// The line is also cut to a window around the span (annotate-snippets' own trimming of lines
/// wider than the terminal overflowed when the span sat in long leading whitespace), and its
/// control characters are shown as spaces (a lone CR mid-line is a line break to a terminal).
/// Returns the line as shown and the annotation's range in it.
fn one_line(text: &str, span: &Range<usize>) -> (String, Range<usize>) {
    /// Bytes shown before and after the start of the span.
    const BEFORE: usize = 40;
    const AFTER: usize = 80;
    let floor = |s: &str, mut i: usize| {
        i = i.min(s.len());
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(text, span.start);
    let end = floor(text, span.end.max(span.start));
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let line = line.strip_suffix('\r').unwrap_or(line);
    let rel_start = (start - line_start).min(line.len());
    let rel_end = (end.saturating_sub(line_start)).clamp(rel_start, line.len());
    // The window.
    let from = floor(line, rel_start.saturating_sub(BEFORE));
    let to = floor(line, rel_start + AFTER);
    let to = if to <= rel_start {
        line.len().min(rel_start + AFTER)
    } else {
        to
    };
    let to = floor(line, to.max(rel_start));
    let mut shown = String::with_capacity(to - from + 8);
    if from > 0 {
        shown.push('…');
    }
    let shift = shown.len();
    for c in line[from..to].chars() {
        if c.is_control() {
            // Same width in bytes, so that offsets stay put.
            shown.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            shown.push(c);
        }
    }
    let body_len = shown.len();
    if to < line.len() {
        shown.push('…');
    }
    let a = rel_start - from + shift;
    let b = (rel_end.min(to) - from + shift).clamp(a, body_len);
    let rel = if a < b {
        a..b
    } else {
        let width = shown[a..body_len]
            .chars()
            .next()
            .map(char::len_utf8)
            .unwrap_or(0);
        a..a + width
    };
    (shown, rel)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Place {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// One diagnostic of the JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl JsonDiagnostic {
    pub fn new(d: &Diagnostic, sources: &Sources, lang: Lang) -> Self {
        let place = d.place(sources);
        JsonDiagnostic {
            rule: d.rule,
            severity: d.severity,
            message: d.message.get(lang).to_string(),
            help: d.help.as_ref().map(|h| h.get(lang).to_string()),
            file: place.file,
            line: place.line,
            column: place.column,
        }
    }
}

/// Diagnostics of one rule per event beyond which the rest are only counted: 10,000 «Вы» on
/// one line made 10,000 diagnostics, each printing the line (issue 21 point 9).
pub const MAX_PER_RULE: usize = 50;

/// Keeps the first [`MAX_PER_RULE`] diagnostics of each rule (in order) and adds one
/// «…и ещё N» for the rest, with the severity of the ones left out.
pub fn cap_per_rule(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: Vec<(&'static str, usize, Severity)> = Vec::new();
    let mut out = Vec::with_capacity(diags.len().min(1000));
    for d in diags {
        match seen.iter_mut().find(|(r, _, _)| *r == d.rule) {
            Some((_, n, sev)) => {
                *n += 1;
                *sev = (*sev).max(d.severity);
                if *n <= MAX_PER_RULE {
                    out.push(d);
                }
            }
            None => {
                seen.push((d.rule, 1, d.severity));
                out.push(d);
            }
        }
    }
    for (rule, n, severity) in seen {
        if n > MAX_PER_RULE {
            let more = n - MAX_PER_RULE;
            out.push(
                Diagnostic::new(
                    rule,
                    crate::t!(
                        "…и ещё {more} таких же нарушений правила {rule}",
                        "…and {more} more of rule {rule}"
                    ),
                )
                .graded(severity),
            );
        }
    }
    out
}

pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Text;

    /// Texts in every shape issue 21 names: many lines, empty lines, CRLF, multi-byte
    /// characters, tabs, a file without a final line break.
    fn shapes() -> Vec<String> {
        let mut out = Vec::new();
        for lines in [1usize, 2, 3, 4, 5, 6, 7, 10, 20, 50] {
            let mut lf = String::new();
            let mut crlf = String::new();
            let mut mixed = String::new();
            for i in 0..lines {
                let line = match i % 4 {
                    0 => "audience = \"\"\"".to_string(),
                    1 => String::new(),
                    2 => "Вы — ваш 🎉 \tтекст".to_string(),
                    _ => format!("k{i} = [1,"),
                };
                lf.push_str(&line);
                lf.push('\n');
                crlf.push_str(&line);
                crlf.push_str("\r\n");
                mixed.push_str(&line);
                mixed.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
            }
            let no_final = lf.trim_end_matches('\n').to_string();
            out.extend([lf, crlf, mixed, no_final]);
        }
        out.push(String::new());
        // A lone CR, long leading whitespace and a line wider than a terminal.
        out.push(format!(
            "a = 1\n\r{}{}Ваш\n",
            " ".repeat(300),
            "é".repeat(200)
        ));
        out.push(format!(
            "{}x = \"{}\"\r\n",
            "\t".repeat(50),
            "Вы ".repeat(100)
        ));
        out.push("\u{1b}[31m\u{0}\u{85}\u{7}\n".into());
        out.push("\n\n\n\n\n".into());
        out.push("\r\n\r\n\r\n\r\n\r\n".into());
        out
    }

    fn render_all(text: &str, start_stride: usize, stride: usize) -> usize {
        let mut sources = Sources::default();
        sources.add("event.toml", "event.toml".into(), text.to_string());
        let mut rendered = 0;
        let len = text.len();
        // Every start (also inside a multi-byte character) and a spread of ends, some past
        // the end of the file and some before the start.
        for start in (0..=len + 1).step_by(start_stride) {
            let ends = (0..=len + 2)
                .step_by(stride)
                .chain([start, start + 1, usize::MAX / 2]);
            for end in ends {
                for severity in [Severity::Error, Severity::Warning] {
                    let d = Diagnostic {
                        severity,
                        ..Diagnostic::new("input.parse", Text::fixed("ошибка", "error"))
                    }
                    .at(Some(start..end))
                    .help(Text::fixed("помощь", "help"));
                    let out = d.render(&sources, Lang::Ru, severity == Severity::Error);
                    assert!(out.contains("input.parse"), "{out}");
                    rendered += 1;
                }
            }
        }
        rendered
    }

    #[test]
    fn spans_of_any_shape_render_without_panicking() {
        let mut rendered = 0;
        for text in shapes() {
            // Odd strides so that starts and ends also fall inside multi-byte characters.
            let stride = (text.len() / 16) | 1;
            let start_stride = (text.len() / 64) | 1;
            rendered += render_all(&text, start_stride, stride);
        }
        assert!(rendered > 10_000, "{rendered}");
    }

    #[test]
    fn a_span_over_five_lines_shows_its_first_line() {
        let text = "[event]\naudience = \"\"\"\n\n\n\n\"\"\"\n";
        let mut sources = Sources::default();
        sources.add("event.toml", "event.toml".into(), text.to_string());
        let start = text.find("\"\"\"").unwrap();
        let d = Diagnostic::new("event.audience", Text::fixed("пусто", "empty"))
            .at(Some(start..text.len() - 1));
        let out = d.render(&sources, Lang::Ru, false);
        assert!(out.contains("event.toml:2:12"), "{out}");
        assert!(out.contains("2 | audience = \"\"\""), "{out}");
        assert!(out.contains("^^^"), "{out}");
    }
}
