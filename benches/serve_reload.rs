//! How long from writing `event.toml` to the browser's reload message: `bxland serve` on a
//! copy of the example event, 50 saves in place and 50 saves by rename (as vim and
//! JetBrains do), each timed from just before the write to the `reload` event on the
//! Server-Sent Events stream. Prints the median and the 95th percentile (target: p95 under
//! 100 ms on the 2-core machine).
//!
//! `cargo bench --bench serve_reload` (or `benches/serve_reload.sh`).

#[path = "../tests/fixtures/serve/support.rs"]
mod support;

use std::time::{Duration, Instant};

use support::*;

const SAVES: usize = 50;
const TITLE: &str = "Битрикс24 для отдела продаж: от заявки до сделки";

fn series(
    name: &str,
    server: &Server,
    sse: &Sse,
    toml: &std::path::Path,
    by_rename: bool,
) -> (f64, f64) {
    let original = std::fs::read_to_string(toml).unwrap();
    let mut times = Vec::with_capacity(SAVES);
    for i in 0..SAVES {
        let text = original.replace(TITLE, &format!("{TITLE} — {name} {i}"));
        // Let the previous save settle so that every save is timed alone.
        std::thread::sleep(Duration::from_millis(150));
        sse.drain(Duration::from_millis(1));
        let start = Instant::now();
        if by_rename {
            let tmp = toml.with_file_name("event.toml.bxtmp");
            std::fs::write(&tmp, &text).unwrap();
            std::fs::rename(&tmp, toml).unwrap();
        } else {
            std::fs::write(toml, &text).unwrap();
        }
        let ev = sse.wait_for("page", Duration::from_secs(10));
        times.push(ev.at.duration_since(start).as_secs_f64() * 1000.0);
    }
    // The last save is what is served.
    let html = server.get("/").text();
    assert!(html.contains(&format!("{TITLE} — {name} {}", SAVES - 1)));
    std::fs::write(toml, &original).unwrap();
    sse.wait_for("page", Duration::from_secs(10));
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = percentile(&times, 50.0);
    let p95 = percentile(&times, 95.0);
    println!(
        "serve_reload/{name}: {SAVES} saves: median {median:.1} ms, p95 {p95:.1} ms, min {:.1} ms, max {:.1} ms {}",
        times[0],
        times[times.len() - 1],
        if p95 < 100.0 { "(target p95 < 100 ms: met)" } else { "(target p95 < 100 ms: MISSED)" }
    );
    (median, p95)
}

fn main() {
    // `cargo test --benches` runs this with no `--bench`: skip the timing then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("serve_reload: run with `cargo bench --bench serve_reload`");
        return;
    }
    let (_tmp, dir) = example_copy();
    let toml = dir.join("event.toml");
    let server = Server::start(&dir, &[]);
    let sse = Sse::connect(server.addr, Duration::from_secs(10));
    // One warm-up save (first-touch costs: page cache, allocator).
    edit(&toml, TITLE, &format!("{TITLE} — warm-up"));
    sse.wait_for("page", Duration::from_secs(10));
    edit(&toml, &format!("{TITLE} — warm-up"), TITLE);
    sse.wait_for("page", Duration::from_secs(10));

    series("in-place", &server, &sse, &toml, false);
    series("rename", &server, &sse, &toml, true);
}
