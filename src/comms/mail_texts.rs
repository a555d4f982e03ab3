//! The default texts of the registration mails (confirmation, accepted, rejected) in the
//! event language, shared by the Site Management setup and the Bitrix24 checklist. An
//! event's `[registration.confirmation_email]` or `[mailings.mail.<name>]` overrides them.
//! `{{ ... }}` placeholders are filled by each exporter in its own macro syntax.

use crate::webinar::Language;

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
