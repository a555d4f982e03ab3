//! Schedule arithmetic: weekly back from the event date, working days after it, zones, and
//! Kazakhstan's move to UTC+5 on 2024-03-01.

use crate::support::comms_common;

use bxland::comms::schedule::{add_working_days, is_working_day, plan, Kind, Schedule};
use chrono::{Datelike, Weekday};
use comms_common::*;

fn send<'a>(s: &'a Schedule, id: &str) -> &'a bxland::comms::schedule::Send {
    s.sends
        .iter()
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("no send {id} in {:#?}", s.sends))
}

fn utc(s: &bxland::comms::schedule::Send) -> String {
    s.utc.format("%Y-%m-%dT%H:%MZ").to_string()
}

fn local(s: &bxland::comms::schedule::Send) -> String {
    s.local.format("%Y-%m-%dT%H:%M%:z").to_string()
}

#[test]
fn example_event_plan_in_almaty() {
    let ev = load(&example_dir());
    let s = plan(&ev, date(2027, 2, 1));
    // 18 March 2027, 10:00 in Almaty (UTC+5): weekly reminders every Thursday back to the
    // build day, the final one the day before, one at 08:00, SMS an hour before, one 15 min
    // before, the follow-up 2 working days after (Nauryz, 21–23 March, with the Sunday moved
    // to Wednesday 24: Friday 19, then Thursday 25).
    let weekly: Vec<String> = s.sends_of(Kind::Weekly).map(local).collect();
    assert_eq!(
        weekly,
        [
            "2027-02-04T10:00+05:00",
            "2027-02-11T10:00+05:00",
            "2027-02-18T10:00+05:00",
            "2027-02-25T10:00+05:00",
            "2027-03-04T10:00+05:00",
            "2027-03-11T10:00+05:00"
        ]
    );
    assert!(s
        .sends_of(Kind::Weekly)
        .all(|w| w.local.weekday() == Weekday::Thu));
    assert_eq!(utc(send(&s, "weekly-1")), "2027-03-11T05:00Z");
    assert_eq!(utc(send(&s, "day-before")), "2027-03-17T05:00Z");
    assert_eq!(local(send(&s, "day-of")), "2027-03-18T08:00+05:00");
    assert_eq!(utc(send(&s, "sms-1h")), "2027-03-18T04:00Z");
    assert_eq!(utc(send(&s, "15-min")), "2027-03-18T04:45Z");
    assert_eq!(local(send(&s, "followup")), "2027-03-25T10:00+05:00");
    assert!(s.sends.iter().all(|x| !x.skipped));
    // Each reminder stays due until the next one begins.
    assert_eq!(send(&s, "weekly-1").until, send(&s, "day-before").utc);
    assert_eq!(send(&s, "day-of").until, send(&s, "15-min").utc);
    assert_eq!(send(&s, "15-min").until, s.start_utc);
    // Time order.
    assert!(s.sends.windows(2).all(|w| w[0].utc <= w[1].utc));
}

#[test]
fn weekly_reaches_back_four_weeks_even_when_built_late() {
    let ev = load(&example_dir());
    let s = plan(&ev, date(2027, 3, 12));
    let weekly: Vec<(&str, bool)> = s
        .sends_of(Kind::Weekly)
        .map(|w| (w.id.as_str(), w.skipped))
        .collect();
    // Four weeks back from 18 March; all in the past on 12 March: listed as skipped.
    assert_eq!(
        weekly,
        [
            ("weekly-4", true),
            ("weekly-3", true),
            ("weekly-2", true),
            ("weekly-1", true)
        ]
    );
    assert_eq!(send(&s, "weekly-1").skip_reason, Some("past"));
    assert!(!send(&s, "day-before").skipped);
    let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    let first = &json["sends"][0];
    assert_eq!(first["skipped"], true);
    assert_eq!(first["skip_reason"], "past");
    assert_eq!(first["utc"], "2027-02-18T05:00:00Z");
    assert_eq!(first["local"], "2027-02-18T10:00:00+05:00");
    // A send on the build day itself is not in the past.
    let same_day = plan(&ev, date(2027, 3, 11));
    assert!(!send(&same_day, "weekly-1").skipped);
    assert!(send(&same_day, "weekly-2").skipped);
}

fn event_at(date: &str, tz: &str) -> tempfile::TempDir {
    event_dir(|t| {
        let t = replace_once(t, "date = 2027-03-18", &format!("date = {date}"));
        replace_once(
            t,
            "timezone = \"Asia/Almaty\"",
            &format!("timezone = \"{tz}\""),
        )
    })
}

#[test]
fn kazakhstan_moved_to_utc5_on_2024_03_01_almaty_and_astana() {
    // Almaty and Astana share the IANA zone Asia/Almaty (tzdata: «Almaty (KZ-19), Almaty
    // city (KZ-75), Astana city (KZ-71) …»). An event on 5 March 2024 at 10:00: its weekly
    // reminder on 27 February was still at UTC+6, the event day at UTC+5.
    let dir = event_at("2024-03-05", "Asia/Almaty");
    let ev = load(dir.path());
    let s = plan(&ev, date(2024, 2, 1));
    let w1 = send(&s, "weekly-1");
    assert_eq!(local(w1), "2024-02-27T10:00+06:00");
    assert_eq!(utc(w1), "2024-02-27T04:00Z");
    assert_eq!(w1.utc_offset, "UTC+6");
    let db = send(&s, "day-before");
    assert_eq!(local(db), "2024-03-04T10:00+05:00");
    assert_eq!(utc(db), "2024-03-04T05:00Z");
    assert_eq!(db.utc_offset, "UTC+5");
    assert_eq!(utc(send(&s, "15-min")), "2024-03-05T04:45Z");
    // The day before the change itself: 29 February 2024 was still UTC+6.
    let dir = event_at("2024-03-01", "Asia/Almaty");
    let s = plan(&load(dir.path()), date(2024, 2, 1));
    assert_eq!(send(&s, "day-before").utc_offset, "UTC+6");
    assert_eq!(utc(send(&s, "day-before")), "2024-02-29T04:00Z");
    assert_eq!(utc(send(&s, "15-min")), "2024-03-01T04:45Z");
}

#[test]
fn kostanay_moved_too_and_aktau_stayed() {
    let dir = event_at("2024-03-05", "Asia/Qostanay");
    let s = plan(&load(dir.path()), date(2024, 2, 1));
    assert_eq!(send(&s, "weekly-1").utc_offset, "UTC+6");
    assert_eq!(send(&s, "day-before").utc_offset, "UTC+5");
    let dir = event_at("2024-03-05", "Asia/Aqtau");
    let s = plan(&load(dir.path()), date(2024, 2, 1));
    assert_eq!(send(&s, "weekly-1").utc_offset, "UTC+5");
    assert_eq!(utc(send(&s, "weekly-1")), "2024-02-27T05:00Z");
}

#[test]
fn working_days_skip_weekends_and_kazakh_holidays() {
    // Friday → Monday.
    assert_eq!(add_working_days(date(2026, 12, 11), 1), date(2026, 12, 14));
    // Independence Day, Wednesday 16 December 2026.
    assert!(!is_working_day(date(2026, 12, 16)));
    assert_eq!(add_working_days(date(2026, 12, 15), 1), date(2026, 12, 17));
    // New Year: 1 January 2027 is a Friday, 2 January a Saturday moved to Monday 4;
    // Christmas (7 January, Thursday) is not moved.
    assert!(!is_working_day(date(2027, 1, 4)));
    assert!(is_working_day(date(2027, 1, 5)));
    assert!(!is_working_day(date(2027, 1, 7)));
    assert_eq!(add_working_days(date(2026, 12, 31), 1), date(2027, 1, 5));
    assert_eq!(add_working_days(date(2026, 12, 31), 3), date(2027, 1, 8));
    // Nauryz 2027: 21 March is a Sunday, so 22, 23 and the moved 24 March are off.
    for d in 21..=24 {
        assert!(!is_working_day(date(2027, 3, d)), "2027-03-{d}");
    }
    assert!(is_working_day(date(2027, 3, 25)));
}

#[test]
fn followup_after_days_counts_working_days() {
    // A Thursday event (10 December 2026), follow-up 3 working days after: Fri 11, Mon 14,
    // Tue 15.
    let dir = event_dir(|t| {
        let t = replace_once(t, "date = 2027-03-18", "date = 2026-12-10");
        replace_once(t, "sms = true", "sms = true\nfollowup_after_days = 3")
    });
    let s = plan(&load(dir.path()), date(2026, 11, 1));
    assert_eq!(local(send(&s, "followup")), "2026-12-15T10:00+05:00");
    assert_eq!(send(&s, "followup").kind, Kind::Followup);
}

#[test]
fn sms_only_when_asked_and_never_instead_of_mail() {
    let dir = event_dir(|t| replace_once(t, "sms = true", "sms = false"));
    let s = plan(&load(dir.path()), date(2027, 2, 1));
    assert!(s.sends_of(Kind::Sms1h).next().is_none());
    assert!(s.sends_of(Kind::Min15).next().is_some());
    assert!(s.sends_of(Kind::DayOf).next().is_some());
}
