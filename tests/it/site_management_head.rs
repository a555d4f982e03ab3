//! The head of the page a visitor opens through the Site Management template (built as
//! `bxland build --target html,site-management` builds it, installed, set up, rendered through
//! the stand-in) carries the preview's title, description, Open Graph tags and JSON-LD
//! `Event`, with a canonical link; every address is absolute, and the images it names are the
//! files the archive ships (the 1200×630 card among them).

use crate::support::site_management_common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use bxland::render::head::Head;
use serde_json::Value;
use site_management_common::*;

const SLUG: &str = "b24-sales-2027-03";
const ORIGIN: &str = "https://altyn-soft.example.kz";
const CACHE_DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/bxland-cache");

struct Built {
    _tmp: tempfile::TempDir,
    preview: PathBuf,
    docroot: PathBuf,
    /// The rendered Site Management page.
    html: String,
}

/// Builds the example event (with `edit` applied to its event.toml), installs the template,
/// runs setup and renders the page.
fn build(edit: impl Fn(String) -> String) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-event");
    let dir = tmp.path().join("event");
    copy_dir(&src, &dir);
    let toml = std::fs::read_to_string(dir.join("event.toml")).unwrap();
    std::fs::write(dir.join("event.toml"), edit(toml)).unwrap();
    let out = tmp.path().join("dist");
    Command::cargo_bin("bxland")
        .unwrap()
        .env("BXLAND_CACHE_DIR", CACHE_DIR)
        .arg("build")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .args(["--today", "2026-11-25", "--target", "html,site-management"])
        .assert()
        .code(0);
    let built = out.join(SLUG);
    let archive =
        std::fs::read(built.join(format!("site-management/{SLUG}.tar.gz"))).expect("archive");
    let docroot = tmp.path().join("www");
    install_template(&docroot, SLUG, &archive);
    let state = tmp.path().join("state.json");
    run_setup(&state, &docroot, SLUG);
    let html = render(&state, &docroot, SLUG, "fresh");
    Built {
        preview: built.join("preview"),
        docroot,
        html,
        _tmp: tmp,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// What a browser reads from an attribute value or text: the named entities the pages write,
/// and decimal character references.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').filter(|e| *e <= 8);
        let decoded = end.and_then(|e| match &tail[1..e] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "amp" => Some('&'),
            n => n
                .strip_prefix('#')
                .and_then(|d| d.parse::<u32>().ok())
                .and_then(char::from_u32),
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The attributes of every `<tag ...>` in `html` (quoted values only, as both heads write).
fn tags(html: &str, tag: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let open = format!("<{tag} ");
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let body = &rest[at + open.len()..];
        let end = body.find('>').unwrap();
        let mut attrs = Vec::new();
        let mut a = &body[..end];
        while let Some(eq) = a.find("=\"") {
            let name = a[..eq].trim().to_string();
            let v = &a[eq + 2..];
            let close = v.find('"').unwrap();
            attrs.push((name, unescape(&v[..close])));
            a = &v[close + 1..];
        }
        out.push(attrs);
        rest = &body[end..];
    }
    out
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// (key, content) of each `<meta name|property>` of the page's head.
fn metas(head: &str) -> Vec<(String, String)> {
    tags(head, "meta")
        .iter()
        .filter_map(|a| {
            let key = attr(a, "property").or_else(|| attr(a, "name"))?;
            Some((key.to_string(), attr(a, "content")?.to_string()))
        })
        .collect()
}

fn head_of(html: &str) -> &str {
    &html[..html.find("</head>").expect("a head")]
}

fn title_of(html: &str) -> String {
    let start = html.find("<title>").unwrap() + "<title>".len();
    unescape(&html[start..start + html[start..].find("</title>").unwrap()])
}

fn json_ld_of(head: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let all: Vec<&str> = head
        .match_indices(open)
        .map(|(i, _)| i)
        .map(|i| &head[i + open.len()..])
        .collect();
    assert_eq!(all.len(), 1, "one JSON-LD script");
    serde_json::from_str(&all[0][..all[0].find("</script>").unwrap()]).expect("valid JSON")
}

/// The preview's head extras, as the page holds them.
fn preview_head(preview: &Path) -> (String, Head) {
    let html = std::fs::read_to_string(preview.join("index.html")).unwrap();
    let start = html
        .find("<meta name=\"description\"")
        .expect("head extras");
    let end = start + html[start..].find("</script>").expect("JSON-LD") + "</script>".len();
    let head = Head::from_html(&html[start..end]).expect("the preview's head reads back");
    (title_of(&html), head)
}

/// The file an address of the Site Management page names, in the document root.
fn site_file(docroot: &Path, url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix(ORIGIN)?;
    let path = path.split('#').next().unwrap();
    let mut file = docroot.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.php");
    }
    file.is_file().then_some(file)
}

/// The file an address of the preview names, in the preview folder.
fn preview_file(preview: &Path, page_url: &str, url: &str) -> Option<PathBuf> {
    let rel = url.strip_prefix(page_url)?;
    let file = preview.join(rel);
    (!rel.is_empty() && file.is_file()).then_some(file)
}

/// Every string of a JSON value, with its path.
fn strings(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((path, s.clone())),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| strings(x, format!("{path}[{i}]"), out)),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| strings(x, format!("{path}.{k}"), out)),
        _ => {}
    }
}

fn is_absolute(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://"))
        && u.split("://")
            .nth(1)
            .is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
}

const URL_KEYS: &[&str] = &[
    "url",
    "logo",
    "image",
    "availability",
    "eventStatus",
    "eventAttendanceMode",
    "@context",
];

/// The schema.org `Event` checks: the types, the required and recommended properties, and
/// only properties schema.org defines for the types used.
fn assert_schema_event(ld: &Value) {
    const EVENT: &[&str] = &[
        "@context",
        "@type",
        "name",
        "description",
        "startDate",
        "endDate",
        "eventAttendanceMode",
        "eventStatus",
        "inLanguage",
        "isAccessibleForFree",
        "location",
        "offers",
        "organizer",
        "performer",
        "url",
        "image",
    ];
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Event");
    for (k, _) in ld.as_object().unwrap() {
        assert!(EVENT.contains(&k.as_str()), "Event has no property {k}");
    }
    assert!(!ld["name"].as_str().unwrap().is_empty());
    let start = chrono::DateTime::parse_from_rfc3339(ld["startDate"].as_str().unwrap())
        .expect("startDate: ISO 8601 with an offset");
    let end = chrono::DateTime::parse_from_rfc3339(ld["endDate"].as_str().unwrap())
        .expect("endDate: ISO 8601 with an offset");
    assert!(start < end);
    assert_eq!(start.offset().local_minus_utc(), 5 * 3600, "Asia/Almaty");
    assert_eq!(
        ld["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert!([
        "https://schema.org/EventScheduled",
        "https://schema.org/EventRescheduled",
        "https://schema.org/EventPostponed",
        "https://schema.org/EventCancelled",
        "https://schema.org/EventMovedOnline",
    ]
    .contains(&ld["eventStatus"].as_str().unwrap()));
    let loc = &ld["location"];
    assert_eq!(loc["@type"], "VirtualLocation");
    assert!(is_absolute(loc["url"].as_str().unwrap()));
    let org = &ld["organizer"];
    assert!(["Organization", "Person"].contains(&org["@type"].as_str().unwrap()));
    assert!(!org["name"].as_str().unwrap().is_empty());
    let offer = &ld["offers"];
    assert_eq!(offer["@type"], "Offer");
    assert_eq!(offer["price"], "0");
    assert_eq!(offer["priceCurrency"], "KZT");
    assert!(offer["availability"]
        .as_str()
        .unwrap()
        .starts_with("https://schema.org/"));
    assert!(is_absolute(offer["url"].as_str().unwrap()));
    for (k, _) in offer.as_object().unwrap() {
        assert!(
            [
                "@type",
                "price",
                "priceCurrency",
                "availability",
                "url",
                "validFrom"
            ]
            .contains(&k.as_str()),
            "Offer has no {k}"
        );
    }
    let images = ld["image"].as_array().expect("image list");
    assert!(!images.is_empty());
    for p in ld["performer"].as_array().into_iter().flatten() {
        assert_eq!(p["@type"], "Person");
        assert!(!p["name"].as_str().unwrap().is_empty());
    }
    // Every address is absolute.
    let mut all = Vec::new();
    strings(ld, String::new(), &mut all);
    for (path, s) in &all {
        let key = path.rsplit('.').next().unwrap();
        let key = key.split('[').next().unwrap();
        if URL_KEYS.contains(&key) {
            assert!(is_absolute(s), "{path} = {s} is not absolute");
        }
    }
}

fn check(b: &Built, page_url: &str, page_installed: bool) {
    let (preview_title, preview) = preview_head(&b.preview);
    let head = head_of(&b.html);

    // The title and the description, once.
    assert_eq!(title_of(&b.html), preview_title);
    // The viewport meta is the page's own (the preview has it too, outside the extras).
    let metas: Vec<(String, String)> = metas(head)
        .into_iter()
        .filter(|(k, _)| k != "viewport")
        .collect();
    let description: Vec<&str> = metas
        .iter()
        .filter(|(k, _)| k == "description")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        description,
        vec![preview.get("description").unwrap()],
        "{head}"
    );

    // The same Open Graph / Twitter set, the same values but for the image's address.
    let keys = |m: &mut dyn Iterator<Item = String>| {
        let mut v: Vec<String> = m.collect();
        v.sort();
        v
    };
    assert_eq!(
        keys(&mut metas.iter().map(|(k, _)| k.clone())),
        keys(&mut preview.meta.iter().map(|m| m.key.clone())),
        "{head}"
    );
    for (k, v) in &metas {
        if k.ends_with(":image") {
            continue;
        }
        assert_eq!(Some(v.as_str()), preview.get(k), "{k}");
    }
    for k in [
        "og:title",
        "og:description",
        "og:type",
        "og:url",
        "og:image",
        "og:locale",
    ] {
        assert!(metas.iter().any(|(m, _)| m == k), "{k} missing:\n{head}");
    }
    let get = |k: &str| {
        metas
            .iter()
            .find(|(m, _)| m == k)
            .map(|(_, v)| v.as_str())
            .unwrap()
    };
    assert_eq!(get("og:url"), page_url);
    assert_eq!(get("og:image:width"), "1200");
    assert_eq!(get("og:image:height"), "630");
    assert_eq!(get("og:locale"), "ru_RU");

    // The card: absolute, a file the archive ships, the preview's card.
    let og_image = get("og:image");
    assert_eq!(
        og_image,
        format!("{ORIGIN}/bitrix/templates/{SLUG}/images/og-card.png")
    );
    assert_eq!(get("twitter:image"), og_image);
    let card =
        std::fs::read(site_file(&b.docroot, og_image).expect("the card is on the site")).unwrap();
    let size = imagesize::blob_size(&card).unwrap();
    assert_eq!((size.width, size.height), (1200, 630));
    let preview_card = preview.get("og:image").unwrap();
    assert_eq!(
        std::fs::read(
            preview_file(&b.preview, page_url, preview_card).expect("the preview's card")
        )
        .unwrap(),
        card
    );

    // The canonical address is the page's.
    let canonical: Vec<String> = tags(head, "link")
        .iter()
        .filter(|a| attr(a, "rel") == Some("canonical"))
        .map(|a| attr(a, "href").unwrap().to_string())
        .collect();
    assert_eq!(canonical, vec![page_url.to_string()]);
    if page_installed {
        assert!(
            site_file(&b.docroot, page_url).is_some(),
            "setup wrote {page_url}"
        );
    }

    // The JSON-LD Event: valid, and the preview's, each file address naming the same file.
    let ld = json_ld_of(head);
    assert_schema_event(&ld);
    let mut ours = Vec::new();
    strings(&ld, String::new(), &mut ours);
    let mut theirs = Vec::new();
    strings(&preview.json_ld, String::new(), &mut theirs);
    assert_eq!(
        ours.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        theirs.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, a), (_, b_)) in ours.iter().zip(&theirs) {
        if a == b_ {
            continue;
        }
        let site = site_file(&b.docroot, a)
            .unwrap_or_else(|| panic!("{path}: {a} is no file on the site"));
        let prev = preview_file(&b.preview, page_url, b_)
            .unwrap_or_else(|| panic!("{path}: {b_} is no preview file"));
        assert_eq!(
            std::fs::read(site).unwrap(),
            std::fs::read(prev).unwrap(),
            "{path}"
        );
        assert!(
            a.starts_with(&format!("{ORIGIN}/bitrix/templates/{SLUG}/images/")),
            "{path}: {a}"
        );
    }
    assert_eq!(ld["image"][0].as_str(), Some(og_image), "the card first");
    assert_eq!(ld["url"].as_str(), Some(page_url));
    assert_eq!(
        ld["offers"]["url"].as_str(),
        Some(format!("{page_url}#registration").as_str())
    );
    assert!(ld.as_object().unwrap().contains_key("performer"));
    assert_eq!(preview.json_ld["name"], ld["name"]);
    for (k, v) in ld.as_object().unwrap() {
        if !["image", "organizer"].contains(&k.as_str()) {
            assert_eq!(&preview.json_ld[k], v, "{k}");
        }
    }
}

#[test]
fn the_page_carries_the_previews_head_with_the_card_it_ships() {
    // Without page_url the page is where setup puts it: organizer.website + /<slug>/.
    let b = build(|toml| {
        toml.lines()
            .filter(|l| !l.starts_with("page_url"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    check(&b, &format!("{ORIGIN}/{SLUG}/"), true);
}

#[test]
fn the_declared_page_address_is_canonical_and_og_url() {
    let b = build(|toml| toml);
    check(
        &b,
        "https://altyn-soft.example.kz/webinars/b24-sales-2027-03/",
        false,
    );
}

#[test]
fn text_that_holds_the_template_mark_or_markup_stays_as_written() {
    let title = "Битрикс24 %%BXLAND_TPL%% для «продаж» & \"CRM\" 'A' < B";
    let b = build(|toml| {
        toml.replacen(
            "title = \"Битрикс24 для отдела продаж: от заявки до сделки\"",
            &format!("title = \"{}\"", title.replace('"', "\\\"")),
            1,
        )
    });
    let (_, preview) = preview_head(&b.preview);
    assert_eq!(preview.get("og:title"), Some(title));
    let head = head_of(&b.html);
    let metas = metas(head);
    let og_title = metas.iter().find(|(k, _)| k == "og:title").unwrap();
    assert_eq!(og_title.1, title);
    let ld = json_ld_of(head);
    assert_eq!(ld["name"], title);
}

#[test]
fn without_the_card_the_logo_the_template_ships_is_the_image() {
    // The library path without the announcement kit: the preview's og:image is the logo.
    let event = example();
    let inp = input(&event);
    assert!(inp.og_card.is_none());
    let archive = archive_of(&inp);
    assert!(!entries(&archive)
        .iter()
        .any(|e| e.0.ends_with("og-card.png")));
    let tmp = tempfile::tempdir().unwrap();
    let docroot = tmp.path().join("www");
    install_template(&docroot, SLUG, &archive);
    let state = tmp.path().join("state.json");
    run_setup(&state, &docroot, SLUG);
    let html = render(&state, &docroot, SLUG, "fresh");
    let head = head_of(&html);
    let metas = metas(head);
    let og_image = &metas.iter().find(|(k, _)| k == "og:image").unwrap().1;
    assert!(
        og_image.starts_with(&format!("{ORIGIN}/bitrix/templates/{SLUG}/images/img")),
        "{og_image}"
    );
    assert!(site_file(&docroot, og_image).is_some(), "{og_image}");
    assert!(!metas.iter().any(|(k, _)| k == "og:image:width"));
    let ld = json_ld_of(head);
    assert_schema_event(&ld);
    assert_eq!(ld["image"], serde_json::json!([og_image]));
    assert_eq!(ld["organizer"]["logo"].as_str(), Some(og_image.as_str()));
}
