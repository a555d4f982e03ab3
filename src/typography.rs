//! Small rules of Russian and Kazakh typography that the page and the mails both follow.

/// A phrase continuing a line after a comma or a colon: its first letter in lower case
/// («Координатор мероприятия» → «координатор мероприятия»), unless the first word is an
/// abbreviation or a name written in capitals («CRM», «IT-директор»).
pub fn lower_first(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    let (Some(first), Some(second)) = (chars.next(), chars.next()) else {
        return s.to_string();
    };
    if first.is_uppercase() && second.is_lowercase() {
        first
            .to_lowercase()
            .chain(s[first.len_utf8()..].chars())
            .collect()
    } else {
        s.to_string()
    }
}
