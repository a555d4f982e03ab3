//! The page messages of this export: their codes, and bxland's text for each (the catalog's
//! `form.*`), used where neither the event nor the theme strings (`SiteManagementInput::strings`)
//! give one.

use crate::catalog;
use crate::webinar::Language;

/// Codes of the page messages, as `BXLAND_<CODE>` in the component's lang files and as
/// lower-case keys in the theme strings and under `form.` in the catalog.
pub const MESSAGES: &[&str] = &[
    "FORM_TITLE",
    "FREE_REGISTRATION",
    "FORM_ACCEPTED",
    "FORM_REJECTED",
    "FORM_RETRY",
    "FORM_NOT_SENT",
    "SESSION_EXPIRED",
    "SUBMIT",
    "REQUIRED_NOTE",
    "CONSENT_TEXT_TITLE",
    "REASON_ERRORS",
    "REASON_COMPETITOR",
    "REASON_STUDENT",
];

/// bxland's text of a page message (`FORM_ACCEPTED`, `CONSENT_LABEL`, ...).
pub fn message(lang: Language, code: &str) -> String {
    let template = catalog::text(lang, &format!("form.{}", code.to_ascii_lowercase()));
    catalog::fill(template, &[("reason", catalog::PAGE_REASON)])
        .unwrap_or_else(|u| panic!("form.{code}: {u}"))
}
