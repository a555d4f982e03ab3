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

/// `sha256:` and the digest in lower-case hex (a `format!` per byte cost more than the hash).
fn sha256(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(s.as_bytes());
    let mut out = String::with_capacity(7 + 2 * digest.len());
    out.push_str("sha256:");
    for b in digest {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
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
        // Only a regular file, of a sane size: a FIFO named program.lock must not block.
        crate::sources::regular::read_regular_text(&path, 1024 * 1024)
            .map_err(|e| e.to_string())
            .and_then(|s| toml::from_str::<ProgramLock>(&s).map_err(|e| e.message().to_string())),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_is_prefixed_lower_case_hex() {
        assert_eq!(
            super::sha256("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
