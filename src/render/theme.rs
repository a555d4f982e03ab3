//! Themes: folders under `themes/` with templates, CSS and strings.

use crate::event::Event;
use crate::rules::TextPiece;

/// The theme's own strings that reach the page, for the text rules.
pub fn check_texts(_event: &Event) -> Vec<TextPiece<'_>> {
    Vec::new()
}
