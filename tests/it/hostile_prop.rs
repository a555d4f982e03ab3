//! Property tests of issue 21: generated event files (the example with hostile values put
//! into its fields, huge numbers and dates, many program items) never panic `check` or the
//! human rendering of its diagnostics; whatever `check` accepts, `build` builds; and the
//! outputs parse (JSON, `.ics` lines, `.eml` headers, the page's HTML shape, SVG as XML, the
//! Site Management archive's PHP through `php -l`).
//!
//! CI runs a few hundred cases (`PROPTEST_CASES` raises it). The long run is the ignored
//! `fuzz_for_a_while`, driven by `tools/fuzz-hostile.sh`: it prints inputs tried, panics,
//! hangs and seconds.

use crate::support::common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bxland::build::{build_event, BuildOptions, Outcome};
use bxland::check::check_dir;
use bxland::i18n::Lang;
use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(common::TODAY, "%Y-%m-%d").unwrap()
}

/// Pieces that broke something once, or could.
const HOSTILE: &[&str] = &[
    "\r\n",
    "\n",
    "\r",
    "\u{1b}[31m",
    "\u{0}",
    "\u{7}",
    "\u{fffe}",
    "\u{2028}",
    "\u{202e}",
    "\t",
    "<svg onload=alert(1)>",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "#EMAIL#",
    "{{ title }}",
    "{% raw %}",
    "Вы",
    "Ваш",
    "\"",
    "'",
    "\\",
    "]]>",
    "<?php echo 1; ?>",
    "';die();//",
    "ATTENDEE:mailto:a@b.kz",
    "Bcc: a@b.kz",
    "%0d%0a",
    "&amp;",
    "🎉",
    "é",
    "Битрикс24",
    " ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(HOSTILE).prop_map(str::to_string),
        2 => "[a-zA-Zа-яА-Я0-9 ,.:;!?()-]{0,12}",
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => (prop::sample::select(HOSTILE), 1usize..400).prop_map(|(s, n)| s.repeat(n)),
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..6).prop_map(|v| v.concat())
}

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || c == '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One change to the example's event.toml.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replaces the value of the n-th `key = "…"` line.
    Value(usize, String),
    /// Inserts a key into `[event]`.
    EventKey(&'static str, String),
    Date(i32, u32, u32),
    FollowupDays(i64),
    /// Appends this many copies of a program item.
    ProgramItems(usize),
    /// Replaces the n-th `start`/`end` time.
    Time(usize, String),
    /// A raw line appended (whatever TOML it makes).
    Raw(String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        8 => (0usize..200, hostile_string()).prop_map(|(i, s)| Mutation::Value(i, s)),
        2 => (prop::sample::select(&["join_url", "platform", "summary", "slug"][..]), hostile_string())
            .prop_map(|(k, s)| Mutation::EventKey(k, s)),
        2 => (prop_oneof![Just(1), 1900..2100i32, Just(9999), Just(262143)], 0u32..14, 0u32..33)
            .prop_map(|(y, m, d)| Mutation::Date(y, m, d)),
        1 => prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(0), Just(100_000_000), -5i64..40]
            .prop_map(Mutation::FollowupDays),
        1 => prop_oneof![0usize..5, Just(300)].prop_map(Mutation::ProgramItems),
        1 => (0usize..8, "[0-9:]{0,6}").prop_map(|(i, s)| Mutation::Time(i, s)),
        1 => hostile_string().prop_map(Mutation::Raw),
    ]
}

fn apply(base: &str, mutations: &[Mutation]) -> String {
    let mut text = base.to_string();
    for m in mutations {
        text = match m {
            Mutation::Value(i, s) => {
                let lines: Vec<&str> = text.split('\n').collect();
                let candidates: Vec<usize> = (0..lines.len())
                    .filter(|&n| lines[n].contains(" = \"") && lines[n].ends_with('"'))
                    .collect();
                if candidates.is_empty() {
                    continue;
                }
                let n = candidates[i % candidates.len()];
                let (key, _) = lines[n].split_once(" = ").unwrap();
                let mut owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                owned[n] = format!("{key} = {}", toml_string(s));
                owned.join("\n")
            }
            Mutation::EventKey(k, s) => text.replacen(
                "[event]\n",
                &format!("[event]\n{k} = {}\n", toml_string(s)),
                1,
            ),
            Mutation::Date(y, m, d) => {
                let date = format!("{y:04}-{m:02}-{d:02}");
                regex_line(&text, "date = ", &format!("date = {date}"))
            }
            Mutation::FollowupDays(n) => text.replacen(
                "[mailings]\n",
                &format!("[mailings]\nfollowup_after_days = {n}\n"),
                1,
            ),
            Mutation::ProgramItems(n) => {
                let mut t = text.clone();
                for _ in 0..*n {
                    t.push_str("\n[[program]]\nstart = \"11:45\"\nend = \"11:50\"\ntitle = \"Итоги\"\nkind = \"qa\"\n");
                }
                t
            }
            Mutation::Time(i, s) => {
                let mut seen = 0;
                text.split('\n')
                    .map(|l| {
                        if l.starts_with("start = ") || l.starts_with("end = ") {
                            seen += 1;
                            if seen - 1 == *i {
                                let key = l.split_once(" = ").unwrap().0;
                                return format!("{key} = {}", toml_string(s));
                            }
                        }
                        l.to_string()
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Mutation::Raw(s) => format!("{text}\n{s}\n"),
        };
    }
    text
}

fn regex_line(text: &str, prefix: &str, to: &str) -> String {
    text.split('\n')
        .map(|l| {
            if l.starts_with(prefix) {
                to.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One event folder reused by every case (the assets stay; event.toml is rewritten).
struct Folder {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    out: PathBuf,
    base: String,
}

impl Folder {
    fn new() -> Folder {
        Folder::new_in(None)
    }

    /// In `base` (the fuzz script puts it on a tmpfs: every case rewrites event.toml).
    fn new_in(base: Option<&Path>) -> Folder {
        let tmp = match base {
            Some(b) => tempfile::tempdir_in(b).unwrap(),
            None => tempfile::tempdir().unwrap(),
        };
        let dir = tmp.path().join("event");
        common::copy_dir(&common::example_dir(), &dir);
        let base = std::fs::read_to_string(dir.join("event.toml")).unwrap();
        Folder {
            out: tmp.path().join("out"),
            _tmp: tmp,
            dir,
            base,
        }
    }
}

/// What one case found, beyond a panic (which proptest reports itself).
fn run_case(f: &Folder, mutations: &[Mutation], builds_left: &AtomicUsize) -> Result<bool, String> {
    let text = apply(&f.base, mutations);
    std::fs::write(f.dir.join("event.toml"), &text).unwrap();
    let report = check_dir(&f.dir, today(), &bxland::render::ThemeCache::new());
    for d in &report.diagnostics {
        for lang in [Lang::Ru, Lang::En] {
            let human = d.render(&report.sources, lang, false);
            if !human.contains(d.rule) {
                return Err(format!("rendering lost the rule id: {human}"));
            }
        }
    }
    serde_json::to_string(&report.json(Lang::Ru)).map_err(|e| e.to_string())?;
    if !report.ok() {
        return Ok(false);
    }
    let budget = builds_left.load(Ordering::Relaxed);
    if budget == 0 {
        return Ok(true);
    }
    builds_left.store(budget - 1, Ordering::Relaxed);
    let built = build_event(&f.dir, &BuildOptions::new(&f.out, today()));
    match &built.outcome {
        Outcome::Built(dir) => check_outputs(dir).map(|_| true),
        other => Err(format!("check accepted, build gave {other:?} for:\n{text}")),
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every output parses: JSON is JSON, `.ics` lines are CRLF-terminated content lines of at
/// most 75 octets with no stray control character, `.eml` headers are `Name: value` lines,
/// the page is one HTML document, SVGs are XML.
fn check_outputs(dir: &Path) -> Result<(), String> {
    for p in files(dir) {
        let name = p.display().to_string();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        let bytes = std::fs::read(&p).unwrap();
        match ext {
            "json" => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .map_err(|e| format!("{name}: {e}"))?;
            }
            "ics" => {
                let s = String::from_utf8(bytes).map_err(|e| format!("{name}: {e}"))?;
                let body = s
                    .strip_suffix("\r\n")
                    .ok_or(format!("{name}: no final CRLF"))?;
                for line in body.split("\r\n") {
                    if line.len() > 75 || line.contains(|c: char| c.is_control()) {
                        return Err(format!("{name}: bad line {line:?}"));
                    }
                    let continuation = line.starts_with(' ');
                    let known = line.split([':', ';']).next().is_some_and(|n| {
                        !n.is_empty() && n.chars().all(|c| c.is_ascii_uppercase() || c == '-')
                    });
                    if !continuation && !known {
                        return Err(format!("{name}: not a content line {line:?}"));
                    }
                }
                for prop in ["ATTENDEE", "X-"] {
                    if body.split("\r\n").any(|l| l.starts_with(prop)) {
                        return Err(format!("{name}: injected {prop}"));
                    }
                }
            }
            "eml" => {
                let s = String::from_utf8_lossy(&bytes);
                let head = s.split("\r\n\r\n").next().unwrap_or("");
                let head = if head.len() == s.len() {
                    s.split("\n\n").next().unwrap_or("")
                } else {
                    head
                };
                for line in head.lines() {
                    let ok = line.starts_with([' ', '\t'])
                        || line.split_once(": ").is_some_and(|(n, _)| {
                            !n.is_empty()
                                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        });
                    if !ok {
                        return Err(format!("{name}: not a header line {line:?}"));
                    }
                    let lower = line.to_ascii_lowercase();
                    if lower.starts_with("bcc:") || lower.starts_with("cc:") {
                        return Err(format!("{name}: injected header {line:?}"));
                    }
                }
            }
            "html" if name.ends_with("index.html") => {
                let s = String::from_utf8(bytes).map_err(|e| format!("{name}: {e}"))?;
                let lower = s.to_ascii_lowercase();
                if lower.matches("<html").count() != 1
                    || lower.matches("<script").count() > 0
                        && !lower.contains("application/ld+json")
                {
                    return Err(format!("{name}: not one plain HTML document"));
                }
            }
            "svg" => {
                let s = String::from_utf8(bytes).map_err(|e| format!("{name}: {e}"))?;
                roxmltree::Document::parse(&s).map_err(|e| format!("{name}: {e}"))?;
                let lower = s.to_ascii_lowercase();
                if lower.contains("<script")
                    || lower.contains("javascript:")
                    || lower.contains(" onload")
                {
                    return Err(format!("{name}: script in an SVG"));
                }
            }
            "gz" => check_php(&p, &bytes)?,
            _ => {}
        }
    }
    Ok(())
}

/// Every PHP file of the Site Management archive passes `php -l` (when PHP is installed).
fn check_php(archive: &Path, bytes: &[u8]) -> Result<(), String> {
    if std::process::Command::new("php")
        .arg("-v")
        .output()
        .is_err()
    {
        return Ok(());
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    tar.unpack(tmp.path())
        .map_err(|e| format!("{}: {e}", archive.display()))?;
    for f in files(tmp.path()) {
        if f.extension().is_some_and(|e| e == "php") {
            let out = std::process::Command::new("php")
                .arg("-l")
                .arg(&f)
                .output()
                .unwrap();
            if !out.status.success() {
                return Err(format!(
                    "{}: {}",
                    f.display(),
                    String::from_utf8_lossy(&out.stdout)
                ));
            }
        }
    }
    Ok(())
}

fn cases_from_env(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn generated_events_never_panic_and_what_check_accepts_builds() {
    let f = Folder::new();
    let builds = AtomicUsize::new(2);
    let accepted = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: cases_from_env(300),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(mutation(), 1..4), |m| {
            let ok = run_case(&f, &m, &builds).map_err(TestCaseError::fail)?;
            if ok {
                accepted.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    // The generator must reach both sides of the rules, or the build half tests nothing.
    assert!(
        accepted.load(Ordering::Relaxed) > 0,
        "no generated case passed check"
    );
}

/// The long run (not in CI): `tools/fuzz-hostile.sh`. `FUZZ_INPUTS` cases (or as many as
/// `FUZZ_SECONDS` allow) on `FUZZ_JOBS` threads, each with its own event folder (under
/// `FUZZ_TMPDIR`) and generator; the first `FUZZ_BUILDS` accepted cases are also built and
/// their outputs parsed. Each case runs in a thread of its own with a 10 s limit, so a hang
/// is counted (and its folder given up) instead of stopping the run.
#[test]
#[ignore]
fn fuzz_for_a_while() {
    use std::sync::atomic::AtomicU64;
    use std::sync::Arc;
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    let inputs = env("FUZZ_INPUTS").unwrap_or(u64::MAX);
    let seconds = env("FUZZ_SECONDS").unwrap_or(if inputs == u64::MAX { 60 } else { u64::MAX });
    let builds = env("FUZZ_BUILDS").unwrap_or(50) as usize;
    let jobs = env("FUZZ_JOBS").unwrap_or(2).max(1);
    let tmp = std::env::var_os("FUZZ_TMPDIR").map(PathBuf::from);
    let limit = Duration::from_secs(10);
    let started = Instant::now();
    // A new seed every run (FUZZ_SEED repeats one): the default runner is deterministic.
    let seed: u64 = env("FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("fuzz: seed {seed}, {profile} profile, {jobs} threads");
    let builds_left = Arc::new(AtomicUsize::new(builds));
    let next = Arc::new(AtomicU64::new(0));
    // tried, accepted, panics, hangs, failures
    let counts: Arc<[AtomicU64; 5]> = Arc::new(Default::default());
    std::panic::set_hook(Box::new(|_| {}));
    let workers: Vec<_> = (0..jobs)
        .map(|job| {
            let (builds_left, next, counts, tmp) = (
                builds_left.clone(),
                next.clone(),
                counts.clone(),
                tmp.clone(),
            );
            std::thread::spawn(move || {
                let mut seed_bytes = [0u8; 32];
                seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
                seed_bytes[8..16].copy_from_slice(&job.to_le_bytes());
                let rng = proptest::test_runner::TestRng::from_seed(
                    proptest::test_runner::RngAlgorithm::ChaCha,
                    &seed_bytes,
                );
                let mut runner = TestRunner::new_with_rng(Config::default(), rng);
                let strategy = prop::collection::vec(mutation(), 1..5);
                let mut f = Arc::new(Folder::new_in(tmp.as_deref()));
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= inputs || started.elapsed() >= Duration::from_secs(seconds) {
                        break;
                    }
                    let m = strategy.new_tree(&mut runner).unwrap().current();
                    let (tx, rx) = std::sync::mpsc::channel();
                    let (f2, b2, m2) = (f.clone(), builds_left.clone(), m.clone());
                    std::thread::spawn(move || {
                        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            run_case(&f2, &m2, &b2)
                        }));
                        let _ = tx.send(r);
                    });
                    let slot = match rx.recv_timeout(limit) {
                        Ok(Ok(Ok(ok))) => ok as usize,
                        Ok(Ok(Err(e))) => {
                            eprintln!("FAILURE {m:?}\n{e}");
                            4
                        }
                        Ok(Err(_)) => {
                            eprintln!("PANIC {m:?}");
                            2
                        }
                        Err(_) => {
                            eprintln!("HANG {m:?}");
                            // The stuck thread keeps its folder; go on with a new one.
                            f = Arc::new(Folder::new_in(tmp.as_deref()));
                            3
                        }
                    };
                    if slot > 0 {
                        counts[slot].fetch_add(1, Ordering::Relaxed);
                    }
                    let tried = counts[0].fetch_add(1, Ordering::Relaxed) + 1;
                    if tried % 50_000 == 0 {
                        println!(
                            "fuzz: {tried} inputs, {} accepted, {:.0} s",
                            counts[1].load(Ordering::Relaxed),
                            started.elapsed().as_secs_f64()
                        );
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let _ = std::panic::take_hook();
    let c: Vec<u64> = counts.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz: {} inputs tried, {} accepted by check, {} built, {} panics, {} hangs, {} failures, {secs:.0} s ({:.0} inputs/s), seed {seed}, {profile} profile, {jobs} threads",
        c[0],
        c[1],
        builds - builds_left.load(Ordering::Relaxed),
        c[2],
        c[3],
        c[4],
        c[0] as f64 / secs
    );
    assert_eq!((c[2], c[3], c[4]), (0, 0, 0));
}
