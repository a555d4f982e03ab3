//! The checked webinar: the typed, defaulted model that everything after `check` reads.
//!
//! `event` keeps the raw input with its spans for the rules; [`Webinar::from_event`] turns it
//! into plain values once (slug, form, reject reasons, wanted reminders, times, organizer,
//! URLs, files resolved to paths), so `render`, `comms` and `export` never see raw input and
//! never apply a default of their own. What those layers also need from below `webinar` (the
//! image reader, the mailing constants, dates written for people) is re-exported here.

mod from_event;
pub mod model;

pub use from_event::Incomplete;
pub use model::*;

pub use crate::event::form::{is_mandatory_id, CONSENT_ID, MANDATORY};
pub use crate::event::image;
pub use crate::event::mailings::{is_page_address, sms_units, MAIL_NAMES, REMINDERS, SMS_SEGMENT};
pub use crate::event::paths::ImageKind;
pub use crate::event::products::is_bitrix_mark;
pub use crate::event::when::{human_date, utc_offset_label};
