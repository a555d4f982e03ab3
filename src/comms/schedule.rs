//! When each reminder and the follow-up go out («Работа с зарегистрированными до вебинара»,
//! «Работа с лидами после мероприятия»): weekly back from the event date, the final one the day
//! before, one on the day, one 15 minutes before (an SMS one hour before only in addition), and
//! the follow-up a few working days after. Every time is computed in the event's IANA zone and
//! given in UTC and local time, so a zone's history (Kazakhstan moved to UTC+5 on 2024-03-01)
//! is taken into account for each send on its own day.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::Serialize;

use crate::webinar::Webinar;
use crate::webinar::When;
pub use crate::webinar::{MAIL_NAMES, REMINDERS};

/// Weekly reminders reach back at least this many weeks before the event (a typical
/// announcement campaign), and further when the build day is earlier still.
pub const CAMPAIGN_WEEKS: i64 = 4;

/// Working days after the webinar when the follow-up goes out, unless
/// `[mailings] followup_after_days` says otherwise (the rules allow up to 3).
pub const DEFAULT_FOLLOWUP_DAYS: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Weekly,
    DayBefore,
    DayOf,
    #[serde(rename = "sms-1h")]
    Sms1h,
    #[serde(rename = "15-min")]
    Min15,
    Followup,
}

impl Kind {
    /// The mail (file and override name) this send uses.
    pub fn mail(self) -> &'static str {
        match self {
            Kind::Weekly => "weekly",
            Kind::DayBefore => "day-before",
            Kind::DayOf => "day-of",
            Kind::Sms1h => "sms",
            Kind::Min15 => "15-min",
            Kind::Followup => "followup",
        }
    }

    pub fn channel(self) -> Channel {
        match self {
            Kind::Sms1h => Channel::Sms,
            _ => Channel::Email,
        }
    }
}

/// One planned send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Send {
    /// Unique within the schedule: `weekly-1` (one week before), `day-before`, `followup` …
    pub id: String,
    pub kind: Kind,
    pub channel: Channel,
    /// The mail file it sends (`mailings/<mail>.html`) or `sms` for `sms.txt`.
    pub mail: &'static str,
    #[serde(serialize_with = "ser_utc")]
    pub utc: DateTime<Utc>,
    #[serde(serialize_with = "ser_local")]
    pub local: DateTime<Tz>,
    /// "UTC+5" on that day.
    pub utc_offset: String,
    /// When a send stops making sense (the next reminder took over, the webinar began): a late
    /// agent tick does not send a stale reminder after it.
    #[serde(serialize_with = "ser_utc")]
    pub until: DateTime<Utc>,
    /// Not sent: its time is already past at build time (`past`); or, listed under
    /// [`Schedule::withheld`], a reminder that must carry the join link and the event has none
    /// (`no-join-url`), or the follow-up without recording and slides (`no-materials`).
    pub skipped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    pub event: String,
    pub timezone: String,
    #[serde(serialize_with = "ser_date")]
    pub today: NaiveDate,
    #[serde(serialize_with = "ser_utc")]
    pub start_utc: DateTime<Utc>,
    #[serde(serialize_with = "ser_local")]
    pub start_local: DateTime<Tz>,
    pub sends: Vec<Send>,
    /// Sends that are not installed or sent at all: the day-of and 15-minute reminders when
    /// the event gives no `join_url` (they exist to carry it; `mail.join-link`), the follow-up
    /// when it has neither `recording_url` nor `slides_url` (`mail.followup`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<Send>,
}

fn ser_utc<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn ser_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.format("%Y-%m-%d").to_string())
}

fn ser_local<S: serde::Serializer>(t: &DateTime<Tz>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

impl Schedule {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub fn sends_of(&self, kind: Kind) -> impl Iterator<Item = &Send> {
        self.sends.iter().filter(move |s| s.kind == kind)
    }
}

pub fn followup_days(event: &Webinar) -> i64 {
    event
        .mailings
        .followup_after_days
        .unwrap_or(DEFAULT_FOLLOWUP_DAYS)
        // Capped: the days are walked one by one (10^8 took minutes, i64::MAX overflowed).
        .clamp(1, 30)
}

/// A local wall-clock time in `tz`; a time that a clock change skips moves an hour on.
pub fn at_local(tz: Tz, t: NaiveDateTime) -> DateTime<Tz> {
    tz.from_local_datetime(&t)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(t + Duration::hours(1))).earliest())
        .unwrap_or_else(|| tz.from_utc_datetime(&t))
}

/// The plan for `event` as seen on `today`.
pub fn plan(event: &Webinar, today: NaiveDate) -> Schedule {
    plan_at(event, &event.when, today)
}

fn plan_at(event: &Webinar, when: &When, today: NaiveDate) -> Schedule {
    let tz = when.tz;
    let date = when.start.date_naive();
    let start_time = when.start.time();
    let wanted = &event.mailings.reminders;
    let wants = |name: &str| wanted.iter().any(|w| w == name);

    // (kind, id, local time)
    let mut planned: Vec<(Kind, String, DateTime<Tz>)> = Vec::new();
    if wants("weekly") {
        let earliest = (date - Duration::weeks(CAMPAIGN_WEEKS)).min(today);
        let mut k = 1;
        loop {
            let day = date - Duration::weeks(k);
            if day < earliest {
                break;
            }
            planned.push((
                Kind::Weekly,
                format!("weekly-{k}"),
                at_local(tz, previous_working_day(day).and_time(start_time)),
            ));
            k += 1;
        }
    }
    if wants("day-before") {
        let day = previous_working_day(date - Duration::days(1));
        planned.push((
            Kind::DayBefore,
            "day-before".into(),
            at_local(tz, day.and_time(start_time)),
        ));
    }
    if wants("day-of") {
        planned.push((Kind::DayOf, "day-of".into(), day_of_time(tz, when)));
    }
    if event.mailings.sms {
        planned.push((
            Kind::Sms1h,
            "sms-1h".into(),
            when.start - Duration::hours(1),
        ));
    }
    if wants("15-min") {
        planned.push((
            Kind::Min15,
            "15-min".into(),
            when.start - Duration::minutes(15),
        ));
    }
    let follow_day = add_working_days(date, followup_days(event));
    planned.push((
        Kind::Followup,
        "followup".into(),
        at_local(tz, follow_day.and_time(start_time)),
    ));
    planned.sort_by_key(|p| p.2);

    // A reminder is stale once the next e-mail reminder (or the webinar) has begun; the
    // follow-up stays worth sending for two weeks.
    let email_times: Vec<DateTime<Utc>> = planned
        .iter()
        .filter(|p| p.0.channel() == Channel::Email && p.0 != Kind::Followup)
        .map(|p| p.2.with_timezone(&Utc))
        .collect();
    let start_utc = when.start_utc();
    let now = build_moment(tz, today);
    let has_join = event.join_url.is_some();
    let has_materials = has_materials(event);
    let (sends, withheld): (Vec<Send>, Vec<Send>) = planned
        .into_iter()
        .map(|(kind, id, local)| {
            let utc = local.with_timezone(&Utc);
            let until = match kind {
                Kind::Followup => utc + Duration::days(14),
                Kind::Sms1h | Kind::Min15 => start_utc,
                _ => email_times
                    .iter()
                    .copied()
                    .find(|t| *t > utc)
                    .unwrap_or(start_utc)
                    .min(start_utc),
            };
            let past = utc < now;
            let no_link = !has_join && needs_join_url(kind);
            let no_materials = kind == Kind::Followup && !has_materials;
            Send {
                id,
                kind,
                channel: kind.channel(),
                mail: kind.mail(),
                utc,
                utc_offset: crate::webinar::utc_offset_label(offset_seconds(&local)),
                local,
                until,
                skipped: past || no_link || no_materials,
                skip_reason: if no_link {
                    Some("no-join-url")
                } else if no_materials {
                    Some("no-materials")
                } else {
                    past.then_some("past")
                },
            }
        })
        .partition(|s| !matches!(s.skip_reason, Some("no-join-url" | "no-materials")));
    Schedule {
        event: event.slug.clone(),
        timezone: tz.name().to_string(),
        today,
        start_utc,
        start_local: when.start,
        sends,
        withheld,
    }
}

/// The reminders whose whole point is the join link: without one they are not sent.
pub fn needs_join_url(kind: Kind) -> bool {
    matches!(kind, Kind::DayOf | Kind::Min15)
}

/// The moment before which a send counts as past: the build moment when `today` is the real
/// current day in the event's zone, else the start of `today` (a `--today` in the past or
/// the future gives the same plan on every run).
fn build_moment(tz: Tz, today: NaiveDate) -> DateTime<Utc> {
    let now = Utc::now();
    if now.with_timezone(&tz).date_naive() == today {
        now
    } else {
        at_local(tz, today.and_time(NaiveTime::MIN)).with_timezone(&Utc)
    }
}

/// `d` if it is a working day, else the working day before it: a reminder due on a public
/// holiday (or a weekend, or New Year's Eve) goes out the working day before.
pub fn previous_working_day(d: NaiveDate) -> NaiveDate {
    let mut day = d;
    while !is_working_day(day) || (day.month(), day.day()) == (12, 31) {
        day -= Duration::days(1);
    }
    day
}

fn offset_seconds(t: &DateTime<Tz>) -> i32 {
    use chrono::Offset;
    t.offset().fix().local_minus_utc()
}

/// The mail on the day goes out in the morning: at 08:00, or an hour before an earlier start.
fn day_of_time(tz: Tz, when: &When) -> DateTime<Tz> {
    let date = when.start.date_naive();
    let morning = at_local(tz, date.and_hms_opt(8, 0, 0).unwrap_or_default());
    let midnight = at_local(tz, date.and_time(NaiveTime::MIN));
    morning.min(when.start - Duration::hours(1)).max(midnight)
}

/// Kazakhstan's public holidays with a fixed date (Labour Code art. 84 and the law «О
/// праздниках»). Kurban Ait moves with the lunar calendar and is not listed.
const FIXED_HOLIDAYS: &[(u32, u32)] = &[
    (1, 1),
    (1, 2),
    (1, 7),
    (3, 8),
    (3, 21),
    (3, 22),
    (3, 23),
    (5, 1),
    (5, 7),
    (5, 9),
    (7, 6),
    (8, 30),
    (10, 25),
    (12, 16),
];

fn is_fixed_holiday(d: NaiveDate) -> bool {
    FIXED_HOLIDAYS.contains(&(d.month(), d.day()))
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whether `d` is a working day in Kazakhstan: not a weekend, not a fixed public holiday, and
/// not a day off moved from a holiday that fell on a weekend (each such holiday moves to the
/// next working day; Christmas, 7 January, is not moved).
pub fn is_working_day(d: NaiveDate) -> bool {
    // Walk from two weeks before, carrying the days off still owed.
    let mut owed = 0;
    let mut day = d - Duration::days(14);
    loop {
        let working = if is_weekend(day) || is_fixed_holiday(day) {
            if is_weekend(day) && is_fixed_holiday(day) && (day.month(), day.day()) != (1, 7) {
                owed += 1;
            }
            false
        } else if owed > 0 {
            owed -= 1;
            false
        } else {
            true
        };
        if day == d {
            return working;
        }
        day += Duration::days(1);
    }
}

/// The `n`-th working day after `date`.
pub fn add_working_days(date: NaiveDate, n: i64) -> NaiveDate {
    let mut d = date;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// Whether `[mailings]` gives the recording or the slides, which the follow-up exists to send.
pub fn has_materials(event: &Webinar) -> bool {
    event.mailings.recording_url.is_some() || event.mailings.slides_url.is_some()
}
