//! `text.positioning` (Анонсирование, «Внимание! Запрещается»).
//!
//! > позиционирование мероприятия в СМИ, в т.ч., в соц.сети, как «вебинар от «1С-Битрикс».
//! > Можно указать, что мероприятие проходит при поддержке «1С-Битрикс».
//!
//! The partner organises the webinar; 1C-Bitrix only supports it. Caught: the webinar «от»,
//! «компании», «официальный … » 1C-Bitrix or Bitrix24; 1C-Bitrix as «организатор» or as the one
//! who «проводит», «организует», «приглашает»; «совместно с 1С-Битрикс». Quotes, dashes,
//! inflection and Latin spellings do not matter. «При поддержке «1С-Битрикс»» is fine.

use std::sync::OnceLock;

use super::lexicon::Lexicon;
use crate::diag::Diagnostic;
use crate::rules::Ctx;
use crate::t;

/// What the event is called.
const EVENTS: &[&str] = &[
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
const BRANDS: &[&str] = &[
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
const COMPANY: &[&str] = &[
    "1с битрикс~m",
    "1сбитрикс~m",
    "1c bitrix",
    "битрикс~m",
    "bitrix",
];

fn phrases() -> Vec<String> {
    let mut out = Vec::new();
    for b in BRANDS {
        for e in EVENTS {
            for middle in ["от", "от компании", "компании", "от команды"]
            {
                out.push(format!("{e} {middle} {b}"));
                out.push(format!("официальн~a {e} {middle} {b}"));
            }
            out.push(format!("официальн~a {e} {b}"));
            out.push(format!("совместн~a {e} с {b}"));
            out.push(format!("организатор~* {e} {b}"));
        }
        out.push(format!("организатор~* {b}"));
        out.push(format!("организатор~* компания {b}"));
        out.push(format!("совместно с {b}"));
        out.push(format!("от имени {b}"));
    }
    for c in COMPANY {
        for verb in ["провод~*", "организу~*", "приглаша~*", "представля~*"]
        {
            out.push(format!("{c} {verb}"));
            out.push(format!("{verb} {c}"));
        }
    }
    out
}

fn lexicon() -> &'static Lexicon<()> {
    static L: OnceLock<Lexicon<()>> = OnceLock::new();
    L.get_or_init(|| {
        let all = phrases();
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        Lexicon::of(&refs, |_| ())
    })
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in &ctx.texts {
        for hit in lexicon().find(piece.text, piece.words()) {
            let written = &piece.text[hit.range.clone()];
            out.push(
                Diagnostic::error(
                    "text.positioning",
                    t!(
                        "вебинар позиционируется как мероприятие «1С-Битрикс»: «{written}»",
                        "the webinar is positioned as 1C-Bitrix's own: \"{written}\""
                    ),
                )
                .at(piece.span_of(&ctx.event.sources, hit.range))
                .help(t!(
                    "организатор — ваша компания; напишите «при поддержке «1С-Битрикс»»",
                    "you are the organizer; write «при поддержке «1С-Битрикс»» (supported by 1C-Bitrix)"
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let ws = super::super::tokens::words(text, false);
        lexicon()
            .find(text, &ws)
            .into_iter()
            .map(|h| &text[h.range])
            .collect()
    }

    #[test]
    fn positioning_variants() {
        assert_eq!(
            found("Приглашаем на вебинар от «1С-Битрикс»"),
            ["вебинар от «1С-Битрикс"]
        );
        assert_eq!(
            found("Организатор — 1C-Битрикс."),
            ["Организатор — 1C-Битрикс"]
        );
        assert_eq!(
            found("Официальный вебинар Битрикс24"),
            ["Официальный вебинар Битрикс24"]
        );
        assert_eq!(found("на вебинаре от Битрикса"), ["вебинаре от Битрикса"]);
        assert!(found("Вебинар проходит при поддержке «1С-Битрикс»").is_empty());
        assert!(found("Вебинар по Битрикс24 от ТОО «Алтын Софт»").is_empty());
        assert!(found("Битрикс24 проводит сделку по стадиям").is_empty());
    }
}
