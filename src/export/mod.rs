//! Writing outputs: every target writes into a folder aside and renames it into place, so an
//! interrupted or refused build leaves the previous good output as it was.

pub mod bitrix24;
pub mod from_page;
pub mod html;
pub mod site_management;

use std::io::Write;
use std::path::Path;

use crate::comms::{CommsError, EventComms};
use crate::i18n::Text;
use crate::render::{Page, Theme};
use crate::t;
use crate::webinar::Webinar;

/// One file of an output, its path relative to the target's folder.
pub type Files = Vec<(String, Vec<u8>)>;

/// What every target is made from: the checked webinar and its rendered page.
pub struct ExportInput<'a> {
    pub webinar: &'a Webinar,
    pub page: &'a Page,
    pub theme: &'a Theme,
    /// The announcement kit, made once when a target needs it (its 1200×630 card is also the
    /// preview's Open Graph image).
    pub announce: Option<&'a [(String, Vec<u8>)]>,
    /// The schedule and the mails, shared by the targets that show them.
    pub comms: &'a EventComms<'a>,
}

/// An output of bxland: one folder under `OUT/<slug>/`, made from the rendered webinar.
pub trait Target: Sync {
    /// The name on the command line (`--target NAME`) and in `report.json`.
    fn name(&self) -> &'static str;
    /// The folder under `OUT/<slug>/`.
    fn dir(&self) -> &'static str {
        self.name()
    }
    /// The target's files, relative to its folder.
    fn files(&self, x: &ExportInput) -> Result<Files, Text>;
}

/// The static preview page: `preview/`.
pub struct Preview;
/// The «1С-Битрикс: Управление сайтом» template archive: `site-management/`.
pub struct SiteManagement;
/// Bitrix24.Sites blocks and the form checklist: `bitrix24/`.
pub struct Bitrix24;
/// Reminders, follow-up, SMS and their schedule: `mailings/`.
pub struct Mailings;
/// Social cards, the post and the cold mail: `announce/`.
pub struct Announce;

impl Target for Preview {
    fn name(&self) -> &'static str {
        "html"
    }
    fn dir(&self) -> &'static str {
        "preview"
    }
    fn files(&self, x: &ExportInput) -> Result<Files, Text> {
        html::export(x.page, x.announce)
    }
}

impl Target for SiteManagement {
    fn name(&self) -> &'static str {
        "site-management"
    }
    fn files(&self, x: &ExportInput) -> Result<Files, Text> {
        // The reminder agent and its mail templates are set up by the same script.
        let mailings =
            site_management::agent::files_with(x.webinar, x.comms.schedule(), x.comms.mails());
        let mut input = from_page::site_management(x.webinar, x.page, x.theme, mailings);
        // The announcement card: the page's Open Graph image, as on the preview.
        input.og_card = og_card(x.announce);
        site_management::export(&input).map_err(|e| {
            let ru = e.to_string();
            t!(
                "выгрузка для «Управления сайтом» не собрана: {ru}",
                "the Site Management export failed: {ru}"
            )
        })
    }
}

impl Target for Bitrix24 {
    fn name(&self) -> &'static str {
        "bitrix24"
    }
    fn files(&self, x: &ExportInput) -> Result<Files, Text> {
        let checklist =
            bitrix24::checklist::checklist_with(x.webinar, x.comms.schedule(), x.comms.mails());
        let input = from_page::bitrix24(x.webinar, x.page, x.theme, checklist, None, None);
        bitrix24::export(&input).map_err(|e| {
            let (ru, en) = (e.message().ru, e.message().en);
            t!(
                "выгрузка для Битрикс24.Сайты не собрана: {ru}",
                "the Bitrix24.Sites export failed: {en}"
            )
        })
    }
}

impl Target for Mailings {
    fn name(&self) -> &'static str {
        "mailings"
    }
    fn files(&self, x: &ExportInput) -> Result<Files, Text> {
        x.comms.mailings().map_err(comms_error)
    }
}

impl Target for Announce {
    fn name(&self) -> &'static str {
        "announce"
    }
    fn files(&self, x: &ExportInput) -> Result<Files, Text> {
        x.announce
            .map(<[_]>::to_vec)
            .ok_or_else(|| comms_error(CommsError::NoSchedule))
    }
}

/// The 1200×630 card of the announcement kit, when the kit was made.
fn og_card(announce: Option<&[(String, Vec<u8>)]>) -> Option<Vec<u8>> {
    let name = crate::comms::OG_IMAGE.strip_prefix("announce/")?;
    announce?
        .iter()
        .find(|(path, _)| path == name)
        .map(|(_, png)| png.clone())
}

/// Why the mailings or the announcement kit could not be made, for the user.
pub fn comms_error(e: CommsError) -> Text {
    let en = e.to_string();
    t!(
        "рассылки и анонсы не собраны: {en}",
        "the mailings and announcements failed: {en}"
    )
}

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
///
/// What an existing `dir` already holds is reused: when it holds exactly `files`, byte for byte,
/// it is left alone; otherwise its unchanged files are hard-linked into the new folder instead
/// of written again. Removing a replaced folder is what costs most on some disks: freeing a
/// file's blocks (and, mounted with `discard`, trimming them) is far slower than writing it,
/// while dropping one of two names of a file frees nothing (see README, Performance).
pub fn write_tree_atomic(dir: &Path, files: &[(impl AsRef<str>, Vec<u8>)]) -> std::io::Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let kept: Vec<bool> = if dir.is_dir() {
        files
            .iter()
            .map(|(name, bytes)| holds(&dir.join(name.as_ref()), bytes))
            .collect()
    } else {
        vec![false; files.len()]
    };
    if !kept.is_empty() && kept.iter().all(|k| *k) && count_files(dir) == Some(files.len()) {
        return Ok(());
    }
    let staging = staging_dir(parent)?;
    // Each folder is made once: on some file systems every mkdir, even of one that exists,
    // costs as much as writing a small file (see README, Performance).
    let mut made = std::collections::HashSet::new();
    for ((name, bytes), kept) in files.iter().zip(kept) {
        let path = staging.path().join(name.as_ref());
        if let Some(p) = path.parent().filter(|p| made.insert(p.to_path_buf())) {
            std::fs::create_dir_all(p)?;
        }
        if kept && std::fs::hard_link(dir.join(name.as_ref()), &path).is_ok() {
            continue;
        }
        std::fs::write(&path, bytes)?;
    }
    replace_dir(staging, dir)
}

/// Whether `path` is a file holding exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// The number of files under `dir`, at any depth; `None` if it cannot be read whole.
fn count_files(dir: &Path) -> Option<usize> {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let kind = entry.file_type().ok()?;
        if kind.is_dir() {
            n += count_files(&entry.path())?;
        } else {
            n += 1;
        }
    }
    Some(n)
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
        remove_replaced(&old);
    } else {
        std::fs::rename(staging, dir)?;
    }
    Ok(())
}

/// Removes a replaced output. A folder the user made read-only cannot be emptied as it is:
/// its folders are made writable (it is our discarded copy now) and the removal is tried
/// again, so no `.bxland-old-…` stays behind (issue 21 point 13).
fn remove_replaced(old: &Path) {
    if std::fs::remove_dir_all(old).is_ok() {
        return;
    }
    fn writable(dir: &Path) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
        #[cfg(not(unix))]
        if let Ok(meta) = std::fs::metadata(dir) {
            let mut p = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            p.set_readonly(false);
            let _ = std::fs::set_permissions(dir, p);
        }
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                writable(&entry.path());
            }
        }
    }
    writable(old);
    let _ = std::fs::remove_dir_all(old);
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

/// The texts the platform exports deliver that `check` runs the rules over (besides the
/// page and the mails): the Bitrix24 confirmation mail as the CRM robot sends it, when the
/// event does not write its own (the partner's own is checked where it was written).
pub fn delivered_texts(w: &Webinar) -> Vec<crate::rules::GeneratedText> {
    use crate::rules::{GeneratedText, TextRole};
    let mut out = Vec::new();
    // Only the default parts: the partner's own subject or body is checked where it was
    // written, with its line and column.
    let own = &w.registration.confirmation_email;
    if own.subject.is_none() || own.body.is_none() {
        let (subject, body) = bitrix24::checklist::confirmation_mail(w, None);
        let subject = if own.subject.is_none() {
            subject
        } else {
            String::new()
        };
        let body = if own.body.is_none() {
            body
        } else {
            String::new()
        };
        out.push(GeneratedText::new(
            format!("{subject}\n\n{body}"),
            "bitrix24/form-setup.md (confirmation mail)",
            false,
            TextRole::Mail,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flat_map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if p.is_dir() {
                    tree(&p)
                        .into_iter()
                        .map(|n| format!("{name}/{n}"))
                        .collect()
                } else {
                    vec![name]
                }
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_folder_holding_more_than_the_new_files_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let a = ("a.txt", b"a".to_vec());
        let b = ("sub/b.txt", b"b".to_vec());
        write_tree_atomic(&dir, &[a.clone(), b]).unwrap();
        assert_eq!(tree(&dir), ["a.txt", "sub/b.txt"]);
        // a.txt is unchanged, but the folder must no longer hold b.txt.
        write_tree_atomic(&dir, &[a]).unwrap();
        assert_eq!(tree(&dir), ["a.txt"]);
        assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), b"a");
    }

    /// Meaningful only as a user other than root (root ignores the modes): run the test
    /// binary under `setpriv --reuid=65534` to see it fail without `remove_replaced`.
    #[cfg(unix)]
    #[test]
    fn a_read_only_output_folder_leaves_nothing_behind() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        write_tree_atomic(&dir, &[("sub/a.txt", b"1".to_vec())]).unwrap();
        let ro = std::fs::Permissions::from_mode(0o555);
        std::fs::set_permissions(dir.join("sub"), ro.clone()).unwrap();
        std::fs::set_permissions(&dir, ro).unwrap();
        let result = write_tree_atomic(&dir, &[("sub/a.txt", b"2".to_vec())]);
        let left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["out"], "{result:?}");
        assert_eq!(std::fs::read(dir.join("sub/a.txt")).unwrap(), b"2");
    }

    #[test]
    fn a_file_that_became_a_folder_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        write_tree_atomic(&dir, &[("x", b"1".to_vec())]).unwrap();
        write_tree_atomic(&dir, &[("x/y", b"1".to_vec())]).unwrap();
        assert_eq!(tree(&dir), ["x/y"]);
    }
}
