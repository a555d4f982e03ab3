//! What the preview adds to the served page (never to the exported one): the "this is a
//! preview" banner, the diagnostics overlay and the live-reload client.

use crate::i18n::Lang;
use crate::render::esc;

use super::state::{Problem, Snapshot};

/// The Server-Sent Events stream the client listens to.
pub const EVENTS_PATH: &str = "/__bxland/events";

fn say(lang: Lang, ru: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru.to_string(),
        Lang::En => en.to_string(),
    }
}

const STYLE: &str = "<style id=\"bxland-preview-style\">\
#bxland-banner{position:relative;z-index:2147483600;margin:0;padding:8px 16px;background:#1b1f24;color:#fff;font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;text-align:center}\
#bxland-banner strong{color:#ffd166}\
#bxland-banner a{color:#9ad1ff;margin:0 4px}\
#bxland-overlay{position:fixed;inset:0;z-index:2147483646;background:rgba(16,18,22,.72);overflow:auto;padding:24px 12px;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}\
#bxland-overlay[hidden]{display:none}\
#bxland-overlay .bx-panel{max-width:860px;margin:0 auto;background:#fff;color:#1b1f24;border-top:6px solid #b42318;border-radius:8px;padding:20px 24px;box-shadow:0 10px 40px rgba(0,0,0,.4)}\
#bxland-overlay h2{margin:0 0 6px;font-size:20px;color:#b42318}\
#bxland-overlay .bx-sub{margin:0 0 14px;color:#4a5361}\
#bxland-overlay ol{margin:0;padding:0;list-style:none}\
#bxland-overlay li{border-top:1px solid #e3e6ea;padding:12px 0}\
#bxland-overlay code{white-space:nowrap;font:600 13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#fdecea;color:#8a1c12;padding:2px 6px;border-radius:4px}\
#bxland-overlay li.bx-warning code{background:#fff4d6;color:#7a5200}\
#bxland-overlay .bx-place{margin-left:8px;font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#4a5361}\
#bxland-overlay .bx-msg{margin:6px 0 0;font-weight:600;overflow-wrap:anywhere}\
#bxland-overlay .bx-help{margin:4px 0 0;color:#1f5f3a;overflow-wrap:anywhere}\
#bxland-overlay button{margin-top:12px;font:inherit;padding:6px 14px;border:1px solid #9aa3ad;border-radius:6px;background:#f4f5f7;cursor:pointer}\
#bxland-overlay.bx-warn-only{inset:auto 12px 12px auto;max-width:min(520px,calc(100vw - 24px));max-height:60vh;background:none;padding:0}\
#bxland-overlay.bx-warn-only .bx-panel{border-top-color:#d99a00;padding:12px 16px}\
#bxland-overlay.bx-warn-only h2{color:#7a5200;font-size:16px;cursor:pointer}\
</style>";

/// The overlay element for a snapshot: a blocking panel listing every error (and the
/// warnings) while the event is broken, a small corner panel when there are only warnings,
/// a hidden empty element when all is well.
pub fn overlay_html(snapshot: &Snapshot, lang: Lang) -> String {
    if snapshot.errors.is_empty() && snapshot.warnings.is_empty() {
        return "<div id=\"bxland-overlay\" hidden></div>".into();
    }
    let mut out = String::new();
    if snapshot.errors.is_empty() {
        let n = snapshot.warnings.len();
        out.push_str("<div id=\"bxland-overlay\" class=\"bx-warn-only\" role=\"status\"><details class=\"bx-panel\"><summary><h2 style=\"display:inline\">");
        out.push_str(&esc(&say(
            lang,
            &format!("Предупреждений: {n}"),
            &format!("Warnings: {n}"),
        )));
        out.push_str("</h2></summary><ol>");
        for p in &snapshot.warnings {
            item(&mut out, p, lang);
        }
        out.push_str("</ol></details></div>");
        return out;
    }
    let n = snapshot.errors.len();
    out.push_str("<div id=\"bxland-overlay\" role=\"alertdialog\" aria-labelledby=\"bxland-overlay-title\"><div class=\"bx-panel\"><h2 id=\"bxland-overlay-title\">");
    out.push_str(&esc(&say(
        lang,
        &format!("Событие не проходит проверку — ошибок: {n}"),
        &format!("The event does not pass the check — {n} errors"),
    )));
    out.push_str("</h2><p class=\"bx-sub\">");
    let sub = if snapshot.preview.is_some() {
        say(
            lang,
            "Под этим окном — последняя удачная версия страницы. Исправьте файл и сохраните: окно исчезнет само.",
            "Below is the last good version of the page. Fix the file and save: this panel goes away by itself.",
        )
    } else {
        say(
            lang,
            "Страница ещё ни разу не собралась. Исправьте файл и сохраните: страница появится сама.",
            "The page has not been built yet. Fix the file and save: the page appears by itself.",
        )
    };
    out.push_str(&esc(&sub));
    out.push_str("</p><ol>");
    for p in snapshot.errors.iter().chain(&snapshot.warnings) {
        item(&mut out, p, lang);
    }
    out.push_str("</ol>");
    if snapshot.preview.is_some() {
        out.push_str("<button type=\"button\" onclick=\"document.getElementById('bxland-overlay').hidden=true\">");
        out.push_str(&esc(&say(
            lang,
            "Скрыть до следующего сохранения",
            "Hide until the next save",
        )));
        out.push_str("</button>");
    }
    out.push_str("</div></div>");
    out
}

fn item(out: &mut String, p: &Problem, lang: Lang) {
    let class = if p.severity == "error" {
        "bx-error"
    } else {
        "bx-warning"
    };
    out.push_str(&format!("<li class=\"{class}\"><code class=\"bx-rule\">"));
    out.push_str(&esc(&p.rule));
    out.push_str("</code>");
    if let Some(place) = p.place() {
        out.push_str("<span class=\"bx-place\">");
        out.push_str(&esc(&place));
        out.push_str("</span>");
    }
    out.push_str("<p class=\"bx-msg\">");
    if p.severity != "error" {
        out.push_str(&esc(&say(lang, "предупреждение: ", "warning: ")));
    }
    out.push_str(&esc(&p.message));
    out.push_str("</p>");
    if let Some(help) = &p.help {
        out.push_str("<p class=\"bx-help\">");
        out.push_str(&esc(&say(lang, "Как исправить: ", "Fix: ")));
        out.push_str(&esc(help));
        out.push_str("</p>");
    }
    out.push_str("</li>");
}

/// The banner that says the page is a preview and that nothing submitted goes anywhere, with
/// links to look at each state of the form.
fn banner(snapshot: &Snapshot, lang: Lang) -> String {
    let mut out = String::from("<div id=\"bxland-banner\" role=\"note\"><strong>");
    out.push_str(&esc(&say(lang, "Предпросмотр bxland.", "bxland preview.")));
    out.push_str("</strong> ");
    out.push_str(&esc(&say(
        lang,
        "Заявки из этой формы никуда не отправляются и не сохраняются.",
        "Nothing submitted through this form is stored or sent anywhere.",
    )));
    if let Some(preview) = &snapshot.preview {
        out.push_str(" <span class=\"bx-states\">");
        out.push_str(&esc(&say(lang, "Состояния формы:", "Form states:")));
        out.push_str(" <a href=\"/#registration-accepted\">");
        out.push_str(&esc(&say(lang, "принята", "accepted")));
        out.push_str("</a>");
        for id in &preview.form.page_rejected_ids {
            let reason = id.trim_start_matches("registration-rejected-");
            let words = match reason {
                "competitor" => say(lang, "отклонена: конкурент", "rejected: competitor"),
                "student" => say(lang, "отклонена: студент", "rejected: student"),
                other => format!("{}: {other}", say(lang, "отклонена", "rejected")),
            };
            out.push_str(&format!("<a href=\"/#{}\">{}</a>", esc(id), esc(&words)));
        }
        out.push_str("</span>");
    }
    out.push_str("</div>");
    out
}

/// The live-reload client. A new page (`page`: only its HTML changed) is put in place without
/// navigating: the client fetches it, and when it runs no script of its own and keeps the
/// same stylesheets, swaps the body and the head's other elements. When the page's files
/// changed (`reload`: an image keeps its URL, the browser would show its old copy) the page
/// is loaded again. That keeps the scroll position and the stylesheet and images
/// the browser already has, and it is what brings save → new page under 50 ms (a navigation
/// alone costs headless Chromium 40–80 ms here). Everything else reloads: a page with scripts
/// (they would not run again in a swapped body), changed stylesheet links, an address with a
/// query or a fragment (the form-state previews, whose `:target` a swap would not carry), a
/// failed fetch. It also swaps the stylesheet for a CSS-only change, replaces the overlay when
/// only the diagnostics changed, and reloads after reconnecting if it missed a change. A module
/// script, so it runs after the page is parsed: a classic inline script at the top of `<body>`
/// held the parser until the stylesheet arrived, on every reload. `window.bxlandUpdated` is
/// when the swapped page was first painted (a task after the next animation frame), for
/// `benches/serve_browser.rs`.
fn client_script(gen: u64) -> String {
    format!(
        r#"<script id="bxland-live" type="module">(function(){{
var gen={gen};var asked=0;
var RUNS='script:not([type="application/ld+json"]):not(#bxland-live)';
function sheets(d){{return Array.prototype.map.call(d.querySelectorAll('link[rel="stylesheet"]'),function(l){{return (l.getAttribute('href')||'').replace(/\?v=\d+$/,'');}}).join('\n');}}
function shown(){{requestAnimationFrame(function(){{setTimeout(function(){{window.bxlandUpdated=performance.timeOrigin+performance.now();}},0);}});}}
function swapCss(g){{var l=document.querySelector('link[rel="stylesheet"][href^="style.css"]');if(!l){{location.reload();return;}}var n=l.cloneNode();n.href='style.css?v='+g;n.onload=function(){{l.remove();}};l.parentNode.insertBefore(n,l.nextSibling);}}
function swapPage(g){{
if(location.search||location.hash||document.querySelector(RUNS)){{location.reload();return;}}
var mine=++asked;
fetch(location.pathname,{{cache:'no-store'}}).then(function(r){{if(!r.ok)throw r.status;return r.text();}}).then(function(t){{
if(mine!==asked)return;
var d=new DOMParser().parseFromString(t,'text/html');
if(!d.body||d.querySelector(RUNS)||sheets(d)!==sheets(document)){{location.reload();return;}}
var keep=function(e){{return e.matches('link[rel="stylesheet"]');}};
Array.prototype.slice.call(document.head.children).forEach(function(e){{if(!keep(e))e.remove();}});
Array.prototype.slice.call(d.head.children).forEach(function(e){{if(!keep(e))document.head.appendChild(document.adoptNode(e));}});
var h=document.documentElement,n=d.documentElement;
Array.prototype.slice.call(h.attributes).forEach(function(a){{if(!n.hasAttribute(a.name))h.removeAttribute(a.name);}});
Array.prototype.forEach.call(n.attributes,function(a){{h.setAttribute(a.name,a.value);}});
document.body.replaceWith(document.adoptNode(d.body));
gen=Math.max(gen,g);shown();
}}).catch(function(){{location.reload();}});
}}
var es=new EventSource('{EVENTS_PATH}');
es.addEventListener('hello',function(e){{if(Number(e.data)!==gen)location.reload();}});
es.addEventListener('page',function(e){{swapPage(Number(e.data));}});
es.addEventListener('reload',function(){{es.close();location.reload();}});
es.addEventListener('css',function(e){{gen=Number(JSON.parse(e.data).gen);swapCss(gen);}});
es.addEventListener('overlay',function(e){{var d=JSON.parse(e.data);gen=Number(d.gen);var o=document.getElementById('bxland-overlay');var t=document.createElement('div');t.innerHTML=d.html;var n=t.firstElementChild;if(o&&n)o.replaceWith(n);}});
window.addEventListener('beforeunload',function(){{es.close();}});
}})();</script>"#
    )
}

/// Everything the preview puts at the start of `<body>`.
fn preview_parts(snapshot: &Snapshot, lang: Lang) -> String {
    let mut out = String::from(STYLE);
    out.push_str(&banner(snapshot, lang));
    out.push_str(&overlay_html(snapshot, lang));
    out.push_str(&client_script(snapshot.gen));
    out
}

/// The served page: the last good page with the preview parts after `<body>` and, when the
/// address names a rejection the theme has no block for, that rejected block before the
/// accepted one.
pub fn decorate(
    snapshot: &Snapshot,
    html: &str,
    rejected_block: Option<&str>,
    lang: Lang,
) -> String {
    let mut html = html.to_string();
    if let Some(block) = rejected_block {
        if let Some(at) = html.find("registration-accepted") {
            if let Some(start) = html[..at].rfind('<') {
                html.insert_str(start, block);
            }
        }
    }
    let parts = preview_parts(snapshot, lang);
    match body_start(&html) {
        Some(at) => html.insert_str(at, &parts),
        None => html.push_str(&parts),
    }
    html
}

/// The offset just after the `<body …>` start tag.
fn body_start(html: &str) -> Option<usize> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<body") {
        let at = from + i;
        let next = lower.as_bytes().get(at + 5).copied();
        if matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
            return lower[at..].find('>').map(|j| at + j + 1);
        }
        from = at + 5;
    }
    None
}

/// The page served before any build has succeeded: the overlay on an empty page.
pub fn placeholder_page(snapshot: &Snapshot, lang: Lang) -> String {
    let title = say(lang, "bxland — предпросмотр", "bxland — preview");
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head><body></body></html>",
        match lang {
            Lang::Ru => "ru",
            Lang::En => "en",
        },
        esc(&title)
    );
    decorate(snapshot, &html, None, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(rule: &str, severity: &'static str) -> Problem {
        Problem {
            rule: rule.into(),
            severity,
            file: Some("event.toml".into()),
            line: Some(12),
            column: Some(5),
            message: "сообщение <b>".into(),
            help: Some("исправьте так".into()),
        }
    }

    #[test]
    fn overlay_lists_rule_place_message_help() {
        let snap = Snapshot {
            gen: 3,
            errors: vec![problem("text.sales", "error")],
            warnings: vec![problem("text.comparison", "warning")],
            ..Snapshot::default()
        };
        let html = overlay_html(&snap, Lang::Ru);
        assert!(html.contains("<code class=\"bx-rule\">text.sales</code>"));
        assert!(html.contains("event.toml:12:5"));
        assert!(html.contains("сообщение &lt;b&gt;"));
        assert!(html.contains("Как исправить: исправьте так"));
        assert!(html.contains("text.comparison"));
        assert!(html.contains("ошибок: 1"));
        let en = overlay_html(&snap, Lang::En);
        assert!(en.contains("1 errors") && en.contains("Fix: "));
    }

    #[test]
    fn clean_snapshot_has_hidden_overlay() {
        let snap = Snapshot::default();
        assert_eq!(
            overlay_html(&snap, Lang::Ru),
            "<div id=\"bxland-overlay\" hidden></div>"
        );
    }

    #[test]
    fn decorate_inserts_after_body_and_before_accepted() {
        let snap = Snapshot {
            gen: 7,
            ..Snapshot::default()
        };
        let page = "<!doctype html><html><head><title>x</title></head><body class=a><main><div class=\"result result-ok\" id=registration-accepted>ok</div></main></body></html>";
        let out = decorate(&snap, page, Some("<div id=rej>no</div>"), Lang::Ru);
        let body = out.find("<body class=a>").unwrap() + "<body class=a>".len();
        assert!(out[body..].starts_with("<style id=\"bxland-preview-style\">"));
        assert!(out.contains("var gen=7;"));
        assert!(out.contains(
            "<div id=rej>no</div><div class=\"result result-ok\" id=registration-accepted>"
        ));
        assert!(out.contains("Заявки из этой формы никуда не отправляются"));
    }
}
