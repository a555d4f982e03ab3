//! The `html` target: the static landing page (`OUT/<slug>/preview/`): `index.html`,
//! `style.css`, `event.ics` and the assets, nothing fetched from outside at view time.

use crate::i18n::Text;
use crate::render::Page;

/// The preview's Open Graph image: the 1200×630 announcement card, beside `index.html`.
pub const OG_CARD: &str = "og-card.png";

/// The files of the preview folder, relative to it. `announce` is the announcement kit when
/// it was made: its wide card becomes the page's Open Graph image.
pub fn export(
    page: &Page,
    announce: Option<&[(String, Vec<u8>)]>,
) -> Result<Vec<(String, Vec<u8>)>, Text> {
    let mut files = page.files();
    let card = announce
        .unwrap_or(&[])
        .iter()
        .find(|(path, _)| Some(path.as_str()) == crate::comms::OG_IMAGE.strip_prefix("announce/"));
    if let Some((_, png)) = card {
        files.push((OG_CARD.to_string(), png.clone()));
    }
    Ok(files)
}
