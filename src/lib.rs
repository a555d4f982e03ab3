//! bxland: turns one webinar event folder into a compliant landing page and its exports.
//!
//! The modules follow the data: [`event`] loads `event.toml` with spans, [`rules`] decides
//! whether it complies with the webinar program rules, [`render`] turns it into a page through
//! a theme, [`export`] writes one target each, and [`cli`] holds the thin commands.

pub mod catalog;
pub mod diag;
pub mod escape;
pub mod event;
pub mod export;
pub mod i18n;
pub mod markdown;
pub mod render;
pub mod rules;
pub mod sources;
pub mod typography;
pub mod webinar;

pub mod pipeline;
pub use pipeline::{build, check};
pub mod cli;
pub mod comms;
pub mod serve;
