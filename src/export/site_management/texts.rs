//! The built-in texts of this export, used where neither the event nor the theme strings
//! (`SiteManagementInput::strings`) give one: page messages, reasons, mails. Russian and
//! Kazakh; `{{ ... }}` placeholders are filled by `mod.rs` (see `fill_mail`).

use crate::event::Language;

/// Codes of the page messages, as `BXLAND_<CODE>` in the component's lang files and as
/// lower-case keys in the theme strings.
pub const MESSAGES: &[&str] = &[
    "FORM_TITLE",
    "FREE_REGISTRATION",
    "FORM_ACCEPTED",
    "FORM_REJECTED",
    "FORM_RETRY",
    "SUBMIT",
    "REQUIRED_NOTE",
    "CONSENT_TEXT_TITLE",
    "REASON_ERRORS",
    "REASON_COMPETITOR",
    "REASON_STUDENT",
];

pub fn message(lang: Language, code: &str) -> &'static str {
    match lang {
        Language::Ru => match code {
            "FORM_TITLE" => "Регистрация на вебинар",
            "FREE_REGISTRATION" => "Участие бесплатное, нужна регистрация.",
            "FORM_ACCEPTED" => "Заявка принята! Письмо-подтверждение уже отправлено на указанный адрес электронной почты.",
            "FORM_REJECTED" => "Заявка не принята: {reason}.",
            "FORM_RETRY" => "Исправьте данные и отправьте форму ещё раз — она ниже.",
            "SUBMIT" => "Зарегистрироваться",
            "REQUIRED_NOTE" => "Поля, отмеченные *, обязательны для заполнения.",
            "CONSENT_TEXT_TITLE" => "Текст согласия на обработку персональных данных",
            "REASON_ERRORS" => "не все поля заполнены верно — ошибки перечислены ниже",
            "REASON_COMPETITOR" => "участие сотрудников компаний-конкурентов организатора не предусмотрено",
            "REASON_STUDENT" => "вебинар рассчитан на специалистов компаний, участие студентов и учащихся не предусмотрено",
            "CONSENT_LABEL" => "Я даю согласие на обработку моих персональных данных на условиях, изложенных ниже",
            _ => "",
        },
        Language::Kk => match code {
            "FORM_TITLE" => "Вебинарға тіркелу",
            "FREE_REGISTRATION" => "Қатысу тегін, тіркелу қажет.",
            "FORM_ACCEPTED" => "Өтінім қабылданды! Растау хаты көрсетілген электрондық пошта мекенжайына жіберілді.",
            "FORM_REJECTED" => "Өтінім қабылданбады: {reason}.",
            "FORM_RETRY" => "Деректерді түзетіп, форманы қайта жіберіңіз — ол төменде.",
            "SUBMIT" => "Тіркелу",
            "REQUIRED_NOTE" => "* белгісі бар өрістерді толтыру міндетті.",
            "CONSENT_TEXT_TITLE" => "Дербес деректерді өңдеуге келісім мәтіні",
            "REASON_ERRORS" => "кейбір өрістер дұрыс толтырылмаған — қателер төменде көрсетілген",
            "REASON_COMPETITOR" => "ұйымдастырушының бәсекелес компанияларының қызметкерлеріне қатысу қарастырылмаған",
            "REASON_STUDENT" => "вебинар компания мамандарына арналған, студенттер мен оқушыларға қатысу қарастырылмаған",
            "CONSENT_LABEL" => "Төменде көрсетілген шарттармен дербес деректерімді өңдеуге келісім беремін",
            _ => "",
        },
    }
}

/// (subject, body) of a mail: `confirmation`, `accepted` or `rejected`.
pub fn mail(lang: Language, which: &str) -> (&'static str, &'static str) {
    match (lang, which) {
        (Language::Ru, "confirmation") => (
            "Регистрация на вебинар «{{ event.title }}» принята",
            "Здравствуйте, {{ first_name }}!\n\nЗаявка на участие в вебинаре «{{ event.title }}» принята. Подтверждать её не нужно.\n\nКогда: {{ event.date }}, онлайн.\nУчастие бесплатное.\n\nСтраница вебинара: {{ event.url }}\n",
        ),
        (Language::Ru, "accepted") => (
            "Участие в вебинаре «{{ event.title }}» подтверждено",
            "Здравствуйте, {{ first_name }}!\n\nОрганизатор рассмотрел заявку и ждёт вас на вебинаре «{{ event.title }}».\n\nКогда: {{ event.date }}, онлайн.\n\nСтраница вебинара: {{ event.url }}\n",
        ),
        (Language::Ru, _) => (
            "Заявка на вебинар «{{ event.title }}» отклонена",
            "Здравствуйте, {{ first_name }}!\n\nЗаявка на участие в вебинаре «{{ event.title }}» отклонена. Причина: {{ reason }}.\n\nЕсли это ошибка, зарегистрируйтесь ещё раз на странице вебинара: {{ event.url }}\n",
        ),
        (Language::Kk, "confirmation") => (
            "«{{ event.title }}» вебинарына тіркелу қабылданды",
            "Сәлеметсіз бе, {{ first_name }}!\n\n«{{ event.title }}» вебинарына қатысу өтінімі қабылданды. Оны растаудың қажеті жоқ.\n\nУақыты: {{ event.date }}, онлайн.\nҚатысу тегін.\n\nВебинар беті: {{ event.url }}\n",
        ),
        (Language::Kk, "accepted") => (
            "«{{ event.title }}» вебинарына қатысу расталды",
            "Сәлеметсіз бе, {{ first_name }}!\n\nҰйымдастырушы өтінімді қарап шықты және сізді «{{ event.title }}» вебинарында күтеді.\n\nУақыты: {{ event.date }}, онлайн.\n\nВебинар беті: {{ event.url }}\n",
        ),
        (Language::Kk, _) => (
            "«{{ event.title }}» вебинарына өтінім қабылданбады",
            "Сәлеметсіз бе, {{ first_name }}!\n\n«{{ event.title }}» вебинарына қатысу өтінімі қабылданбады. Себебі: {{ reason }}.\n\nЕгер бұл қате болса, вебинар бетінде қайта тіркеліңіз: {{ event.url }}\n",
        ),
    }
}

/// The organizer's notification (always Russian: it is read by the partner's staff).
pub const ORGANIZER_SUBJECT: &str = "Новая регистрация на вебинар «{{ event.title }}»";
