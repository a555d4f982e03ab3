//! `program.lock`: the program as the coordinator approved it (Программа 1 and 4). `approve`
//! writes it; `program.changed-after-approval` compares the current program with it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::text;
use super::Event;

pub const LOCK_FILE: &str = "program.lock";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProgramLock {
    pub approved: String,
    pub fingerprint: String,
    #[serde(default)]
    pub items: Vec<LockedItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LockedItem {
    pub time: String,
    pub title: String,
    pub fingerprint: String,
}

impl ProgramLock {
    pub fn approved_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.approved, "%Y-%m-%d").ok()
    }
}

/// What approval covers in one item: times, title, kind, product, theses and the speakers
/// as they are presented (name, position, company).
fn item_canonical(event: &Event, item: &super::model::ProgramItem) -> String {
    let mut s = String::new();
    let mut push = |label: &str, v: &str| {
        s.push_str(label);
        s.push('=');
        s.push_str(v.trim());
        s.push('\u{1f}');
    };
    push("start", text(&item.start).unwrap_or(""));
    push("end", text(&item.end).unwrap_or(""));
    push("title", text(&item.title).unwrap_or(""));
    push("kind", item.kind().as_str());
    push("product", text(&item.product).unwrap_or(""));
    for t in &item.theses {
        push("thesis", t.get_ref());
    }
    for key in &item.speakers {
        match event.speaker(key.get_ref()) {
            Some(sp) => {
                push("speaker", text(&sp.name).unwrap_or(""));
                push("position", text(&sp.position).unwrap_or(""));
                push("company", text(&sp.company).unwrap_or(""));
            }
            None => push("speaker-key", key.get_ref()),
        }
    }
    s
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(s: &str) -> String {
    format!("sha256:{}", hex(&Sha256::digest(s.as_bytes())))
}

pub fn lock_for(event: &Event, approved: NaiveDate) -> ProgramLock {
    let items: Vec<LockedItem> = event
        .program()
        .map(|item| LockedItem {
            time: format!(
                "{}-{}",
                text(&item.start).unwrap_or(""),
                text(&item.end).unwrap_or("")
            ),
            title: text(&item.title).unwrap_or("").to_string(),
            fingerprint: sha256(&item_canonical(event, item)),
        })
        .collect();
    let all: String = items
        .iter()
        .map(|i| i.fingerprint.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    ProgramLock {
        approved: approved.format("%Y-%m-%d").to_string(),
        fingerprint: sha256(&all),
        items,
    }
}

pub fn render(lock: &ProgramLock) -> String {
    let mut s = String::from(
        "# bxland program.lock: the program as approved by the coordinator.\n\
         # Written by `bxland approve`; do not edit. Re-approve after agreeing a change.\n",
    );
    s.push_str(&toml::to_string_pretty(lock).unwrap_or_default());
    s
}

/// Reads `program.lock` from the event folder: `None` when there is none.
pub fn read(event: &Event) -> Option<Result<ProgramLock, String>> {
    let path = event.dir.join(LOCK_FILE);
    if !path.exists() {
        return None;
    }
    Some(
        std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|s| toml::from_str::<ProgramLock>(&s).map_err(|e| e.message().to_string())),
    )
}
