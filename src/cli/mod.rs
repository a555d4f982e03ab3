//! The command line: thin commands over the library (as mdBook's `src/cmd/*`).

mod approve;
mod build;
mod check;
mod new;
mod publish;
mod rules;
mod serve;
mod summary;

use std::io::IsTerminal;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::i18n::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "bxland",
    version,
    about = "Compliant webinar landing pages for 1C-Bitrix partners"
)]
pub struct Cli {
    /// Language of diagnostics and notes (ru by default).
    #[arg(
        long,
        global = true,
        value_enum,
        env = "BXLAND_LANG",
        default_value = "ru"
    )]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check event folders against the program rules.
    Check(check::Args),
    /// Print the rulebook: id, severity, what is checked and why.
    Rules,
    /// Create a new event folder from the example.
    New(new::Args),
    /// Record the coordinator-approved program in program.lock.
    Approve(approve::Args),
    /// Check events and write their outputs (landing page, exports).
    Build(build::Args),
    /// Publish an event to a portal (Bitrix24.Sites through an incoming webhook).
    Publish(publish::Args),
    /// Preview one event in the browser, rebuilt and reloaded on every save.
    Serve(serve::Args),
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let lang = cli.lang;
    match cli.command {
        Command::Check(args) => check::run(args, lang),
        Command::Rules => rules::run(lang),
        Command::New(args) => new::run(args, lang),
        Command::Approve(args) => approve::run(args, lang),
        Command::Build(args) => build::run(args, lang),
        Command::Publish(args) => publish::run(args, lang),
        Command::Serve(args) => serve::run(args, lang),
    }
}

/// `--today`, or the calendar date now.
pub fn today(arg: Option<NaiveDate>) -> NaiveDate {
    arg.unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub fn color_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub fn color_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub use crate::i18n::say;
