//! `organizer.*` and `logo.*`: who runs the webinar and whose logos stand where
//! (Посадочная 3 and 5).

use super::{rule, Ctx, Rule};
use crate::diag::Diagnostic;
use crate::event::model::text;
use crate::event::paths::{self, ImageKind};
use crate::event::products::is_bitrix_mark;
use crate::t;

pub fn rules() -> Vec<Rule> {
    vec![
        rule!("organizer.logo", Error, "логотип организатора указан, лежит в папке события и читается как изображение", "organizer logo given, inside the folder, a readable image", "Посадочная 5", logo),
        rule!("organizer.contacts", Error, "есть хотя бы один контакт организатора с корректным e-mail или телефоном", "at least one contact with a valid e-mail or phone", "Посадочная 3", contacts),
        rule!("logo.bitrix-placement", Error, "логотип «1С-Битрикс»/«Битрикс24» только в шапке или в блоке партнёров и никогда не единственный", "1C-Bitrix / Bitrix24 logos only in header or partners placement; never the only logo", "Посадочная 5", bitrix_placement),
    ]
}

fn logo(ctx: &Ctx) -> Vec<Diagnostic> {
    let organizer = ctx.event.file.organizer.as_ref();
    let Some(logo) = organizer.and_then(|o| o.get_ref().logo.as_ref()) else {
        return vec![Diagnostic::new("organizer.logo", t!("не указан логотип организатора", "the organizer logo is missing"))
            .at(organizer.map(|o| o.span()))
            .help(t!("положите логотип в assets/ и добавьте в [organizer] logo = \"assets/logo.svg\" (SVG, PNG, JPEG или WebP)", "put the logo in assets/ and add logo = \"assets/logo.svg\" to [organizer]"))];
    };
    let base = ctx
        .event
        .sources
        .dir_of(&logo.span())
        .unwrap_or_else(|| ctx.event.dir.clone());
    let written = logo.get_ref();
    let Ok(path) = paths::resolve(&base, written) else {
        // input.path says why the file cannot be used.
        return vec![];
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    // A damaged or oversized file of a known format: `input.image` names the problem.
    if ImageKind::sniff(&bytes).is_some() {
        return vec![];
    }
    vec![Diagnostic::new(
        "organizer.logo",
        t!(
            "«{written}» не читается как изображение SVG, PNG, JPEG или WebP",
            "\"{written}\" is not a readable SVG, PNG, JPEG or WebP image"
        ),
    )
    .at(Some(logo.span()))
    .help(t!(
        "сохраните логотип в формате SVG или PNG и укажите путь к нему",
        "save the logo as SVG or PNG"
    ))]
}

fn valid_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
}

fn valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (10..=15).contains(&digits) && s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

fn contacts(ctx: &Ctx) -> Vec<Diagnostic> {
    let organizer = ctx.event.file.organizer.as_ref();
    let list = organizer
        .map(|o| o.get_ref().contacts.as_slice())
        .unwrap_or(&[]);
    let mut out = Vec::new();
    if organizer.is_none_or(|o| text(&o.get_ref().name).is_none()) {
        out.push(
            Diagnostic::new(
                "organizer.contacts",
                t!(
                    "не указано название организатора `organizer.name`",
                    "`organizer.name` is missing"
                ),
            )
            .at(organizer.map(|o| o.span()))
            .help(t!(
                "добавьте [organizer] name = \"ТОО «Ваша компания»\"",
                "add name = \"...\" to [organizer]"
            )),
        );
    }
    if list.is_empty() {
        out.push(Diagnostic::new("organizer.contacts", t!("нет контактов организатора", "the organizer has no contacts"))
            .at(organizer.map(|o| o.span()))
            .help(t!("добавьте [[organizer.contacts]] с name, email и/или phone ответственного сотрудника", "add [[organizer.contacts]] with name, email and/or phone")));
    }
    for (i, c) in list.iter().enumerate() {
        let n = i + 1;
        let c_ref = c.get_ref();
        if text(&c_ref.email).is_none() && text(&c_ref.phone).is_none() {
            out.push(
                Diagnostic::new(
                    "organizer.contacts",
                    t!(
                        "у контакта №{n} нет ни e-mail, ни телефона",
                        "contact {n} has neither e-mail nor phone"
                    ),
                )
                .at(Some(c.span()))
                .help(t!(
                    "добавьте email = \"events@example.kz\" или phone = \"+7 727 000 00 00\"",
                    "add email or phone"
                )),
            );
        }
        if let Some(email) = c_ref.email.as_ref().filter(|e| !valid_email(e.get_ref())) {
            let written = email.get_ref();
            out.push(
                Diagnostic::new(
                    "organizer.contacts",
                    t!(
                        "«{written}» — некорректный e-mail",
                        "\"{written}\" is not a valid e-mail"
                    ),
                )
                .at(Some(email.span()))
                .help(t!(
                    "запишите адрес целиком: имя@домен.kz",
                    "write the whole address: name@domain.kz"
                )),
            );
        }
        if let Some(phone) = c_ref.phone.as_ref().filter(|p| !valid_phone(p.get_ref())) {
            let written = phone.get_ref();
            out.push(
                Diagnostic::new(
                    "organizer.contacts",
                    t!(
                        "«{written}» — некорректный телефон",
                        "\"{written}\" is not a valid phone number"
                    ),
                )
                .at(Some(phone.span()))
                .help(t!(
                    "запишите номер с кодом страны и города: +7 727 355 00 00",
                    "write the number with country and area code: +7 727 355 00 00"
                )),
            );
        }
    }
    out
}

fn bitrix_placement(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &ctx.event.file.partners {
        let p = p.get_ref();
        let is_bitrix =
            text(&p.name).is_some_and(is_bitrix_mark) || text(&p.logo).is_some_and(is_bitrix_mark);
        match &p.placement {
            Some(pl) if !matches!(pl.get_ref().as_str(), "header" | "partners") => {
                let written = pl.get_ref();
                let msg = if is_bitrix {
                    t!(
                        "логотип «1С-Битрикс»/«Битрикс24» нельзя размещать в «{written}»",
                        "the 1C-Bitrix / Bitrix24 logo may not stand in \"{written}\""
                    )
                } else {
                    t!(
                        "размещение «{written}» не поддерживается",
                        "placement \"{written}\" is not supported"
                    )
                };
                out.push(Diagnostic::new("logo.bitrix-placement", msg)
                    .at(Some(pl.span()))
                    .help(t!("допустимо placement = \"header\" (шапка) или \"partners\" (блок «Наши партнёры»)", "use placement = \"header\" or \"partners\"")));
            }
            _ => {}
        }
    }
    // Never the only logo: the organizer's own logo must be there and must not be Bitrix's.
    if let Some(o) = &ctx.event.file.organizer {
        let o = o.get_ref();
        if let Some(logo) = o.logo.as_ref().filter(|l| is_bitrix_mark(l.get_ref())) {
            out.push(Diagnostic::new("logo.bitrix-placement", t!("логотипом организатора указан логотип «1С-Битрикс»/«Битрикс24»", "the organizer logo is a 1C-Bitrix / Bitrix24 logo"))
                .at(Some(logo.span()))
                .help(t!("логотип организатора — логотип вашей компании; логотип «Битрикс24» добавьте в [[partners]]", "the organizer logo is your company's; put the Bitrix24 logo in [[partners]]")));
        }
    }
    out
}
