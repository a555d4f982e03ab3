//! `bxland build EVENT_DIR... [--out DIR] [--target html,site-management,bitrix24] [--today]
//! [--format human|json] [--no-cache]`
//!
//! Events are built in parallel (rayon) with one theme cache for the run; one failing event
//! does not stop the others. A terminal shows a progress bar, then every diagnostic and a
//! summary table; `--format json` prints one document instead.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;

use super::summary::{self, Done, Output, Row, Status};
use super::{color_stdout, say, today, Format};
use crate::build::{build_event, BuildOptions, BuildReport, Outcome, Target};
use crate::check::expand_dirs;
use crate::diag::Severity;
use crate::i18n::Lang;
use crate::render::ThemeCache;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event folders, or folders of event folders.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "dist")]
    pub out: PathBuf,
    /// Targets to build, comma-separated (default: every available one).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub target: Vec<Target>,
    /// Fixes "today" for the date rules (YYYY-MM-DD).
    #[arg(long)]
    pub today: Option<NaiveDate>,
    /// The public address of the page (for Open Graph, JSON-LD and the calendar file).
    #[arg(long)]
    pub base_url: Option<String>,
    /// `json`: one document with every event's status, outputs and diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Render every card anew, without reading or writing the card cache
    /// ($BXLAND_CACHE_DIR, else $XDG_CACHE_HOME/bxland, else ~/.cache/bxland).
    #[arg(long)]
    pub no_cache: bool,
}

pub fn run(args: Args, lang: Lang) -> i32 {
    crate::comms::card_cache::enable_default(!args.no_cache);
    let opts = BuildOptions {
        out: args.out,
        targets: if args.target.is_empty() {
            Target::defaults()
        } else {
            let mut t = args.target.clone();
            t.dedup();
            t
        },
        today: today(args.today),
        lang,
        base_url: args.base_url,
        themes: Arc::new(ThemeCache::new()),
    };
    let started = Instant::now();
    if let Err(e) = crate::build::sweep_output(&opts.out) {
        let d = opts.out.display();
        eprintln!(
            "{}",
            say(
                lang,
                &format!("{d}: не удалось убрать остатки прерванной сборки: {e}"),
                &format!("{d}: cannot remove what an interrupted build left: {e}")
            )
        );
    }
    let dirs = expand_dirs(&args.dirs);
    let bar = summary::progress(dirs.len(), lang);
    let color = color_stdout();
    let single = dirs.len() == 1;
    summary::run_in_order(&dirs, lang, started, bar, |d| {
        let r = build_event(d, &opts);
        Done {
            row: row(&r),
            code: r.exit_code(),
            out: match args.format {
                Format::Json => Output::json(&json(&r, &opts, lang)),
                Format::Human => Output::Human(human(&r, lang, color, single)),
            },
        }
    })
}

fn status(r: &BuildReport) -> Status {
    match r.outcome {
        Outcome::Built(_) => Status::Built,
        Outcome::Refused => Status::Refused,
        Outcome::LoadFailed => Status::Unreadable,
        Outcome::Failed(_) => Status::Failed,
    }
}

fn row(r: &BuildReport) -> Row {
    Row {
        event: r.check.dir.display().to_string(),
        status: status(r),
        errors: r.check.count(Severity::Error),
        warnings: r.check.count(Severity::Warning),
        outputs: Some(match &r.outcome {
            Outcome::Built(dir) => format!("{} → {}", r.files.len(), dir.display()),
            _ => "—".into(),
        }),
    }
}

/// One event of `build --format json`.
fn json(r: &BuildReport, opts: &BuildOptions, lang: Lang) -> serde_json::Value {
    let check = r.check.json(lang);
    let (dir, message) = match &r.outcome {
        Outcome::Built(dir) => (Some(dir.display().to_string()), None),
        Outcome::Failed(e) => (None, Some(e.get(lang).to_string())),
        _ => (None, None),
    };
    serde_json::json!({
        "path": check.path,
        "slug": r.slug,
        "status": status(r).id(),
        "errors": r.check.count(Severity::Error),
        "warnings": r.check.count(Severity::Warning),
        "out": dir,
        "outputs": r.files,
        "targets": opts.targets.iter().map(|t| t.name()).collect::<Vec<_>>(),
        "message": message,
        "notes": r.notes.iter().map(|n| n.get(lang).to_string()).collect::<Vec<_>>(),
        "diagnostics": check.diagnostics,
    })
}

/// The diagnostics, notes and closing line of one event.
fn human(r: &BuildReport, lang: Lang, color: bool, single: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    {
        for d in &r.check.diagnostics {
            let _ = writeln!(s, "{}\n", d.render(&r.check.sources, lang, color));
        }
        for n in &r.notes {
            let _ = writeln!(s, "{}: {}", say(lang, "примечание", "note"), n.get(lang));
        }
        let path = r.check.dir.display();
        let errors = r.check.count(Severity::Error);
        let warnings = r.check.count(Severity::Warning);
        let line = match &r.outcome {
            Outcome::Built(dir) => {
                let dir = dir.display();
                say(
                    lang,
                    &format!("{path}: собрано в {dir} (предупреждений: {warnings})"),
                    &format!("{path}: built into {dir} ({warnings} warnings)"),
                )
            }
            Outcome::Refused => say(
                lang,
                &format!("{path}: отклонено — ошибок: {errors}, предупреждений: {warnings}; ничего не записано, прежние файлы не тронуты"),
                &format!("{path}: refused — {errors} errors, {warnings} warnings; nothing written, previous outputs left as they were"),
            ),
            Outcome::LoadFailed => say(
                lang,
                &format!("{path}: не удалось прочитать событие"),
                &format!("{path}: the event could not be read"),
            ),
            Outcome::Failed(e) => say(
                lang,
                &format!("{path}: сборка не удалась: {}", e.ru),
                &format!("{path}: build failed: {}", e.en),
            ),
        };
        let _ = writeln!(s, "{line}");
        if let (Outcome::Built(dir), Some(slug)) = (&r.outcome, &r.slug) {
            s.push_str(&install_note(dir, slug, lang, single));
        }
    }
    s
}

/// How to install the Site Management export: the whole README.txt for a single event (the
/// same text as in the archive's folder), the one line for «Командная PHP-строка» in a batch.
fn install_note(dir: &std::path::Path, slug: &str, lang: Lang, single: bool) -> String {
    let readme = dir.join("site-management/README.txt");
    if !readme.is_file() {
        return String::new();
    }
    if single {
        if let Ok(text) = std::fs::read_to_string(&readme) {
            return format!("\n{text}");
        }
    }
    let line = crate::export::site_management::install_line(slug);
    say(
        lang,
        &format!("  «Управление сайтом»: загрузите шаблон и выполните в «Командной PHP-строке»: {line}\n"),
        &format!("  Site Management: upload the template, then run in «Командная PHP-строка»: {line}\n"),
    )
}
