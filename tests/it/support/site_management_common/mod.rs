//! Shared helpers of the site-management tests: an input built from an event folder (simple
//! HTML sections escaped here, standing in for the render step), the archive unpacked into a
//! document root, and PHP runs that fail loudly when `php` is missing.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use bxland::export::site_management::escape::html;
use bxland::export::site_management::{export, install_line, SiteManagementInput};
use bxland::webinar::Webinar;

pub const HOSTILE: &str = r#"'; system('id'); // <?php ?> {$x} #EMAIL# \ </p><script>x</script>"#;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site_management")
}

/// The webinar model of an event folder (what the export reads).
pub fn load(dir: &Path) -> Webinar {
    let event = bxland::event::load(dir).expect("event loads");
    Webinar::from_event(&event).expect("the event has a webinar model")
}

pub fn example() -> Webinar {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event"))
}

/// A copy of the example event whose texts are hostile to PHP, HTML and mail templates.
pub fn hostile(tmp: &Path) -> Webinar {
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

/// The input the build gives: the event rendered through its theme, the same sections and
/// CSS as the static preview.
pub fn input(event: &Webinar) -> SiteManagementInput<'_> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let theme = bxland::render::Theme::for_choice(&event.theme).expect("the theme loads");
    let page = bxland::render::render_page(event, &theme, &bxland::render::PageOptions::new(today))
        .expect("the event renders");
    bxland::export::from_page::site_management(event, &page, &theme, Vec::new())
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

thread_local! {
    /// Where the harnesses record line coverage (see `fixtures/site_management/coverage.php`),
    /// when a test asks for it. Per thread: every test of the one test binary runs on its own
    /// thread, and only the coverage test's PHP runs are to be recorded.
    static COVERAGE_DIR: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

/// Records the line coverage of this thread's PHP runs into `dir`.
pub fn record_coverage_into(dir: &Path) {
    COVERAGE_DIR.with(|c| *c.borrow_mut() = Some(dir.to_path_buf()));
}

pub fn php(args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("php");
    if let Some(dir) = COVERAGE_DIR.with(|c| c.borrow().clone()) {
        cmd.env("BXLAND_PHP_COVERAGE", dir)
            .arg("-d")
            .arg(format!("pcov.directory={}", std::env::temp_dir().display()));
    }
    let out = cmd
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

/// Runs a harness of `fixtures/site_management/` on a site (its stand-in state and document
/// root) with every PHP notice an error; its JSON answer.
fn harness(script: &str, state: &Path, docroot: &Path, args: &[&str]) -> serde_json::Value {
    let script = fixtures().join(script);
    let mut all = vec![
        "-d",
        "display_errors=stderr",
        "-d",
        "error_reporting=E_ALL",
        script.to_str().unwrap(),
        state.to_str().unwrap(),
        docroot.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    json(&php(&all))
}

/// Runs bxland's install line under PHP against the recording stand-in.
pub fn run_setup(state: &Path, docroot: &Path, slug: &str) -> serde_json::Value {
    run_setup_line(state, docroot, &install_line(slug))
}

pub fn render(state: &Path, docroot: &Path, slug: &str, scenario: &str) -> String {
    let v = harness("render_page.php", state, docroot, &[slug, scenario]);
    v["html"].as_str().unwrap().to_string()
}

/// The export as `bxland build --target site-management` writes it: the page, the setup and
/// the reminder agent with its mail templates (`install/mailings.php`).
pub fn build_export(event: &Webinar, today: chrono::NaiveDate) -> (Vec<u8>, String) {
    let mut inp = input(event);
    let comms = bxland::comms::EventComms::new(event, today);
    inp.extra_files =
        bxland::export::site_management::agent::files_with(event, comms.schedule(), comms.mails());
    let out = export(&inp).expect("export");
    (
        out[0].1.clone(),
        String::from_utf8(out[1].1.clone()).unwrap(),
    )
}

/// The line an administrator copies from README.txt into «Командная PHP-строка».
pub fn pasted_line(readme: &str) -> String {
    let lines: Vec<&str> = readme
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("defined('BXLAND_SETUP')"))
        .collect();
    assert_eq!(lines.len(), 1, "README prints one install line:\n{readme}");
    lines[0].to_string()
}

/// [`run_setup`] with the line as given (e.g. taken from the README).
pub fn run_setup_line(state: &Path, docroot: &Path, line: &str) -> serde_json::Value {
    harness("run_setup.php", state, docroot, &[line])
}

/// One action of `site_action.php` (agents, a new registration, a status change).
pub fn site_action(state: &Path, docroot: &Path, args: &[&str]) -> serde_json::Value {
    harness("site_action.php", state, docroot, args)
}
