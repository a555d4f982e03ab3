//! Themes: folders under `themes/` with Tera templates, CSS, strings in `ru` and `kk`, and
//! default variables (`theme.toml`). The two shipped themes are embedded in the binary, so
//! `bxland` works from any folder; a folder on disk with the same name wins, so a theme can be
//! edited without rebuilding.
//!
//! A [`Theme`] is loaded once per run: its templates are compiled and its CSS is compiled and
//! minified (lightningcss, with browser targets) once, then it is shared between events and
//! threads as `Arc<Theme>` (see [`ThemeCache`]).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Deserialize;

use crate::i18n::Text;
use crate::rules::{GeneratedText, TextRole};
use crate::t;
use crate::webinar::{Language, ThemeChoice};

/// Section partials, in page order. `sections/<name>.html` in the theme.
pub const SECTION_NAMES: &[&str] = &[
    "header",
    "hero",
    "audience",
    "description",
    "program",
    "speakers",
    "registration",
    "contacts",
    "partners",
    "gallery",
];

/// Sections a theme may leave out (the rules do not demand them).
pub const OPTIONAL_SECTIONS: &[&str] = &["speakers", "gallery"];

/// Strings every theme must have in every language: the rules (`event.free`,
/// `form.result-messages`) and the page need them.
pub const REQUIRED_STRINGS: &[&str] = &[
    "free_registration",
    "form_accepted",
    "form_rejected",
    "form_retry",
    "reason_competitor",
    "reason_student",
    "consent_label",
    "consent_title",
    "submit",
    "register_cta",
    "audience_title",
    "description_title",
    "program_title",
    "registration_title",
    "contacts_title",
    "partners_title",
    "logo_alt",
];

/// Languages a theme carries strings for.
pub const LANGS: &[&str] = &["ru", "kk"];

macro_rules! embed {
    ($dir:literal: $($file:literal),+ $(,)?) => {
        &[$(($file, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/", $dir, "/", $file)))),+]
    };
}

type Files = &'static [(&'static str, &'static str)];

/// The shipped themes, compiled into the binary.
const EMBEDDED: &[(&str, Files)] = &[
    (
        "default",
        embed!("default":
            "theme.toml", "strings.ru.toml", "strings.kk.toml", "style.css", "print.css",
            "page.html", "form.html",
            "sections/header.html", "sections/hero.html", "sections/audience.html",
            "sections/description.html", "sections/program.html", "sections/speakers.html",
            "sections/registration.html", "sections/contacts.html", "sections/partners.html",
            "sections/gallery.html",
        ),
    ),
    (
        "horizon",
        embed!("horizon":
            "theme.toml", "strings.ru.toml", "strings.kk.toml", "style.css", "print.css",
            "page.html", "form.html",
            "sections/header.html", "sections/hero.html", "sections/audience.html",
            "sections/description.html", "sections/program.html", "sections/speakers.html",
            "sections/registration.html", "sections/contacts.html", "sections/partners.html",
            "sections/gallery.html",
        ),
    ),
];

/// Names of the themes built into the binary.
pub fn embedded_names() -> Vec<&'static str> {
    EMBEDDED.iter().map(|(n, _)| *n).collect()
}

/// Why a theme could not be used.
#[derive(Debug, Clone)]
pub enum ThemeError {
    /// No folder and no built-in theme of that name.
    NotFound {
        name: String,
        searched: Vec<PathBuf>,
    },
    /// A name that is neither a plain theme name nor a path.
    BadName(String),
    MissingFile {
        theme: String,
        file: String,
    },
    Read {
        file: PathBuf,
        error: String,
    },
    Toml {
        file: String,
        error: String,
    },
    MissingString {
        file: String,
        key: String,
    },
    Template {
        file: String,
        error: String,
    },
    Css {
        error: String,
    },
}

impl ThemeError {
    pub fn message(&self) -> Text {
        match self {
            ThemeError::NotFound { name, searched } => {
                let list = searched
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let builtin = embedded_names().join(", ");
                t!(
                    "тема «{name}» не найдена (искали: {list}; встроенные темы: {builtin})",
                    "theme \"{name}\" not found (looked in: {list}; built-in themes: {builtin})"
                )
            }
            ThemeError::BadName(name) => t!(
                "«{name}» — не имя темы и не путь к папке темы",
                "\"{name}\" is neither a theme name nor a path to a theme folder"
            ),
            ThemeError::MissingFile { theme, file } => t!(
                "в теме «{theme}» нет обязательного файла {file}",
                "theme \"{theme}\" lacks the required file {file}"
            ),
            ThemeError::Read { file, error } => {
                let f = file.display();
                t!(
                    "не удалось прочитать {f}: {error}",
                    "cannot read {f}: {error}"
                )
            }
            ThemeError::Toml { file, error } => {
                t!("ошибка в {file}: {error}", "error in {file}: {error}")
            }
            ThemeError::MissingString { file, key } => t!(
                "в {file} нет строки `{key}`",
                "{file} lacks the string `{key}`"
            ),
            ThemeError::Template { file, error } => t!(
                "ошибка в шаблоне {file}: {error}",
                "template error in {file}: {error}"
            ),
            ThemeError::Css { error } => {
                t!(
                    "ошибка в CSS темы: {error}",
                    "error in the theme CSS: {error}"
                )
            }
        }
    }
}

impl std::fmt::Display for ThemeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for ThemeError {}

/// Where a theme's files came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThemeSource {
    Embedded(&'static str),
    Dir(PathBuf),
}

/// The raw files of a theme, before anything is compiled.
#[derive(Debug, Clone)]
pub struct ThemeFiles {
    pub name: String,
    pub source: ThemeSource,
    files: BTreeMap<String, String>,
}

/// Files every theme must have besides the section partials.
const REQUIRED_FILES: &[&str] = &[
    "theme.toml",
    "strings.ru.toml",
    "strings.kk.toml",
    "style.css",
    "page.html",
    "form.html",
];

/// A theme found by name or path but not read yet: enough to tell two events' themes apart
/// and to read one file of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThemeLocation {
    pub name: String,
    /// A folder as found (not canonical), or a built-in theme.
    pub source: ThemeSource,
}

impl ThemeLocation {
    /// Finds a theme: a path (anything with a `/`, `\` or a leading `.`) is taken relative to
    /// `base_dir`; a plain name is looked up as `themes/<name>` in `base_dir`, its parent (an
    /// agency folder) and the current folder, then among the built-in themes. Only looks for
    /// `theme.toml`; nothing is read.
    pub fn find(name_or_path: &str, base_dir: &Path) -> Result<ThemeLocation, ThemeError> {
        let spec = name_or_path.trim();
        let is_path = spec.contains('/') || spec.contains('\\') || spec.starts_with('.');
        if is_path {
            let dir = base_dir.join(spec);
            if !dir.join("theme.toml").is_file() {
                return Err(ThemeError::NotFound {
                    name: spec.to_string(),
                    searched: vec![dir],
                });
            }
            return Ok(Self::dir(dir));
        }
        if spec.is_empty()
            || !spec
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ThemeError::BadName(spec.to_string()));
        }
        let mut searched = Vec::new();
        let mut roots = vec![base_dir.to_path_buf()];
        if let Some(parent) = base_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            roots.push(parent.to_path_buf());
        }
        if let Ok(cwd) = std::env::current_dir() {
            roots.push(cwd);
        }
        for root in roots {
            let dir = root.join("themes").join(spec);
            if dir.join("theme.toml").is_file() {
                return Ok(Self::dir(dir));
            }
            searched.push(dir);
        }
        if let Some((name, _)) = embedded_files(spec) {
            return Ok(ThemeLocation {
                name: name.to_string(),
                source: ThemeSource::Embedded(name),
            });
        }
        Err(ThemeError::NotFound {
            name: spec.to_string(),
            searched,
        })
    }

    fn dir(dir: PathBuf) -> ThemeLocation {
        ThemeLocation {
            name: dir_name(&dir),
            source: ThemeSource::Dir(dir),
        }
    }

    /// Every file of the theme.
    pub fn files(&self) -> Result<ThemeFiles, ThemeError> {
        match &self.source {
            ThemeSource::Embedded(name) => {
                Ok(ThemeFiles::embedded(name).expect("located among the built-in themes"))
            }
            ThemeSource::Dir(dir) => ThemeFiles::read_dir(dir),
        }
    }

    /// The theme's strings in one language, reading only `strings.<lang>.toml`: the rules need
    /// them for every event, the rest of the theme only a build does.
    pub fn strings(&self, lang: &str) -> Result<BTreeMap<String, String>, ThemeError> {
        self.strings_shipped(lang).map(|(strings, _)| strings)
    }

    /// [`ThemeLocation::strings`], and whether they are a built-in theme's as shipped (a
    /// folder may hold an unchanged copy, as the repository's `themes/` does).
    pub fn strings_shipped(
        &self,
        lang: &str,
    ) -> Result<(BTreeMap<String, String>, bool), ThemeError> {
        let file = format!("strings.{lang}.toml");
        let text = match &self.source {
            ThemeSource::Embedded(name) => embedded_files(name)
                .and_then(|(_, files)| files.iter().find(|(p, _)| *p == file))
                .map(|(_, text)| text.to_string()),
            ThemeSource::Dir(dir) => read_theme_file(&dir.join(&file))?,
        };
        let text = text.ok_or_else(|| ThemeError::MissingFile {
            theme: self.name.clone(),
            file: file.clone(),
        })?;
        let shipped = EMBEDDED
            .iter()
            .flat_map(|(_, files)| files.iter())
            .any(|(p, shipped)| *p == file && *shipped == text);
        Ok((parse_strings(file, &text)?, shipped))
    }
}

/// A built-in theme: its name and files.
fn embedded_files(name: &str) -> Option<(&'static str, Files)> {
    EMBEDDED.iter().find(|(n, _)| *n == name).copied()
}

/// One file of a theme folder; `None` when the theme has no such file.
fn read_theme_file(path: &Path) -> Result<Option<String>, ThemeError> {
    use crate::sources::regular::{read_regular_text, ReadError};
    // Only a regular file, of a sane size: a FIFO in a theme folder must not block.
    match read_regular_text(path, 4 * 1024 * 1024) {
        Ok(text) => Ok(Some(text)),
        Err(ReadError::NotFound) => Ok(None),
        Err(e) => Err(ThemeError::Read {
            file: path.to_path_buf(),
            error: e.to_string(),
        }),
    }
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "theme".into())
}

fn parse_strings(file: String, text: &str) -> Result<BTreeMap<String, String>, ThemeError> {
    toml::from_str::<BTreeMap<String, String>>(text).map_err(|e| ThemeError::Toml {
        file,
        error: e.message().to_string(),
    })
}

impl ThemeFiles {
    /// Finds a theme (see [`ThemeLocation::find`]) and reads all its files.
    pub fn find(name_or_path: &str, base_dir: &Path) -> Result<ThemeFiles, ThemeError> {
        ThemeLocation::find(name_or_path, base_dir)?.files()
    }

    /// A built-in theme by name.
    pub fn embedded(name: &str) -> Option<ThemeFiles> {
        let (name, files) = embedded_files(name)?;
        Some(ThemeFiles {
            name: name.to_string(),
            source: ThemeSource::Embedded(name),
            files: files
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
        })
    }

    /// Whether these are the files of a built-in theme exactly as shipped.
    pub fn is_shipped(&self) -> bool {
        EMBEDDED.iter().any(|(_, shipped)| {
            shipped.len() == self.files.len()
                && shipped
                    .iter()
                    .all(|(path, text)| self.get(path) == Some(*text))
        })
    }

    /// A theme folder on disk.
    pub fn read_dir(dir: &Path) -> Result<ThemeFiles, ThemeError> {
        let name = dir_name(dir);
        let mut files = BTreeMap::new();
        let mut wanted: Vec<String> = REQUIRED_FILES.iter().map(|s| s.to_string()).collect();
        wanted.push("print.css".into());
        wanted.extend(SECTION_NAMES.iter().map(|s| format!("sections/{s}.html")));
        for rel in wanted {
            if let Some(text) = read_theme_file(&dir.join(&rel))? {
                files.insert(rel, text);
            }
        }
        let source = ThemeSource::Dir(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.into()));
        Ok(ThemeFiles {
            name,
            source,
            files,
        })
    }

    pub fn get(&self, rel: &str) -> Option<&str> {
        self.files.get(rel).map(String::as_str)
    }

    fn require(&self, rel: &str) -> Result<&str, ThemeError> {
        self.get(rel).ok_or_else(|| ThemeError::MissingFile {
            theme: self.name.clone(),
            file: rel.to_string(),
        })
    }

    /// The theme's strings in one language (`strings.<lang>.toml`), as written.
    pub fn strings(&self, lang: &str) -> Result<BTreeMap<String, String>, ThemeError> {
        let file = format!("strings.{lang}.toml");
        let text = self.require(&file)?;
        parse_strings(file, text)
    }
}

/// `theme.toml`: the theme's name, a description and its default variables.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ThemeManifest {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub variables: BTreeMap<String, toml::Value>,
}

/// A loaded theme: templates compiled, CSS compiled and minified, strings read.
#[derive(Debug)]
pub struct Theme {
    pub name: String,
    pub source: ThemeSource,
    pub manifest: ThemeManifest,
    pub(crate) tera: tera::Tera,
    /// The compiled, minified CSS (theme `style.css` plus `print.css` under `@media print`),
    /// without the accent variables: see [`Theme::css`].
    compiled_css: String,
    strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Section partials this theme has.
    pub sections: Vec<&'static str>,
}

impl Theme {
    /// Loads a theme by name or path (see [`ThemeFiles::find`]) and compiles it.
    pub fn load(name_or_path: &str, base_dir: &Path) -> Result<Theme, ThemeError> {
        Self::from_files(ThemeFiles::find(name_or_path, base_dir)?)
    }

    /// The theme a webinar picks (`[theme] name`, default `default`); a relative path is
    /// relative to the file that names it.
    pub fn for_choice(choice: &ThemeChoice) -> Result<Theme, ThemeError> {
        Self::load(&choice.name, &choice.base)
    }

    pub fn from_files(files: ThemeFiles) -> Result<Theme, ThemeError> {
        let manifest: ThemeManifest =
            toml::from_str(files.require("theme.toml")?).map_err(|e| ThemeError::Toml {
                file: "theme.toml".into(),
                error: e.message().to_string(),
            })?;
        let mut strings = BTreeMap::new();
        for lang in LANGS {
            let s = files.strings(lang)?;
            for key in REQUIRED_STRINGS {
                if s.get(*key).is_none_or(|v| v.trim().is_empty()) {
                    return Err(ThemeError::MissingString {
                        file: format!("strings.{lang}.toml"),
                        key: key.to_string(),
                    });
                }
            }
            strings.insert(lang.to_string(), s);
        }
        let mut templates: Vec<(String, String)> = Vec::new();
        for rel in ["page.html", "form.html"] {
            templates.push((rel.to_string(), files.require(rel)?.to_string()));
        }
        let mut sections = Vec::new();
        for name in SECTION_NAMES {
            let rel = format!("sections/{name}.html");
            match files.get(&rel) {
                Some(src) => {
                    templates.push((rel, src.to_string()));
                    sections.push(*name);
                }
                None if OPTIONAL_SECTIONS.contains(name) => {}
                None => {
                    return Err(ThemeError::MissingFile {
                        theme: files.name.clone(),
                        file: rel,
                    })
                }
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(super::esc);
        tera.add_raw_templates(templates)
            .map_err(|e| ThemeError::Template {
                file: tera_file(&e),
                error: tera_error_chain(&e),
            })?;
        let mut css_src = files.require("style.css")?.to_string();
        if let Some(print) = files.get("print.css") {
            css_src.push_str("\n@media print {\n");
            css_src.push_str(print);
            css_src.push_str("\n}\n");
        }
        let compiled_css =
            super::css::compile(&css_src).map_err(|error| ThemeError::Css { error })?;
        Ok(Theme {
            name: manifest.name.clone().unwrap_or_else(|| files.name.clone()),
            source: files.source,
            manifest,
            tera,
            compiled_css,
            strings,
            sections,
        })
    }

    /// The theme's strings in `lang` (`ru` or `kk`).
    pub fn strings(&self, lang: &str) -> &BTreeMap<String, String> {
        self.strings
            .get(lang)
            .or_else(|| self.strings.get("ru"))
            .expect("themes always carry ru strings")
    }

    /// A theme variable from `theme.toml` `[variables]`, as a string.
    pub fn variable(&self, key: &str) -> Option<String> {
        self.manifest.variables.get(key).map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// The page CSS: the compiled theme CSS with the accent palette in front. `accent` is the
    /// event's `[theme] accent`; an invalid or missing one falls back to the theme's default.
    pub fn css(&self, accent: Option<&str>) -> String {
        let palette = self.palette(accent);
        format!("{}{}", palette.css_root(), self.compiled_css)
    }

    /// The accent colours of a page, contrast-checked.
    pub fn palette(&self, accent: Option<&str>) -> super::color::Palette {
        let default = self.variable("accent").unwrap_or_else(|| "#2FC6F6".into());
        super::color::Palette::new(accent, &default)
    }

    /// The compiled CSS without the accent variables.
    pub fn compiled_css(&self) -> &str {
        &self.compiled_css
    }
}

fn tera_error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}

fn tera_file(e: &tera::Error) -> String {
    let s = e.to_string();
    s.split('\'').nth(1).unwrap_or("").to_string()
}

pub(crate) fn tera_message(e: &tera::Error) -> String {
    tera_error_chain(e)
}

/// Loaded themes, shared by the events of one run: each theme is read and compiled once and
/// handed out as `Arc<Theme>`, and the strings the rules check are read once per language.
/// Events find their theme by a few `stat`s; without this, every event of a batch read the
/// whole theme folder twice (see README, Performance).
#[derive(Debug, Default)]
pub struct ThemeCache {
    themes: Mutex<HashMap<ThemeLocation, Arc<OnceLock<CompiledTheme>>>>,
    strings: Mutex<HashMap<(ThemeLocation, &'static str), Arc<ThemeStrings>>>,
    /// Whether each theme folder builds, as `check` found it (see [`ThemeCache::check_folder`]).
    folders: Mutex<HashMap<ThemeLocation, Result<(), ThemeError>>>,
}

/// A theme compiled once for the run, or why it could not be.
type CompiledTheme = Result<Arc<Theme>, ThemeError>;

/// A theme's strings in one language, and whether they are a built-in theme's as shipped.
type ThemeStrings = (BTreeMap<String, String>, bool);

impl ThemeCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The theme for `name_or_path` (see [`ThemeLocation::find`]), compiled at most once: the
    /// threads that ask while it compiles wait for it rather than compile their own copy.
    pub fn get(&self, name_or_path: &str, base_dir: &Path) -> Result<Arc<Theme>, ThemeError> {
        self.compiled(ThemeLocation::find(name_or_path, base_dir)?)
    }

    /// Why the theme at `location` cannot be built, if it cannot: for a theme folder, it is
    /// compiled as `build` compiles it (the rules report the error), so that what `check`
    /// accepts, `build` builds. A built-in theme is compiled by the tests, not by every `check`.
    pub fn builds(&self, location: &ThemeLocation) -> Result<(), ThemeError> {
        match location.source {
            ThemeSource::Dir(_) => self.check_folder(location),
            ThemeSource::Embedded(_) => Ok(()),
        }
    }

    /// Whether the theme folder at `location` builds, found once per cache: its files are
    /// read (a file that is not a regular file or not UTF-8 is refused) and, unless they are a
    /// built-in theme's exactly as shipped (the repository's `themes/` folders, which the tests
    /// compile), compiled as `build` compiles them. Compiling costs a one-event `check` about
    /// 4 ms, more than the rest of it.
    fn check_folder(&self, location: &ThemeLocation) -> Result<(), ThemeError> {
        if let Some(known) = self.folders.lock().expect("theme cache").get(location) {
            return known.clone();
        }
        let result = location.files().and_then(|files| {
            if files.is_shipped() {
                Ok(())
            } else {
                self.compiled_from(location.clone(), || Ok(files))
                    .map(|_| ())
            }
        });
        self.folders
            .lock()
            .expect("theme cache")
            .insert(location.clone(), result.clone());
        result
    }

    /// The theme at `location`, compiled once per cache.
    fn compiled(&self, location: ThemeLocation) -> Result<Arc<Theme>, ThemeError> {
        let at = location.clone();
        self.compiled_from(location, move || at.files())
    }

    /// The theme at `location`, compiled once per cache from the files `read` gives (read only
    /// if it is not compiled yet).
    fn compiled_from(
        &self,
        location: ThemeLocation,
        read: impl FnOnce() -> Result<ThemeFiles, ThemeError>,
    ) -> Result<Arc<Theme>, ThemeError> {
        let slot = self
            .themes
            .lock()
            .expect("theme cache")
            .entry(location)
            .or_default()
            .clone();
        slot.get_or_init(|| Ok(Arc::new(Theme::from_files(read()?)?)))
            .clone()
    }

    /// The theme a webinar picks.
    pub fn for_choice(&self, choice: &ThemeChoice) -> Result<Arc<Theme>, ThemeError> {
        self.get(&choice.name, &choice.base)
    }

    /// The theme's strings that reach the event's page, in its language, for the text rules:
    /// `GeneratedText::new(text, "theme.<name>.<lang>.<key>", false, TextRole::Theme)`.
    /// The error says why the theme cannot be found (the rules report it); strings that
    /// cannot be read give none (see [`ThemeCache::builds`]).
    pub fn check_texts(
        &self,
        choice: &ThemeChoice,
        lang: Language,
    ) -> Result<Vec<GeneratedText>, ThemeError> {
        let location = ThemeLocation::find(&choice.name, &choice.base)?;
        Ok(self.texts_at(&location, lang))
    }

    /// [`ThemeCache::check_texts`] of a theme already located.
    pub fn texts_at(&self, location: &ThemeLocation, lang: Language) -> Vec<GeneratedText> {
        let lang = lang.code();
        let key = (location.clone(), lang);
        let cached = self.strings.lock().expect("theme cache").get(&key).cloned();
        let strings = match cached {
            Some(s) => s,
            None => {
                let Ok(s) = key.0.strings_shipped(lang) else {
                    return Vec::new();
                };
                let s = Arc::new(s);
                self.strings
                    .lock()
                    .expect("theme cache")
                    .insert(key.clone(), s.clone());
                s
            }
        };
        let name = &key.0.name;
        let (strings, shipped) = &*strings;
        strings
            .iter()
            .map(|(k, value)| {
                let mut text = GeneratedText::new(
                    value.clone(),
                    format!("theme.{name}.{lang}.{k}"),
                    false,
                    TextRole::Theme,
                );
                text.checked_ahead = *shipped;
                text
            })
            .collect()
    }
}

/// Browser targets for the theme CSS, computed once.
pub(crate) fn css_targets() -> &'static lightningcss::targets::Targets {
    static TARGETS: OnceLock<lightningcss::targets::Targets> = OnceLock::new();
    TARGETS.get_or_init(|| {
        let browsers = lightningcss::targets::Browsers::from_browserslist([
            "> 0.5%",
            "last 2 versions",
            "Firefox ESR",
            "not dead",
        ])
        .ok()
        .flatten();
        lightningcss::targets::Targets {
            browsers,
            ..Default::default()
        }
    })
}

/// A form string (`form_accepted`, `reason_student`, ...) of a theme's `strings`: the theme's,
/// else the catalog's (`form.*`, its `{{ reason }}` the page's own `{reason}`). The page, the
/// preview form and the exports fall back alike.
pub fn form_string(
    strings: &BTreeMap<String, String>,
    lang: crate::catalog::Language,
    key: &str,
) -> Option<String> {
    use crate::catalog;
    strings
        .get(key)
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .or_else(|| {
            let t = catalog::try_text(lang, &format!("form.{key}"))?;
            Some(
                catalog::fill(t, &[("reason", catalog::PAGE_REASON)]).unwrap_or_else(|u| u.partial),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's theme folders are the built-in themes as shipped; one changed byte
    /// makes a folder a theme of its own, which `check` compiles.
    #[test]
    fn the_repository_themes_are_shipped_and_a_changed_copy_is_not() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        for name in embedded_names() {
            let files = ThemeFiles::read_dir(&root.join(name)).unwrap();
            assert!(files.is_shipped(), "{name}");
            let mut changed = files.clone();
            changed
                .files
                .get_mut("page.html")
                .unwrap()
                .push_str("<!-- mine -->");
            assert!(!changed.is_shipped(), "{name}");
        }
    }
}
