// The format of `data/competitors.toml` and what the brand recogniser reads out of it: the
// spellings its sounds table adds, and the phonetic key of a word. `build.rs` includes this
// file to compile the dictionary, and `competitor.rs` includes it to read words with the same
// key and, in its tests, to check the compiled dictionary against the data file; so the
// format and the readings are written once. Plain data, serde and std only.

use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileData {
    /// How the Latin parts of brand names are said in Cyrillic: `crm = ["срм", "црм"]`.
    #[serde(default)]
    pub sounds: BTreeMap<String, Vec<String>>,
    pub category: Vec<CategoryData>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryData {
    pub id: String,
    pub ru: String,
    pub en: String,
    pub product: Vec<ProductData>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductData {
    pub name: String,
    pub spellings: Vec<String>,
    #[serde(default)]
    pub ambiguous: Vec<String>,
}

/// At most this many forms are made of one spelling (a bound, not a target: the largest
/// product of a spelling's sounds is far below it).
const MAX_FORMS: usize = 96;

/// A product's spellings, then the forms the `sounds` table makes of them, each once (by
/// `key`, so that a form differing from another only by look-alike letters is not added):
///
/// - the whole name said in Cyrillic: each Latin part that has a sound said, in every
///   combination (`retail crm` gives «ритейл срм», «ретейл црм» …), where the other Latin
///   parts read in Cyrillic too (look-alike letters: `amo crm` gives «amo срм»; `mango
///   telecom` gives nothing). Half said, a name reads as a common phrase: «ритейл CRM» is a
///   CRM for retail. A word ending in a part splits there first (`sugarcrm` is `sugar` +
///   `crm`: «шугар срм»);
/// - every sequence of two or three parts spaced and joined: `retail crm` also gives
///   `retailcrm`, `retailcrm` also `retail crm`, «ретейл срм» «ретейлсрм» (a hyphen between
///   the words matches a spaced spelling already); a part with a number is not joined;
/// - a declension mark of the last word kept, and a Cyrillic part ending in a consonant that
///   ends the spelling declined as a masculine noun («из ретейл срма»).
///
/// Spellings with capitals (case-sensitive ones) and apostrophes are left as written, and so
/// are the ambiguous ones (not passed here).
pub fn with_sounds(
    spellings: &[String],
    sounds: &BTreeMap<String, Vec<String>>,
    key: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut out: Vec<String> = spellings.to_vec();
    let mut keys: Vec<String> = spellings.iter().map(|s| key(s)).collect();
    for s in spellings {
        for form in forms(s, sounds) {
            let k = key(&form);
            if !keys.contains(&k) {
                keys.push(k);
                out.push(form);
            }
        }
    }
    out
}

/// The parts of a word: itself, or a prefix and a part of `sounds` that ends it.
fn parts<'w>(word: &'w str, sounds: &BTreeMap<String, Vec<String>>) -> Vec<&'w str> {
    if sounds.contains_key(word) {
        return vec![word];
    }
    let split = sounds
        .keys()
        .filter(|k| word.len() >= k.len() + 2 && word.ends_with(k.as_str()))
        .max_by_key(|k| k.len());
    match split {
        Some(k) => {
            let at = word.len() - k.len();
            vec![&word[..at], &word[at..]]
        }
        None => vec![word],
    }
}

/// The forms of one spelling (see [`with_sounds`]), the spelling itself among them.
fn forms(spelling: &str, sounds: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    // A domain («monday.com») is written, not said.
    if spelling.chars().any(char::is_uppercase) || spelling.contains(['\'', '.']) {
        return Vec::new();
    }
    let words: Vec<&str> = spelling
        .split([' ', '-', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let Some((last, init)) = words.split_last() else {
        return Vec::new();
    };
    // Only the last word may take endings: the others cannot be joined to it.
    if init.iter().any(|w| w.contains('~')) {
        return Vec::new();
    }
    let (last, mark) = match last.split_once('~') {
        Some((stem, m)) => (stem, Some(m)),
        None => (*last, None),
    };
    // Each part's options: as written, then as said.
    let mut options: Vec<Vec<&str>> = Vec::new();
    for w in init.iter().copied().chain([last]) {
        for p in parts(w, sounds) {
            let mut o = vec![p];
            if let Some(said) = sounds.get(p) {
                o.extend(said.iter().map(String::as_str));
            }
            options.push(o);
        }
    }
    if options.len() < 2 && options.iter().all(|o| o.len() < 2) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut pick = vec![0usize; options.len()];
    loop {
        // Said, the whole name is: every part with a sound said, the others reading in
        // Cyrillic already («amo», «1с», «платформа»). «Ритейл CRM» is not the product but
        // a CRM for retail.
        let said = pick.iter().any(|&i| i > 0);
        let whole = pick
            .iter()
            .zip(&options)
            .all(|(&i, o)| i > 0 || (o.len() == 1 && reads_cyrillic(o[0])));
        if said && !whole {
            if next(&mut pick, &options) {
                continue;
            }
            break;
        }
        let chosen: Vec<&str> = pick.iter().zip(&options).map(|(&i, o)| o[i]).collect();
        let end = *chosen.last().expect("a spelling has words");
        let said_last = pick.last() != Some(&0);
        let mark = match mark {
            Some(m) => format!("~{m}"),
            None if said_last && ends_in_cyrillic_consonant(end) => "~m".to_string(),
            None => String::new(),
        };
        out.push(format!("{}{mark}", chosen.join(" ")));
        // A part with a number stands apart: «1С CRM», «Яндекс 360», not «1ссрм».
        let numbered = chosen.iter().any(|p| p.chars().any(|c| c.is_ascii_digit()));
        if (2..=3).contains(&chosen.len()) && !numbered {
            out.push(format!("{}{mark}", chosen.concat()));
        }
        if out.len() >= MAX_FORMS || !next(&mut pick, &options) {
            break;
        }
    }
    out
}

/// The next combination of options, the last part fastest; false after the last one.
fn next(pick: &mut [usize], options: &[Vec<&str>]) -> bool {
    for i in (0..pick.len()).rev() {
        pick[i] += 1;
        if pick[i] < options[i].len() {
            return true;
        }
        pick[i] = 0;
    }
    false
}

/// Whether a part reads in Cyrillic: written in it, or in Latin letters that look like
/// Cyrillic ones (and digits).
fn reads_cyrillic(part: &str) -> bool {
    part.chars()
        .all(|c| !c.is_ascii() || c.is_ascii_digit() || "abekmhopctyx".contains(c))
}

fn ends_in_cyrillic_consonant(word: &str) -> bool {
    word.chars().next_back().is_some_and(|c| {
        ('а'..='я').contains(&c) && !"аеёиоуыэюяйьъ".contains(c)
    })
}

/// The brand recogniser's phonetic key of a word's key (see `competitor.rs`, mod phonetic):
/// ь/ъ dropped, э/ё as е, й as и, дж as ж, double letters single, and past the first letter и
/// as е — a foreign name's unstressed vowel is written either way («Ритейл», «Ретейл»;
/// «Редмайн», «Ридмайн»). Not the first letter: «Инсейлс» is not «Енсейлс».
pub fn phonetic(k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    phonetic_into(k, &mut out);
    out
}

/// [`phonetic`] into `out`, which it clears first (a buffer for every reading of a word).
pub fn phonetic_into(k: &str, out: &mut String) {
    out.clear();
    phonetic_chars(k, |c| {
        out.push(c);
        true
    });
}

/// The first three characters of [`phonetic`]`(k)` in `buf`, without making the string.
pub fn phonetic_head<'b>(k: &str, buf: &'b mut [u8; 12]) -> &'b str {
    let mut len = 0;
    let mut n = 0;
    phonetic_chars(k, |c| {
        len += c.encode_utf8(&mut buf[len..]).len();
        n += 1;
        n < 3
    });
    std::str::from_utf8(&buf[..len]).expect("whole characters")
}

/// The characters of [`phonetic`]`(k)`, one by one, while `each` asks for more.
fn phonetic_chars(k: &str, mut each: impl FnMut(char) -> bool) {
    let mut prev: Option<char> = None;
    let mut chars = k.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let c = match c {
            'ь' | 'ъ' => continue,
            // The key writes Cyrillic «е» as Latin «e».
            'э' | 'ё' => 'e',
            'и' | 'й' if !first => 'e',
            'й' => 'и',
            'д' if chars.peek() == Some(&'ж') => continue,
            c => c,
        };
        first = false;
        if prev == Some(c) {
            continue;
        }
        prev = Some(c);
        if !each(c) {
            return;
        }
    }
}
