// The words of `text.positioning` (src/rules/text/positioning.rs). Plain data and std only:
// `build.rs` includes this file too and compiles every spelling into the lexicons the rule
// searches with, so that no spelling is read at run time.

/// What the event is called.
pub const EVENTS: &[&str] = &[
    "вебинар~m",
    "семинар~m",
    "мероприяти~*",
    "конференци~y",
    "трансляци~y",
    "мастер класс~m",
    "онлайн встреч~f",
    "воркшоп~m",
    "интенсив~m",
    "эфир~m",
    "событи~*",
    "webinar~*",
];

/// 1C-Bitrix, the company, and Bitrix24, its product, as the text may spell them.
pub const BRANDS: &[&str] = &[
    "1с битрикс~m",
    "1с битрикс24",
    "1сбитрикс~m",
    "битрикс~m",
    "битрикс24",
    "битрикс 24",
    "bitrix~*",
    "bitrix24",
    "bitrix 24",
    "1c bitrix",
];

/// The company alone: what «проводит», «приглашает» may follow (the product «Битрикс24
/// проводит сделку» is not positioning).
pub const COMPANY: &[&str] = &[
    "1с битрикс~m",
    "1сбитрикс~m",
    "1c bitrix",
    "битрикс~m",
    "bitrix",
];

/// What may stand right before a brand: `{event} {middle}`, `официальн~a {event} {middle}`,
/// `официальн~a {event}`, `совместн~a {event} с`, `организатор~* {event}`, and a few phrases
/// on their own. A phrase is a lead followed by a brand (see `Positioning::find` in positioning.rs).
pub fn leads() -> Vec<String> {
    let mut out = Vec::new();
    for e in EVENTS {
        for middle in MIDDLES {
            out.push(format!("{e} {middle}"));
            out.push(format!("официальн~a {e} {middle}"));
        }
        out.push(format!("официальн~a {e}"));
        out.push(format!("совместн~a {e} с"));
        out.push(format!("организатор~* {e}"));
    }
    out.extend(
        [
            "организатор~*",
            "организатор~* компания",
            "совместно с",
            "от имени",
        ]
        .map(String::from),
    );
    out
}

pub const MIDDLES: &[&str] = &["от", "от компании", "компании", "от команды"];

/// What the company may be said to do: `{company} {verb}` or `{verb} {company}`.
pub const VERBS: &[&str] = &["провод~*", "организу~*", "приглаша~*", "представля~*"];

