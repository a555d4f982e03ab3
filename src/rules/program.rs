//! `program.*`: the timetable (Посадочная 3, with its ** on timing) and the product talk
//! (Программа 1), approval and changes after it (Программа 4, Штрафы).

use chrono::NaiveTime;

use super::{rule, span_of, Ctx, Rule};
use crate::diag::Diagnostic;
use crate::event::lock;
use crate::event::model::text;
use crate::event::{parse_hhmm, products};
use crate::t;

pub fn rules() -> Vec<Rule> {
    vec![
        rule!("program.present", Error, "в программе есть хотя бы один пункт", "at least one program item", "Посадочная 3", present),
        rule!("program.timing", Error, "у каждого пункта начало и конец ЧЧ:ММ, конец позже начала, пункты по порядку без наложений", "every item has start and end as HH:MM, end after start, in order, none overlapping", "Посадочная 3 **", timing),
        rule!("program.talk-details", Error, "у докладов, мастер-классов и кейсов есть тезисы и хотя бы один спикер", "talks, master classes and cases have theses and a speaker", "Посадочная 3", talk_details),
        rule!("program.speaker", Error, "каждый спикер из программы описан: имя, должность, компания", "every referenced speaker exists with name, position and company", "Посадочная 3", speaker),
        rule!("program.product-talk", Error, "есть доклад о продукте «1С-Битрикс» не короче 30 минут; каждый product — продукт «1С-Битрикс»", "a 1C-Bitrix product talk of 30 minutes or more; every product is a 1C-Bitrix product", "Программа 1", product_talk),
        rule!("program.product-named", Error, "название продукта «1С-Битрикс» есть в программе или анонсе", "a 1C-Bitrix product is named in the program or the announcement", "Программа 1", product_named),
        rule!("program.approval", Warning, "программа ещё не согласована (нет program.lock) или до вебинара меньше 14 дней", "no program.lock yet, or the event is less than 14 days away", "Программа 1", approval),
        rule!("program.changed-after-approval", Error, "программа изменена после согласования (отличается от program.lock)", "the program differs from the approved program.lock", "Программа 4, Штрафы", changed_after_approval),
    ]
}

fn present(ctx: &Ctx) -> Vec<Diagnostic> {
    if ctx.event.file.program.is_empty() {
        return vec![Diagnostic::new(
            "program.present",
            t!("в событии нет программы", "the event has no program"),
        )
        .help(t!(
            "добавьте пункты [[program]] с start, end, title, theses и speakers",
            "add [[program]] items with start, end, title, theses and speakers"
        ))];
    }
    vec![]
}

fn item_span(ctx: &Ctx, i: usize) -> Option<std::ops::Range<usize>> {
    ctx.event.file.program.get(i).map(|p| p.span())
}

fn timing(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut previous: Option<(usize, NaiveTime)> = None;
    for (i, item) in ctx.event.file.program.iter().enumerate() {
        let item = item.get_ref();
        let n = i + 1;
        let mut parse = |key: &str, v: &Option<crate::event::Sp<String>>| -> Option<NaiveTime> {
            match v {
                None => {
                    out.push(
                        Diagnostic::new(
                            "program.timing",
                            t!(
                                "у пункта программы №{n} нет `{key}`",
                                "program item {n} has no `{key}`"
                            ),
                        )
                        .at(item_span(ctx, i))
                        .help(t!(
                            "укажите {key} = \"10:00\": тайминг должен быть чётко прописан",
                            "add {key} = \"10:00\""
                        )),
                    );
                    None
                }
                Some(v) => {
                    let parsed = parse_hhmm(v.get_ref());
                    if parsed.is_none() {
                        let written = v.get_ref();
                        out.push(
                            Diagnostic::new(
                                "program.timing",
                                t!(
                                    "«{written}» — не время ЧЧ:ММ",
                                    "\"{written}\" is not a HH:MM time"
                                ),
                            )
                            .at(Some(v.span()))
                            .help(t!(
                                "запишите время как \"10:00\" (часы и минуты двумя цифрами)",
                                "write the time as \"10:00\""
                            )),
                        );
                    }
                    parsed
                }
            }
        };
        let start = parse("start", &item.start);
        let end = parse("end", &item.end);
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                out.push(Diagnostic::new("program.timing", t!("пункт №{n} заканчивается ({e}) не позже, чем начинается ({s})", "item {n} ends ({e}) no later than it starts ({s})", e = e.format("%H:%M"), s = s.format("%H:%M")))
                    .at(span_of(&item.end))
                    .help(t!("конец доклада, включая вопросы, должен быть позже начала: например 10:00–10:40", "the end, questions included, must be after the start: e.g. 10:00-10:40")));
            }
        }
        if let (Some((prev_n, prev_end)), Some(s)) = (previous, start) {
            if s < prev_end {
                let pe = prev_end.format("%H:%M");
                out.push(Diagnostic::new("program.timing", t!("пункт №{n} начинается раньше, чем заканчивается пункт №{prev_n} ({pe}): пункты накладываются или идут не по порядку", "item {n} starts before item {prev_n} ends ({pe}): items overlap or are out of order"))
                    .at(span_of(&item.start))
                    .help(t!("расположите пункты по времени, без наложений: начало следующего не раньше конца предыдущего", "order the items by time, each starting no earlier than the previous ends")));
            }
        }
        if let Some(e) = end {
            previous = Some((n, e));
        } else if let Some(s) = start {
            previous = Some((n, s));
        }
    }
    out
}

fn talk_details(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, sp) in ctx.event.file.program.iter().enumerate() {
        let item = sp.get_ref();
        let n = i + 1;
        let kind = item.kind();
        if !kind.needs_details() {
            continue;
        }
        let kind_name = kind.as_str();
        // The file's value (`talk`) is for the file: the Russian message names the kind.
        let kind_ru = match kind_name {
            "masterclass" => "мастер-класс",
            "case" => "кейс",
            _ => "доклад",
        };
        let at = item.title.as_ref().map(|t| t.span()).or(Some(sp.span()));
        if item.theses.iter().all(|t| t.get_ref().trim().is_empty()) {
            out.push(
                Diagnostic::new(
                    "program.talk-details",
                    t!(
                        "у пункта №{n} ({kind_ru}) нет тезисов",
                        "item {n} ({kind_name}) has no theses"
                    ),
                )
                .at(at.clone())
                .help(t!(
                    "добавьте theses = [\"…\", \"…\"]: о чём доклад и что узнают слушатели",
                    "add theses = [\"...\"]: what the talk covers"
                )),
            );
        }
        if item.speakers.is_empty() {
            out.push(
                Diagnostic::new(
                    "program.talk-details",
                    t!(
                        "у пункта №{n} ({kind_ru}) не указан спикер",
                        "item {n} ({kind_name}) has no speaker"
                    ),
                )
                .at(at)
                .help(t!(
                    "добавьте speakers = [\"ключ\"] и опишите спикера в [speakers.ключ]",
                    "add speakers = [\"key\"] and describe the speaker in [speakers.key]"
                )),
            );
        }
    }
    out
}

fn speaker(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let keys: Vec<&str> = ctx
        .event
        .file
        .speakers
        .keys()
        .map(|k| k.get_ref().as_str())
        .collect();
    for item in &ctx.event.file.program {
        for key in &item.get_ref().speakers {
            let k = key.get_ref();
            if ctx.event.speaker(k).is_none() {
                let help = match crate::event::load::did_you_mean(k, &keys) {
                    Some(best) => t!(
                        "возможно, имелся в виду \"{best}\"; иначе добавьте таблицу [speakers.{k}]",
                        "did you mean \"{best}\"? otherwise add [speakers.{k}]"
                    ),
                    None => t!(
                        "добавьте таблицу [speakers.{k}] с name, position и company",
                        "add [speakers.{k}] with name, position and company"
                    ),
                };
                out.push(
                    Diagnostic::new(
                        "program.speaker",
                        t!(
                            "спикер «{k}» не описан в [speakers]",
                            "speaker \"{k}\" is not declared in [speakers]"
                        ),
                    )
                    .at(Some(key.span()))
                    .help(help),
                );
            }
        }
    }
    for (key, sp) in &ctx.event.file.speakers {
        let s = sp.get_ref();
        let k = key.get_ref();
        for (field, value, ru) in [
            ("name", &s.name, "имя"),
            ("position", &s.position, "должность"),
            ("company", &s.company, "компания"),
        ] {
            if text(value).is_none() {
                out.push(Diagnostic::new("program.speaker", t!("у спикера «{k}» не указано поле {field} ({ru})", "speaker \"{k}\" has no {field}"))
                    .at(value.as_ref().map(|v| v.span()).or(Some(key.span())))
                    .help(t!("добавьте в [speakers.{k}] {field} = \"…\": на странице рядом с докладом указываются имя, должность и компания спикера", "add {field} = \"...\" to [speakers.{k}]")));
            }
        }
    }
    out
}

fn minutes(item: &crate::event::model::ProgramItem) -> Option<i64> {
    let s = parse_hhmm(text(&item.start)?)?;
    let e = parse_hhmm(text(&item.end)?)?;
    Some((e - s).num_minutes())
}

fn product_talk(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut long_enough = false;
    // A product talk whose times cannot be read: `program.timing` reports the cause.
    let mut unreadable = false;
    // The longest product talk that is too short: (item number, minutes, its span).
    let mut short: Option<(usize, i64, Option<std::ops::Range<usize>>)> = None;
    for (i, item) in ctx.event.program().enumerate() {
        let Some(product) = &item.product else {
            continue;
        };
        if products::find(product.get_ref()).is_none() {
            let written = product.get_ref();
            let known = products::PRODUCTS
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::new(
                    "program.product-talk",
                    t!(
                        "«{written}» — не продукт «1С-Битрикс»",
                        "\"{written}\" is not a 1C-Bitrix product"
                    ),
                )
                .at(Some(product.span()))
                .help(t!(
                    "product называет продукт «1С-Битрикс»: {known}",
                    "product names a 1C-Bitrix product: {known}"
                )),
            );
        } else {
            match minutes(item) {
                Some(m) if m >= 30 => long_enough = true,
                Some(m) if m > 0 => {
                    if short.as_ref().is_none_or(|(_, longest, _)| m > *longest) {
                        let at = span_of(&item.end).or(item_span(ctx, i));
                        short = Some((i + 1, m, at));
                    }
                }
                _ => unreadable = true,
            }
        }
    }
    if long_enough || unreadable || ctx.event.file.program.is_empty() {
        return out;
    }
    if let Some((n, m, at)) = short {
        let minutes_ru = minutes_ru(m);
        out.push(
            Diagnostic::new(
                "program.product-talk",
                t!(
                    "доклад о продукте (пункт программы №{n}) длится {m} {minutes_ru}, нужно не меньше 30",
                    "the product talk (program item {n}) lasts {m} minutes; at least 30 are needed"
                ),
            )
            .at(at)
            .help(t!(
                "продлите доклад о продукте до 30 минут и больше (вопросы к нему входят в это время) и сдвиньте следующие пункты",
                "make the product talk 30 minutes or longer (its questions included) and move the items after it"
            )),
        );
    } else {
        out.push(Diagnostic::new("program.product-talk", t!("нет доклада о продукте «1С-Битрикс» длительностью от 30 минут", "no 1C-Bitrix product talk of 30 minutes or more"))
            .at(ctx.event.file.program.first().map(|p| p.span()))
            .help(t!("отметьте доклад о продукте ключом product = \"Битрикс24\" и отведите ему не меньше 30 минут", "mark the product talk with product = \"Битрикс24\" and give it at least 30 minutes")));
    }
    out
}

/// «минута», «минуты» or «минут» for `n`, as in «длится 20 минут».
fn minutes_ru(n: i64) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "минуту",
        (2..=4, r) if !(12..=14).contains(&r) => "минуты",
        _ => "минут",
    }
}

fn product_named(ctx: &Ctx) -> Vec<Diagnostic> {
    let named = ctx.event.program().any(|item| {
        text(&item.title).and_then(products::mentions_any).is_some()
            || item
                .theses
                .iter()
                .any(|t| products::mentions_any(t.get_ref()).is_some())
    }) || ctx.event.section().is_some_and(|e| {
        [&e.title, &e.summary, &e.description]
            .into_iter()
            .any(|v| text(v).and_then(products::mentions_any).is_some())
    });
    if named || ctx.event.file.program.is_empty() {
        return vec![];
    }
    vec![Diagnostic::new("program.product-named", t!("ни в программе, ни в анонсе не названо ни одного продукта «1С-Битрикс»", "no 1C-Bitrix product is named in the program or the announcement"))
        .at(ctx.event.file.program.first().and_then(|p| p.get_ref().title.as_ref().map(|t| t.span())))
        .help(t!("назовите продукт в названии доклада или в описании, например «Обзор Битрикс24: CRM и задачи»", "name the product in a talk title or the description, e.g. \"Битрикс24 overview\""))]
}

fn approval(ctx: &Ctx) -> Vec<Diagnostic> {
    let days_left = ctx.event.date().map(|d| (d - ctx.today).num_days());
    // A date already past is `event.date`'s error; how long before it the program was
    // approved means nothing then.
    if days_left.is_some_and(|d| d < 0) {
        return vec![];
    }
    let date_span = ctx.event.section().and_then(|e| span_of(&e.date));
    match &ctx.lock {
        None => {
            let mut d = Diagnostic::new("program.approval", t!("программа ещё не согласована с координатором (нет program.lock)", "the program is not approved by the coordinator yet (no program.lock)"))
                .help(t!("согласуйте программу с координатором не позднее чем за 2 недели и выполните `bxland approve`", "agree the program with the coordinator at least 2 weeks ahead, then run `bxland approve`"));
            if let Some(left) = days_left.filter(|d| *d < 14) {
                d.message = t!("программа не согласована, а до вебинара {left} дн. (нужно не меньше 14)", "the program is not approved and the webinar is {left} days away (at least 14 needed)");
                d = d.at(date_span);
            }
            vec![d]
        }
        Some(Ok(lock)) => {
            let late = match (lock.approved_date(), ctx.event.date()) {
                (Some(approved), Some(date)) => (date - approved).num_days() < 14,
                _ => false,
            };
            if late {
                let approved = &lock.approved;
                vec![Diagnostic::new("program.approval", t!("программа согласована {approved} — меньше чем за 14 дней до вебинара", "the program was approved on {approved}, less than 14 days before the webinar"))
                    .at(date_span)
                    .help(t!("программа согласуется не позднее чем за 2 недели: предупредите координатора", "programs are approved at least 2 weeks ahead: tell the coordinator"))]
            } else {
                vec![]
            }
        }
        Some(Err(_)) => vec![],
    }
}

fn changed_after_approval(ctx: &Ctx) -> Vec<Diagnostic> {
    let lock_file = lock::LOCK_FILE;
    let approved = match &ctx.lock {
        None => return vec![],
        Some(Err(e)) => {
            return vec![Diagnostic::new("program.changed-after-approval", t!("{lock_file} повреждён: {e}", "{lock_file} is damaged: {e}"))
                .in_file(lock_file)
                .help(t!("не правьте {lock_file} вручную; после согласования с координатором выполните `bxland approve` заново", "do not edit {lock_file}; run `bxland approve` again after agreeing"))]
        }
        Some(Ok(lock)) => lock,
    };
    let Some(date) = approved.approved_date() else {
        return vec![];
    };
    let current = lock::lock_for(ctx.event, date);
    if current.fingerprint == approved.fingerprint {
        return vec![];
    }
    let when = &approved.approved;
    let help = || {
        t!("изменения программы согласуются с координатором (штраф 20 баллов); после согласия выполните `bxland approve`, иначе верните согласованный текст", "agree changes with the coordinator (a 20-point fine otherwise), then run `bxland approve`; or restore the approved text")
    };
    let (cur, old) = (&current.items, &approved.items);
    // The items both ends share; what lies between was changed, added or removed.
    let same = |a: &lock::LockedItem, b: &lock::LockedItem| a.fingerprint == b.fingerprint;
    let head = cur.iter().zip(old).take_while(|(c, o)| same(c, o)).count();
    let tail = cur[head..]
        .iter()
        .rev()
        .zip(old[head..].iter().rev())
        .take_while(|(c, o)| same(c, o))
        .count();
    let (cur_mid, old_mid) = (&cur[head..cur.len() - tail], &old[head..old.len() - tail]);
    let mut out = Vec::new();
    for k in 0..cur_mid.len().max(old_mid.len()) {
        let i = head + k;
        let n = i + 1;
        let d = match (cur_mid.get(k), old_mid.get(k)) {
            (Some(c), Some(o)) => {
                let item = ctx.event.file.program.get(i).map(|p| p.get_ref());
                // A time that cannot be read is `program.timing`'s error, not a change.
                let unreadable = item.is_some_and(|item| {
                    [&item.start, &item.end]
                        .iter()
                        .any(|v| text(v).is_some_and(|v| parse_hhmm(v).is_none()))
                });
                if unreadable {
                    continue;
                }
                let (ru, en) = changes(o, c);
                Diagnostic::new(
                    "program.changed-after-approval",
                    t!(
                        "пункт программы №{n} изменён после согласования {when}: {ru}",
                        "program item {n} changed after the approval of {when}: {en}"
                    ),
                )
                .at(item_span(ctx, i))
            }
            (Some(c), None) => {
                let (title, time) = (&c.title, c.time.replace('-', "–"));
                Diagnostic::new(
                    "program.changed-after-approval",
                    t!(
                        "пункт программы №{n} «{title}» ({time}) добавлен после согласования {when}",
                        "program item {n} \"{title}\" ({time}) was added after the approval of {when}"
                    ),
                )
                .at(item_span(ctx, i))
            }
            (None, Some(o)) => {
                let (title, time) = (&o.title, o.time.replace('-', "–"));
                Diagnostic::new(
                    "program.changed-after-approval",
                    t!(
                        "пункт программы «{title}» ({time}) убран после согласования {when}",
                        "program item \"{title}\" ({time}) was removed after the approval of {when}"
                    ),
                )
                .at(item_span(ctx, i).or_else(|| ctx.event.file.program.last().map(|p| p.span())))
            }
            (None, None) => continue,
        };
        out.push(d.help(help()));
    }
    out
}

/// What differs between an approved item and the current one, field by field (before →
/// after), in Russian and English. The lock keeps the time and the title; the rest of an item
/// only as its fingerprint, so a change there is named, not shown.
fn changes(old: &lock::LockedItem, new: &lock::LockedItem) -> (String, String) {
    let mut ru = Vec::new();
    let mut en = Vec::new();
    if old.time != new.time {
        let (a, b) = (old.time.replace('-', "–"), new.time.replace('-', "–"));
        ru.push(format!("время {a} → {b}"));
        en.push(format!("time {a} → {b}"));
    }
    if old.title != new.title {
        let (a, b) = (&old.title, &new.title);
        ru.push(format!("название «{a}» → «{b}»"));
        en.push(format!("title \"{a}\" → \"{b}\""));
    }
    if ru.is_empty() {
        ru.push("изменены тезисы, спикеры (имя, должность или компания), вид пункта или продукт — время и название те же".to_string());
        en.push("the theses, speakers (name, position or company), kind or product changed; the time and title are the same".to_string());
    }
    (ru.join("; "), en.join("; "))
}
