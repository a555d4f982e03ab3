//! `bxland rules`: the rulebook table, printed from the rules themselves.

use crate::i18n::Lang;

pub fn run(lang: Lang) -> i32 {
    let header = match lang {
        Lang::Ru => ("правило", "уровень", "что проверяется", "раздел правил"),
        Lang::En => ("rule", "severity", "what is checked", "rules section"),
    };
    println!(
        "| {} | {} | {} | {} |",
        header.0, header.1, header.2, header.3
    );
    println!("|---|---|---|---|");
    for rule in crate::rules::all() {
        println!(
            "| `{}` | {} | {} | {} |",
            rule.id,
            rule.severity.as_str(),
            rule.what.get(lang),
            rule.section
        );
    }
    0
}
