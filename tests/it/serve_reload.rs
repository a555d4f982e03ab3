//! `bxland serve`: live reload, the diagnostics overlay, saves in the ways editors make them,
//! the preview form, paths outside the preview, Ctrl-C.

use crate::support::serve as support;

use std::time::Duration;

use support::*;

const WAIT: Duration = Duration::from_secs(20);
const TITLE: &str = "Битрикс24 для отдела продаж: от заявки до сделки";

fn overlay_hidden(html: &str) -> bool {
    html.contains("<div id=\"bxland-overlay\" hidden></div>")
}

#[test]
fn edit_reloads_violation_shows_overlay_fix_removes_it() {
    let (_tmp, dir) = example_copy();
    let toml = dir.join("event.toml");
    let server = Server::start(&dir, &[]);

    let page = server.get("/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains(TITLE), "{html}");
    assert!(overlay_hidden(&html));
    assert!(html.contains("Заявки из этой формы никуда не отправляются"));
    assert_eq!(page.header("cache-control"), Some("no-store"));

    let sse = Sse::connect(server.addr, WAIT);
    let gen0: u64 = sse.hello.data.parse().unwrap();

    // A good edit: the page message (only the HTML changed: the client may swap it in), then
    // the new content.
    edit(&toml, TITLE, "Битрикс24 для отдела продаж: CRM без потерь");
    let reload = sse.wait_for("page", WAIT);
    assert!(reload.data.parse::<u64>().unwrap() > gen0);
    let html = server.get("/").text();
    assert!(html.contains("Битрикс24 для отдела продаж: CRM без потерь"));
    assert!(!html.contains(TITLE));
    assert!(overlay_hidden(&html));
    assert!(html.contains(&format!("var gen={};", reload.data)));

    // A violating edit: an overlay message, the last good page with the overlay.
    edit(
        &toml,
        "submit_label = \"Зарегистрироваться\"",
        "submit_label = \"Купить со скидкой\"",
    );
    let overlay = sse.wait_for("overlay", WAIT);
    assert!(overlay.data.contains("text.sales"), "{}", overlay.data);
    let html = server.get("/").text();
    assert!(
        html.contains("<code class=\"bx-rule\">text.sales</code>"),
        "{html}"
    );
    assert!(html.contains("event.toml:98:27"), "line:column in {html}");
    assert!(html.contains("Как исправить:"));
    // Still the last good page underneath.
    assert!(html.contains("Битрикс24 для отдела продаж: CRM без потерь"));
    assert!(!html.contains("Купить со скидкой</button>"));
    let status = server.get("/__bxland/status").text();
    assert!(status.contains("\"ok\":false") && status.contains("text.sales"));
    // The terminal says the same.
    let deadline = std::time::Instant::now() + WAIT;
    while !server.output().contains("error[text.sales]") {
        assert!(std::time::Instant::now() < deadline, "{}", server.output());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server
        .output()
        .contains("98 | submit_label = \"Купить со скидкой\""));

    // Fixing it removes the overlay by itself.
    edit(
        &toml,
        "submit_label = \"Купить со скидкой\"",
        "submit_label = \"Записаться\"",
    );
    sse.wait_any(&["page", "overlay"], WAIT);
    let html = server.get("/").text();
    assert!(overlay_hidden(&html), "{html}");
    assert!(html.contains("Записаться"));
    assert!(server
        .get("/__bxland/status")
        .text()
        .contains("\"ok\":true"));
}

#[test]
fn parse_error_overlay_and_recovery_from_a_first_bad_build() {
    let (_tmp, dir) = example_copy();
    let toml = dir.join("event.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, good.replace("[organizer]", "[organizer\n")).unwrap();
    let server = Server::start(&dir, &["--lang", "en"]);

    // Nothing good yet: the overlay alone, in English.
    let html = server.get("/").text();
    assert!(
        html.contains("<code class=\"bx-rule\">input.parse</code>"),
        "{html}"
    );
    assert!(html.contains("The page has not been built yet"));
    assert!(server.get("/style.css").status == 404);

    let sse = Sse::connect(server.addr, WAIT);
    std::fs::write(&toml, &good).unwrap();
    sse.wait_for("page", WAIT);
    let html = server.get("/").text();
    assert!(html.contains(TITLE) && overlay_hidden(&html));
    assert!(html.contains("Nothing submitted through this form is stored or sent anywhere"));

    // A TOML syntax error later: last good page and the parse error with its place.
    std::fs::write(
        &toml,
        good.replace("title = \"Битрикс24", "title = \"Битрикс24\"\""),
    )
    .unwrap();
    let overlay = sse.wait_for("overlay", WAIT);
    assert!(overlay.data.contains("input.parse"));
    let html = server.get("/").text();
    assert!(html.contains("event.toml:4:"), "{html}");
    assert!(html.contains(TITLE));
}

#[test]
fn editors_saving_by_rename_in_steps_and_by_delete_recreate() {
    let (tmp, dir) = example_copy();
    let toml = dir.join("event.toml");
    let server = Server::start(&dir, &[]);
    let sse = Sse::connect(server.addr, WAIT);
    let good = std::fs::read_to_string(&toml).unwrap();

    // vim / JetBrains: write a copy beside it, then rename it over the original.
    let copy = dir.join("event.toml.tmp___jb_tmp___");
    std::fs::write(&copy, good.replace(TITLE, "Заголовок один")).unwrap();
    std::fs::rename(&copy, &toml).unwrap();
    sse.wait_for("page", WAIT);
    assert!(server.get("/").text().contains("Заголовок один"));

    // vim's backup dance: rename the original away, write anew, delete the backup.
    let backup = dir.join("event.toml~");
    std::fs::rename(&toml, &backup).unwrap();
    std::fs::write(&toml, good.replace(TITLE, "Заголовок два")).unwrap();
    std::fs::remove_file(&backup).unwrap();
    sse.wait_for("page", WAIT);
    let html = server.get("/").text();
    assert!(html.contains("Заголовок два") && overlay_hidden(&html));

    // VS Code style: truncate, a pause, then the rest. The page only ever shows whole saves.
    let text = good.replace(TITLE, "Заголовок три");
    std::fs::write(&toml, "").unwrap();
    std::thread::sleep(Duration::from_millis(15));
    std::fs::write(&toml, &text).unwrap();
    sse.wait_for("page", WAIT);
    let html = server.get("/").text();
    assert!(html.contains("Заголовок три"), "{html}");

    // Deleted: the overlay; re-created: the page again.
    std::fs::remove_file(&toml).unwrap();
    sse.wait_for("overlay", WAIT);
    assert!(server
        .get("/__bxland/status")
        .text()
        .contains("\"ok\":false"));
    std::fs::write(&toml, good.replace(TITLE, "Заголовок четыре")).unwrap();
    sse.wait_for("page", WAIT);
    let html = server.get("/").text();
    assert!(html.contains("Заголовок четыре") && overlay_hidden(&html));

    // The whole folder removed and put back.
    let aside = tmp.path().join("aside");
    std::fs::rename(&dir, &aside).unwrap();
    sse.wait_for("overlay", WAIT);
    std::fs::rename(&aside, &dir).unwrap();
    sse.wait_any(&["page", "overlay"], WAIT);
    std::thread::sleep(Duration::from_millis(200));
    assert!(server
        .get("/__bxland/status")
        .text()
        .contains("\"ok\":true"));
    edit(&toml, "Заголовок четыре", "Заголовок пять");
    sse.wait_for("page", WAIT);
    assert!(server.get("/").text().contains("Заголовок пять"));

    // Editor scratch files alone change nothing.
    std::fs::write(dir.join(".event.toml.swp"), "x").unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    let events = sse.drain(Duration::from_millis(400));
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn theme_css_change_swaps_stylesheet_without_reload() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &root.join("themes/custom"),
    );
    let dir = root.join("event");
    copy_dir(&example_event(), &dir);
    edit(
        &dir.join("event.toml"),
        "name = \"default\"",
        "name = \"custom\"",
    );
    let server = Server::start(&dir, &[]);
    let sse = Sse::connect(server.addr, WAIT);
    assert!(!server.get("/style.css").text().contains("outline:5px"));

    let css = root.join("themes/custom/style.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.badge { outline: 5px solid red }\n");
    std::fs::write(&css, text).unwrap();
    let ev = sse.wait_any(&["css", "page", "reload"], WAIT);
    assert_eq!(ev.name, "css", "{ev:?}");
    assert!(server.get("/style.css").text().contains("outline:5px"));

    // The accent colour lives in the CSS too.
    edit(
        &dir.join("event.toml"),
        "accent = \"#0B5CAD\"",
        "accent = \"#8A1C12\"",
    );
    let ev = sse.wait_any(&["css", "page", "reload"], WAIT);
    assert_eq!(ev.name, "css");
    assert!(server
        .get("/style.css")
        .text()
        .to_lowercase()
        .contains("8a1c12"));

    // A template change is a page change.
    let hero = root.join("themes/custom/sections/hero.html");
    let text = std::fs::read_to_string(&hero).unwrap();
    std::fs::write(&hero, text.replacen("<section", "<section data-x=\"1\"", 1)).unwrap();
    let ev = sse.wait_any(&["css", "page", "reload"], WAIT);
    assert_eq!(ev.name, "page");
    assert!(server.get("/").text().contains("data-x=1"));
}

/// A changed image keeps its address: the browser would show its old copy in a page swapped
/// in, so the page is loaded again.
#[test]
fn a_changed_logo_reloads_the_page() {
    let (_tmp, dir) = example_copy();
    let server = Server::start(&dir, &[]);
    let sse = Sse::connect(server.addr, WAIT);
    let logo = dir.join("assets/logo.svg");
    let text = std::fs::read_to_string(&logo).unwrap();
    assert!(text.contains("</svg>"));
    std::fs::write(
        &logo,
        text.replace("</svg>", "<circle cx=\"1\" cy=\"1\" r=\"1\"/></svg>"),
    )
    .unwrap();
    let ev = sse.wait_any(&["css", "page", "reload", "overlay"], WAIT);
    assert_eq!(ev.name, "reload", "{ev:?}");
    assert!(server.get("/assets/logo.svg").text().contains("<circle"));
}

#[test]
fn only_the_preview_files_are_served() {
    let (_tmp, dir) = example_copy();
    let server = Server::start(&dir, &[]);
    assert_eq!(server.get("/style.css").status, 200);
    assert_eq!(
        server.get("/style.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(server.get("/assets/logo.svg").status, 200);
    assert_eq!(server.get("/event.ics").status, 200);
    assert_eq!(server.get("/index.html").status, 200);
    for target in [
        "/event.toml",
        "/../event.toml",
        "/assets/../event.toml",
        "/assets/../../event/event.toml",
        "/%2e%2e/event/event.toml",
        "/%2E%2E%2Fevent%2Fevent.toml",
        "/assets/%2e%2e/event.toml",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/assets/..%5cevent.toml",
        "/program.lock",
        "/assets/logo.svg%00.css",
    ] {
        let r = request(server.addr, "GET", target, &[], None);
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.text().contains("[event]"), "{target}");
    }
    // Absolute-form request targets.
    let abs = format!("http://{}/event.toml", server.addr);
    assert_eq!(request(server.addr, "GET", &abs, &[], None).status, 404);
    let abs = format!("http://{}/../../../etc/passwd", server.addr);
    assert_eq!(request(server.addr, "GET", &abs, &[], None).status, 404);
    // Other methods.
    assert_eq!(
        request(server.addr, "DELETE", "/style.css", &[], None).status,
        405
    );
    // Malformed bodies and forms do not bring it down.
    let r = request(
        server.addr,
        "POST",
        "/__bxland/register",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"%%%&&==\xff\xfe"),
    );
    assert_eq!(r.status, 303);
    let r = request(
        server.addr,
        "POST",
        "/__bxland/register",
        &[("Content-Type", "text/plain")],
        Some(b"hello"),
    );
    assert_eq!(r.status, 303);
    let r = server.get("/?rejected=%3Cscript%3Ealert(1)%3C/script%3E,missing-nope");
    assert_eq!(r.status, 200);
    assert!(!r.text().contains("<script>alert(1)"));
    assert!(!r.text().contains("registration-rejected-preview"));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn preview_form_accepts_or_rejects_with_reason_and_keeps_nothing() {
    let (_tmp, dir) = example_copy();
    let server = Server::start(&dir, &[]);
    let html = server.get("/").text();
    assert!(
        html.contains("action=/__bxland/register")
            || html.contains("action=\"/__bxland/register\"")
    );
    assert!(html.contains("method=post") || html.contains("method=\"post\""));

    let full = [
        ("last_name", "Сейткали"),
        ("first_name", "Дана"),
        ("company", "ТОО «Пример-Секрет»"),
        ("position", "Маркетолог"),
        ("email", "dana@example.kz"),
        ("phone", "+7 701 123 45 67"),
        ("city", "Астана"),
        ("consent", "Y"),
    ];
    let r = server.post_form("/__bxland/register", &full);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/#registration-accepted"));

    // A missing phone and no consent: the rejected state with the reasons in words.
    let partial: Vec<(&str, &str)> = full
        .iter()
        .copied()
        .filter(|(k, _)| *k != "phone" && *k != "consent")
        .collect();
    let r = server.post_form("/__bxland/register", &partial);
    assert_eq!(r.status, 303);
    let location = r.header("location").unwrap().to_string();
    assert_eq!(
        location,
        "/?rejected=missing-phone,consent#registration-rejected-preview"
    );
    let page = server.get(location.split('#').next().unwrap()).text();
    assert!(page.contains(
        "Заявка отклонена. Причина: не заполнено обязательное поле «Контактный телефон»; не дано согласие на обработку персональных данных."
    ), "{page}");
    assert!(page.contains("id=\"registration-rejected-preview\" role=\"alert\""));
    assert!(page
        .contains("<a class=\"btn\" href=\"#registration-form\">Зарегистрироваться ещё раз</a>"));
    // Nothing submitted comes back or is kept.
    for r in [
        &page,
        &server.get("/").text(),
        &server.get("/__bxland/status").text(),
    ] {
        assert!(!r.contains("Пример-Секрет") && !r.contains("dana@example.kz"));
    }

    // A student: the theme's own rejected state.
    let mut student = full.to_vec();
    student[3] = ("position", "студент");
    let r = server.post_form("/__bxland/register", &student);
    assert_eq!(
        r.header("location"),
        Some("/#registration-rejected-student")
    );
}

#[test]
fn ctrl_c_exits_cleanly_with_a_stream_open() {
    let (_tmp, dir) = example_copy();
    let server = Server::start(&dir, &[]);
    // Held (not `_`, which would drop it at once) while the server is interrupted.
    let _open_stream = Sse::connect(server.addr, WAIT);
    let status = server.interrupt();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn binding_elsewhere_warns_and_a_missing_folder_fails() {
    // 192.0.2.1 (TEST-NET-1) is on no interface here: the warning comes, then bind fails.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bxland"))
        .args([
            "serve",
            "example-event",
            "--bind",
            "192.0.2.1",
            "--port",
            "0",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ВНИМАНИЕ"), "{err}");
    assert_eq!(out.status.code(), Some(2));

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bxland"))
        .args(["serve", "no-such-folder", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("не найдена"));
}

/// The page's files are revalidated on every reload (`no-cache` and an `ETag`): an unchanged
/// file is answered with 304 and no body, a changed one in full with a new tag.
#[test]
fn unchanged_files_are_revalidated_not_sent_again() {
    let (_tmp, dir) = example_copy();
    let server = Server::start(&dir, &[]);
    let sse = Sse::connect(server.addr, WAIT);
    let first = server.get("/style.css");
    assert_eq!(first.status, 200);
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    let tag = first.header("etag").expect("an ETag").to_string();
    let css_if_none_match = |tag: &str| {
        request(
            server.addr,
            "GET",
            "/style.css",
            &[("If-None-Match", tag)],
            None,
        )
    };
    let again = css_if_none_match(&tag);
    assert_eq!(again.status, 304, "{again:?}");
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(tag.as_str()));
    // Another tag gets the whole file.
    let other = css_if_none_match("\"1-00000000\"");
    assert_eq!(other.status, 200);
    assert_eq!(other.body, first.body);

    edit(
        &dir.join("event.toml"),
        "accent = \"#0B5CAD\"",
        "accent = \"#8A1C12\"",
    );
    sse.wait_any(&["css", "page", "reload"], WAIT);
    let changed = css_if_none_match(&tag);
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(tag.as_str()));
    assert!(changed.text().to_lowercase().contains("8a1c12"));
}
