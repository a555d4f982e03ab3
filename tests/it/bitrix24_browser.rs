//! The page `bxland publish` leaves on Bitrix24, as the stand-in would serve it, in a real
//! headless Chromium at 360 px and 1280 px: the organizer's logo (an uploaded file) is
//! visible, the registration block has its layout, every `#link` lands and nothing scrolls
//! sideways. Fails (never skips) when Chromium is missing.

use crate::support::bitrix24_stand_in;
use crate::support::serve as support;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command as Bin;
use bitrix24_stand_in::{start, Portal};
use serde_json::{json, Value};
use support::{copy_dir, request, TODAY};

fn program(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    assert!(
        path.is_file(),
        "{} is missing: install Debian's chromium and chromium-driver or set {env}",
        path.display()
    );
    path
}

struct Driver {
    child: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(
            self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            &[],
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Driver {
        let chromium = program("CHROMIUM", "/usr/bin/chromium");
        let chromedriver = program("CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if std::net::TcpStream::connect(addr).is_ok()
                && request(addr, "GET", "/status", &[], None)
                    .text()
                    .contains("\"ready\":true")
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                    "--allow-file-access-from-files",
                    format!("--user-data-dir={}", profile.path().display()),
                    "--window-size=1280,900",
                ]
            }
        }}});
        let mut driver = Driver {
            child,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let v = driver.call("POST", "/session", Some(caps));
        driver.session = v["sessionId"].as_str().unwrap().to_string();
        driver
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let r = request(
            self.addr,
            method,
            path,
            &[("Content-Type", "application/json; charset=utf-8")],
            body.as_deref().map(str::as_bytes),
        );
        let v: Value = serde_json::from_slice(&r.body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}: {}", r.text()));
        assert!(
            r.status == 200,
            "{method} {path} -> {}: {}",
            r.status,
            v["value"]
        );
        v.get("value").cloned().unwrap_or(Value::Null)
    }

    fn s(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({ "script": script, "args": [] })),
        )
    }

    fn width(&self, width: u32) {
        self.call(
            "POST",
            &self.s("/goog/cdp/execute"),
            Some(json!({"cmd": "Emulation.setDeviceMetricsOverride",
                "params": {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}})),
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Publishes `src` to a fresh stand-in and writes the public page to `out/index.html`, the
/// uploaded files beside it (the CDN addresses pointed at them).
fn published_page(src: &Path, out: &Path) -> PathBuf {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    copy_dir(src, &dir);
    let (webhook, state) = start(Portal::default());
    let o = Bin::cargo_bin("bxland")
        .unwrap()
        .arg("publish")
        .arg(&dir)
        .args(["--bitrix24", &webhook, "--today", TODAY, "--form-id", "31"])
        .env_remove("BXLAND_BITRIX24_WEBHOOK")
        .env_remove("BXLAND_LANG")
        // The card cache in the test target folder, never the user's home.
        .env(
            "BXLAND_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/bxland-cache"),
        )
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = state.lock().unwrap();
    let mut html = p.public_html(p.pages[0].id);
    std::fs::create_dir_all(out).unwrap();
    for (i, (_, name, bytes, src, _)) in p.files.iter().enumerate() {
        let local = format!("upload-{i}-{name}");
        std::fs::write(out.join(&local), bytes).unwrap();
        html = html.replace(src.as_str(), &local);
    }
    let index = out.join("index.html");
    std::fs::write(&index, html).unwrap();
    index
}

#[test]
fn the_published_page_shows_the_logo_and_the_form_block_at_360_and_1280_px() {
    let d = Driver::start();
    for (src, logo) in [
        (support::example_event(), "logo.svg"),
        (
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/kk-event"),
            "dala-logo.png",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        let index = published_page(&src, out.path());
        d.call(
            "POST",
            &d.s("/url"),
            Some(json!({ "url": format!("file://{}", index.display()) })),
        );
        for width in [360u32, 1280] {
            d.width(width);
            let what = format!("{} at {width}px", src.display());
            let logo_ok = d.js(&format!(
                "var i = [...document.images].find(i => i.getAttribute('src').endsWith('{logo}'));
                 if (!i) return 'no img';
                 var r = i.getBoundingClientRect(), s = getComputedStyle(i);
                 return i.complete && i.naturalWidth > 0 && r.width > 0 && r.height > 0
                   && s.visibility !== 'hidden' && s.display !== 'none';"
            ));
            assert_eq!(logo_ok, json!(true), "logo {logo} visible, {what}");
            let wide = d.js("return document.documentElement.scrollWidth;");
            assert!(
                wide.as_u64().unwrap() <= u64::from(width),
                "{what}: {wide}px wide"
            );
            let links = d.js("return [...document.querySelectorAll('a[href^=\"#\"]')]
                   .map(a => a.getAttribute('href').slice(1))
                   .filter(id => !document.getElementById(id));");
            assert_eq!(links, json!([]), "{what}: #links without a target");
            let layout = d.js("var r = document.querySelector('.bxl-registration'),
                     c = document.querySelector('.bxl-container').getBoundingClientRect(),
                     h = document.querySelector('.bxl-registration h2').getBoundingClientRect();
                 return [parseFloat(getComputedStyle(r).paddingTop), Math.round(c.left),
                         Math.round(window.innerWidth - c.right), Math.round(h.left)];");
            let v: Vec<f64> = layout
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            assert!(v[0] >= 24.0, "{what}: registration block padding {v:?}");
            assert!(
                (v[1] - v[2]).abs() <= 1.0,
                "{what}: container centred {v:?}"
            );
            assert!(v[3] >= 16.0, "{what}: heading off the edge {v:?}");
        }
    }
}
