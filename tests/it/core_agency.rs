//! `agency.toml`: shared defaults merged under every event below it; diagnostics still point
//! at the file and line where the value was written.

use crate::support::common;

use common::{check_dirs, Scratch};

/// Moves `[organizer]`…`[[speakers...` and `[consent]`…`[[partners]]` out of event.toml into
/// an agency.toml one folder up.
fn split_into_agency(s: &Scratch) -> String {
    let text = s.toml();
    let org_start = text.find("[organizer]").unwrap();
    let org_end = text.find("[speakers.saparova]").unwrap();
    let con_start = text.find("[consent]").unwrap();
    let con_end = text.find("[[partners]]").unwrap();
    // Paths in agency.toml are relative to the agency folder.
    let agency = format!("{}{}", &text[org_start..org_end], &text[con_start..con_end])
        .replace("assets/logo.svg", "agency-assets/logo.svg");
    let event = format!(
        "{}{}{}",
        &text[..org_start],
        &text[org_end..con_start],
        &text[con_end..]
    );
    s.set_toml(&event);
    std::fs::create_dir_all(s.tmp.path().join("agency-assets")).unwrap();
    std::fs::copy(
        s.dir().join("assets/logo.svg"),
        s.tmp.path().join("agency-assets/logo.svg"),
    )
    .unwrap();
    std::fs::write(s.tmp.path().join("agency.toml"), &agency).unwrap();
    agency
}

#[test]
fn agency_defaults_complete_the_event() {
    let s = Scratch::example();
    split_into_agency(&s);
    let checked = s.check();
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics());
    assert!(
        checked.diagnostics().is_empty(),
        "{:#?}",
        checked.diagnostics()
    );
}

#[test]
fn a_violation_in_agency_toml_points_into_agency_toml() {
    let s = Scratch::example();
    let agency = split_into_agency(&s);
    let agency = agency.replace(
        "email = \"events@altyn-soft.example.kz\"",
        "email = \"events@@\"",
    );
    std::fs::write(s.tmp.path().join("agency.toml"), &agency).unwrap();
    let checked = s.check();
    assert_eq!(checked.code, 1);
    let d = &checked.with_rule("organizer.contacts")[0];
    assert_eq!(d["file"], "../agency.toml");
    let line = agency[..agency.find("events@@").unwrap()]
        .matches('\n')
        .count() as u64
        + 1;
    assert_eq!(d["line"].as_u64(), Some(line));
}

#[test]
fn the_events_own_keys_win() {
    let s = Scratch::example();
    split_into_agency(&s);
    // The event overrides one consent key; the agency's bad value is no longer used.
    let agency_path = s.tmp.path().join("agency.toml");
    let agency = std::fs::read_to_string(&agency_path).unwrap();
    std::fs::write(
        &agency_path,
        agency.replace(
            "term = \"до отзыва согласия, но не более 3 лет\"",
            "term = \"\"",
        ),
    )
    .unwrap();
    assert_eq!(check_dirs(&[s.dir()]).code, 1);
    s.append("[consent]\nterm = \"до отзыва согласия, но не более 3 лет\"\n");
    let checked = s.check();
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics());
}

#[test]
fn a_parse_error_in_agency_toml_names_it() {
    let s = Scratch::example();
    split_into_agency(&s);
    std::fs::write(s.tmp.path().join("agency.toml"), "[organizer\nname = 1\n").unwrap();
    let checked = s.check();
    assert_eq!(checked.code, 2);
    let d = &checked.with_rule("input.parse")[0];
    assert_eq!(d["file"], "../agency.toml");
    assert_eq!(d["line"].as_u64(), Some(1));
}
