//! `event.*`: what the page says about the webinar itself (Посадочная 3, Основные 2).

use chrono_tz::Tz;

use super::texts::Phrases;
use super::{rule, span_of, Ctx, PieceCtx, Rule, TextPiece, TextRole};
use crate::diag::Diagnostic;
use crate::event::model::{text, EventSection};
use crate::event::{products, slug};
use crate::t;

#[rustfmt::skip]
pub fn rules() -> Vec<Rule> {
    vec![
        rule!("event.title", Error, "название вебинара указано и не пустое", "title present and non-empty", "Посадочная 3", title),
        rule!("event.date", Error, "дата указана, корректна, не в прошлом и не дальше двух лет вперёд", "date present, valid, not in the past and at most two years ahead", "Посадочная 3", date),
        rule!("event.audience", Error, "описана целевая аудитория", "target-audience description present", "Посадочная 3", audience),
        rule!("event.description", Error, "есть описание: актуальность и что получат слушатели", "description present", "Анонсирование 3", description),
        rule!("event.online", Error, "мероприятие только онлайн: нет офлайн-площадки и адреса", "online only: no offline venue or address", "Основные 2", online, each_text: online_in),
        rule!("event.free", Error, "участие бесплатное: нет цены или платного доступа; на странице «бесплатно, нужна регистрация»", "free: no price or paid access; the page states it is free with registration", "Основные 2, Анонсирование 3", free, each_text: free_in),
        rule!("event.timezone", Error, "часовой пояс — корректная зона IANA", "a valid IANA time zone", "Посадочная 3 (тайминг)", timezone),
        rule!("event.products", Error, "перечислены продукты «1С-Битрикс», которым посвящён вебинар", "the 1C-Bitrix products the webinar covers are listed", "Программа 1", products_listed),
        rule!("event.slug", Error, "slug годится как имя папки и ID шаблона Bitrix (a-z, 0-9, -, _)", "the slug is a valid folder name and Bitrix template id", "(экспорт)", slug_valid),
    ]
}

fn section<'a>(ctx: &'a Ctx) -> Option<&'a EventSection> {
    ctx.event.section()
}

fn event_span(ctx: &Ctx) -> Option<std::ops::Range<usize>> {
    ctx.event.file.event.as_ref().map(|e| e.span())
}

/// A required string of `[event]` that is missing or blank.
fn required(
    ctx: &Ctx,
    rule: &'static str,
    key: &str,
    pick: fn(&EventSection) -> &Option<crate::event::Sp<String>>,
) -> Vec<Diagnostic> {
    let value = section(ctx).map(pick);
    match value {
        Some(Some(v)) if !v.get_ref().trim().is_empty() => vec![],
        Some(Some(v)) => {
            vec![
                Diagnostic::new(rule, t!("`event.{key}` пустой", "`event.{key}` is empty"))
                    .at(Some(v.span()))
                    .help(help_for(key)),
            ]
        }
        _ => vec![Diagnostic::new(
            rule,
            t!("не указан `event.{key}`", "`event.{key}` is missing"),
        )
        .at(event_span(ctx))
        .help(help_for(key))],
    }
}

fn help_for(key: &str) -> crate::i18n::Text {
    match key {
        "title" => t!(
            "добавьте в [event] строку title = \"Название вебинара\"",
            "add title = \"Webinar title\" to [event]"
        ),
        "audience" => t!(
            "опишите в [event] audience = \"\"\"...\"\"\", для кого вебинар: роли, отрасли, задачи",
            "describe in [event] audience = \"\"\"...\"\"\" who the webinar is for"
        ),
        _ => t!(
            "добавьте в [event] description = \"\"\"...\"\"\": актуальность и что получат слушатели",
            "add description = \"\"\"...\"\"\" to [event]: why it matters and what attendees take away"
        ),
    }
}

fn title(ctx: &Ctx) -> Vec<Diagnostic> {
    required(ctx, "event.title", "title", |e| &e.title)
}

fn audience(ctx: &Ctx) -> Vec<Diagnostic> {
    required(ctx, "event.audience", "audience", |e| &e.audience)
}

fn description(ctx: &Ctx) -> Vec<Diagnostic> {
    required(ctx, "event.description", "description", |e| &e.description)
}

fn date(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(value) = section(ctx).and_then(|e| e.date.as_ref()) else {
        return vec![Diagnostic::new(
            "event.date",
            t!("не указана дата `event.date`", "`event.date` is missing"),
        )
        .at(event_span(ctx))
        .help(t!(
            "добавьте в [event] строку date = 2026-12-15 (без кавычек)",
            "add date = 2026-12-15 (no quotes) to [event]"
        ))];
    };
    let Some(date) = ctx.event.date() else {
        let written = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        return vec![Diagnostic::new(
            "event.date",
            t!("дата «{written}» не является датой TOML вида 2026-12-15", "\"{written}\" is not a TOML local date like 2026-12-15"),
        )
        .at(Some(value.span()))
        .help(t!(
            "запишите дату без кавычек и без времени: date = 2026-12-15; время задаётся в программе",
            "write the date without quotes or time: date = 2026-12-15; times go in the program"
        ))];
    };
    if date < ctx.today {
        let today = ctx.today;
        return vec![Diagnostic::new(
            "event.date",
            t!(
                "дата {date} уже прошла (сегодня {today})",
                "the date {date} is in the past (today is {today})"
            ),
        )
        .at(Some(value.span()))
        .help(t!(
            "укажите будущую дату вебинара",
            "set a future date for the webinar"
        ))];
    }
    // Two years ahead at most: 2207 for 2027 is a typo, and every weekly reminder until then
    // would be planned (issue 21 point 9).
    let limit = ctx
        .today
        .checked_add_months(chrono::Months::new(24))
        .unwrap_or(chrono::NaiveDate::MAX);
    if date > limit {
        return vec![Diagnostic::new(
            "event.date",
            t!(
                "дата {date} дальше чем на два года вперёд (не позже {limit}): похоже на опечатку в годе",
                "the date {date} is more than two years ahead (at most {limit}): the year looks mistyped"
            ),
        )
        .at(Some(value.span()))
        .help(t!(
            "проверьте год: date = ГГГГ-ММ-ДД, вебинар планируют не дальше чем на два года",
            "check the year: date = YYYY-MM-DD, at most two years ahead"
        ))];
    }
    vec![]
}

fn timezone(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(tz) = section(ctx).and_then(|e| e.timezone.as_ref()) else {
        return vec![Diagnostic::new(
            "event.timezone",
            t!(
                "не указан часовой пояс `event.timezone`",
                "`event.timezone` is missing"
            ),
        )
        .at(event_span(ctx))
        .help(t!(
            "добавьте timezone = \"Asia/Almaty\" (или Asia/Aqtobe, Europe/Moscow …)",
            "add timezone = \"Asia/Almaty\""
        ))];
    };
    if tz.get_ref().parse::<Tz>().is_ok() {
        return vec![];
    }
    let written = tz.get_ref();
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    let help = match crate::event::load::did_you_mean(written, &names) {
        Some(best) => t!(
            "возможно, имелось в виду \"{best}\"",
            "did you mean \"{best}\"?"
        ),
        None => t!(
            "укажите зону IANA, например \"Asia/Almaty\"",
            "use an IANA zone such as \"Asia/Almaty\""
        ),
    };
    vec![Diagnostic::new(
        "event.timezone",
        t!(
            "«{written}» — не часовой пояс IANA",
            "\"{written}\" is not an IANA time zone"
        ),
    )
    .at(Some(tz.span()))
    .help(help)]
}

/// Words that place the event in a room: the program is online only (Основные 2).
static OFFLINE_MARKERS: Phrases = Phrases::new(&[
    "по адресу",
    "конференц-зал",
    "конференц зал",
    "офлайн",
    "оффлайн",
    "в нашем офисе",
    "в офисе компании",
    "место проведения",
    "кофе-брейк",
    "бизнес-центр",
    "бц «",
    "вход по паспорту",
]);

fn online(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(format) = section(ctx).and_then(|e| e.format.as_ref()) {
        if format.get_ref().trim() != "online" {
            let written = format.get_ref();
            out.push(
                Diagnostic::new("event.online", t!("формат «{written}» не допускается: вебинары программы проходят только онлайн", "format \"{written}\" is not allowed: program webinars are online only"))
                    .at(Some(format.span()))
                    .help(t!("укажите format = \"online\" или уберите ключ", "write format = \"online\" or drop the key")),
            );
        }
    }
    out
}

/// `event.online` in one text: an offline venue named.
fn online_in(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !matches!(piece.role, TextRole::Consent | TextRole::Notes) {
        if let Some((range, marker)) = piece.find_any_ci(&OFFLINE_MARKERS) {
            let span = piece.local(range);
            out.push(
                Diagnostic::new(
                    "event.online",
                    t!(
                        "текст указывает на офлайн-площадку: «{marker}»",
                        "the text points at an offline venue: \"{marker}\""
                    ),
                )
                .at(span)
                .help(t!(
                    "вебинар проходит только онлайн: уберите адрес и упоминания зала",
                    "the webinar is online only: remove the address and venue"
                )),
            );
        }
    }
    out
}

/// `event.free` (Основные 2: «Все мероприятия бесплатны для слушателей»; Анонсирование 3:
/// «обязательно укажите, что мероприятие бесплатное, но нужна регистрация»). A price of
/// attendance («участие — 5 000 ₸») or a phrase that makes it paid («стоимость участия»,
/// «платный вебинар»); the detection lives in `rules::text::price`, shared with `text.sales`.
/// This part reads one text.
fn free_in(_: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    use super::text::price::paid_phrases_in;
    let mut out = Vec::new();
    let mut found = paid_phrases_in(piece.text, piece.words());
    found.extend(
        piece
            .prices()
            .iter()
            .filter(|p| p.attendance)
            .map(|p| p.range.clone()),
    );
    found.sort_by_key(|r| r.start);
    for range in found {
        let written = &piece.text[range.clone()];
        out.push(
            Diagnostic::new("event.free", t!("участие выглядит платным: «{written}»", "attendance reads as paid: \"{written}\""))
                .at(piece.local(range))
                .help(t!("все вебинары программы бесплатны: уберите цену и напишите «Участие бесплатное, нужна регистрация»", "all program webinars are free: remove the price and say \"free, registration required\"")),
        );
    }
    out
}

/// `event.free` for the page as a whole: the theme says «бесплатно, нужна регистрация».
fn free(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The page must say «бесплатно, нужна регистрация»: the theme's strings carry it.
    let theme_says_free = ctx
        .texts
        .iter()
        .filter(|p| p.role == TextRole::Theme && p.key.ends_with("free_registration"))
        .any(|p| {
            let l = p.text.to_lowercase();
            (l.contains("бесплатн") || l.contains("тегін"))
                && (l.contains("регистрац") || l.contains("тіркел"))
        });
    let theme_loaded = ctx.texts.iter().any(|p| p.role == TextRole::Theme);
    if theme_loaded && !theme_says_free {
        out.push(
            Diagnostic::new(
                "event.free",
                t!(
                    "тема не сообщает «бесплатно, нужна регистрация»",
                    "the theme does not state \"free, registration required\""
                ),
            )
            .help(t!(
                "добавьте в строки темы ключ free_registration = \"Бесплатно, нужна регистрация\"",
                "add free_registration = \"...\" to the theme strings"
            )),
        );
    }
    out
}

fn products_listed(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(list) = section(ctx).and_then(|e| e.products.as_ref()) else {
        return vec![Diagnostic::new(
            "event.products",
            t!(
                "не указаны продукты `event.products`",
                "`event.products` is missing"
            ),
        )
        .at(event_span(ctx))
        .help(t!(
            "добавьте products = [\"Битрикс24\"] — продукты «1С-Битрикс», которым посвящён вебинар",
            "add products = [\"Битрикс24\"]"
        ))];
    };
    if list.get_ref().is_empty() {
        return vec![Diagnostic::new(
            "event.products",
            t!("список `event.products` пуст", "`event.products` is empty"),
        )
        .at(Some(list.span()))
        .help(t!(
            "перечислите продукты «1С-Битрикс», например [\"Битрикс24\"]",
            "list the 1C-Bitrix products, e.g. [\"Битрикс24\"]"
        ))];
    }
    list.get_ref()
        .iter()
        .filter(|p| products::find(p.get_ref()).is_none())
        .map(|p| {
            let written = p.get_ref();
            let known = products::PRODUCTS
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", ");
            Diagnostic::new(
                "event.products",
                t!(
                    "«{written}» — не продукт «1С-Битрикс»",
                    "\"{written}\" is not a 1C-Bitrix product"
                ),
            )
            .at(Some(p.span()))
            .help(t!(
                "укажите продукт «1С-Битрикс»: {known}",
                "name a 1C-Bitrix product: {known}"
            ))
        })
        .collect()
}

fn slug_valid(ctx: &Ctx) -> Vec<Diagnostic> {
    let Some(e) = section(ctx) else { return vec![] };
    match &e.slug {
        Some(s) if !slug::is_valid(s.get_ref()) => {
            let written = s.get_ref();
            vec![Diagnostic::new(
                "event.slug",
                t!(
                    "slug «{written}» недопустим",
                    "slug \"{written}\" is not valid"
                ),
            )
            .at(Some(s.span()))
            .help(t!(
                "используйте только строчные латинские буквы, цифры, «-» и «_», до 60 знаков",
                "use only a-z, 0-9, '-' and '_', at most 60 characters"
            ))]
        }
        Some(_) => vec![],
        None if text(&e.title).is_some() && !slug::is_valid(&ctx.event.slug()) => {
            vec![Diagnostic::new(
                "event.slug",
                t!(
                    "из названия не получился slug",
                    "no slug could be made from the title"
                ),
            )
            .at(span_of(&e.title))
            .help(t!(
                "задайте slug = \"my-webinar-2026-12\" явно",
                "set slug = \"my-webinar-2026-12\""
            ))]
        }
        None => vec![],
    }
}
