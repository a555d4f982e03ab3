//! The event: `event.toml` and the files it names, loaded with spans.

pub mod form;
pub mod image;
pub mod load;
pub mod lock;
pub mod mailings;
mod merge;
pub mod model;
pub mod paths;
pub mod products;
pub mod slug;
pub mod when;

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

pub use load::{load, LoadFailure};
pub use model::{EventFile, Language, Sp};
// The files an event is read from sit below both `event` and `diag` (which points into them).
pub use crate::sources::{file as source, Sources};

/// A loaded event: the typed file (agency defaults merged under it) and its sources.
#[derive(Debug, Clone)]
pub struct Event {
    pub dir: PathBuf,
    pub file: EventFile,
    pub sources: Sources,
}

impl Event {
    pub fn section(&self) -> Option<&model::EventSection> {
        self.file.event.as_ref().map(|e| e.get_ref())
    }

    pub fn title(&self) -> &str {
        self.section()
            .and_then(|e| model::text(&e.title))
            .unwrap_or("")
    }

    pub fn language(&self) -> Language {
        self.section()
            .and_then(|e| e.language.as_ref())
            .map(|l| *l.get_ref())
            .unwrap_or_default()
    }

    /// The date, when it is a valid TOML local date.
    pub fn date(&self) -> Option<NaiveDate> {
        let value = self.section()?.date.as_ref()?;
        match value.get_ref() {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                let d = dt.date?;
                NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
            }
            _ => None,
        }
    }

    pub fn timezone(&self) -> Option<Tz> {
        self.section()?.timezone.as_ref()?.get_ref().parse().ok()
    }

    pub fn slug(&self) -> String {
        if let Some(slug) = self.section().and_then(|e| model::text(&e.slug)) {
            return slug.to_string();
        }
        slug::default_slug(self.title(), self.date())
    }

    pub fn speaker(&self, key: &str) -> Option<&model::Speaker> {
        self.file
            .speakers
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, s)| s.get_ref())
    }

    pub fn program(&self) -> impl Iterator<Item = &model::ProgramItem> {
        self.file.program.iter().map(|p| p.get_ref())
    }
}

/// "HH:MM" on a 24-hour clock.
pub fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}
