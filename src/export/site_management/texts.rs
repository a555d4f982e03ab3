//! The built-in texts of this export, used where neither the event nor the theme strings
//! (`SiteManagementInput::strings`) give one: page messages, reasons, mails. Russian and
//! Kazakh; `{{ ... }}` placeholders are filled by `mod.rs` (see `fill_mail`).

use crate::webinar::Language;

/// Codes of the page messages, as `BXLAND_<CODE>` in the component's lang files and as
/// lower-case keys in the theme strings.
pub const MESSAGES: &[&str] = &[
    "FORM_TITLE",
    "FREE_REGISTRATION",
    "FORM_ACCEPTED",
    "FORM_REJECTED",
    "FORM_RETRY",
    "FORM_NOT_SENT",
    "SESSION_EXPIRED",
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
            "FORM_RETRY" => "Зарегистрироваться ещё раз",
            "FORM_NOT_SENT" => "Заявка не отправлена: исправьте поля ниже и отправьте форму ещё раз.",
            "SESSION_EXPIRED" => "Заявка не отправлена: страница была открыта слишком долго, и сеанс истёк. Проверьте данные и отправьте форму ещё раз.",
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
            "FORM_RETRY" => "Қайта тіркелу",
            "FORM_NOT_SENT" => "Өтінім жіберілмеді: төмендегі өрістерді түзетіп, форманы қайта жіберіңіз.",
            "SESSION_EXPIRED" => "Өтінім жіберілмеді: бет тым ұзақ ашық тұрды, сеанс аяқталды. Деректерді тексеріп, форманы қайта жіберіңіз.",
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

pub use crate::comms::mail_texts::mail;

/// The organizer's notification (always Russian: it is read by the partner's staff).
pub const ORGANIZER_SUBJECT: &str = "Новая регистрация на вебинар «{{ event.title }}»";
