//! `form-setup.md`: what only a person with the portal can switch on, as a Russian checklist.
//! REST cannot create a CRM form or set its fields, so the partner creates it once by hand.

use std::fmt::Write;

use super::{string, Bitrix24Input, Plan, FORM_ID_PLACEHOLDER};
use crate::catalog;
use crate::event::form::form_fields;
use crate::event::model::text;

fn type_ru(t: &str) -> &'static str {
    match t {
        "email" => "E-mail",
        "tel" => "Телефон",
        "select" => "Список",
        "checkbox" => "Флажок",
        "textarea" => "Многострочный текст",
        _ => "Строка",
    }
}

fn fence(s: &str) -> String {
    // A fence longer than any run of backticks in the text.
    let longest = s
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0)
        .max(2);
    let f = "`".repeat(longest + 1);
    format!("{f}text\n{}\n{f}\n", s.trim_end())
}

pub fn render(input: &Bitrix24Input, plan: &Plan) -> String {
    let event = input.event;
    let title = &input.title;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Bitrix24: CRM-форма регистрации на вебинар «{title}»\n"
    );
    md.push_str(
        "Страницу и блоки bxland создаёт сам (`bxland publish`), а CRM-форму REST API создать \
         не позволяет: её один раз настраивает человек с правами администратора CRM на портале. \
         Отметьте каждый пункт. Пока форма не настроена, страницу не публикуйте: без номера \
         формы Битрикс24 подставит в блок форму по умолчанию, а она не соответствует правилам \
         программы вебинаров (капча, отмеченное согласие, не те поля).\n\n",
    );

    md.push_str("## 1. Создайте форму\n\n");
    let _ = writeln!(
        md,
        "- [ ] Откройте **CRM → Продажи → Каналы продаж → CRM-формы** и нажмите «Создать»."
    );
    let _ = writeln!(
        md,
        "- [ ] Название формы: «Регистрация: {title}» (его видят только сотрудники)."
    );
    md.push_str("- [ ] Удалите поля, которые форма добавила сама и которых нет в списке ниже.\n\n");

    md.push_str("## 2. Поля формы — в этом порядке\n\n");
    md.push_str(
        "Поле добавляют кнопкой «Добавить поле» (или «+ Поле») внизу списка полей: откроется \
         список полей CRM по разделам. Берите поле именно из раздела, указанного в таблице, \
         а не «Строку» из пользовательских полей: тогда данные попадут в карточку лида (или \
         контакта) на свои места, по ним сработают дубли и роботы.\n\n",
    );
    md.push_str(
        "| № | Поле (подпись) | Поле CRM — режим «Лиды» | Поле CRM — режим «Сделки + контакты» | Обязательное |\n\
         |---|---|---|---|---|\n",
    );
    let fields = form_fields(event);
    for (i, f) in fields.iter().enumerate() {
        let (lead, contact) = crm_field(&f.id, f.input_type);
        let _ = writeln!(
            md,
            "| {} | {} | {lead} | {contact} | {} |",
            i + 1,
            f.label,
            if f.required { "**да**" } else { "нет" }
        );
    }
    md.push('\n');
    md.push_str(
        "Какой у портала режим, видно в **CRM → Настройки → Режим работы CRM**: «Классический» — \
         заявки становятся лидами; «Простой» (без лидов) — сделками с контактом и компанией.\n\n",
    );
    for f in &fields {
        let req = if f.required {
            "включите «Обязательное поле»"
        } else {
            "оставьте необязательным"
        };
        let _ = write!(md, "- [ ] «{}» — {}; {req}", f.label, type_ru(f.input_type));
        if !f.options.is_empty() {
            let _ = write!(md, "; варианты: {}", f.options.join("; "));
        }
        md.push_str(".\n");
    }
    md.push_str(
        "- [ ] Подпись поля меняют щелчком по нему: напишите подпись из таблицы (она же на \
         странице вебинара).\n\
         - [ ] Обязательные поля (Фамилия, Имя, Название компании, Должность, электронная \
         почта, контактный телефон) не удаляйте и не делайте необязательными: этого требуют \
         правила программы вебинаров.\n\n",
    );

    md.push_str("## 3. Согласие на обработку персональных данных («Соглашения»)\n\n");
    md.push_str(
        "- [ ] На вкладке «Соглашения» уберите стандартное соглашение и нажмите «Создать \
         соглашение»: тип «Произвольное», название «Согласие: вебинар».\n\
         - [ ] Вставьте в текст соглашения **без изменений** текст ниже (тот же, что bxland \
         проверил на соответствие правилам):\n\n",
    );
    md.push_str(&fence(&input.consent_plain));
    md.push('\n');
    let label = event
        .file
        .consent
        .as_ref()
        .and_then(|c| text(&c.get_ref().label))
        .map(str::to_string)
        .unwrap_or_else(|| string(input, "consent_label"));
    let _ = writeln!(md, "- [ ] Подпись флажка: «{label}».");
    md.push_str(
        "- [ ] Флажок согласия **обязательный**: без него форма не отправляется.\n\
         - [ ] Флажок **не отмечен по умолчанию** (в новой форме он отмечен — снимите отметку \
         «Отмечен по умолчанию»).\n\n",
    );

    md.push_str("## 4. Сообщения после отправки\n\n");
    md.push_str(
        "Сообщения задаются в настройках формы, раздел «Действия после заполнения» (или \
         «Сообщения»): одно для успешной отправки, другое — для ошибки.\n\n",
    );
    let accepted = event
        .file
        .registration
        .as_ref()
        .and_then(|r| text(&r.get_ref().accepted_message))
        .map(str::to_string)
        .unwrap_or_else(|| string(input, "form_accepted"));
    let _ = writeln!(
        md,
        "- [ ] «Сообщение об успешной отправке»:\n\n{}",
        fence(&accepted)
    );
    let _ = writeln!(
        md,
        "- [ ] «Сообщение об ошибке» (заявка не дошла): причина и как зарегистрироваться снова:\n\n{}",
        fence(&failure_message(input))
    );
    let reasons: Vec<String> = event
        .file
        .registration
        .as_ref()
        .and_then(|r| r.get_ref().reject_reasons.as_ref())
        .map(|v| v.get_ref().iter().map(|s| s.get_ref().clone()).collect())
        .unwrap_or_default();
    if reasons.is_empty() {
        md.push_str(
            "- [ ] Отказывать в участии нельзя никому: не настраивайте автоматических отказов.\n\n",
        );
    } else {
        md.push_str(
            "- [ ] Отказ возможен только по причинам ниже и решается человеком после проверки \
             заявки. Для отказа настройте робота «Отправить письмо» на стадии «Некачественный \
             лид» (или стадии отказа сделки). В письме названа причина и дана ссылка, чтобы \
             зарегистрироваться снова, если это ошибка:\n\n",
        );
        for r in &reasons {
            let reason = string(input, &format!("reason_{r}"));
            let (subject, body) = rejection_mail(input, &reason);
            let _ = writeln!(
                md,
                "  - причина «{r}» — тема: «{subject}», текст:\n\n{}",
                indent(&fence(&body))
            );
        }
        if input.page_url.is_none() {
            md.push_str(
                "  - Адрес страницы в этих письмах появится после публикации: `bxland publish` \
                 запишет этот чек-лист с адресом в `bitrix24-form-setup.md` рядом с event.toml.\n\n",
            );
        }
    }

    md.push_str("## 5. Защита от спама\n\n");
    md.push_str(
        "- [ ] В настройках формы («Защита от спама») **выключите капчу** (reCAPTCHA): правила \
         программы запрещают CAPTCHA любого вида.\n\
         - [ ] Не включайте подтверждение регистрации по ссылке из письма (двойное \
         подтверждение): регистрация засчитывается сразу.\n\n",
    );

    md.push_str("## 6. Письмо-подтверждение участнику\n\n");
    md.push_str(
        "Письма из CRM уходят с подключённого ящика. Если роботы ещё не отправляли писем:\n\n\
         - [ ] Подключите ящик отправителя: в настройке робота «Отправить письмо» в поле «От \
         кого» выберите «Добавить отправителя», укажите имя и адрес организатора и подтвердите \
         адрес кодом из письма, которое придёт на этот ящик (или подключите ящик в разделе \
         «Почта» — тогда он появится в списке отправителей).\n\n",
    );
    md.push_str(
        "- [ ] Откройте **CRM → Лиды** (в режиме без лидов — **CRM → Сделки**) → «Роботы». На \
         первой стадии нажмите «Добавить», выберите «Отправить письмо»: получатель — e-mail \
         клиента из заявки, «Выполнить» — сразу, условие — «Источник» равен этой CRM-форме.\n",
    );
    let _ = writeln!(
        md,
        "- [ ] Тема письма:\n\n{}",
        fence(&input.confirmation_subject)
    );
    let _ = writeln!(
        md,
        "- [ ] Текст письма:\n\n{}",
        fence(&input.confirmation_body)
    );
    md.push_str(
        "- [ ] Обращение по имени: `{=Document:NAME}` — имя из лида. В режиме «Сделки + \
         контакты» у сделки нет своего имени: удалите `{=Document:NAME}` и вставьте на его \
         место поле «Контакт → Имя» кнопкой «…» справа от текста письма.\n",
    );
    if input.page_url.is_none() {
        md.push_str(
            "- [ ] Ссылку на страницу вебинара письмо получит после публикации: `bxland publish` \
             запишет этот чек-лист с адресом в `bitrix24-form-setup.md` рядом с event.toml; \
             возьмите текст письма оттуда.\n",
        );
    }
    md.push_str("- [ ] Отправьте себе тестовую заявку и убедитесь, что письмо пришло.\n\n");

    md.push_str("## 7. Встройте форму в страницу\n\n");
    let _ = writeln!(
        md,
        "- [ ] Сохраните форму и узнайте её номер (ID): он виден в списке CRM-форм и в адресе \
         страницы настроек формы."
    );
    let _ = writeln!(
        md,
        "- [ ] Запустите `bxland publish {} --bitrix24 <адрес входящего вебхука> --form-id <ID>`: \
         bxland поставит номер в блок регистрации (`data-b24form=\"#crmFormInline<ID>\"`), \
         создаст или обновит страницу и опубликует её.",
        event.dir.display()
    );
    if plan.form_id.is_none() {
        let _ = writeln!(
            md,
            "- [ ] Если блоки регистрируете вручную по `blocks.json`, замените в блоке \
             регистрации `{FORM_ID_PLACEHOLDER}` на номер формы."
        );
    }
    md.push_str(
        "- [ ] Не пугайтесь вида страницы в редакторе Битрикс24: стили страницы (поле «CSS» в \
         настройках страницы) редактор в режиме правки не применяет, поэтому там блоки выглядят \
         без оформления. Проверяйте вид по опубликованной странице. Картинки (логотип, \
         партнёры) в редакторе заменяются щелчком по ним.\n",
    );
    md.push_str(
        "- [ ] Откройте опубликованную страницу и отправьте тестовую заявку: проверьте поля, \
         флажок согласия (не отмечен), сообщение после отправки и письмо.\n",
    );

    if !input.extra_checklist.trim().is_empty() {
        md.push('\n');
        md.push_str(input.extra_checklist.trim_end());
        md.push('\n');
    }
    md
}

/// The CRM fields a form field maps to: (lead mode, deal + contact mode).
fn crm_field(id: &str, input_type: &str) -> (&'static str, &'static str) {
    match id {
        "last_name" => ("Лид → Фамилия", "Контакт → Фамилия"),
        "first_name" => ("Лид → Имя", "Контакт → Имя"),
        "second_name" | "middle_name" => ("Лид → Отчество", "Контакт → Отчество"),
        "company" => ("Лид → Название компании", "Компания → Название компании"),
        "position" => ("Лид → Должность", "Контакт → Должность"),
        "email" => ("Лид → E-mail (рабочий)", "Контакт → E-mail (рабочий)"),
        "phone" => ("Лид → Телефон (рабочий)", "Контакт → Телефон (рабочий)"),
        _ => match input_type {
            "textarea" => ("Лид → Комментарий", "Сделка → Комментарий"),
            _ => (
                "Лид → новое поле своего типа («Создать поле»)",
                "Сделка → новое поле своего типа («Создать поле»)",
            ),
        },
    }
}

/// The form's failure message: what went wrong and how to register again.
pub(super) fn failure_message(input: &Bitrix24Input) -> String {
    let lang = input.event.language();
    match &input.page_url {
        Some(url) => catalog::fill(
            catalog::text(lang, "form.failure"),
            &[("event.url", url.as_str())],
        )
        .unwrap_or_else(|u| u.partial),
        None => catalog::text(lang, "form.failure_no_page").to_string(),
    }
}

/// The rejection e-mail: the same wording as Site Management's (the catalog's
/// `mail.rejected`), with the reason and the page address; without a known address its line
/// says to answer the mail instead.
pub(super) fn rejection_mail(input: &Bitrix24Input, reason: &str) -> (String, String) {
    let lang = input.event.language();
    crate::comms::b24::crm_mail(
        input.event,
        (
            catalog::text(lang, "mail.rejected.subject"),
            catalog::text(lang, "mail.rejected.body"),
        ),
        input.page_url.as_deref(),
        Some(reason),
        Some(catalog::text(lang, "mail.rejected.no_page")),
    )
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
