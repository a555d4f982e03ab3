//! `bxland publish --bitrix24 WEBHOOK`: the REST calls that put an export on a portal.
//!
//! The order: `crm.webform.list` (the form must be active), `landing.repo.register` for every
//! block (same code = the same library entry) and `landing.repo.unregister` for entries an
//! earlier publish of the event no longer uses; the site (recorded, or
//! `landing.site.getList` → `landing.site.add`); the page — `--page-id`, the recorded one, or
//! the one with the event's code — looked up again among trashed pages (`=DELETED: Y`) when
//! missing, so that a trashed or deleted page is reported instead of duplicated; the draft's
//! blocks compared with what was last published (editor edits need `--force`);
//! `landing.landing.update`/`add`, `landing.landing.getpublicurl`; per block
//! `landing.block.updatecontent`, or `landing.landing.addblock` after the previous one plus
//! `landing.block.changeAnchor`; `landing.block.uploadfile` for images not uploaded yet, then
//! the contents with their URLs; `landing.landing.publication`; `landing.block.getlist` for
//! the state. The first REST error stops everything (limits are retried first).
//!
//! The webhook URL `https://<portal>/rest/<user>/<secret>/` carries a credential: every message
//! that leaves this module goes through [`Webhook::redact`].

mod client;
mod state;

pub use client::*;
use client::{as_id, bad_reply};
pub use state::*;

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{Plan, SITE_CODE};
use crate::i18n::Text;
use crate::t;

/// How to publish.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Also `landing.landing.publication`.
    pub publish_page: bool,
    /// Overwrite changes made in the Bitrix24 editor since the last publish.
    pub force: bool,
    /// The page to update, whatever the state file says (`--page-id`).
    pub page_id: Option<u64>,
    /// Create a new page even though the recorded one is gone (`--new-page`).
    pub new_page: bool,
    /// The state of the previous publish on this portal.
    pub state: Option<State>,
    /// The page's files by the relative path the blocks use (images, sanitized already).
    pub files: Vec<(String, Vec<u8>)>,
    /// The 1200×630 announcement card, uploaded as the page's Open Graph image.
    pub og_image: Option<Vec<u8>>,
}

/// What `publish` did on the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub site_id: u64,
    pub page_id: u64,
    /// (block code, repository id, block id on the page).
    pub blocks: Vec<(String, u64, u64)>,
    pub site_created: bool,
    pub page_created: bool,
    pub added_blocks: usize,
    pub updated_blocks: usize,
    pub uploaded_files: usize,
    pub unregistered: usize,
    pub published: bool,
    pub public_url: Option<String>,
    /// Why the calendar file could not be put on the portal (its link was left out).
    pub calendar_error: Option<RestError>,
    /// What to record in the state file.
    pub state: State,
}

/// Why `publish` stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishError {
    Rest(RestError),
    /// `crm.webform.list` (active forms only) does not list the form.
    FormMissing {
        id: u64,
        active: Vec<(u64, String)>,
    },
    /// The recorded page is in the Bitrix24 trash.
    PageTrashed {
        id: u64,
    },
    /// The recorded page no longer exists.
    PageGone {
        id: u64,
    },
    /// A page with the event's code is in the trash (Bitrix would give a new page another code).
    CodeTrashed {
        id: u64,
        code: String,
    },
    /// Blocks changed in the Bitrix24 editor since the last publish.
    EditedInEditor {
        sections: Vec<String>,
    },
}

impl From<RestError> for PublishError {
    fn from(e: RestError) -> Self {
        PublishError::Rest(e)
    }
}

impl PublishError {
    pub fn message(&self) -> Text {
        match self {
            PublishError::Rest(e) => e.message(),
            PublishError::FormMissing { id, active } => {
                let list = if active.is_empty() {
                    "активных форм нет / there are no active forms".to_string()
                } else {
                    active
                        .iter()
                        .map(|(i, n)| format!("{i} «{n}»"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                t!(
                    "CRM-формы {id} нет среди активных форм портала (crm.webform.list): {list}. Страница не опубликована: без формы на ней нельзя зарегистрироваться",
                    "CRM form {id} is not among the portal's active forms (crm.webform.list): {list}. Nothing was published: without the form nobody can register on the page"
                )
            }
            PublishError::PageTrashed { id } => t!(
                "страница {id}, которую bxland публиковал для этого события, лежит в корзине Битрикс24",
                "page {id}, which bxland published for this event, is in the Bitrix24 trash"
            ),
            PublishError::PageGone { id } => t!(
                "страницы {id}, которую bxland публиковал для этого события, на портале больше нет",
                "page {id}, which bxland published for this event, no longer exists on the portal"
            ),
            PublishError::CodeTrashed { id, code } => t!(
                "адрес «{code}» занят страницей {id} из корзины Битрикс24: новая страница получила бы другой адрес",
                "the address \"{code}\" is taken by page {id} in the Bitrix24 trash: a new page would get another address"
            ),
            PublishError::EditedInEditor { sections } => {
                let names: Vec<String> = sections
                    .iter()
                    .map(|s| format!("«{}»", super::section_label(s, crate::webinar::Language::Ru)))
                    .collect();
                let ru = names.join(", ");
                let en = sections.join(", ");
                Text::new(
                    format!("после прошлой публикации страницу меняли в редакторе Битрикс24 (блоки: {ru}); публикация заменила бы эти правки"),
                    format!("the page was changed in the Bitrix24 editor since the last publish (blocks: {en}); publishing would overwrite those edits"),
                )
            }
        }
    }

    pub fn help(&self) -> Text {
        match self {
            PublishError::Rest(e) => e.help(),
            PublishError::FormMissing { .. } => t!(
                "проверьте номер в --form-id (CRM → CRM-формы, столбец ID) и что форма включена (переключатель «Активна»); вебхуку нужны права «CRM» (crm)",
                "check the number in --form-id (CRM → CRM forms, the ID column) and that the form is switched on (Active); the webhook needs the «CRM» (crm) permission"
            ),
            PublishError::PageTrashed { id } => t!(
                "восстановите её («Сайты» → «Корзина» → «Восстановить») и запустите publish снова — bxland обновит её; либо удалите её из корзины насовсем и запустите publish с --new-page, либо укажите другую страницу: --page-id <ID> (страница {id} останется в корзине)",
                "restore it (Sites → Trash → Restore) and run publish again — bxland will update it; or delete it from the trash for good and run publish with --new-page, or name another page with --page-id <ID> (page {id} stays in the trash)"
            ),
            PublishError::PageGone { .. } => t!(
                "чтобы создать страницу заново, запустите publish с --new-page; чтобы обновлять другую страницу, укажите --page-id <ID>",
                "to create the page again, run publish with --new-page; to update another page, pass --page-id <ID>"
            ),
            PublishError::CodeTrashed { id, .. } => t!(
                "восстановите страницу {id} из корзины («Сайты» → «Корзина») и запустите publish снова — bxland обновит её; или удалите её из корзины насовсем; или запустите с --new-page, согласившись на другой адрес",
                "restore page {id} from the trash (Sites → Trash) and run publish again — bxland will update it; or delete it from the trash for good; or run with --new-page and accept another address"
            ),
            PublishError::EditedInEditor { .. } => t!(
                "перенесите нужные правки в event.toml и запустите publish с --force: страница станет такой, как её собирает bxland",
                "carry the edits you want into event.toml and run publish with --force: the page becomes what bxland builds"
            ),
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every `src="…"`/`href="…"` value of `html` equal to `path`, replaced by `url`.
fn replace_url(html: &str, path: &str, url: &str) -> String {
    let mut out = html.to_string();
    for attr in ["src", "href"] {
        out = out.replace(
            &format!("{attr}=\"{path}\""),
            &format!("{attr}=\"{}\"", super::escape(url)),
        );
    }
    out
}

fn refers_to(html: &str, path: &str) -> bool {
    html.contains(&format!("src=\"{path}\"")) || html.contains(&format!("href=\"{path}\""))
}

/// An upload's `src`, made absolute against the portal's public origin when it is relative.
fn absolute(src: &str, origin: Option<&str>) -> String {
    if src.starts_with("https://") || src.starts_with("http://") {
        return src.to_string();
    }
    match origin {
        Some(o) if src.starts_with('/') => format!("{o}{src}"),
        Some(o) => format!("{o}/{src}"),
        None => src.to_string(),
    }
}

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

/// The anchor of a section's block: the section name, unless an element inside already has
/// that id (two elements with one id would break the link).
fn anchor_for(section: &str, all_content: &str) -> Option<String> {
    let ok = section.len() >= 2
        && section.as_bytes()[0].is_ascii_alphabetic()
        && section
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    (ok && !all_content.contains(&format!(" id=\"{section}\""))).then(|| section.to_string())
}

fn page_list(
    client: &mut Client,
    filter: Value,
    what: &str,
) -> Result<Vec<(u64, String)>, RestError> {
    let r = client.call(
        "landing.landing.getList",
        &json!({ "params": { "select": ["ID", "CODE", "SITE_ID"], "filter": filter } }),
        what,
    )?;
    Ok(r.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p.get("ID").and_then(as_id)?,
                p.get("CODE")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ))
        })
        .collect())
}

/// The draft blocks of a page: (id, code, content).
fn draft_blocks(client: &mut Client, lid: u64) -> Result<Vec<(u64, String, String)>, RestError> {
    let r = client.call(
        "landing.block.getlist",
        &json!({ "lid": lid, "params": { "edit_mode": 1, "get_content": 1 } }),
        &format!("lid={lid}"),
    )?;
    Ok(r.as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            Some((
                b.get("id").and_then(as_id)?,
                b.get("code").and_then(Value::as_str)?.to_string(),
                b.get("content")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ))
        })
        .collect())
}

/// Performs the calls (see the module doc).
pub fn publish(
    client: &mut Client,
    plan: &Plan,
    opts: &Options,
) -> Result<Published, PublishError> {
    let portal = client.webhook.portal();
    let state = opts.state.as_ref().filter(|s| s.portal == portal);

    // 0. The CRM form must exist and be active: crm.webform.list lists active forms only.
    if let Some(form_id) = plan.form_id {
        let r = client.call("crm.webform.list", &json!({}), &format!("form={form_id}"))?;
        let active: Vec<(u64, String)> = r
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| {
                Some((
                    f.get("ID").and_then(as_id)?,
                    f.get("NAME")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ))
            })
            .collect();
        if !active.iter().any(|(id, _)| *id == form_id) {
            return Err(PublishError::FormMissing {
                id: form_id,
                active,
            });
        }
    }

    // Contents with the files uploaded before (same bytes) already at their URLs.
    let files: Vec<(&str, &[u8], String)> = opts
        .files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice(), sha256_hex(b)))
        .collect();
    let mut known: BTreeMap<String, String> = BTreeMap::new();
    if let Some(s) = state {
        for (path, _, sha) in &files {
            if let Some(u) = s.files.get(*path).filter(|u| &u.sha256 == sha) {
                known.insert(path.to_string(), u.src.clone());
            }
        }
    }
    // Contents with the known URLs; a calendar link still relative after that is left out.
    let with_known = |html: &str, known: &BTreeMap<String, String>| -> String {
        super::drop_ics_links(
            &known
                .iter()
                .fold(html.to_string(), |h, (p, u)| replace_url(&h, p, u)),
        )
    };

    // 1. The site: the recorded one, or found by its code ("/code/" as stored).
    let (site_id, site_created) = match state {
        Some(s) if s.site_id != 0 => (s.site_id, false),
        _ => {
            let r = client.call(
                "landing.site.getList",
                &json!({ "params": {
                    "select": ["ID", "CODE"],
                    "filter": { "=CODE": format!("/{SITE_CODE}/") },
                }}),
                &format!("CODE={SITE_CODE}"),
            )?;
            let existing = r.as_array().and_then(|a| {
                a.iter()
                    .find(|s| {
                        s.get("CODE")
                            .and_then(Value::as_str)
                            .map(|c| c.trim_matches('/'))
                            == Some(SITE_CODE)
                    })
                    .and_then(|s| s.get("ID").and_then(as_id))
            });
            match existing {
                Some(id) => (id, false),
                None => {
                    let r = client.call(
                        "landing.site.add",
                        &json!({ "fields": plan.site_fields }),
                        &format!("CODE={SITE_CODE}"),
                    )?;
                    (
                        as_id(&r).ok_or_else(|| bad_reply("landing.site.add", &r))?,
                        true,
                    )
                }
            }
        }
    };

    // 2. The page: --page-id, else the recorded one, else the one with the event's code.
    //    getList hides trashed pages unless the filter names DELETED, so a missing page is
    //    looked up once more among the deleted ones before anything new is created.
    let target = opts
        .page_id
        .or(state.map(|s| s.page_id).filter(|id| *id != 0));
    let mut existing_page = None;
    match target {
        Some(lid) => {
            let live = page_list(client, json!({ "ID": lid }), &format!("ID={lid}"))?;
            if live.iter().any(|(id, _)| *id == lid) {
                existing_page = Some(lid);
            } else if !opts.new_page {
                let trashed = page_list(
                    client,
                    json!({ "ID": lid, "=DELETED": "Y" }),
                    &format!("ID={lid} DELETED=Y"),
                )?;
                return Err(if trashed.iter().any(|(id, _)| *id == lid) {
                    PublishError::PageTrashed { id: lid }
                } else {
                    PublishError::PageGone { id: lid }
                });
            }
        }
        None => {
            let live = page_list(
                client,
                json!({ "SITE_ID": site_id, "=CODE": plan.slug }),
                &format!("CODE={}", plan.slug),
            )?;
            existing_page = live
                .iter()
                .find(|(_, c)| *c == plan.slug)
                .map(|(id, _)| *id);
            if existing_page.is_none() && !opts.new_page {
                let trashed = page_list(
                    client,
                    json!({ "SITE_ID": site_id, "=CODE": plan.slug, "=DELETED": "Y" }),
                    &format!("CODE={} DELETED=Y", plan.slug),
                )?;
                if let Some((id, _)) = trashed.iter().find(|(_, c)| *c == plan.slug) {
                    return Err(PublishError::CodeTrashed {
                        id: *id,
                        code: plan.slug.clone(),
                    });
                }
            }
        }
    }

    // 3. Edits made in the editor since the last publish: refused without --force.
    let mut on_page: Vec<(u64, String, String)> = Vec::new();
    if let Some(lid) = existing_page {
        on_page = draft_blocks(client, lid)?;
        if let Some(s) = state.filter(|s| s.page_id == lid) {
            let edited: Vec<String> = s
                .blocks
                .iter()
                .filter(|b| {
                    on_page
                        .iter()
                        .find(|(id, _, _)| *id == b.id)
                        .is_none_or(|(_, _, c)| sha256_hex(c.as_bytes()) != b.hash)
                })
                .map(|b| b.section.clone())
                .collect();
            if !edited.is_empty() && !opts.force {
                return Err(PublishError::EditedInEditor { sections: edited });
            }
        }
    }

    // The calendar file goes to the webhook user's Drive with a public link (the landing
    // file method takes images only). Without Drive rights the link is left off the page.
    let mut calendar_error = None;
    let mut ids: BTreeMap<String, Option<u64>> = BTreeMap::new();
    for (path, bytes, _) in files.iter().filter(|(p, _, _)| p.ends_with(".ics")) {
        let used = plan
            .blocks
            .iter()
            .any(|(_, b)| refers_to(&b.fields.content, path));
        if !used || known.contains_key(*path) {
            continue;
        }
        match upload_to_drive(client, &plan.slug, bytes) {
            Ok((id, url)) => {
                known.insert(path.to_string(), url);
                ids.insert(path.to_string(), Some(id));
            }
            Err(e) => calendar_error = Some(e),
        }
    }

    // 4. Nothing refused: the blocks into the repository (the same code updates the same
    //    entry).
    let mut repo_ids = Vec::new();
    let mut registered: Vec<String> = Vec::new();
    for (_, block) in &plan.blocks {
        let mut params = serde_json::to_value(block).unwrap_or_default();
        let content = with_known(&block.fields.content, &known);
        params["fields"]["CONTENT"] = json!(content);
        let r = client.call(
            "landing.repo.register",
            &params,
            &format!("code={}", block.code),
        )?;
        let id = as_id(&r).ok_or_else(|| bad_reply("landing.repo.register", &r))?;
        repo_ids.push((block.code.clone(), id));
        registered.push(content);
    }
    // What an earlier publish of this event registered and this one no longer uses.
    let mut unregistered = 0;
    if let Some(s) = state {
        for code in s.repo.keys() {
            if !plan.blocks.iter().any(|(_, b)| &b.code == code) {
                client.call(
                    "landing.repo.unregister",
                    &json!({ "code": code }),
                    &format!("code={code}"),
                )?;
                unregistered += 1;
            }
        }
    }

    let mut page_fields = plan.page_fields.clone();
    page_fields["SITE_ID"] = json!(site_id);
    // The Open Graph card: the one uploaded before when its bytes are the same.
    let og_sha = opts.og_image.as_deref().map(sha256_hex);
    let mut og: Option<Uploaded> = state
        .and_then(|s| s.files.get(OG_CARD_KEY))
        .filter(|u| Some(&u.sha256) == og_sha.as_ref() && u.id.is_some())
        .cloned();
    if let Some(id) = og.as_ref().and_then(|u| u.id) {
        page_fields["ADDITIONAL_FIELDS"]["METAOG_IMAGE"] = json!(id);
    }
    let (page_id, page_created) = match existing_page {
        Some(lid) => {
            client.call(
                "landing.landing.update",
                &json!({ "lid": lid, "fields": page_fields }),
                &format!("lid={lid}"),
            )?;
            (lid, false)
        }
        None => {
            let r = client.call(
                "landing.landing.add",
                &json!({ "fields": page_fields }),
                &format!("CODE={}", plan.slug),
            )?;
            (
                as_id(&r).ok_or_else(|| bad_reply("landing.landing.add", &r))?,
                true,
            )
        }
    };
    let public_url = client
        .call(
            "landing.landing.getpublicurl",
            &json!({ "lid": page_id }),
            &format!("lid={page_id}"),
        )?
        .as_str()
        .map(str::to_string);
    let origin = public_url.as_deref().and_then(origin_of);

    // 5. The blocks on the page: update the ones there, add the missing ones in order, each
    //    new one with its anchor so that the page's #links land.
    let all_content: String = plan
        .blocks
        .iter()
        .map(|(_, b)| b.fields.content.as_str())
        .collect();
    let mut after: Option<u64> = None;
    let mut placed = Vec::new();
    let (mut added, mut updated) = (0, 0);
    // (index, block id, content sent)
    let mut sent: Vec<(usize, u64, String)> = Vec::new();
    for (i, ((section, _), (code, repo_id))) in plan.blocks.iter().zip(&repo_ids).enumerate() {
        let repo_code = format!("repo_{repo_id}");
        let existing = on_page
            .iter()
            .find(|(_, c, _)| c.eq_ignore_ascii_case(&repo_code))
            .map(|(id, _, _)| *id);
        let block_id = match existing {
            Some(id) => {
                client.call(
                    "landing.block.updatecontent",
                    &json!({ "lid": page_id, "block": id, "content": registered[i] }),
                    &format!("block={id} ({code})"),
                )?;
                updated += 1;
                id
            }
            None => {
                let mut fields = json!({ "CODE": repo_code, "ACTIVE": "Y" });
                if let Some(a) = after {
                    fields["AFTER_ID"] = json!(a);
                }
                let r = client.call(
                    "landing.landing.addblock",
                    &json!({ "lid": page_id, "fields": fields }),
                    &format!("{repo_code} ({code})"),
                )?;
                added += 1;
                let id = as_id(&r).ok_or_else(|| bad_reply("landing.landing.addblock", &r))?;
                if let Some(anchor) = anchor_for(section, &all_content) {
                    client.call(
                        "landing.block.changeAnchor",
                        &json!({ "lid": page_id, "block": id, "data": anchor }),
                        &format!("block={id} #{anchor}"),
                    )?;
                }
                id
            }
        };
        sent.push((i, block_id, registered[i].clone()));
        after = Some(block_id);
        placed.push((code.clone(), *repo_id, block_id));
    }

    // 6. Files the blocks refer to and the portal does not have yet: uploaded to the first
    //    block that shows them, then every block's content points at the portal's URL.
    let mut uploaded = 0;
    for (path, bytes, _) in &files {
        if known.contains_key(*path) || path.ends_with(".ics") {
            continue;
        }
        let Some((_, block_id, _)) = sent.iter().find(|(_, _, c)| refers_to(c, path)) else {
            continue;
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        let r = client.call(
            "landing.block.uploadfile",
            &json!({
                "block": block_id,
                "picture": [name, base64::engine::general_purpose::STANDARD.encode(bytes)],
            }),
            &format!("block={block_id} {path}"),
        )?;
        let src = r
            .get("src")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_reply("landing.block.uploadfile", &r))?;
        known.insert(path.to_string(), absolute(src, origin.as_deref()));
        ids.insert(path.to_string(), r.get("id").and_then(as_id));
        uploaded += 1;
    }
    if uploaded > 0 {
        for (i, block_id, content) in &sent {
            let fixed = with_known(content, &known);
            if &fixed == content {
                continue;
            }
            let (_, block) = &plan.blocks[*i];
            client.call(
                "landing.block.updatecontent",
                &json!({ "lid": page_id, "block": block_id, "content": fixed }),
                &format!("block={block_id} ({})", block.code),
            )?;
            // The library's copy gets the URLs too.
            let mut params = serde_json::to_value(block).unwrap_or_default();
            params["fields"]["CONTENT"] = json!(fixed);
            client.call(
                "landing.repo.register",
                &params,
                &format!("code={}", block.code),
            )?;
        }
    }

    // The card goes to the page's first block (an upload needs one), then into the page's
    // Open Graph field as a file id, which the page turns into og:image with its size.
    if let (None, Some(bytes), Some(sha), Some((_, _, first))) =
        (&og, &opts.og_image, &og_sha, placed.first())
    {
        let r = client.call(
            "landing.block.uploadfile",
            &json!({
                "block": first,
                "picture": [OG_CARD_KEY, base64::engine::general_purpose::STANDARD.encode(bytes)],
            }),
            &format!("block={first} {OG_CARD_KEY}"),
        )?;
        let id = r
            .get("id")
            .and_then(as_id)
            .ok_or_else(|| bad_reply("landing.block.uploadfile", &r))?;
        let src = r.get("src").and_then(Value::as_str).unwrap_or_default();
        client.call(
            "landing.landing.update",
            &json!({ "lid": page_id, "fields": { "ADDITIONAL_FIELDS": { "METAOG_IMAGE": id } } }),
            &format!("lid={page_id} METAOG_IMAGE={id}"),
        )?;
        uploaded += 1;
        og = Some(Uploaded {
            sha256: sha.clone(),
            src: absolute(src, origin.as_deref()),
            id: Some(id),
        });
    }

    // 7. Publication, then the draft as the portal now holds it, to notice editor edits later.
    if opts.publish_page {
        client.call(
            "landing.landing.publication",
            &json!({ "lid": page_id }),
            &format!("lid={page_id}"),
        )?;
    }
    let now = draft_blocks(client, page_id)?;
    let blocks = plan
        .blocks
        .iter()
        .zip(&placed)
        .map(|((section, _), (code, _, id))| PlacedBlock {
            section: section.clone(),
            code: code.clone(),
            id: *id,
            hash: now
                .iter()
                .find(|(b, _, _)| b == id)
                .map(|(_, _, c)| sha256_hex(c.as_bytes()))
                .unwrap_or_default(),
        })
        .collect();
    let new_state =
        State {
            portal,
            site_id,
            page_id,
            slug: plan.slug.clone(),
            repo: repo_ids.iter().cloned().collect(),
            blocks,
            files: files
                .iter()
                .filter_map(|(p, _, sha)| {
                    known.get(*p).map(|src| {
                        (
                            p.to_string(),
                            Uploaded {
                                sha256: sha.clone(),
                                src: src.clone(),
                                id: ids.get(*p).copied().flatten().or_else(|| {
                                    state.and_then(|s| s.files.get(*p)).and_then(|u| u.id)
                                }),
                            },
                        )
                    })
                })
                .chain(og.map(|u| (OG_CARD_KEY.to_string(), u)))
                .collect(),
            public_url: public_url.clone(),
        };
    Ok(Published {
        site_id,
        page_id,
        blocks: placed,
        site_created,
        page_created,
        added_blocks: added,
        updated_blocks: updated,
        uploaded_files: uploaded,
        unregistered,
        published: opts.publish_page,
        public_url,
        calendar_error,
        state: new_state,
    })
}

/// Puts the calendar file in the root of the webhook user's Drive storage and returns its id
/// and public link (`disk.storage.getlist` → `disk.storage.uploadfile` →
/// `disk.file.getExternalLink`).
fn upload_to_drive(
    client: &mut Client,
    slug: &str,
    bytes: &[u8],
) -> Result<(u64, String), RestError> {
    let user = client.webhook.user_id();
    let r = client.call(
        "disk.storage.getlist",
        &json!({ "filter": { "ENTITY_TYPE": "user", "ENTITY_ID": user } }),
        &format!("user={user}"),
    )?;
    let storage = r
        .as_array()
        .and_then(|a| a.first())
        .and_then(|s| s.get("ID"))
        .and_then(as_id)
        .ok_or_else(|| bad_reply("disk.storage.getlist", &r))?;
    let name = format!("{slug}.ics");
    let r = client.call(
        "disk.storage.uploadfile",
        &json!({
            "id": storage,
            "data": { "NAME": name },
            "fileContent": [name, base64::engine::general_purpose::STANDARD.encode(bytes)],
            "generateUniqueName": true,
        }),
        &format!("storage={storage} {name}"),
    )?;
    let id = r
        .get("ID")
        .and_then(as_id)
        .ok_or_else(|| bad_reply("disk.storage.uploadfile", &r))?;
    let r = client.call(
        "disk.file.getExternalLink",
        &json!({ "id": id }),
        &format!("id={id}"),
    )?;
    let url = r
        .as_str()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .ok_or_else(|| bad_reply("disk.file.getExternalLink", &r))?;
    Ok((id, url.to_string()))
}

/// The dry run: `landing.repo.checkContent` for every block, nothing written.
pub fn check_remote(client: &mut Client, plan: &Plan) -> Result<(), RestError> {
    for (_, block) in &plan.blocks {
        let r = client.call(
            "landing.repo.checkContent",
            &json!({ "content": block.fields.content, "splitter": "#SANITIZE#" }),
            &format!("code={}", block.code),
        )?;
        let bad = match r.get("is_bad") {
            Some(Value::Bool(b)) => *b,
            Some(v) => as_id(v).unwrap_or(0) != 0,
            None => false,
        };
        if bad {
            let content = r.get("content").and_then(Value::as_str).unwrap_or("");
            let marked: Vec<String> = content
                .match_indices("#SANITIZE#")
                .map(|(i, _)| {
                    let start = content[..i]
                        .char_indices()
                        .rev()
                        .nth(15)
                        .map(|(p, _)| p)
                        .unwrap_or(0);
                    let end = (i + 10 + 16).min(content.len());
                    let mut end = end;
                    while !content.is_char_boundary(end) {
                        end += 1;
                    }
                    content[start..end].to_string()
                })
                .collect();
            return Err(RestError::BadContent {
                code: block.code.clone(),
                marked: marked.join(" | "),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_parses_and_redacts() {
        let w = Webhook::parse("https://example.bitrix24.kz/rest/1/abc123def456/").unwrap();
        assert_eq!(
            w.method_url("landing.site.add"),
            "https://example.bitrix24.kz/rest/1/abc123def456/landing.site.add.json"
        );
        assert_eq!(w.redacted(), "https://example.bitrix24.kz/rest/1/***/");
        assert_eq!(
            w.redact("failed https://example.bitrix24.kz/rest/1/abc123def456/x.json"),
            "failed https://example.bitrix24.kz/rest/1/***/x.json"
        );
        assert!(!format!("{w:?}").contains("abc123def456"));
        // Without the trailing slash too.
        assert!(Webhook::parse("https://p.bitrix24.ru/rest/15/Zz9").is_ok());
    }

    #[test]
    fn webhook_shape_and_scheme_are_checked() {
        assert!(Webhook::parse("http://example.bitrix24.kz/rest/1/abc/").is_err());
        assert!(Webhook::parse("https://example.bitrix24.kz/rest/abc/").is_err());
        assert!(Webhook::parse("https://example.bitrix24.kz/1/abc/").is_err());
        assert!(Webhook::parse("example.bitrix24.kz/rest/1/abc/").is_err());
        assert!(Webhook::parse("http://127.0.0.1:8080/rest/1/abc/").is_ok());
        assert!(Webhook::parse("http://127.0.0.1.evil.kz/rest/1/abc/").is_err());
    }

    struct Canned(Vec<(u16, String)>, Vec<String>);
    impl Transport for &mut Canned {
        fn post_json(&mut self, url: &str, _body: &str) -> Result<(u16, String), String> {
            self.1.push(url.to_string());
            if self.0.is_empty() {
                return Err(format!("connection refused: {url}"));
            }
            Ok(self.0.remove(0))
        }
    }

    #[test]
    fn query_limit_is_retried_then_errors_are_redacted() {
        let w = Webhook::parse("https://p.bitrix24.kz/rest/7/s3cr3tvalue/").unwrap();
        let mut canned = Canned(
            vec![
                (
                    503,
                    r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#
                        .into(),
                ),
                (200, r#"{"result":42}"#.into()),
            ],
            vec![],
        );
        let mut lines = Vec::new();
        {
            let mut c = Client::new(w.clone(), &mut canned, |l| lines.push(l));
            c.backoff = std::time::Duration::from_millis(1);
            assert_eq!(
                c.call("landing.site.add", &json!({}), "").unwrap(),
                json!(42)
            );
            // The transport error message holds the URL: it must come out redacted.
            let err = c.call("landing.site.add", &json!({}), "").unwrap_err();
            match &err {
                RestError::Transport { message, .. } => {
                    assert!(message.contains("/rest/7/***/"), "{message}");
                    assert!(!message.contains("s3cr3tvalue"));
                }
                other => panic!("{other:?}"),
            }
            assert!(!err.message().ru.contains("s3cr3tvalue"));
        }
        assert_eq!(canned.1.len(), 3);
        assert!(lines[0].contains("QUERY_LIMIT_EXCEEDED"), "{lines:?}");
        assert!(lines.iter().all(|l| !l.contains("s3cr3tvalue")));
    }
}
