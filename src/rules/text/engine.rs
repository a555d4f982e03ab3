//! Pattern rules over annotated tokens, in the manner of LanguageTool's: `data/rules/*.toml`,
//! compiled by `build.rs` (see `compile.rs`) into [`RULES`].
//!
//! A rule is one or more patterns (a sequence of token conditions: word spelling, lemma, part
//! of speech, grammemes, brand, quoted, capitalised, price; each may be negated, repeated as a
//! skip, optional; `mark` says which tokens the diagnostic points at), optionally in any order
//! around a `gap`, plus exceptions: antipatterns (`unless`: a match overlapping one is
//! dropped), words the sentence must hold (`sentence_has`) or must not (`sentence_lacks`).
//! A pattern never crosses a sentence, nor a comma unless its token says `comma = true`.
//!
//! Every rule carries good and bad examples; the tests below run them all.

use std::ops::Range;

use super::annotate::{Annotated, Tok};
use super::lexicon::Token;
use super::tokens::Word;
use crate::diag::Diagnostic;
use crate::i18n::Text;
use crate::rules::TextPiece;

/// One condition on a token; the `bool` of most is «negated».
#[derive(Debug)]
pub enum Cond {
    Word(bool, &'static [Token]),
    Lemma(bool, &'static [u16]),
    Pos(bool, u32),
    /// Each mask must meet the reading's grammemes (negated: none may).
    Feats(bool, &'static [u64]),
    Brand(bool, u8),
    Quoted(bool),
    /// No rule asks for a capital letter yet; the rule files may.
    #[allow(dead_code)]
    Cap(bool),
    Price(bool),
    /// One of the alternatives (each a list of conditions that all hold).
    Or(&'static [&'static [Cond]]),
}

/// One element of a pattern: `min..=max` tokens that each meet every condition.
#[derive(Debug)]
pub struct Elem {
    pub conds: &'static [Cond],
    pub min: u8,
    pub max: u8,
    pub mark: bool,
    /// May start after a comma.
    pub comma: bool,
    /// Takes as many tokens as it can (an optional token); otherwise as few (a skip).
    pub greedy: bool,
}

#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    /// The name, the examples: for the tests (and the reader of the rule files).
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    pub patterns: &'static [&'static [Elem]],
    pub unless: &'static [&'static [Elem]],
    pub sentence_has: &'static [Elem],
    pub sentence_lacks: &'static [Elem],
    #[cfg_attr(not(test), allow(dead_code))]
    pub good: &'static [&'static str],
    #[cfg_attr(not(test), allow(dead_code))]
    pub bad: &'static [&'static str],
}

mod compiled {
    use super::{Cond, Elem, Rule};
    use crate::rules::text::lexicon::{Endings, Token};

    include!(concat!(env!("OUT_DIR"), "/text_rules.rs"));
}

pub use compiled::RULES;

/// The text, its words and its tokens: what a rule is matched against.
pub struct Input<'a> {
    pub words: &'a [Word<'a>],
    pub ann: &'a Annotated,
}

impl Input<'_> {
    fn meets(&self, t: &Tok, conds: &[Cond]) -> bool {
        let mut analysis_conds = false;
        for c in conds {
            let ok = match *c {
                Cond::Word(neg, spellings) => {
                    let w = &self.words[t.words.start];
                    spellings.iter().any(|s| s.matches(w)) != neg
                }
                Cond::Brand(neg, mask) => (t.brand & mask != 0) != neg,
                Cond::Quoted(b) => t.quoted == b,
                Cond::Cap(b) => t.cap == b,
                Cond::Price(b) => t.price == b,
                Cond::Or(alts) => alts.iter().any(|a| self.meets(t, a)),
                Cond::Lemma(true, ls) => {
                    !self.ann.analyses(t).iter().any(|a| ls.contains(&a.lemma))
                }
                Cond::Pos(true, mask) => !self.ann.analyses(t).iter().any(|a| a.pos & mask != 0),
                Cond::Lemma(false, _) | Cond::Pos(false, _) | Cond::Feats(..) => {
                    analysis_conds = true;
                    true
                }
            };
            if !ok {
                return false;
            }
        }
        if !analysis_conds {
            return true;
        }
        // The positive conditions on readings hold of one reading together.
        self.ann.analyses(t).iter().any(|a| {
            conds.iter().all(|c| match *c {
                Cond::Lemma(false, ls) => ls.binary_search(&a.lemma).is_ok(),
                Cond::Pos(false, mask) => a.pos & mask != 0,
                Cond::Feats(false, masks) => masks.iter().all(|m| a.feats & m != 0),
                Cond::Feats(true, masks) => masks.iter().all(|m| a.feats & m == 0),
                _ => true,
            })
        })
    }

    /// Matches `pat` from token `at`: the end of the match; the marked tokens are added to
    /// `marks`.
    fn match_at(
        &self,
        pat: &[Elem],
        start: usize,
        at: usize,
        marks: &mut Vec<usize>,
    ) -> Option<usize> {
        let Some((e, rest)) = pat.split_first() else {
            return Some(at);
        };
        let toks = &self.ann.toks;
        // How many tokens from `at` this element could take.
        let mut most = 0;
        while most < usize::from(e.max) {
            let Some(t) = toks.get(at + most) else {
                break;
            };
            if at + most > start && (t.sentence_start || (t.comma && !(e.comma && most == 0))) {
                break;
            }
            if !self.meets(t, e.conds) {
                break;
            }
            most += 1;
        }
        let least = usize::from(e.min);
        if most < least {
            return None;
        }
        let try_n = |n: usize, marks: &mut Vec<usize>| {
            let len = marks.len();
            if e.mark {
                marks.extend(at..at + n);
            }
            let end = self.match_at(rest, start, at + n, marks);
            if end.is_none() {
                marks.truncate(len);
            }
            end
        };
        if e.greedy {
            (least..=most).rev().find_map(|n| try_n(n, marks))
        } else {
            (least..=most).find_map(|n| try_n(n, marks))
        }
    }

    /// The sentence (token range) holding token `i`.
    fn sentence(&self, i: usize) -> Range<usize> {
        let toks = &self.ann.toks;
        let from = toks[..=i]
            .iter()
            .rposition(|t| t.sentence_start)
            .unwrap_or(0);
        let to = toks[i + 1..]
            .iter()
            .position(|t| t.sentence_start)
            .map_or(toks.len(), |p| i + 1 + p);
        from..to
    }

    fn any_in(&self, range: Range<usize>, alternatives: &[Elem]) -> bool {
        self.ann.toks[range]
            .iter()
            .any(|t| alternatives.iter().any(|e| self.meets(t, e.conds)))
    }

    /// Whether the text may hold a token that meets `conds`: false only when they ask for a
    /// lemma, a part of speech, a brand or a price the text has none of.
    fn may_meet(&self, conds: &[Cond]) -> bool {
        conds.iter().all(|c| match *c {
            Cond::Lemma(false, ls) => ls
                .iter()
                .any(|&l| self.ann.lemmas[usize::from(l) / 64] & (1 << (l % 64)) != 0),
            Cond::Brand(false, mask) => self.ann.brands & mask != 0,
            Cond::Pos(false, mask) => self.ann.pos & mask != 0,
            Cond::Price(true) => self.ann.has_price,
            Cond::Or(alts) => alts.iter().any(|a| self.may_meet(a)),
            _ => true,
        })
    }

    /// Whether `pat` may match at all: every token it needs may be in the text.
    fn may_match(&self, pat: &[Elem]) -> bool {
        pat.iter()
            .filter(|e| e.min > 0)
            .all(|e| self.may_meet(e.conds))
    }

    /// The tokens a match of `pat` may start at: up to as many tokens before one that meets
    /// its first required element as the optional elements ahead of it can take. One test of
    /// that element per token, where trying the pattern at every token tried the optional
    /// elements before it too. `None`: a pattern of optional elements only starts anywhere.
    fn starts(&self, pat: &[Elem]) -> Option<Vec<bool>> {
        let first = pat.iter().position(|e| e.min > 0)?;
        let reach: usize = pat[..first].iter().map(|e| usize::from(e.max)).sum();
        let toks = &self.ann.toks;
        let mut may = vec![false; toks.len()];
        for (at, t) in toks.iter().enumerate() {
            if self.meets(t, pat[first].conds) {
                may[at.saturating_sub(reach)..=at].fill(true);
            }
        }
        Some(may)
    }

    /// Every match of `rule`: the marked tokens (all of the match if none is marked).
    /// `without` drops one exception (an index into `unless`, or `unless.len()` for
    /// `sentence_lacks`): the tests check that each exception is needed by a good example.
    pub fn find(&self, rule: &Rule, without: Option<usize>) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        let toks = &self.ann.toks;
        let mut marks = Vec::new();
        // The patterns that may match this text, as bits (a rule has a handful).
        let patterns = rule
            .patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| self.may_match(p))
            .fold(0u64, |m, (i, _)| m | 1 << i);
        if patterns == 0
            || (!rule.sentence_has.is_empty()
                && !rule.sentence_has.iter().any(|e| self.may_meet(e.conds)))
        {
            return out;
        }
        // Where each pattern may start (see `Input::starts`); one that may not match this
        // text at all starts nowhere.
        let starts: Vec<Option<Vec<bool>>> = rule
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if patterns & (1 << i) != 0 {
                    self.starts(p)
                } else {
                    Some(Vec::new())
                }
            })
            .collect();
        for start in 0..toks.len() {
            let candidates = rule
                .patterns
                .iter()
                .zip(&starts)
                .filter(|(_, may)| may.as_ref().is_none_or(|m| m.get(start) == Some(&true)));
            for (pat, _) in candidates {
                marks.clear();
                let Some(end) = self.match_at(pat, start, start, &mut marks) else {
                    continue;
                };
                if end == start {
                    continue;
                }
                let sentence = self.sentence(start);
                if !rule.sentence_has.is_empty()
                    && !self.any_in(sentence.clone(), rule.sentence_has)
                {
                    continue;
                }
                if without != Some(rule.unless.len())
                    && !rule.sentence_lacks.is_empty()
                    && self.any_in(sentence.clone(), rule.sentence_lacks)
                {
                    continue;
                }
                let excepted = rule.unless.iter().enumerate().any(|(k, anti)| {
                    without != Some(k)
                        && sentence.clone().any(|s| {
                            let mut m = Vec::new();
                            self.match_at(anti, s, s, &mut m)
                                .is_some_and(|e| e > s && s < end && start < e)
                        })
                });
                if excepted {
                    continue;
                }
                let span = match (marks.iter().min(), marks.iter().max()) {
                    (Some(&a), Some(&b)) => a..b + 1,
                    _ => start..end,
                };
                out.push(span);
                break;
            }
        }
        merge(out)
    }

    /// Byte range of a token range.
    pub fn bytes(&self, toks: Range<usize>) -> Range<usize> {
        self.ann.toks[toks.start].extent.start..self.ann.toks[toks.end - 1].extent.end
    }
}

/// Overlapping ranges joined, in order.
fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(l) if s.start < l.end => l.end = l.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The byte ranges in a text that the rules with `id` find, joined where they overlap.
pub fn find_all(id: &str, words: &[Word], ann: &Annotated) -> Vec<Range<usize>> {
    let input = Input { words, ann };
    let mut spans = Vec::new();
    for rule in RULES.iter().filter(|r| r.id == id) {
        spans.extend(input.find(rule, None).into_iter().map(|r| input.bytes(r)));
    }
    merge(spans)
}

/// A diagnostic of rule `id` for every span its patterns find in `piece`: `message` of what is
/// written there, and `help`.
pub fn diagnostics(
    id: &'static str,
    piece: &TextPiece,
    message: impl Fn(&str) -> Text,
    help: Text,
) -> Vec<Diagnostic> {
    find_all(id, piece.words(), piece.annotated())
        .into_iter()
        .map(|range| {
            Diagnostic::new(id, message(&piece.text[range.clone()]))
                .at(piece.local(range))
                .help(help.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::annotate::annotate;
    use super::super::tokens::words;
    use super::*;

    /// `[[…]]` marks removed: the text and the marked byte ranges.
    fn unmark(s: &str) -> (String, Vec<Range<usize>>) {
        let mut text = String::new();
        let mut marks = Vec::new();
        let mut rest = s;
        while let Some(at) = rest.find("[[") {
            text.push_str(&rest[..at]);
            let end = rest[at + 2..].find("]]").expect("closed mark") + at + 2;
            let start = text.len();
            text.push_str(&rest[at + 2..end]);
            marks.push(start..text.len());
            rest = &rest[end + 2..];
        }
        text.push_str(rest);
        (text, marks)
    }

    fn run(rule: &Rule, text: &str, without: Option<usize>) -> Vec<Range<usize>> {
        let ws = words(text, false);
        let ann = annotate(text, &ws);
        let input = Input {
            words: &ws,
            ann: &ann,
        };
        merge(
            input
                .find(rule, without)
                .into_iter()
                .map(|r| input.bytes(r))
                .collect(),
        )
    }

    #[test]
    fn every_example_of_every_rule() {
        let mut failures = Vec::new();
        for rule in RULES.iter() {
            for good in rule.good {
                let found = run(rule, good, None);
                if !found.is_empty() {
                    let shown: Vec<&str> = found.iter().map(|r| &good[r.clone()]).collect();
                    failures.push(format!("{} good {good:?}: found {shown:?}", rule.name));
                }
            }
            for bad in rule.bad {
                let (text, marks) = unmark(bad);
                let found = run(rule, &text, None);
                if found != marks {
                    let shown: Vec<&str> = found.iter().map(|r| &text[r.clone()]).collect();
                    failures.push(format!("{} bad {bad:?}: found {shown:?}", rule.name));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(RULES.len() >= 10, "{} rules", RULES.len());
    }

    /// Every antipattern (and the `sentence_lacks` exception) is needed by a good example:
    /// without it, some good example of the rule would be flagged.
    #[test]
    fn every_exception_is_exercised() {
        let mut failures = Vec::new();
        for rule in RULES.iter() {
            let mut exceptions: Vec<usize> = (0..rule.unless.len()).collect();
            if !rule.sentence_lacks.is_empty() {
                exceptions.push(rule.unless.len());
            }
            for k in exceptions {
                if !rule.good.iter().any(|g| !run(rule, g, Some(k)).is_empty()) {
                    failures.push(format!("{}: exception {k} has no good example", rule.name));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
