//! Generated pages pass the Nu Html Checker (vnu) with no errors. This test FAILS when java or
//! vnu.jar is missing: install them with `npm install --prefix tools vnu-jar` (and a JRE:
//! `apt-get install default-jre-headless`), or point `BXLAND_VNU_JAR` at a vnu.jar.

use crate::support::render_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use render_common::*;

fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("BXLAND_VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("tools/node_modules/vnu-jar/build/dist/vnu.jar"));
    assert!(
        jar.is_file(),
        "vnu.jar not found at {} — run `npm install --prefix tools vnu-jar` or set BXLAND_VNU_JAR",
        jar.display()
    );
    let java = Command::new("java").arg("-version").output();
    assert!(
        java.as_ref().is_ok_and(|o| o.status.success()),
        "java is not installed — `apt-get install default-jre-headless`: {java:?}"
    );
    jar
}

/// Runs vnu on `files`; returns (success, messages).
fn vnu(jar: &Path, args: &[&str], files: &[PathBuf]) -> (bool, String) {
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(args)
        .args(files)
        .output()
        .expect("java runs");
    let msg = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && msg.trim().is_empty(), msg)
}

#[test]
fn generated_pages_pass_the_nu_html_checker() {
    let jar = vnu_jar();
    let tmp = tempfile::tempdir().unwrap();
    let mut html = Vec::new();
    let mut css = Vec::new();
    for (name, dir) in [("example", example_dir()), ("kk", kk_dir())] {
        for theme in ["default", "horizon"] {
            let page = render_with(&dir, theme, true);
            let folder = tmp.path().join(format!("{name}-{theme}"));
            for (rel, bytes) in page.files() {
                let p = folder.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, bytes).unwrap();
            }
            html.push(folder.join("index.html"));
            css.push(folder.join("style.css"));
        }
    }
    let (ok, msg) = vnu(&jar, &[], &html);
    assert!(ok, "vnu found errors in the pages:\n{msg}");
    let (ok, msg) = vnu(&jar, &["--css"], &css);
    assert!(ok, "vnu found errors in the CSS:\n{msg}");
}

#[test]
fn the_checker_does_report_errors() {
    // Guards the test above: a broken page must not pass.
    let jar = vnu_jar();
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!doctype html><html><head></head><body><p><div></p></body></html>",
    )
    .unwrap();
    let (ok, msg) = vnu(&jar, &[], &[bad]);
    assert!(!ok, "vnu accepted a broken page: {msg}");
}
