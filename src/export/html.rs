//! The `html` target: the static landing page (`OUT/<slug>/preview/`): `index.html`,
//! `style.css`, `event.ics` and the assets, nothing fetched from outside at view time.

use crate::event::Event;
use crate::i18n::Text;
use crate::render::Page;

/// The files of the preview folder, relative to it.
pub fn export(_event: &Event, page: &Page) -> Result<Vec<(String, Vec<u8>)>, Text> {
    Ok(page.files())
}
