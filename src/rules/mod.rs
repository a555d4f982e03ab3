//! The rulebook (`shared/spec/rulebook.md`): every rule a small function from the event to
//! its diagnostics, grouped by family. [`RULES`] is the table `bxland rules` prints.

mod consent;
pub mod content_filter;
mod event;
mod form;
mod input;
mod mail;
mod media;
pub mod memo;
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
    /// Why `[theme] name` names no theme the renderer can find or compile, if it does not.
    pub theme_problem: Option<ThemeProblem>,
}

/// Why the theme an event names cannot be used.
#[derive(Debug, Clone)]
pub struct ThemeProblem {
    pub message: Text,
    /// Found, but a file of it cannot be read or compiled (not a wrong name or path).
    pub broken: bool,
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

/// A rule's look at one text alone. It sees only the text and [`PieceCtx`], never the rest of
/// the event, and reports byte ranges in the text ([`TextPiece::local`]): `rules::check` maps
/// them into `event.toml`, or names the place a generated text goes to. So what it finds
/// depends on the words alone, and [`memo`] keeps it for the next text or event with the same
/// words.
pub type PieceCheck = fn(&PieceCtx, &TextPiece) -> Vec<Diagnostic>;

/// What a [`PieceCheck`] may know of the event besides the text.
pub struct PieceCtx {
    /// Whether the event's date is readable: without it bxland's own texts keep their date
    /// slots unfilled, which `event.date` reports (and `text.placeholder` does not).
    pub date_known: bool,
}

pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// What it checks: a fixed text, so the table is built without allocating.
    pub what: Text,
    /// Where in the program rules it comes from.
    pub section: &'static str,
    /// What it checks in the event as a whole.
    pub check: Check,
    /// What it looks for in each text (see [`PieceCheck`]).
    pub each_text: Option<PieceCheck>,
}

macro_rules! rule {
    ($id:expr, $sev:ident, $ru:expr, $en:expr, $section:expr, $check:path) => {
        $crate::rules::rule!(@ $id, $sev, $ru, $en, $section, $check, None)
    };
    ($id:expr, $sev:ident, $ru:expr, $en:expr, $section:expr, each_text: $each:path) => {
        // Nothing to check in the event as a whole.
        $crate::rules::rule!(@ $id, $sev, $ru, $en, $section, |_| Vec::new(), Some($each))
    };
    ($id:expr, $sev:ident, $ru:expr, $en:expr, $section:expr, $check:path, each_text: $each:path) => {
        $crate::rules::rule!(@ $id, $sev, $ru, $en, $section, $check, Some($each))
    };
    (@ $id:expr, $sev:ident, $ru:expr, $en:expr, $section:expr, $check:expr, $each:expr) => {
        $crate::rules::Rule {
            id: $id,
            severity: $crate::diag::Severity::$sev,
            what: $crate::i18n::Text::fixed($ru, $en),
            section: $section,
            check: $check,
            each_text: $each,
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
    let pieces = PieceCtx {
        date_known: ctx.event.date().is_some(),
    };
    let mut out: Vec<Diagnostic> = Vec::new();
    for piece in ctx.texts.iter().filter(|p| !p.checked_ahead) {
        // The same words are judged once per process: bxland's own texts recur in every
        // event of a batch and in several mails of one, a partner's in a series of events.
        let found = memo::found_in(piece, pieces.date_known, || each_text(&pieces, piece));
        if piece.span.is_some() {
            let sources = &ctx.event.sources;
            out.extend(found.into_iter().map(|mut d| {
                d.span = d.span.and_then(|r| piece.span_of(sources, r));
                d
            }));
        } else {
            // No line to point at: the diagnostic names the place the text goes to.
            let place = piece.place();
            out.extend(found.into_iter().map(|d| d.placed(&place).at(None)));
        }
    }
    out.extend(all().iter().flat_map(|r| (r.check)(ctx)));
    let mut out: Vec<Diagnostic> = out.into_iter().map(grade).collect();
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

/// What every rule finds in one text.
fn each_text(ctx: &PieceCtx, piece: &TextPiece) -> Vec<Diagnostic> {
    all()
        .iter()
        .filter_map(|r| r.each_text)
        .flat_map(|check| check(ctx, piece))
        .collect()
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
