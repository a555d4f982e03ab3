//! `bxland rules`: the rulebook table, printed from the rules themselves.

use std::io::Write;

use crate::i18n::Lang;

pub fn run(lang: Lang) -> i32 {
    let header = match lang {
        Lang::Ru => ("правило", "уровень", "что проверяется", "раздел правил"),
        Lang::En => ("rule", "severity", "what is checked", "rules section"),
    };
    let mut out = std::io::stdout().lock();
    let mut lines = vec![
        format!(
            "| {} | {} | {} | {} |",
            header.0, header.1, header.2, header.3
        ),
        "|---|---|---|---|".to_string(),
    ];
    lines.extend(crate::rules::all().iter().map(|rule| {
        format!(
            "| `{}` | {} | {} | {} |",
            rule.id,
            rule.severity.as_str(),
            rule.what.get(lang),
            rule.section
        )
    }));
    for line in lines {
        // A closed pipe (`bxland rules | head`) ends the listing quietly.
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    0
}
