//! End to end in a real headless Chromium (driven over WebDriver through chromedriver): the
//! preview form accepted and rejected, live reload and the overlay in the browser, and
//! screenshots at 360 px and 1280 px. Fails (never skips) when Chromium is missing.

use crate::support::browser::Driver;
use crate::support::serve as support;

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};
use support::*;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/clear")),
            Some(json!({})),
        );
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        // Into the middle of the screen, as a person would scroll before clicking (at once:
        // the theme scrolls smoothly, and a click mid-scroll lands elsewhere).
        let seen = self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({
                "script": "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'}); var r = arguments[0].getBoundingClientRect(); var e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return e ? e.outerHTML.slice(0, 200) : null;",
                "args": [{ ELEMENT: id }]
            })),
        );
        assert!(!seen.is_null(), "{css} is not on screen");
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }

    fn displayed(&self, css: &str) -> bool {
        let id = self.find(css);
        self.call("GET", &self.s(&format!("/element/{id}/displayed")), None)
            .as_bool()
            .unwrap()
    }

    fn text(&self, css: &str) -> String {
        let id = self.find(css);
        self.call("GET", &self.s(&format!("/element/{id}/text")), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call(
            "POST",
            &self.s("/goog/cdp/execute"),
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.js(script).as_bool() == Some(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn capture(&self, width: u32, y: u64, height: u64) -> Vec<u8> {
        let v = self.cdp(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": y, "width": width, "height": height, "scale": 1}}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(v["data"].as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        png
    }

    /// A full-page PNG at `width` CSS pixels (`NAME.png`), and one screen from the element
    /// `focus` (or the top) down (`NAME-view.png`). Fails when the page is wider than `width`
    /// (sideways scrolling).
    fn screenshot(&self, width: u32, mobile: bool, dir: &Path, name: &str, focus: &str) -> Vec<u8> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile}),
        );
        // Let the layout settle at the new width.
        std::thread::sleep(Duration::from_millis(300));
        let height = self
            .js("return Math.ceil(document.documentElement.scrollHeight);")
            .as_u64()
            .unwrap();
        let wide = self
            .js("return document.documentElement.scrollWidth;")
            .as_u64()
            .unwrap();
        assert!(
            wide <= u64::from(width),
            "{name}: the page is {wide}px wide at {width}px"
        );
        let png = self.capture(width, 0, height);
        std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        let top = self
            .js(&format!(
                "var e = document.querySelector('{focus}'); return e ? Math.max(0, Math.floor(e.getBoundingClientRect().top + window.scrollY - 80)) : 0;"
            ))
            .as_u64()
            .unwrap();
        let y = top.min(height.saturating_sub(900));
        let view = self.capture(width, y, 900.min(height));
        std::fs::write(dir.join(format!("{name}-view.png")), &view).unwrap();
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({}));
        png
    }
}

fn fill_form(d: &Driver, last_name: &str) {
    d.type_into("#f-last_name", last_name);
    d.type_into("#f-first_name", "Дана");
    d.type_into("#f-company", "ТОО «Пример»");
    d.type_into("#f-position", "Маркетолог");
    d.type_into("#f-email", "dana@example.kz");
    d.type_into("#f-phone", "+7 701 123 45 67");
    d.click("#f-consent");
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn chromium_fills_the_form_sees_both_states_and_live_reload() {
    let (_tmp, dir) = example_copy();
    let server = Server::start(&dir, &[]);
    let d = Driver::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve_browser");
    std::fs::create_dir_all(&shots).unwrap();
    let base = format!("http://{}/", server.addr);

    d.goto(&base);
    d.wait_until("the page", "return document.readyState === 'complete';");
    let title = d.js("return document.title;");
    assert_eq!(
        title.as_str(),
        Some("Битрикс24 для отдела продаж: от заявки до сделки")
    );
    assert!(d.text("#bxland-banner").contains("никуда не отправляются"));
    assert!(!d.displayed("#registration-accepted"));

    // Screenshots of the clean page at both widths, no sideways scrolling at either.
    let png = d.screenshot(360, true, &shots, "page-360", "body");
    assert_eq!(png_size(&png).0, 360);
    let png = d.screenshot(1280, false, &shots, "page-1280", "body");
    assert_eq!(png_size(&png).0, 1280);

    // A complete registration: the accepted state.
    fill_form(&d, "Сейткали");
    d.click("#registration-form .submit button");
    d.wait_until(
        "the accepted state",
        "return location.hash === '#registration-accepted' && document.readyState === 'complete';",
    );
    assert!(d.displayed("#registration-accepted"));
    assert!(d.text("#registration-accepted").contains("Заявка принята!"));
    d.screenshot(360, true, &shots, "accepted-360", "#registration");

    // The last name only blanks (the browser lets them through; the server does not).
    d.goto(&base);
    d.wait_until("the page", "return document.readyState === 'complete';");
    fill_form(&d, "   ");
    d.click("#registration-form .submit button");
    d.wait_until(
        "the rejected state",
        "return location.hash === '#registration-rejected-preview' && document.readyState === 'complete';",
    );
    assert!(d.displayed("#registration-rejected-preview"));
    let text = d.text("#registration-rejected-preview");
    assert!(
        text.contains("Заявка отклонена. Причина: не заполнено обязательное поле «Фамилия»."),
        "{text}"
    );
    assert!(text.contains("Зарегистрироваться ещё раз"), "{text}");
    assert!(!d.displayed("#registration-accepted"));
    d.screenshot(360, true, &shots, "rejected-360", "#registration");
    // The way to register again: back to the form, the rejection gone.
    d.click("#registration-rejected-preview a");
    d.wait_until(
        "the form again",
        "return location.hash === '#registration-form';",
    );
    assert!(!d.displayed("#registration-rejected-preview"));
    assert!(d.displayed("#f-last_name"));
    assert!(d.url().starts_with(&base));

    // Live reload in the browser: a save shows the new page by itself, swapped in place (no
    // navigation, so the page's own state survives) and the same as the page loaded afresh.
    d.goto(&base);
    d.wait_until("the page", "return document.readyState === 'complete';");
    let scrolled = d.js("window.__marker = 1; window.scrollTo({top: 600, behavior: 'instant'}); return window.scrollY;");
    assert!(scrolled.as_f64().unwrap() > 100.0, "{scrolled}");
    let toml = dir.join("event.toml");
    edit(
        &toml,
        "Битрикс24 для отдела продаж: от заявки до сделки",
        "Битрикс24 для отдела продаж: живая перезагрузка",
    );
    d.wait_until(
        "the new page",
        "return document.title === 'Битрикс24 для отдела продаж: живая перезагрузка';",
    );
    assert_eq!(
        d.js("return window.__marker;").as_u64(),
        Some(1),
        "a page with no scripts of its own is swapped in, not reloaded"
    );
    assert!(d.text("h1").contains("живая перезагрузка"));
    assert_eq!(
        d.js("return window.scrollY;").as_f64(),
        scrolled.as_f64(),
        "the scroll position is kept"
    );
    // What the swap shows is what a fresh load shows: the body, and the head's elements.
    let shown = "return [document.body.innerHTML, \
        Array.prototype.map.call(document.head.children, function(e){return e.outerHTML;}).sort().join('\\n'), \
        document.documentElement.lang];";
    let swapped = d.js(shown);
    d.goto(&base);
    d.wait_until("the page", "return document.readyState === 'complete';");
    let fresh = d.js(shown);
    assert_eq!(
        swapped[0], fresh[0],
        "the swapped body differs from a fresh load"
    );
    assert_eq!(
        swapped[1], fresh[1],
        "the swapped head differs from a fresh load"
    );
    assert_eq!(swapped[2], fresh[2]);

    // With a fragment in the address (the form-state previews are shown by `:target`), the
    // page is reloaded instead.
    d.goto(&format!("{base}#registration"));
    d.wait_until("the page", "return document.readyState === 'complete';");
    d.js("window.__marker = 3; return true;");
    edit(
        &toml,
        "Битрикс24 для отдела продаж: живая перезагрузка",
        "Битрикс24 для отдела продаж: перезагрузка с якорем",
    );
    d.wait_until(
        "the reloaded page",
        "return document.title === 'Битрикс24 для отдела продаж: перезагрузка с якорем' && document.readyState === 'complete';",
    );
    assert_eq!(
        d.js("return window.__marker === undefined;").as_bool(),
        Some(true),
        "an address with a fragment is reloaded"
    );
    // A changed image keeps its address, so a page swapped in would show the old one: the
    // page is loaded again instead.
    d.goto(&base);
    d.wait_until("the page", "return document.readyState === 'complete';");
    d.js("window.__marker = 4; return true;");
    let logo = dir.join("assets/logo.svg");
    let svg = std::fs::read_to_string(&logo).unwrap();
    std::fs::write(
        &logo,
        svg.replace("</svg>", "<circle cx=\"1\" cy=\"1\" r=\"1\"/></svg>"),
    )
    .unwrap();
    d.wait_until(
        "the page loaded again for the new logo",
        "return window.__marker === undefined && document.readyState === 'complete';",
    );

    // A violation: the overlay appears in place, over the same page.
    d.js("window.__marker = 2; return true;");
    edit(
        &toml,
        "reject_reasons = [\"competitor\", \"student\"]",
        "reject_reasons = [\"competitor\", \"vip\"]",
    );
    d.wait_until(
        "the overlay",
        "var o = document.getElementById('bxland-overlay'); return !!o && !o.hidden && o.textContent.indexOf('form.reject-reasons') >= 0;",
    );
    assert_eq!(
        d.js("return window.__marker;").as_u64(),
        Some(2),
        "no reload for the overlay"
    );
    assert!(d.displayed("#bxland-overlay"));
    d.screenshot(1280, false, &shots, "overlay-1280", "body");
    d.screenshot(360, true, &shots, "overlay-360", "body");

    // Fixed: the overlay goes away by itself.
    edit(
        &toml,
        "reject_reasons = [\"competitor\", \"vip\"]",
        "reject_reasons = [\"competitor\", \"student\"]",
    );
    d.wait_until(
        "the overlay to go",
        "var o = document.getElementById('bxland-overlay'); return !!o && o.hidden;",
    );
}
