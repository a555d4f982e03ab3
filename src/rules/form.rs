//! `form.*`: the registration form (Посадочная 2, 4, 6, 7, 11).

use super::texts::Phrases;
use super::{rule, span_of, Ctx, PieceCtx, Rule, TextPiece, TextRole};
use crate::diag::Diagnostic;
use crate::event::form::{is_mandatory_id, MANDATORY};
use crate::event::model::{text, Registration};
use crate::t;

pub fn rules() -> Vec<Rule> {
    vec![
        rule!("form.fields", Error, "Фамилия, Имя, Название компании, Должность, Электронная почта, Контактный телефон и согласие есть и обязательны", "the six mandatory fields and the consent checkbox are present and required", "Посадочная 4", fields),
        rule!("form.captcha", Error, "никакой CAPTCHA", "no CAPTCHA of any kind", "Посадочная 7", captcha, each_text: captcha_in),
        rule!("form.confirm-by-link", Error, "от слушателя не требуют подтверждать регистрацию по ссылке", "no confirmation link or other confirmation asked of the registrant", "Посадочная 6", confirm_by_link, each_text: confirm_by_link_in),
        rule!("form.confirmation-email", Error, "слушателю уходит письмо-подтверждение регистрации на указанный адрес", "a confirmation e-mail to the registrant's address is configured", "Посадочная 6", confirmation_email),
        rule!("form.result-messages", Error, "есть сообщения «заявка принята» и «заявка отклонена» с причиной и возможностью зарегистрироваться снова", "accepted and rejected messages exist; rejected states its reason and offers to register again", "Посадочная 6", result_messages),
        rule!("form.reject-reasons", Error, "причины отказа — только конкурент или студент", "rejection reasons only competitor or student", "Посадочная 11", reject_reasons),
    ]
}

fn registration<'a>(ctx: &'a Ctx) -> Option<&'a Registration> {
    ctx.event.file.registration.as_ref().map(|r| r.get_ref())
}

fn fields(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(reg) = registration(ctx) else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, f) in reg.extra_fields.iter().enumerate() {
        let n = i + 1;
        let field = f.get_ref();
        let Some(id_v) = field.id.as_ref() else {
            out.push(
                Diagnostic::new(
                    "form.fields",
                    t!(
                        "у дополнительного поля №{n} нет id",
                        "extra field {n} has no id"
                    ),
                )
                .at(Some(f.span()))
                .help(t!(
                    "добавьте id = \"city\" (латиница, цифры, _)",
                    "add id = \"city\" (latin letters, digits, _)"
                )),
            );
            continue;
        };
        let id = id_v.get_ref().as_str();
        if is_mandatory_id(id) {
            out.push(Diagnostic::new("form.fields", t!("поле «{id}» обязательное и встроено в форму: его нельзя переопределить", "\"{id}\" is a built-in mandatory field and cannot be redefined"))
                .at(Some(id_v.span()))
                .help(t!("уберите это поле из extra_fields: шесть обязательных полей и согласие форма содержит всегда", "drop it from extra_fields: the form always has the mandatory fields")));
            continue;
        }
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            || id.len() > 40
        {
            out.push(
                Diagnostic::new(
                    "form.fields",
                    t!(
                        "id поля «{id}» недопустим",
                        "field id \"{id}\" is not valid"
                    ),
                )
                .at(Some(id_v.span()))
                .help(t!(
                    "id пишется строчной латиницей, цифрами и «_», например \"city\"",
                    "write ids in a-z, 0-9 and _, e.g. \"city\""
                )),
            );
        }
        if seen.contains(&id) {
            out.push(
                Diagnostic::new(
                    "form.fields",
                    t!(
                        "id поля «{id}» повторяется",
                        "field id \"{id}\" is repeated"
                    ),
                )
                .at(Some(id_v.span()))
                .help(t!(
                    "дайте каждому полю свой id",
                    "give each field its own id"
                )),
            );
        }
        seen.push(id);
        if text(&field.label).is_none() {
            out.push(
                Diagnostic::new(
                    "form.fields",
                    t!(
                        "у поля «{id}» нет подписи label",
                        "field \"{id}\" has no label"
                    ),
                )
                .at(Some(f.span()))
                .help(t!(
                    "добавьте label = \"…\": поле без подписи нельзя заполнить осознанно",
                    "add label = \"...\""
                )),
            );
        }
        // An extra field that repeats a mandatory one would let a partner relax it.
        if let Some(label) = text(&field.label) {
            let l = label.trim().to_lowercase();
            if let Some(m) = MANDATORY
                .iter()
                .find(|m| m.label_ru.to_lowercase() == l || m.label_kk.to_lowercase() == l)
            {
                let mandatory = m.label_ru;
                out.push(
                    Diagnostic::new(
                        "form.fields",
                        t!(
                            "поле «{label}» дублирует обязательное поле «{mandatory}»",
                            "field \"{label}\" duplicates the mandatory field \"{mandatory}\""
                        ),
                    )
                    .at(span_of(&field.label))
                    .help(t!(
                        "уберите его: обязательные поля уже есть в форме и всегда обязательны",
                        "drop it: the mandatory fields are always there and required"
                    )),
                );
            }
        }
        if field
            .field_type
            .as_ref()
            .is_some_and(|t| *t.get_ref() == crate::event::model::FieldType::Select)
            && field.options.is_empty()
        {
            out.push(
                Diagnostic::new(
                    "form.fields",
                    t!(
                        "у списка «{id}» нет вариантов options",
                        "select \"{id}\" has no options"
                    ),
                )
                .at(Some(f.span()))
                .help(t!(
                    "добавьте options = [\"…\", \"…\"]",
                    "add options = [\"...\"]"
                )),
            );
        }
    }
    out
}

static CAPTCHA_WORDS: Phrases = Phrases::new(&[
    "captcha",
    "капча",
    "капчу",
    "капчи",
    "recaptcha",
    "smartcaptcha",
    "я не робот",
]);

fn captcha(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(c) = registration(ctx)
        .and_then(|r| r.captcha.as_ref())
        .filter(|c| *c.get_ref())
    {
        out.push(
            Diagnostic::new(
                "form.captcha",
                t!(
                    "CAPTCHA запрещена правилами",
                    "CAPTCHA is forbidden by the rules"
                ),
            )
            .at(Some(c.span()))
            .help(t!(
                "уберите ключ или укажите captcha = false",
                "drop the key or write captcha = false"
            )),
        );
    }
    out
}

/// `form.captcha` in one text: a CAPTCHA mentioned.
fn captcha_in(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some((range, word)) = piece.find_any_ci(&CAPTCHA_WORDS) {
        out.push(
            Diagnostic::new(
                "form.captcha",
                t!(
                    "упоминается CAPTCHA: «{word}»",
                    "the text mentions a CAPTCHA: \"{word}\""
                ),
            )
            .at(piece.local(range))
            .help(t!(
                "CAPTCHA запрещена: уберите её из формы и из текста",
                "CAPTCHA is forbidden: remove it"
            )),
        );
    }
    out
}

static CONFIRM_LINK_PHRASES: Phrases = Phrases::new(&[
    "подтвердите регистрацию",
    "подтвердить регистрацию",
    "для подтверждения регистрации перейдите",
    "перейдите по ссылке для подтверждения",
    "confirm your registration",
]);

fn confirm_by_link(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(c) = registration(ctx)
        .and_then(|r| r.confirm_by_link.as_ref())
        .filter(|c| *c.get_ref())
    {
        out.push(Diagnostic::new("form.confirm-by-link", t!("подтверждение регистрации по ссылке запрещено", "asking to confirm the registration by a link is forbidden"))
            .at(Some(c.span()))
            .help(t!("уберите ключ или укажите confirm_by_link = false: слушатель получает подтверждение, ничего не подтверждая", "drop it or write confirm_by_link = false")));
    }
    out
}

/// `form.confirm-by-link` in one text: the registrant asked to confirm.
fn confirm_by_link_in(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !matches!(piece.role, TextRole::Consent | TextRole::Notes) {
        if let Some((range, phrase)) = piece.find_any_ci(&CONFIRM_LINK_PHRASES) {
            out.push(
                Diagnostic::new(
                    "form.confirm-by-link",
                    t!(
                        "от слушателя требуют подтверждения: «{phrase}»",
                        "the registrant is asked to confirm: \"{phrase}\""
                    ),
                )
                .at(piece.local(range))
                .help(t!(
                    "запрещено просить подтвердить регистрацию: напишите, что регистрация принята",
                    "do not ask for confirmation: say the registration is accepted"
                )),
            );
        }
    }
    out
}

fn confirmation_email(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(mail) = registration(ctx).and_then(|r| r.confirmation_email.as_ref()) else {
        // The theme's default confirmation e-mail is used.
        return vec![];
    };
    let mail = mail.get_ref();
    let mut out = Vec::new();
    if let Some(e) = mail.enabled.as_ref().filter(|e| !*e.get_ref()) {
        out.push(
            Diagnostic::new(
                "form.confirmation-email",
                t!(
                    "письмо-подтверждение регистрации выключено",
                    "the confirmation e-mail is switched off"
                ),
            )
            .at(Some(e.span()))
            .help(t!(
                "слушатель обязан получить подтверждение на свой e-mail: уберите enabled = false",
                "the registrant must get a confirmation e-mail: drop enabled = false"
            )),
        );
    }
    for (key, v) in [("subject", &mail.subject), ("body", &mail.body)] {
        if let Some(v) = v.as_ref().filter(|v| v.get_ref().trim().is_empty()) {
            out.push(
                Diagnostic::new(
                    "form.confirmation-email",
                    t!(
                        "`confirmation_email.{key}` пустой",
                        "`confirmation_email.{key}` is empty"
                    ),
                )
                .at(Some(v.span()))
                .help(t!(
                    "напишите текст или уберите ключ, чтобы взять текст темы",
                    "write a text or drop the key to use the theme's"
                )),
            );
        }
    }
    out
}

fn result_messages(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(reg) = registration(ctx) {
        if let Some(v) = reg
            .accepted_message
            .as_ref()
            .filter(|v| v.get_ref().trim().is_empty())
        {
            out.push(Diagnostic::new("form.result-messages", t!("сообщение «заявка принята» пустое", "the accepted message is empty"))
                .at(Some(v.span()))
                .help(t!("напишите, что заявка принята и письмо-подтверждение уже в пути, или уберите ключ", "say the registration is accepted and a confirmation e-mail is on its way")));
        }
        if let Some(v) = &reg.rejected_message {
            if !v.get_ref().contains("{reason}") {
                out.push(
                    Diagnostic::new(
                        "form.result-messages",
                        t!(
                            "в сообщении об отклонении не указана причина",
                            "the rejected message does not state the reason"
                        ),
                    )
                    .at(Some(v.span()))
                    .help(t!(
                        "вставьте {{reason}} в текст: причина отклонения должна быть явно указана",
                        "put {{reason}} in the text: the reason must be stated"
                    )),
                );
            }
        }
    }
    let theme_has = |suffix: &str| {
        ctx.texts.iter().any(|p| {
            p.role == TextRole::Theme && p.key.ends_with(suffix) && !p.text.trim().is_empty()
        })
    };
    let theme_loaded = ctx.texts.iter().any(|p| p.role == TextRole::Theme);
    if theme_loaded {
        for key in ["form_accepted", "form_rejected", "form_retry"] {
            if !theme_has(key) {
                out.push(
                    Diagnostic::new(
                        "form.result-messages",
                        t!(
                            "в строках темы нет `{key}`",
                            "the theme strings lack `{key}`"
                        ),
                    )
                    .help(t!(
                        "добавьте {key} в strings.ru.toml и strings.kk.toml темы",
                        "add {key} to the theme strings"
                    )),
                );
            }
        }
    }
    out
}

fn reject_reasons(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(list) = registration(ctx).and_then(|r| r.reject_reasons.as_ref()) else {
        return vec![];
    };
    list.get_ref()
        .iter()
        .filter(|r| !matches!(r.get_ref().as_str(), "competitor" | "student"))
        .map(|r| {
            let written = r.get_ref();
            Diagnostic::new("form.reject-reasons", t!("причина отказа «{written}» не допускается", "rejection reason \"{written}\" is not allowed"))
                .at(Some(r.span()))
                .help(t!("отказать в регистрации можно только конкурентам (\"competitor\") и студентам (\"student\"); всех остальных нужно зарегистрировать — уберите «{written}» из списка", "only \"competitor\" and \"student\" may be refused; everyone else is registered: remove \"{written}\" from the list"))
        })
        .collect()
}
