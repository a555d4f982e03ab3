//! `mail.*` and `announce.*`: reminders, the follow-up and the announcement kit
//! («Работа с зарегистрированными», «Работа с лидами», «Анонсирование»).

use super::{rule, Ctx, Rule, TextRole};
use crate::diag::Diagnostic;
use crate::event::model::text;
use crate::event::products;
use crate::rules::texts::find_ci;
use crate::t;

/// The reminders the rules require; SMS only adds to them.
pub const REQUIRED_REMINDERS: &[&str] = &["weekly", "day-before", "day-of", "15-min"];

pub fn rules() -> Vec<Rule> {
    vec![
        rule!("mail.reminder-schedule", Error, "запланированы еженедельные напоминания, финальное за день, в день вебинара и за 15 минут (СМС — только дополнительно)", "weekly, day-before, day-of and 15-minute e-mail reminders are all planned", "Работа с зарегистрированными", reminder_schedule),
        rule!("mail.followup", Warning, "запланировано письмо со слайдами и записью в течение 3 рабочих дней после вебинара", "a follow-up with slides and recording within 3 working days is planned", "Работа с лидами 1", followup),
        rule!("announce.cold-mail", Error, "холодная рассылка не упоминает ни «1С-Битрикс», ни его продукты", "the cold mailing mentions neither 1C-Bitrix nor its products", "Анонсирование 4", cold_mail),
        rule!("announce.logo", Error, "на карточках анонса есть логотип организатора; логотип «1С-Битрикс»/«Битрикс24» не один", "cards carry the organizer's logo; the 1C-Bitrix logo never alone", "Анонсирование, Внимание", announce_logo),
    ]
}

fn reminder_schedule(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(list) = ctx
        .event
        .file
        .mailings
        .as_ref()
        .and_then(|m| m.get_ref().reminders.as_ref())
    else {
        return vec![]; // default: all of them
    };
    let mut out = Vec::new();
    let known = REQUIRED_REMINDERS.join(", ");
    for r in list.get_ref() {
        if !REQUIRED_REMINDERS.contains(&r.get_ref().as_str()) {
            let w = r.get_ref();
            out.push(
                Diagnostic::error(
                    "mail.reminder-schedule",
                    t!("неизвестное напоминание «{w}»", "unknown reminder \"{w}\""),
                )
                .at(Some(r.span()))
                .help(t!("допустимо: {known}", "allowed: {known}")),
            );
        }
    }
    for needed in REQUIRED_REMINDERS {
        if !list.get_ref().iter().any(|r| r.get_ref() == needed) {
            out.push(Diagnostic::error("mail.reminder-schedule", t!("не запланировано напоминание «{needed}»", "the \"{needed}\" reminder is not planned"))
                .at(Some(list.span()))
                .help(t!("напоминания — требование программы: reminders = [\"weekly\", \"day-before\", \"day-of\", \"15-min\"] (или уберите ключ)", "reminders are required: list all four, or drop the key")));
        }
    }
    out
}

fn followup(ctx: &Ctx) -> Vec<Diagnostic> {
    let m = ctx.event.file.mailings.as_ref();
    let mut out = Vec::new();
    if let Some(days) = m.and_then(|m| m.get_ref().followup_after_days.as_ref()) {
        if !(1..=3).contains(days.get_ref()) {
            out.push(
                Diagnostic::warning(
                    "mail.followup",
                    t!(
                        "письмо после вебинара запланировано не в течение 3 рабочих дней",
                        "the follow-up is not within 3 working days"
                    ),
                )
                .at(Some(days.span()))
                .help(t!(
                    "укажите followup_after_days от 1 до 3",
                    "set followup_after_days between 1 and 3"
                )),
            );
        }
    }
    let has_material = m.is_some_and(|m| {
        text(&m.get_ref().recording_url).is_some() || text(&m.get_ref().slides_url).is_some()
    });
    if !has_material {
        out.push(
            Diagnostic::warning(
                "mail.followup",
                t!(
                    "для письма после вебинара не указаны запись и слайды",
                    "no recording or slides for the follow-up"
                ),
            )
            .at(m.map(|m| m.span()))
            .help(t!(
                "добавьте в [mailings] recording_url и slides_url (можно после вебинара)",
                "add recording_url and slides_url to [mailings]"
            )),
        );
    }
    out
}

const BITRIX_WORDS: &[&str] = &["битрикс", "bitrix", "1с-битрикс"];

fn cold_mail(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in ctx.texts.iter().filter(|p| p.role == TextRole::ColdMail) {
        let hit = BITRIX_WORDS
            .iter()
            .filter_map(|w| find_ci(&piece.text, w))
            .chain(
                products::PRODUCTS
                    .iter()
                    .flat_map(|p| p.names.iter())
                    .filter_map(|n| find_ci(&piece.text, n)),
            )
            .min_by_key(|r| r.start);
        if let Some(range) = hit {
            let word = piece.text[range.clone()].to_string();
            out.push(Diagnostic::error("announce.cold-mail", t!("холодная рассылка упоминает «{word}»", "the cold mailing mentions \"{word}\""))
                .at(piece.span_of(&ctx.event.sources, range))
                .help(t!("в рассылке по холодной базе не должно быть ни «1С-Битрикс», ни его продуктов: опишите пользу вебинара своими словами", "a cold mailing may name neither 1C-Bitrix nor its products")));
        }
    }
    out
}

fn announce_logo(ctx: &Ctx) -> Vec<Diagnostic> {
    // The cards are drawn with the organizer's logo; without one there is no card to make.
    let logo = ctx
        .event
        .file
        .organizer
        .as_ref()
        .and_then(|o| o.get_ref().logo.as_ref());
    if logo.is_none() && ctx.event.file.announcement.is_some() {
        return vec![Diagnostic::error(
            "announce.logo",
            t!(
                "для карточек анонса нужен логотип организатора",
                "announcement cards need the organizer's logo"
            ),
        )
        .at(ctx.event.file.announcement.as_ref().map(|a| a.span()))
        .help(t!(
            "укажите [organizer] logo: логотип «Битрикс24» не может стоять на карточке один",
            "set [organizer] logo"
        ))];
    }
    vec![]
}
