// Names the annotator (annotate.rs) recognises as one token, beside the competitors of
// `data/competitors.toml` and the services of `third_party_words.rs`. Plain data and std
// only: `build.rs` includes this file too and compiles every spelling into the lexicons.

/// 1C-Bitrix, the company, and Bitrix24, its product, as the text may spell them.
pub const BITRIX: &[&str] = &[
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
    "1с битрикс казахстан",
    "1c bitrix kazakhstan",
];

/// Webinar platforms: where a webinar is streamed (fine) and where it must not be registered
/// for (`form.third-party`).
pub const PLATFORMS: &[&str] = &[
    "zoom~*",
    "зум~m",
    "webinar.ru",
    "вебинар.ру",
    "events.webinar.ru",
    "мтс линк~m",
    "mts link",
    "mind",
    "pruffme",
    "пруфми",
    "myownconference",
    "мираполис~m",
    "etutorium",
    "контур толк~m",
    "яндекс телемост~m",
    "телемост~m",
    "google meet",
    "гугл мит~m",
    "bizon365",
    "бизон365",
    "comdi",
    "webinar.kz",
];
