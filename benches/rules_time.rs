//! The rules over all delivered texts of one event, in process: example-event's own texts
//! and every mail, SMS, post and card text bxland generates for it (its theme's strings too;
//! as shipped they are checked by the test suite instead, see `GeneratedText::checked_ahead`),
//! read afresh each time: the per-process memo of generated texts is emptied before every run,
//! as a new `bxland check` process starts with it empty. Prints the median, p10 and p90 of 301
//! warm runs of every rule (`rules::check`) and of the text rules alone, the first run of the
//! process apart (it builds the lexicons), and as the baseline in the same run the parse of the
//! same `event.toml` (`event::load`). Target (issue 20): the rules over all delivered texts of
//! one event under 1 ms.
//!
//! `cargo bench --bench rules_time`.

use std::path::Path;
use std::time::Instant;

use bxland::render::ThemeCache;
use bxland::rules::{self, Ctx};
use bxland::webinar::Webinar;

const RUNS: usize = 301;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p / 100.0).round() as usize]
}

fn summary(name: &str, mut ms: Vec<f64>) -> f64 {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = percentile(&ms, 50.0);
    println!(
        "{name:<44} median {median:.3} ms, p10 {:.3} ms, p90 {:.3} ms",
        percentile(&ms, 10.0),
        percentile(&ms, 90.0)
    );
    median
}

fn main() {
    // `cargo test --benches` runs this with no `--bench`: skip the timing then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("rules_time: run with `cargo bench --bench rules_time`");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let themes = ThemeCache::new();
    let event = bxland::event::load(&dir).expect("example-event loads");
    let webinar = Webinar::from_event(&event).ok();
    let (texts, delivered) = bxland::check::delivered(&themes, &event, webinar.as_ref());
    let (mut all, mut text, mut parse) = (Vec::new(), Vec::new(), Vec::new());
    let mut count = 0;
    let mut first = 0.0;
    for run in 0..RUNS + 10 {
        rules::memo::forget();
        let t = Instant::now();
        let mut ctx = Ctx::new(&event, today, &texts);
        ctx.delivered = delivered.clone();
        let found = rules::check(&ctx);
        let whole = t.elapsed().as_secs_f64() * 1000.0;
        count = ctx.texts.len();
        if run == 0 {
            first = whole;
        }
        assert!(
            found.iter().all(|d| d.rule.starts_with("program.")),
            "{found:?}"
        );

        // The text rules alone: each text-family rule over every text, annotation included.
        rules::memo::forget();
        let t = Instant::now();
        let ctx = Ctx::new(&event, today, &texts);
        let pieces = rules::PieceCtx { date_known: true };
        let mut n = 0;
        for rule in rules::all()
            .iter()
            .filter(|r| r.id.starts_with("text.") || r.id == "form.third-party")
        {
            if let Some(each) = rule.each_text {
                for piece in ctx.texts.iter().filter(|p| !p.checked_ahead) {
                    n += each(&pieces, piece).len();
                }
            }
        }
        let text_ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(n, 0);

        let t = Instant::now();
        let again = bxland::event::load(&dir).expect("loads");
        let parse_ms = t.elapsed().as_secs_f64() * 1000.0;
        drop(again);
        if run >= 10 {
            all.push(whole);
            text.push(text_ms);
            parse.push(parse_ms);
        }
    }
    println!("rules_time: example-event, {count} texts, {RUNS} runs after 10 warm-up runs");
    let all = summary("every rule over all delivered texts", all);
    let text = summary("the text rules (text.*, form.third-party)", text);
    let parse = summary("baseline: event::load of the same event", parse);
    println!(
        "{:<44} {first:.3} ms (builds the lexicons and the rule tables once)",
        "the first run of the process"
    );
    println!(
        "every rule = {:.1}x the parse, text rules = {:.1}x the parse; target: every rule under 1 ms: {}",
        all / parse,
        text / parse,
        if all < 1.0 { "met" } else { "MISSED" }
    );
}
