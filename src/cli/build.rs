//! `bxland build EVENT_DIR... [--out DIR] [--target html,site-management,bitrix24] [--today]`

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::{color_stdout, say, today};
use crate::build::{build_event, exit_code, BuildOptions, BuildReport, Outcome, Target};
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
}

pub fn run(args: Args, lang: Lang) -> i32 {
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
    let dirs = expand_dirs(&args.dirs);
    let reports: Vec<BuildReport> = dirs.par_iter().map(|d| build_event(d, &opts)).collect();
    print_human(&reports, lang);
    exit_code(&reports)
}

fn print_human(reports: &[BuildReport], lang: Lang) {
    let color = color_stdout();
    for r in reports {
        for d in &r.check.diagnostics {
            println!("{}", d.render(&r.check.sources, lang, color));
            println!();
        }
        for n in &r.notes {
            println!("{}: {}", say(lang, "примечание", "note"), n.get(lang));
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
        println!("{line}");
    }
}
