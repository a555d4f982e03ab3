//! The rulebook (`shared/spec/rulebook.md`): every rule a small function from the event to
//! its diagnostics, grouped by family. [`RULES`] is the table `bxland rules` prints.

mod consent;
pub mod content_filter;
mod event;
mod form;
mod input;
mod mail;
mod media;
mod organizer;
mod program;
pub mod text;
pub mod texts;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Severity};
use crate::event::lock::ProgramLock;
use crate::event::Event;
use crate::i18n::Text;

pub use texts::{GeneratedText, TextPiece, TextRole};

/// Everything a rule may look at.
pub struct Ctx<'a> {
    pub event: &'a Event,
    pub today: NaiveDate,
    pub lock: Option<Result<ProgramLock, String>>,
    /// Every text that reaches the page, the mails or the announcements.
    pub texts: Vec<TextPiece<'a>>,
    /// What the outputs hold beyond their texts, measured where they are made.
    pub delivered: Delivered,
}

/// What the outputs will hold that no text rule sees, measured by the layer that makes them
/// (`comms`) and handed in by the pipeline: the rules judge the outputs, they never build them.
#[derive(Debug, Clone, Default)]
pub struct Delivered {
    /// The SMS reminder as it is sent (placeholders filled, white space folded), when the
    /// partner wrote its text.
    pub sms: Option<String>,
    /// Why the announcement card cannot draw the organizer's logo, if it cannot.
    pub card_logo_problem: Option<String>,
    /// Why `[theme] name` names no theme the renderer can find, if it does not.
    pub theme_problem: Option<Text>,
}

impl<'a> Ctx<'a> {
    pub fn new(event: &'a Event, today: NaiveDate, extra: &'a [GeneratedText]) -> Self {
        let mut texts = texts::collect(event);
        texts.extend(extra.iter().map(GeneratedText::piece));
        Ctx {
            event,
            today,
            lock: crate::event::lock::read(event),
            texts,
            delivered: Delivered::default(),
        }
    }
}

pub type Check = fn(&Ctx) -> Vec<Diagnostic>;

pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// What it checks: a fixed text, so the table is built without allocating.
    pub what: Text,
    /// Where in the program rules it comes from.
    pub section: &'static str,
    pub check: Check,
}

macro_rules! rule {
    ($id:expr, $sev:ident, $ru:expr, $en:expr, $section:expr, $check:path) => {
        $crate::rules::Rule {
            id: $id,
            severity: $crate::diag::Severity::$sev,
            what: $crate::i18n::Text::fixed($ru, $en),
            section: $section,
            check: $check,
        }
    };
}
pub(crate) use rule;

/// The whole rulebook, in the order of `rulebook.md`.
pub fn all() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = Vec::new();
        rules.extend(event::rules());
        rules.extend(program::rules());
        rules.extend(organizer::rules());
        rules.extend(form::rules());
        rules.extend(consent::rules());
        rules.extend(text::rules());
        rules.extend(media::rules());
        rules.extend(input::rules());
        rules.extend(mail::rules());
        rules
    })
}

pub fn find(id: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.id == id)
}

/// Runs every rule; diagnostics come sorted by place so that the report reads top-down.
pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = all()
        .iter()
        .flat_map(|r| (r.check)(ctx))
        .map(grade)
        .collect();
    out.sort_by_key(|d| {
        (
            d.span.as_ref().map(|s| s.start).unwrap_or(usize::MAX),
            d.rule,
        )
    });
    out.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    crate::diag::cap_per_rule(out)
}

/// Gives a diagnostic the level its rule is declared with: the only place a level is set, so
/// the table `bxland rules` prints is what `check` does. An id missing from the table stays an
/// error (and `every_emitted_rule_is_declared` fails).
pub fn grade(d: Diagnostic) -> Diagnostic {
    match find(d.rule) {
        Some(rule) => d.graded(rule.severity),
        None => d,
    }
}

/// For a rule whose diagnostics another rule's pass emits (it reads the same words once):
/// declared for its id and level, checks nothing on its own.
pub fn emitted_with_another(_: &Ctx) -> Vec<Diagnostic> {
    Vec::new()
}

/// The span of an optional spanned value.
pub fn span_of<T>(v: &Option<crate::event::Sp<T>>) -> Option<std::ops::Range<usize>> {
    v.as_ref().map(|s| s.span())
}
