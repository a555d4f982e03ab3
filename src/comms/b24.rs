//! Bitrix24: what to set up by hand so the reminders and the follow-up go out (REST cannot
//! create CRM robots or mailings), with the planned times and the texts to paste. The
//! checklist becomes a section of `bitrix24/form-setup.md`.

use super::mails;
use super::schedule::{Channel, Kind, Schedule};
use crate::catalog;
use crate::event::model::text;
use crate::event::when::When;
use crate::event::Event;

fn kind_ru(kind: Kind) -> &'static str {
    match kind {
        Kind::Weekly => "еженедельное напоминание",
        Kind::DayBefore => "финальное напоминание за день",
        Kind::DayOf => "напоминание в день вебинара",
        Kind::Sms1h => "СМС за час (дополнительно к письмам)",
        Kind::Min15 => "напоминание за 15 минут",
        Kind::Followup => "письмо после вебинара: запись и слайды",
    }
}

fn fence(s: &str) -> String {
    // A fence longer than any run of backticks inside.
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

pub fn checklist(event: &Event, schedule: &Schedule) -> String {
    checklist_with(event, schedule, &mails::Built::default())
}

/// [`checklist`] with the event's mails taken from `built`.
pub fn checklist_with(event: &Event, schedule: &Schedule, built: &mails::Built) -> String {
    let mut out = String::new();
    out.push_str("## Напоминания и письмо после вебинара\n\n");
    out.push_str(
        "Программа требует напоминать зарегистрированным еженедельно, за день, в день вебинара \
         и за 15 минут до начала (СМС за час — только дополнительно к письмам), а в течение \
         3 рабочих дней после вебинара прислать запись и слайды. Письма получают все, чья заявка \
         не отклонена.\n\n",
    );
    out.push_str(&format!(
        "Часовой пояс вебинара: {} ({} в день вебинара).\n\n",
        schedule.timezone,
        crate::event::when::utc_offset_label(
            chrono::Offset::fix(schedule.start_local.offset()).local_minus_utc()
        )
    ));
    out.push_str("| Отправка | Канал | Местное время | UTC | Текст |\n|---|---|---|---|---|\n");
    for s in &schedule.sends {
        let channel = match s.channel {
            Channel::Email => "e-mail",
            Channel::Sms => "СМС",
        };
        let file = if s.channel == Channel::Sms {
            "mailings/sms.txt".to_string()
        } else {
            format!("mailings/{}.html", s.mail)
        };
        let status = if s.skipped {
            " (в прошлом — пропущено)"
        } else {
            ""
        };
        out.push_str(&format!(
            "| {}{} | {} | {} | {} | `{}` |\n",
            kind_ru(s.kind),
            status,
            channel,
            s.local.format("%d.%m.%Y %H:%M"),
            s.utc.format("%d.%m.%Y %H:%M"),
            file
        ));
    }
    // What is not in the table and why: the partner must not set those robots up by hand.
    if let Some(notes) = mails::withheld_notes(schedule) {
        out.push('\n');
        out.push_str(notes.trim_end());
        out.push('\n');
    }
    out.push_str(
        "\n### Вариант 1: роботы CRM (рекомендуется)\n\n\
         - [ ] CRM → Лиды (или Сделки, куда попадают заявки формы) → «Роботы».\n\
         - [ ] Добавьте пользовательское поле «Дата и время вебинара» (тип «Дата/время») и \
         заполняйте его в форме скрытым полем со значением начала вебинара.\n\
         - [ ] На стадии, куда попадает новая заявка, добавьте по роботу «Отправить письмо» на \
         каждую строку таблицы выше: «Выполнить — до значения поля „Дата и время вебинара“» \
         за 7, 14 … дней (еженедельные), за 1 день, в 08:00 дня вебинара, за 15 минут; письмо \
         после вебинара — «после значения поля» с нужным числом дней.\n\
         - [ ] Условие каждого робота: заявка не на стадии «Отклонена» (или «Некачественный \
         лид»). Робот срабатывает один раз на заявку: повторно письмо не уходит.\n\
         - [ ] Получатель — e-mail из заявки, отправитель — ящик организатора.\n\
         - [ ] СМС (если включено) — робот «Отправить SMS» за 1 час, в дополнение к письмам.\n\n\
         ### Вариант 2: CRM-маркетинг\n\n\
         - [ ] Маркетинг → Сегменты: сегмент «Заявки формы вебинара», исключите отклонённые.\n\
         - [ ] Маркетинг → Рассылки → E-mail: по рассылке на каждую строку таблицы, «Отправить \
         позже» в указанное местное время. Перед каждой отправкой обновите сегмент: новые \
         участники получат следующее напоминание.\n\n",
    );
    out.push_str("### Тексты писем\n\n");
    for name in mails::mail_names(schedule) {
        let mail = built.get(event, name);
        let f = fence(&mail.text);
        out.push_str(&format!(
            "#### `{name}` — {}\n\nТема: **{}**\n\n{f}text\n{}{f}\n\n",
            schedule
                .sends
                .iter()
                .find(|s| s.mail == name)
                .map(|s| kind_ru(s.kind))
                .unwrap_or(name),
            mail.subject.replace('*', "\\*"),
            mail.text,
        ));
    }
    if schedule.sends.iter().any(|s| s.channel == Channel::Sms) {
        let sms = mails::sms_text(event);
        let f = fence(&sms);
        out.push_str(&format!("#### СМС за час\n\n{f}text\n{sms}\n{f}\n\n"));
    }
    out
}

/// The confirmation e-mail as a CRM robot sends it: the event's own text or the default, with
/// the registrant's name as the CRM field macro. The page's address is the event's own
/// `[event] page_url` where it is given, else `page_url` (what Bitrix24 returned on publish);
/// without either the lines that would show it are left out (never a placeholder in its place,
/// `text.placeholder`).
pub fn confirmation_mail(event: &Event, page_url: Option<&str>) -> (String, String) {
    let own = event
        .file
        .registration
        .as_ref()
        .and_then(|r| r.get_ref().confirmation_email.as_ref())
        .map(|c| c.get_ref());
    let lang = event.language();
    let subject = own
        .and_then(|c| text(&c.subject))
        .unwrap_or(catalog::text(lang, "mail.confirmation.subject"));
    let body = own
        .and_then(|c| text(&c.body))
        .unwrap_or(catalog::text(lang, "mail.confirmation.body"));
    let page_url = event
        .section()
        .and_then(|e| text(&e.page_url))
        .filter(|u| crate::event::mailings::is_page_address(u))
        .map(str::trim)
        .or(page_url);
    crm_mail(event, (subject, body), page_url, None, None)
}

/// A registration mail as a CRM robot sends it: `(subject, body)` filled with the event's
/// title and date, the registrant's names as CRM field macros, the page's address and the
/// `reason`. Without an address, each line that would show it gives way to `no_page`, or is
/// left out. A slot a partner's override names and nothing fills stays as written: `check`
/// reports it (`text.placeholder`).
pub fn crm_mail(
    event: &Event,
    (subject, body): (&str, &str),
    page_url: Option<&str>,
    reason: Option<&str>,
    no_page: Option<&str>,
) -> (String, String) {
    let date = When::of(event)
        .map(|w| w.human(event.language()))
        .unwrap_or_default();
    let mut slots = vec![
        ("event.title", event.title()),
        ("event.date", date.as_str()),
        ("first_name", "{=Document:NAME}"),
        ("last_name", "{=Document:LAST_NAME}"),
    ];
    slots.extend(page_url.map(|u| ("event.url", u)));
    slots.extend(reason.map(|r| ("reason", r)));
    let fill = |s: &str| {
        let s = match page_url {
            Some(_) => s.to_string(),
            None => without_url_lines(s, no_page),
        };
        catalog::fill(&s, &slots).unwrap_or_else(|u| u.partial)
    };
    (fill(subject), fill(body))
}

/// `text` with each line that shows `{{ event.url }}` replaced by `instead`, or left out
/// (and then without a blank line left doubled by that).
fn without_url_lines(text: &str, instead: Option<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if catalog::slot_names(line).contains(&"event.url") {
            match instead {
                Some(other) => out.push(other),
                None => continue,
            }
            continue;
        }
        if instead.is_none()
            && line.trim().is_empty()
            && out.last().is_some_and(|l| l.trim().is_empty())
        {
            continue;
        }
        out.push(line);
    }
    out.join("\n")
}
