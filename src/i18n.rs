//! The language diagnostics and notes are written in. Partners read Russian; `--lang en`
//! switches to English. Rule ids, code and comments stay English.

use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

/// Picks the Russian or English variant of a message: the one place a language is chosen for
/// a message that is not a [`Text`].
pub fn say(lang: Lang, ru: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru.to_string(),
        Lang::En => en.to_string(),
    }
}

/// A message in both user languages; picked at output time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub ru: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Text {
    pub fn new(ru: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Text {
            ru: ru.into(),
            en: en.into(),
        }
    }

    /// A fixed text, made without allocating (the rule table is built at every start).
    pub const fn fixed(ru: &'static str, en: &'static str) -> Self {
        Text {
            ru: Cow::Borrowed(ru),
            en: Cow::Borrowed(en),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ru)
    }
}

/// `t!("русский {x}", "english {x}")`: a [`Text`] from two format strings.
#[macro_export]
macro_rules! t {
    ($ru:expr, $en:expr $(,)?) => {
        $crate::i18n::Text::new(format!($ru), format!($en))
    };
    ($ru:expr, $en:expr, $($name:ident = $val:expr),+ $(,)?) => {{
        $(let $name = $val;)+
        $crate::i18n::Text::new(format!($ru), format!($en))
    }};
}
