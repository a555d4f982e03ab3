//! The files one event is read from (`event.toml`, an `agency.toml` above it, the theme's
//! strings), laid out in one span space so that a span alone says which file it is in.
//!
//! toml reports spans relative to the text it parsed. A value merged from `agency.toml` must
//! still point into `agency.toml`, so every file after the first is parsed with newlines in
//! front of it that shift its spans past the end of the previous file; [`Sources::resolve`]
//! takes the shift off again.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

pub mod by_content;
pub mod file;
pub mod regular;

pub use file::SourceFile;

#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<(usize, Arc<SourceFile>)>,
}

impl Sources {
    /// Adds a file; returns the text to hand to the parser (padded so that its spans land in
    /// this file's range).
    pub fn add(&mut self, name: impl Into<String>, path: PathBuf, text: String) -> (usize, String) {
        let base = self.next_base();
        let padded = if base == 0 {
            text.clone()
        } else {
            let mut s = String::with_capacity(base + text.len());
            s.extend(std::iter::repeat_n('\n', base));
            s.push_str(&text);
            s
        };
        self.files
            .push((base, Arc::new(SourceFile::new(name, path, text))));
        (base, padded)
    }

    fn next_base(&self) -> usize {
        self.files
            .last()
            .map(|(base, f)| base + f.text.len() + 1)
            .unwrap_or(0)
    }

    /// The file holding a global offset, and the offset inside it.
    pub fn resolve(&self, offset: usize) -> Option<(&Arc<SourceFile>, usize)> {
        self.files
            .iter()
            .rev()
            .find(|(base, _)| *base <= offset)
            .map(|(base, f)| (f, offset - base))
    }

    pub fn resolve_span(&self, span: &Range<usize>) -> Option<(&Arc<SourceFile>, Range<usize>)> {
        let (file, start) = self.resolve(span.start)?;
        let base = span.start - start;
        // A span past the end of its file (an offset in the padding) is clamped into it.
        let start = start.min(file.text.len());
        let end = span.end.saturating_sub(base).clamp(start, file.text.len());
        Some((file, start..end))
    }

    /// The span of `value[value_range]` for a string value whose literal is at `literal`.
    pub fn span_in_string(
        &self,
        literal: &Range<usize>,
        value_range: Range<usize>,
    ) -> Range<usize> {
        match self.resolve_span(literal) {
            Some((file, local)) => {
                let base = literal.start - local.start;
                let inner = file.span_in_string(&local, value_range);
                inner.start + base..inner.end + base
            }
            None => literal.clone(),
        }
    }

    /// The folder a path written at `span` is relative to: the folder of the file it is in.
    pub fn dir_of(&self, span: &Range<usize>) -> Option<PathBuf> {
        let (file, _) = self.resolve(span.start)?;
        file.path.parent().map(|p| p.to_path_buf())
    }

    pub fn primary(&self) -> Option<&Arc<SourceFile>> {
        self.files.first().map(|(_, f)| f)
    }

    pub fn files(&self) -> impl Iterator<Item = &Arc<SourceFile>> {
        self.files.iter().map(|(_, f)| f)
    }
}
