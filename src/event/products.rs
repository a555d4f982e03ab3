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

/// Every product with its name and spellings as [`normalize`] leaves them, made once: a
/// check asks for them for every title and thesis, and normalizing the ~30 spellings each
/// time was most of the work.
fn normalized() -> &'static [(&'static Product, Vec<String>)] {
    static NORMALIZED: std::sync::OnceLock<Vec<(&'static Product, Vec<String>)>> =
        std::sync::OnceLock::new();
    NORMALIZED.get_or_init(|| {
        PRODUCTS
            .iter()
            .map(|p| {
                let spellings = std::iter::once(p.name).chain(p.names.iter().copied());
                (p, spellings.map(normalize).collect())
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
        .find(|(_, spellings)| spellings.contains(&v))
        .or_else(|| {
            // "Битрикс24: CRM", "Битрикс24 CRM" name Bitrix24 with a part of it.
            products
                .iter()
                .find(|(_, spellings)| spellings[1..].iter().any(|n| v.starts_with(n.as_str())))
        })
        .map(|(p, _)| *p)
}

/// Whether a text mentions any 1C-Bitrix product (for `program.product-named`).
pub fn mentions_any(text: &str) -> Option<&'static str> {
    let t = normalize(text);
    normalized()
        .iter()
        .find(|(_, spellings)| spellings.iter().any(|n| t.contains(n.as_str())))
        .map(|(p, _)| p.name)
}

/// Lower case, Latin C and c inside Cyrillic words read as Cyrillic «С», quotes dropped.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '«' | '»' | '"' | '“' | '”' | '„'))
        .map(|c| match c {
            'C' | 'c' | 'С' => 'с',
            '\u{a0}' => ' ',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
