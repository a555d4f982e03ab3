//! The shared reading of a text for the `text.*` rules: words with their byte ranges, a
//! normalised key per word that sees through case and Latin/Cyrillic look-alikes, and where
//! sentences start (on the Markdown structure and on punctuation).
//!
//! A word is a run of letters and digits; `1С-Битрикс` is the two words `1С` and `Битрикс`,
//! and rules match sequences of words. The byte range of a word is in the decoded text of its
//! [`TextPiece`](crate::rules::TextPiece), so `piece.span_of` turns it into the place in
//! `event.toml`.

use std::ops::Range;

use compact_str::CompactString;
use pulldown_cmark::{Event as Md, Options, Parser, Tag};

pub use super::spelling::{is_letter, is_word_char, key, key_chars, simple_lowercase};

/// One word of a text.
#[derive(Debug, Clone)]
pub struct Word<'t> {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The word as written.
    pub text: &'t str,
    /// [`key`] of the word: lower case, look-alike letters folded. Kept inline (up to 24
    /// bytes, most words): a heap string for every word of every text cost more than reading
    /// the words.
    pub key: CompactString,
    /// The first two characters of `key` (`'\0'` for none): every lexicon indexes its
    /// spellings by them, and each of them looked them up again in every word.
    pub key_head: [char; 2],
    /// The first word of a sentence: its capital letter says nothing.
    pub sentence_start: bool,
    /// Part of a link, a domain or an e-mail address.
    pub in_url: bool,
    /// Where the raw text between the previous word and this one starts.
    pub gap_start: usize,
}

impl Word<'_> {
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Written in capitals throughout (two letters or more): emphasis, not a capital letter.
    pub fn is_all_caps(&self) -> bool {
        let mut letters = 0;
        for c in self.text.chars().filter(|&c| is_letter(c)) {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
        letters > 1
    }

    pub fn is_latin(&self) -> bool {
        // By bytes, without decoding: U+0400..=U+04FF are exactly the characters whose UTF-8
        // starts with 0xD0..=0xD3 (never a continuation byte).
        let bytes = self.text.as_bytes();
        bytes.iter().any(u8::is_ascii_alphabetic)
            && !bytes.iter().any(|b| (0xD0..=0xD3).contains(b))
    }

    pub fn is_cyrillic(&self) -> bool {
        self.text.chars().any(is_cyrillic)
    }
}

pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// The Cyrillic lower-case letter a capital (Cyrillic, or a Latin look-alike of one) stands
/// for: what `check --fix` writes.
pub fn cyrillic_lower(c: char) -> Option<char> {
    let latin = match c {
        'A' => 'а',
        'B' => 'в',
        'E' => 'е',
        'K' => 'к',
        'M' => 'м',
        'H' => 'н',
        'O' => 'о',
        'P' => 'р',
        'C' => 'с',
        'T' => 'т',
        'X' => 'х',
        'Y' => 'у',
        c if is_cyrillic(c) && c.is_uppercase() => return c.to_lowercase().next(),
        _ => return None,
    };
    Some(latin)
}

/// Abbreviations after which a full stop does not end the sentence (`ул. Абая`, `им. Абая`,
/// `т. е.`, `напр.`). `т. д.`, `т. п.`, `г.` and `др.` may well end one, so they are not here.
const ABBREVIATIONS: &[&str] = &[
    "ул",
    "им",
    "пр",
    "просп",
    "пер",
    "пл",
    "обл",
    "р-н",
    "д",
    "корп",
    "кв",
    "оф",
    "см",
    "стр",
    "рис",
    "табл",
    "напр",
    "проф",
    "акад",
    "доц",
    "канд",
    "тел",
    "моб",
    "факс",
    "англ",
    "рус",
    "каз",
    "ср",
    "ок",
    "св",
    "гл",
    "т",
    "е",
    "ед",
    "мн",
    "нач",
    "зам",
    "рук",
    "тов",
    "гр",
    "ст",
    "ж",
    "вкл",
    "искл",
    "max",
    "min",
    "no",
    "vs",
    "etc",
    "e",
    "g",
    "i",
    "mr",
    "mrs",
    "dr",
];

/// Marks that open a quotation: what stands inside starts afresh («Ваши сделки» is a name).
const OPENING_QUOTES: &[char] = &['«', '„', '“'];

/// Reads `text` into words. `markdown` says whether block structure comes from Markdown.
pub fn words(text: &str, markdown: bool) -> Vec<Word<'_>> {
    words_with_urls(text, markdown, &url_ranges(text))
}

/// [`words`] of a text whose [`url_ranges`] are already known.
pub fn words_with_urls<'a>(text: &'a str, markdown: bool, urls: &[Range<usize>]) -> Vec<Word<'a>> {
    let blocks = if markdown {
        markdown_block_starts(text)
    } else {
        Vec::new()
    };
    let mut out: Vec<Word> = Vec::new();
    let mut block_i = 0;
    let mut prev_end = 0;
    let mut key_buf = String::new();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if is_word_char(d) || is_combining(d) {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let in_url = urls.iter().any(|u| u.start <= start && end <= u.end);
        let mut block_start = false;
        while block_i < blocks.len() && blocks[block_i] <= start {
            if blocks[block_i] >= prev_end {
                block_start = true;
            }
            block_i += 1;
        }
        let sentence_start = match out.last() {
            None => true,
            Some(_) if block_start => true,
            Some(_) if in_url => false,
            Some(_) => starts_sentence(text, &out, prev_end, start, markdown),
        };
        let key = word_key(&text[start..end], &mut key_buf);
        let mut head = key.chars();
        let key_head = [head.next().unwrap_or('\0'), head.next().unwrap_or('\0')];
        out.push(Word {
            range: start..end,
            text: &text[start..end],
            key,
            key_head,
            sentence_start,
            in_url,
            gap_start: prev_end,
        });
        prev_end = end;
    }
    out
}

/// [`key`] of a word, as an inline string; made in `buf` first (pushing a character into a
/// `String` is cheaper than into a `CompactString`).
fn word_key(word: &str, buf: &mut String) -> CompactString {
    buf.clear();
    key_chars(word, |c| buf.push(c));
    CompactString::new(&*buf)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Whether the word at `start` opens a sentence, given the raw gap since the previous word.
fn starts_sentence(text: &str, before: &[Word], gap_start: usize, start: usize, md: bool) -> bool {
    let gap = &text[gap_start..start];
    let prev = &before[before.len() - 1];
    if let Some(nl) = gap.rfind('\n') {
        // A blank line starts a paragraph (plain texts; Markdown has its own blocks).
        if !md && gap.matches('\n').count() >= 2 {
            return true;
        }
        // A line led by a bullet, a dash, an emoji or «1)» reads as a list item.
        let line = gap[nl + 1..].trim_start();
        let lead = line.chars().next();
        let bullet = lead.is_some_and(|c| {
            !is_word_char(c) && !OPENING_QUOTES.contains(&c) && !"\"([*_`".contains(c)
        });
        let numbered = line.is_empty()
            && text[start..]
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with(['.', ')'])
            && text[start..].starts_with(|c: char| c.is_ascii_digit());
        if bullet || numbered {
            return true;
        }
    }
    // What stands in quotation marks starts afresh: «Ваши сделки» names a screen.
    let trimmed = gap.trim_end();
    if trimmed.ends_with(OPENING_QUOTES)
        || (gap.ends_with('"') && gap[..gap.len() - 1].ends_with(char::is_whitespace))
    {
        return true;
    }
    // «1) Вы …»: the number of a list item.
    if prev.sentence_start && prev.text.chars().all(|c| c.is_ascii_digit()) && gap.trim() == ")" {
        return true;
    }
    let Some(stop) = gap.find(['.', '!', '?', '…']) else {
        return false;
    };
    if prev.in_url {
        // After a link only a stop followed by a space ends the sentence.
        return ends_with_stop(trimmed) && gap.ends_with(char::is_whitespace);
    }
    let stops = &gap[stop..];
    if stops.starts_with(['!', '?', '…']) || stops.starts_with("..") {
        return true;
    }
    // A full stop glued to both words is a decimal, a domain or «т.е.».
    if !gap.contains(char::is_whitespace) {
        return false;
    }
    not_abbreviation(before)
}

fn ends_with_stop(s: &str) -> bool {
    s.trim_end_matches(['»', '"', '”', ')', '*', '_'])
        .ends_with(['.', '!', '?', '…'])
}

/// The full stop after `before.last()` ends the sentence unless that word is an abbreviation
/// or an initial.
fn not_abbreviation(before: &[Word]) -> bool {
    let prev = &before[before.len() - 1];
    let lower = prev.text.to_lowercase();
    // «И. И. Иванов», «A. Smith»: a single capital is an initial.
    let mut chars = prev.text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return false;
        }
    }
    // «т. е.», «т. к.», «т. н.» never end a sentence; «т. д.», «т. п.» may.
    if before.len() >= 2 {
        let prev2 = before[before.len() - 2].text.to_lowercase();
        if prev2 == "т" && matches!(lower.as_str(), "е" | "к" | "н" | "ч") {
            return false;
        }
        if prev2 == "т" && matches!(lower.as_str(), "д" | "п") {
            return true;
        }
    }
    // «г. Алматы» is a city; «в 2026 г. Вы …» may end a sentence.
    if matches!(lower.as_str(), "г" | "гг") {
        return before.len() >= 2
            && before[before.len() - 2]
                .text
                .chars()
                .all(|c| c.is_ascii_digit());
    }
    !ABBREVIATIONS.contains(&lower.as_str())
}

/// Byte offsets where a Markdown block (paragraph, heading, list item, table cell, quote)
/// begins: the first word after each starts a sentence.
pub fn markdown_block_starts(text: &str) -> Vec<usize> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out: Vec<usize> = Parser::new_ext(text, opts)
        .into_offset_iter()
        .filter_map(|(ev, range)| match ev {
            Md::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_),
            ) => Some(range.start),
            Md::HardBreak => Some(range.end),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Byte ranges of links, bare domains and e-mail addresses: their dots end no sentence.
pub fn url_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // Every form has a dot or a colon (see `url_in_chunk`): only the chunks (runs between
    // whitespace) around one are looked at, not every word of the text.
    let mut from = 0;
    while let Some(p) = memchr::memchr2(b'.', b':', &text.as_bytes()[from..]) {
        let at = from + p;
        let start = text[..at]
            .char_indices()
            .rfind(|&(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| at + i);
        if let Some(r) = url_in_chunk(&text[start..end]) {
            out.push(start + r.start..start + r.end);
        }
        from = end;
    }
    out
}

const TLDS: &[&str] = &[
    "ru", "kz", "com", "net", "org", "io", "me", "gle", "cc", "ws", "su", "рф", "info", "biz",
    "pro", "app", "co", "ua", "by", "uz", "kg", "site", "online", "us", "to", "ai", "dev",
];

/// A link, a domain or an address in `chunk`, which holds a dot or a colon (every form
/// below has one: "://", "www.", "host.tld").
fn url_in_chunk(chunk: &str) -> Option<Range<usize>> {
    // Lower-casing ASCII and Russian keeps every byte in its place, so such a chunk (nearly
    // all) is searched as it is, ASCII-case-insensitively; any other is lowered first.
    let lowered;
    let (lower, same_offsets) = if chunk.chars().all(|c| simple_lowercase(c).is_some()) {
        (chunk, true)
    } else {
        lowered = chunk.to_lowercase();
        (lowered.as_str(), lowered.len() == chunk.len())
    };
    let begin = ["https://", "http://", "www."]
        .iter()
        .filter_map(|p| find_ascii_ci(lower, p))
        .min()
        .or_else(|| {
            // A bare domain or an address: letters, a dot, a known TLD.
            let core = chunk.trim_matches(|c: char| !is_word_char(c));
            let host = core.split(['/', '?', '#']).next()?;
            let dot = host.rfind('.')?;
            let tld = host[dot + 1..].to_lowercase();
            let name = &host[..dot];
            let plausible = !name.is_empty()
                && TLDS.contains(&tld.as_str())
                && name.chars().all(|c| is_word_char(c) || "-._@".contains(c));
            plausible.then(|| chunk.find(core).unwrap_or(0))
        })
        .filter(|&b| same_offsets || b == 0)?;
    // Up to the last character that belongs to an address: a closing bracket, quote or
    // stop after it is punctuation.
    let tail = chunk[begin..].trim_end_matches(|c: char| {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '»' | '"' | '”' | '>' | ']' | '*' | '_' | '…'
        )
    });
    Some(begin..begin + tail.len())
}

/// Where the ASCII `needle` (in lower case) first occurs in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan of `is_latin` says what the scan of characters says, for every
    /// character up to U+052F and some beyond, alone and next to a Latin letter.
    #[test]
    fn is_latin_agrees_with_the_scan_of_characters() {
        let by_chars =
            |t: &str| t.chars().any(|c| c.is_ascii_alphabetic()) && !t.chars().any(is_cyrillic);
        for c in ('\u{0}'..='\u{052F}').chain("ӘҒ€№\u{10400}\u{FFFD}".chars()) {
            for text in [c.to_string(), format!("a{c}"), format!("{c}z1")] {
                let w = Word {
                    range: 0..text.len(),
                    text: &text,
                    key: Default::default(),
                    key_head: ['\0'; 2],
                    sentence_start: false,
                    in_url: false,
                    gap_start: 0,
                };
                assert_eq!(w.is_latin(), by_chars(&text), "{text:?}");
            }
        }
    }

    fn starts(text: &str, md: bool) -> Vec<&str> {
        words(text, md)
            .into_iter()
            .filter(|w| w.sentence_start)
            .map(|w| w.text)
            .collect()
    }

    #[test]
    fn sentence_starts_on_punctuation() {
        assert_eq!(
            starts("Привет. Вы здесь! А мы? Да… Нет", false),
            ["Привет", "Вы", "А", "Да", "Нет"]
        );
        assert_eq!(starts("г. Алматы, ул. Абая, д. 1, т. е. Вы", false), ["г"]);
        assert_eq!(
            starts("Докладчик И. И. Иванов расскажет", false),
            ["Докладчик"]
        );
        assert_eq!(starts("Рост 2.5 раза, в 10:00 Вас ждут", false), ["Рост"]);
        assert_eq!(starts("Сайт example.kz. Вам", false), ["Сайт", "Вам"]);
        assert_eq!(starts("См. https://a.kz/x.y Вам", false), ["См"]);
        assert_eq!(
            starts("Он сказал: «Вы правы.» Вам", false),
            ["Он", "Вы", "Вам"]
        );
        assert_eq!(starts("и т. д. Вы", false), ["и", "Вы"]);
    }

    #[test]
    fn sentence_starts_on_markdown_blocks() {
        let md = "# Ваш план\n\nТекст про вас\n\n- Ваши сделки\n- ваши задачи\n\n| Вы | Мы |\n|---|---|\n| Вам | нам |\n";
        assert_eq!(
            starts(md, true),
            ["Ваш", "Текст", "Ваши", "ваши", "Вы", "Мы", "Вам", "нам"]
        );
        // A soft line break inside a paragraph continues the sentence.
        assert_eq!(starts("Мы покажем\nВам всё", true), ["Мы"]);
    }

    #[test]
    fn urls_are_found() {
        let t = "Пишите на a@b.kz или [сайт](https://x.kz/p.html), forms.gle/abc.";
        let r: Vec<&str> = url_ranges(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(r, ["a@b.kz", "https://x.kz/p.html", "forms.gle/abc"]);
        // Case does not matter; a chunk whose letters change length in lower case is lowered
        // before it is searched, and a link inside it counts only at its start.
        let t = "См. WWW.Example.KZ, HTTPS://A.kz. Äpfel.de İwww.x.kz Пишите";
        let r: Vec<&str> = url_ranges(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(r, ["WWW.Example.KZ", "HTTPS://A.kz"]);
    }
}
