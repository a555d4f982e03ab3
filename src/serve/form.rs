//! The preview form: a submission to the preview server is checked like the real form would
//! be (the mandatory fields, the event's required extra fields, the consent), then the page
//! shows the accepted state or the rejected state with the reason in words and a link to
//! register again. Nothing submitted is kept: the verdict travels in the redirect address as
//! reason codes, never as the submitted values.

use crate::catalog;
use crate::render::{esc, Page, Theme};
use crate::webinar::{FormField, Language, Webinar, CONSENT_ID};

/// Where the served page's form posts to.
pub const SUBMIT_PATH: &str = "/__bxland/register";

/// The id of the rejected block the preview adds for reasons the theme has no block for.
pub const PREVIEW_REJECTED_ID: &str = "registration-rejected-preview";

/// What the preview needs to judge a submission and word the result, taken from the event
/// and its theme when the page is built.
#[derive(Debug, Clone)]
pub struct FormSpec {
    pub fields: Vec<FormField>,
    pub language: Language,
    /// Rejection reasons the event uses (`competitor`, `student`).
    pub reject_reasons: Vec<String>,
    pub accepted: String,
    /// The rejected message with `{reason}` in it.
    pub rejected_template: String,
    pub retry: String,
    /// The theme's words for `competitor` and `student` (`reason_<id>`).
    pub reason_words: Vec<(String, String)>,
    /// Rejected-state blocks the page itself has (`registration-rejected-<reason>`).
    pub page_rejected_ids: Vec<String>,
}

impl FormSpec {
    pub fn new(w: &Webinar, theme: &Theme, page: &Page) -> FormSpec {
        let language = w.language;
        let strings = theme.strings(language.code());
        // The theme's string, else the catalog's, as on the page.
        let get =
            |k: &str| crate::render::theme::form_string(strings, language, k).unwrap_or_default();
        let reg = &w.registration;
        let reject_reasons = reg.reject_reasons.clone();
        let reason_words = reject_reasons
            .iter()
            .map(|r| {
                (
                    r.clone(),
                    Some(get(&format!("reason_{r}")))
                        .filter(|w| !w.is_empty())
                        .unwrap_or_else(|| r.clone()),
                )
            })
            .collect();
        let page_rejected_ids = reject_reasons
            .iter()
            .map(|r| format!("registration-rejected-{r}"))
            .filter(|id| page.index_html.contains(id.as_str()))
            .collect();
        FormSpec {
            fields: w.form.clone(),
            language,
            reject_reasons,
            accepted: reg
                .accepted_message
                .clone()
                .unwrap_or_else(|| get("form_accepted")),
            rejected_template: reg
                .rejected_message
                .clone()
                .unwrap_or_else(|| get("form_rejected")),
            retry: get("form_retry"),
            reason_words,
            page_rejected_ids,
        }
    }

    fn label(&self, id: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.label.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// Why a submission is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A required field (by id) is empty.
    Missing(String),
    /// The consent box is not ticked.
    Consent,
    /// The e-mail address is not an address.
    Email,
    /// The phone number has too few digits or stray characters.
    Phone,
    /// A select got a value that is not one of its options.
    Option(String),
    /// The position or company names a student: the theme's `student` rejection.
    Student,
}

impl Reason {
    /// The code carried in the redirect address.
    pub fn code(&self) -> String {
        match self {
            Reason::Missing(id) => format!("missing-{id}"),
            Reason::Consent => "consent".into(),
            Reason::Email => "email".into(),
            Reason::Phone => "phone".into(),
            Reason::Option(id) => format!("option-{id}"),
            Reason::Student => "student".into(),
        }
    }

    pub fn from_code(code: &str, spec: &FormSpec) -> Option<Reason> {
        let known = |id: &str| spec.fields.iter().any(|f| f.id == id);
        Some(match code {
            "consent" => Reason::Consent,
            "email" => Reason::Email,
            "phone" => Reason::Phone,
            "student" => Reason::Student,
            _ => {
                if let Some(id) = code.strip_prefix("missing-").filter(|id| known(id)) {
                    Reason::Missing(id.to_string())
                } else if let Some(id) = code.strip_prefix("option-").filter(|id| known(id)) {
                    Reason::Option(id.to_string())
                } else {
                    return None;
                }
            }
        })
    }
}

/// The verdict on one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    Rejected(Vec<Reason>),
}

const STUDENT_WORDS: &[&str] = &[
    "студент",
    "учащ",
    "школьник",
    "магистрант",
    "оқушы",
    "білім алушы",
    "student",
];

/// Judges a submission (the form's name/value pairs).
pub fn validate(spec: &FormSpec, pairs: &[(String, String)]) -> Verdict {
    let value = |id: &str| -> Option<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == id)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    };
    let mut reasons = Vec::new();
    for f in &spec.fields {
        let v = value(&f.id);
        match v {
            None if f.required => reasons.push(Reason::Missing(f.id.clone())),
            None => {}
            Some(v) => match f.input_type {
                "email" if !is_email(v) => reasons.push(Reason::Email),
                "tel" if !is_phone(v) => reasons.push(Reason::Phone),
                "select" if !f.options.iter().any(|o| o.trim() == v) => {
                    reasons.push(Reason::Option(f.id.clone()))
                }
                _ => {}
            },
        }
    }
    if value(CONSENT_ID).is_none() {
        reasons.push(Reason::Consent);
    }
    if reasons.is_empty() && spec.reject_reasons.iter().any(|r| r == "student") {
        let student = ["position", "company"].iter().any(|id| {
            value(id).is_some_and(|v| {
                let v = v.to_lowercase();
                STUDENT_WORDS.iter().any(|w| v.contains(w))
            })
        });
        if student {
            reasons.push(Reason::Student);
        }
    }
    if reasons.is_empty() {
        Verdict::Accepted
    } else {
        Verdict::Rejected(reasons)
    }
}

fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v.chars().any(char::is_whitespace)
}

fn is_phone(v: &str) -> bool {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    (10..=15).contains(&digits) && v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

/// Where the browser goes after a submission: the page, at the block that shows the
/// verdict.
pub fn redirect_for(spec: &FormSpec, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Accepted => "/#registration-accepted".into(),
        Verdict::Rejected(reasons) => {
            if let [Reason::Student] = reasons.as_slice() {
                let id = "registration-rejected-student";
                if spec.page_rejected_ids.iter().any(|i| i == id) {
                    return format!("/#{id}");
                }
            }
            let codes: Vec<String> = reasons.iter().map(Reason::code).collect();
            format!("/?rejected={}#{PREVIEW_REJECTED_ID}", codes.join(","))
        }
    }
}

/// The reason codes of a `?rejected=` query, the unknown ones dropped.
pub fn parse_rejected(spec: &FormSpec, query: &str) -> Vec<Reason> {
    let mut out = Vec::new();
    for pair in query.split('&') {
        let Some(codes) = pair.strip_prefix("rejected=") else {
            continue;
        };
        let codes = super::server::percent_decode(codes);
        for code in codes.split(',') {
            if let Some(r) = Reason::from_code(code.trim(), spec) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// The reasons in words, in the event's language.
pub fn reason_text(spec: &FormSpec, reasons: &[Reason]) -> String {
    let lang = spec.language;
    let say = |key: &str, slots: &[(&str, String)]| {
        catalog::fill(catalog::text(lang, &format!("serve.{key}")), slots)
            .unwrap_or_else(|u| u.partial)
    };
    let missing: Vec<String> = reasons
        .iter()
        .filter_map(|r| match r {
            Reason::Missing(id) => Some(format!("«{}»", spec.label(id))),
            _ => None,
        })
        .collect();
    let mut parts = Vec::new();
    match missing.len() {
        0 => {}
        1 => parts.push(say("missing_one", &[("field", missing[0].clone())])),
        _ => parts.push(say("missing_many", &[("fields", missing.join(", "))])),
    }
    for r in reasons {
        let words = match r {
            Reason::Missing(_) => continue,
            Reason::Consent => say("consent", &[]),
            Reason::Email => say("email", &[]),
            Reason::Phone => say("phone", &[]),
            Reason::Option(id) => say("option", &[("field", format!("«{}»", spec.label(id)))]),
            Reason::Student => spec
                .reason_words
                .iter()
                .find(|(r, _)| r == "student")
                .map(|(_, w)| w.clone())
                .unwrap_or_else(|| "student".into()),
        };
        parts.push(words);
    }
    parts.join("; ")
}

/// The rejected block the preview adds to the page: the theme's rejected message with the
/// reason, and the theme's "register again" link back to the form.
pub fn rejected_block(spec: &FormSpec, reasons: &[Reason]) -> String {
    let message = spec
        .rejected_template
        .replace(catalog::PAGE_REASON, &reason_text(spec, reasons));
    format!(
        "<div class=\"result result-no\" id=\"{PREVIEW_REJECTED_ID}\" role=\"alert\"><p>{}</p><p><a class=\"btn\" href=\"#registration-form\">{}</a></p></div>",
        esc(&message),
        esc(&spec.retry)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> FormSpec {
        let mk = |id: &str, label: &str, t: &'static str, required: bool| FormField {
            id: id.into(),
            sid: id.to_uppercase(),
            label: label.into(),
            input_type: t,
            autocomplete: None,
            required,
            mandatory: required,
            options: vec![],
        };
        FormSpec {
            fields: vec![
                mk("last_name", "Фамилия", "text", true),
                mk("first_name", "Имя", "text", true),
                mk("company", "Название компании", "text", true),
                mk("position", "Должность", "text", true),
                mk("email", "Электронная почта", "email", true),
                mk("phone", "Контактный телефон", "tel", true),
                mk("city", "Город", "text", false),
            ],
            language: Language::Ru,
            reject_reasons: vec!["competitor".into(), "student".into()],
            accepted: catalog::text(Language::Ru, "form.form_accepted").into(),
            rejected_template: "Заявка отклонена. Причина: {reason}.".into(),
            retry: catalog::text(Language::Ru, "form.form_retry").into(),
            reason_words: vec![("student".into(), "студентов не принимаем".into())],
            page_rejected_ids: vec!["registration-rejected-student".into()],
        }
    }

    fn full() -> Vec<(String, String)> {
        [
            ("last_name", "Иванова"),
            ("first_name", "Анна"),
            ("company", "ТОО «Ромашка»"),
            ("position", "Менеджер"),
            ("email", "anna@example.kz"),
            ("phone", "+7 701 000 00 00"),
            ("consent", "Y"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn without(key: &str) -> Vec<(String, String)> {
        full().into_iter().filter(|(k, _)| k != key).collect()
    }

    #[test]
    fn complete_submission_is_accepted() {
        assert_eq!(validate(&spec(), &full()), Verdict::Accepted);
        assert_eq!(
            redirect_for(&spec(), &Verdict::Accepted),
            "/#registration-accepted"
        );
    }

    #[test]
    fn missing_and_blank_fields_are_named() {
        let mut pairs = without("phone");
        pairs.retain(|(k, _)| k != "last_name");
        pairs.push(("last_name".into(), "   ".into()));
        let v = validate(&spec(), &pairs);
        let Verdict::Rejected(reasons) = &v else {
            panic!("{v:?}")
        };
        assert_eq!(
            reasons,
            &vec![
                Reason::Missing("last_name".into()),
                Reason::Missing("phone".into())
            ]
        );
        let url = redirect_for(&spec(), &v);
        assert_eq!(
            url,
            "/?rejected=missing-last_name,missing-phone#registration-rejected-preview"
        );
        let query = url.split_once('?').unwrap().1.split('#').next().unwrap();
        let parsed = parse_rejected(&spec(), query);
        assert_eq!(&parsed, reasons);
        let block = rejected_block(&spec(), &parsed);
        assert!(block.contains(
            "Заявка отклонена. Причина: не заполнены обязательные поля «Фамилия», «Контактный телефон»."
        ));
        assert!(block.contains("href=\"#registration-form\">Зарегистрироваться ещё раз<"));
    }

    #[test]
    fn consent_email_phone_and_student() {
        let v = validate(&spec(), &without("consent"));
        assert_eq!(v, Verdict::Rejected(vec![Reason::Consent]));
        assert!(reason_text(&spec(), &[Reason::Consent]).contains("согласие"));

        let mut bad = without("email");
        bad.push(("email".into(), "anna at example".into()));
        bad.retain(|(k, _)| k != "phone");
        bad.push(("phone".into(), "12-34".into()));
        assert_eq!(
            validate(&spec(), &bad),
            Verdict::Rejected(vec![Reason::Email, Reason::Phone])
        );

        let mut student = without("position");
        student.push(("position".into(), "Студентка 3 курса".into()));
        let v = validate(&spec(), &student);
        assert_eq!(v, Verdict::Rejected(vec![Reason::Student]));
        assert_eq!(redirect_for(&spec(), &v), "/#registration-rejected-student");
    }

    #[test]
    fn unknown_codes_are_dropped() {
        let r = parse_rejected(
            &spec(),
            "rejected=missing-nope,%3Cscript%3E,consent,missing-email",
        );
        assert_eq!(r, vec![Reason::Consent, Reason::Missing("email".into())]);
    }
}
