//! `bxland check EVENT_DIR... [--format human|json] [--today YYYY-MM-DD] [--fix]`
//!
//! Events are checked in parallel (rayon); a terminal shows a progress bar, then every
//! diagnostic and a summary table.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;

use super::summary::{self, Done, Output, Row, Status};
use super::{color_stdout, say, today, Format};
use crate::check::{check_dir, exit_code, expand_dirs, Report};
use crate::diag::Severity;
use crate::i18n::Lang;
use crate::render::ThemeCache;
use crate::rules::text::fix_pronouns;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event folders, or folders of event folders.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fixes "today" for the date rules (YYYY-MM-DD).
    #[arg(long)]
    pub today: Option<NaiveDate>,
    /// Rewrite capitalised «Вы/Ваш» in event.toml in place.
    #[arg(long)]
    pub fix: bool,
}

pub fn run(args: Args, lang: Lang) -> i32 {
    let started = Instant::now();
    let today = today(args.today);
    let dirs = expand_dirs(&args.dirs);
    let bar = summary::progress(dirs.len(), lang);
    let color = color_stdout();
    let themes = ThemeCache::new();
    summary::run_in_order(&dirs, lang, started, bar, |dir: &PathBuf| {
        let mut r = check_dir(dir, today, &themes);
        if args.fix {
            r = apply_fix(r, today, lang);
        }
        Done {
            row: row(&r),
            code: exit_code(std::slice::from_ref(&r)),
            out: match args.format {
                Format::Json => Output::json(&json(&r, lang)),
                Format::Human => Output::Human(human(&r, lang, color)),
            },
        }
    })
}

fn status(r: &Report) -> Status {
    if r.load_failed() {
        Status::Unreadable
    } else if r.ok() {
        Status::Ok
    } else {
        Status::Refused
    }
}

fn row(r: &Report) -> Row {
    Row {
        event: r.dir.display().to_string(),
        status: status(r),
        errors: r.count(Severity::Error),
        warnings: r.count(Severity::Warning),
        outputs: None,
    }
}

/// One event of `check --format json`: `path`, `ok`, `diagnostics`, then `status`, `errors`
/// and `warnings` as in `build --format json`.
fn json(r: &Report, lang: Lang) -> serde_json::Value {
    let mut v = serde_json::to_value(r.json(lang)).unwrap_or_default();
    v["status"] = serde_json::json!(status(r).id());
    v["errors"] = serde_json::json!(r.count(Severity::Error));
    v["warnings"] = serde_json::json!(r.count(Severity::Warning));
    v
}

/// Rewrites the pronouns of one event and checks it again.
fn apply_fix(report: Report, today: NaiveDate, lang: Lang) -> Report {
    let Some(event) = &report.event else {
        return report;
    };
    let (text, fixes) = fix_pronouns(event, &report.diagnostics);
    if fixes.is_empty() {
        return report;
    }
    let Some(file) = event.sources.primary() else {
        return report;
    };
    if let Err(e) = crate::export::write_file_atomic(&file.path, text.as_bytes()) {
        eprintln!("{}: {e}", file.path.display());
        return report;
    }
    for f in &fixes {
        let msg = say(lang, "исправлено", "fixed");
        eprintln!(
            "{msg} {}:{}:{}: «{}» → «{}»",
            file.name, f.line, f.column, f.from, f.to
        );
    }
    check_dir(&report.dir, today, &ThemeCache::new())
}

/// The diagnostics and closing line of one event.
fn human(report: &Report, lang: Lang, color: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    {
        for d in &report.diagnostics {
            let _ = writeln!(s, "{}\n", d.render(&report.sources, lang, color));
        }
        let errors = report.count(Severity::Error);
        let warnings = report.count(Severity::Warning);
        let path = report.dir.display();
        let line = if report.load_failed() {
            say(
                lang,
                &format!("{path}: не удалось прочитать событие"),
                &format!("{path}: the event could not be read"),
            )
        } else if errors > 0 {
            say(
                lang,
                &format!("{path}: отклонено — ошибок: {errors}, предупреждений: {warnings}; экспорт невозможен"),
                &format!("{path}: refused — {errors} errors, {warnings} warnings; nothing will be exported"),
            )
        } else {
            say(
                lang,
                &format!("{path}: соответствует правилам (предупреждений: {warnings})"),
                &format!("{path}: complies with the rules ({warnings} warnings)"),
            )
        };
        let _ = writeln!(s, "{line}");
    }
    s
}
