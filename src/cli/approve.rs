//! `bxland approve EVENT_DIR`: records the program the coordinator approved in program.lock.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{color_stderr, say, today};
use crate::event::lock;
use crate::i18n::Lang;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub dir: PathBuf,
    /// The approval date (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub today: Option<NaiveDate>,
}

pub fn run(args: Args, lang: Lang) -> i32 {
    let event = match crate::event::load(&args.dir) {
        Ok(event) => event,
        Err(failure) => {
            for d in &failure.diagnostics {
                eprintln!("{}\n", d.render(&failure.sources, lang, color_stderr()));
            }
            return 2;
        }
    };
    if event.file.program.is_empty() {
        eprintln!(
            "{}",
            say(
                lang,
                "error: в событии нет программы — согласовывать нечего",
                "error: the event has no program to approve"
            )
        );
        return 1;
    }
    let date = today(args.today);
    let lock = lock::lock_for(&event, date);
    let path = event.dir.join(lock::LOCK_FILE);
    if let Err(e) = crate::export::write_file_atomic(&path, lock::render(&lock).as_bytes()) {
        eprintln!("error: {}: {e}", path.display());
        return 2;
    }
    let n = lock.items.len();
    println!(
        "{}",
        say(
            lang,
            &format!(
                "программа из {n} пунктов записана в {} как согласованная {date}",
                path.display()
            ),
            &format!(
                "the program of {n} items is recorded in {} as approved on {date}",
                path.display()
            ),
        )
    );
    0
}
