//! Diagnostics: what a rule found, where, and how to fix it; rendered rustc-style for people
//! and as the JSON report of `shared/spec/event-format.md` for machines.

use std::ops::Range;

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::event::Sources;
use crate::i18n::{Lang, Text};

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
    pub severity: Severity,
    pub message: Text,
    pub help: Option<Text>,
    /// A span in the event's [`Sources`] span space; `None` where no place fits.
    pub span: Option<Range<usize>>,
    /// Names a file when the problem is a whole file (a missing `event.toml`, a bad logo).
    pub file: Option<String>,
}

impl Diagnostic {
    pub fn error(rule: &'static str, message: Text) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message,
            help: None,
            span: None,
            file: None,
        }
    }

    pub fn warning(rule: &'static str, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    pub fn at(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
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
        if let Some((file, local)) = &resolved {
            let (line_start, source) = window(&file.text, local);
            let rel = local.start - line_start.1..local.end - line_start.1;
            // An empty span still deserves a caret.
            let rel = if rel.is_empty() {
                rel.start..(rel.start + next_char_len(source, rel.start)).min(source.len())
            } else {
                rel
            };
            report = report.snippet(
                Snippet::source(source)
                    .line_start(line_start.0)
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

fn next_char_len(s: &str, at: usize) -> usize {
    s.get(at..)
        .and_then(|r| r.chars().next())
        .map(char::len_utf8)
        .unwrap_or(0)
        .max(1)
}

/// The lines around a span (at most a few), as (first line number, byte offset of it) and
/// the text: a multi-kilobyte Markdown string is not printed whole for one word.
fn window<'a>(text: &'a str, span: &Range<usize>) -> ((usize, usize), &'a str) {
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let end_from = span.end.clamp(span.start, text.len());
    let mut end = text[end_from..]
        .find('\n')
        .map(|i| end_from + i)
        .unwrap_or(text.len());
    // Keep spans that run over many lines short: the first three lines are enough.
    let lines: Vec<usize> = text[start..end]
        .match_indices('\n')
        .map(|(i, _)| i)
        .collect();
    if lines.len() > 3 {
        end = start + lines[2];
    }
    let line_no = text[..start].matches('\n').count() + 1;
    ((line_no, start), &text[start..end])
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

pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}
