//! `new`, `approve` and `rules`.

use crate::support::common;

use common::{bxland, check_dirs, Scratch, TODAY};

#[test]
fn new_makes_an_event_that_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("events/my-webinar");
    bxland()
        .args(["new", dir.to_str().unwrap(), "--today", TODAY])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    assert!(text.contains("date = 2026-12-30"), "35 days after --today");
    // The page address is explicit and does not come from the example's title.
    assert!(text.contains("slug = \"my-webinar-2026-12\""), "{text}");
    assert!(dir.join("assets/logo.svg").is_file());
    let checked = check_dirs(std::slice::from_ref(&dir));
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics());
    // Only the reminder to approve the program remains.
    assert_eq!(checked.rules(), vec!["program.approval"]);
    // A second `new` into the same folder refuses and keeps the files.
    bxland()
        .args(["new", dir.to_str().unwrap()])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(dir.join("event.toml")).unwrap(),
        text
    );
}

#[test]
fn approve_writes_a_lock_that_detects_changes() {
    let s = Scratch::example();
    std::fs::remove_file(s.dir().join("program.lock")).unwrap();
    assert_eq!(s.check().rules(), vec!["program.approval"]);
    bxland()
        .args(["approve", s.dir().to_str().unwrap(), "--today", TODAY])
        .assert()
        .success();
    let lock = std::fs::read_to_string(s.dir().join("program.lock")).unwrap();
    assert!(lock.contains("approved = \"2026-11-25\""));
    assert_eq!(lock.matches("[[items]]").count(), 4);
    assert!(s.check().diagnostics().is_empty());
    // A speaker's company is part of what was approved.
    s.replace(
        "company = \"ТОО «Дала Трейд»\"",
        "company = \"ТОО «Дала Трейд Групп»\"",
    );
    let checked = s.check();
    assert_eq!(checked.code, 1);
    // Reported for each item that presents the speaker (the case and the Q&A).
    assert_eq!(
        checked.rules(),
        vec![
            "program.changed-after-approval",
            "program.changed-after-approval"
        ]
    );
}

#[test]
fn a_damaged_lock_is_an_error() {
    let s = Scratch::example();
    std::fs::write(s.dir().join("program.lock"), "approved = 5\n").unwrap();
    let checked = s.check();
    assert_eq!(checked.code, 1);
    let d = &checked.with_rule("program.changed-after-approval")[0];
    assert_eq!(d["file"], "program.lock");
}

#[test]
fn rules_prints_every_rule_from_the_code() {
    let out = bxland().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for rule in bxland::rules::all() {
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", rule.id)))
            .unwrap_or_else(|| panic!("{}", rule.id));
        assert!(row.contains(rule.severity.as_str()));
        assert!(row.contains(&*rule.what.ru));
    }
    let en = bxland().args(["--lang", "en", "rules"]).output().unwrap();
    assert!(String::from_utf8(en.stdout)
        .unwrap()
        .contains("no CAPTCHA of any kind"));
}

#[test]
fn fix_lowercases_pronouns_and_nothing_else() {
    let s = Scratch::example();
    s.replace("под ваш процесс", "под Ваш процесс");
    let before = s.toml();
    let out = bxland()
        .args([
            "check",
            s.dir().to_str().unwrap(),
            "--fix",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let after = s.toml();
    assert_eq!(
        after,
        before.replacen("под Ваш процесс", "под ваш процесс", 1)
    );
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("«Ваш» → «ваш»"));
}

#[test]
fn readme_rules_table_is_the_printed_one() {
    let out = bxland().args(["--lang", "en", "rules"]).output().unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(printed.trim()),
        "README's rules table is stale: paste `bxland --lang en rules` into it"
    );
}

#[test]
fn build_prints_the_site_management_install_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bxland()
        .args([
            "build",
            common::example_dir().to_str().unwrap(),
            "--out",
            tmp.path().to_str().unwrap(),
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(
        tmp.path()
            .join("b24-sales-2027-03/site-management/README.txt"),
    )
    .unwrap();
    // The same text as README.txt, with the one line for «Командная PHP-строка».
    assert!(printed.contains(readme.trim()), "{printed}");
    assert!(
        printed.contains(&bxland::export::site_management::install_line(
            "b24-sales-2027-03"
        ))
    );
}

/// The rule tests check in-process; the command prints the same document and exits the same,
/// for a good event, a refused one and an unreadable folder.
#[test]
fn check_command_prints_what_the_in_process_check_finds() {
    let bad = Scratch::example();
    bad.replace(
        "language = \"ru\"",
        "language = \"ru\"\nformat = \"offline\"",
    );
    let missing = tempfile::tempdir().unwrap();
    for dirs in [
        vec![common::example_dir()],
        vec![bad.dir()],
        vec![missing.path().to_path_buf()],
        vec![common::example_dir(), bad.dir()],
    ] {
        let inside = check_dirs(&dirs);
        let cli = common::check_dirs_cli(&dirs);
        assert_eq!(cli.code, inside.code, "{dirs:?}");
        assert_eq!(cli.json, inside.json, "{dirs:?}");
    }
}
