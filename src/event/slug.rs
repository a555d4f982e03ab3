//! The default slug: the title transliterated to Latin, then the year and month. A slug is
//! also the Bitrix template id and a folder name, so only `a-z 0-9 -` survive.

use chrono::{Datelike, NaiveDate};

const MAX_TITLE_PART: usize = 40;

pub fn default_slug(title: &str, date: Option<NaiveDate>) -> String {
    let mut out = String::new();
    for ch in title.chars().flat_map(char::to_lowercase) {
        match translit(ch) {
            Some(latin) => out.push_str(latin),
            None if ch.is_ascii_alphanumeric() => out.push(ch),
            None => out.push('-'),
        }
    }
    let mut slug = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !slug.is_empty() && slug.len() + part.len() + 1 > MAX_TITLE_PART {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&part[..part.len().min(MAX_TITLE_PART)]);
    }
    if slug.is_empty() {
        slug.push_str("webinar");
    }
    if let Some(d) = date {
        slug.push_str(&format!("-{}-{:02}", d.year(), d.month()));
    }
    slug
}

/// Whether a slug is usable as a folder name and a Bitrix template id.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 60
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !slug.starts_with('-')
}

fn translit(ch: char) -> Option<&'static str> {
    Some(match ch {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ұ' | 'ү' => "u",
        'ф' => "f",
        'х' | 'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "sch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ә' => "a",
        'ғ' => "g",
        'қ' => "q",
        'ң' => "n",
        'ө' => "o",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_and_appends_month() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 15);
        assert_eq!(
            default_slug("Битрикс24 для отдела продаж: от заявки до сделки", d),
            "bitriks24-dlya-otdela-prodazh-ot-zayavki-2026-12"
        );
        assert!(is_valid(&default_slug("«Қазақ» тілі!", d)));
    }
}
