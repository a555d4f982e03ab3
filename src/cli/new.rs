//! `bxland new DIR`: a fresh event folder from the example, dated a month ahead, that passes
//! `check` (with the reminder to approve the program).

use std::path::PathBuf;

use chrono::{Duration, NaiveDate};

use super::{say, today};
use crate::i18n::Lang;

/// The example event, compiled in so that `new` works from any folder.
const FILES: &[(&str, &[u8])] = &[
    (
        "event.toml",
        include_bytes!("../../example-event/event.toml"),
    ),
    (
        "assets/logo.svg",
        include_bytes!("../../example-event/assets/logo.svg"),
    ),
    (
        "assets/bitrix24.svg",
        include_bytes!("../../example-event/assets/bitrix24.svg"),
    ),
];

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to create (must not exist or be empty).
    pub dir: PathBuf,
    /// Date the new event is planned relative to (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub today: Option<NaiveDate>,
}

pub fn run(args: Args, lang: Lang) -> i32 {
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!(
            "{}",
            say(
                lang,
                &format!("error: папка {} уже существует и не пуста\nhelp: укажите новую папку: bxland new events/мой-вебинар", dir.display()),
                &format!("error: {} already exists and is not empty\nhelp: name a new folder: bxland new events/my-webinar", dir.display()),
            )
        );
        return 2;
    }
    let date = today(args.today) + Duration::days(35);
    let files: Vec<(&str, Vec<u8>)> = FILES
        .iter()
        .map(|(name, bytes)| {
            let bytes = if *name == "event.toml" {
                with_date(
                    std::str::from_utf8(bytes).unwrap_or_default(),
                    date,
                    &slug_for(dir, date),
                )
                .into_bytes()
            } else {
                bytes.to_vec()
            };
            (*name, bytes)
        })
        .collect();
    match crate::export::write_tree_atomic(dir, &files) {
        Ok(()) => {
            println!(
                "{}",
                say(
                    lang,
                    &format!("создана папка события {}: отредактируйте event.toml и проверьте: bxland check {}", dir.display(), dir.display()),
                    &format!("created {}: edit event.toml, then run: bxland check {}", dir.display(), dir.display()),
                )
            );
            0
        }
        Err(e) => {
            eprintln!("error: {}: {e}", dir.display());
            2
        }
    }
}

/// The new event's page address: from the folder's name and the month, never from the
/// title, so that editing the title later does not move the published page (Bitrix24 would
/// get a second page under the new address).
fn slug_for(dir: &std::path::Path, date: NaiveDate) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = crate::event::slug::default_slug(&name, Some(date));
    if slug.trim_matches('-').is_empty() {
        crate::event::slug::default_slug("webinar", Some(date))
    } else {
        slug
    }
}

/// The example's `date = ...` line set to `date`, and its slug replaced by the new event's
/// own, written out explicitly.
fn with_date(toml_text: &str, date: NaiveDate, slug: &str) -> String {
    toml_text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("date =") {
                format!("date = {}", date.format("%Y-%m-%d"))
            } else if l.trim_start().starts_with("slug =") {
                format!("slug = \"{slug}\"  # адрес страницы: не меняйте после публикации")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
