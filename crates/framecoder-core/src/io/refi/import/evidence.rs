//! How a source's positions are read, decided from the evidence the file
//! carries, and which selections that evidence confirms.
//!
//! REFI-QDA says positions count code points of the text as written, but
//! tools built on .NET or Java strings count UTF-16 code units, and some
//! count a `\r\n` line break as one. A wrong reading puts every span after
//! the first emoji or line break on the wrong words, so each source is read
//! every plausible way and the reading the evidence favours is kept:
//!
//! 1. selections whose `name` (their text, cut with `…` when long, as
//!    framecoder and other tools write it) matches the text at their
//!    positions; a name that is only an unmarked prefix of the text there
//!    counts less, as a short name is the prefix of misplaced text too;
//! 2. fewer positions past the end of the text;
//! 3. more selection ends on word boundaries;
//! 4. the standard reading on a tie.
//!
//! Then each selection is checked on its own: one whose name matches is
//! confirmed; one whose name does not is re-anchored where its name occurs
//! nearest; one with no usable name is confirmed only when every plausible
//! reading puts it on the same text. Whatever is left is imported but
//! flagged *unconfirmed* and reported, never placed silently.

use crate::io::refi::PositionUnit;
use crate::io::refi::positions::{ImportedText, Reading};
use crate::io::refi::xml::Element;
use regex::Regex;
use std::ops::Range;

/// A selection with positions that parse.
pub(super) struct Selection<'e> {
    pub element: &'e Element,
    pub start: u64,
    pub end: u64,
}

impl Selection<'_> {
    /// The selection's name as a quote to check: whitespace collapsed, and
    /// whether a trailing `…` (or `...`) says it is only the start.
    fn quote_name(&self) -> Option<(String, bool)> {
        let name = self.element.attr("name")?.trim();
        let (name, truncated) = match name.strip_suffix('…').or_else(|| name.strip_suffix("...")) {
            Some(rest) => (rest, true),
            None => (name, false),
        };
        let words: Vec<&str> = name.split_whitespace().collect();
        (!words.is_empty()).then(|| (words.join(" "), truncated))
    }
}

/// The chosen reading of one source and what it rests on.
pub(super) struct SourceReading {
    pub reading: Reading,
    pub text: ImportedText,
    /// Readings the evidence could not rule out, other than the chosen one;
    /// empty when the user chose the unit or the text reads the same every
    /// way.
    others: Vec<ImportedText>,
    /// Names that match under the chosen reading, and names there are.
    confirmed: usize,
    named: usize,
    /// Whether the names are quotes at all: some tools name selections
    /// "Selection 3" or by their code. When no name matches under any
    /// reading, names are no evidence and selections are checked as unnamed.
    names_are_quotes: bool,
    /// No name matches its text whole: this tool's names are prefixes of it.
    loose_names: bool,
    /// Full-text searches spent re-anchoring by name (bounded, so a file of
    /// thousands of misplaced selections cannot make the import quadratic).
    searches: usize,
    /// The user chose the unit: only names that do not match are news.
    forced: bool,
}

/// How far a misplaced selection's name is searched for around its stated
/// place before the whole text is searched, and how many whole-text
/// searches one source may spend.
const SEARCH_WINDOW: usize = 64 * 1024;
const MAX_FULL_SEARCHES: usize = 200;

/// What the check of one selection found.
pub(super) struct Checked {
    pub range: Range<usize>,
    pub unconfirmed: bool,
    /// A report line when the selection was moved or could not be confirmed.
    pub note: Option<String>,
}

impl SourceReading {
    /// Reads `raw` every plausible way (unless `forced` fixes the unit) and
    /// keeps the reading the evidence favours.
    pub fn decide(
        raw: &str,
        positions: &[u64],
        selections: &[Selection<'_>],
        forced: Option<PositionUnit>,
    ) -> Self {
        let astral = raw.chars().any(|c| c.len_utf16() > 1);
        let crlf = raw.contains("\r\n");
        let units: Vec<PositionUnit> = match forced {
            Some(unit) => vec![unit],
            None if astral => vec![PositionUnit::CodePoints, PositionUnit::Utf16],
            None => vec![PositionUnit::CodePoints],
        };
        let mut candidates = Vec::new();
        for crlf_as_one in if crlf { &[false, true][..] } else { &[false][..] } {
            for &unit in &units {
                let reading = Reading {
                    unit,
                    crlf_as_one: *crlf_as_one,
                };
                let text = ImportedText::read(raw, positions.to_vec(), reading);
                let score = Score::of(&text, selections);
                candidates.push((reading, text, score));
            }
        }
        let names_are_quotes = candidates.iter().any(|(_, _, s)| s.confirmed + s.prefixes > 0);
        // Stable sort: on a full tie the standard reading (first) stays first.
        candidates.sort_by_key(|c| std::cmp::Reverse(c.2.rank(names_are_quotes)));
        let mut candidates = candidates.into_iter();
        let Some((reading, text, score)) = candidates.next() else {
            // Unreachable: there is always at least one reading.
            return Self::single(raw, positions);
        };
        // Readings the names refute are not plausible; without names to
        // refute them, every reading that places as many selections is. A
        // reading that places every selection alike is no rival at all.
        let others = candidates
            .filter(|(_, other, s)| {
                let plausible = if names_are_quotes {
                    (s.confirmed, s.prefixes) == (score.confirmed, score.prefixes)
                } else {
                    s.outside == score.outside
                };
                plausible
                    && positions
                        .iter()
                        .any(|&p| other.get(p).map(|g| g.0) != text.get(p).map(|g| g.0))
            })
            .map(|(_, text, _)| text)
            .collect();
        Self {
            reading,
            text,
            others,
            confirmed: if score.confirmed == 0 {
                score.prefixes
            } else {
                score.confirmed + score.untrimmed
            },
            named: score.named,
            names_are_quotes,
            loose_names: score.confirmed == 0,
            searches: 0,
            forced: forced.is_some(),
        }
    }

    fn single(raw: &str, positions: &[u64]) -> Self {
        Self {
            reading: Reading::STANDARD,
            text: ImportedText::read(raw, positions.to_vec(), Reading::STANDARD),
            others: Vec::new(),
            confirmed: 0,
            named: 0,
            names_are_quotes: false,
            loose_names: false,
            searches: 0,
            forced: false,
        }
    }

    /// A report line saying how the positions of `what` were read, when it
    /// is not the standard reading or the evidence was not clear-cut.
    pub fn report(&self, what: &str) -> Option<String> {
        let evidence = if self.names_are_quotes {
            format!(
                "{} of {} selection names match the text there",
                self.confirmed, self.named
            )
        } else {
            "no selection names the text it holds".to_owned()
        };
        let mismatched = self.names_are_quotes && self.confirmed < self.named;
        let news = if self.forced {
            mismatched
        } else {
            self.reading != Reading::STANDARD || mismatched || !self.others.is_empty()
        };
        news.then(|| {
            format!(
                "{what}: positions read as {} ({evidence})",
                self.reading.describe()
            )
        })
    }

    /// Checks one selection placed at `range` (bytes of the chosen text).
    pub fn check(&mut self, selection: &Selection<'_>, range: Range<usize>, place: &str) -> Checked {
        let named = self.names_are_quotes.then(|| selection.quote_name()).flatten();
        if let Some((name, truncated)) = named {
            let there = self.text.text.get(range.clone()).unwrap_or("");
            match name_match(there, &name, truncated) {
                NameMatch::Confirms | NameMatch::Untrimmed => return Checked::confirmed(range),
                // A tool that cuts names without saying so: a prefix is the
                // best evidence its names give.
                NameMatch::Prefix if self.loose_names => return Checked::confirmed(range),
                NameMatch::Prefix => {
                    return Checked {
                        note: Some(format!(
                            "{place}: imported as unconfirmed: its name {} is only the start of the text there",
                            short(&name)
                        )),
                        range,
                        unconfirmed: true,
                    };
                }
                NameMatch::No => {}
            }
            return match self.search(&name, range.start) {
                Some(found) if !truncated => Checked {
                    note: Some(format!(
                        "{place}: its name is not the text there; re-anchored where its text {} occurs nearest",
                        short(&name)
                    )),
                    range: found,
                    unconfirmed: false,
                },
                Some(found) => {
                    let length = selection.end.saturating_sub(selection.start);
                    let end = advance(&self.text.text, found.start, length, self.reading).max(found.end);
                    Checked {
                        note: Some(format!(
                            "{place}: its name is not the text there; its start re-anchored where {} occurs nearest, its end unconfirmed",
                            short(&name)
                        )),
                        range: found.start..end,
                        unconfirmed: true,
                    }
                }
                None => Checked {
                    note: Some(format!(
                        "{place}: imported as unconfirmed: its name {} is not the text at its positions and occurs nowhere near",
                        short(&name)
                    )),
                    range,
                    unconfirmed: true,
                },
            };
        }
        let agrees = self.others.iter().all(|other| {
            let place = |p: u64| other.get(p).map(|(byte, _)| byte);
            let theirs = place(selection.start).zip(place(selection.end));
            let ours = self
                .text
                .get(selection.start)
                .map(|(b, _)| b)
                .zip(self.text.get(selection.end).map(|(b, _)| b));
            theirs == ours
        });
        if agrees {
            return Checked::confirmed(range);
        }
        Checked {
            note: Some(format!(
                "{place}: imported as unconfirmed: it has no name to check its text against, and the readings of its positions disagree"
            )),
            range,
            unconfirmed: true,
        }
    }

    /// The byte range of the occurrence of `name` (words separated by any
    /// whitespace) nearest to byte `near`.
    fn search(&mut self, name: &str, near: usize) -> Option<Range<usize>> {
        let words: Vec<String> = name.split(' ').map(regex::escape).collect();
        let pattern = Regex::new(&words.join(r"\s+")).ok()?;
        let text = self.text.text.as_str();
        let nearest = |from: usize, to: usize| {
            let from = floor_boundary(text, from);
            let to = ceil_boundary(text, to);
            pattern
                .find_iter(text.get(from..to)?)
                .map(|m| from + m.start()..from + m.end())
                .min_by_key(|m| m.start.abs_diff(near))
        };
        let window = nearest(
            near.saturating_sub(SEARCH_WINDOW),
            near.saturating_add(SEARCH_WINDOW + name.len()),
        );
        if window.is_some() || self.searches >= MAX_FULL_SEARCHES {
            return window;
        }
        self.searches += 1;
        nearest(0, text.len())
    }
}

impl Checked {
    fn confirmed(range: Range<usize>) -> Self {
        Self {
            range,
            unconfirmed: false,
            note: None,
        }
    }
}

/// How a selection's name compares with the text at its positions.
#[derive(PartialEq)]
enum NameMatch {
    /// The whole text, or its start when the name says it is cut (`…`).
    Confirms,
    /// The whole text once whitespace at its edges is dropped. Names are
    /// written trimmed, so this confirms a selection, but as evidence for a
    /// reading it is weak: a range one whitespace off matches too.
    Untrimmed,
    /// The start of the text, though the name does not say it is cut.
    Prefix,
    No,
}

fn name_match(text: &str, name: &str, truncated: bool) -> NameMatch {
    let quote = collapsed(text);
    let whole = quote == name || truncated && quote.starts_with(name);
    if whole && text.trim() == text {
        NameMatch::Confirms
    } else if whole {
        NameMatch::Untrimmed
    } else if !quote.is_empty() && quote.starts_with(name) {
        NameMatch::Prefix
    } else {
        NameMatch::No
    }
}

/// The evidence for one reading.
struct Score {
    /// Names that confirm their selection's text (whole, no whitespace at
    /// its edges).
    confirmed: usize,
    /// Names that are only an unmarked prefix of it, or match it only once
    /// whitespace at its edges is dropped: weaker evidence, as a short name
    /// is the prefix of a longer misplaced text too.
    prefixes: usize,
    /// Of those, the ones that match untrimmed (they do confirm).
    untrimmed: usize,
    named: usize,
    outside: usize,
    on_word_boundaries: usize,
}

impl Score {
    fn of(text: &ImportedText, selections: &[Selection<'_>]) -> Self {
        let mut score = Self {
            confirmed: 0,
            prefixes: 0,
            untrimmed: 0,
            named: 0,
            outside: 0,
            on_word_boundaries: 0,
        };
        for selection in selections {
            let range = match (text.get(selection.start), text.get(selection.end)) {
                (Some((start, _)), Some((end, _))) if start <= end => Some(start..end),
                _ => {
                    score.outside += 1;
                    None
                }
            };
            if let Some(range) = &range {
                let quote = text.text.get(range.clone()).unwrap_or_default();
                score.on_word_boundaries += usize::from(word_boundary(&text.text, range.start))
                    + usize::from(word_boundary(&text.text, range.end))
                    + usize::from(!quote.starts_with(char::is_whitespace))
                    + usize::from(!quote.ends_with(char::is_whitespace));
            }
            let Some((name, truncated)) = selection.quote_name() else {
                continue;
            };
            score.named += 1;
            let quote = range.and_then(|r| text.text.get(r)).unwrap_or_default();
            match name_match(quote, &name, truncated) {
                NameMatch::Confirms => score.confirmed += 1,
                NameMatch::Untrimmed => {
                    score.untrimmed += 1;
                    score.prefixes += 1;
                }
                NameMatch::Prefix => score.prefixes += 1,
                NameMatch::No => {}
            }
        }
        score
    }

    /// Bigger is better. Names only count when they are quotes.
    fn rank(&self, names_are_quotes: bool) -> (usize, usize, std::cmp::Reverse<usize>, usize) {
        let (confirmed, prefixes) = if names_are_quotes {
            (self.confirmed, self.prefixes)
        } else {
            (0, 0)
        };
        // Matches of either kind first: one reading's coincidental whole
        // match must not beat another's consistent prefixes.
        (
            confirmed + prefixes,
            confirmed,
            std::cmp::Reverse(self.outside),
            self.on_word_boundaries,
        )
    }
}

/// True when byte `at` of `text` is not inside a word.
fn word_boundary(text: &str, at: usize) -> bool {
    let before = text.get(..at).and_then(|t| t.chars().next_back());
    let after = text.get(at..).and_then(|t| t.chars().next());
    !matches!((before, after), (Some(b), Some(a)) if b.is_alphanumeric() && a.is_alphanumeric())
}

/// The byte offset `units` positions (counted as `reading` counts them in
/// the text as written) after byte `start`, at most the end of the text.
fn advance(text: &str, start: usize, units: u64, reading: Reading) -> usize {
    let mut left = units;
    for (byte, c) in text.get(start..).unwrap_or("").char_indices() {
        if left == 0 {
            return start + byte;
        }
        let width = match (c, reading.unit) {
            // Our text holds `\n` where the source may have had `\r\n`;
            // which it was is lost, so a line break counts as one.
            (_, PositionUnit::CodePoints) => 1,
            (c, PositionUnit::Utf16) => c.len_utf16() as u64,
        };
        left = left.saturating_sub(width);
    }
    text.len()
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(name: &str) -> String {
    format!("{:?}", crate::model::text::ellipsize(name, 40))
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
