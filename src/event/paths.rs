//! Asset paths: relative to the file that names them, and never outside the event (or agency)
//! folder: no `..`, no absolute path, no symlink that leads out.

use std::path::{Component, Path, PathBuf};

use crate::i18n::Text;
use crate::t;

#[derive(Debug)]
pub enum PathProblem {
    Empty,
    Absolute,
    ParentDir,
    NotFound,
    NotAFile,
    Escapes,
}

impl PathProblem {
    pub fn message(&self, path: &str) -> Text {
        match self {
            PathProblem::Empty => t!("путь к файлу пуст", "the file path is empty"),
            PathProblem::Absolute => t!(
                "путь «{path}» абсолютный, а должен быть относительным к папке события",
                "the path \"{path}\" is absolute; it must be relative to the event folder"
            ),
            PathProblem::ParentDir => t!(
                "путь «{path}» выходит за пределы папки события через `..`",
                "the path \"{path}\" leaves the event folder through `..`"
            ),
            PathProblem::NotFound => t!("файл «{path}» не найден", "file \"{path}\" not found"),
            PathProblem::NotAFile => t!(
                "«{path}» — не обычный файл (папка или устройство)",
                "\"{path}\" is not a regular file"
            ),
            PathProblem::Escapes => t!(
                "«{path}» — символическая ссылка за пределы папки события",
                "\"{path}\" is a symbolic link that leads out of the event folder"
            ),
        }
    }

    pub fn help(&self) -> Text {
        match self {
            PathProblem::NotFound => t!(
                "положите файл в папку события (например, в assets/) и проверьте имя и регистр букв",
                "put the file inside the event folder (e.g. assets/) and check the name and letter case"
            ),
            _ => t!(
                "скопируйте файл в папку события, например в assets/, и укажите путь вида \"assets/logo.svg\"",
                "copy the file into the event folder, e.g. assets/, and write a path like \"assets/logo.svg\""
            ),
        }
    }
}

/// Resolves `rel` against `base` (the folder of the file that names it).
pub fn resolve(base: &Path, rel: &str) -> Result<PathBuf, PathProblem> {
    let rel = rel.trim();
    if rel.is_empty() {
        return Err(PathProblem::Empty);
    }
    let p = Path::new(rel);
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') || rel.contains(':') {
        return Err(PathProblem::Absolute);
    }
    if p.components().any(|c| matches!(c, Component::ParentDir)) || rel.contains("..\\") {
        return Err(PathProblem::ParentDir);
    }
    let full = base.join(p);
    // Without `..`, only a symlink among the path's own components can lead out of `base`;
    // a path without one (nearly every asset) is checked with one `lstat` per component
    // instead of resolving the whole path and `base` through every folder up to the root
    // (a batch resolves each asset several times per event).
    if rel.ends_with('/') {
        // `file.svg/` names no file; the slow path reports it as before.
        return resolve_through_links(base, full);
    }
    let mut inside = base.to_path_buf();
    let mut meta = None;
    for part in p.components() {
        inside.push(part);
        let m = std::fs::symlink_metadata(&inside).map_err(|_| PathProblem::NotFound)?;
        if m.file_type().is_symlink() {
            return resolve_through_links(base, full);
        }
        meta = Some(m);
    }
    if !meta.is_some_and(|m| m.is_file()) {
        return Err(PathProblem::NotAFile);
    }
    Ok(full)
}

/// [`resolve`] of a path with a symlink in it: followed, it must stay inside `base`.
fn resolve_through_links(base: &Path, full: PathBuf) -> Result<PathBuf, PathProblem> {
    let meta = std::fs::metadata(&full).map_err(|_| PathProblem::NotFound)?;
    if !meta.is_file() {
        return Err(PathProblem::NotAFile);
    }
    let real = std::fs::canonicalize(&full).map_err(|_| PathProblem::NotFound)?;
    let real_base = std::fs::canonicalize(base).map_err(|_| PathProblem::NotFound)?;
    if !real.starts_with(&real_base) {
        return Err(PathProblem::Escapes);
    }
    Ok(full)
}

/// Image kinds a logo or photo may be, recognised by content, not by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Svg,
    Png,
    Jpeg,
    Webp,
}

impl ImageKind {
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
            head.contains("<svg").then_some(ImageKind::Svg)
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Svg => "svg",
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Svg => "image/svg+xml",
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// An event folder `event/` with `assets/logo.svg`, and a file outside it.
    fn folder() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let event = tmp.path().join("event");
        std::fs::create_dir_all(event.join("assets")).unwrap();
        std::fs::write(event.join("assets/logo.svg"), "<svg/>").unwrap();
        std::fs::write(tmp.path().join("secret.svg"), "<svg/>").unwrap();
        (tmp, event)
    }

    fn problem(base: &Path, rel: &str) -> Option<String> {
        resolve(base, rel).err().map(|p| format!("{p:?}"))
    }

    #[test]
    fn a_path_is_a_file_inside_the_folder() {
        let (_tmp, event) = folder();
        assert_eq!(
            resolve(&event, "assets/logo.svg").unwrap(),
            event.join("assets/logo.svg")
        );
        assert_eq!(problem(&event, "./assets/logo.svg"), None);
        assert_eq!(
            problem(&event, "assets/none.svg").as_deref(),
            Some("NotFound")
        );
        assert_eq!(problem(&event, "assets").as_deref(), Some("NotAFile"));
        assert_eq!(problem(&event, "assets/").as_deref(), Some("NotAFile"));
        assert_eq!(
            problem(&event, "assets/logo.svg/").as_deref(),
            Some("NotFound")
        );
        assert_eq!(
            problem(&event, "../secret.svg").as_deref(),
            Some("ParentDir")
        );
        assert_eq!(problem(&event, "/etc/passwd").as_deref(), Some("Absolute"));
    }

    /// A symlink anywhere in the path is followed: out of the folder it is refused, inside it
    /// is accepted; a symlink above the event folder does not matter.
    #[test]
    fn symlinks_are_followed_wherever_they_stand() {
        let (tmp, event) = folder();
        symlink(tmp.path().join("secret.svg"), event.join("assets/file.svg")).unwrap();
        assert_eq!(
            problem(&event, "assets/file.svg").as_deref(),
            Some("Escapes")
        );
        symlink(tmp.path(), event.join("out")).unwrap();
        assert_eq!(
            problem(&event, "out/secret.svg").as_deref(),
            Some("Escapes")
        );
        symlink(event.join("assets/logo.svg"), event.join("assets/same.svg")).unwrap();
        assert_eq!(problem(&event, "assets/same.svg"), None);
        symlink(event.join("assets"), event.join("pictures")).unwrap();
        assert_eq!(problem(&event, "pictures/logo.svg"), None);
        symlink(
            event.join("assets/gone.svg"),
            event.join("assets/dangling.svg"),
        )
        .unwrap();
        assert_eq!(
            problem(&event, "assets/dangling.svg").as_deref(),
            Some("NotFound")
        );
        let linked = tmp.path().join("linked-event");
        symlink(&event, &linked).unwrap();
        assert_eq!(problem(&linked, "assets/logo.svg"), None);
    }
}
