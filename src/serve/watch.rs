//! Watching the event folder and its theme, and rebuilding.
//!
//! notify-debouncer-full folds the bursts editors make (vim and JetBrains save by writing a
//! copy and renaming it, VS Code truncates then writes) with a short timeout; the builder
//! thread then drains whatever else arrived, rebuilds once, and publishes. A failed build
//! waits a moment for the rest of a multi-step save before it shows its diagnostics. Folders
//! that vanish and come back (the event folder deleted and re-created) are watched again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::event::load::AGENCY_FILE;
use crate::i18n::{say, Lang};

use super::state::{relevant, Builder, Built, Outcome, Shared, Signal, Summary, WatchSet};

/// How long a failed build waits for more of the same save before showing diagnostics.
const SETTLE: Duration = Duration::from_millis(40);

enum Msg {
    Changed(Vec<PathBuf>),
    Error(String),
}

/// The running watcher; [`Watcher::stop`] ends it.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Prints what a build did to the terminal.
fn report(
    summary: &Summary,
    terminal: &[String],
    millis: u128,
    signal: Option<&Signal>,
    lang: Lang,
) {
    let now = chrono::Local::now().format("%H:%M:%S");
    if summary.errors.is_empty() {
        for d in terminal {
            println!("{d}\n");
        }
        let what = match signal {
            Some(Signal::Page { .. }) => say(lang, "страница обновлена", "page updated"),
            Some(Signal::Reload { .. }) => say(lang, "страница перезагружена", "page reloaded"),
            Some(Signal::Css { .. }) => say(lang, "обновлены стили", "stylesheet swapped"),
            Some(Signal::Overlay { .. }) => say(lang, "ошибки исправлены", "errors fixed"),
            None => say(lang, "без изменений", "no change"),
        };
        println!(
            "[{now}] {} ({millis} {}): {what}; {}: {}",
            say(lang, "собрано", "built"),
            say(lang, "мс", "ms"),
            say(lang, "предупреждений", "warnings"),
            summary.warnings,
        );
        return;
    }
    if signal.is_none() {
        return; // the same diagnostics as last time
    }
    for d in terminal {
        println!("{d}\n");
    }
    // Failures that are not rule diagnostics (theme, template) have no rendering of their own.
    for e in &summary.errors {
        let tag = format!("[{}]", e.rule);
        if !terminal.iter().any(|t| t.contains(&tag)) {
            println!("error{tag}: {}\n", e.message);
        }
    }
    let n = summary.errors.len();
    println!(
        "[{now}] {}",
        say(
            lang,
            &format!("событие не проходит проверку — ошибок: {n}; в браузере остаётся последняя удачная версия с перечнем ошибок"),
            &format!("the event does not pass the check — {n} errors; the browser keeps the last good version with the list of errors"),
        )
    );
}

/// Publishes a build and prints it; returns what to watch next.
fn publish(built: Built, shared: &Shared, lang: Lang) -> WatchSet {
    let Built {
        outcome,
        terminal,
        watch,
        millis,
    } = built;
    let summary = outcome.summary();
    let signal = shared.publish(outcome);
    report(&summary, &terminal, millis, signal.as_ref(), lang);
    watch
}

/// Starts watching and building. The first build is published before this returns, so the
/// server has something to serve from its first request.
pub fn start(
    mut builder: Builder,
    shared: Arc<Shared>,
    debounce: Duration,
) -> Result<Watcher, String> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let debounce = debounce.max(Duration::from_millis(4));
    let tick = (debounce / 4).max(Duration::from_millis(1));
    let handler_tx = tx.clone();
    let mut debouncer = new_debouncer(debounce, Some(tick), move |res: DebounceEventResult| {
        let msg = match res {
            Ok(events) => {
                let paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| match e.kind {
                        EventKind::Access(notify::event::AccessKind::Close(
                            notify::event::AccessMode::Write,
                        )) => true,
                        EventKind::Access(_) => false,
                        _ => true,
                    })
                    .flat_map(|e| e.paths.iter().cloned())
                    .collect();
                if paths.is_empty() {
                    return;
                }
                Msg::Changed(paths)
            }
            Err(errors) => Msg::Error(
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = handler_tx.send(msg);
    })
    .map_err(|e| e.to_string())?;

    let lang = builder.lang;
    let dir = builder.dir.clone();
    let mut watched = Watched::default();
    let first_set = WatchSet {
        recursive: vec![dir.clone()],
        ..WatchSet::default()
    };
    watched.sync(&mut debouncer, &first_set, &dir);
    let built = builder.build();
    watched.sync(&mut debouncer, &built.watch, &dir);
    let mut set = publish(built, &shared, lang);

    let stop = Arc::new(AtomicBool::new(false));
    let stop_c = stop.clone();
    let thread = std::thread::Builder::new()
        .name("bxland-serve-builder".into())
        .spawn(move || {
            // The debouncer lives (and stops) with this thread.
            let mut debouncer = debouncer;
            while !stop_c.load(Ordering::SeqCst) {
                let first = match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(m) => m,
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                };
                let mut changed: Vec<PathBuf> = Vec::new();
                let take = |m: Msg, changed: &mut Vec<PathBuf>| match m {
                    Msg::Changed(p) => changed.extend(p),
                    Msg::Error(e) => {
                        eprintln!(
                            "bxland serve: {}: {e}",
                            say(lang, "наблюдение за файлами", "file watching")
                        );
                        // A lost event: rebuild to be safe.
                        changed.push(dir.clone());
                    }
                };
                take(first, &mut changed);
                while let Ok(m) = rx.try_recv() {
                    take(m, &mut changed);
                }
                changed.retain(|p| concerns(p, &dir, &set) && relevant(p));
                if changed.is_empty() {
                    continue;
                }
                if changed.iter().any(|p| p == &dir || !watched.alive()) {
                    watched.rewatch_dir(&mut debouncer, &dir);
                }
                builder.invalidate(&changed);
                let mut built = builder.build();
                // A save in several steps may have been caught half-way: give it a moment.
                let mut tries = 0;
                while matches!(built.outcome, Outcome::Bad { .. }) && tries < 3 {
                    let deadline = Instant::now() + SETTLE;
                    let mut more = Vec::new();
                    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                        match rx.recv_timeout(left) {
                            Ok(m) => take(m, &mut more),
                            Err(_) => break,
                        }
                    }
                    more.retain(|p| concerns(p, &dir, &set) && relevant(p));
                    if more.is_empty() {
                        break;
                    }
                    builder.invalidate(&more);
                    built = builder.build();
                    tries += 1;
                }
                watched.sync(&mut debouncer, &built.watch, &dir);
                set = publish(built, &shared, lang);
            }
            debouncer.stop_nonblocking();
        })
        .map_err(|e| e.to_string())?;
    Ok(Watcher {
        stop,
        thread: Some(thread),
    })
}

/// Whether a changed path is one this event depends on.
fn concerns(path: &Path, dir: &Path, set: &WatchSet) -> bool {
    path.starts_with(dir)
        || set.theme_dir.as_ref().is_some_and(|t| path.starts_with(t))
        || set.files.iter().any(|f| f == path)
        || path.file_name().is_some_and(|n| n == AGENCY_FILE)
        || dir.starts_with(path)
}

/// The folders currently watched.
#[derive(Default)]
struct Watched {
    recursive: BTreeSet<PathBuf>,
    flat: BTreeSet<PathBuf>,
    dir_alive: bool,
}

impl Watched {
    fn alive(&self) -> bool {
        self.dir_alive
    }

    fn sync<W, C>(
        &mut self,
        debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
        want: &WatchSet,
        dir: &Path,
    ) where
        W: notify::Watcher,
        C: notify_debouncer_full::FileIdCache,
    {
        let mut rec: BTreeSet<PathBuf> = want.recursive.iter().cloned().collect();
        rec.insert(dir.to_path_buf());
        if let Some(t) = &want.theme_dir {
            if !t.starts_with(dir) {
                rec.insert(t.clone());
            }
        }
        let mut flat: BTreeSet<PathBuf> = want.flat.iter().cloned().collect();
        // The folder above the event: catches the event folder re-created and a new
        // agency.toml.
        if let Some(parent) = dir.parent() {
            flat.insert(parent.to_path_buf());
        }
        flat.retain(|p| !rec.iter().any(|r| p.starts_with(r)));
        for gone in self.recursive.difference(&rec).cloned().collect::<Vec<_>>() {
            let _ = debouncer.unwatch(&gone);
            self.recursive.remove(&gone);
        }
        for gone in self.flat.difference(&flat).cloned().collect::<Vec<_>>() {
            let _ = debouncer.unwatch(&gone);
            self.flat.remove(&gone);
        }
        for p in rec {
            if !self.recursive.contains(&p)
                && p.is_dir()
                && debouncer.watch(&p, RecursiveMode::Recursive).is_ok()
            {
                self.recursive.insert(p);
            }
        }
        for p in flat {
            if !self.flat.contains(&p)
                && p.is_dir()
                && debouncer.watch(&p, RecursiveMode::NonRecursive).is_ok()
            {
                self.flat.insert(p);
            }
        }
        self.dir_alive = self.recursive.contains(dir);
    }

    /// Watches the event folder afresh (after it was removed and created again).
    fn rewatch_dir<W, C>(
        &mut self,
        debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
        dir: &Path,
    ) where
        W: notify::Watcher,
        C: notify_debouncer_full::FileIdCache,
    {
        let _ = debouncer.unwatch(dir);
        self.recursive.remove(dir);
        self.dir_alive = dir.is_dir() && debouncer.watch(dir, RecursiveMode::Recursive).is_ok();
        if self.dir_alive {
            self.recursive.insert(dir.to_path_buf());
        }
    }
}
