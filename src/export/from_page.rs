//! The rendered page as the inputs of the platform exports: the same sections, CSS, consent
//! text and theme strings as the preview, so every target shows the same page.

use std::collections::BTreeMap;

use crate::export::bitrix24::Bitrix24Input;
use crate::export::site_management::SiteManagementInput;
use crate::render::{Page, Theme};
use crate::webinar::Webinar;

fn strings(event: &Webinar, theme: &Theme) -> BTreeMap<String, String> {
    theme.strings(event.language.code()).clone()
}

fn when_human(event: &Webinar) -> String {
    event.when.human(event.language)
}

fn description(event: &Webinar) -> String {
    event.summary.clone().unwrap_or_else(|| event.title.clone())
}

fn section_pairs<'a>(
    sections: impl Iterator<Item = &'a crate::render::Section>,
) -> Vec<(String, String)> {
    sections
        .map(|s| (s.name.to_string(), s.html.clone()))
        .collect()
}

/// Site Management renders the form with Bitrix's own component: the sections around the
/// registration section are taken as they are.
pub fn site_management<'a>(
    event: &'a Webinar,
    page: &Page,
    theme: &Theme,
    extra_files: Vec<(String, Vec<u8>)>,
) -> SiteManagementInput<'a> {
    let form_at = page
        .sections
        .iter()
        .position(|s| s.name == "registration")
        .unwrap_or(page.sections.len());
    SiteManagementInput {
        event,
        title: page.title.clone(),
        description: description(event),
        when_human: when_human(event),
        css: page.css.clone(),
        sections_before_form: section_pairs(page.sections[..form_at].iter()),
        sections_after_form: section_pairs(page.sections.get(form_at + 1..).unwrap_or(&[]).iter()),
        consent_html: page.consent.html.clone(),
        consent_plain: page.consent.plain.clone(),
        strings: strings(event, theme),
        assets: page
            .assets
            .iter()
            .filter(|a| a.mime.starts_with("image/"))
            .map(|a| (a.path.clone(), a.bytes.clone()))
            .collect(),
        extra_files,
        ics: page.ics.clone(),
        head_html: page.head_html.clone(),
        og_card: None,
    }
}

/// Bitrix24 places the CRM form in the registration block itself; the confirmation e-mail is
/// a CRM robot the partner sets up from the checklist, so its text is filled here.
pub fn bitrix24<'a>(
    event: &'a Webinar,
    page: &Page,
    theme: &Theme,
    extra_checklist: String,
    form_id: Option<u64>,
    css_url: Option<String>,
) -> Bitrix24Input<'a> {
    let (subject, body) = crate::export::bitrix24::checklist::confirmation_mail(event, None);
    Bitrix24Input {
        event,
        title: page.title.clone(),
        description: description(event),
        sections: section_pairs(page.sections.iter()),
        css: page.css.clone(),
        consent_plain: page.consent.plain.clone(),
        strings: strings(event, theme),
        confirmation_subject: subject,
        confirmation_body: body,
        extra_checklist,
        form_id,
        css_url,
        page_url: None,
        files: page
            .assets
            .iter()
            .filter(|a| a.mime.starts_with("image/") || a.mime == "text/calendar")
            .map(|a| (a.path.clone(), a.bytes.clone()))
            .collect(),
        og_image: None,
    }
}

/// [`bitrix24`]'s input with the page's public address: the confirmation mail and the
/// messages of form-setup.md link to it.
pub fn with_page_url(mut input: Bitrix24Input<'_>, url: Option<String>) -> Bitrix24Input<'_> {
    let (subject, body) =
        crate::export::bitrix24::checklist::confirmation_mail(input.event, url.as_deref());
    input.confirmation_subject = subject;
    input.confirmation_body = body;
    input.page_url = url;
    input
}
