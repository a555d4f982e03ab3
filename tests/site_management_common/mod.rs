//! Shared helpers of the site-management tests: an input built from an event folder (simple
//! HTML sections escaped here, standing in for the render step), the archive unpacked into a
//! document root, and PHP runs that fail loudly when `php` is missing.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use bxland::event::model::text;
use bxland::event::when::When;
use bxland::event::Event;
use bxland::export::site_management::escape::html;
use bxland::export::site_management::{export, install_line, SiteManagementInput};

pub const HOSTILE: &str = r#"'; system('id'); // <?php ?> {$x} #EMAIL# \ </p><script>x</script>"#;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site_management")
}

pub fn load(dir: &Path) -> Event {
    bxland::event::load(dir).expect("event loads")
}

pub fn example() -> Event {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event"))
}

/// A copy of the example event whose texts are hostile to PHP, HTML and mail templates.
pub fn hostile(tmp: &Path) -> Event {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event");
    std::fs::create_dir_all(tmp.join("assets")).unwrap();
    for f in ["logo.svg", "bitrix24.svg"] {
        std::fs::copy(src.join("assets").join(f), tmp.join("assets").join(f)).unwrap();
    }
    let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
    let t = std::fs::read_to_string(src.join("event.toml")).unwrap();
    let t = t
        .replace(
            "title = \"Битрикс24 для отдела продаж: от заявки до сделки\"",
            &format!("title = {}", toml_str(HOSTILE)),
        )
        .replace(
            "name = \"ТОО «Алтын Софт»\"",
            &format!("name = {}", toml_str("ТОО «?> <?= 1 ?>» #SERVER_NAME# \\'")),
        )
        .replace(
            "label = \"Город\"",
            &format!("label = {}", toml_str("Город'); die('x'); //")),
        );
    assert!(t.contains("system('id')"), "title replaced");
    std::fs::write(tmp.join("event.toml"), t).unwrap();
    load(tmp)
}

fn p(s: &str) -> String {
    format!("<p>{}</p>", html(s))
}

/// The input the render step would give, with simple escaped sections.
pub fn input(event: &Event) -> SiteManagementInput<'_> {
    let lang = event.language();
    let when = When::of(event).expect("timing").human(lang);
    let e = event.section().unwrap();
    let org = event.file.organizer.as_ref().unwrap().get_ref();
    let mut program = String::from("<section class=\"section program\"><h2>Программа</h2><ol>");
    for item in event.program() {
        program.push_str(&format!(
            "<li><time>{}–{}</time> {}<ul>",
            html(text(&item.start).unwrap_or("")),
            html(text(&item.end).unwrap_or("")),
            html(text(&item.title).unwrap_or(""))
        ));
        for t in &item.theses {
            program.push_str(&format!("<li>{}</li>", html(t.get_ref())));
        }
        program.push_str("</ul>");
        for key in &item.speakers {
            if let Some(s) = event.speaker(key.get_ref()) {
                program.push_str(&p(&format!(
                    "{}, {}, {}",
                    text(&s.name).unwrap_or(""),
                    text(&s.position).unwrap_or(""),
                    text(&s.company).unwrap_or("")
                )));
            }
        }
        program.push_str("</li>");
    }
    program.push_str("</ol></section>");
    let mut contacts = String::from("<section class=\"section contacts\"><h2>Контакты</h2>");
    for c in &org.contacts {
        let c = c.get_ref();
        contacts.push_str(&p(&format!(
            "{} {} {}",
            text(&c.name).unwrap_or(""),
            text(&c.email).unwrap_or(""),
            text(&c.phone).unwrap_or("")
        )));
    }
    contacts.push_str("</section>");
    let consent = event.file.consent.as_ref().unwrap().get_ref();
    let list = |v: &Option<toml::Spanned<Vec<toml::Spanned<String>>>>| {
        v.as_ref()
            .map(|l| {
                l.get_ref()
                    .iter()
                    .map(|s| s.get_ref().as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let consent_plain = format!(
        "Оператор: {}. Цели: {}. Данные: {}. Действия: {}. Третьи лица: {}; «1С-Битрикс» также вправе обрабатывать эти данные. Срок: {}. Хранение: {}. Отзыв: {}.",
        text(&consent.operator).unwrap_or(""),
        list(&consent.purposes),
        list(&consent.data),
        list(&consent.actions),
        list(&consent.third_parties),
        text(&consent.term).unwrap_or(""),
        text(&consent.storage).unwrap_or(""),
        text(&consent.withdrawal).unwrap_or(""),
    );
    let mut assets = vec![(
        text(&org.logo).unwrap().to_string(),
        std::fs::read(event.dir.join(text(&org.logo).unwrap())).unwrap(),
    )];
    let mut partners = String::from("<section class=\"section partners\">");
    for partner in &event.file.partners {
        let logo = text(&partner.get_ref().logo).unwrap();
        partners.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\">",
            html(logo),
            html(text(&partner.get_ref().name).unwrap_or(""))
        ));
        assets.push((
            logo.to_string(),
            std::fs::read(event.dir.join(logo)).unwrap(),
        ));
    }
    partners.push_str("</section>");
    SiteManagementInput {
        event,
        title: event.title().to_string(),
        description: text(&e.summary).unwrap_or("").to_string(),
        when_human: when.clone(),
        css:
            "body{margin:0;font-family:sans-serif}.hero{background:url(assets/logo.svg) no-repeat}"
                .to_string(),
        sections_before_form: vec![
            (
                "header".into(),
                format!(
                    "<header class=\"site-header\"><img src=\"{}\" alt=\"{}\"></header>",
                    html(text(&org.logo).unwrap()),
                    html(text(&org.name).unwrap())
                ),
            ),
            (
                "hero".into(),
                format!(
                    "<section class=\"hero\"><h1>{}</h1><p class=\"when\">{}</p></section>",
                    html(event.title()),
                    html(&when)
                ),
            ),
            (
                "audience".into(),
                format!(
                    "<section class=\"section audience\">{}</section>",
                    p(text(&e.audience).unwrap())
                ),
            ),
            ("program".into(), program),
        ],
        sections_after_form: vec![("contacts".into(), contacts), ("partners".into(), partners)],
        consent_html: p(&consent_plain),
        consent_plain,
        strings: BTreeMap::new(),
        assets,
        extra_files: vec![],
    }
}

pub fn archive_of(input: &SiteManagementInput) -> Vec<u8> {
    let out = export(input).expect("export");
    assert_eq!(out.len(), 2);
    assert_eq!(out[1].0, "README.txt");
    out[0].1.clone()
}

/// The entries of a .tar.gz: (path, entry type byte, is ustar, data).
pub fn entries(archive: &[u8]) -> Vec<(String, u8, bool, Vec<u8>)> {
    let gz = flate2::read::GzDecoder::new(archive);
    let mut tar = tar::Archive::new(gz);
    let mut out = Vec::new();
    for e in tar.entries().unwrap() {
        let mut e = e.unwrap();
        let h = e.header().clone();
        let path = String::from_utf8(e.path_bytes().to_vec()).unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.push((path, h.entry_type().as_byte(), h.as_ustar().is_some(), data));
    }
    out
}

/// Unpacks the template as «Загрузить шаблон» does: into /bitrix/templates/<slug>/.
pub fn install_template(docroot: &Path, slug: &str, archive: &[u8]) -> PathBuf {
    let dir = docroot.join("bitrix/templates").join(slug);
    std::fs::create_dir_all(&dir).unwrap();
    let gz = flate2::read::GzDecoder::new(archive);
    tar::Archive::new(gz).unpack(&dir).unwrap();
    dir
}

pub fn php(args: &[&str]) -> std::process::Output {
    let out = Command::new("php")
        .args(args)
        .output()
        .expect("`php` is required for these tests: install php-cli (apt-get install -y php-cli)");
    assert!(
        out.status.success(),
        "php {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "php {args:?} wrote warnings:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Runs bxland's install line under PHP against the recording stand-in.
pub fn run_setup(state: &Path, docroot: &Path, slug: &str) -> serde_json::Value {
    let harness = fixtures().join("run_setup.php");
    json(&php(&[
        "-d",
        "display_errors=stderr",
        "-d",
        "error_reporting=E_ALL",
        harness.to_str().unwrap(),
        state.to_str().unwrap(),
        docroot.to_str().unwrap(),
        &install_line(slug),
    ]))
}

pub fn render(state: &Path, docroot: &Path, slug: &str, scenario: &str) -> String {
    let harness = fixtures().join("render_page.php");
    let v = json(&php(&[
        "-d",
        "display_errors=stderr",
        "-d",
        "error_reporting=E_ALL",
        harness.to_str().unwrap(),
        state.to_str().unwrap(),
        docroot.to_str().unwrap(),
        slug,
        scenario,
    ]));
    v["html"].as_str().unwrap().to_string()
}
