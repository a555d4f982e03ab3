//! When the webinar happens: the first item's start to the last item's end, on the event's
//! date, in its IANA zone; and how that is written for people («17 декабря 2026, 10:00–11:45
//! по времени Алматы (UTC+5)»).

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::model::{text, Language};
use super::{parse_hhmm, Event};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub tz: Tz,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
}

impl When {
    pub fn of(event: &Event) -> Option<When> {
        let date = event.date()?;
        let tz = event.timezone()?;
        let times: Vec<_> = event
            .program()
            .filter_map(|i| Some((parse_hhmm(text(&i.start)?)?, parse_hhmm(text(&i.end)?)?)))
            .collect();
        let start = times.iter().map(|t| t.0).min()?;
        let end = times.iter().map(|t| t.1).max()?;
        let local = |t| {
            tz.from_local_datetime(&NaiveDateTime::new(date, t))
                .earliest()
        };
        Some(When {
            tz,
            start: local(start)?,
            end: local(end)?,
        })
    }

    pub fn start_utc(&self) -> DateTime<Utc> {
        self.start.with_timezone(&Utc)
    }

    pub fn end_utc(&self) -> DateTime<Utc> {
        self.end.with_timezone(&Utc)
    }

    /// "UTC+5", from the zone's offset on the day (Kazakhstan moved to UTC+5 on 2024-03-01).
    pub fn utc_offset(&self) -> String {
        utc_offset_label(self.start.offset().fix().local_minus_utc())
    }

    /// «17 декабря 2026, 10:00–11:45 по времени Алматы (UTC+5)».
    pub fn human(&self, lang: Language) -> String {
        let date = human_date(self.start.date_naive(), lang);
        let times = format!(
            "{}–{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        );
        let offset = self.utc_offset();
        match lang {
            Language::Ru => match city_ru(self.tz) {
                Some(city) => format!("{date}, {times} по времени {city} ({offset})"),
                None => format!("{date}, {times} ({}, {offset})", self.tz.name()),
            },
            Language::Kk => match city_kk(self.tz) {
                Some(city) => format!("{date}, {times}, {city} уақыты бойынша ({offset})"),
                None => format!("{date}, {times} ({}, {offset})", self.tz.name()),
            },
        }
    }
}

pub fn utc_offset_label(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    let (h, m) = (s / 3600, (s % 3600) / 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];

/// «17 декабря 2026» / «2026 жылғы 17 желтоқсан».
pub fn human_date(d: chrono::NaiveDate, lang: Language) -> String {
    use chrono::Datelike;
    let m = d.month0() as usize;
    match lang {
        Language::Ru => format!("{} {} {}", d.day(), MONTHS_RU[m], d.year()),
        Language::Kk => format!("{} жылғы {} {}", d.year(), d.day(), MONTHS_KK[m]),
    }
}

/// The city a zone is named after, in the genitive («по времени Алматы»).
fn city_ru(tz: Tz) -> Option<&'static str> {
    Some(match tz.name() {
        "Asia/Almaty" => "Алматы",
        "Asia/Qostanay" => "Костаная",
        "Asia/Aqtobe" => "Актобе",
        "Asia/Aqtau" => "Актау",
        "Asia/Atyrau" => "Атырау",
        "Asia/Oral" => "Уральска",
        "Asia/Qyzylorda" => "Кызылорды",
        "Europe/Moscow" => "Москвы",
        "Asia/Tashkent" => "Ташкента",
        "Asia/Bishkek" => "Бишкека",
        "Asia/Novosibirsk" => "Новосибирска",
        "Asia/Yekaterinburg" => "Екатеринбурга",
        "Asia/Omsk" => "Омска",
        _ => return None,
    })
}

fn city_kk(tz: Tz) -> Option<&'static str> {
    Some(match tz.name() {
        "Asia/Almaty" => "Алматы",
        "Asia/Qostanay" => "Қостанай",
        "Asia/Aqtobe" => "Ақтөбе",
        "Asia/Aqtau" => "Ақтау",
        "Asia/Atyrau" => "Атырау",
        "Asia/Oral" => "Орал",
        "Asia/Qyzylorda" => "Қызылорда",
        "Europe/Moscow" => "Мәскеу",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn kazakhstan_is_utc5_after_march_2024() {
        let tz: Tz = "Asia/Almaty".parse().unwrap();
        let before = tz
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(2024, 2, 15)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
            )
            .unwrap();
        let after = tz
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(2024, 3, 15)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(
            utc_offset_label(before.offset().fix().local_minus_utc()),
            "UTC+6"
        );
        assert_eq!(
            utc_offset_label(after.offset().fix().local_minus_utc()),
            "UTC+5"
        );
    }

    #[test]
    fn human_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 17).unwrap();
        assert_eq!(human_date(d, Language::Ru), "17 декабря 2026");
        assert_eq!(human_date(d, Language::Kk), "2026 жылғы 17 желтоқсан");
    }
}
