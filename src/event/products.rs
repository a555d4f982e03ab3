//! The 1C-Bitrix products a webinar may be devoted to (Программа 1), and how their names are
//! recognised in text.

/// Canonical product names; `names` are the lower-case spellings that count as a mention.
pub struct Product {
    pub name: &'static str,
    pub names: &'static [&'static str],
}

pub const PRODUCTS: &[Product] = &[
    Product {
        name: "Битрикс24",
        names: &[
            "битрикс24",
            "битрикс 24",
            "bitrix24",
            "bitrix 24",
            "1с-битрикс24",
            "б24",
        ],
    },
    Product {
        name: "1С-Битрикс: Управление сайтом",
        names: &[
            "управление сайтом",
            "1с-битрикс: управление сайтом",
            "bitrix site manager",
            "bitrix framework",
            "1c-bitrix: site management",
        ],
    },
    Product {
        name: "Битрикс24.Сайты",
        names: &[
            "битрикс24.сайты",
            "сайты24",
            "bitrix24.sites",
            "сайты битрикс24",
        ],
    },
    Product {
        name: "1С-Битрикс: Корпоративный портал",
        names: &[
            "корпоративный портал 1с-битрикс",
            "1с-битрикс: корпоративный портал",
            "битрикс24 в коробке",
            "коробочная версия битрикс24",
            "битрикс24.коробка",
        ],
    },
    Product {
        name: "1С-Битрикс: Интернет-магазин + CRM",
        names: &["интернет-магазин + crm", "1с-битрикс: интернет-магазин"],
    },
    Product {
        name: "Битрикс24.Маркет",
        names: &["битрикс24.маркет", "bitrix24.market"],
    },
];

/// A product with its name and other spellings as [`normalize`] leaves them.
struct Normalized {
    product: &'static Product,
    name: String,
    names: Vec<String>,
}

/// Every product, normalized once: a check asks for them for every title and thesis, and
/// normalizing the ~30 spellings each time was most of the work.
fn normalized() -> &'static [Normalized] {
    static NORMALIZED: std::sync::OnceLock<Vec<Normalized>> = std::sync::OnceLock::new();
    NORMALIZED.get_or_init(|| {
        PRODUCTS
            .iter()
            .map(|p| Normalized {
                product: p,
                name: normalize(p.name),
                names: p.names.iter().map(|n| normalize(n)).collect(),
            })
            .collect()
    })
}

/// The product a `product = "..."` value names, if it is a 1C-Bitrix product.
pub fn find(value: &str) -> Option<&'static Product> {
    let v = normalize(value);
    let products = normalized();
    products
        .iter()
        .find(|n| n.name == v || n.names.contains(&v))
        .or_else(|| {
            // "Битрикс24: CRM", "Битрикс24 CRM" name Bitrix24 with a part of it.
            products
                .iter()
                .find(|n| n.names.iter().any(|name| v.starts_with(name.as_str())))
        })
        .map(|n| n.product)
}

/// Whether a text mentions any 1C-Bitrix product (for `program.product-named`).
pub fn mentions_any(text: &str) -> Option<&'static str> {
    let t = normalize(text);
    normalized()
        .iter()
        .find(|n| {
            t.contains(n.name.as_str()) || n.names.iter().any(|name| t.contains(name.as_str()))
        })
        .map(|n| n.product.name)
}

/// Lower case, Latin C and c inside Cyrillic words read as Cyrillic «С», quotes dropped,
/// runs of white space (non-breaking ones too) as one space, none at either end. One pass:
/// every title and thesis goes through it.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, '«' | '»' | '"' | '“' | '”' | '„') {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut space) {
            out.push(' ');
        }
        out.push(match c {
            'C' | 'c' | 'С' => 'с',
            _ if c.is_ascii() => c.to_ascii_lowercase(),
            'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            c => c.to_lowercase().next().unwrap_or(c),
        });
    }
    out
}

/// Whether a name or a file names a 1C-Bitrix / Bitrix24 mark (a partner's name, a logo file).
pub fn is_bitrix_mark(s: &str) -> bool {
    let l = normalize(s);
    l.contains("битрикс") || l.contains("bitrix") || l.contains("b24")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_latin_c_quotes_and_spaces() {
        assert_eq!(
            normalize("  «1C-Битрикс:\u{a0}Управление   САЙТОМ» \t"),
            "1с-битрикс: управление сайтом"
        );
        assert_eq!(normalize("ЁЛКА Ärger"), "ёлка ärger");
        assert_eq!(normalize(" \u{a0} "), "");
    }

    #[test]
    fn products_are_found_by_any_spelling_and_by_a_prefix() {
        assert_eq!(find("Битрикс 24").map(|p| p.name), Some("Битрикс24"));
        assert_eq!(find("Битрикс24: CRM").map(|p| p.name), Some("Битрикс24"));
        assert_eq!(
            find("1C-Bitrix: Site Management").map(|p| p.name),
            PRODUCTS.get(1).map(|p| p.name)
        );
        assert!(find("Мой сайт").is_none());
        assert_eq!(mentions_any("Обзор «Битрикс24.Сайты»"), Some("Битрикс24"));
        assert_eq!(
            mentions_any("Коробочная версия Битрикс24"),
            Some("Битрикс24")
        );
        assert_eq!(mentions_any("Сайты24 для всех"), Some("Битрикс24.Сайты"));
        assert_eq!(mentions_any("ничего"), None);
    }
}
