//! Paragraphs and speaker turns of a transcript.
//!
//! The one place that maps a text to its lines and speakers: the transcript
//! view lays out paragraphs, exports look up the speaker of a span here.
//!
//! Detection is line by line and deliberately conservative: a line is blank,
//! furniture (headers, rules, stage directions, bare timestamps), a speaker
//! label, a *candidate* label, or text ([`labels`]). Layouts whose labels
//! cannot be mistaken for prose (`KELLY:`, `Mr. SMITH.`, `[00:01:23] Name:`,
//! `Name  0:03`, `SPEAKER_00:`) count at once; a mixed-case `Name:` counts
//! only when the same name labels at least two lines, or when every line of
//! the text is a label (a meeting export), because prose is full of `Note:`
//! and `Update:`. A wrong turn is worse than a missing one: it puts a wrong
//! speaker in every export row.
//!
//! Timestamps are kept on the turn in one normal form ([`timestamps`]). The
//! researcher may replace the built-in layouts per document
//! ([`SpeakerDetection`]); [`detect_with_report`] gives what an import
//! preview shows.

mod detection;
mod labels;
mod timestamps;

pub use detection::{PatternError, SpeakerDetection};
pub use labels::Layout;
pub use timestamps::normalise as normalise_timestamp;

use detection::UserPattern;
use labels::{Label, Line, PATTERNS};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// One line of the text (without its `\n`), the unit the view lays out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range of the line, excluding the newline.
    pub range: Range<usize>,
    /// Index into [`Structure::turns`] of the turn this line belongs to.
    pub turn: Option<usize>,
    /// True for the line that opens its turn (where the speaker is shown).
    pub starts_turn: bool,
}

/// A speaker turn: from a speaker label up to the next turn or section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// Who speaks, as shown and exported: the detected [`Self::label`], or
    /// the name the researcher gave it ([`Structure::renamed`]).
    pub speaker: String,
    /// The speaker as detection read it from the text (after joining a
    /// surname to its full name). Renames map from this, and the
    /// fingerprint hashes it, so renaming is never mistaken for a change of
    /// detection.
    pub label: String,
    /// `hh:mm:ss` however the transcript wrote it (`1:23`, `[00:01:23.450]`,
    /// `0 minutes 3 seconds`); a day-prefixed time (`02:14:05:33`) as
    /// written, a countdown with its sign (see [`normalise_timestamp`]).
    pub timestamp: Option<String>,
    /// Byte range of the whole turn, speaker label included.
    pub range: Range<usize>,
    /// Byte offset where the speech starts (after the speaker label).
    pub speech_start: usize,
}

/// Paragraphs and turns of one text.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Structure {
    pub paragraphs: Vec<Paragraph>,
    pub turns: Vec<Turn>,
    /// Distinct speakers in order of first appearance (derived from `turns`).
    pub speakers: Vec<String>,
}

impl Structure {
    /// Index of the paragraph containing byte `offset` (the last one for
    /// offsets at the very end).
    pub fn paragraph_at(&self, offset: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.range.end < offset)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    /// The turn containing byte `offset`, if any.
    pub fn turn_at(&self, offset: usize) -> Option<&Turn> {
        let index = self.turns.partition_point(|t| t.range.end <= offset);
        self.turns.get(index).filter(|t| t.range.start <= offset)
    }

    /// The turn a span (a byte range of `text`) belongs to, with its index
    /// in `turns`: the turn of its first non-blank char, since a span
    /// dragged from the end of the previous line starts with a newline that
    /// belongs to no turn. `None` when that char is in no turn. This is the
    /// one span→speaker mapping: span exports and statistics use it.
    pub fn turn_of_span(&self, text: &str, bytes: std::ops::Range<usize>) -> Option<(usize, &Turn)> {
        let span = text.get(bytes.clone()).unwrap_or("");
        let lead = span.len() - span.trim_start().len();
        let offset = if lead < span.len() {
            bytes.start + lead
        } else {
            bytes.start
        };
        let turn = self.turn_at(offset)?;
        // Turns are disjoint and in text order, so the start finds the index.
        let index = self
            .turns
            .binary_search_by_key(&turn.range.start, |t| t.range.start)
            .ok()?;
        Some((index, turn))
    }

    /// Distinct speakers, in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        self.speakers.iter().map(String::as_str).collect()
    }

    /// This structure with each turn's speaker named as `names` says
    /// (detected label → name; labels not in it keep their own name). Two
    /// labels given one name merge those speakers. Cheap: no detection.
    #[must_use]
    pub fn renamed(&self, names: &std::collections::BTreeMap<String, String>) -> Self {
        let mut renamed = self.clone();
        for turn in &mut renamed.turns {
            turn.speaker = names.get(&turn.label).unwrap_or(&turn.label).clone();
        }
        renamed.speakers = speakers_of(&renamed.turns);
        renamed
    }

    /// A short fingerprint of the turns, `"<count> turns <hash>"`, the hash
    /// over each turn's detected speaker label and start. Stored in the project file when
    /// saving, so that a later version whose detection reads the same text
    /// differently is noticed (`framecoder check`) instead of silently
    /// moving spans to other speakers.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for turn in &self.turns {
            hasher.update(turn.label.as_bytes());
            // A separator no speaker contains, so ("AB", 1) ≠ ("A", "B1").
            hasher.update([0x1f]);
            hasher.update(turn.range.start.to_le_bytes());
        }
        let hash: String = hasher
            .finalize()
            .iter()
            .take(6)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!("{} turns {hash}", self.turns.len())
    }
}

/// Splits `text` into paragraphs (lines) and detects speaker turns with the
/// built-in layouts ([`SpeakerDetection::Auto`]).
///
/// Every line becomes a paragraph, blank ones included, so paragraph ranges
/// tile the text. A turn opens at a line that starts with a speaker label and
/// runs over the following lines until the next label or a furniture line
/// (section header, rule, stage direction, bare timestamp); blank lines do not
/// end it, but trailing blank lines are left out of its range.
pub fn detect_structure(text: &str) -> Structure {
    detect_structure_with(text, &SpeakerDetection::Auto)
}

/// [`detect_structure`] as `detection` says: the built-in layouts, no turns,
/// or a user pattern. An invalid pattern (from a hand-edited project file;
/// the faces refuse one up front) gives no turns.
pub fn detect_structure_with(text: &str, detection: &SpeakerDetection) -> Structure {
    analyse(text, detection, false).structure
}

/// What the import report shows of a detection: the turns, the layout most
/// labels follow, and the lines that look like speaker labels but were not
/// taken.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Detection {
    pub structure: Structure,
    /// The layout of most turn-opening lines; `None` without turns.
    pub layout: Option<Layout>,
    /// Lines the built-in layouts read as (candidate) labels that open no
    /// turn, at most [`MAX_PASSED_OVER`], in text order.
    pub passed_over: Vec<PassedOver>,
    /// How many such lines there are in all.
    pub passed_over_total: usize,
    /// Non-blank chars of furniture lines (headers, stage directions, bare
    /// timestamps): text that is no one's speech.
    pub furniture_chars: usize,
}

/// A line that looks like a speaker label but opens no turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassedOver {
    /// 1-based line number.
    pub line: usize,
    pub text: String,
}

/// How many passed-over lines a [`Detection`] lists.
pub const MAX_PASSED_OVER: usize = 50;

/// [`detect_structure_with`], plus the layout and the passed-over lines.
pub fn detect_with_report(text: &str, detection: &SpeakerDetection) -> Detection {
    analyse(text, detection, true)
}

fn analyse(text: &str, detection: &SpeakerDetection, report: bool) -> Detection {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.len();
        paragraphs.push(Paragraph {
            range: start..end,
            turn: None,
            starts_turn: false,
        });
        start = end + 1;
    }
    let line_text = |p: &Paragraph| text.get(p.range.clone()).unwrap_or("");
    // Unreachable in practice (a unit test compiles every pattern), but a
    // transcript without turns is better than a crash.
    let auto_lines: Option<Vec<Line<'_>>> = match (PATTERNS.as_ref(), detection) {
        (Some(patterns), SpeakerDetection::Auto) => Some(
            paragraphs
                .iter()
                .map(|p| patterns.classify(line_text(p)))
                .collect(),
        ),
        (Some(patterns), _) if report => Some(
            paragraphs
                .iter()
                .map(|p| patterns.classify(line_text(p)))
                .collect(),
        ),
        _ => None,
    };
    let (lines, accepted): (Vec<Line<'_>>, HashSet<&str>) = match detection {
        SpeakerDetection::Auto => {
            let lines = auto_lines.clone().unwrap_or_default();
            let accepted = accepted_candidates(&lines);
            (lines, accepted)
        }
        SpeakerDetection::None => (Vec::new(), HashSet::new()),
        SpeakerDetection::Pattern(pattern) => match UserPattern::new(pattern) {
            Ok(user) => (
                paragraphs
                    .iter()
                    .map(|p| user_line(&user, line_text(p)))
                    .collect(),
                HashSet::new(),
            ),
            Err(_) => (Vec::new(), HashSet::new()),
        },
    };
    let mut turns = build_turns(text, &mut paragraphs, &lines, &accepted);
    if detection.is_auto() {
        unify_surnames(&mut turns);
        for turn in &mut turns {
            turn.label.clone_from(&turn.speaker);
        }
    }
    let layout = report.then(|| main_layout(&lines, &accepted)).flatten();
    let mut passed_over = Vec::new();
    let mut passed_over_total = 0;
    let mut furniture_chars = 0;
    if report {
        for (index, (line, paragraph)) in auto_lines.iter().flatten().zip(&paragraphs).enumerate() {
            if matches!(line, Line::Furniture) && paragraph.turn.is_none() {
                furniture_chars += line_text(paragraph)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .count();
            }
            if matches!(line, Line::Label(_) | Line::Candidate(_)) && !paragraph.starts_turn {
                passed_over_total += 1;
                if passed_over.len() < MAX_PASSED_OVER {
                    passed_over.push(PassedOver {
                        line: index + 1,
                        text: line_text(paragraph).trim_end().to_owned(),
                    });
                }
            }
        }
    }
    let speakers = speakers_of(&turns);
    Detection {
        structure: Structure {
            paragraphs,
            turns,
            speakers,
        },
        layout,
        passed_over,
        passed_over_total,
        furniture_chars,
    }
}

/// A line as a user pattern reads it.
fn user_line<'a>(user: &UserPattern, line: &'a str) -> Line<'a> {
    if line.trim().is_empty() {
        return Line::Blank;
    }
    let Some(found) = user.label(line) else {
        return Line::Text;
    };
    match line.get(found.speaker.clone()) {
        Some(speaker) => Line::Label(Label {
            speaker: speaker.trim(),
            timestamp: found.timestamp.and_then(|range| line.get(range)),
            speech: found.speech,
            layout: Layout::Custom,
        }),
        None => Line::Text,
    }
}

/// The layout of most turn-opening lines (the first in [`Layout`] order on
/// a tie, so the report is deterministic).
fn main_layout(lines: &[Line<'_>], accepted: &HashSet<&str>) -> Option<Layout> {
    let mut counts: HashMap<Layout, usize> = HashMap::new();
    for line in lines {
        match line {
            Line::Label(label) => *counts.entry(label.layout).or_insert(0) += 1,
            Line::Candidate(label) if accepted.contains(label.speaker) => {
                *counts.entry(label.layout).or_insert(0) += 1;
            }
            _ => {}
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(layout, count)| (count, std::cmp::Reverse(layout)))
        .map(|(layout, _)| layout)
}

/// Distinct speakers of `turns`, in order of first appearance.
fn speakers_of(turns: &[Turn]) -> Vec<String> {
    let mut speakers: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for turn in turns {
        if seen.insert(turn.speaker.as_str()) {
            speakers.push(turn.speaker.clone());
        }
    }
    speakers
}

/// Broadcast transcripts name a speaker in full once (`MARTA ALVARADO,
/// HOST:`) and by surname afterwards (`ALVARADO:`). Counting those as two
/// speakers would split one person's turns in every export, so a one-word
/// speaker that is the last word of exactly one full name becomes that name.
fn unify_surnames(turns: &mut [Turn]) {
    // Last word (lowercased) → the one full name ending in it, or `None`
    // when several do: a map, so that a transcript of many distinct names
    // costs a lookup per turn rather than a scan of all names.
    let mut by_surname: HashMap<String, Option<String>> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for turn in turns.iter() {
        let mut words = turn.speaker.split_whitespace();
        let (Some(_), Some(last)) = (words.next(), words.next_back()) else {
            continue;
        };
        if !seen.insert(turn.speaker.as_str()) {
            continue;
        }
        by_surname
            .entry(last.to_lowercase())
            .and_modify(|full| *full = None)
            .or_insert_with(|| Some(turn.speaker.clone()));
    }
    for turn in turns.iter_mut() {
        if turn.speaker.split_whitespace().count() != 1 {
            continue;
        }
        if let Some(Some(full)) = by_surname.get(&turn.speaker.trim().to_lowercase()) {
            turn.speaker = full.clone();
        }
    }
}

/// Mixed-case names that occur as a label at least twice, or that also occur
/// as a label of a surer layout — or every candidate, when the layout is
/// consistent: from the first label on, every line with content is a
/// label, and some candidate name recurs (a meeting export where each cue
/// is `Name: text`, in which one person may speak only once; sure labels
/// such as `KELLY:` do not vouch for a `Honestly:` between them). A glossary (`Apple: a fruit`) has no recurring
/// name, and prose has lines without labels; a title above the first
/// label (`Depot interview - Transcript`) does not count.
fn accepted_candidates<'a>(lines: &[Line<'a>]) -> HashSet<&'a str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut sure: HashSet<&str> = HashSet::new();
    let mut content = 0;
    let mut labelled = 0;
    for line in lines {
        match line {
            Line::Candidate(label) => {
                *counts.entry(label.speaker).or_insert(0) += 1;
                labelled += 1;
                content += 1;
            }
            Line::Label(label) => {
                sure.insert(label.speaker);
                labelled += 1;
                content += 1;
            }
            // Lines above the first label are a header, not the layout.
            Line::Text if labelled > 0 => content += 1,
            Line::Text | Line::Blank | Line::Furniture => {}
        }
    }
    let recurring_lines: usize = counts.values().filter(|&&count| count >= 2).sum();
    let consistent = content >= 2 && labelled == content && recurring_lines > 0;
    counts
        .into_iter()
        .filter(|(name, count)| consistent || *count >= 2 || sure.contains(name))
        .map(|(name, _)| name)
        .collect()
}

/// A turn being built while the lines are walked.
struct OpenTurn {
    first_line: usize,
    last_content_line: usize,
    /// Where speech starts when the label line holds only the label: the
    /// first non-blank text after it.
    speech_on_label_line: Option<usize>,
    speech_later: Option<usize>,
}

fn build_turns(
    text: &str,
    paragraphs: &mut [Paragraph],
    lines: &[Line<'_>],
    accepted: &HashSet<&str>,
) -> Vec<Turn> {
    let mut turns = Vec::new();
    let mut open: Option<OpenTurn> = None;
    for (index, line) in lines.iter().enumerate() {
        let label = match line {
            Line::Label(label) => Some(label),
            Line::Candidate(label) if accepted.contains(label.speaker) => Some(label),
            _ => None,
        };
        let line_range = paragraphs.get(index).map(|p| p.range.clone()).unwrap_or(0..0);
        if let Some(label) = label {
            close_turn(text, paragraphs, &mut turns, open.take());
            let line_text = text.get(line_range.clone()).unwrap_or("");
            let speech_on_label_line =
                (label.speech < line_text.trim_end().len()).then_some(line_range.start + label.speech);
            turns.push(Turn {
                speaker: label.speaker.to_owned(),
                label: label.speaker.to_owned(),
                timestamp: label.timestamp.map(timestamps::normalise),
                range: line_range.clone(),
                speech_start: line_range.end,
            });
            open = Some(OpenTurn {
                first_line: index,
                last_content_line: index,
                speech_on_label_line,
                speech_later: None,
            });
            continue;
        }
        match line {
            Line::Furniture => close_turn(text, paragraphs, &mut turns, open.take()),
            Line::Blank => {}
            _ => {
                if let Some(turn) = open.as_mut() {
                    turn.last_content_line = index;
                    if turn.speech_later.is_none() {
                        let line_text = text.get(line_range.clone()).unwrap_or("");
                        let indent = line_text.len() - line_text.trim_start().len();
                        turn.speech_later = Some(line_range.start + indent);
                    }
                }
            }
        }
    }
    close_turn(text, paragraphs, &mut turns, open);
    turns
}

/// Fixes the range and speech start of the last turn and marks its
/// paragraphs.
fn close_turn(text: &str, paragraphs: &mut [Paragraph], turns: &mut [Turn], open: Option<OpenTurn>) {
    let Some(open) = open else { return };
    let turn_index = turns.len().saturating_sub(1);
    let Some(turn) = turns.last_mut() else { return };
    let Some(lines) = paragraphs.get_mut(open.first_line..=open.last_content_line) else {
        return;
    };
    if let Some(last) = lines.last() {
        turn.range.end = last.range.end;
    }
    let label_line_end = lines.first().map_or(turn.range.end, |p| p.range.end);
    turn.speech_start = open
        .speech_on_label_line
        .or(open.speech_later)
        .unwrap_or(label_line_end)
        .min(turn.range.end);
    debug_assert!(text.is_char_boundary(turn.speech_start));
    for (offset, paragraph) in lines.iter_mut().enumerate() {
        paragraph.turn = Some(turn_index);
        paragraph.starts_turn = offset == 0;
    }
}

#[cfg(test)]
mod layout_tests;
#[cfg(test)]
mod tests;
