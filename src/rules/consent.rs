//! `consent.*`: the consent to personal-data processing (Посадочная 4 and its **; see
//! `shared/research/personal-data-consent.md`). A structured `[consent]` is checked key by
//! key; a partner's own `text` is checked for the same content by meaning, through families of
//! word stems.

use super::{rule, Ctx, Rule};
use crate::diag::Diagnostic;
use crate::event::form::{form_fields, MANDATORY};
use crate::event::model::{text, Consent, Sp};
use crate::i18n::Text;
use crate::t;

pub fn rules() -> Vec<Rule> {
    vec![
        rule!("consent.sections", Error, "согласие описывает цель, перечень данных, действия, передачу третьим лицам, срок обработки и срок хранения", "consent covers purpose, data, actions, third parties, processing term and storage term", "Посадочная 4 **", sections),
        rule!("consent.bitrix-clause", Error, "в согласии сказано, что «1С-Битрикс» также вправе обрабатывать эти данные", "the consent states that 1C-Bitrix also has the right to process the data", "Посадочная 4 **", bitrix_clause),
        rule!("consent.data-coverage", Error, "каждое поле формы входит в перечень данных согласия", "every form field is covered by the consent's list of data", "Посадочная 4 **", data_coverage),
        rule!("consent.details", Warning, "согласие называет оператора, порядок отзыва и место хранения данных (закон РК «О персональных данных»)", "the consent names the operator, how to withdraw and where the data are stored (Kazakhstan's personal data law)", "Посадочная 4 **", details),
    ]
}

/// One required part of the consent: the structured key, and the stems by which a free text
/// is recognised to contain it (any stem of any one family... all families must match).
struct Section {
    key: &'static str,
    name: Text,
    families: &'static [&'static [&'static str]],
}

fn required_sections() -> Vec<Section> {
    vec![
        Section {
            key: "purposes",
            name: t!("цель обработки", "the purpose of processing"),
            families: &[&["цел", "мақсат"]],
        },
        Section {
            key: "data",
            name: t!("перечень персональных данных", "the list of data"),
            families: &[&["фамили", "тегі"], &["почт", "e-mail", "email", "пошта"]],
        },
        Section {
            key: "actions",
            name: t!("перечень действий с данными", "the permitted actions"),
            families: &[
                &["сбор", "жина"],
                &["хранени", "сақта", "использ", "систематиз"],
            ],
        },
        Section {
            key: "third_parties",
            name: t!("передача третьим лицам", "transfer to third parties"),
            families: &[&["третьим лиц", "третьих лиц", "третьи лиц", "үшінші"]],
        },
        Section {
            key: "term",
            name: t!(
                "срок обработки (срок действия согласия)",
                "the processing term"
            ),
            families: &[&["срок", "мерзім", "до отзыва", "лет", "года"]],
        },
        Section {
            key: "storage",
            name: t!("срок хранения", "the storage term"),
            families: &[
                &["хранени", "сақта"],
                &["срок", "мерзім", "лет", "года", "год"],
            ],
        },
    ]
}

fn consent<'a>(ctx: &'a Ctx) -> Option<&'a Sp<Consent>> {
    ctx.event.file.consent.as_ref()
}

fn has_all_families(lower: &str, families: &[&[&str]]) -> bool {
    families
        .iter()
        .all(|fam| fam.iter().any(|stem| lower.contains(stem)))
}

fn list_filled(v: &Option<Sp<Vec<Sp<String>>>>) -> bool {
    v.as_ref()
        .is_some_and(|l| l.get_ref().iter().any(|s| !s.get_ref().trim().is_empty()))
}

fn structured_value(c: &Consent, key: &str) -> bool {
    match key {
        "purposes" => list_filled(&c.purposes),
        "data" => list_filled(&c.data),
        "actions" => list_filled(&c.actions),
        "third_parties" => list_filled(&c.third_parties),
        "term" => text(&c.term).is_some(),
        "storage" => text(&c.storage).is_some(),
        _ => true,
    }
}

fn sections(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(c) = consent(ctx) else {
        return vec![Diagnostic::new("consent.sections", t!("нет согласия на обработку персональных данных [consent]", "there is no [consent] table"))
            .help(t!("добавьте таблицу [consent] (см. example-event/event.toml): оператор, цели, данные, действия, третьи лица, сроки", "add a [consent] table (see example-event/event.toml)"))];
    };
    let mut out = Vec::new();
    let body = c.get_ref();
    if let Some(own) = &body.text {
        let lower = own.get_ref().to_lowercase();
        for s in required_sections() {
            if !has_all_families(&lower, s.families) {
                let (ru, en) = (&s.name.ru, &s.name.en);
                out.push(
                    Diagnostic::new(
                        "consent.sections",
                        t!(
                            "в тексте согласия нет раздела: {ru}",
                            "the consent text lacks: {en}"
                        ),
                    )
                    .at(Some(own.span()))
                    .help(t!(
                        "допишите в текст согласия: {ru}",
                        "add to the consent text: {en}"
                    )),
                );
            }
        }
        return out;
    }
    for s in required_sections() {
        if !structured_value(body, s.key) {
            let key = s.key;
            let (ru, en) = (&s.name.ru, &s.name.en);
            out.push(
                Diagnostic::new(
                    "consent.sections",
                    t!(
                        "в согласии не заполнено: {ru} (`consent.{key}`)",
                        "the consent lacks {en} (`consent.{key}`)"
                    ),
                )
                .at(Some(c.span()))
                .help(t!(
                    "добавьте в [consent] ключ {key}; пример — в example-event/event.toml",
                    "add {key} to [consent]; see example-event/event.toml"
                )),
            );
        }
    }
    out
}

/// `consent.details`: what Kazakhstan's personal data law also asks a consent built from
/// `[consent]` to name. A partner's own `text` is judged by `consent.sections` alone.
fn details(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(c) = consent(ctx) else {
        return Vec::new();
    };
    let body = c.get_ref();
    if body.text.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (key, ru, en) in [
        (
            "operator",
            "оператор (наименование, БИН, адрес)",
            "the operator (name, BIN, address)",
        ),
        (
            "withdrawal",
            "порядок отзыва согласия",
            "how to withdraw the consent",
        ),
        (
            "storage_location",
            "место хранения данных (база данных на территории Республики Казахстан)",
            "where the data are stored (a database in Kazakhstan)",
        ),
    ] {
        let present = match key {
            "operator" => text(&body.operator).is_some(),
            "storage_location" => text(&body.storage_location).is_some(),
            _ => text(&body.withdrawal).is_some(),
        };
        if !present {
            out.push(
                Diagnostic::new(
                    "consent.details",
                    t!(
                        "в согласии не указан {ru} (`consent.{key}`)",
                        "the consent does not name {en} (`consent.{key}`)"
                    ),
                )
                .at(Some(c.span()))
                .help(t!(
                    "закон РК «О персональных данных» требует указать {ru}",
                    "Kazakhstan's personal data law asks for {en}"
                )),
            );
        }
    }
    out
}

/// A mention of 1C-Bitrix with a right to process: «1С-Битрикс» вправе / имеет право обрабатывать.
fn mentions_bitrix(s: &str) -> bool {
    let l = crate::event::products::normalize(s);
    l.contains("битрикс") || l.contains("bitrix")
}

fn grants_right(s: &str) -> bool {
    let l = s.to_lowercase();
    ["вправе", "прав", "құқ"].iter().any(|w| l.contains(w))
}

fn bitrix_clause(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(c) = consent(ctx) else { return vec![] };
    let body = c.get_ref();
    let help = t!(
        "добавьте в third_parties строку \"ТОО «1С-Битрикс Казахстан» — вправе обрабатывать эти данные в тех же целях\"",
        "add to third_parties: \"ТОО «1С-Битрикс Казахстан» — вправе обрабатывать эти данные в тех же целях\""
    );
    if let Some(own) = &body.text {
        let has = own
            .get_ref()
            .split(['.', ';', '\n'])
            .any(|sentence| mentions_bitrix(sentence) && grants_right(sentence));
        if has {
            return vec![];
        }
        return vec![Diagnostic::new("consent.bitrix-clause", t!("в тексте согласия нет пункта о праве «1С-Битрикс» обрабатывать данные", "the consent text does not say 1C-Bitrix may process the data"))
            .at(Some(own.span()))
            .help(t!("добавьте предложение: «ТОО «1С-Битрикс Казахстан» также вправе обрабатывать эти персональные данные в тех же целях»", "add a sentence saying «1С-Битрикс» also has the right to process these data"))];
    }
    let listed = body
        .third_parties
        .as_ref()
        .is_some_and(|l| l.get_ref().iter().any(|s| mentions_bitrix(s.get_ref())));
    if listed {
        return vec![];
    }
    vec![Diagnostic::new(
        "consent.bitrix-clause",
        t!(
            "в согласии нет пункта о том, что «1С-Битрикс» также вправе обрабатывать данные",
            "the consent does not say 1C-Bitrix also has the right to process the data"
        ),
    )
    .at(body
        .third_parties
        .as_ref()
        .map(|t| t.span())
        .or(Some(c.span())))
    .help(help)]
}

fn data_coverage(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(c) = consent(ctx) else { return vec![] };
    let body = c.get_ref();
    let (haystack, at) = match (&body.text, &body.data) {
        (Some(own), _) => (own.get_ref().to_lowercase(), own.span()),
        (None, Some(data)) => (
            data.get_ref()
                .iter()
                .map(|s| s.get_ref().to_lowercase())
                .collect::<Vec<_>>()
                .join("; "),
            data.span(),
        ),
        // consent.sections reports the missing list.
        (None, None) => return vec![],
    };
    let mut out = Vec::new();
    for field in form_fields(ctx.event) {
        let covered = match MANDATORY.iter().find(|m| m.id == field.id) {
            Some(m) => m.consent_words.iter().any(|w| haystack.contains(w)),
            None => {
                // An extra field is covered when the stem of its label's first word is listed.
                let label = field.label.to_lowercase();
                let word = label.split_whitespace().next().unwrap_or("");
                let stem: String = word
                    .chars()
                    .take(word.chars().count().clamp(3, 5))
                    .collect();
                !stem.is_empty() && haystack.contains(&stem)
            }
        };
        if !covered {
            let label = &field.label;
            out.push(
                Diagnostic::new(
                    "consent.data-coverage",
                    t!(
                        "поле формы «{label}» не входит в перечень данных согласия",
                        "form field \"{label}\" is not in the consent's list of data"
                    ),
                )
                .at(Some(at.clone()))
                .help(t!(
                    "добавьте «{lower}» в consent.data",
                    "add \"{lower}\" to consent.data",
                    lower = label.to_lowercase()
                )),
            );
        }
    }
    out
}
