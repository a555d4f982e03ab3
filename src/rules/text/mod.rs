//! `text.*` and `form.third-party`: what the words on the page, in the mails and in the
//! announcements may and may not say. Every rule runs over every [`TextPiece`] (see
//! `rules::texts`) and points at the exact word.
//!
//! [`tokens`] reads a text into words and sentences, [`lexicon`] matches names and phrases
//! against those words (through inflection and mixed Latin/Cyrillic spelling). `annotate`
//! gives every word its lemmas, part of speech and grammemes (`morph`, a lexicon generated
//! from OpenCorpora) and joins brands into one token; `engine` matches the pattern rules of
//! `data/rules/*.toml` over those tokens. Each rule file holds one rule beside the line of
//! the program rules it enforces.

pub(crate) mod annotate;
mod competitor;
mod engine;
mod grammar;
pub mod lexicon;
mod morph;
pub mod placeholder;
mod positioning;
pub mod price;
mod pronoun;
mod sales;
pub mod spelling;
mod third_party;
pub mod tokens;

use super::{rule, Rule};

pub use annotate::Annotated;
pub use competitor::{dictionary, Category, Competitor};
pub use pronoun::{fix_pronouns, PronounFix};

pub fn rules() -> Vec<Rule> {
    vec![
        rule!("form.third-party", Error, "нет сторонних форм регистрации, встраиваний и ссылок на них (Timepad, Google Forms, Яндекс Формы…)", "no third-party registration form, embed or link anywhere in content", "Посадочная 2", each_text: third_party::check),
        rule!("text.competitor", Error, "не упоминаются продукты конкурентов: порталы и таск-трекеры, CRM, аналитика, колл-трекинг, онлайн-чаты, конструкторы сайтов", "no competing vendor's product is named", "Основные 11, Программа 3", each_text: competitor::check),
        rule!("text.competitor-ambiguous", Warning, "слово, которое может быть названием продукта конкурента (например, «Пачка»): проверьте по смыслу", "a word that may name a competing product (e.g. \"Пачка\"): read it in context", "Основные 11, Программа 3", super::emitted_with_another),
        rule!("text.comparison", Error, "нет явных сравнений продуктов «1С-Битрикс» с другими продуктами и системами («проще, чем в других системах», «удобнее Excel», «в отличие от …»); сравнение с ручной работой или прежними привычками — не сравнение продуктов", "no explicit comparison of a 1C-Bitrix product with other products or systems; comparing with manual work or habits is not one", "Основные 11", each_text: sales::comparison),
        rule!("text.pronoun-case", Error, "«вы», «ваш» во всех формах — со строчной буквы в середине предложения", "«Вы», «Ваш» and all their forms are lowercase mid-sentence", "Посадочная 8", each_text: pronoun::check),
        rule!("text.positioning", Error, "вебинар не позиционируется как «вебинар от 1С-Битрикс»; «при поддержке «1С-Битрикс»» допустимо", "not positioned as a webinar «от 1С-Битрикс»", "Анонсирование, Внимание", each_text: positioning::check),
        rule!("text.placeholder", Error, "ни в одном отправляемом тексте не осталось заготовки вместо значения: «адрес страницы вебинара», {{ … }}, #МАКРОС#, «[ЗАМЕНИТЕ…]»", "no placeholder, template variable or unfilled slot survives into any delivered text", "Посадочная 6", each_text: placeholder::check),
        rule!("text.sales", Error, "нет продажи услуг партнёра и рекламы: цен, скидок, промокодов, призывов купить", "no selling: prices, discounts, promo codes, calls to buy", "Посадочная 9", each_text: sales::check),
    ]
}
