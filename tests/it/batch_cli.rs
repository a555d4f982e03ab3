//! Batches: `build` and `check` over a folder of event folders. One bad event does not stop
//! the others; a summary table (or one JSON document) lists every event; previous outputs
//! survive a failing or interrupted run, and no staging folder is left behind.

use crate::support::render_common;
use crate::support::serve::copy_dir;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use render_common::*;
use serde_json::Value;

fn run(args: &[&str], dirs: &[&Path]) -> (i32, String) {
    let mut c = bxland();
    c.args(args).args(dirs).args(["--today", "2026-11-25"]);
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// A copy of `example-event` under `to` with its own slug and title; `edit` changes the
/// event.toml further.
fn event(to: &Path, slug: &str, title: &str, edit: impl Fn(String) -> String) -> PathBuf {
    copy_dir(&example_dir(), to);
    let toml = std::fs::read_to_string(to.join("event.toml")).unwrap();
    let changed = toml
        .replace(
            "slug = \"b24-sales-2027-03\"",
            &format!("slug = \"{slug}\""),
        )
        .replacen(
            "title = \"Битрикс24 для отдела продаж: от заявки до сделки\"",
            &format!("title = \"{title}\""),
            1,
        );
    let changed = edit(changed);
    assert!(changed.contains(slug) && changed.contains(title));
    std::fs::write(to.join("event.toml"), changed).unwrap();
    to.to_path_buf()
}

fn captcha(toml: String) -> String {
    assert!(toml.contains("captcha = false"));
    toml.replace("captcha = false", "captcha = true")
}

/// A theme that `check` finds (its strings are fine) but whose page template does not
/// compile: the build itself fails after the rules passed.
fn broken_theme(event_dir: &Path) -> impl Fn(String) -> String {
    let theme = event_dir.join("themes/broken");
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    copy_dir(&default, &theme);
    // It compiles (`check` compiles a theme folder and would refuse the event), but its form
    // loses the consent checkbox's label: the page's self-check fails the build.
    let form = theme.join("form.html");
    let text = std::fs::read_to_string(&form).unwrap();
    assert!(text.contains("<label for=\"f-consent\">"));
    std::fs::write(&form, text.replace("<label for=\"f-consent\">", "<label>")).unwrap();
    |toml: String| {
        assert!(toml.contains("name = \"default\""));
        toml.replace("name = \"default\"", "name = \"broken\"")
    }
}

/// Three events: two good, one breaking a rule (a CAPTCHA).
fn batch(root: &Path) -> PathBuf {
    let b = root.join("events");
    event(
        &b.join("a"),
        "alpha",
        "Битрикс24 для продаж: поток A",
        |t| t,
    );
    event(&b.join("b"), "beta", "Битрикс24 для продаж: поток B", |t| t);
    event(
        &b.join("c"),
        "gamma",
        "Битрикс24 для продаж: поток C",
        captcha,
    );
    b
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The table row of the event folder ending in `/<name>`.
fn table_row<'a>(stdout: &'a str, name: &str) -> &'a str {
    let suffix = format!("/{name} ");
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| {
            l.split("  ")
                .next()
                .is_some_and(|c| format!("{c} ").ends_with(&suffix))
        })
        .collect();
    assert_eq!(rows.len(), 1, "one table row for {name} in:\n{stdout}");
    rows[0]
}

fn cells(row: &str) -> Vec<&str> {
    row.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn one_refused_event_does_not_stop_the_others_and_the_table_lists_each() {
    let tmp = tempfile::tempdir().unwrap();
    let events = batch(tmp.path());
    let out = tmp.path().join("dist");
    let out_s = out.to_str().unwrap();
    let (code, stdout) = run(&["build", "--out", out_s, "--target", "html"], &[&events]);
    assert_eq!(code, 1, "{stdout}");
    assert!(out.join("alpha/preview/index.html").is_file());
    assert!(out.join("beta/preview/index.html").is_file());
    assert!(!out.join("gamma").exists());
    // The diagnostics are still printed, before the table.
    let diag = stdout.find("form.captcha").expect("diagnostic printed");
    let header = stdout
        .find("событие  ")
        .unwrap_or_else(|| panic!("table header in:\n{stdout}"));
    assert!(diag < header);
    let a = cells(table_row(&stdout, "a"));
    assert_eq!(&a[1..4], ["собрано", "0", "0"], "{a:?}");
    assert!(a[4].starts_with("6 → ") && a[4].ends_with("alpha"), "{a:?}");
    let c = cells(table_row(&stdout, "c"));
    assert_eq!(c[1], "отклонено");
    assert_ne!(c[2], "0", "errors counted: {c:?}");
    assert_eq!(c[4], "—");
    assert!(
        stdout.contains("Итого событий: 3 (собрано 2, отклонено 1)"),
        "{stdout}"
    );
}

#[test]
fn english_table_with_lang_en() {
    let tmp = tempfile::tempdir().unwrap();
    let events = batch(tmp.path());
    let out = tmp.path().join("dist");
    let (code, stdout) = run(
        &[
            "--lang",
            "en",
            "build",
            "--out",
            out.to_str().unwrap(),
            "--target",
            "html",
        ],
        &[&events],
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("event  "), "{stdout}");
    assert_eq!(cells(table_row(&stdout, "b"))[1], "built");
    assert_eq!(cells(table_row(&stdout, "c"))[1], "refused");
    assert!(stdout.contains("Total events: 3 (built 2, refused 1)"));
}

#[test]
fn check_prints_a_table_too() {
    let tmp = tempfile::tempdir().unwrap();
    let events = batch(tmp.path());
    let (code, stdout) = run(&["check"], &[&events]);
    assert_eq!(code, 1);
    assert_eq!(
        cells(table_row(&stdout, "a"))[1..],
        ["соответствует", "0", "0"]
    );
    assert_eq!(cells(table_row(&stdout, "c"))[1], "отклонено");
    assert!(stdout.contains("Итого событий: 3 (соответствует 2, отклонено 1)"));
    // check writes nothing, so it has no outputs column.
    assert!(!stdout.contains("выгрузка"));
}

#[test]
fn build_json_is_one_document_with_every_event() {
    let tmp = tempfile::tempdir().unwrap();
    let events = batch(tmp.path());
    let out = tmp.path().join("dist");
    let (code, stdout) = run(
        &["build", "--out", out.to_str().unwrap(), "--format", "json"],
        &[&events],
    );
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let evs = doc["events"].as_array().unwrap();
    assert_eq!(evs.len(), 3);
    for e in evs {
        for key in [
            "path",
            "slug",
            "status",
            "errors",
            "warnings",
            "outputs",
            "diagnostics",
        ] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
    }
    let (a, c) = (&evs[0], &evs[2]);
    assert!(a["path"].as_str().unwrap().ends_with("/a"));
    assert_eq!(a["slug"], "alpha");
    assert_eq!(a["status"], "built");
    assert_eq!(a["errors"], 0);
    let outputs: Vec<&str> = a["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for f in [
        "preview/index.html",
        "site-management/alpha.tar.gz",
        "bitrix24/blocks.json",
        "report.json",
    ] {
        assert!(outputs.contains(&f), "{f} not in {outputs:?}");
        assert!(out.join("alpha").join(f).is_file(), "{f} not written");
    }
    assert!(outputs.iter().any(|f| f.starts_with("mailings/")));
    assert!(outputs.iter().any(|f| f.starts_with("announce/")));
    assert_eq!(c["slug"], "gamma");
    assert_eq!(c["status"], "refused");
    assert_eq!(c["outputs"], serde_json::json!([]));
    let errors = c["errors"].as_u64().unwrap();
    assert!(errors >= 1);
    let diags = c["diagnostics"].as_array().unwrap();
    assert_eq!(
        diags.iter().filter(|d| d["severity"] == "error").count() as u64,
        errors
    );
    let d = diags
        .iter()
        .find(|d| d["rule"] == "form.captcha")
        .expect("form.captcha");
    assert_eq!(d["file"], "event.toml");
    assert!(d["line"].as_u64().unwrap() > 1);
}

#[test]
fn check_json_keeps_its_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let events = batch(tmp.path());
    let (code, stdout) = run(&["check", "--format", "json"], &[&events]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let evs = doc["events"].as_array().unwrap();
    assert_eq!(evs.len(), 3);
    let keys: Vec<&str> = evs[2]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(&keys[..3], ["path", "ok", "diagnostics"]);
    assert_eq!(evs[0]["ok"], true);
    assert_eq!(evs[2]["ok"], false);
    assert_eq!(evs[2]["status"], "refused");
}

#[test]
fn a_failing_run_leaves_previous_outputs_intact_and_no_staging() {
    let tmp = tempfile::tempdir().unwrap();
    let events = batch(tmp.path());
    let out = tmp.path().join("dist");
    let out_s = out.to_str().unwrap();
    std::fs::write(
        events.join("c/event.toml"),
        std::fs::read_to_string(events.join("c/event.toml"))
            .unwrap()
            .replace("captcha = true", "captcha = false"),
    )
    .unwrap();
    let (code, stdout) = run(&["build", "--out", out_s], &[&events]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(entries(&out), ["alpha", "beta", "gamma"]);
    let (beta, gamma) = (tree(&out.join("beta")), tree(&out.join("gamma")));

    // Now: alpha changes and builds, beta breaks a rule, gamma passes the rules but its
    // theme's form lacks a required element (the build itself fails).
    let edit = |dir: &str, f: &dyn Fn(String) -> String| {
        let p = events.join(dir).join("event.toml");
        std::fs::write(&p, f(std::fs::read_to_string(&p).unwrap())).unwrap();
    };
    edit("a", &|t| t.replace("поток A", "поток A, второй запуск"));
    edit("b", &|t| captcha(t.replace("поток B", "поток B, сломан")));
    edit("c", &broken_theme(&events.join("c")));
    let (code, stdout) = run(&["build", "--out", out_s], &[&events]);
    assert_eq!(code, 2, "the failed build is the worst status: {stdout}");
    assert_eq!(cells(table_row(&stdout, "a"))[1], "собрано");
    assert_eq!(cells(table_row(&stdout, "b"))[1], "отклонено");
    assert_eq!(cells(table_row(&stdout, "c"))[1], "сбой сборки");
    let index = std::fs::read_to_string(out.join("alpha/preview/index.html")).unwrap();
    assert!(index.contains("второй запуск"), "alpha rebuilt");
    assert_eq!(
        tree(&out.join("beta")),
        beta,
        "beta's previous output changed"
    );
    assert_eq!(
        tree(&out.join("gamma")),
        gamma,
        "gamma's previous output changed"
    );
    assert_eq!(
        entries(&out),
        ["alpha", "beta", "gamma"],
        "no staging folder left"
    );
}

/// A run killed in the middle: every event folder in `OUT` is a complete build (the previous
/// or the new one), and the next run sweeps the staging folders the killed one left.
#[test]
fn an_interrupted_run_leaves_complete_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    let n = 16;
    let slugs: Vec<String> = (0..n).map(|i| format!("ev-{i:02}")).collect();
    for s in &slugs {
        event(&events.join(s), s, &format!("Вебинар {s}: старый"), |t| t);
    }
    let out = tmp.path().join("dist");
    let out_s = out.to_str().unwrap();
    let build = ["build", "--out", out_s, "--target", "html,site-management"];
    let (code, _) = run(&build, &[&events]);
    assert_eq!(code, 0);
    let files_of =
        |slug: &str| -> Vec<String> { tree(&out.join(slug)).into_iter().map(|(n, _)| n).collect() };
    let files = |slug: &str| -> Vec<String> {
        let mut v: Vec<String> = files_of("ev-00")
            .into_iter()
            .map(|f| f.replace("ev-00", slug))
            .collect();
        v.sort();
        v
    };
    assert!(files("ev-00").contains(&"site-management/ev-00.tar.gz".to_string()));
    for s in &slugs {
        let toml = events.join(s).join("event.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(&toml, text.replace(": старый", ": новый")).unwrap();
    }

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("bxland"))
        .env("BXLAND_CACHE_DIR", TEST_CACHE_DIR)
        .args(build)
        .args(["--today", "2026-11-25"])
        .arg(&events)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some event has been rebuilt (or after a while).
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let rebuilt = slugs.iter().any(|s| {
            std::fs::read_to_string(out.join(s).join("preview/index.html"))
                .is_ok_and(|h| h.contains("новый"))
        });
        if rebuilt {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let aside: Vec<String> = entries(&out)
        .into_iter()
        .filter(|e| e.starts_with(".bxland-old-"))
        .filter_map(|e| std::fs::read(out.join(e).join("report.json")).ok())
        .map(|r| serde_json::from_slice::<Value>(&r).unwrap()["slug"].to_string())
        .collect();
    let mut old = 0;
    for s in &slugs {
        if !out.join(s).exists() {
            // Killed between the two renames: the previous output is aside, whole.
            assert!(aside.contains(&format!("\"{s}\"")), "{s} is lost");
            continue;
        }
        assert_eq!(files_of(s), files(s), "{s} is incomplete");
        let html = std::fs::read_to_string(out.join(s).join("preview/index.html")).unwrap();
        assert!(html.contains("старый") != html.contains("новый"), "{s}");
        old += usize::from(html.contains("старый"));
        let report: Value =
            serde_json::from_slice(&std::fs::read(out.join(s).join("report.json")).unwrap())
                .unwrap();
        assert_eq!(report["slug"], s.as_str());
    }
    let left = entries(&out)
        .iter()
        .filter(|e| e.starts_with(".bxland-"))
        .count();
    eprintln!(
        "{old} of {n} events kept their previous output when killed; {left} staging folders left"
    );

    // The next run finishes the job and removes what the killed run left aside.
    let (code, _) = run(&build, &[&events]);
    assert_eq!(code, 0);
    assert_eq!(entries(&out), slugs, "staging folders swept");
    for s in &slugs {
        let html = std::fs::read_to_string(out.join(s).join("preview/index.html")).unwrap();
        assert!(html.contains("новый"));
    }
}

/// What a killed run leaves is swept by the next `build`: its staging folders are removed, and
/// an output caught between its two renames is put back. Folders of running processes stay.
#[test]
fn the_next_build_sweeps_what_a_killed_run_left() {
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    event(&events.join("a"), "alpha", "Поток A", |t| t);
    let out = tmp.path().join("dist");
    std::fs::create_dir_all(&out).unwrap();
    // A process that has ended.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let staging = out.join(format!(".bxland-{dead}-x1"));
    std::fs::create_dir_all(staging.join("preview")).unwrap();
    std::fs::write(staging.join("preview/index.html"), "half").unwrap();
    // The previous output of "kept", renamed aside when the run was killed.
    let aside = out.join(format!(".bxland-old-{dead}-x2"));
    std::fs::create_dir_all(&aside).unwrap();
    std::fs::write(aside.join("report.json"), r#"{"slug": "kept"}"#).unwrap();
    std::fs::write(aside.join("marker"), "previous").unwrap();
    // A folder of a process that still runs (this test).
    let live = out.join(format!(".bxland-{}-x3", std::process::id()));
    std::fs::create_dir_all(&live).unwrap();

    let (code, stdout) = run(
        &["build", "--out", out.to_str().unwrap(), "--target", "html"],
        &[&events],
    );
    assert_eq!(code, 0, "{stdout}");
    let live_name = live.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(entries(&out), [live_name.as_str(), "alpha", "kept"]);
    assert_eq!(
        std::fs::read_to_string(out.join("kept/marker")).unwrap(),
        "previous"
    );
}
