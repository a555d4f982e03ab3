//! The consent to personal-data processing, as it stands on the page and goes into the Bitrix
//! agreement / CRM form: generated from the structured `[consent]` table in the event's
//! language (see `shared/research/personal-data-consent.md` for the order and the content), or
//! the partner's own `text` as written.

use crate::webinar::{Consent, Language, Webinar};

use super::esc;

/// The consent text in two forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentText {
    /// «Согласие на обработку персональных данных» / «Дербес деректерді өңдеуге келісім».
    pub title: String,
    /// Escaped HTML: one `<p>` per clause (or the partner's text rendered as safe Markdown).
    pub html: String,
    /// Plain text, clauses separated by blank lines (the partner's text as written).
    pub plain: String,
    /// Whether the text is the partner's own `[consent] text`.
    pub own: bool,
}

fn list(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn end_sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// What the program asks partners to do with the leads (Работа с лидами): the purpose must
/// cover it, so it is added when the partner's purposes do not.
pub const LEADS_PURPOSE_RU: &str = "внесение данных в CRM Оператора и направление после вебинара материалов и предложений Оператора по теме вебинара";
pub const LEADS_PURPOSE_KK: &str = "деректерді Оператордың CRM жүйесіне енгізу және вебинардан кейін Оператордың вебинар тақырыбы бойынша материалдары мен ұсыныстарын жіберу";

/// Whether the purposes already cover entering the data into the CRM and the follow-up offer.
pub fn covers_leads(purposes: &[&str]) -> bool {
    let all = purposes.join(" ").to_lowercase();
    ["crm", "срм", "црм"].iter().any(|w| all.contains(w))
        && ["предложен", "ұсыныс"].iter().any(|w| all.contains(w))
}

/// The recipients of `[consent] third_parties`: the 1C-Bitrix entities (their names, the
/// note after a dash dropped: the clause states their right once), the others as written,
/// and those outside Kazakhstan (cross-border transfer).
struct Parties<'a> {
    bitrix: Vec<&'a str>,
    others: Vec<&'a str>,
    abroad: Vec<&'a str>,
}

impl<'a> Parties<'a> {
    fn of(c: &'a Consent, default_bitrix: &'a str) -> Self {
        let mut p = Parties {
            bitrix: vec![],
            others: vec![],
            abroad: vec![],
        };
        for entry in list(&c.third_parties) {
            let name = entry
                .split_once(" — ")
                .or_else(|| entry.split_once(" - "))
                .map_or(entry, |(n, _)| n)
                .trim();
            let l = name.to_lowercase();
            if l.contains("битрикс") || l.contains("bitrix") {
                p.bitrix.push(name);
            } else {
                p.others.push(entry);
            }
            if abroad(entry) {
                p.abroad.push(name);
            }
        }
        if p.bitrix.is_empty() {
            p.bitrix.push(default_bitrix);
        }
        p
    }
}

/// A recipient outside Kazakhstan: a Russian legal form or a foreign country named.
fn abroad(entry: &str) -> bool {
    let l = entry.to_lowercase();
    l.starts_with("ооо ")
        || l.contains(" ооо ")
        || l.contains("ооо «")
        || l.contains("российск")
        || l.contains("россия")
        || l.contains("ресей")
        || l.contains("russia")
}

fn join_and(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

/// The consent of `event` in its language.
pub fn consent_text(w: &Webinar) -> ConsentText {
    let lang = w.language;
    let title = match lang {
        Language::Ru => "Согласие на обработку персональных данных",
        Language::Kk => "Дербес деректерді өңдеуге келісім",
    }
    .to_string();
    let c = &w.consent;
    if let Some(own) = c.text.as_deref() {
        return ConsentText {
            title,
            html: super::markdown::to_html(own),
            plain: own.to_string(),
            own: true,
        };
    }
    let clauses = match lang {
        Language::Ru => clauses_ru(w, c),
        Language::Kk => clauses_kk(w, c),
    };
    let html = clauses
        .iter()
        .map(|p| format!("<p>{}</p>", esc(p)))
        .collect::<Vec<_>>()
        .join("\n");
    ConsentText {
        title,
        html,
        plain: clauses.join("\n\n"),
        own: false,
    }
}

fn clauses_ru(w: &Webinar, c: &Consent) -> Vec<String> {
    let mut out = Vec::new();
    let operator = c.operator.as_deref().unwrap_or("организатор вебинара");
    let title = &w.title;
    out.push(format!(
        "Заполняя форму регистрации на вебинар «{title}» и отмечая согласие, я свободно, своей волей и в своём интересе даю согласие оператору — {operator} (далее — Оператор) на обработку моих персональных данных на следующих условиях."
    ));
    let mut n = 0;
    let mut clause = |body: String| {
        n += 1;
        format!("{n}. {}", end_sentence(&body))
    };
    let mut purposes = list(&c.purposes);
    if !purposes.is_empty() {
        if !covers_leads(&purposes) {
            purposes.push(LEADS_PURPOSE_RU);
        }
        out.push(clause(format!("Цель обработки: {}", purposes.join("; "))));
    }
    let data = list(&c.data);
    if !data.is_empty() {
        out.push(clause(format!(
            "Перечень персональных данных, на обработку которых даётся согласие: {}",
            data.join(", ")
        )));
    }
    let actions = list(&c.actions);
    if !actions.is_empty() {
        out.push(clause(format!(
            "Перечень действий с персональными данными: {}; обработка ведётся с использованием средств автоматизации и без них",
            actions.join(", ")
        )));
    }
    let parties = Parties::of(c, "ТОО «1С-Битрикс Казахстан»");
    let (whom, which) = if parties.bitrix.len() == 1 {
        ("компании", "которая")
    } else {
        ("компаниям", "которые")
    };
    let mut transfer = format!(
        "Передача третьим лицам: Оператор передаёт персональные данные {whom} {}, {which} также вправе обрабатывать их в тех же целях",
        join_and(&parties.bitrix, " и ")
    );
    if !parties.others.is_empty() {
        transfer = end_sentence(&transfer);
        transfer.push_str(&format!(
            " Кроме того, Оператор вправе передавать их: {}",
            parties.others.join("; ")
        ));
    }
    out.push(clause(transfer));
    if let Some(cb) = c.cross_border.as_deref() {
        out.push(clause(format!("Трансграничная передача: {cb}")));
    } else if !parties.abroad.is_empty() {
        out.push(clause(format!(
            "Трансграничная передача: персональные данные передаются за пределы Республики Казахстан получателю {} с соблюдением Закона Республики Казахстан «О персональных данных и их защите»",
            join_and(&parties.abroad, " и ")
        )));
    }
    if let Some(place) = c.storage_location.as_deref() {
        out.push(clause(format!("Персональные данные хранятся {place}")));
    }
    let mut terms = Vec::new();
    if let Some(term) = c.term.as_deref() {
        terms.push(end_sentence(&format!(
            "Срок обработки персональных данных (срок действия согласия): {term}"
        )));
    }
    if let Some(storage) = c.storage.as_deref() {
        terms.push(end_sentence(&format!(
            "Срок хранения персональных данных: {storage}"
        )));
    }
    if !terms.is_empty() {
        out.push(clause(terms.join(" ")));
    }
    let withdrawal = c
        .withdrawal
        .as_deref()
        .map(|w| format!("Я могу отозвать согласие в любой момент: {w}"))
        .unwrap_or_else(|| "Я могу отозвать согласие в любой момент, написав Оператору".into());
    out.push(clause(withdrawal));
    out.push(clause(
        "По моему запросу об удалении персональных данных Оператор удаляет их у себя и сообщает о запросе «1С-Битрикс», чтобы данные были удалены и там".into(),
    ));
    out
}

fn clauses_kk(w: &Webinar, c: &Consent) -> Vec<String> {
    let mut out = Vec::new();
    let operator = c.operator.as_deref().unwrap_or("вебинар ұйымдастырушысы");
    let title = &w.title;
    out.push(format!(
        "«{title}» вебинарына тіркелу нысанын толтырып, келісім белгісін қоя отырып, мен операторға — {operator} (бұдан әрі — Оператор) дербес деректерімді төмендегі шарттарда өңдеуге өз еркіммен және өз мүддемде келісім беремін."
    ));
    let mut n = 0;
    let mut clause = |body: String| {
        n += 1;
        format!("{n}. {}", end_sentence(&body))
    };
    let mut purposes = list(&c.purposes);
    if !purposes.is_empty() {
        if !covers_leads(&purposes) {
            purposes.push(LEADS_PURPOSE_KK);
        }
        out.push(clause(format!("Өңдеу мақсаты: {}", purposes.join("; "))));
    }
    let data = list(&c.data);
    if !data.is_empty() {
        out.push(clause(format!(
            "Келісім берілетін дербес деректер тізбесі: {}",
            data.join(", ")
        )));
    }
    let actions = list(&c.actions);
    if !actions.is_empty() {
        out.push(clause(format!(
            "Дербес деректермен жасалатын әрекеттер тізбесі: {}; өңдеу автоматтандыру құралдарын пайдалана отырып және оларсыз жүргізіледі",
            actions.join(", ")
        )));
    }
    let parties = Parties::of(c, "«1С-Битрикс Қазақстан» ЖШС");
    let (whom, they) = if parties.bitrix.len() == 1 {
        ("компаниясына", "ол да")
    } else {
        ("компанияларына", "олар да")
    };
    let mut transfer = format!(
        "Үшінші тұлғаларға беру: Оператор дербес деректерді {} {whom} береді, {they} осы деректерді сол мақсаттарда өңдеуге құқылы",
        join_and(&parties.bitrix, " және ")
    );
    if !parties.others.is_empty() {
        transfer = end_sentence(&transfer);
        transfer.push_str(&format!(
            " Сондай-ақ Оператор деректерді мына тұлғаларға бере алады: {}",
            parties.others.join("; ")
        ));
    }
    out.push(clause(transfer));
    if let Some(cb) = c.cross_border.as_deref() {
        out.push(clause(format!("Трансшекаралық беру: {cb}")));
    } else if !parties.abroad.is_empty() {
        out.push(clause(format!(
            "Трансшекаралық беру: дербес деректер Қазақстан Республикасынан тыс жердегі алушыға ({}) «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының Заңына сәйкес беріледі",
            join_and(&parties.abroad, ", ")
        )));
    }
    if let Some(place) = c.storage_location.as_deref() {
        out.push(clause(format!("Дербес деректерді сақтау орны: {place}")));
    }
    let mut terms = Vec::new();
    if let Some(term) = c.term.as_deref() {
        terms.push(end_sentence(&format!(
            "Дербес деректерді өңдеу мерзімі (келісімнің қолданылу мерзімі): {term}"
        )));
    }
    if let Some(storage) = c.storage.as_deref() {
        terms.push(end_sentence(&format!(
            "Дербес деректерді сақтау мерзімі: {storage}"
        )));
    }
    if !terms.is_empty() {
        out.push(clause(terms.join(" ")));
    }
    let withdrawal = c
        .withdrawal
        .as_deref()
        .map(|w| format!("Мен келісімді кез келген уақытта кері қайтарып ала аламын: {w}"))
        .unwrap_or_else(|| {
            "Мен келісімді кез келген уақытта Операторға жазып, кері қайтарып ала аламын".into()
        });
    out.push(clause(withdrawal));
    out.push(clause(
        "Дербес деректерді жою туралы өтінішім бойынша Оператор оларды өзінде жояды және олар сонда да жойылуы үшін бұл өтініш туралы «1С-Битрикс» компаниясына хабарлайды".into(),
    ));
    out
}
