//! The rendered Bitrix page in headless Chromium (over WebDriver through chromedriver), next to
//! the static preview, at 360 px and 1280 px: every `#x` link has a target, every local
//! `href`/`src` resolves, the outcome of a submission is in view when the page opens at the
//! form's anchor (the redirect keeps it), the form's inputs, checkbox and submit button have the
//! preview's computed styles, and the consent text is shown whole without an inner scroll.
//! The pages are served by `php -S` from a document root holding the installed template, the
//! page folder written by setup and the pages rendered by `render_page.php`. Fails (never
//! skips) when Chromium, chromedriver or php is missing.

use crate::support::browser::{free_port, Driver};
use crate::support::site_management_common;

use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use site_management_common::*;

const SLUG: &str = "b24-sales-2027-03";

/// Where setup puts the example's page (the path of its `page_url`).
fn page_dir() -> String {
    bxland::export::site_management::page_dir(&example())
}

fn wait_for_port(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "{addr} did not open");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Computed styles of the form's controls, by role.
const STYLES_JS: &str = r#"
var props = ['font-family', 'font-size', 'font-weight', 'color', 'background-color',
  'border-top-width', 'border-top-style', 'border-top-color', 'border-radius',
  'padding-top', 'padding-left', 'display'];
var pick = function (el, extra) {
  if (!el) { return null; }
  var cs = getComputedStyle(el), out = {};
  props.concat(extra || []).forEach(function (p) { out[p] = cs.getPropertyValue(p); });
  return out;
};
return {
  button: pick(document.querySelector('form .submit button'), ['text-align']),
  input: pick(document.querySelector('form input[type=email]'), ['height']),
  label: pick(document.querySelector('form .field label')),
  checkbox: pick(document.querySelector('form input[type=checkbox]'), ['width', 'height']),
  form: pick(document.querySelector('form'), ['max-width', 'padding-right'])
};
"#;

/// Every in-page link's target exists; every same-origin href/src answers 200.
const LINKS_JS: &str = r##"
var missing = [], broken = [];
document.querySelectorAll('a[href^="#"]').forEach(function (a) {
  var id = decodeURIComponent(a.getAttribute('href').slice(1));
  if (id !== '' && !document.getElementById(id)) { missing.push(id); }
});
var urls = {};
document.querySelectorAll('[href], [src]').forEach(function (el) {
  var raw = el.getAttribute('href') || el.getAttribute('src');
  if (!raw || raw.charAt(0) === '#' || /^(mailto|tel|data|javascript):/i.test(raw)) { return; }
  var u = new URL(raw, location.href);
  if (u.origin === location.origin) { u.hash = ''; urls[u.href] = true; }
});
Object.keys(urls).forEach(function (u) {
  var x = new XMLHttpRequest(); x.open('GET', u, false); x.send();
  if (x.status !== 200) { broken.push(u + ' ' + x.status); }
});
return {missing: missing, broken: broken, checked: Object.keys(urls).length};
"##;

const IN_VIEW_JS: &str = r#"
var el = document.querySelector(arguments_selector);
if (!el) { return 'missing'; }
var r = el.getBoundingClientRect();
return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 ? 'yes' : ('top ' + r.top + ' bottom ' + r.bottom + ' of ' + window.innerHeight);
"#;

const CONSENT_JS: &str = r#"
var c = document.querySelector('.consent-text');
var cs = getComputedStyle(c);
return {scroll: c.scrollHeight, client: c.clientHeight, overflow: cs.overflowY, visible: c.offsetParent !== null};
"#;

fn write_site(docroot: &Path) {
    let event = example();
    let archive = archive_of(&input(&event));
    install_template(docroot, SLUG, &archive);
    let state = docroot.parent().unwrap().join("state.json");
    run_setup(&state, docroot, SLUG);
    for scenario in ["fresh", "accepted", "errors", "expired", "rejected-student"] {
        let html = render(&state, docroot, SLUG, scenario);
        std::fs::write(
            docroot.join(page_dir()).join(format!("{scenario}.html")),
            html,
        )
        .unwrap();
    }
    // The static preview, as `bxland build --target html` writes it.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let theme = bxland::render::Theme::for_choice(&event.theme).unwrap();
    let page =
        bxland::render::render_page(&event, &theme, &bxland::render::PageOptions::new(today))
            .unwrap();
    for (name, bytes) in bxland::export::html::export(&page, None).unwrap() {
        let p = docroot.join("preview").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

#[test]
fn the_bitrix_page_in_chromium_at_360_and_1280_px() {
    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    write_site(&docroot);
    let port = free_port();
    let _server = Proc(
        Command::new("php")
            .args(["-S", &format!("127.0.0.1:{port}"), "-t"])
            .arg(&docroot)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("php is required for these tests"),
    );
    let site: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    wait_for_port(site);
    let base = format!("http://{site}");
    let d = Driver::start();
    for width in [360, 1280] {
        d.width(width);
        d.goto(&format!("{base}/preview/index.html"));
        let preview = d.js(STYLES_JS);
        assert!(!preview["button"].is_null(), "{preview}");
        for scenario in ["fresh", "errors", "expired", "rejected-student", "accepted"] {
            d.goto(&format!(
                "{base}/{}/{scenario}.html#registration",
                page_dir()
            ));
            let links = d.js(LINKS_JS);
            assert_eq!(links["missing"], json!([]), "{width} {scenario}: {links}");
            assert_eq!(links["broken"], json!([]), "{width} {scenario}: {links}");
            assert!(links["checked"].as_u64().unwrap() >= 3, "{links}");
            if scenario == "accepted" {
                continue;
            }
            // The form looks like the preview's.
            let styles = d.js(STYLES_JS);
            for role in ["button", "input", "label", "checkbox", "form"] {
                assert_eq!(
                    styles[role], preview[role],
                    "{width} px, {scenario}: the {role} differs from the preview's"
                );
            }
            // The full consent text, no inner scroll.
            let consent = d.js(CONSENT_JS);
            assert_eq!(consent["visible"], true, "{consent}");
            assert!(
                consent["scroll"].as_f64().unwrap() <= consent["client"].as_f64().unwrap() + 1.0,
                "{width} px: the consent text scrolls inside its box: {consent}"
            );
        }
        // After the submit the outcome is in view (the redirect keeps the form's #registration).
        for (scenario, selector) in [
            ("accepted", "#registration-accepted"),
            ("errors", "#registration-errors"),
            ("expired", "#registration-expired"),
            ("rejected-student", "#registration-rejected"),
        ] {
            d.goto(&format!(
                "{base}/{}/{scenario}.html#registration",
                page_dir()
            ));
            // The theme scrolls smoothly: give the jump to the anchor time to end.
            let script = IN_VIEW_JS.replace("arguments_selector", &format!("'{selector}'"));
            let deadline = Instant::now() + Duration::from_secs(5);
            let mut seen = d.js(&script);
            while seen != "yes" && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
                seen = d.js(&script);
            }
            assert_eq!(
                seen, "yes",
                "{width} px, {scenario}: {selector} not in view"
            );
        }
    }
}
