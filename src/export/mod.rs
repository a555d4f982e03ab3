//! Writing outputs: every target writes into a folder aside and renames it into place, so an
//! interrupted or refused build leaves the previous good output as it was.

pub mod bitrix24;
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
pub fn write_tree_atomic(dir: &Path, files: &[(&str, Vec<u8>)]) -> std::io::Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".bxland-")
        .tempdir_in(parent)?;
    for (name, bytes) in files {
        let path = staging.path().join(name);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(&path, bytes)?;
    }
    replace_dir(staging, dir)
}

/// Moves a finished staging folder to `dir`, replacing what was there.
pub fn replace_dir(staging: tempfile::TempDir, dir: &Path) -> std::io::Result<()> {
    let staging = staging.keep();
    if dir.exists() {
        // Swap: the old folder is renamed aside first, removed only after the new is in place.
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let old = tempfile::Builder::new()
            .prefix(".bxland-old-")
            .tempdir_in(parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(dir, &old)?;
        if let Err(e) = std::fs::rename(&staging, dir) {
            let _ = std::fs::rename(&old, dir);
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(&staging, dir)?;
    }
    Ok(())
}
