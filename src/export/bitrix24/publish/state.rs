//! What a previous `publish` of an event left on a portal, kept next to the event.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The state file in the event folder: which page on which portal this event is.
pub const STATE_FILE: &str = ".bxland-bitrix24.json";

/// What a previous `publish` of this event left on a portal; written after each success.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Host of the portal (never the webhook secret).
    pub portal: String,
    pub site_id: u64,
    pub page_id: u64,
    pub slug: String,
    /// Repository entries this event registered: block code → repository id.
    #[serde(default)]
    pub repo: BTreeMap<String, u64>,
    /// The blocks as last published: what the portal returned for each right after.
    #[serde(default)]
    pub blocks: Vec<PlacedBlock>,
    /// Uploaded files: asset path → its hash and the URL the portal gave it.
    #[serde(default)]
    pub files: BTreeMap<String, Uploaded>,
    #[serde(default)]
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedBlock {
    pub section: String,
    pub code: String,
    pub id: u64,
    /// SHA-256 of the block's draft HTML as `landing.block.getlist` returned it.
    pub hash: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    pub sha256: String,
    pub src: String,
    /// The file's id on the portal (what `METAOG_IMAGE` takes).
    #[serde(default)]
    pub id: Option<u64>,
}

/// The key of the Open Graph card among the state's files.
pub const OG_CARD_KEY: &str = "og-card.png";

impl State {
    /// Reads `dir/.bxland-bitrix24.json`; `Ok(None)` when there is none.
    pub fn load(dir: &Path) -> Result<Option<State>, String> {
        let path = dir.join(STATE_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Writes the state next to the event: a temporary file, then a rename, so a crash
    /// never leaves half a file.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let path = dir.join(STATE_FILE);
        let tmp = dir.join(format!("{STATE_FILE}.tmp{}", std::process::id()));
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}
