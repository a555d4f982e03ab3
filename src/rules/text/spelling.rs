// How words are keyed and how spellings are written (the syntax is described in
// `lexicon.rs`). Standard library only: `build.rs` includes this file too and compiles the
// rule dictionaries with exactly the reading the program matches with.

/// The key a word is compared by: lower case, «ё» as «е», and the Cyrillic letters that look
/// like Latin ones folded onto them, so that `Мeгаплан` (Latin «e») and `Мегаплан` have the
/// same key, and `Bы` (Latin «B») reads as «Вы».
pub fn key(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    key_chars(word, |c| out.push(c));
    out
}

/// The phonetic key of a [`key`] (the brand recogniser's, see `competitor.rs`): ь/ъ
/// dropped, э/ё as е, й as и, дж as ж, double letters single. `build.rs` lays out the
/// dictionary's stems with it, the program reads words with it.
pub fn phon_key(k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    let mut prev: Option<char> = None;
    let mut chars = k.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            'ь' | 'ъ' => continue,
            'э' | 'ё' => 'e',
            'й' => 'и',
            'д' if chars.peek() == Some(&'ж') => continue,
            c => c,
        };
        if prev == Some(c) {
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// The characters of [`key`]`(word)`, one by one, without making the string.
pub fn key_chars(word: &str, mut each: impl FnMut(char)) {
    for c in word.chars() {
        match simple_lowercase(c) {
            Some(lc) => each(fold(lc)),
            None => c.to_lowercase().map(fold).for_each(&mut each),
        }
    }
}

/// The lower case of ASCII and of the basic Russian alphabet without the general Unicode
/// tables (a binary search per letter, and every letter of every text is lowered); `None`
/// for anything else, which then goes through `char::to_lowercase`.
pub fn simple_lowercase(c: char) -> Option<char> {
    match c {
        _ if c.is_ascii() => Some(c.to_ascii_lowercase()),
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'а'..='я' => Some(c),
        _ => None,
    }
}

/// A letter or a digit: what words are made of. Cyrillic and ASCII without the Unicode
/// tables (the common case by far), anything else through them.
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// A letter, as [`char::is_alphabetic`] says: ASCII and Cyrillic without the Unicode tables.
pub fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}')
        || (!c.is_ascii() && c.is_alphabetic())
}

fn fold(c: char) -> char {
    match c {
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'һ' => 'h',
        'ԛ' => 'q',
        'ԝ' => 'w',
        c => c,
    }
}

/// What may follow a word's stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endings {
    Exact,
    /// `~m`, `~f`, `~y`, `~a`: one of the endings of its table in `lexicon.rs`.
    Masc,
    Fem,
    FemSoft,
    Adj,
    /// `~*`
    Prefix,
}

impl Endings {
    /// The declension a mark (after `~`) stands for.
    pub fn of_mark(mark: &str) -> Option<Endings> {
        Some(match mark {
            "m" => Endings::Masc,
            "f" => Endings::Fem,
            "y" => Endings::FemSoft,
            "a" => Endings::Adj,
            "*" => Endings::Prefix,
            _ => return None,
        })
    }
}

/// One word of a spelling, read.
#[derive(Debug)]
pub struct SpellingWord {
    /// The word's [`key`]: a stem when it takes endings.
    pub key: String,
    pub endings: Endings,
    /// Written with a capital: matches only capitalised words.
    pub capital: bool,
}

/// The words of `spelling`, or why it is not one.
pub fn spelling_words(spelling: &str) -> Result<Vec<SpellingWord>, String> {
    let mut out = Vec::with_capacity(2);
    for part in words_of(spelling) {
        let (word, endings) = match part.split_once('~') {
            None => (part, Endings::Exact),
            Some((w, m)) => match Endings::of_mark(m) {
                Some(e) => (w, e),
                None => return Err(format!("«{spelling}»: unknown declension mark ~{m}")),
            },
        };
        if word.is_empty() || !word.chars().all(is_word_char) {
            return Err(format!(
                "«{spelling}»: «{word}» is not a word (letters and digits only)"
            ));
        }
        out.push(SpellingWord {
            key: key(word),
            endings,
            capital: word.chars().next().is_some_and(char::is_uppercase),
        });
    }
    if out.is_empty() {
        return Err(format!("«{spelling}» is empty"));
    }
    Ok(out)
}

/// The words of a spelling: what stands between spaces, hyphens and dots. The separators are
/// ASCII, so the spelling is split on bytes, without decoding it.
fn words_of(spelling: &str) -> impl Iterator<Item = &str> {
    let bytes = spelling.as_bytes();
    let mut start = 0;
    (0..=bytes.len()).filter_map(move |i| {
        if i < bytes.len() && !matches!(bytes[i], b' ' | b'-' | b'.') {
            return None;
        }
        let word = &spelling[start..i];
        start = i + 1;
        (!word.is_empty()).then_some(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_agree_with_unicode() {
        for c in ('\u{0}'..='\u{052F}').chain("ӘәҒғҚқҢңӨөҰұҮүҺһІіЁё€№".chars())
        {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            let s = c.to_string();
            let general: String = s.chars().flat_map(char::to_lowercase).map(fold).collect();
            assert_eq!(key(&s), general, "{c:?}");
        }
    }

    #[test]
    fn keys_fold_look_alikes() {
        assert_eq!(key("Мeгаплан"), key("мегаплан"));
        assert_eq!(key("Bы"), key("вы"));
        assert_eq!(key("Тильдa"), key("тильда"));
        assert_ne!(key("вы"), key("ты"));
    }

    #[test]
    fn spellings_read_into_keyed_words() {
        let words = spelling_words("Мегаплан~m monday.com").unwrap();
        let read: Vec<(&str, Endings, bool)> = words
            .iter()
            .map(|w| (w.key.as_str(), w.endings, w.capital))
            .collect();
        assert_eq!(
            read,
            [
                (key("мегаплан").as_str(), Endings::Masc, true),
                ("monday", Endings::Exact, false),
                ("com", Endings::Exact, false),
            ]
        );
    }

    #[test]
    fn spellings_split_on_spaces_hyphens_and_dots() {
        let split = |s| words_of(s).collect::<Vec<_>>();
        assert_eq!(split("monday.com"), ["monday", "com"]);
        assert_eq!(split(" 1с-битрикс~m  24 "), ["1с", "битрикс~m", "24"]);
        assert_eq!(split("ёлка"), ["ёлка"]);
        assert!(split(" -. ").is_empty());
    }
}
