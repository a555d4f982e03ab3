//! `bxland build` over an output it wrote before: nothing is rewritten when nothing changed,
//! unchanged files are kept (the same file, not a copy) when something did, and the folder
//! still ends up holding exactly the new outputs.

use crate::support::render_common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use render_common::*;

const SLUG: &str = "b24-sales-2027-03";

fn build(dir: &Path, out: &Path, extra: &[&str]) {
    bxland()
        .arg("build")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(["--today", "2026-11-25"])
        .args(extra)
        .assert()
        .code(0);
}

/// Every file under `dir`: relative path → (inode, bytes).
fn files(dir: &Path) -> BTreeMap<String, (u64, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .map(|(rel, bytes)| {
            let ino = std::fs::metadata(dir.join(&rel)).unwrap().ino();
            (rel, (ino, bytes))
        })
        .collect()
}

fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bxland-"))
        .collect()
}

#[test]
fn an_unchanged_rebuild_leaves_every_file_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    build(&example_dir(), &out, &[]);
    let before = files(&out.join(SLUG));
    let folder_ino = std::fs::metadata(out.join(SLUG)).unwrap().ino();
    build(&example_dir(), &out, &[]);
    // Same folder, same files: nothing was swapped or written.
    assert_eq!(std::fs::metadata(out.join(SLUG)).unwrap().ino(), folder_ino);
    assert_eq!(files(&out.join(SLUG)), before);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn a_changed_event_keeps_its_unchanged_files_and_rewrites_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let event = tmp.path().join("event");
    copy_dir(&example_dir(), &event);
    let out = tmp.path().join("dist");
    build(&event, &out, &[]);
    let before = files(&out.join(SLUG));

    let toml = std::fs::read_to_string(event.join("event.toml")).unwrap();
    let toml = toml.replace(
        "title = \"Битрикс24 для отдела продаж: от заявки до сделки\"",
        "title = \"Битрикс24 для отдела продаж: от первой заявки до сделки\"",
    );
    std::fs::write(event.join("event.toml"), toml).unwrap();
    build(&event, &out, &[]);
    let after = files(&out.join(SLUG));

    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    let page = String::from_utf8(after["preview/index.html"].1.clone()).unwrap();
    assert!(page.contains("от первой заявки до сделки"));
    assert_ne!(
        after["preview/index.html"].0,
        before["preview/index.html"].0
    );
    // The logo did not change: it is the very same file, not a copy.
    assert_eq!(
        after["preview/assets/logo.svg"],
        before["preview/assets/logo.svg"]
    );
    // Every file holds what a fresh build writes.
    let fresh = tmp.path().join("fresh");
    build(&event, &fresh, &[]);
    let fresh: BTreeMap<_, _> = files(&fresh.join(SLUG))
        .into_iter()
        .map(|(k, (_, bytes))| (k, bytes))
        .collect();
    let after: BTreeMap<_, _> = after.into_iter().map(|(k, (_, b))| (k, b)).collect();
    assert_eq!(after, fresh);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn a_rebuild_of_fewer_targets_drops_the_files_of_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    build(&example_dir(), &out, &[]);
    build(&example_dir(), &out, &["--target", "html"]);
    let names: Vec<String> = files(&out.join(SLUG)).into_keys().collect();
    assert!(names.contains(&"preview/index.html".to_string()));
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("preview/") || n == "report.json"),
        "{names:?}"
    );
}

#[test]
fn an_output_edited_by_hand_is_written_again() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    build(&example_dir(), &out, &[]);
    let page = out.join(SLUG).join("preview/index.html");
    let good = std::fs::read(&page).unwrap();
    let mut edited = good.clone();
    edited[10] ^= 1; // same length, one byte differs
    std::fs::write(&page, &edited).unwrap();
    build(&example_dir(), &out, &[]);
    assert_eq!(std::fs::read(&page).unwrap(), good);
}
