//! `serve` under hostile input (issue 21): it answers only requests whose Host is the address
//! served and refuses form posts from another origin (point 12), and its rebuild survives
//! hostile saves of the event one after another (points 1, 5, 6, 10).

use crate::support::serve as support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use support::*;

/// A raw request with the given Host line; returns the status code.
fn status_with_host(server: &Server, host: &str, method: &str, path: &str, extra: &str) -> u16 {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = "x=1";
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{extra}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn foreign_hosts_and_cross_origin_posts_are_refused() {
    let (_tmp, dir) = example_copy();
    let server = Server::start(&dir, &[]);
    let addr = server.addr.to_string();
    let port = server.addr.port();
    assert_eq!(status_with_host(&server, &addr, "GET", "/", ""), 200);
    assert_eq!(
        status_with_host(
            &server,
            &format!("localhost:{port}"),
            "GET",
            "/__bxland/status",
            ""
        ),
        200
    );
    // DNS rebinding: another name that resolves to 127.0.0.1.
    for host in [
        format!("rebind.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        assert_eq!(
            status_with_host(&server, &host, "GET", "/", ""),
            403,
            "{host}"
        );
        assert_eq!(
            status_with_host(&server, &host, "GET", "/__bxland/status", ""),
            403,
            "{host}"
        );
    }
    // The page's own form posts go through (a redirect); another site's are refused.
    let own = format!("Origin: http://{addr}\r\n");
    assert_eq!(
        status_with_host(&server, &addr, "POST", "/__bxland/register", &own),
        303
    );
    let evil = "Origin: https://evil.example\r\n";
    assert_eq!(
        status_with_host(&server, &addr, "POST", "/__bxland/register", evil),
        403
    );
    let site = "Sec-Fetch-Site: cross-site\r\n";
    assert_eq!(
        status_with_host(&server, &addr, "POST", "/__bxland/register", site),
        403
    );
}

const WAIT: Duration = Duration::from_secs(30);
const TITLE: &str = "Битрикс24 для отдела продаж: от заявки до сделки";

/// Saves as a delete and a create: a FIFO at the path must not be opened for writing (that
/// would wait for a reader).
fn save(path: &std::path::Path, text: &str) {
    let _ = std::fs::remove_file(path);
    std::fs::write(path, text).unwrap();
}

fn mkfifo(path: &std::path::Path) {
    let _ = std::fs::remove_file(path);
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// Issue 21 points 1, 5, 6 and 10 in `serve`: hostile saves one after another (a FIFO as
/// event.toml, a huge `followup_after_days`, a corrupt logo, a diagnostic spanning 5+ lines,
/// control characters in the title). Each time serve stays up, keeps the last good page and
/// shows the overlay with the rule id; the good file brings the page back without an
/// overlay; with a FIFO in place Ctrl-C still ends it.
#[test]
fn serve_survives_hostile_saves() {
    let (_tmp, dir) = example_copy();
    let toml = dir.join("event.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    let mut server = Server::start(&dir, &["--lang", "en"]);
    let sse = Sse::connect(server.addr, WAIT);

    let audience_start = good.find("audience = \"\"\"").unwrap();
    let audience_end = audience_start + good[audience_start + 14..].find("\"\"\"").unwrap() + 17;
    let mut corrupt = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/render/kk-event/assets/dala-logo.png"),
    )
    .unwrap();
    for b in &mut corrupt[60..90] {
        *b = 0;
    }
    std::fs::write(dir.join("assets/corrupt.png"), &corrupt).unwrap();

    type Save = Box<dyn Fn()>;
    let steps: Vec<(&str, Save, &str)> = vec![
        (
            "a FIFO as event.toml",
            Box::new({
                let toml = toml.clone();
                move || mkfifo(&toml)
            }),
            "input.parse",
        ),
        (
            "followup_after_days = i64::MAX",
            Box::new({
                let (toml, good) = (toml.clone(), good.clone());
                move || {
                    save(
                        &toml,
                        &good.replace(
                            "sms = true\n",
                            "sms = true\nfollowup_after_days = 9223372036854775807\n",
                        ),
                    )
                }
            }),
            "mail.followup",
        ),
        (
            "a corrupt logo",
            Box::new({
                let (toml, good) = (toml.clone(), good.clone());
                move || {
                    save(
                        &toml,
                        &good.replace(
                            "logo = \"assets/logo.svg\"",
                            "logo = \"assets/corrupt.png\"",
                        ),
                    )
                }
            }),
            "input.image",
        ),
        (
            "an empty audience over 6 lines",
            Box::new({
                let (toml, good) = (toml.clone(), good.clone());
                move || {
                    save(
                        &toml,
                        &format!(
                            "{}audience = \"\"\"\n\n\n\n\n\n\"\"\"{}",
                            &good[..audience_start],
                            &good[audience_end..]
                        ),
                    )
                }
            }),
            "event.audience",
        ),
        (
            "control characters in the title",
            Box::new({
                let (toml, good) = (toml.clone(), good.clone());
                move || {
                    save(
                        &toml,
                        &good.replace("от заявки до", "от заявки\\u001b\\u0007 до"),
                    )
                }
            }),
            "input.text",
        ),
    ];
    for (what, apply, rule) in &steps {
        apply();
        let deadline = std::time::Instant::now() + WAIT;
        let needle = format!("<code class=\"bx-rule\">{rule}</code>");
        let html = loop {
            sse.drain(Duration::from_millis(200));
            assert!(
                server.child.try_wait().unwrap().is_none(),
                "serve exited after {what}: {}",
                server.output()
            );
            let html = server.get("/").text();
            if html.contains(&needle) {
                break html;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no overlay with {rule} after {what}: {html}\n{}",
                server.output()
            );
        };
        // The last good page stays underneath.
        assert!(html.contains(TITLE), "{what}: the page is gone");
        assert!(!html.contains("internal error"), "{what}: {html}");
        let status = server.get("/__bxland/status");
        assert_eq!(status.status, 200);
        assert!(status.text().contains(rule), "{what}: {}", status.text());
    }

    // The good file comes back: the overlay goes.
    save(&toml, &good);
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        sse.drain(Duration::from_millis(200));
        let html = server.get("/").text();
        if html.contains("<div id=\"bxland-overlay\" hidden></div>") {
            assert!(html.contains(TITLE));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the overlay stayed: {html}"
        );
    }
    assert!(server
        .get("/__bxland/status")
        .text()
        .contains("\"ok\":true"));
    assert!(!server.output().contains("panicked"), "{}", server.output());

    // A FIFO again, then Ctrl-C: serve is not stuck reading it.
    mkfifo(&toml);
    let _ = sse.wait_any(&["overlay", "page", "reload"], WAIT);
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
}
