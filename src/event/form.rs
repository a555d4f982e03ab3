//! The registration form every page carries: the six fields the rules make mandatory
//! (Посадочная 4), the event's extra fields, and the consent checkbox. Every target renders
//! its form from [`form_fields`], so no target can drop or relax a mandatory field.

use serde::Serialize;

use super::model::{text, FieldType, Language};
use super::Event;

#[derive(Debug, Clone, Serialize)]
pub struct FormField {
    /// The HTML name and the Bitrix question SID (upper-cased) of the field.
    pub id: String,
    pub sid: String,
    pub label: String,
    #[serde(rename = "type")]
    pub input_type: &'static str,
    pub autocomplete: Option<&'static str>,
    pub required: bool,
    pub mandatory: bool,
    pub options: Vec<String>,
}

/// A mandatory field: id, labels (ru, kk), input type, autocomplete token, and the words by
/// which the consent's list of data is recognised to cover it.
pub struct Mandatory {
    pub id: &'static str,
    pub label_ru: &'static str,
    pub label_kk: &'static str,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub consent_words: &'static [&'static str],
}

pub const MANDATORY: &[Mandatory] = &[
    Mandatory {
        id: "last_name",
        label_ru: "Фамилия",
        label_kk: "Тегі",
        input_type: "text",
        autocomplete: "family-name",
        consent_words: &["фамили", "тег", "фио", "ф.и.о"],
    },
    Mandatory {
        id: "first_name",
        label_ru: "Имя",
        label_kk: "Аты",
        input_type: "text",
        autocomplete: "given-name",
        consent_words: &["имя", "имени", "аты", "фио", "ф.и.о"],
    },
    Mandatory {
        id: "company",
        label_ru: "Название компании",
        label_kk: "Компания атауы",
        input_type: "text",
        autocomplete: "organization",
        consent_words: &[
            "компани",
            "организаци",
            "место работы",
            "мест работы",
            "ұйым",
        ],
    },
    Mandatory {
        id: "position",
        label_ru: "Должность",
        label_kk: "Лауазымы",
        input_type: "text",
        autocomplete: "organization-title",
        consent_words: &["должност", "лауазым"],
    },
    Mandatory {
        id: "email",
        label_ru: "Электронная почта",
        label_kk: "Электрондық пошта",
        input_type: "email",
        autocomplete: "email",
        consent_words: &["почт", "e-mail", "email", "имейл", "пошта"],
    },
    Mandatory {
        id: "phone",
        label_ru: "Контактный телефон",
        label_kk: "Байланыс телефоны",
        input_type: "tel",
        autocomplete: "tel",
        consent_words: &["телефон"],
    },
];

/// The consent checkbox's id/SID.
pub const CONSENT_ID: &str = "consent";

pub fn is_mandatory_id(id: &str) -> bool {
    MANDATORY.iter().any(|m| m.id == id) || id == CONSENT_ID
}

/// All fields of the form, mandatory first, then the event's extra fields.
pub fn form_fields(event: &Event) -> Vec<FormField> {
    let lang = event.language();
    let mut fields: Vec<FormField> = MANDATORY
        .iter()
        .map(|m| FormField {
            id: m.id.to_string(),
            sid: m.id.to_uppercase(),
            label: match lang {
                Language::Ru => m.label_ru,
                Language::Kk => m.label_kk,
            }
            .to_string(),
            input_type: m.input_type,
            autocomplete: Some(m.autocomplete),
            required: true,
            mandatory: true,
            options: vec![],
        })
        .collect();
    let extra = event
        .file
        .registration
        .as_ref()
        .map(|r| r.get_ref().extra_fields.as_slice())
        .unwrap_or(&[]);
    for f in extra {
        let f = f.get_ref();
        let Some(id) = text(&f.id) else { continue };
        if is_mandatory_id(id) {
            continue;
        }
        let field_type = f
            .field_type
            .as_ref()
            .map(|t| *t.get_ref())
            .unwrap_or_default();
        fields.push(FormField {
            id: id.to_string(),
            sid: id.to_uppercase().replace('-', "_"),
            label: text(&f.label).unwrap_or(id).to_string(),
            input_type: match field_type {
                FieldType::Text => "text",
                FieldType::Email => "email",
                FieldType::Tel => "tel",
                FieldType::Select => "select",
                FieldType::Checkbox => "checkbox",
                FieldType::Textarea => "textarea",
            },
            autocomplete: None,
            required: f.required.as_ref().map(|r| *r.get_ref()).unwrap_or(false),
            mandatory: false,
            options: f.options.iter().map(|o| o.get_ref().clone()).collect(),
        });
    }
    fields
}
