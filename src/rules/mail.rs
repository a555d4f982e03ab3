//! `mail.*` and `announce.*`: reminders, the follow-up and the announcement kit
//! («Работа с зарегистрированными», «Работа с лидами», «Анонсирование»).
//!
//! Every `text.*` rule also runs over the mails and the announcement texts (bxland's own
//! defaults through `comms::generated_texts`, the partner's overrides where they were
//! written), with one exception, written next to the rule: `text.sales` does not apply to the
//! follow-up, where the rules invite an offer of the partner's own services.

use super::{rule, Ctx, Rule, TextRole};
use crate::diag::Diagnostic;
use crate::event::mailings::{self as schedule, SMS_SEGMENT};
use crate::event::model::text;
use crate::event::products::is_bitrix_mark;
use crate::rules::texts::bitrix_word;
use crate::t;

/// The reminders the rules require; SMS only adds to them.
pub const REQUIRED_REMINDERS: &[&str] = schedule::REMINDERS;

pub fn rules() -> Vec<Rule> {
    vec![
        rule!("mail.reminder-schedule", Error, "запланированы еженедельные напоминания, финальное за день, в день вебинара и за 15 минут (СМС — только дополнительно); каждое письмо и СМС можно составить", "weekly, day-before, day-of and 15-minute e-mail reminders are all planned (SMS only in addition)", "Работа с зарегистрированными", reminder_schedule),
        rule!("mail.followup", Warning, "запланировано письмо со слайдами и записью в течение 3 рабочих дней после вебинара", "a follow-up with slides and recording within 3 working days is planned", "Работа с лидами 1", followup),
        rule!("announce.cold-mail", Error, "холодная рассылка не упоминает ни «1С-Битрикс», ни его продукты", "the cold mailing mentions neither 1C-Bitrix nor its products", "Анонсирование 4", cold_mail),
        rule!("mail.join-link", Warning, "напоминания включены, а ссылка для подключения (join_url) не указана: напоминания в день вебинара и за 15 минут не отправляются, и ни один текст не обещает ссылку", "reminders are on but join_url is missing: the day-of and 15-minute reminders are not sent and no text promises a link", "Работа с зарегистрированными", join_link),
        rule!("announce.registration-link", Warning, "ссылка на регистрацию в анонсе — адрес самой страницы вебинара, а не главная страница сайта или другая замена", "the announcement's registration link is the page's own address, not the home page or another fallback", "Анонсирование 3", registration_link),
        rule!("announce.logo", Error, "на карточках анонса есть логотип организатора; логотип «1С-Битрикс»/«Битрикс24» не один", "cards carry the organizer's logo; the 1C-Bitrix logo never alone", "Анонсирование, Внимание", announce_logo),
    ]
}

fn reminder_schedule(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(m) = ctx.event.file.mailings.as_ref() else {
        return out; // default: all of them
    };
    let m = m.get_ref();
    if let Some(list) = m.reminders.as_ref() {
        let known = REQUIRED_REMINDERS.join(", ");
        for r in list.get_ref() {
            let w = r.get_ref();
            if REQUIRED_REMINDERS.contains(&w.as_str()) {
                continue;
            }
            let d = if w.to_lowercase().contains("sms") || w.contains("смс") {
                Diagnostic::new(
                    "mail.reminder-schedule",
                    t!(
                        "СМС не заменяет напоминание по электронной почте",
                        "an SMS does not replace an e-mail reminder"
                    ),
                )
                .help(t!(
                    "СМС за час — только дополнение: уберите «{w}» из reminders и включите sms = true",
                    "SMS is only an addition: drop \"{w}\" and set sms = true"
                ))
            } else {
                Diagnostic::new(
                    "mail.reminder-schedule",
                    t!("неизвестное напоминание «{w}»", "unknown reminder \"{w}\""),
                )
                .help(t!("допустимо: {known}", "allowed: {known}"))
            };
            out.push(d.at(Some(r.span())));
        }
        for needed in REQUIRED_REMINDERS {
            if !list.get_ref().iter().any(|r| r.get_ref() == needed) {
                let ru = reminder_ru(needed);
                out.push(Diagnostic::new("mail.reminder-schedule", t!("не запланировано {ru}", "the \"{needed}\" reminder is not planned"))
                    .at(Some(list.span()))
                    .help(t!("напоминания — требование программы: reminders = [\"weekly\", \"day-before\", \"day-of\", \"15-min\"] (или уберите ключ)", "reminders are required: list all four, or drop the key")));
            }
        }
    }
    let names = schedule::MAIL_NAMES.join(", ");
    for (name, o) in &m.mail {
        let n = name.get_ref();
        if !schedule::MAIL_NAMES.contains(&n.as_str()) {
            let suggestion = schedule::MAIL_NAMES
                .iter()
                .max_by(|a, b| {
                    strsim::jaro_winkler(a, n)
                        .partial_cmp(&strsim::jaro_winkler(b, n))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .copied()
                .unwrap_or("weekly");
            out.push(
                Diagnostic::new(
                    "mail.reminder-schedule",
                    t!(
                        "неизвестное письмо [mailings.mail.{n}]",
                        "unknown mail [mailings.mail.{n}]"
                    ),
                )
                .at(Some(name.span()))
                .help(t!(
                    "может быть, «{suggestion}»? Письма: {names}",
                    "did you mean \"{suggestion}\"? Mails: {names}"
                )),
            );
            continue;
        }
        if n == "sms" {
            // Measured on the SMS as it is sent (placeholders filled), which the pipeline
            // hands in: the rules never build outputs themselves.
            if let (Some(body), Some(sent)) = (o.get_ref().body.as_ref(), &ctx.delivered.sms) {
                let units = schedule::sms_units(sent);
                if units > SMS_SEGMENT {
                    let max = SMS_SEGMENT;
                    out.push(
                        Diagnostic::new(
                            "mail.reminder-schedule",
                            t!(
                                "текст СМС — {units} знаков, а в одно СМС на кириллице помещается {max}",
                                "the SMS has {units} characters; one Cyrillic SMS holds {max}"
                            ),
                        )
                        .at(Some(body.span()))
                        .help(t!(
                            "сократите текст: достаточно темы и времени начала (и «Ссылка — в письме.», если указан join_url)",
                            "shorten it: the start time and \"link in the e-mail\" are enough"
                        )),
                    );
                }
            }
        }
    }
    out
}

/// A reminder as the partner calls it (the keys are for the file, not for the message).
fn reminder_ru(name: &str) -> &'static str {
    match name {
        "weekly" => "еженедельное напоминание",
        "day-before" => "напоминание за день до вебинара",
        "day-of" => "напоминание в день вебинара",
        _ => "напоминание за 15 минут до начала",
    }
}

fn is_web_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

fn followup(ctx: &Ctx) -> Vec<Diagnostic> {
    let m = ctx.event.file.mailings.as_ref();
    let mut out = Vec::new();
    if let Some(days) = m.and_then(|m| m.get_ref().followup_after_days.as_ref()) {
        if !(1..=3).contains(days.get_ref()) {
            out.push(
                Diagnostic::new(
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
    let mm = m.map(|m| m.get_ref());
    let rec = mm.and_then(|m| text(&m.recording_url)).is_some();
    let sl = mm.and_then(|m| text(&m.slides_url)).is_some();
    if !rec && !sl {
        out.push(
            Diagnostic::new(
                "mail.followup",
                t!(
                    "письмо после вебинара не запланировано: не указаны ни запись, ни слайды",
                    "the follow-up is not scheduled: neither a recording nor slides are given"
                ),
            )
            .at(m.map(|m| m.span()).or(ctx.event.file.event.as_ref().map(|e| e.span())))
            .help(t!(
                "добавьте в [mailings] recording_url = \"https://…\" (запись) и slides_url = \"https://…\" (слайды) и соберите событие заново не позже чем через 3 рабочих дня после вебинара",
                "add recording_url and slides_url to [mailings] and build again within 3 working days after the webinar"
            )),
        );
    } else if !rec || !sl {
        let (missing_ru, missing_en, key) = if rec {
            ("слайды", "slides", "slides_url")
        } else {
            ("запись", "recording", "recording_url")
        };
        out.push(
            Diagnostic::new(
                "mail.followup",
                t!(
                    "в письме после вебинара не будет ссылки на {missing_ru}",
                    "the follow-up will have no link to the {missing_en}"
                ),
            )
            .at(m.map(|m| m.span()))
            .help(t!(
                "программа просит прислать и запись, и слайды: добавьте в [mailings] {key} = \"https://…\"",
                "the rules ask for both: add {key} to [mailings]"
            )),
        );
    }
    if let Some(m) = m {
        for v in [&m.get_ref().recording_url, &m.get_ref().slides_url]
            .into_iter()
            .flatten()
        {
            if !is_web_url(v.get_ref()) {
                let u = v.get_ref();
                out.push(
                    Diagnostic::new(
                        "mail.followup",
                        t!(
                            "«{u}» — не адрес страницы (https://…)",
                            "\"{u}\" is not a web address (https://…)"
                        ),
                    )
                    .at(Some(v.span()))
                    .help(t!(
                        "укажите полную ссылку, по которой откроются запись и слайды",
                        "give the full link to the recording and the slides"
                    )),
                );
            }
        }
    }
    out
}

/// Words that speak of a join link: in a text sent without one they promise what never comes.
const LINK_WORDS: &[&str] = &["ссылк", "сілтеме"];

fn join_link(ctx: &Ctx) -> Vec<Diagnostic> {
    let event = ctx.event;
    if schedule::join_url(event).is_some() {
        return vec![];
    }
    let wanted = schedule::wanted_reminders(event);
    if !wanted.iter().any(|r| r == "day-of" || r == "15-min") {
        return vec![];
    }
    let mut out = vec![Diagnostic::new(
        "mail.join-link",
        t!(
            "не указана ссылка для подключения к трансляции: напоминания в день вебинара и за 15 минут не будут отправлены",
            "no join link: the day-of and 15-minute reminders will not be sent"
        ),
    )
    .at(event.file.event.as_ref().map(|e| e.span()))
    .help(t!(
        "добавьте в [event] join_url = \"https://…\" (ссылку на трансляцию) — она попадёт во все напоминания, а напоминания в день вебинара и за 15 минут появятся",
        "add join_url = \"https://…\" to [event]: every reminder will carry it and the day-of and 15-minute reminders will be sent"
    ))];
    // The partner's own reminder texts may not promise the missing link either.
    for piece in ctx
        .texts
        .iter()
        .filter(|p| p.role == TextRole::Mail && p.key.starts_with("mailings.mail."))
    {
        let Some((range, _)) = LINK_WORDS
            .iter()
            .filter_map(|w| crate::rules::texts::find_ci(piece.text, w).map(|r| (r, *w)))
            .min_by_key(|(r, _)| r.start)
        else {
            continue;
        };
        let end = piece.text[range.start..]
            .find(|c: char| !c.is_alphabetic())
            .map_or(piece.text.len(), |e| range.start + e);
        let word = piece.text[range.start..end].to_string();
        out.push(
            Diagnostic::new(
                "mail.join-link",
                t!(
                    "текст напоминания говорит о ссылке («{word}»), а ссылки для подключения нет",
                    "the reminder speaks of a link (\"{word}\") but there is no join link"
                ),
            )
            .at(piece.span_of(&event.sources, range.start..end))
            .help(t!(
                "добавьте в [event] join_url или уберите из текста упоминание ссылки",
                "add join_url to [event] or drop the mention of a link"
            )),
        );
    }
    out
}

fn registration_link(ctx: &Ctx) -> Vec<Diagnostic> {
    let event = ctx.event;
    let given = event
        .file
        .announcement
        .as_ref()
        .and_then(|a| a.get_ref().registration_url.as_ref())
        .filter(|u| !u.get_ref().trim().is_empty())
        .or_else(|| {
            event
                .section()
                .and_then(|e| e.page_url.as_ref())
                .filter(|u| !u.get_ref().trim().is_empty())
        });
    if let Some(u) = given {
        let written = u.get_ref().trim();
        if schedule::is_page_address(written) {
            return vec![];
        }
        return vec![Diagnostic::new(
            "announce.registration-link",
            t!(
                "«{written}» — не адрес страницы вебинара: по ней не зарегистрироваться",
                "\"{written}\" is not the webinar page's address"
            ),
        )
        .at(Some(u.span()))
        .help(t!(
            "укажите полный адрес страницы с формой регистрации, например https://example.kz/webinar-2027-03/ (главная страница сайта не подходит)",
            "give the full address of the page with the form (the home page will not do)"
        ))];
    }
    let slug = event.slug();
    match schedule::page_url(event) {
        Some(derived) => vec![Diagnostic::new(
            "announce.registration-link",
            t!(
                "адрес страницы не указан: в анонсе и письмах стоит {derived} — так страницу назовёт «Управление сайтом»",
                "no page address: the announcement and mails use {derived}, where Site Management puts the page"
            ),
        )
        .at(event.file.event.as_ref().map(|e| e.span()))
        .help(t!(
            "если страница будет по другому адресу (например, на Битрикс24), укажите его в [event] page_url = \"https://…/{slug}/\"",
            "if the page lives elsewhere (e.g. on Bitrix24), set page_url in [event]"
        ))],
        None => vec![Diagnostic::new(
            "announce.registration-link",
            t!(
                "адрес страницы вебинара неизвестен: в анонсе нет ссылки на регистрацию",
                "the page's address is unknown: the announcement has no registration link"
            ),
        )
        .at(event.file.event.as_ref().map(|e| e.span()))
        .help(t!(
            "укажите в [event] page_url = \"https://…/{slug}/\" — адрес, по которому будет опубликована страница",
            "set page_url in [event]: the address the page is published at"
        ))],
    }
}

fn cold_mail(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in ctx.texts.iter().filter(|p| p.role == TextRole::ColdMail) {
        if let Some(range) = bitrix_word(piece.text) {
            let word = piece.text[range.clone()].to_string();
            let place = piece.place();
            let (place_ru, place_en) = (&place.ru, &place.en);
            out.push(Diagnostic::new("announce.cold-mail", t!("холодная рассылка упоминает «{word}»{place_ru}", "the cold mailing mentions \"{word}\"{place_en}"))
                .at(piece.span_of(&ctx.event.sources, range))
                .help(t!("в рассылке по холодной базе не должно быть ни «1С-Битрикс», ни его продуктов: опишите пользу вебинара своими словами (или задайте [announcement] cold_subject и cold_body)", "a cold mailing may name neither 1C-Bitrix nor its products: describe the benefit in your own words (or set cold_subject and cold_body)")));
        }
    }
    out
}

fn announce_logo(ctx: &Ctx) -> Vec<Diagnostic> {
    let organizer = ctx.event.file.organizer.as_ref();
    let logo = organizer.and_then(|o| o.get_ref().logo.as_ref());
    let Some(logo) = logo else {
        return vec![Diagnostic::new(
            "announce.logo",
            t!(
                "карточки анонса нельзя сделать без логотипа организатора",
                "announcement cards need the organizer's logo"
            ),
        )
        .at(ctx
            .event
            .file
            .announcement
            .as_ref()
            .map(|a| a.span())
            .or(organizer.map(|o| o.span())))
        .help(t!(
            "укажите [organizer] logo: логотип «Битрикс24» не может стоять на карточке один",
            "set [organizer] logo: the Bitrix24 logo may never stand alone"
        ))];
    };
    let written = logo.get_ref();
    let mut out = Vec::new();
    // The organizer's "logo" is a Bitrix mark: the card would carry only the Bitrix24 logo.
    let same_as_partner = ctx.event.file.partners.iter().any(|p| {
        let p = p.get_ref();
        text(&p.name).is_some_and(is_bitrix_mark)
            && text(&p.logo).is_some_and(|l| l.trim() == written.trim())
    });
    let file_name = std::path::Path::new(written)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    if same_as_partner || is_bitrix_mark(&file_name) {
        out.push(
            Diagnostic::new(
                "announce.logo",
                t!(
                    "логотип организатора «{written}» — это знак «1С-Битрикс»/«Битрикс24»: на карточке он оказался бы один",
                    "the organizer logo \"{written}\" is a 1C-Bitrix / Bitrix24 mark: it would stand alone on the card"
                ),
            )
            .at(Some(logo.span()))
            .help(t!(
                "укажите логотип своей компании; знак «Битрикс24» ставится только как партнёрский ([[partners]])",
                "give your company's logo; the Bitrix24 mark goes only under [[partners]]"
            )),
        );
        return out;
    }
    // The logo must be drawable on the card. A missing file is `input.path`'s, an unreadable
    // one `organizer.logo`'s; here: what the card renderer cannot use.
    if let Some(why) = &ctx.delivered.card_logo_problem {
        let base = ctx
            .event
            .sources
            .dir_of(&logo.span())
            .unwrap_or_else(|| ctx.event.dir.clone());
        if crate::event::paths::resolve(&base, written).is_ok() {
            out.push(
                Diagnostic::new(
                    "announce.logo",
                    t!(
                        "логотип «{written}» не получается нарисовать на карточке анонса: {why}",
                        "the logo \"{written}\" cannot be drawn on the card: {why}"
                    ),
                )
                .at(Some(logo.span()))
                .help(t!(
                    "сохраните логотип как SVG или PNG",
                    "save the logo as SVG or PNG"
                )),
            );
        }
    }
    out
}
