//! The crate's layers, checked: every module imports only from the layers below it, so no
//! two modules depend on each other. The order is the data's: input, rules, what is made from
//! the checked event, the targets, the pipelines, the commands.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom first. A module may use any module of a lower line and none of its own line or above
/// (`render` and `comms` are siblings: neither uses the other).
const LAYERS: &[&[&str]] = &[
    &[
        "i18n",
        "catalog",
        "sources",
        "typography",
        "escape",
        "markdown",
    ],
    &["diag"],
    &["event"],
    &["rules"],
    &["webinar"],
    &["render", "comms"],
    &["export"],
    &["pipeline"],
    &["serve"],
    &["cli"],
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules a file names as `crate::<module>`.
fn used_modules(src: &str) -> BTreeSet<String> {
    src.match_indices("crate::")
        .map(|(at, _)| {
            src[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|m| !m.is_empty())
        .collect()
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let level = |m: &str| LAYERS.iter().position(|l| l.contains(&m));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for layer in LAYERS {
        for module in *layer {
            let mut files = Vec::new();
            let dir = src.join(module);
            if dir.is_dir() {
                rust_files(&dir, &mut files);
            } else {
                files.push(src.join(format!("{module}.rs")));
            }
            let own = level(module).unwrap();
            for f in files {
                let text = std::fs::read_to_string(&f).unwrap();
                for used in used_modules(&text) {
                    // `crate::t!` is the i18n macro, exported at the crate root; `check` and
                    // `build` are the pipeline's own modules, re-exported at the root.
                    let used = match used.as_str() {
                        "t" => "i18n".to_string(),
                        "check" | "build" => "pipeline".to_string(),
                        _ => used,
                    };
                    if used == *module {
                        continue;
                    }
                    match level(&used) {
                        Some(l) if l < own => {}
                        Some(_) => wrong.push(format!("{} uses crate::{used}", f.display())),
                        None => {
                            wrong.push(format!("{}: crate::{used} is in no layer", f.display()))
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
    assert!(checked > 100, "read only {checked} imports");
}

/// What is made after `check` reads the typed webinar, never the raw input: no file of
/// `render`, `comms` or `export` names `crate::event`.
#[test]
fn outputs_read_the_webinar_not_the_raw_event() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for module in ["render", "comms", "export"] {
        rust_files(&src.join(module), &mut files);
    }
    assert!(files.len() > 20, "read only {} files", files.len());
    let raw: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("crate::event"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(raw.is_empty(), "reads the raw event: {raw:#?}");
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            assert!(
                LAYERS.iter().any(|l| l.contains(&name)),
                "src/{name} has no place in LAYERS"
            );
        }
    }
}
