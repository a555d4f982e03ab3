// The words of `text.sales` and `text.comparison` (src/rules/text/sales.rs). Plain data and
// std only: `build.rs` includes this file too and compiles every spelling into the lexicons
// the rules search with, so that no spelling is read at run time.

/// Discounts, promo codes and calls to buy.
pub const SELLING: &[&str] = &[
    "скидк~*",
    "дисконт~*",
    "промокод~*",
    "промо код~*",
    "promo code",
    "promocode",
    "купон~*",
    "кешбэк~*",
    "кэшбэк~*",
    "кешбек~*",
    "кэшбек~*",
    "cashback",
    "распродаж~*",
    "акци~y",
    "спецпредложени~*",
    "специальн~a предложени~*",
    "спеццен~*",
    "специальн~a цен~f",
    "выгодн~a цен~f",
    "лучш~a цен~f",
    "низк~a цен~f",
    "по цене",
    "прайс лист~*",
    "коммерческ~a предложени~*",
    "купить",
    "купите",
    "покупайте",
    "покупк~f",
    "приобретите",
    "приобрести лицензи~*",
    "приобрести тариф~*",
    "закажите",
    "заказать",
    "заказывайте",
    "оформите заказ",
    "оформить заказ",
    "оплатите",
    "успейте",
    "только сегодня",
    "бесплатн~a пробн~a период~m",
    "рассрочк~*",
];

/// Phrases that set two things side by side; a comparison only when another product is in
/// view (see `OTHERS_STRONG` and `OTHERS_WEAK`).
pub const COMPARATORS: &[&str] = &[
    "в отличие от",
    "по сравнению с",
    "по сравнению со",
    "в сравнении с",
    "сравнени~* с",
    "сравни~* с",
    "сравнива~* с",
    "лучше",
    "хуже",
    "удобнее",
    "быстрее",
    "дешевле",
    "дороже",
    "проще",
    "мощнее",
    "надежнее",
    "функциональнее",
    "выгоднее",
    "эффективнее",
    "превосход~*",
    "обгоня~*",
    "вместо",
];

/// Claims that compare on their own.
pub const CLAIMS: &[&str] = &[
    "не имеет аналогов",
    "не имеющ~a аналогов",
    "нет аналогов",
    "аналогов нет",
    "без аналогов",
    "лучш~a на рынке",
    "лучш~a crm",
    "лучш~a срм",
    "номер один на рынке",
    "vs",
    "versus",
];

/// Words that bring another product into view after a comparator: a competitor, an
/// analogue, or «другие / иные / остальные» followed by a kind of product.
pub const OTHERS_STRONG: &[&str] = &[
    "аналог~*",
    "конкурент~*",
    "конкурирующ~*",
    "альтернатив~*",
    // Products that are not competitors but products all the same: «удобнее Excel».
    "excel",
    "эксел~*",
    "google sheets",
    "google таблиц~*",
    "гугл таблиц~*",
];

pub const OTHERS_WEAK: &[&str] = &[
    "друг~a",
    "ин~a",
    "остальн~a",
    "прочи~*",
    "сторонн~a",
    "зарубежн~a",
    "западн~a",
    "популярн~a",
    "известн~a",
    "привычн~a",
];

pub const PRODUCT_KINDS: &[&str] = &[
    "crm",
    "срм",
    "црм",
    "систем~*",
    "сервис~*",
    "программ~*",
    "платформ~*",
    "продукт~*",
    "решени~*",
    "конструктор~*",
    "трекер~*",
    "таск трекер~*",
    "мессенджер~*",
    "портал~*",
    "инструмент~*",
    "приложени~*",
    "вендор~*",
    "чат бот~*",
    "онлайн чат~*",
];
