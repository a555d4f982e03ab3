//! `bxland serve EVENT_DIR [--port N] [--open] [--bind ADDR] [--today YYYY-MM-DD]`

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;

use super::color_stdout;
use crate::i18n::Lang;
use crate::serve::{run as serve, ServeOptions};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The event folder.
    pub dir: PathBuf,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Address to listen on. Anything but a loopback address makes the preview reachable
    /// from other machines (a warning is printed).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Fixes "today" for the date rules (YYYY-MM-DD).
    #[arg(long)]
    pub today: Option<NaiveDate>,
    /// Quiet time after a file change before rebuilding, in milliseconds. Short: a save caught
    /// half-way fails its check, and a failed build waits for the rest of the save (`SETTLE`
    /// in `serve::watch`) before it shows anything.
    #[arg(long, default_value_t = 8, hide = true)]
    pub debounce_ms: u64,
}

pub fn run(args: Args, lang: Lang) -> i32 {
    serve(ServeOptions {
        dir: args.dir,
        bind: args.bind,
        port: args.port,
        open: args.open,
        today: args.today,
        lang,
        debounce: Duration::from_millis(args.debounce_ms),
        color: color_stdout(),
    })
}
