//! Agency defaults: an `agency.toml` above an event folder supplies organizer, contacts,
//! consent, theme, partners and registration settings; the event's own keys win, key by key.
//! Spans stay those of the file each value was written in (see [`super::Sources`]).

use super::model::*;

fn or<T>(own: Option<T>, default: Option<T>) -> Option<T> {
    own.or(default)
}

fn merge_table<T>(
    own: Option<Sp<T>>,
    default: Option<Sp<T>>,
    f: impl FnOnce(T, T) -> T,
) -> Option<Sp<T>> {
    match (own, default) {
        (Some(own), Some(default)) => {
            let span = own.span();
            Some(Sp::new(span, f(own.into_inner(), default.into_inner())))
        }
        (own, default) => own.or(default),
    }
}

fn vec_or<T>(own: Vec<T>, default: Vec<T>) -> Vec<T> {
    if own.is_empty() {
        default
    } else {
        own
    }
}

pub fn under(own: EventFile, agency: EventFile) -> EventFile {
    EventFile {
        event: merge_table(own.event, agency.event, |o, d| EventSection {
            title: or(o.title, d.title),
            date: or(o.date, d.date),
            timezone: or(o.timezone, d.timezone),
            language: or(o.language, d.language),
            products: or(o.products, d.products),
            platform: or(o.platform, d.platform),
            format: or(o.format, d.format),
            slug: o.slug,
            summary: or(o.summary, d.summary),
            description: or(o.description, d.description),
            audience: or(o.audience, d.audience),
            join_url: or(o.join_url, d.join_url),
            page_url: o.page_url,
        }),
        organizer: merge_table(own.organizer, agency.organizer, |o, d| Organizer {
            name: or(o.name, d.name),
            logo: or(o.logo, d.logo),
            website: or(o.website, d.website),
            contacts: vec_or(o.contacts, d.contacts),
        }),
        speakers: {
            let mut speakers = agency.speakers;
            speakers.extend(own.speakers);
            speakers
        },
        program: vec_or(own.program, agency.program),
        registration: merge_table(own.registration, agency.registration, |o, d| Registration {
            submit_label: or(o.submit_label, d.submit_label),
            captcha: or(o.captcha, d.captcha),
            confirm_by_link: or(o.confirm_by_link, d.confirm_by_link),
            reject_reasons: or(o.reject_reasons, d.reject_reasons),
            extra_fields: vec_or(o.extra_fields, d.extra_fields),
            confirmation_email: or(o.confirmation_email, d.confirmation_email),
            accepted_message: or(o.accepted_message, d.accepted_message),
            rejected_message: or(o.rejected_message, d.rejected_message),
        }),
        consent: merge_table(own.consent, agency.consent, |o, d| Consent {
            operator: or(o.operator, d.operator),
            purposes: or(o.purposes, d.purposes),
            data: or(o.data, d.data),
            actions: or(o.actions, d.actions),
            third_parties: or(o.third_parties, d.third_parties),
            term: or(o.term, d.term),
            storage: or(o.storage, d.storage),
            withdrawal: or(o.withdrawal, d.withdrawal),
            cross_border: or(o.cross_border, d.cross_border),
            storage_location: or(o.storage_location, d.storage_location),
            text: or(o.text, d.text),
            label: or(o.label, d.label),
        }),
        partners: vec_or(own.partners, agency.partners),
        gallery: vec_or(own.gallery, agency.gallery),
        theme: merge_table(own.theme, agency.theme, |o, d| ThemeRef {
            name: or(o.name, d.name),
            accent: or(o.accent, d.accent),
        }),
        mailings: merge_table(own.mailings, agency.mailings, |o, d| Mailings {
            reminders: or(o.reminders, d.reminders),
            sms: or(o.sms, d.sms),
            recording_url: or(o.recording_url, d.recording_url),
            slides_url: or(o.slides_url, d.slides_url),
            followup_after_days: or(o.followup_after_days, d.followup_after_days),
            followup_offer: or(o.followup_offer, d.followup_offer),
            mail: {
                let mut mail = d.mail;
                mail.extend(o.mail);
                mail
            },
        }),
        announcement: merge_table(own.announcement, agency.announcement, |o, d| Announcement {
            post: or(o.post, d.post),
            cold_mail: or(o.cold_mail, d.cold_mail),
            cold_subject: or(o.cold_subject, d.cold_subject),
            cold_body: or(o.cold_body, d.cold_body),
            registration_url: or(o.registration_url, d.registration_url),
        }),
    }
}
