//! Units of agreement: how a document is cut into the units each coder's
//! value is compared on, as weighted runs of identical values.

use super::{Run, Span, UnitKind};
use crate::model::{Document, LabelId};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

pub(super) fn sets_at(spans: &[&Span], coded: &[bool]) -> Vec<Option<Vec<LabelId>>> {
    let mut sets: Vec<Option<Vec<LabelId>>> = coded.iter().map(|&c| c.then(Vec::new)).collect();
    for span in spans {
        if let Some(Some(set)) = sets.get_mut(span.coder)
            && !set.contains(&span.label)
        {
            set.push(span.label);
        }
    }
    for set in sets.iter_mut().flatten() {
        set.sort_unstable();
    }
    sets
}

/// The speaker index of each turn of a document (by the caller's names),
/// with the turn's char range, for tagging runs.
pub(super) type TurnSpeakers = Vec<(Range<usize>, u32)>;

fn speaker_at(turns: &TurnSpeakers, char: usize) -> Option<u32> {
    let index = turns.partition_point(|(range, _)| range.end <= char);
    turns
        .get(index)
        .filter(|(range, _)| range.start <= char)
        .map(|(_, speaker)| *speaker)
}

/// Character units, as runs between consecutive span and turn boundaries
/// (turn boundaries so each run has one speaker).
pub(super) fn char_runs(
    spans: &[Span],
    coded: &[bool],
    length: usize,
    turns: &TurnSpeakers,
    runs: &mut Vec<Run>,
) {
    let mut cuts: Vec<usize> = spans.iter().flat_map(|s| [s.chars.start, s.chars.end]).collect();
    cuts.extend(turns.iter().flat_map(|(range, _)| [range.start, range.end]));
    cuts.extend([0, length]);
    cuts.sort_unstable();
    cuts.dedup();
    let mut by_start: Vec<&Span> = spans.iter().collect();
    by_start.sort_by_key(|s| s.chars.start);
    let mut next = 0;
    let mut active: Vec<&Span> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if to > length || from >= to {
            continue;
        }
        while next < by_start.len() && by_start[next].chars.start <= from {
            active.push(by_start[next]);
            next += 1;
        }
        active.retain(|s| s.chars.end > from);
        let sets = sets_at(&active, coded);
        push_run(runs, (to - from) as f64, sets, speaker_at(turns, from));
    }
}

/// The units of `kind` (other than characters) of a document, as sorted,
/// disjoint char ranges: word tokens (UAX #29), sentences (UAX #29),
/// non-blank lines, or the speech of each speaker turn. Whitespace at a
/// unit's edges is left out, so a span ending with a space does not reach
/// into the next unit.
pub(super) fn unit_ranges(document: &Document, kind: UnitKind) -> Vec<Range<usize>> {
    let text: &str = &document.text;
    let trimmed = |bytes: Range<usize>| {
        let piece = text.get(bytes.clone()).unwrap_or("");
        let start = bytes.start + (piece.len() - piece.trim_start().len());
        let end = bytes.start + piece.trim_end().len();
        (start < end).then_some(start..end)
    };
    let bytes: Vec<Range<usize>> = match kind {
        UnitKind::Char => Vec::new(),
        UnitKind::Word => text
            .unicode_word_indices()
            .map(|(byte, word)| byte..byte + word.len())
            .collect(),
        UnitKind::Sentence => text
            .split_sentence_bound_indices()
            .filter_map(|(byte, sentence)| trimmed(byte..byte + sentence.len()))
            .collect(),
        UnitKind::Paragraph => document
            .structure
            .paragraphs
            .iter()
            .filter_map(|p| trimmed(p.range.clone()))
            .collect(),
        UnitKind::Turn => document
            .structure
            .turns
            .iter()
            .filter_map(|t| trimmed(t.speech_start..t.range.end))
            .collect(),
    };
    bytes
        .into_iter()
        .filter_map(|range| document.chars.chars_of_bytes(text, range))
        .collect()
}

/// Units of several chars: a unit counts as coded with a label by a coder
/// when one of that coder's spans with the label overlaps it by at least
/// one character.
pub(super) fn segment_runs(
    units: &[Range<usize>],
    spans: &[Span],
    coded: &[bool],
    turns: &TurnSpeakers,
    runs: &mut Vec<Run>,
) {
    let mut by_start: Vec<&Span> = spans.iter().collect();
    by_start.sort_by_key(|s| s.chars.start);
    let mut next = 0;
    let mut active: Vec<&Span> = Vec::new();
    for chars in units {
        while next < by_start.len() && by_start[next].chars.start < chars.end {
            active.push(by_start[next]);
            next += 1;
        }
        active.retain(|s| s.chars.end > chars.start);
        let overlapping: Vec<&Span> = active
            .iter()
            .copied()
            .filter(|s| s.chars.start < chars.end)
            .collect();
        push_run(
            runs,
            1.0,
            sets_at(&overlapping, coded),
            speaker_at(turns, chars.start),
        );
    }
}

/// Appends a run, merging it into the previous one when every coder's
/// value is the same (keeps a million identical units to one entry).
pub(super) fn push_run(
    runs: &mut Vec<Run>,
    weight: f64,
    sets: Vec<Option<Vec<LabelId>>>,
    speaker: Option<u32>,
) {
    match runs.last_mut() {
        Some(last) if last.sets == sets && last.speaker == speaker => last.weight += weight,
        _ => runs.push(Run {
            weight,
            sets,
            speaker,
        }),
    }
}
