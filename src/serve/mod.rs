//! `bxland serve`: the preview of one event, rebuilt in memory on every save and reloaded in
//! the browser.
//!
//! - [`watch`] watches the event folder and its theme and rebuilds ([`state::Builder`]);
//! - [`state::Shared`] holds the last good page and the current diagnostics, and tells the
//!   browsers what changed;
//! - [`server`] serves the page (decorated by [`overlay`]), its assets from memory, the
//!   live-reload stream and the preview form ([`form`]).

pub mod form;
pub mod overlay;
pub mod server;
pub mod state;
pub mod watch;

use std::future::IntoFuture;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::watch as tokio_watch;

use crate::i18n::{say, Lang};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub dir: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port (the address is printed).
    pub port: u16,
    pub open: bool,
    /// "Today" for the date rules; the calendar date now when `None`.
    pub today: Option<NaiveDate>,
    pub lang: Lang,
    /// The quiet time after a file-system event before rebuilding.
    pub debounce: Duration,
    pub color: bool,
}

impl ServeOptions {
    pub fn new(dir: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            dir: dir.into(),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 3000,
            open: false,
            today: None,
            lang: Lang::Ru,
            debounce: Duration::from_millis(8),
            color: false,
        }
    }
}

/// Runs the preview server until Ctrl-C. Returns the exit status: 0 after a clean stop, 2
/// when the folder is missing or the address cannot be bound.
pub fn run(opts: ServeOptions) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bxland serve: {e}");
            return 2;
        }
    };
    runtime.block_on(serve(opts))
}

async fn serve(opts: ServeOptions) -> i32 {
    let lang = opts.lang;
    let dir = match std::fs::canonicalize(&opts.dir) {
        Ok(d) if d.is_dir() => d,
        _ => {
            let d = opts.dir.display();
            eprintln!(
                "{}",
                say(
                    lang,
                    &format!("bxland serve: папка события {d} не найдена"),
                    &format!("bxland serve: event folder {d} not found"),
                )
            );
            return 2;
        }
    };
    if !opts.bind.is_loopback() {
        eprintln!(
            "{}",
            say(
                lang,
                &format!("ВНИМАНИЕ: предпросмотр будет доступен с других компьютеров по адресу {} — включайте это только в доверенной сети", opts.bind),
                &format!("WARNING: the preview will be reachable from other machines at {} — do this only on a trusted network", opts.bind),
            )
        );
    }
    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).await
    {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "{}",
                say(
                    lang,
                    &format!(
                        "bxland serve: не удалось занять {}:{}: {e}",
                        opts.bind, opts.port
                    ),
                    &format!(
                        "bxland serve: cannot listen on {}:{}: {e}",
                        opts.bind, opts.port
                    ),
                )
            );
            return 2;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bxland serve: {e}");
            return 2;
        }
    };

    let shared = Arc::new(state::Shared::new(lang));
    let builder = state::Builder::new(dir.clone(), opts.today, lang, opts.color);
    let watcher = match watch::start(builder, shared.clone(), opts.debounce) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "{}",
                say(
                    lang,
                    &format!("bxland serve: не удалось следить за файлами: {e}"),
                    &format!("bxland serve: cannot watch files: {e}"),
                )
            );
            return 2;
        }
    };

    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    println!(
        "{}",
        say(
            lang,
            &format!(
                "bxland serve: предпросмотр {} на {url} (Ctrl-C — выход)",
                dir.display()
            ),
            &format!(
                "bxland serve: previewing {} at {url} (Ctrl-C to stop)",
                dir.display()
            ),
        )
    );
    if opts.open {
        open_browser(&url, lang);
    }

    let (stop_tx, stop_rx) = tokio_watch::channel(false);
    let app = server::App {
        shared: shared.clone(),
        shutdown: stop_rx.clone(),
        addr,
    };
    let mut stop_wait = stop_rx.clone();
    let server = axum::serve(listener, server::router(app)).with_graceful_shutdown(async move {
        let _ = stop_wait.wait_for(|s| *s).await;
    });
    let mut server = std::pin::pin!(server.into_future());
    let status = tokio::select! {
        r = &mut server => {
            if let Err(e) = r {
                eprintln!("bxland serve: {e}");
            }
            2
        }
        _ = tokio::signal::ctrl_c() => {
            let _ = stop_tx.send(true);
            // Open connections get a moment to finish; then we go regardless.
            let _ = tokio::time::timeout(Duration::from_secs(3), &mut server).await;
            println!("{}", say(lang, "bxland serve: остановлено", "bxland serve: stopped"));
            0
        }
    };
    watcher.stop();
    status
}

fn open_browser(url: &str, lang: Lang) {
    let result = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = result {
        eprintln!(
            "{}",
            say(
                lang,
                &format!("bxland serve: не удалось открыть браузер ({e}); откройте {url} вручную"),
                &format!("bxland serve: cannot open a browser ({e}); open {url} yourself"),
            )
        );
    }
}
