//! Issue 21 point 12: `serve` answers only requests whose Host is the address served, and
//! refuses form posts from another origin.

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
