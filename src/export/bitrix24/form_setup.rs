//! `form-setup.md`: what only a person with the portal can switch on, as a Russian checklist.
//! REST cannot create a CRM form or set its fields, so the partner creates it once by hand.

use std::fmt::Write;

use super::{string, Bitrix24Input, Plan, FORM_ID_PLACEHOLDER};
use crate::catalog;

fn type_ru(t: &str) -> &'static str {
    let key = match t {
        "email" | "tel" | "select" | "checkbox" | "textarea" => t,
        _ => "text",
    };
    catalog::staff(&format!("bitrix24.field_type.{key}"))
}

/// A text of the checklist (`staff.bitrix24.setup.*`).
fn say(key: &str) -> &'static str {
    catalog::staff(&format!("bitrix24.setup.{key}"))
}

/// A text of the checklist with its slots filled.
fn say_with(key: &str, slots: &[(&str, &str)]) -> String {
    catalog::fill(say(key), slots).unwrap_or_else(|u| u.partial)
}

fn fence(s: &str) -> String {
    // A fence longer than any run of backticks in the text.
    let longest = s
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0)
        .max(2);
    let f = "`".repeat(longest + 1);
    format!("{f}text\n{}\n{f}\n", s.trim_end())
}

pub fn render(input: &Bitrix24Input, plan: &Plan) -> String {
    let event = input.event;
    let title = input.title.as_str();
    let mut md = String::new();
    let on_title = [("event.title", title)];
    let _ = writeln!(md, "{}", say_with("title", &on_title));
    md.push_str(say("intro"));

    md.push_str(say("step1"));
    let _ = writeln!(md, "{}", say("step1_open"));
    let _ = writeln!(md, "{}", say_with("step1_name", &on_title));
    md.push_str(say("step1_remove"));

    md.push_str(say("step2"));
    md.push_str(say("step2_intro"));
    md.push_str(say("step2_table"));
    let fields = &event.form;
    for (i, f) in fields.iter().enumerate() {
        let (lead, contact) = crm_field(&f.id, f.input_type);
        let _ = writeln!(
            md,
            "| {} | {} | {lead} | {contact} | {} |",
            i + 1,
            f.label,
            if f.required { say("yes") } else { say("no") }
        );
    }
    md.push('\n');
    md.push_str(say("step2_mode"));
    for f in fields {
        let req = if f.required {
            say("required_on")
        } else {
            say("required_off")
        };
        let _ = write!(md, "- [ ] «{}» — {}; {req}", f.label, type_ru(f.input_type));
        if !f.options.is_empty() {
            md.push_str(&say_with("options", &[("options", &f.options.join("; "))]));
        }
        md.push_str(".\n");
    }
    md.push_str(say("step2_rules"));

    md.push_str(say("step3"));
    md.push_str(say("step3_agreement"));
    md.push_str(&fence(&input.consent_plain));
    md.push('\n');
    let label = event
        .consent
        .label
        .clone()
        .unwrap_or_else(|| string(input, "consent_label"));
    let _ = writeln!(md, "{}", say_with("step3_label", &[("label", &label)]));
    md.push_str(say("step3_checkbox"));

    md.push_str(say("step4"));
    md.push_str(say("step4_intro"));
    let accepted = event
        .registration
        .accepted_message
        .clone()
        .unwrap_or_else(|| string(input, "form_accepted"));
    let _ = writeln!(
        md,
        "{}",
        say_with("step4_accepted", &[("text", &fence(&accepted))])
    );
    let _ = writeln!(
        md,
        "{}",
        say_with(
            "step4_failure",
            &[("text", &fence(&failure_message(input)))]
        )
    );
    let reasons = &event.registration.reject_reasons;
    if reasons.is_empty() {
        md.push_str(say("step4_no_rejects"));
    } else {
        md.push_str(say("step4_rejects"));
        for r in reasons {
            let reason = string(input, &format!("reason_{r}"));
            let (subject, body) = rejection_mail(input, &reason);
            let _ = writeln!(
                md,
                "{}",
                say_with(
                    "step4_reason",
                    &[
                        ("reason", r),
                        ("subject", &subject),
                        ("text", &indent(&fence(&body))),
                    ],
                )
            );
        }
        if input.page_url.is_none() {
            md.push_str(say("step4_no_page"));
        }
    }

    md.push_str(say("step5"));
    md.push_str(say("step5_items"));

    md.push_str(say("step6"));
    md.push_str(say("step6_sender"));
    md.push_str(say("step6_robot"));
    let _ = writeln!(
        md,
        "{}",
        say_with(
            "step6_subject",
            &[("text", &fence(&input.confirmation_subject))]
        )
    );
    let _ = writeln!(
        md,
        "{}",
        say_with("step6_body", &[("text", &fence(&input.confirmation_body))])
    );
    md.push_str(say("step6_name"));
    if input.page_url.is_none() {
        md.push_str(say("step6_no_page"));
    }
    md.push_str(say("step6_test"));

    md.push_str(say("step7"));
    let _ = writeln!(md, "{}", say("step7_id"));
    let dir = event.dir.display().to_string();
    let _ = writeln!(md, "{}", say_with("step7_publish", &[("event_dir", &dir)]));
    if plan.form_id.is_none() {
        let _ = writeln!(
            md,
            "{}",
            say_with("step7_manual", &[("form_id", FORM_ID_PLACEHOLDER)])
        );
    }
    md.push_str(say("step7_editor"));
    md.push_str(say("step7_test"));

    if !input.extra_checklist.trim().is_empty() {
        md.push('\n');
        md.push_str(input.extra_checklist.trim_end());
        md.push('\n');
    }
    md
}

/// The CRM fields a form field maps to: (lead mode, deal + contact mode).
fn crm_field(id: &str, input_type: &str) -> (&'static str, &'static str) {
    let key = match id {
        "last_name" | "first_name" | "company" | "position" | "email" | "phone" => id,
        "second_name" | "middle_name" => "middle_name",
        _ if input_type == "textarea" => "textarea",
        _ => "other",
    };
    match catalog::list(
        crate::webinar::Language::Ru,
        &format!("{}bitrix24.crm.{key}", catalog::STAFF),
    ) {
        [lead, contact] => (lead, contact),
        _ => panic!("staff.bitrix24.crm.{key}: two fields"),
    }
}

/// The form's failure message: what went wrong and how to register again.
pub(super) fn failure_message(input: &Bitrix24Input) -> String {
    let lang = input.event.language;
    match &input.page_url {
        Some(url) => catalog::fill(
            catalog::text(lang, "form.failure"),
            &[("event.url", url.as_str())],
        )
        .unwrap_or_else(|u| u.partial),
        None => catalog::text(lang, "form.failure_no_page").to_string(),
    }
}

/// The rejection e-mail: the same wording as Site Management's (the catalog's
/// `mail.rejected`), with the reason and the page address; without a known address its line
/// says to answer the mail instead.
pub(super) fn rejection_mail(input: &Bitrix24Input, reason: &str) -> (String, String) {
    let lang = input.event.language;
    super::checklist::crm_mail(
        input.event,
        (
            catalog::text(lang, "mail.rejected.subject"),
            catalog::text(lang, "mail.rejected.body"),
        ),
        input.page_url.as_deref(),
        Some(reason),
        Some(catalog::text(lang, "mail.rejected.no_page")),
    )
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
