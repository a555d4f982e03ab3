//! Building the [`Webinar`] from the spanned [`Event`]: the one place that reads raw input for
//! the outputs and applies the defaults.

use crate::event::model::{text, Sp};
use crate::event::{mailings, paths, Event};

use super::model::*;

/// Why a loaded event has no webinar model yet. Each reason is also a rule error (event.title,
/// event.date, event.timezone, program.time), so a checked event always has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incomplete {
    Title,
    Date,
    Timezone,
    Times,
}

/// A one-line value: `None` when blank, trimmed otherwise.
fn line(v: &Option<Sp<String>>) -> Option<String> {
    text(v).map(|s| s.trim().to_string())
}

/// A Markdown value: `None` when blank, as written otherwise.
fn markdown(v: &Option<Sp<String>>) -> Option<String> {
    text(v).map(str::to_string)
}

fn list(v: &Option<Sp<Vec<Sp<String>>>>) -> Vec<String> {
    v.as_ref()
        .map(|l| {
            l.get_ref()
                .iter()
                .map(|s| s.get_ref().trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn flag(v: &Option<Sp<bool>>) -> Option<bool> {
    v.as_ref().map(|b| *b.get_ref())
}

/// A web address that may stand in an `href`: http(s) only.
fn web_url(v: &Option<Sp<String>>) -> Option<String> {
    let u = line(v)?;
    let l = u.to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://")).then_some(u)
}

/// A file the event names, resolved against the folder of the file that names it.
fn file_ref(event: &Event, v: &Option<Sp<String>>) -> Option<FileRef> {
    let value = v.as_ref()?;
    let written = value.get_ref().trim();
    if written.is_empty() {
        return None;
    }
    let base = event
        .sources
        .dir_of(&value.span())
        .unwrap_or_else(|| event.dir.clone());
    let path = paths::resolve(&base, written).ok()?;
    Some(FileRef {
        written: written.to_string(),
        path,
    })
}

impl Webinar {
    /// The webinar of a loaded event, with every default applied. Fails only where a rule
    /// already reports an error.
    pub fn from_event(event: &Event) -> Result<Webinar, Incomplete> {
        let section = event.section().cloned().unwrap_or_default();
        let title = event.title().trim().to_string();
        if title.is_empty() {
            return Err(Incomplete::Title);
        }
        let date = event.date().ok_or(Incomplete::Date)?;
        let timezone = event.timezone().ok_or(Incomplete::Timezone)?;
        let when = When::of(event).ok_or(Incomplete::Times)?;

        let org = event
            .file
            .organizer
            .as_ref()
            .map(|o| o.get_ref().clone())
            .unwrap_or_default();
        let organizer = Organizer {
            name: line(&org.name).unwrap_or_default(),
            logo: file_ref(event, &org.logo),
            website: web_url(&org.website),
            contacts: org
                .contacts
                .iter()
                .map(|c| {
                    let c = c.get_ref();
                    Contact {
                        name: line(&c.name),
                        role: line(&c.role),
                        email: line(&c.email),
                        phone: line(&c.phone),
                    }
                })
                .collect(),
        };

        let speakers = event
            .file
            .speakers
            .iter()
            .map(|(key, s)| {
                let s = s.get_ref();
                Speaker {
                    key: key.get_ref().clone(),
                    name: line(&s.name),
                    position: line(&s.position),
                    company: line(&s.company),
                    photo: file_ref(event, &s.photo),
                }
            })
            .collect();

        let program = event
            .program()
            .map(|item| {
                let start = line(&item.start).unwrap_or_default();
                let end = line(&item.end).unwrap_or_default();
                ProgramItem {
                    start_time: crate::event::parse_hhmm(&start),
                    end_time: crate::event::parse_hhmm(&end),
                    start,
                    end,
                    title: line(&item.title).unwrap_or_default(),
                    kind: item.kind(),
                    product: line(&item.product),
                    theses: item
                        .theses
                        .iter()
                        .map(|t| t.get_ref().clone())
                        .filter(|t| !t.trim().is_empty())
                        .collect(),
                    speakers: item.speakers.iter().map(|k| k.get_ref().clone()).collect(),
                    cold_title: line(&item.cold_title),
                }
            })
            .collect();

        let reg = event
            .file
            .registration
            .as_ref()
            .map(|r| r.get_ref().clone())
            .unwrap_or_default();
        let mut reject_reasons = list(&reg.reject_reasons);
        if reject_reasons.is_empty() {
            reject_reasons = vec!["competitor".into(), "student".into()];
        }
        let confirmation = reg.confirmation_email.as_ref().map(|c| c.get_ref());
        let registration = Registration {
            submit_label: line(&reg.submit_label),
            captcha: flag(&reg.captcha).unwrap_or(false),
            confirm_by_link: flag(&reg.confirm_by_link).unwrap_or(false),
            reject_reasons,
            confirmation_email: ConfirmationEmail {
                enabled: confirmation.and_then(|c| flag(&c.enabled)).unwrap_or(true),
                subject: confirmation.and_then(|c| line(&c.subject)),
                body: confirmation.and_then(|c| markdown(&c.body)),
            },
            accepted_message: line(&reg.accepted_message),
            rejected_message: line(&reg.rejected_message),
        };

        let c = event
            .file
            .consent
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_default();
        let consent = Consent {
            operator: line(&c.operator),
            purposes: list(&c.purposes),
            data: list(&c.data),
            actions: list(&c.actions),
            third_parties: list(&c.third_parties),
            term: line(&c.term),
            storage: line(&c.storage),
            withdrawal: line(&c.withdrawal),
            cross_border: line(&c.cross_border),
            storage_location: line(&c.storage_location),
            text: markdown(&c.text),
            label: line(&c.label),
        };

        let partners = event
            .file
            .partners
            .iter()
            .map(|p| {
                let p = p.get_ref();
                Partner {
                    name: line(&p.name).unwrap_or_default(),
                    logo: file_ref(event, &p.logo),
                    placement: line(&p.placement),
                    website: web_url(&p.website),
                }
            })
            .collect();
        let gallery = event
            .file
            .gallery
            .iter()
            .filter_map(|g| {
                let g = g.get_ref();
                Some(GalleryItem {
                    image: file_ref(event, &g.image)?,
                    caption: line(&g.caption),
                    source: line(&g.source),
                })
            })
            .collect();

        let theme = ThemeChoice::of(event);

        let m = event
            .file
            .mailings
            .as_ref()
            .map(|m| m.get_ref().clone())
            .unwrap_or_default();
        let mailings = Mailings {
            reminders: mailings::wanted_reminders(event),
            sms: mailings::sms_wanted(event),
            recording_url: line(&m.recording_url),
            slides_url: line(&m.slides_url),
            followup_after_days: m.followup_after_days.as_ref().map(|d| *d.get_ref()),
            followup_offer: markdown(&m.followup_offer),
            mail: m
                .mail
                .iter()
                .map(|(name, o)| {
                    let o = o.get_ref();
                    (
                        name.get_ref().clone(),
                        MailOverride {
                            subject: line(&o.subject),
                            body: markdown(&o.body),
                        },
                    )
                })
                .collect(),
        };

        let a = event
            .file
            .announcement
            .as_ref()
            .map(|a| a.get_ref().clone())
            .unwrap_or_default();
        let announcement = Announcement {
            post: markdown(&a.post),
            cold_mail: flag(&a.cold_mail),
            cold_subject: line(&a.cold_subject),
            cold_body: markdown(&a.cold_body),
            registration_url: line(&a.registration_url),
        };

        Ok(Webinar {
            dir: event.dir.clone(),
            language: event.language(),
            slug: event.slug(),
            title,
            date,
            timezone,
            when,
            products: list(&section.products),
            platform: line(&section.platform),
            format: line(&section.format),
            summary: line(&section.summary),
            description: markdown(&section.description),
            audience: markdown(&section.audience),
            join_url: mailings::join_url(event).map(|u| u.trim().to_string()),
            page_url: mailings::page_url(event),
            page_url_given: line(&section.page_url).filter(|u| mailings::is_page_address(u)),
            organizer,
            speakers,
            program,
            registration,
            form: crate::event::form::form_fields(event),
            consent,
            partners,
            gallery,
            theme,
            mailings,
            announcement,
        })
    }
}

impl ThemeChoice {
    /// The theme an event asks for, read even from an event that has no webinar yet (the
    /// rules check the theme's strings and whether it exists).
    pub fn of(event: &Event) -> ThemeChoice {
        let theme_ref = event.file.theme.as_ref().map(|t| t.get_ref());
        let accent = theme_ref.and_then(|t| line(&t.accent));
        match theme_ref.and_then(|t| t.name.as_ref()) {
            Some(n) if !n.get_ref().trim().is_empty() => ThemeChoice {
                name: n.get_ref().trim().to_string(),
                base: event
                    .sources
                    .dir_of(&n.span())
                    .unwrap_or_else(|| event.dir.clone()),
                accent,
            },
            _ => ThemeChoice {
                name: "default".to_string(),
                base: event.dir.clone(),
                accent,
            },
        }
    }
}
