//! Writing outputs: every target writes into a folder aside and renames it into place, so an
//! interrupted or refused build leaves the previous good output as it was.

pub mod bitrix24;
pub mod from_page;
pub mod html;
pub mod mail_texts;
pub mod site_management;

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Creates `dir` holding `files` (relative paths) as a whole: written into a temporary folder
/// beside it, then renamed. An existing `dir` is replaced only once the new one is complete.
pub fn write_tree_atomic(dir: &Path, files: &[(impl AsRef<str>, Vec<u8>)]) -> std::io::Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let staging = staging_dir(parent)?;
    // Each folder is made once: on some file systems every mkdir, even of one that exists,
    // costs as much as writing a small file (see README, Performance).
    let mut made = std::collections::HashSet::new();
    for (name, bytes) in files {
        let path = staging.path().join(name.as_ref());
        if let Some(p) = path.parent().filter(|p| made.insert(p.to_path_buf())) {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(&path, bytes)?;
    }
    replace_dir(staging, dir)
}

/// Moves a finished staging folder to `dir`, replacing what was there.
pub fn replace_dir(staging: tempfile::TempDir, dir: &Path) -> std::io::Result<()> {
    let staging = staging.keep();
    let result = swap_in(&staging, dir);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn swap_in(staging: &Path, dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        // Swap: the old folder is renamed aside first, removed only after the new is in place.
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let old = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}old-{}-", std::process::id()))
            .tempdir_in(parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(dir, &old)?;
        if let Err(e) = std::fs::rename(staging, dir) {
            let _ = std::fs::rename(&old, dir);
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(staging, dir)?;
    }
    Ok(())
}

/// Staging folders start with this; `.bxland-<pid>-…` is being written, `.bxland-old-<pid>-…`
/// is a replaced output about to be removed.
pub const STAGING_PREFIX: &str = ".bxland-";

/// A new staging folder in `parent`, named after this process so that a later run can tell
/// the leftovers of a killed run from the folders of a running one.
pub fn staging_dir(parent: &Path) -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
}

/// Cleans up after runs that were killed while writing into `parent`: their staging folders
/// are removed; a replaced output caught between its two renames (`.bxland-old-…` while its
/// place is empty) is put back where `place_of` says it belongs, else removed. Only folders of
/// processes that no longer run are touched (Linux `/proc`; elsewhere nothing is swept).
pub fn sweep_staging(
    parent: &Path,
    place_of: impl Fn(&Path) -> Option<std::path::PathBuf>,
) -> std::io::Result<()> {
    if !Path::new("/proc/self").exists() {
        return Ok(());
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(STAGING_PREFIX) else {
            continue;
        };
        let (old, rest) = match rest.strip_prefix("old-") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        let path = entry.path();
        if old {
            if let Some(place) = place_of(&path).filter(|p| !p.exists()) {
                std::fs::rename(&path, place)?;
                continue;
            }
        }
        std::fs::remove_dir_all(&path)?;
    }
    Ok(())
}
