// The words of src/rules/text/price.rs: prices and paid attendance, for `text.sales` and
// `event.free`. Plain data and std only: `build.rs` includes this file too and compiles every
// spelling into the lexicons the rules search with, so that no spelling is read at run time.

/// Currency words after a number.
pub const CURRENCY_WORDS: &[&str] = &[
    "тг",
    "тенге",
    "kzt",
    "руб~*",
    "р",
    "rub",
    "rur",
    "usd",
    "долл~*",
    "доллар~*",
    "евро",
    "eur",
    "сом~*",
    "сум~*",
    "у е",
];

/// Multipliers between a number and its currency.
pub const MULTIPLIERS: &[&str] = &["тыс~*", "млн", "миллион~*", "млрд", "миллиард~*"];

/// Words that make a bare number a price.
pub const PRICE_WORDS: &[&str] = &[
    "стоимост~*",
    "цен~f",
    "стоит",
    "стоят",
    "прайс~*",
    "тариф~*",
];

/// Words of a sentence about attending the webinar.
pub const ATTENDANCE: &[&str] = &[
    "участи~*",
    "участвова~*",
    "билет~*",
    "вход~*",
    "регистрац~*",
    "доступ~*",
    "запис~*",
    "посещени~*",
];

/// Words of a sentence that reports a result (a case study) rather than sells: «сэкономили
/// 2 млн тенге» is a figure, not a price.
pub const FIGURES: &[&str] = &[
    "эконом~*",
    "сэконом~*",
    "выручк~*",
    "оборот~*",
    "прибыл~*",
    "потер~*",
    "потеря~*",
    "убыт~*",
    "доход~*",
    "бюджет~*",
    "продаж~*",
    "сделк~*",
    "чек~*",
    "вырос~*",
    "рост~*",
    "увелич~*",
    "сократ~*",
    "снизи~*",
    "снижени~*",
    "затрат~*",
    "расход~*",
    "окупи~*",
];

/// Phrases that make attendance paid (Основные 2: all program events are free).
pub const PAID: &[&str] = &[
    "стоимост~* участи~*",
    "цен~f участи~*",
    "цен~f билет~*",
    "стоимост~* билет~*",
    "платн~* участи~*",
    "участи~* платн~*",
    "платн~* вебинар~*",
    "платн~* доступ~*",
    "платн~* вход~*",
    "платн~* мероприяти~*",
    "платн~* трансляци~*",
    "платн~* запис~*",
    "оплат~* участи~*",
    "оплат~* билет~*",
    "оплат~* доступ~*",
    "оплат~* вход~*",
    "участи~* стоит",
    "вход~* стоит",
    "купит~* билет~*",
    "купит~* доступ~*",
    "билет~* по",
    "билет~* стоит",
    "билет~* стоят",
    "взнос~*",
    "оргвзнос~*",
];
