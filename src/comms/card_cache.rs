//! A content-addressed cache of rendered card PNGs on disk, so that rebuilding an unchanged
//! event does not rasterise its cards again.
//!
//! - **Key**: SHA-256 over a renderer tag ([`RENDERER`], bumped whenever our drawing or PNG
//!   encoding changes), the crate version, the locked versions of the drawing crates (resvg,
//!   tiny-skia, png, …), the compiled-in fonts (lengths and table checksums), and the card's
//!   full SVG source (which holds every pixel input: sizes, texts, colours, embedded logos).
//! - **Place**: `$BXLAND_CACHE_DIR/cards/`, else `$XDG_CACHE_HOME/bxland/cards/`, else
//!   `$HOME/.cache/bxland/cards/`; one file `<key>.png` per card.
//! - **Safety**: entries are written to a temporary file in the same folder and renamed into
//!   place, so readers never see half a file. An entry is used only if it is a whole PNG
//!   (signature, chunk structure and CRCs, `IEND`) of the expected width and height;
//!   anything else is ignored and overwritten with a fresh render. A folder that cannot be
//!   created or written only turns the cache off; the build goes on.
//! - **Size**: a hit refreshes the entry's modification time (at most once a day); at most
//!   once a day (a `.swept` stamp file) the first run to use the cache removes entries not
//!   used for [`MAX_AGE_DAYS`] days and temporary files left by killed runs.
//! - `bxland build --no-cache` neither reads nor writes it. The library itself uses no disk
//!   cache unless [`enable`] (or an explicit [`DiskCache`]) asks for one: `bxland build`
//!   turns it on.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

/// Names the drawing code and the PNG encoding. Change it whenever either changes what the
/// bytes of a card would be, so that old entries are not used.
/// (Versions of the drawing crates are part of the key on their own: [`drawing_crates`].)
pub const RENDERER: &str = "bxland-card/1 layered rgb-when-opaque png-fast";

/// Entries unused for this long are removed.
pub const MAX_AGE_DAYS: u64 = 30;

const DAY: Duration = Duration::from_secs(24 * 3600);

/// The cache folder the environment names (not created here): `$BXLAND_CACHE_DIR/cards`,
/// `$XDG_CACHE_HOME/bxland/cards` or `$HOME/.cache/bxland/cards`.
pub fn default_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let root = env("BXLAND_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("bxland")))
        .or_else(|| env("HOME").map(|d| d.join(".cache").join("bxland")))?;
    Some(root.join("cards"))
}

/// What identifies the compiled-in fonts: each file's length and table directory, which holds
/// a checksum of every table (a changed glyph changes its table's checksum). Hashing the
/// directories instead of the 1.4 MB of font data saves ~80 M instructions per process.
fn fonts_hash() -> &'static [u8; 32] {
    static H: OnceLock<[u8; 32]> = OnceLock::new();
    H.get_or_init(|| {
        let mut h = Sha256::new();
        for f in [super::cards::FONT_REGULAR, super::cards::FONT_BOLD] {
            h.update((f.len() as u64).to_le_bytes());
            h.update(font_directory(f));
        }
        h.finalize().into()
    })
}

/// The sfnt header and table records (tag, checksum, offset, length) of a font file; the
/// whole file if it is not laid out as expected.
fn font_directory(font: &[u8]) -> &[u8] {
    let tables = font
        .get(4..6)
        .map(|n| u16::from_be_bytes([n[0], n[1]]) as usize);
    tables.and_then(|n| font.get(..12 + 16 * n)).unwrap_or(font)
}

/// The crates that draw and encode a card, as locked in `Cargo.lock`.
const DRAWING_CRATES: &[&str] = &[
    "resvg",
    "usvg",
    "tiny-skia",
    "tiny-skia-path",
    "png",
    "fdeflate",
    "harfrust",
    "skrifa",
    "read-fonts",
    "fontdb",
    "roxmltree",
    "svgtypes",
    "kurbo",
    "zune-jpeg",
    "image-webp",
];

/// `name version` of every drawing crate in the lock file this binary was built with, so that
/// upgrading one of them (which may move pixels) is a new key without anyone bumping
/// [`RENDERER`].
pub fn drawing_crates() -> String {
    let mut out = Vec::new();
    for block in include_str!("../../Cargo.lock").split("[[package]]") {
        let field = |k: &str| {
            block.lines().find_map(|l| {
                l.strip_prefix(k)
                    .and_then(|v| v.strip_prefix(" = \""))
                    .and_then(|v| v.strip_suffix('"'))
            })
        };
        if let (Some(name), Some(version)) = (field("name"), field("version")) {
            if DRAWING_CRATES.contains(&name) {
                out.push(format!("{name} {version}"));
            }
        }
    }
    out.sort();
    out.join("\n")
}

/// The cache key of a card: hex SHA-256 of the renderer tag, crate version, the drawing
/// crates' versions, fonts and SVG.
pub fn key(svg: &str) -> String {
    static CRATES: OnceLock<String> = OnceLock::new();
    let crates = CRATES.get_or_init(drawing_crates);
    let mut h = Sha256::new();
    for part in [
        RENDERER.as_bytes(),
        env!("CARGO_PKG_VERSION").as_bytes(),
        crates.as_bytes(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.update(fonts_hash());
    h.update(svg.as_bytes());
    let d = h.finalize();
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Whether `png` is a whole PNG of `width`×`height`: signature, IHDR first, every chunk's
/// CRC, ending with IEND.
pub fn valid_png(png: &[u8], width: u32, height: u32) -> bool {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.len() < 8 + 25 + 12 || &png[..8] != SIG || &png[12..16] != b"IHDR" {
        return false;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if be(&png[8..12]) != 13 || be(&png[16..20]) != width || be(&png[20..24]) != height {
        return false;
    }
    let mut at = 8;
    while at + 12 <= png.len() {
        let len = be(&png[at..]) as usize;
        let Some(end) = (at + 8).checked_add(len).filter(|e| e + 4 <= png.len()) else {
            return false;
        };
        let kind = &png[at + 4..at + 8];
        if crc32fast::hash(&png[at + 4..end]) != be(&png[end..]) {
            return false;
        }
        if kind == b"IEND" {
            return end + 4 == png.len();
        }
        at = end + 4;
    }
    false
}

/// A card cache in one folder, with counters of what it did (for tests and curiosity).
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    swept: Once,
    hits: AtomicUsize,
    stores: AtomicUsize,
}

impl DiskCache {
    /// A cache in `dir`, created if needed; `None` if it cannot be created or written.
    pub fn open(dir: impl Into<PathBuf>) -> Option<DiskCache> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).ok()?;
        // Probe that we may create files here (a read-only folder disables the cache).
        tempfile::NamedTempFile::new_in(&dir).ok()?;
        Some(DiskCache {
            dir,
            swept: Once::new(),
            hits: AtomicUsize::new(0),
            stores: AtomicUsize::new(0),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of `key`.
    pub fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.png"))
    }

    /// Cards served from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Cards written to the cache so far.
    pub fn stores(&self) -> usize {
        self.stores.load(Ordering::Relaxed)
    }

    /// The PNG stored under `key`, if it is a whole PNG of the expected size.
    pub fn get(&self, key: &str, width: u32, height: u32) -> Option<Vec<u8>> {
        self.sweep_once();
        let path = self.path(key);
        let png = std::fs::read(&path).ok()?;
        if !valid_png(&png, width, height) {
            return None;
        }
        touch_if_old(&path);
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(png)
    }

    /// Stores `png` under `key` (temporary file, then rename); failures are ignored.
    pub fn put(&self, key: &str, png: &[u8]) {
        self.sweep_once();
        let write = || -> std::io::Result<()> {
            let mut tmp = tempfile::Builder::new()
                .prefix(".tmp-")
                .tempfile_in(&self.dir)?;
            tmp.write_all(png)?;
            tmp.persist(self.path(key)).map_err(|e| e.error)?;
            Ok(())
        };
        if write().is_ok() {
            self.stores.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn sweep_once(&self) {
        self.swept.call_once(|| {
            self.sweep(SystemTime::now(), MAX_AGE_DAYS);
        });
    }

    /// Removes entries unused for `max_age_days` and temporary files older than a day, if
    /// the last sweep (the `.swept` stamp) is more than a day old. Returns how many files
    /// were removed.
    pub fn sweep(&self, now: SystemTime, max_age_days: u64) -> usize {
        let stamp = self.dir.join(".swept");
        let recent = std::fs::metadata(&stamp)
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age < DAY));
        if recent || std::fs::write(&stamp, b"").is_err() {
            return 0;
        }
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let max_age = DAY * max_age_days as u32;
        let mut removed = 0;
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let limit = if name.starts_with(".tmp-") {
                DAY
            } else if is_entry_name(&name) {
                max_age
            } else {
                continue;
            };
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > limit));
            if old && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

fn is_entry_name(name: &str) -> bool {
    name.strip_suffix(".png").is_some_and(|k| {
        k.len() == 64
            && k.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Refreshes the modification time of a used entry, so the sweep keeps it (at most daily:
/// the sweep works in days).
fn touch_if_old(path: &Path) {
    let now = SystemTime::now();
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    let old = meta
        .modified()
        .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > DAY));
    if old {
        if let Ok(f) = std::fs::File::options().append(true).open(path) {
            let _ = f.set_modified(now);
        }
    }
}

fn global() -> &'static RwLock<Option<Arc<DiskCache>>> {
    static G: OnceLock<RwLock<Option<Arc<DiskCache>>>> = OnceLock::new();
    G.get_or_init(|| RwLock::new(None))
}

/// Turns the process-wide card cache on in `dir` (see [`default_dir`]); returns whether it
/// is usable. A folder that cannot be created or written leaves the cache off.
pub fn enable(dir: impl Into<PathBuf>) -> bool {
    let cache = DiskCache::open(dir).map(Arc::new);
    let ok = cache.is_some();
    if let Ok(mut g) = global().write() {
        *g = cache;
    }
    ok
}

/// Turns the process-wide card cache off.
pub fn disable() {
    if let Ok(mut g) = global().write() {
        *g = None;
    }
}

/// The process-wide card cache, if on.
pub fn current() -> Option<Arc<DiskCache>> {
    global().read().ok()?.clone()
}

/// What `bxland build` does: the cache in [`default_dir`] when `on` (silently off if that
/// folder is unusable), else no cache.
pub fn enable_default(on: bool) {
    match default_dir().filter(|_| on) {
        Some(dir) => {
            enable(dir);
        }
        None => disable(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comms::cards::{FONT_BOLD, FONT_REGULAR};

    #[test]
    fn the_font_identity_is_the_table_directory() {
        let (dr, db) = (font_directory(FONT_REGULAR), font_directory(FONT_BOLD));
        // sfnt version 1.0, a dozen or more tables, a small fraction of the file.
        assert_eq!(&dr[..4], &[0, 1, 0, 0]);
        assert!(dr.len() > 12 + 16 * 10 && dr.len() < 2048, "{}", dr.len());
        assert_ne!(dr, db);
        assert_eq!(font_directory(b"tiny"), b"tiny");
    }

    #[test]
    fn the_drawing_crates_come_from_the_lock_file() {
        let c = drawing_crates();
        for name in ["resvg", "usvg", "tiny-skia", "png", "harfrust"] {
            assert!(
                c.lines().any(|l| l.starts_with(&format!("{name} "))),
                "{name} missing from {c}"
            );
        }
        assert!(!c.contains("serde"), "{c}");
    }
}
