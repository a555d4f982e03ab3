//! Line coverage of the PHP the Site Management archive ships, measured with pcov (Debian's
//! php-pcov, installed by .ci/install-deps) while the harnesses run every path a site takes:
//! setup (twice, refused, windows-1251), the page in every state, registrations, status
//! changes, the reminder agent at each send and after the last, the template description.
//! Prints the figure per file and in total, and keeps the total at 90% or more.

use crate::support::site_management_common;

use std::collections::BTreeMap;

use serde_json::Value;
use site_management_common::*;

const SLUG: &str = "b24-sales-2027-03";

#[test]
fn generated_php_line_coverage_is_at_least_90_percent() {
    let cov = tempfile::tempdir().unwrap();
    record_coverage_into(cov.path());
    let event = example();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    let schedule = bxland::comms::schedule::plan(&event, today);
    let (archive, readme) = build_export(&event, today);
    let line = pasted_line(&readme);
    let sid = "WEBINAR_B24_SALES_2027_03";

    // Refusals first, each on a fresh site.
    for refusal in [
        r#"{"utf": false}"#,
        r#"{"admin": false}"#,
        r#"{"modules": ["main"]}"#,
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let docroot = tmp.path().join("www");
        install_template(&docroot, SLUG, &archive);
        let state = tmp.path().join("state.json");
        std::fs::write(&state, refusal).unwrap();
        run_setup_line(&state, &docroot, &line);
    }

    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    install_template(&docroot, SLUG, &archive);
    let state = tmp.path().join("state.json");
    run_setup_line(&state, &docroot, &line);
    run_setup_line(&state, &docroot, &line);
    for scenario in ["fresh", "accepted", "errors", "expired", "rejected-student"] {
        render(&state, &docroot, SLUG, scenario);
    }
    site_action(&state, &docroot, &["describe", SLUG]);
    let mut ids = Vec::new();
    for email in ["a@example.kz", "b@example.kz", "not-an-email"] {
        let v = site_action(&state, &docroot, &["add", sid, email]);
        let id: String = v["state"]["results"]
            .as_object()
            .unwrap()
            .keys()
            .max_by_key(|k| k.parse::<u64>().unwrap())
            .unwrap()
            .clone();
        ids.push(id);
    }
    for code in [
        "bxland-accepted",
        "bxland-rejected-competitor",
        "bxland-rejected-student",
    ] {
        site_action(&state, &docroot, &["status", &ids[0], code]);
    }
    site_action(&state, &docroot, &["status", &ids[2], "bxland-accepted"]);
    site_action(&state, &docroot, &["status", &ids[1], "bxland-new"]);
    for send in &schedule.sends {
        let t = send.utc.timestamp();
        for now in [t - 60, t + 60, t + 120, send.until.timestamp() + 600] {
            site_action(&state, &docroot, &["agents", &now.to_string()]);
        }
    }
    let end = schedule.sends.last().unwrap().until.timestamp() + 30 * 86400;
    site_action(&state, &docroot, &["agents", &end.to_string()]);

    // Union of the runs: a line is covered when any run executed it.
    let mut files: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    for entry in std::fs::read_dir(cov.path()).unwrap() {
        let data: Value =
            serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
        // PHP writes an empty array as [] (a run that included no template file).
        let Some(data) = data.as_object() else {
            continue;
        };
        for (file, lines) in data {
            let f = files.entry(file.clone()).or_default();
            let Some(lines) = lines.as_object() else {
                continue;
            };
            for (line, hits) in lines {
                let hit = hits.as_i64().unwrap() > 0;
                *f.entry(line.clone()).or_insert(false) |= hit;
            }
        }
    }
    let shipped: Vec<String> = entries(&archive)
        .into_iter()
        .map(|e| e.0)
        .filter(|p| p.ends_with(".php"))
        .collect();
    let (mut covered, mut total) = (0usize, 0usize);
    println!("PHP line coverage of the Site Management archive (pcov):");
    for path in &shipped {
        let lines = files
            .get(path)
            .unwrap_or_else(|| panic!("{path} was never executed"));
        let c = lines.values().filter(|h| **h).count();
        let t = lines.len();
        covered += c;
        total += t;
        println!(
            "  {path:<60} {c:>4}/{t:<4} {:>5.1}%",
            100.0 * c as f64 / t.max(1) as f64
        );
    }
    let pct = 100.0 * covered as f64 / total as f64;
    println!("  total {covered}/{total} lines: {pct:.1}%");
    assert!(pct >= 90.0, "PHP line coverage {pct:.1}% is below 90%");
}
