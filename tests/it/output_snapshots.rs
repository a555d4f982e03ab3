//! Snapshots of the outputs where string surgery happens: the build report, a reminder mail
//! (parsed as a mail client would read it), the Site Management setup script and the Bitrix24
//! blocks, for the example and the Kazakh fixture. A wording or escaping change shows here as a
//! reviewable diff (`INSTA_UPDATE=always cargo test --test it output_snapshots`, then read it).

use crate::support::render_common::*;

use std::path::Path;

/// Builds `event` for a fixed day into a temporary folder; returns the folder of its outputs.
fn built(event: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    bxland()
        .args(["build", "--today", "2026-11-25", "--out"])
        .arg(&out)
        .arg(event)
        .assert()
        .code(0);
    let slug = std::fs::read_dir(&out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    (tmp, slug)
}

fn file_from_archive(archive: &Path, name: &str) -> String {
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(archive).unwrap());
    let mut tar = tar::Archive::new(gz);
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_str() == Some(name) {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            return text;
        }
    }
    panic!("{name} is not in {}", archive.display())
}

/// The mail as a client shows it: the decoded headers and both bodies.
fn read_mail(eml: &[u8]) -> String {
    let mail = mail_parser::MessageParser::default()
        .parse(eml)
        .expect("the .eml parses as a mail");
    let from = mail.from().and_then(|a| a.first()).unwrap();
    format!(
        "From: {} <{}>\nSubject: {}\nParts: {}\n\n--- text ---\n{}\n--- html ---\n{}\n",
        from.name().unwrap_or_default(),
        from.address().unwrap_or_default(),
        mail.subject().unwrap_or_default(),
        mail.parts.len(),
        mail.body_text(0).unwrap_or_default(),
        mail.body_html(0).unwrap_or_default(),
    )
}

fn snapshots(name: &str, event: &Path) {
    let (_tmp, out) = built(event);
    let slug = out.file_name().unwrap().to_str().unwrap().to_string();
    let report = std::fs::read_to_string(out.join("report.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&report).expect("report.json is JSON");
    // The event's path is where this checkout happens to be.
    let report = report.replace(root().to_str().unwrap(), "<repo>");
    insta::assert_snapshot!(format!("{name}_report_json"), report);
    let eml = std::fs::read(out.join("mailings/day-before.eml")).unwrap();
    insta::assert_snapshot!(format!("{name}_day_before_eml"), read_mail(&eml));
    let archive = out.join(format!("site-management/{slug}.tar.gz"));
    insta::assert_snapshot!(
        format!("{name}_setup_php"),
        file_from_archive(&archive, "install/setup.php")
    );
    let blocks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("bitrix24/blocks.json")).unwrap()).unwrap();
    insta::assert_snapshot!(
        format!("{name}_bitrix24_blocks"),
        serde_json::to_string_pretty(&blocks).unwrap()
    );
}

#[test]
fn example_outputs() {
    snapshots("example", &example_dir());
}

#[test]
fn kazakh_outputs() {
    snapshots("kk", &kk_dir());
}
