//! `form-setup.md`: what only a person with the portal can switch on, as a Russian checklist.
//! REST cannot create a CRM form or set its fields, so the partner creates it once by hand.

use std::fmt::Write;

use super::{string, Bitrix24Input, Plan, FORM_ID_PLACEHOLDER};
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
    md.push_str("| № | Поле (подпись) | Тип поля в CRM | Обязательное |\n|---|---|---|---|\n");
    let fields = form_fields(event);
    for (i, f) in fields.iter().enumerate() {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            i + 1,
            f.label,
            type_ru(f.input_type),
            if f.required { "**да**" } else { "нет" }
        );
    }
    md.push('\n');
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
        "- [ ] Обязательные поля (Фамилия, Имя, Название компании, Должность, электронная \
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
        .unwrap_or_else(|| "Я даю согласие на обработку моих персональных данных".into());
    let _ = writeln!(md, "- [ ] Подпись флажка: «{label}».");
    md.push_str(
        "- [ ] Флажок согласия **обязательный**: без него форма не отправляется.\n\
         - [ ] Флажок **не отмечен по умолчанию** (в новой форме он отмечен — снимите отметку \
         «Отмечен по умолчанию»).\n\n",
    );

    md.push_str("## 4. Сообщения после отправки\n\n");
    let accepted = event
        .file
        .registration
        .as_ref()
        .and_then(|r| text(&r.get_ref().accepted_message))
        .map(str::to_string)
        .unwrap_or_else(|| string(input, "form_accepted"));
    let retry = string(input, "form_retry");
    let _ = writeln!(
        md,
        "- [ ] «Сообщение об успешной отправке»:\n\n{}",
        fence(&accepted)
    );
    let _ = writeln!(
        md,
        "- [ ] «Сообщение об ошибке» (сбой отправки) — с предложением попробовать ещё раз:\n\n{}",
        fence(&retry)
    );
    let reasons: Vec<String> = event
        .file
        .registration
        .as_ref()
        .and_then(|r| r.get_ref().reject_reasons.as_ref())
        .map(|v| v.get_ref().iter().map(|s| s.get_ref().clone()).collect())
        .unwrap_or_default();
    let rejected_tpl = event
        .file
        .registration
        .as_ref()
        .and_then(|r| text(&r.get_ref().rejected_message))
        .map(str::to_string)
        .unwrap_or_else(|| string(input, "form_rejected"));
    if reasons.is_empty() {
        md.push_str(
            "- [ ] Отказывать в участии нельзя никому: не настраивайте автоматических отказов.\n\n",
        );
    } else {
        md.push_str(
            "- [ ] Отказ возможен только по причинам ниже и решается человеком после проверки \
             заявки. Для отказа настройте робота «Отправить письмо» на стадии «Некачественный \
             лид» (или стадии отказа сделки) с текстом, где названа причина и есть предложение \
             зарегистрироваться снова:\n\n",
        );
        for r in &reasons {
            let reason = string(input, &format!("reject_{r}"));
            let msg = format!("{} {}", rejected_tpl.replace("{reason}", &reason), retry);
            let _ = writeln!(md, "  - причина «{r}»:\n\n{}", indent(&fence(&msg)));
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
        "- [ ] В **CRM → Роботы** для лидов (или сделок), которые создаёт эта форма, добавьте \
         робота «Отправить письмо» на первой стадии: получатель — e-mail из заявки, \
         выполняется сразу.\n",
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
